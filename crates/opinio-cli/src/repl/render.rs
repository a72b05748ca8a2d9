//! Answers as text: the one-line reason after `?`, the failures `:whynot` lists and the
//! missing facts `:missing` shows. Pure functions of an [`Explanation`]; the trees themselves
//! are rendered by the library ([`opinio::explain::render_text`]).

use crate::style::paint;
use opinio::explain::{Basis, Explanation, Node, Reason};
use opinio::syntax::ast::Truth;

/// The reason an answer has its value, in one line; `title` names an open point of law by its
/// short title.
pub(super) fn one_line_reason(e: &Explanation, title: &dyn Fn(&str) -> String) -> String {
    let t = &e.tree;
    let mut s = match (&t.basis, e.value) {
        (Basis::Stipulated, _) => "stipulated for argument's sake".to_string(),
        (Basis::Stated, v) => format!("stated {} in the facts", v.as_str()),
        (Basis::MissingFact, _) if t.reason == Reason::StatedUnknown => {
            "stated as unknown: nobody can tell".to_string()
        }
        (Basis::MissingFact, _) => "nobody has stated it: a missing fact".to_string(),
        (_, Truth::Unknown) => unknown_reason(e, title),
        (Basis::Rule { name, citations }, _) => {
            if citations.is_empty() {
                format!("by rule {name}")
            } else {
                format!("by rule {name} ({})", citations.join("; "))
            }
        }
        (Basis::AllRulesFail, _) if !t.withdrawn.is_empty() => format!(
            "the position withdraws the {} that would conclude it ({})",
            if t.withdrawn.len() == 1 {
                "rule"
            } else {
                "rules"
            },
            t.withdrawn
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Basis::AllRulesFail, _) => {
            let fails = failures(t);
            match fails.as_slice() {
                [one] => one.clone(),
                [] => "no rule reaches it on these facts".to_string(),
                more => format!(
                    "none of the {} rules that could conclude it applies (`:whynot` shows where each fails)",
                    more.len()
                ),
            }
        }
        _ => t.reason.to_string(),
    };
    if let Some(i) = &t.inherited {
        s.push_str(&format!(" ({i})"));
    }
    s
}

/// The reason of an unknown answer: the missing facts and open points of law it rests on.
fn unknown_reason(e: &Explanation, title: &dyn Fn(&str) -> String) -> String {
    let points: Vec<String> = e.unsettled_points.iter().map(|p| title(&p.point)).collect();
    if e.cannot_be_settled_by_facts_alone {
        return format!(
            "turns on an open point of law ({}): facts alone cannot settle it",
            points.join(", ")
        );
    }
    let mut parts = Vec::new();
    if !e.missing_facts.is_empty() {
        let missing: Vec<String> = e
            .missing_facts
            .iter()
            .map(|m| format!("{m}{}", e.stated_unknown_mark(m)))
            .collect();
        parts.push(format!(
            "rests on missing facts: {}",
            short_list(&missing, 3)
        ));
    }
    if !points.is_empty() {
        parts.push(format!(
            "{} an open point of law ({})",
            if parts.is_empty() {
                "turns on"
            } else {
                "and on"
            },
            points.join(", ")
        ));
    }
    if parts.is_empty() {
        e.tree.reason.to_string()
    } else {
        parts.join(" ")
    }
}

/// The first `n` items, and how many more there are.
fn short_list(items: &[String], n: usize) -> String {
    if items.len() <= n {
        return items.join(", ");
    }
    let shown = items.get(..n).unwrap_or(items).join(", ");
    format!("{shown} and {} more", items.len() - n)
}

/// For a false conclusion: per rule that could have reached it, what kept it from applying.
pub(super) fn failures(t: &Node) -> Vec<String> {
    t.children
        .iter()
        .filter_map(|c| {
            let rule = c.rule_instance()?;
            Some(match c.children.first() {
                Some(f) => match f.label.unless_part() {
                    Some(exc) => format!("rule {rule} does not apply: its exception holds ({exc})"),
                    None => format!(
                        "rule {rule} needs {}, which is {}",
                        f.label,
                        f.value.as_str()
                    ),
                },
                None if c.reason != Reason::None => format!("rule {rule}: {}", c.reason),
                None => format!("rule {rule} does not apply"),
            })
        })
        .collect()
}

