//! `:graph`: the rule dependency graph of a position as Graphviz DOT.
//!
//! An arrow runs from a predicate a rule reads to the predicate the rule concludes, labelled
//! with the rule's name; it is dashed when the rule reads the predicate under `not` or
//! `unless`. Around a predicate, the graph keeps what it rests on (its ancestors) and what
//! rests on it (its descendants).

use opinio::kb::RuleDependency;
use opinio::program::{PosId, PredId, Program};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

/// The DOT text and its size.
pub struct Dot {
    pub text: String,
    pub nodes: usize,
    pub edges: usize,
}

/// The graph of the rules in force under `pos`, whole or around one predicate.
pub fn dot(program: &Program, pos: PosId, around: Option<PredId>) -> Dot {
    let deps = opinio::kb::dependencies(program, pos);
    // (from, to, rule name, negative), by predicate names, deduplicated and sorted.
    let mut edges: BTreeSet<(String, String, String, bool)> = BTreeSet::new();
    let keep: Option<BTreeSet<PredId>> = around.map(|p| {
        let mut set = reachable(&deps, p, |d| (d.to, d.from));
        set.extend(reachable(&deps, p, |d| (d.from, d.to)));
        set.insert(p);
        set
    });
    for d in &deps {
        if let Some(k) = &keep {
            if !(k.contains(&d.from) && k.contains(&d.to)) {
                continue;
            }
        }
        edges.insert((
            program.predicate(d.from).name.clone(),
            program.predicate(d.to).name.clone(),
            program.rule(d.rule).name.clone(),
            d.negated,
        ));
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (f, t, _, _) in &edges {
        names.insert(f.clone());
        names.insert(t.clone());
    }
    if let Some(p) = around {
        names.insert(program.predicate(p).name.clone());
    }
    let position = &program.position(pos).name;
    let mut out = String::new();
    let _ = writeln!(out, "digraph opinio {{");
    match around {
        Some(p) => {
            let _ = writeln!(
                out,
                "  // What `{}` rests on and what rests on it, under the position {position}.",
                program.predicate(p).name
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  // How the conclusions depend on each other under the position {position}."
            );
        }
    }
    let _ = writeln!(
        out,
        "  // An arrow runs from what a rule reads to what it concludes; dashed: read under `not` or `unless`."
    );
    let _ = writeln!(
        out,
        "  // Boxes are conclusions the rules draw; ovals are facts a scenario states."
    );
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(out, "  node [fontname=\"Helvetica\"];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for name in &names {
        let Some(id) = program.predicate_id(name) else {
            continue;
        };
        let info = program.predicate(id);
        let shape = if info.derived { "box" } else { "ellipse" };
        let mut attrs = format!("shape={shape}");
        if Some(id) == around {
            attrs.push_str(", style=bold");
        }
        if let Some(m) = &info.meaning {
            let _ = write!(attrs, ", tooltip={}", quote(m));
        }
        let _ = writeln!(out, "  {} [{attrs}];", quote(name));
    }
    for (f, t, rule, negative) in &edges {
        let style = if *negative { ", style=dashed" } else { "" };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            quote(f),
            quote(t),
            quote(rule)
        );
    }
    out.push_str("}\n");
    Dot {
        text: out,
        nodes: names.len(),
        edges: edges.len(),
    }
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

    #[test]
    fn graph_around_a_predicate_is_valid_dot() {
        let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"));
        let program = kb.program();
        let pos = program.default_position_or_first().unwrap_or(PosId(0));
        let p = program
            .predicate_id("violates_sovereignty")
            .unwrap_or(PredId(0));
        let d = dot(program, pos, Some(p));
        assert!(d.text.starts_with("digraph opinio {"));
        assert!(d.text.ends_with("}\n"));
        assert!(d
            .text
            .contains("\"attributable\" -> \"violates_sovereignty\""));
        assert!(
            d.text.contains("style=dashed"),
            "consent is read under `unless`"
        );
        assert!(d.nodes > 3 && d.edges > 3);
        let whole = dot(program, pos, None);
        assert!(whole.nodes > d.nodes);
    }

    #[test]
    fn quotes_are_escaped() {
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
