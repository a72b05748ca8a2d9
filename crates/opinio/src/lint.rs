//! Checks that need the knowledge base's vocabulary: warnings, never errors.

use crate::check::program::Tuple;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Truth;
use crate::Scenario;

/// Warns when an operation has an actor but no declared State, other than the States it
/// affects, could be its author (SEMANTICS.md, "Types and domains"). Only runs when the
/// knowledge base has the vocabulary (`conducted_by`, `state`, `affected`).
pub fn author_warnings(s: &Scenario) -> Vec<Diagnostic> {
    let program = s.program();
    let (Some(conducted), Some(state), Some(affected)) = (
        program.predicate_id("conducted_by"),
        program.predicate_id("state"),
        program.predicate_id("affected"),
    ) else {
        return Vec::new();
    };
    let Ok(pos) = s.position_id(None) else {
        return Vec::new();
    };
    let Ok(model) = s.model(pos) else {
        return Vec::new();
    };
    let facts = s.fact_set();
    let states: Vec<u32> = facts
        .stated
        .get(state.index())
        .map(|m| {
            m.iter()
                .filter(|(_, v)| **v == Truth::True)
                .filter_map(|(t, _)| t.first().copied())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut ops: Vec<(u32, crate::source::Span)> = s
        .facts()
        .iter()
        .filter(|f| f.pred == conducted && f.value == Truth::True)
        .filter_map(|f| f.args.first().map(|o| (*o, f.span)))
        .collect();
    ops.sort();
    ops.dedup_by_key(|(o, _)| *o);
    for (op, span) in ops {
        let possible_author = states.iter().any(|st| {
            let t: Tuple = [op, *st].into_iter().collect();
            model.value(affected, &t) == Truth::False
        });
        if !possible_author {
            let name = s.interner().name(op).to_string();
            out.push(
                Diagnostic::warning(
                    crate::diagnostic::Code::NoPossibleAuthor,
                    format!("no declared State could be the author of `{name}`"),
                )
                .with_label(span, "the operation's actor is stated here")
                .with_help(format!(
                    "every declared State is affected by `{name}`; to leave the author open, declare the suspected State or a placeholder such as `state(unidentified_state).`"
                )),
            );
        }
    }
    out
}