/// `:missing` for one open answer.
/// `all`: the search was `:missing --all`'s, whose caps are already lifted, so a list that is
/// still cut points to stating facts rather than to `--all` again.
pub(super) fn missing_text(e: &Explanation, colour: bool, all: bool) -> String {
    let mut out = format!(
        "{} is {} under {}.\n",
        e.atom,
        paint("unknown", Truth::Unknown, colour),
        e.position
    );
    if !e.missing_facts.is_empty() {
        if e.missing_facts.iter().any(|m| e.is_stated_unknown(m)) {
            out.push_str(
                "It rests on these facts, which nobody has stated or which are stated unknown:\n",
            );
        } else {
            out.push_str("It rests on these facts, which nobody has stated:\n");
        }
        for m in &e.missing_facts {
            out.push_str(&format!(
                "  - {}{}\n",
                opinio::explain::plain(m),
                e.stated_unknown_mark(m)
            ));
        }
    }
    for p in &e.unsettled_points {
        out.push_str(&format!(
            "It turns on an open point of law, {} ({}): {}\n",
            p.title, p.point, p.reason
        ));
    }
    if e.cannot_be_settled_by_facts_alone {
        out.push_str("No facts can settle it: the open point of law would have to be settled first. `:compare` shows how the positions settle it.\n");
        return out.trim_end().to_string();
    }
    let limits = &e.settling_limits;
    for (what, sets, needs_law, count) in [
        (
            "true",
            &e.would_make_true,
            e.true_needs_settled_law,
            limits.true_sets,
        ),
        (
            "false",
            &e.would_make_false,
            e.false_needs_settled_law,
            limits.false_sets,
        ),
    ] {
        if needs_law {
            out.push_str(&format!(
                "No facts alone would make it {what}: the open point of law would have to be settled first.\n"
            ));
            continue;
        }
        if sets.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "Facts that would make it {what} (any one line suffices):\n"
        ));
        for s in sets.iter() {
            out.push_str(&format!("  - {}\n", opinio::explain::fact_set_text(s)));
        }
        if !count.is_complete() {
            out.push_str(&format!("  ({})\n", cut_words(count, all)));
        }
    }
    if !limits.candidates.is_complete() && !limits.is_empty() && all {
        out.push_str(&format!(
            "(Only {} of the {} missing facts were tried for these sets: stating some of them narrows the search.)\n",
            limits.candidates.shown, limits.candidates.total
        ));
    } else if !limits.candidates.is_complete() && !limits.is_empty() {
        out.push_str(&format!(
            "(Only {} of the {} missing facts were tried for these sets; `:missing --all GOAL` tries them all.)\n",
            limits.candidates.shown, limits.candidates.total
        ));
    }
    out.trim_end().to_string()
}

/// A list of settling sets that was cut, in the session's words.
fn cut_words(count: opinio::explain::Shown, all: bool) -> String {
    if all {
        // `--all` lifted the caps on the sets and the facts tried: only the bound on the
        // evaluations of the search (`ExplainOptions::all`) can have stopped it.
        let found = if count.shown < count.total {
            format!(
                "the first {} of {}{}: ",
                count.shown,
                if count.exact { "" } else { "at least " },
                count.total
            )
        } else {
            String::new()
        };
        return format!(
            "{found}the search stopped before trying every combination, so there may be more; stating some of the facts above narrows it"
        );
    }
    if count.shown < count.total {
        format!(
            "the first {} of {}{}; `:missing --all GOAL` lists all",
            count.shown,
            if count.exact { "" } else { "at least " },
            count.total
        )
    } else {
        "the search stopped before trying every combination, so there may be more; `:missing --all GOAL` searches further".to_string()
    }
}

/// How an answer to a question with variables is named in a list: its bindings
/// (`V = ukraine, W = gru`), or its atom when it has none.
pub(super) fn answer_label(a: &opinio::Answer) -> String {
    if a.bindings.is_empty() {
        return a.atom.clone();
    }
    a.bindings
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
