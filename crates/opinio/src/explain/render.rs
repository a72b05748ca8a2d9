//! Explanations as text: an indented tree a lawyer reads like a note.

use super::{Basis, Explanation, Node};
use crate::syntax::ast::Truth;
use std::fmt::Write as _;

/// Colours for values, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub colour: bool,
}

fn value_text(v: Truth, style: Style) -> String {
    paint(v.as_str(), v, style.colour)
}

/// Text in the colour of a value (green true, red false, yellow unknown), or plain.
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

/// The whole explanation as text. `colour` adds ANSI colours to values.
pub fn render_text(e: &Explanation, colour: bool) -> String {
    let style = Style { colour };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} is {} under {}",
        e.atom,
        value_text(e.value, style),
        e.position
    );
    node(&mut out, &e.tree, 1, style, true, false);
    if !e.missing_facts.is_empty() {
        let _ = writeln!(out, "\nMissing facts this answer rests on:");
        for m in &e.missing_facts {
            let _ = writeln!(out, "  - {m}");
        }
    }
    if !e.unsettled_points.is_empty() {
        let _ = writeln!(out, "\nPoints of law left open:");
        for p in &e.unsettled_points {
            let _ = writeln!(out, "  - {}: {}", p.point, p.reason);
        }
    }
    sets(
        &mut out,
        "would make it true",
        &e.would_make_true,
        e.true_needs_settled_law,
    );
    sets(
        &mut out,
        "would make it false",
        &e.would_make_false,
        e.false_needs_settled_law,
    );
    if e.cannot_be_settled_by_facts_alone {
        let _ = writeln!(
            out,
            "\nThis cannot be settled by facts alone: it turns on the open points of law above."
        );
    }
    for n in &e.stipulation_notes {
        let _ = writeln!(out, "\nNote: {n}");
    }
    out
}

fn sets(out: &mut String, what: &str, sets: &[Vec<super::FactValue>], needs_law: bool) {
    if e_is_empty(sets) && !needs_law {
        return;
    }
    let _ = writeln!(out, "\nFacts that {what}:");
    if needs_law {
        let _ = writeln!(
            out,
            "  - none: the open points of law would have to be settled first"
        );
        return;
    }
    for s in sets {
        let _ = writeln!(out, "  - {}", super::fact_set_text(s));
    }
}

fn e_is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

fn basis_text(n: &Node) -> String {
    match &n.basis {
        Basis::Rule { name, citations } => {
            if citations.is_empty() {
                format!("rule {name}")
            } else {
                format!("rule {name} [{}]", citations.join("; "))
            }
        }
        Basis::NoRule { citations } if !citations.is_empty() => {
            format!("{} [{}]", n.reason, citations.join("; "))
        }
        Basis::Settled {
            by,
            citations,
            point,
            ..
        } => {
            if citations.is_empty() {
                format!("{point}: settled by {by}")
            } else {
                format!("{point}: settled by {by} [{}]", citations.join("; "))
            }
        }
        Basis::UnsettledLaw { reason, .. } => format!("unsettled law: {reason}"),
        _ => n.reason.clone(),
    }
}

fn node(out: &mut String, n: &Node, depth: usize, style: Style, top: bool, parent_inherited: bool) {
    let indent = "  ".repeat(depth);
    let why = basis_text(n);
    let is_rule_line = n.label.starts_with("by rule ");
    if top {
        if !why.is_empty() {
            let _ = writeln!(out, "{indent}because: {why}");
        }
    } else if is_rule_line {
        let _ = writeln!(out, "{indent}- {}: {}", n.label, value_text(n.value, style));
        if let Basis::Rule { citations, .. } = &n.basis {
            if !citations.is_empty() {
                let _ = writeln!(out, "{indent}  cites {}", citations.join("; "));
            }
        }
        if !n.reason.is_empty() && !n.reason.starts_with("rule ") {
            let _ = writeln!(out, "{indent}  ({})", n.reason);
        }
    } else if why.is_empty() {
        let _ = writeln!(out, "{indent}- {}: {}", n.label, value_text(n.value, style));
    } else {
        let _ = writeln!(
            out,
            "{indent}- {}: {} — {why}",
            n.label,
            value_text(n.value, style)
        );
    }
    // Say once, where it starts, that a conclusion is inherited.
    if let Some(i) = &n.inherited {
        if !parent_inherited {
            let _ = writeln!(out, "{indent}  ({i})");
        }
    }
    if let Some(e) = &n.endorsed {
        let _ = writeln!(out, "{indent}  ({e})");
    }
    for w in &n.withdrawn {
        let _ = writeln!(out, "{indent}  not in force: {w}");
    }
    for note in &n.notes {
        let _ = writeln!(out, "{indent}  note: {note}");
    }
    let inherited = parent_inherited || n.inherited.is_some();
    for c in &n.children {
        node(out, c, depth + 1, style, false, inherited);
    }
}
