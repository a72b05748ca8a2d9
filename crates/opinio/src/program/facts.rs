//! Checked facts and expectations, and the members a closed predicate lists.

use super::{Atom, PosId, PredId, Sym, Tuple};
use crate::source::Span;
use crate::syntax::ast::Truth;

/// A fact with its constants resolved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroundFact {
    /// The predicate stated.
    pub pred: PredId,
    /// Its constants, one per slot.
    pub args: Tuple,
    /// What is stated: true, false (`not ...`) or unknown (`unknown ...`).
    pub value: Truth,
    /// The statement in the text.
    pub span: Span,
}

/// An `expect` statement: a goal and the value it should have.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Expectation {
    /// The position asked about; `None` for the default one.
    pub position: Option<PosId>,
    /// The goal, ground.
    pub goal: Atom,
    /// The value expected.
    pub value: Truth,
    /// The statement in the text.
    pub span: Span,
    /// The goal as the user wrote it.
    pub text: String,
}

/// The members of a type declared `from` a closed one-slot predicate: the constants of the
/// atoms of that predicate stated true, sorted, without repeats. `stated` holds the
/// predicate's statements as (constants, value).
///
/// Whether something is a member cannot be left open: an atom stated false or unknown lists
/// nothing (the engine never reasons over unnamed members).
pub fn listed_members<'a>(stated: impl IntoIterator<Item = (&'a [Sym], Truth)>) -> Vec<Sym> {
    let mut members: Vec<Sym> = stated
        .into_iter()
        .filter(|(_, value)| *value == Truth::True)
        .filter_map(|(args, _)| args.first().copied())
        .collect();
    members.sort_unstable();
    members.dedup();
    members
}
