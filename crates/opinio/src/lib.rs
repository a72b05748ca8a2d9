//! # Opinio
//!
//! A rules engine for reasoning about the legality of cyber operations under international
//! law, in three values (true / false / unknown), with competing interpretations
//! ("positions") and explanations that cite their sources.
//!
//! The layers, each a module: [`syntax`] (text → syntax tree), [`check`] (names, types,
//! safety, positions), [`graph`] (dependencies and strata), [`eval`] (three-valued
//! evaluation), [`explain`] (why an answer is what it is), [`kb`] (loading knowledge bases).
//! [`KnowledgeBase`] and [`Scenario`] are the entry points.
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
// Nothing a user types or loads may crash Opinio: no panicking shortcuts in library code.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod check;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod graph;
pub mod json;
pub mod kb;
mod lint;
pub mod program;
mod scenario;
pub mod source;
pub mod syntax;

pub use diagnostic::{Diagnostic, Severity};
pub use eval::{Bounds, Cancel, EvalError, Limits};
pub use explain::Explanation;
pub use kb::{KnowledgeBase, LoadError};
pub use scenario::{Answer, Error, ExpectationOutcome, PositionRow, QueryResult, Scenario};
pub use syntax::ast::Truth;
