//! The three-valued model one evaluation produces: per predicate, the atoms that are
//! definitely true and those that are possibly true ([`Mode`]); an atom's value follows
//! from the two ([`Model::value`]).

use super::base::BaseRelations;
use super::relation::Relation;
use crate::program::{PointId, PosId, PredId, Sym, Tuple};
use crate::syntax::ast::Truth;
use rustc_hash::FxHashMap;

/// Which atoms count as true in a search: the two least fixpoints of a stratum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Only `true` counts.
    Definite,
    /// `unknown` counts as `true`.
    Possible,
}

impl Mode {
    /// The other mode: negation reads the opposite fixpoint.
    pub(crate) fn flip(self) -> Mode {
        match self {
            Mode::Definite => Mode::Possible,
            Mode::Possible => Mode::Definite,
        }
    }
}

/// Everything one evaluation concluded.
#[derive(Debug, Clone)]
pub struct Model {
    /// The position evaluated under.
    pub position: PosId,
    /// The base predicates' relations, shared by every position's model of one scenario.
    pub(super) base: std::sync::Arc<BaseRelations>,
    /// Derived predicates (the base predicates' slots stay empty); `None`: no atom. (A
    /// model has a slot per predicate of the law, and most stay empty in a small scenario:
    /// an empty slot costs a word, not an empty relation.)
    pub(super) definite: Vec<Option<Box<Relation>>>,
    /// `None`: the same atoms as `definite` (nothing unknown there).
    pub(super) possible: Vec<Option<Box<Relation>>>,
    /// Per derived predicate: the atoms its evaluation counted against the atom limit (the
    /// definite ones, and the possible ones the possible pass derived), so that a stratum
    /// copied into another evaluation counts as deriving it there would.
    pub(super) counted: Vec<usize>,
    /// How the position settles the law's open points.
    pub(super) settlements: FxHashMap<PointId, bool>,
}

/// The relation of a predicate with no atom.
fn empty() -> &'static Relation {
    static EMPTY: std::sync::OnceLock<Relation> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Relation::new)
}

#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
impl Model {
    fn is_base(&self, pred: PredId) -> bool {
        !self.base.derived[pred.index()]
    }

    /// The base relations the model was evaluated over (shared).
    pub(crate) fn base_relations(&self) -> &std::sync::Arc<BaseRelations> {
        &self.base
    }

    /// The atoms of `pred` that are definitely true.
    pub fn definite(&self, pred: PredId) -> &Relation {
        if self.is_base(pred) {
            &self.base.definite[pred.index()]
        } else {
            match &self.definite[pred.index()] {
                Some(rel) => rel,
                None => empty(),
            }
        }
    }

    /// The atoms of `pred` that are possibly true (the definite ones included).
    pub fn possible(&self, pred: PredId) -> &Relation {
        self.possible_distinct(pred)
            .unwrap_or_else(|| self.definite(pred))
    }

    /// The possible atoms of `pred` when some of them are not definite.
    pub(crate) fn possible_distinct(&self, pred: PredId) -> Option<&Relation> {
        if self.is_base(pred) {
            self.base.possible[pred.index()].as_deref()
        } else {
            self.possible[pred.index()].as_deref()
        }
    }

    /// The atoms the evaluation of derived predicate `pred` counted against the atom limit.
    pub(crate) fn counted(&self, pred: PredId) -> usize {
        self.counted.get(pred.index()).copied().unwrap_or(0)
    }

    /// Stipulated atoms of a derived predicate.
    pub(crate) fn stipulations(&self, pred: PredId) -> &FxHashMap<Tuple, Truth> {
        &self.base.stipulated[pred.index()]
    }

    /// The atoms of `pred` that count as true in `mode`.
    pub(crate) fn relation(&self, pred: PredId, mode: Mode) -> &Relation {
        match mode {
            Mode::Definite => self.definite(pred),
            Mode::Possible => self.possible(pred),
        }
    }

    /// The model with the relations of `from` (an adorned copy of `to` in a magic-set
    /// rewriting) moved to `to`, so that the question's atoms are read under their own
    /// predicate. Only the atoms the rewriting answers (those matching the question's
    /// constants) have their values there.
    pub(crate) fn answering_as(mut self, from: PredId, to: PredId) -> Model {
        let definite = self.definite.get_mut(from.index()).and_then(Option::take);
        let possible = self.possible.get_mut(from.index()).and_then(Option::take);
        if let Some(slot) = self.definite.get_mut(to.index()) {
            *slot = definite;
        }
        if let Some(slot) = self.possible.get_mut(to.index()) {
            *slot = possible;
        }
        let counted = self.counted.get_mut(from.index()).map(std::mem::take);
        if let (Some(slot), Some(n)) = (self.counted.get_mut(to.index()), counted) {
            *slot = n;
        }
        self
    }

