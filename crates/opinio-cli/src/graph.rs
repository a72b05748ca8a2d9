//! The rule dependency graph of a position, as a reader sees it: Graphviz DOT (for
//! `:graph`, `opinio graph --format dot`) and SVG laid out in Rust (`opinio graph --format
//! svg`, the memo's picture), so that no Graphviz is needed to look at it.
//!
//! An arrow runs from a predicate a rule reads to the predicate the rule concludes, labelled
//! with the rule's name; it is dashed when the rule reads the predicate under `not` or
//! `unless`. Boxes are conclusions the rules draw; rounded boxes (ovals in DOT) are facts a
//! scenario states. Predicates are grouped (DOT clusters) or coloured (SVG) by the knowledge
//! file that declares them — one area of law per file. Around a predicate, the graph keeps
//! what it rests on (its ancestors) and what rests on it (its descendants).

use opinio::kb::{KnowledgeBase, RuleDependency};
use opinio::program::{PosId, PredId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

/// One predicate in the graph.
#[derive(Debug, Clone)]
pub struct GraphNode {
    /// The predicate's name.
    pub name: String,
    /// Concluded by a rule (a box) rather than stated by facts (an oval).
    pub derived: bool,
    /// The knowledge file that declares it, without `.opinio` (`sovereignty`): its area of law.
    pub area: String,
    /// Its `means` text, shown as a tooltip.
    pub meaning: Option<String>,
    /// The predicate the graph was drawn around.
    pub focus: bool,
}

/// One arrow: a rule reads `from` and concludes `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphEdge {
    /// Index of the predicate read, in [`DependencyGraph::nodes`].
    pub from: usize,
    /// Index of the predicate concluded.
    pub to: usize,
    /// The rule's name.
    pub rule: String,
    /// Read under `not` or `unless`.
    pub negative: bool,
}

/// The graph of the rules in force under a position, whole or around one predicate.
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    /// The position's name.
    pub position: String,
    /// The predicate it is drawn around, if any.
    pub around: Option<String>,
    /// Drawn around a predicate with only what it rests on (not what rests on it).
    pub rests_on_only: bool,
    /// The predicates, sorted by area then name.
    pub nodes: Vec<GraphNode>,
    /// The arrows, sorted.
    pub edges: Vec<GraphEdge>,
}

impl DependencyGraph {
    /// The graph of `kb` under `pos`; around `around` (what it rests on and what rests on
    /// it) if given, else whole.
    pub fn new(kb: &KnowledgeBase, pos: PosId, around: Option<PredId>) -> DependencyGraph {
        DependencyGraph::build(kb, pos, around, false)
    }

    /// The graph of what `pred` rests on under `pos`: the rules that conclude it, the
    /// predicates they read, and so on down to the facts (the memo's picture of a question).
    pub fn rests_on(kb: &KnowledgeBase, pos: PosId, pred: PredId) -> DependencyGraph {
        DependencyGraph::build(kb, pos, Some(pred), true)
    }

    fn build(
        kb: &KnowledgeBase,
        pos: PosId,
        around: Option<PredId>,
        rests_on_only: bool,
    ) -> DependencyGraph {
        let program = kb.program();
        let deps = opinio::kb::dependencies(program, pos);
        let keep: Option<BTreeSet<PredId>> = around.map(|p| {
            let mut set = reachable(&deps, p, |d| (d.to, d.from));
            if !rests_on_only {
                set.extend(reachable(&deps, p, |d| (d.from, d.to)));
            }
            set.insert(p);
            set
        });
        let kept = |d: &&RuleDependency| {
            keep.as_ref()
                .is_none_or(|k| k.contains(&d.from) && k.contains(&d.to))
        };
        let mut preds: BTreeSet<PredId> = BTreeSet::new();
        for d in deps.iter().filter(kept) {
            preds.insert(d.from);
            preds.insert(d.to);
        }
        preds.extend(around);
        let mut nodes: Vec<(PredId, GraphNode)> = preds
            .into_iter()
            .map(|id| {
                let info = program.predicate(id);
                let file = kb.sources().name(info.span.file);
                let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
                let area = base.strip_suffix(".opinio").unwrap_or(base).to_string();
                (
                    id,
                    GraphNode {
                        name: info.name.clone(),
                        derived: info.derived,
                        area,
                        meaning: info.meaning.clone(),
                        focus: Some(id) == around,
                    },
                )
            })
            .collect();
        nodes.sort_by(|a, b| (&a.1.area, &a.1.name).cmp(&(&b.1.area, &b.1.name)));
        let index: BTreeMap<PredId, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let mut edges: BTreeSet<GraphEdge> = BTreeSet::new();
        for d in deps.iter().filter(kept) {
            if let (Some(&from), Some(&to)) = (index.get(&d.from), index.get(&d.to)) {
                edges.insert(GraphEdge {
                    from,
                    to,
                    rule: program.rule(d.rule).name.clone(),
                    negative: d.negated,
                });
            }
        }
        DependencyGraph {
            position: program.position(pos).name.clone(),
            around: around.map(|p| program.predicate(p).name.clone()),
            rests_on_only,
            nodes: nodes.into_iter().map(|(_, n)| n).collect(),
            edges: edges.into_iter().collect(),
        }
    }

