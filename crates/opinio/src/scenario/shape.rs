//! A scenario's shape: its facts as the evaluator reads them, without the names of the
//! constants the knowledge base does not know.
//!
//! Datalog queries are *generic*: renaming constants the program never mentions renames the
//! answers and changes nothing else. Opinio's evaluator goes further than that: it never
//! reads a constant's name, only its number in the scenario's interner, except where a name
//! is a date (`occurred_on(op, 2017-06-27)`), and a date is only ever compared with another
//! (`<`, `<=`, `=`; a position's publication date with the date asked as of). A scenario's
//! own constants are numbered in the order they first appear, after the knowledge base's.
//! So two scenarios whose facts, numbered that way, are equal, whose dates fall in the same
//! order among themselves and among the dates they can be compared with (the knowledge
//! base's date constants, the positions' publication dates, the date asked as of), and whose
//! settings are the same, are evaluated step by step alike: every model, answer value and
//! reason is the same, and only the texts differ (an answer's atom, and the order of answers
//! sorted by it). Real datasets repeat shapes (EuRepoC's first 400 incidents: 81 shapes),
//! which `opinio batch` uses to answer a repeated shape once.

use super::{AsOf, Scenario};
use crate::date::Date;
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
    /// The scenario's own constants that are dates (the one place the evaluator reads a
    /// name), each with where it falls among the dates it can be compared with (twice the
    /// number of them before it, plus one if it is one of them) and its rank among the
    /// scenario's own dates (equal ranks: equal dates).
    dates: Vec<(Sym, usize, usize)>,
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
            + self.dates.len() * std::mem::size_of::<(Sym, usize, usize)>()
    }
}

impl Scenario {
    /// The dates a scenario's own dates can be compared with, sorted: the knowledge base's
    /// date constants, the positions' publication dates and the date asked as of.
    fn comparable_dates(&self) -> Vec<Date> {
        let program = self.kb.program();
        let interner = &program.interner;
        let mut out: Vec<Date> = (0..interner.len())
            .filter_map(|i| interner.name(Sym::try_from(i).ok()?).parse().ok())
            .chain(program.positions.iter().filter_map(|p| p.date))
            .chain(match self.as_of {
                Some(AsOf::Date(d)) => Some(d),
                _ => None,
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

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
        let own: Vec<(Sym, Date)> = (own_from..self.interner.len())
            .filter_map(|i| {
                let sym = Sym::try_from(i).ok()?;
                Some((sym, self.interner.name(sym).parse::<Date>().ok()?))
            })
            .collect();
        let dates = if own.is_empty() {
            Vec::new()
        } else {
            let references = self.comparable_dates();
            let mut sorted: Vec<Date> = own.iter().map(|(_, d)| *d).collect();
            sorted.sort_unstable();
            sorted.dedup();
            own.iter()
                .map(|(sym, d)| {
                    let before = references.partition_point(|r| r < d);
                    let equal = references.get(before) == Some(d);
                    let rank = sorted.partition_point(|x| x < d);
                    (*sym, 2 * before + usize::from(equal), rank)
                })
                .collect()
        };
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
