//! Evaluation in three values.
//!
//! A position's rules are compiled once ([`compile`]): each body is planned (its conjuncts
//! ordered for joins), and the rules are grouped by the strata of the dependency graph. A
//! scenario's facts become the base relations ([`prepare_base`]); then, for each stratum
//! (lowest first), two least fixpoints are computed semi-naively ([`evaluate_with_base`]):
//! the atoms that are *definitely true* (only `true` counts) and those that are *possibly
//! true* (`unknown` counts as `true`). Each fixpoint runs in rounds, and after the first a
//! recursive rule reads only the rows the previous round added (the delta). An atom is `true`
//! if definitely true, `unknown` if possibly but not definitely true, `false` otherwise
//! ([`Model`]). Negation flips between the two: `not a` is definitely true when `a` is not
//! even possibly true, and possibly true when `a` is not definitely true. This gives strong
//! Kleene logic for non-recursive rules and the least fixpoint for recursive ones
//! (SEMANTICS.md, "Evaluation"). Every evaluation is bounded ([`Limits`], [`Cancel`]).

mod base;
mod compile;
mod demand;
mod fixpoint;
mod join;
mod limits;
mod model;
mod plan;
mod query;
pub mod relation;
mod solve;

pub use base::{prepare_base, BaseRelations, FactSet};
pub(crate) use base::{prepare_base_for, rebase};
pub(crate) use compile::{all_masks, compile_cone};
pub use compile::{
    compile, compile_with, law_signature, CompiledPosition, LawSignature, RulePlans,
};
pub(crate) use compile::{Cone, RuleShape};
pub(crate) use demand::Demand;
pub use demand::MagicSets;
pub use fixpoint::{evaluate, evaluate_with_base, evaluate_with_settlements};
pub(crate) use fixpoint::{evaluate_cone, evaluate_cone_reusing, Earlier, Reuse};
pub use limits::{Bounds, Cancel, EvalError, Limits};
pub(crate) use model::Mode;
pub use model::Model;
pub(crate) use plan::{plan_formula, Plan};
pub use query::rule_made_true;
pub(crate) use solve::{Env, Solver};
