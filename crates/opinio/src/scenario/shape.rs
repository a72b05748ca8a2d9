//! A scenario's shape: its facts as the evaluator reads them, without the names of the
//! constants the knowledge base does not know.
//!
//! Datalog queries are *generic*: renaming constants the program never mentions renames the
//! answers and changes nothing else. Opinio's evaluator goes further than that: it never
//! reads a constant's name, only its number in the scenario's interner, except where a name
//! is a date (`occurred_on(op, 2017-06-27)`, compared with `<`). A scenario's own constants
//! are numbered in the order they first appear, after the knowledge base's. So two scenarios
//! whose facts, numbered that way, are equal, whose dates are the same and whose settings
//! are the same are evaluated step by step alike: every model, answer value and reason is
//! the same, and only the texts differ (an answer's atom, and the order of answers sorted by
//! it). Real datasets repeat shapes (EuRepoC: 215 shapes in 1,578 incidents), which
//! `opinio batch` uses to answer a repeated shape once.

use super::{AsOf, Scenario};
use crate::eval::{Limits, MagicSets};
use crate::program::{PredId, Sym, Tuple, TypeId};
use crate::syntax::ast::Truth;

/// A scenario's facts with its own constants reduced to their numbers
/// ([`Scenario::shape`]). Equal shapes (of scenarios on the same knowledge base) mean equal
/// answers up to the names of the scenarios' own constants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The knowledge base's identity: shapes of different knowledge bases
    /// never match.
    kb: u64,
    /// How many constants the scenario knows (the knowledge base's and its own).
    constants: usize,
    /// The facts in the order stated: predicate, constants, value.
    facts: Vec<(PredId, Tuple, Truth)>,
    /// The types the facts gave the scenario's constants, by constant.
    types: Vec<(Sym, TypeId)>,
    /// The scenario's own constants that are dates, with their names (the one place the
    /// evaluator reads a name).
    dates: Vec<(Sym, String)>,
    /// The settings evaluations run with.
    limits: Limits,
    as_of: Option<AsOf>,
    magic_sets: MagicSets,
}

impl Shape {
    /// A rough size in bytes of the shape in memory (for callers that keep many).
    pub fn bytes(&self) -> usize {
        let tuple = std::mem::size_of::<(PredId, Tuple, Truth)>();
        std::mem::size_of::<Shape>()
            + self
                .facts
                .iter()
                .map(|(_, args, _)| tuple + if args.spilled() { args.len() * 4 } else { 0 })
                .sum::<usize>()
            + self.types.len() * std::mem::size_of::<(Sym, TypeId)>()
            + self
                .dates
                .iter()
                .map(|(_, name)| std::mem::size_of::<(Sym, String)>() + name.len())
                .sum::<usize>()
    }
}

impl Scenario {
    /// The scenario's shape: two scenarios on the same knowledge base with equal shapes get
    /// the same values and reasons for every question whose constants are the same numbers
    /// in both, with each answer's atom naming the other scenario's constants (see the
    /// module `shape`). Costs one pass over the facts and the scenario's own constants.
    pub fn shape(&self) -> Shape {
        let own_from = self.kb.program().interner.len();
        let mut types: Vec<(Sym, TypeId)> = self
            .facts
            .constant_types
            .iter()
            .map(|(s, (t, _))| (*s, *t))
            .collect();
        types.sort_unstable();
        let dates = (own_from..self.interner.len())
            .filter_map(|i| {
                let sym = Sym::try_from(i).ok()?;
                let name = self.interner.name(sym);
                name.parse::<crate::Date>()
                    .is_ok()
                    .then(|| (sym, name.to_string()))
            })
            .collect();
        Shape {
            kb: self.kb.id(),
            constants: self.interner.len(),
            facts: self
                .facts
                .facts
                .iter()
                .map(|f| (f.pred, f.args.clone(), f.value))
                .collect(),
            types,
            dates,
            limits: self.limits,
            as_of: self.as_of,
            magic_sets: self.magic_sets,
        }
    }
}