    /// The areas of law (knowledge files) of the graph's predicates, sorted.
    pub fn areas(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self.nodes.iter().map(|n| n.area.as_str()).collect();
        set.into_iter().collect()
    }

    /// The graph as Graphviz DOT: one cluster per area of law, and a legend.
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph opinio {{");
        match &self.around {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "  // What `{p}` rests on and what rests on it, under the position {}.",
                    self.position
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  // How the conclusions depend on each other under the position {}.",
                    self.position
                );
            }
        }
        let _ = writeln!(
            out,
            "  // An arrow runs from what a rule reads to what it concludes; dashed: read under `not` or `unless`."
        );
        let _ = writeln!(
            out,
            "  // Boxes are conclusions the rules draw; ovals are facts a scenario states; a cluster is an area of law (a knowledge file)."
        );
        let _ = writeln!(out, "  rankdir=LR;");
        let _ = writeln!(out, "  node [fontname=\"Helvetica\"];");
        let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
        for (i, area) in self.areas().into_iter().enumerate() {
            let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{area}")));
            let _ = writeln!(out, "    label={};", quote(&area_title(area)));
            let _ = writeln!(
                out,
                "    style=filled; color=\"#bbbbbb\"; fillcolor={};",
                quote(AREA_COLOURS[i % AREA_COLOURS.len()])
            );
            for n in self.nodes.iter().filter(|n| n.area == area) {
                let shape = if n.derived { "box" } else { "ellipse" };
                let mut attrs = format!("shape={shape}, style=filled, fillcolor=white");
                if n.focus {
                    attrs.push_str(", penwidth=3");
                }
                if let Some(m) = &n.meaning {
                    let _ = write!(attrs, ", tooltip={}", quote(m));
                }
                let _ = writeln!(out, "    {} [{attrs}];", quote(&n.name));
            }
            let _ = writeln!(out, "  }}");
        }
        for e in &self.edges {
            let style = if e.negative { ", style=dashed" } else { "" };
            let _ = writeln!(
                out,
                "  {} -> {} [label={}{style}];",
                quote(&self.nodes[e.from].name),
                quote(&self.nodes[e.to].name),
                quote(&e.rule)
            );
        }
        // The legend: what the shapes and lines mean, in a cluster of its own.
        out.push_str(
            "  subgraph cluster_legend {\n    label=\"Legend\"; style=solid; color=\"#888888\";\n    \
             legend_fact [label=\"a fact a scenario states\", shape=ellipse];\n    \
             legend_conclusion [label=\"a conclusion the rules draw\", shape=box];\n    \
             legend_other [label=\"a conclusion resting on it\", shape=box];\n    \
             legend_fact -> legend_conclusion [label=\"a rule reads it\"];\n    \
             legend_conclusion -> legend_other [label=\"read under not / unless\", style=dashed];\n  }\n",
        );
        out.push_str("}\n");
        out
    }

    /// The graph as a standalone SVG document laid out in Rust (no Graphviz): boxes for
    /// conclusions, rounded boxes for facts, fill colours for the areas of law, dashed arrows
    /// for `not` / `unless`, and a legend above the drawing. Rule names label the arrows of a
    /// graph drawn around a predicate (on the whole graph they would hide it).
    pub fn to_svg(&self) -> String {
        use layout::backends::svg::SVGWriter;
        use layout::core::base::Orientation;
        use layout::core::color::Color;
        use layout::core::geometry::Point;
        use layout::core::style::{LineStyleKind, StyleAttr};
        use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
        use layout::topo::layout::VisualGraph;

        let areas = self.areas();
        let colour_of = |area: &str| {
            let i = areas.iter().position(|a| *a == area).unwrap_or(0);
            AREA_COLOURS[i % AREA_COLOURS.len()]
        };
        let mut vg = VisualGraph::new(Orientation::LeftToRight);
        let handles: Vec<_> = self
            .nodes
            .iter()
            .map(|n| {
                let fill = Color::from_name(colour_of(&n.area)).unwrap_or(Color::fast("white"));
                let look = StyleAttr::new(
                    Color::fast("black"),
                    if n.focus { 4 } else { 1 },
                    Some(fill),
                    if n.derived { 0 } else { 14 },
                    13,
                );
                // The text decides the box's size (about 8 px a character at 13 px).
                let width = 24.0 + 7.8 * n.name.chars().count() as f64;
                let size = Point::new(width, 34.0);
                vg.add_node(Element::create(
                    ShapeKind::new_box(&n.name),
                    look,
                    Orientation::LeftToRight,
                    size,
                ))
            })
            .collect();
        let label_rules = self.around.is_some();
        for e in &self.edges {
            let style = if e.negative {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            };
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, 10);
            let text = if label_rules { e.rule.as_str() } else { "" };
            let arrow = Arrow::new(
                LineEndKind::None,
                LineEndKind::Arrow,
                style,
                text,
                &look,
                &None,
                &None,
            );
            vg.add_edge(arrow, handles[e.from], handles[e.to]);
        }
        let mut svg = SVGWriter::new();
        // The crossing-reduction passes take minutes on the whole knowledge base (hundreds of
        // predicates); past a few dozen nodes the plain layered layout is drawn.
        vg.do_it(false, self.nodes.len() > 60, false, &mut svg);
        let drawing = sorted_font_styles(&svg.finalize());
        with_legend(&drawing, &self.legend_title(), &areas)
    }

    /// [`DependencyGraph::to_svg`] for a page that holds several pictures: every `id` the
    /// drawing defines (arrow heads, arrow paths, clip regions) and every reference to one
    /// (`url(#…)`, `href="#…"`) begins with `prefix`, so that two pictures on one page never
    /// share an id. `prefix` should be a letter followed by letters, digits, `-` or `_`.
    pub fn to_svg_with_id_prefix(&self, prefix: &str) -> String {
        prefix_ids(&self.to_svg(), prefix)
    }

    /// The title above the drawing.
    fn legend_title(&self) -> String {
        match &self.around {
            Some(p) if self.rests_on_only => {
                format!("What {p} rests on, under the position {}", self.position)
            }
            Some(p) => format!(
                "What {p} rests on and what rests on it, under the position {}",
                self.position
            ),
            None => format!(
                "How the conclusions depend on each other, under the position {}",
                self.position
            ),
        }
    }
}

