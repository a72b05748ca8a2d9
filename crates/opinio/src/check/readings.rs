//! Plain language: a predicate's `reads "…"` template (every `{slot}` a slot of the predicate,
//! braces balanced, no slot forgotten) and the short titles of open points
//! (`unsettled POINT titled "…".`: a point some rule raises, titled once).

use super::Checker;
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::program::{Reading, ReadingPart};
use crate::source::Span;
use crate::syntax::ast;
use rustc_hash::FxHashMap;

impl Checker {
    /// The checked reading of a predicate's declaration: placeholders resolved to slot
    /// indexes. Reports placeholders that name no slot and stray braces (errors), and slots
    /// the reading never mentions (a warning). Placeholders in error are left out.
    pub(super) fn check_reading(&mut self, p: &ast::PredicateDecl, r: &ast::Reading) -> Reading {
        let slot_names: Vec<&str> = p.slots.iter().map(|s| s.name.text.as_str()).collect();
        for &brace in &r.stray_braces {
            self.err(
                Diagnostic::error(
                    Code::ReadingUnbalancedBrace,
                    format!(
                        "this brace in the reading of `{}` opens or closes no slot",
                        p.name.text
                    ),
                )
                .with_label(brace, "unbalanced brace")
                .with_help(format!(
                    "write each slot between a pair of braces, as in `{}`; a reading has no other use for braces",
                    example(&slot_names)
                )),
            );
        }
        let mut parts = Vec::new();
        let mut used = vec![false; slot_names.len()];
        for part in &r.parts {
            match part {
                ast::ReadingPart::Words(w) => parts.push(ReadingPart::Words(w.clone())),
                ast::ReadingPart::Slot(name) => {
                    match slot_names.iter().position(|s| *s == name.text) {
                        Some(i) => {
                            if let Some(u) = used.get_mut(i) {
                                *u = true;
                            }
                            parts.push(ReadingPart::Slot(i));
                        }
                        None => self.err(unknown_slot(p, name, &slot_names)),
                    }
                }
            }
        }
        let unused: Vec<&str> = slot_names
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| *s)
            .collect();
        if !unused.is_empty() {
            let braced: Vec<String> = unused.iter().map(|s| format!("{{{s}}}")).collect();
            let list = quoted(&braced.iter().map(|s| s.as_str()).collect::<Vec<_>>());
            let (what, them) = if unused.len() == 1 {
                (format!("the slot `{}`", unused.join("")), "it belongs")
            } else {
                (format!("the slots {}", quoted(&unused)), "they belong")
            };
            self.err(
                Diagnostic::warning(
                    Code::ReadingUnusedSlot,
                    format!("the reading of `{}` never mentions {what}", p.name.text),
                )
                .with_label(r.text.span, "no placeholder for it here")
                .with_help(format!(
                    "add {list} where {them} in the sentence; otherwise statements about different values read the same"
                )),
            );
        }
        Reading {
            template: r.text.value.clone(),
            parts,
        }
    }

    /// Gives the open points their short titles (`unsettled POINT titled "…".`): the point
    /// must be raised by some rule, and titled once.
    pub(super) fn title_points(&mut self, titles: &[&ast::PointTitleDecl]) {
        let mut first: FxHashMap<&str, Span> = FxHashMap::default();
        for t in titles {
            let name = t.point.text.as_str();
            if !self.raised_points.contains(name) {
                let mut raised: Vec<&str> = self.raised_points.iter().map(|s| s.as_str()).collect();
                raised.sort_unstable();
                let help = match did_you_mean(name, raised.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "a title names a point that some rule leaves open with `unsettled(point, \"why\")`".to_string(),
                };
                self.err(
                    Diagnostic::error(
                        Code::UnknownPoint,
                        format!("no rule leaves the point `{name}` unsettled"),
                    )
                    .with_label(t.point.span, "nothing to give a title to")
                    .with_help(help),
                );
                continue;
            }
            if let Some(&prev) = first.get(name) {
                self.err(
                    Diagnostic::error(
                        Code::DuplicateTitle,
                        format!("the point `{name}` is given a title twice"),
                    )
                    .with_label(t.point.span, "titled again here")
                    .with_label(prev, "first titled here")
                    .with_help("keep one short title; the point's full reason stays with the rule that raises it"),
                );
                continue;
            }
            first.insert(name, t.point.span);
            if let Some(id) = self.program.point_id(name) {
                if let Some(p) = self.program.points.get_mut(id.index()) {
                    p.title = Some(t.title.value.clone());
                }
            }
        }
    }
}

/// A placeholder that names no slot of the predicate.
fn unknown_slot(p: &ast::PredicateDecl, name: &ast::Name, slots: &[&str]) -> Diagnostic {
    let message = if name.text.is_empty() {
        format!(
            "an empty placeholder `{{}}` in the reading of `{}`",
            p.name.text
        )
    } else {
        format!(
            "`{{{}}}` in the reading of `{}` is not one of its slots",
            name.text, p.name.text
        )
    };
    let suggestion = if name.text.is_empty() {
        None
    } else {
        did_you_mean(&name.text, slots.iter().copied())
    };
    let help = match (suggestion, slots) {
        (_, []) => format!(
            "`{}` has no slots: its reading is a sentence without placeholders",
            p.name.text
        ),
        (Some(s), _) => format!(
            "did you mean `{{{s}}}`? the slots of `{}` are {}",
            p.name.text,
            quoted(slots)
        ),
        (None, _) => format!(
            "a placeholder names a slot of the predicate; the slots of `{}` are {}",
            p.name.text,
            quoted(slots)
        ),
    };
    Diagnostic::error(Code::ReadingUnknownSlot, message)
        .with_label(name.span, "no slot of this name")
        .with_help(help)
}

/// `` `a`, `b` and `c` ``.
fn quoted(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `{a} … {b}` for the help of a stray brace.
fn example(slots: &[&str]) -> String {
    match slots {
        [] => "\"the sentence\"".to_string(),
        [one] => format!("\"{{{one}}} …\""),
        [one, two, ..] => format!("\"{{{one}}} … {{{two}}}\""),
    }
}