    /// The value of a ground atom.
    pub fn value(&self, pred: PredId, args: &[Sym]) -> Truth {
        if self.definite(pred).contains(args) {
            Truth::True
        } else if self.possible(pred).contains(args) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// How the law's open points stand under this model's position.
    pub(crate) fn settlement(&self, point: PointId) -> Option<bool> {
        self.settlements.get(&point).copied()
    }

    /// The fixpoint round in which an atom became definitely (or possibly) true: explanations
    /// pick supports from earlier rounds, so they never go in circles.
    pub(crate) fn round(&self, pred: PredId, args: &[Sym], mode: Mode) -> Option<u32> {
        self.relation(pred, mode).round_of(args)
    }

    /// Whether the scenario stipulates some derived atom to be unknown.
    pub(crate) fn stipulates_unknown(&self) -> bool {
        self.base
            .stipulated
            .iter()
            .any(|m| m.values().any(|v| *v == Truth::Unknown))
    }

    /// The value a stipulation gives a derived atom, if one does.
    pub(crate) fn is_stipulated(&self, pred: PredId, args: &[Sym]) -> Option<Truth> {
        self.base
            .stipulated
            .get(pred.index())
            .and_then(|m| m.get(args).copied())
    }

    /// The estimated heap bytes of every relation of the model, the shared base ones
    /// included (see [`Relation::estimated_bytes`]).
    pub(crate) fn estimated_bytes(&self) -> usize {
        self.definite
            .iter()
            .chain(&self.possible)
            .flatten()
            .map(|r| r.estimated_bytes())
            .fold(self.base.bytes, usize::saturating_add)
    }

    /// The estimated heap bytes of a derived predicate's own relations, both modes (a part
    /// of [`Model::estimated_bytes`]).
    pub(super) fn own_bytes(&self, pred: PredId) -> usize {
        let bytes = |slot: Option<&Option<Box<Relation>>>| {
            slot.and_then(Option::as_deref)
                .map_or(0, Relation::estimated_bytes)
        };
        let definite = bytes(self.definite.get(pred.index()));
        let possible = bytes(self.possible.get(pred.index()));
        definite.saturating_add(possible)
    }

    /// Total atoms held (definite plus possible-only).
    pub fn size(&self) -> usize {
        let d: usize = self.definite.iter().flatten().map(|r| r.len()).sum();
        let p: usize = self.possible.iter().flatten().map(|r| r.len()).sum();
        d + p + self.base.atoms
    }

    /// Replaces the relation of a derived predicate in `mode` (the seed of a pass).
    pub(super) fn set_relation(&mut self, pred: PredId, mode: Mode, rel: Relation) {
        match mode {
            Mode::Definite => {
                if let Some(slot) = self.definite.get_mut(pred.index()) {
                    *slot = Some(Box::new(rel));
                }
            }
            Mode::Possible => {
                if let Some(slot) = self.possible.get_mut(pred.index()) {
                    *slot = Some(Box::new(rel));
                }
            }
        }
    }

    /// The relation of a derived predicate in `mode`, to add rows to (`None` for a possible
    /// relation not set apart from the definite one).
    pub(super) fn relation_mut(&mut self, pred: PredId, mode: Mode) -> Option<&mut Relation> {
        match mode {
            Mode::Definite => self
                .definite
                .get_mut(pred.index())
                .map(|slot| &mut **slot.get_or_insert_with(Box::default)),
            Mode::Possible => self
                .possible
                .get_mut(pred.index())
                .and_then(Option::as_deref_mut),
        }
    }

    /// Drops the possible relation of a derived predicate when it holds no more than the
    /// definite one (nothing of it is unknown).
    pub(super) fn forget_possible_if_definite(&mut self, pred: PredId) {
        let definite = self
            .definite
            .get(pred.index())
            .and_then(Option::as_deref)
            .map_or(0, Relation::len);
        if let Some(slot) = self.possible.get_mut(pred.index()) {
            if slot.as_ref().is_none_or(|r| r.len() == definite) {
                *slot = None;
            }
        }
    }
}