/// Pale fill colours, one per area of law (SVG colour names, which layout-rs knows).
const AREA_COLOURS: [&str; 12] = [
    "lightyellow",
    "lightblue",
    "mistyrose",
    "honeydew",
    "lavender",
    "papayawhip",
    "lightcyan",
    "thistle",
    "beige",
    "azure",
    "lavenderblush",
    "palegreen",
];

/// `due_diligence` → `Due diligence`.
fn area_title(area: &str) -> String {
    let words = area.replace(['_', '-'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A standalone SVG: a legend (title, what the shapes and lines mean, the colour of each
/// area of law) above `drawing` (an SVG document, nested as it is).
/// The drawing with the font-size classes of its `<style>` block in order of size: layout-rs
/// writes them from a hash map, in an order that changes from run to run, and the same
/// picture should be the same bytes (memos are compared and kept under version control).
fn sorted_font_styles(svg: &str) -> String {
    let is_style = |l: &str| l.starts_with(".a") && l.contains("{ font-size:");
    let size = |l: &str| -> u64 {
        l.get(2..)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(u64::MAX)
    };
    let mut out = String::with_capacity(svg.len());
    let mut run: Vec<&str> = Vec::new();
    for line in svg.split_inclusive('\n') {
        if is_style(line) {
            run.push(line);
            continue;
        }
        run.sort_by_key(|l| (size(l), *l));
        out.extend(run.drain(..));
        out.push_str(line);
    }
    run.sort_by_key(|l| (size(l), *l));
    out.extend(run.drain(..));
    out
}

fn with_legend(drawing: &str, title: &str, areas: &[&str]) -> String {
    let inner = drawing
        .find("<svg")
        .map_or(drawing, |i| &drawing[i..])
        .trim_end();
    let (w, h) = svg_size(inner).unwrap_or((800.0, 600.0));
    let per_row = 4usize;
    let rows = areas.len().div_ceil(per_row);
    let legend_h = 96.0 + 22.0 * rows as f64;
    let width = w.max(760.0);
    let height = h + legend_h;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        "<g font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    // Shapes and lines.
    out.push_str(
        "<rect x=\"10\" y=\"32\" width=\"22\" height=\"16\" fill=\"white\" stroke=\"black\"/>\
         <text x=\"38\" y=\"45\">a conclusion the rules draw</text>\n\
         <rect x=\"230\" y=\"32\" width=\"22\" height=\"16\" rx=\"7\" fill=\"white\" stroke=\"black\"/>\
         <text x=\"258\" y=\"45\">a fact a scenario states</text>\n\
         <line x1=\"10\" y1=\"64\" x2=\"40\" y2=\"64\" stroke=\"black\"/>\
         <text x=\"46\" y=\"68\">a rule reads it to conclude</text>\n\
         <line x1=\"230\" y1=\"64\" x2=\"260\" y2=\"64\" stroke=\"black\" stroke-dasharray=\"5,3\"/>\
         <text x=\"266\" y=\"68\">read under not / unless</text>\n",
    );
    for (i, area) in areas.iter().enumerate() {
        let (row, col) = (i / per_row, i % per_row);
        let x = 10.0 + 185.0 * col as f64;
        let y = 82.0 + 22.0 * row as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"22\" height=\"14\" fill=\"{}\" stroke=\"#999999\"/><text x=\"{}\" y=\"{}\">{}</text>",
            AREA_COLOURS[i % AREA_COLOURS.len()],
            x + 28.0,
            y + 12.0,
            escape(&area_title(area))
        );
    }
    out.push_str("</g>\n");
    // The drawing, moved below the legend.
    let nested = inner.replacen("<svg ", &format!("<svg x=\"0\" y=\"{legend_h}\" "), 1);
    out.push_str(&nested);
    out.push_str("\n</svg>\n");
    out
}

/// `svg` with `prefix` put before every id it defines and every reference to one.
fn prefix_ids(svg: &str, prefix: &str) -> String {
    svg.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace("url(#", &format!("url(#{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"))
}

/// The `width` and `height` of an SVG document's root element.
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let head = &svg[..svg.find('>')?];
    let attr = |name: &str| -> Option<f64> {
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = &head[at..];
        rest[..rest.find('"')?].parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// Text for SVG or HTML (`&`, `<`, `>`, quotes escaped).
fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// The predicates reachable from `pred` along the edges, each edge read as `step` says
/// (`(at, next)`): what `pred` rests on when walking backwards, what rests on it forwards.
fn reachable(
    deps: &[RuleDependency],
    pred: PredId,
    step: impl Fn(&RuleDependency) -> (PredId, PredId),
) -> BTreeSet<PredId> {
    let mut next: BTreeMap<PredId, Vec<PredId>> = BTreeMap::new();
    for (at, to) in deps.iter().map(step) {
        next.entry(at).or_default().push(to);
    }
    let mut out = BTreeSet::new();
    let mut queue = VecDeque::from([pred]);
    while let Some(p) = queue.pop_front() {
        for &n in next.get(&p).into_iter().flatten() {
            if out.insert(n) {
                queue.push_back(n);
            }
        }
    }
    out
}

/// A DOT string literal.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use opinio::KnowledgeBase;

    /// The font classes come out in order of size, whatever order layout-rs wrote them in;
    /// everything else is left as it was.
    #[test]
    fn font_styles_are_sorted_by_size() {
        let written = "<svg>\n<style>\n.a13 { font-size: 13px; font-family: Times, serif; }\n\
                       .a10 { font-size: 10px; font-family: Times, serif; }\n</style>\n<g/>\n";
        let sorted = sorted_font_styles(written);
        assert_eq!(
            sorted,
            "<svg>\n<style>\n.a10 { font-size: 10px; font-family: Times, serif; }\n\
             .a13 { font-size: 13px; font-family: Times, serif; }\n</style>\n<g/>\n"
        );
        assert_eq!(sorted_font_styles(&sorted), sorted);
    }

    /// The same picture drawn twice in one process is the same text (each drawing's hash map
    /// of font classes has its own order).
    #[test]
    fn a_picture_is_drawn_the_same_every_time() {
        let (_kb, g) = around("violates_sovereignty");
        let first = g.to_svg();
        for _ in 0..5 {
            assert_eq!(g.to_svg(), first);
        }
    }

    fn around(name: &str) -> (KnowledgeBase, DependencyGraph) {
        let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
        let program = kb.program();
        let pos = program.default_position_or_first().unwrap_or(PosId(0));
        let p = program.predicate_id(name).unwrap_or(PredId(0));
        let g = DependencyGraph::new(&kb, pos, Some(p));
        (kb, g)
    }

    #[test]
    fn graph_around_a_predicate_is_valid_dot_with_clusters_and_a_legend() {
        let (kb, g) = around("violates_sovereignty");
        let d = g.to_dot();
        assert!(d.starts_with("digraph opinio {"));
        assert!(d.ends_with("}\n"));
        assert!(d.contains("\"attributable\" -> \"violates_sovereignty\""));
        assert!(d.contains("style=dashed"), "consent is read under `unless`");
        assert!(d.contains("subgraph \"cluster_sovereignty\""), "{d}");
        assert!(d.contains("label=\"Attribution\""), "{d}");
        assert!(d.contains("subgraph cluster_legend"), "{d}");
        assert!(g.nodes.len() > 3 && g.edges.len() > 3);
        let pos = kb.program().default_position_or_first().unwrap_or(PosId(0));
        let whole = DependencyGraph::new(&kb, pos, None);
        assert!(whole.nodes.len() > g.nodes.len());
        // Every node sits in the cluster of the file that declares it.
        let n = g
            .nodes
            .iter()
            .find(|n| n.name == "violates_sovereignty")
            .map(|n| n.area.as_str());
        assert_eq!(n, Some("sovereignty"));
    }

    #[test]
    fn svg_has_a_legend_every_predicate_and_well_formed_nesting() {
        let (_, g) = around("violates_sovereignty");
        let svg = g.to_svg();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 2, "the drawing nests once");
        assert_eq!(svg.matches("</svg>").count(), 2);
        assert!(svg.contains("a fact a scenario states"));
        assert!(svg.contains("read under not / unless"));
        assert!(
            svg.contains("stroke-dasharray"),
            "dashed arrows for `unless`"
        );
        for n in &g.nodes {
            assert!(svg.contains(&format!(">{}<", n.name)), "{} missing", n.name);
        }
        assert!(!svg.contains("<?xml"), "no second XML declaration inside");
    }

    #[test]
    fn ids_take_the_prefix_and_references_follow() {
        let (_, g) = around("violates_sovereignty");
        let svg = g.to_svg_with_id_prefix("g1-");
        let ids: Vec<&str> = svg
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(!ids.is_empty(), "the drawing defines arrow heads and paths");
        for id in &ids {
            assert!(id.starts_with("g1-"), "{id}");
        }
        for r in svg
            .split("url(#")
            .skip(1)
            .chain(svg.split("href=\"#").skip(1))
        {
            let target: String = r.chars().take_while(|c| *c != ')' && *c != '"').collect();
            assert!(ids.contains(&target.as_str()), "`{target}` is defined");
        }
        let other = g.to_svg_with_id_prefix("g2-");
        assert!(!other.contains("id=\"g1-"));
    }

    #[test]
    fn rests_on_keeps_only_what_the_predicate_rests_on() {
        let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
        let program = kb.program();
        let pos = program.default_position_or_first().unwrap_or(PosId(0));
        let p = program
            .predicate_id("violates_sovereignty")
            .unwrap_or(PredId(0));
        let g = DependencyGraph::rests_on(&kb, pos, p);
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert!(names.contains(&"attributable"), "{names:?}");
        assert!(
            !names.contains(&"wrongful_act"),
            "what rests on it is left out: {names:?}"
        );
        assert!(g.edges.iter().all(|e| g.nodes[e.to].derived));
        let both = DependencyGraph::new(&kb, pos, Some(p));
        assert!(both.nodes.len() > g.nodes.len());
        assert!(g
            .to_svg()
            .contains("What violates_sovereignty rests on, under the position"));
    }

    #[test]
    fn quotes_are_escaped() {
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn area_titles_read_as_words() {
        assert_eq!(area_title("due_diligence"), "Due diligence");
        assert_eq!(area_title(""), "");
    }
}
