//! # Opinio
//!
//! A rules engine for reasoning about the legality of cyber operations under international
//! law, in three values (true / false / unknown), with competing interpretations
//! ("positions") and explanations that cite their sources.
//!
//! ## The API an embedding program uses
//!
//! - [`KnowledgeBase`]: the law, checked and compiled for every position — the bundled one
//!   ([`KnowledgeBase::bundled`]), a folder, or texts.
//! - [`Scenario`]: the facts of a case on a knowledge base; it answers goals
//!   ([`Scenario::query`], or [`Scenario::query_goal`] on a parsed [`Goal`] → [`QueryResult`]
//!   of [`Answer`]s with a [`Truth`]), compares positions
//!   ([`Scenario::compare`] → [`PositionRow`]s), explains an answer ([`Scenario::explain`] →
//!   [`Explanation`], a typed tree) and runs `expect` cases.
//! - [`Limits`] and [`Cancel`] bound an evaluation; [`Error`] is what a question can fail
//!   with: a [`LoadError`] (the user's text is wrong, with [`Diagnostic`]s) or an
//!   [`EvalError`] (a limit was reached).
//!
//! ## Language tools
//!
//! [`syntax`] (parser, spanned syntax tree, symbols and their definitions), [`fmt`] (the
//! formatter and the lexer it shares with the REPL's highlighter), [`source`] and
//! [`diagnostic`] are public for tools built on the language: the fuzz targets, the tests'
//! reference evaluator, an editor.
//!
//! ## The pipeline
//!
//! Data flows one way (a test fails on a cycle between modules): text → [`syntax`] → check
//! (names, types, variable safety, positions) → [`program`] → graph (dependencies, strata) →
//! [`eval`] (semi-naive least fixpoint in three values) → [`explain`]; [`kb`] and the scenario
//! tie them together. `docs/architecture.md` draws it.
//!
//! ```
//! use opinio::{KnowledgeBase, Scenario, Truth};
//! let kb = KnowledgeBase::bundled().unwrap();
//! let mut case = Scenario::new(&kb);
//! case.add_text("case.opinio", "
//!     state(norland). state(vesta).
//!     operation(tally_swap).
//!     conducted_by(tally_swap, vesta_intelligence).
//!     organ_of(vesta_intelligence, vesta).
//!     interferes_with_governmental_function(tally_swap, norland).
//! ").unwrap();
//! let answer = case.query("violates_sovereignty(tally_swap, norland)", None).unwrap();
//! assert_eq!(answer.answers[0].value, Truth::True);
//! let uk = case.query("violates_sovereignty(tally_swap, norland)", Some("uk")).unwrap();
//! assert_eq!(uk.answers[0].value, Truth::False);
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Nothing a user types or loads may crash Opinio: no panicking shortcuts in library code.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod check;
pub mod date;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod fmt;
mod graph;
pub mod json;
pub mod kb;
mod lint;
pub mod program;
mod scenario;
pub mod source;
pub mod syntax;

pub use date::{Date, DateError};
pub use diagnostic::{Diagnostic, Severity};
pub use eval::{Bounds, Cancel, EvalError, Limits, MagicSets};
pub use explain::Explanation;
pub use kb::{CompiledError, KnowledgeBase, LoadError};
pub use program::Goal;
pub use scenario::{
    Answer, AsOf, Error, ExpectationOutcome, LimitsRecord, PositionRow, Provenance, QueryResult,
    Scenario, Shape,
};
pub use syntax::ast::Truth;
