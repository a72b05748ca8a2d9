//! Checks that need the knowledge base's vocabulary: warnings, never errors. They read an
//! evaluated model handed to them and evaluate nothing themselves.

use crate::diagnostic::Diagnostic;
use crate::eval::{FactSet, Model};
use crate::program::{GroundFact, Interner, Program, Tuple};
use crate::syntax::ast::Truth;
use std::sync::Arc;

/// Warns when an operation has an actor but no declared State, other than the States it
/// affects, could be its author (SEMANTICS.md, "Types and domains"). Only runs when the
/// knowledge base has the vocabulary (`conducted_by`, `state`, `affected`). `facts` are the
/// scenario's stated facts, `fact_set` those and the knowledge base's; `model` gives the
/// evaluation under the default position (asked for only when the vocabulary is there).
pub(crate) fn author_warnings(
    program: &Program,
    interner: &Interner,
    facts: &[GroundFact],
    fact_set: &FactSet,
    model: impl FnOnce() -> Option<Arc<Model>>,
) -> Vec<Diagnostic> {
    let (Some(conducted), Some(state), Some(affected)) = (
        program.predicate_id("conducted_by"),
        program.predicate_id("state"),
        program.predicate_id("affected"),
    ) else {
        return Vec::new();
    };
    let Some(model) = model() else {
        return Vec::new();
    };
    let states: Vec<u32> = fact_set
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
    let mut ops: Vec<(u32, crate::source::Span)> = facts
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
            let name = interner.name(op).to_string();
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
