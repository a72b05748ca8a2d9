//! Explanations as text: an indented tree a lawyer reads like a note. This file lays out and
//! colours; the words come from `text`.

use super::text::{basis_text, fact_set_text, headline, words};
use super::types::{Explanation, FactValue, Label, Node, Reason};
use crate::syntax::ast::Truth;
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

/// The whole explanation as text, one line per node, ending in a newline. `colour` adds ANSI
/// colours to values.
pub fn render_text(e: &Explanation, colour: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(e, &value_text(e.value, colour)));
    if let Some(t) = &e.time {
        let _ = writeln!(out, "{t}");
    }
    node(&mut out, &e.tree, 1, colour, true, false);
    if !e.missing_facts.is_empty() {
        let _ = writeln!(out, "\n{}", words::MISSING_FACTS);
        for m in &e.missing_facts {
            let _ = writeln!(out, "  - {m}");
        }
    }
    if !e.unsettled_points.is_empty() {
        let _ = writeln!(out, "\n{}", words::OPEN_POINTS);
        for p in &e.unsettled_points {
            let _ = writeln!(out, "  - {}: {}", p.point, p.reason);
        }
    }
    sets(
        &mut out,
        words::WOULD_MAKE_TRUE,
        &e.would_make_true,
        e.true_needs_settled_law,
    );
    sets(
        &mut out,
        words::WOULD_MAKE_FALSE,
        &e.would_make_false,
        e.false_needs_settled_law,
    );
    if e.cannot_be_settled_by_facts_alone {
        let _ = writeln!(out, "\n{}", words::CANNOT_BE_SETTLED);
    }
    for n in &e.stipulation_notes {
        let _ = writeln!(out, "\n{}: {n}", words::NOTE);
    }
    out
}

fn sets(out: &mut String, heading: &str, sets: &[Vec<FactValue>], needs_law: bool) {
    if sets.is_empty() && !needs_law {
        return;
    }
    let _ = writeln!(out, "\n{heading}");
    if needs_law {
        let _ = writeln!(out, "  - {}", words::NEEDS_SETTLED_LAW);
        return;
    }
    for s in sets {
        let _ = writeln!(out, "  - {}", fact_set_text(s));
    }
}

fn node(out: &mut String, n: &Node, depth: usize, colour: bool, top: bool, parent_inherited: bool) {
    let indent = "  ".repeat(depth);
    let why = basis_text(n);
    if top {
        if !why.is_empty() {
            let _ = writeln!(out, "{indent}{}: {why}", words::BECAUSE);
        }
    } else if let Label::RuleInstance { .. } = n.label {
        let _ = writeln!(
            out,
            "{indent}- {}: {}",
            n.label,
            value_text(n.value, colour)
        );
        if let super::Basis::Rule { citations, .. } = &n.basis {
            if !citations.is_empty() {
                let _ = writeln!(out, "{indent}  {} {}", words::CITES, citations.join("; "));
            }
        }
        // The rule's name is already on the line.
        if !matches!(
            n.reason,
            Reason::None | Reason::Rule(_) | Reason::RuleUndecided(_)
        ) {
            let _ = writeln!(out, "{indent}  ({})", n.reason);
        }
    } else if why.is_empty() {
        let _ = writeln!(
            out,
            "{indent}- {}: {}",
            n.label,
            value_text(n.value, colour)
        );
    } else {
        let _ = writeln!(
            out,
            "{indent}- {}: {} — {why}",
            n.label,
            value_text(n.value, colour)
        );
    }
    // Say once, where it starts, that a conclusion is inherited.
    if let Some(i) = &n.inherited {
        // "Not verified" is said wherever it applies: it is more than "inherited".
        if !parent_inherited || matches!(i, super::types::Inherited::Unverified { .. }) {
            let _ = writeln!(out, "{indent}  ({i})");
        }
    }
    if let Some(e) = &n.endorsed {
        let _ = writeln!(out, "{indent}  ({e})");
    }
    if let Some(l) = &n.later_statement {
        let _ = writeln!(out, "{indent}  ({l})");
    }
    for w in &n.withdrawn {
        let _ = writeln!(out, "{indent}  {}: {w}", words::NOT_IN_FORCE);
    }
    for note in &n.notes {
        let _ = writeln!(out, "{indent}  {}: {note}", words::NOTE_INLINE);
    }
    let inherited = parent_inherited || n.inherited.is_some();
    for c in &n.children {
        node(out, c, depth + 1, colour, false, inherited);
    }
}
