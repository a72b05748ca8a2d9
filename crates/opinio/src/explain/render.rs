//! Explanations as text: a short summary, then an indented tree a lawyer reads like a note.
//! This file lays out, folds, wraps and colours; the words come from `text`.

use super::text::{basis_text, decisive, fact_set_text, headline, plain, words};
use super::types::{Basis, Explanation, FactValue, Label, Node, Reason, Shown, Term};
use crate::syntax::ast::Truth;
use rustc_hash::FxHashSet;
use std::fmt::Write as _;

fn value_text(v: Truth, colour: bool) -> String {
    paint(v.as_str(), v, colour)
}

/// Text in the colour of a value (green true, red false, yellow unknown) as ANSI escapes, or
/// plain when `colour` is false.
pub fn paint(text: &str, v: Truth, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match v {
        Truth::True => "32",
        Truth::False => "31",
        Truth::Unknown => "33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// How an explanation is laid out as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Paint values with ANSI colours.
    pub colour: bool,
    /// Show the tree this many levels deep (`None`: all of it); the summary and the lists
    /// after the tree are always shown.
    pub depth: Option<usize>,
    /// Wrap lines to this many columns, continuation lines indented under their item
    /// (`None`: no wrapping).
    pub width: Option<usize>,
    /// The front end's words for lifting a cap when a list was cut (e.g. "`:missing --all`
    /// lists all"); appended to the note that says what was cut.
    pub more_hint: Option<String>,
}

/// The whole explanation as text, ending in a newline: a summary (the answer, what decided
/// it and, for an unknown, why), the tree, then the missing facts, open points and settling
/// sets. `colour` adds ANSI colours to values. [`render_text_with`] chooses depth and width.
pub fn render_text(e: &Explanation, colour: bool) -> String {
    render_text_with(
        e,
        &RenderOptions {
            colour,
            ..RenderOptions::default()
        },
    )
}

/// [`render_text`] with a depth, a width and the front end's hint for lifting caps.
pub fn render_text_with(e: &Explanation, options: &RenderOptions) -> String {
    let colour = options.colour;
    let mut w = Writer {
        out: String::new(),
        width: options.width,
    };
    w.line("", "", &headline(e, &value_text(e.value, colour)));
    w.line(
        "  ",
        "    ",
        &format!("{}: {}", words::DECIDED_BY, decisive(e)),
    );
    if let Some(u) = &e.unknown {
        w.line("  ", "    ", &format!("{}: {u}", words::WHY_UNKNOWN));
    }
    if let Some(t) = &e.time {
        w.line("", "", &t.to_string());
    }
    w.out.push('\n');
    let mut tree = Tree {
        w: &mut w,
        colour,
        max_depth: options.depth,
        noted: FxHashSet::default(),
    };
    tree.node(&e.tree, 1, true, false);
    if !e.missing_facts.is_empty() {
        w.out.push('\n');
        w.line("", "", words::MISSING_FACTS);
        for m in &e.missing_facts {
            w.line(
                "  - ",
                "    ",
                &format!("{}{}", plain(m), e.stated_unknown_mark(m)),
            );
        }
    }
    if !e.unsettled_points.is_empty() {
        w.out.push('\n');
        w.line("", "", words::OPEN_POINTS);
        for p in &e.unsettled_points {
            w.line(
                "  - ",
                "    ",
                &format!("{} ({}): {}", p.title, p.point, p.reason),
            );
        }
    }
    let hint = options.more_hint.as_deref();
    let lim = &e.settling_limits;
    w.sets(
        words::WOULD_MAKE_TRUE,
        &e.would_make_true,
        e.true_needs_settled_law,
        lim.true_sets,
        hint,
    );
    w.sets(
        words::WOULD_MAKE_FALSE,
        &e.would_make_false,
        e.false_needs_settled_law,
        lim.false_sets,
        hint,
    );
    if !lim.candidates.is_complete() && !lim.is_empty() {
        w.line(
            "  ",
            "    ",
            &format!("({})", words::candidates_cut(lim.candidates, hint)),
        );
    }
    if e.cannot_be_settled_by_facts_alone {
        w.out.push('\n');
        w.line("", "", words::CANNOT_BE_SETTLED);
    }
    for n in &e.stipulation_notes {
        w.out.push('\n');
        w.line("", "", &format!("{}: {n}", words::NOTE));
    }
    w.out
}

/// Lines, wrapped to a width.
struct Writer {
    out: String,
    width: Option<usize>,
}

impl Writer {
    /// One item: `first` before its first line, `rest` before the lines it wraps onto.
    fn line(&mut self, first: &str, rest: &str, text: &str) {
        match self.width {
            Some(width) if width > rest.len() + 20 => {
                let opts = textwrap::Options::new(width)
                    .initial_indent(first)
                    .subsequent_indent(rest)
                    .break_words(false);
                for l in textwrap::wrap(text, &opts) {
                    let _ = writeln!(self.out, "{}", l.trim_end());
                }
            }
            _ => {
                let _ = writeln!(self.out, "{first}{text}");
            }
        }
    }

    fn sets(
        &mut self,
        heading: &str,
        sets: &[Vec<FactValue>],
        needs_law: bool,
        count: Shown,
        hint: Option<&str>,
    ) {
        if sets.is_empty() && !needs_law {
            return;
        }
        self.out.push('\n');
        self.line("", "", heading);
        if needs_law {
            self.line("  - ", "    ", words::NEEDS_SETTLED_LAW);
            return;
        }
        for s in sets {
            self.line("  - ", "    ", &fact_set_text(s));
        }
        if !count.is_complete() {
            self.line("  ", "    ", &format!("({})", words::sets_cut(count, hint)));
        }
    }
}

/// The walk that lays out the tree.
struct Tree<'a> {
    w: &'a mut Writer,
    colour: bool,
    max_depth: Option<usize>,
    /// Notes already printed: each is printed once.
    noted: FxHashSet<String>,
}

impl Tree<'_> {
    fn node(&mut self, n: &Node, depth: usize, top: bool, parent_inherited: bool) {
        let indent = "  ".repeat(depth);
        let more = format!("{indent}    ");
        let item = format!("{indent}- ");
        let under = format!("{indent}  ");
        let colour = self.colour;
        let why = basis_text(n);
        if top {
            if !why.is_empty() {
                self.w
                    .line(&indent, &more, &format!("{}: {why}", words::BECAUSE));
            }
        } else if let Label::Folded { .. } = n.label {
            self.w.line(&item, &more, &n.label.to_string());
        } else if let Label::RuleInstance { .. } = n.label {
            self.w.line(
                &item,
                &more,
                &format!("{}: {}", n.label, value_text(n.value, colour)),
            );
            if let Basis::Rule { citations, .. } = &n.basis {
                if !citations.is_empty() {
                    self.w.line(
                        &under,
                        &more,
                        &format!("{} {}", words::CITES, citations.join("; ")),
                    );
                }
            }
            // The rule's name is already on the line.
            if !matches!(
                n.reason,
                Reason::None | Reason::Rule(_) | Reason::RuleUndecided(_)
            ) {
                self.w.line(&under, &more, &format!("({})", n.reason));
            }
        } else if why.is_empty() {
            self.w.line(
                &item,
                &more,
                &format!("{}: {}", n.label, value_text(n.value, colour)),
            );
        } else {
            self.w.line(
                &item,
                &more,
                &format!("{}: {} — {why}", n.label, value_text(n.value, colour)),
            );
        }
        // Say once, where it starts, that a conclusion is inherited.
        if let Some(i) = &n.inherited {
            // "Not verified" is said wherever it applies: it is more than "inherited".
            if !parent_inherited || matches!(i, super::types::Inherited::Unverified { .. }) {
                self.w.line(&under, &more, &format!("({i})"));
            }
        }
        if let Some(e) = &n.endorsed {
            self.w.line(&under, &more, &format!("({e})"));
        }
        if let Some(l) = &n.later_statement {
            self.w.line(&under, &more, &format!("({l})"));
        }
        for wd in &n.withdrawn {
            self.w
                .line(&under, &more, &format!("{}: {wd}", words::NOT_IN_FORCE));
        }
        for note in &n.notes {
            if self.noted.insert(note.clone()) {
                self.w
                    .line(&under, &more, &format!("{}: {note}", words::NOTE_INLINE));
            }
        }
        let inherited = parent_inherited || n.inherited.is_some();
        let shown: Vec<&Node> = n.children.iter().filter(|c| !trivial(c)).collect();
        if shown.is_empty() {
            return;
        }
        if self.max_depth.is_some_and(|d| depth >= d) {
            let hidden: usize = shown.iter().map(|c| count(c)).sum();
            self.w.line(
                &format!("{indent}  "),
                &more,
                &words::deeper_left_out(hidden),
            );
            return;
        }
        for c in shown {
            self.node(c, depth + 1, false, inherited);
        }
        // Ways the tree leaves out (it shows a few): say how many.
        if let Reason::Ways(total) = n.reason {
            let shown: usize = n
                .children
                .iter()
                .map(|c| match &c.label {
                    Label::Folded { through, .. } => through.len(),
                    _ => 1,
                })
                .sum();
            if total > shown {
                let item = format!("{indent}  - ");
                self.w
                    .line(&item, &more, &words::ways_not_shown(total - shown));
            }
        }
    }
}

/// A node that says nothing a reader needs: an equation or inequation of two names that
/// holds (`physical_damage = physical_damage`, `russia != ukraine`), or parts that are all
/// such comparisons. An order that holds (`grave >= significant`) is shown: it is the
/// threshold the rule applies.
fn trivial(n: &Node) -> bool {
    match &n.label {
        Label::Comparison { left, op, right } => {
            n.value == Truth::True
                && matches!(
                    op,
                    crate::syntax::ast::CmpOp::Eq | crate::syntax::ast::CmpOp::Ne
                )
                && matches!(left, Term::Name(_))
                && matches!(right, Term::Name(_))
        }
        Label::Connective { .. } => {
            n.value == Truth::True && !n.children.is_empty() && n.children.iter().all(trivial)
        }
        _ => false,
    }
}

/// How many lines a subtree would take (one per node).
fn count(n: &Node) -> usize {
    1 + n
        .children
        .iter()
        .filter(|c| !trivial(c))
        .map(count)
        .sum::<usize>()
}
