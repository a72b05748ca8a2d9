//! The base predicates: the facts of a scenario ([`FactSet`]) and the relations they give
//! ([`BaseRelations`]): what is stated, and every unstated atom over the types' domains that
//! the open world leaves unknown. These depend on the facts only, so one copy serves every
//! position.

use super::limits::{over_memory, Bounds, EvalError};
use super::relation::{Mask, Relation};
use crate::date::Date;
use crate::program::{
    listed_members, GroundFact, Interner, PredId, Program, Sym, Tuple, TypeId, TypeKind,
};
use crate::syntax::ast::Truth;
use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Instant;

/// The facts of a scenario (and of the knowledge base), prepared for evaluation.
#[derive(Debug, Clone, Default)]
pub struct FactSet {
    /// Per predicate: stated atoms and their values.
    pub stated: Vec<FxHashMap<Tuple, Truth>>,
    /// Per type: its domain.
    pub domains: Vec<Vec<Sym>>,
    /// The dates among the constants (the domain of the built-in type `Date`), read from their
    /// names once so that comparisons need no names.
    pub dates: FxHashMap<Sym, Date>,
}

#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
impl FactSet {
    /// Collects facts and computes every type's domain. `names` names the constants (the
    /// scenario's interner): dates are read from their names.
    pub fn new<'a>(
        program: &Program,
        names: &Interner,
        facts: impl IntoIterator<Item = &'a GroundFact>,
        constant_types: impl IntoIterator<Item = (Sym, TypeId)>,
    ) -> FactSet {
        let mut stated: Vec<FxHashMap<Tuple, Truth>> =
            vec![FxHashMap::default(); program.predicates.len()];
        for f in facts {
            if let Some(m) = stated.get_mut(f.pred.index()) {
                m.insert(f.args.clone(), f.value);
            }
        }
        let mut domains: Vec<Vec<Sym>> = vec![Vec::new(); program.types.len()];
        let mut open: Vec<FxHashSet<Sym>> = vec![FxHashSet::default(); program.types.len()];
        for (s, t) in program
            .constant_types
            .iter()
            .map(|(s, (t, _))| (*s, *t))
            .chain(constant_types)
        {
            if let Some(set) = open.get_mut(t.index()) {
                set.insert(s);
            }
        }
        for (i, ty) in program.types.iter().enumerate() {
            let mut d: Vec<Sym> = match &ty.kind {
                TypeKind::Enumerated { values, .. } => values.clone(),
                TypeKind::Open | TypeKind::Date => open[i].iter().copied().collect(),
                TypeKind::From(p) => stated
                    .get(p.index())
                    .map(|m| listed_members(m.iter().map(|(t, v)| (t.as_slice(), *v))))
                    .unwrap_or_default(),
            };
            if !matches!(ty.kind, TypeKind::Enumerated { .. }) {
                d.sort_unstable();
                d.dedup();
            }
            domains[i] = d;
        }
        let mut dates = FxHashMap::default();
        for (i, ty) in program.types.iter().enumerate() {
            if ty.is_date() {
                for &s in &domains[i] {
                    if let Ok(d) = names.name(s).parse::<Date>() {
                        dates.insert(s, d);
                    }
                }
            }
        }
        FactSet {
            stated,
            domains,
            dates,
        }
    }

    /// The stated value of an atom, if any.
    pub fn stated_value(&self, pred: PredId, args: &[Sym]) -> Option<Truth> {
        self.stated
            .get(pred.index())
            .and_then(|m| m.get(args).copied())
    }

    /// States (or overrides) one atom.
    pub fn set(&mut self, pred: PredId, args: Tuple, value: Truth) {
        if let Some(m) = self.stated.get_mut(pred.index()) {
            m.insert(args, value);
        }
    }

    /// Removes a stated atom; `true` if it was stated.
    pub fn unset(&mut self, pred: PredId, args: &[Sym]) -> bool {
        self.stated
            .get_mut(pred.index())
            .is_some_and(|m| m.remove(args).is_some())
    }
}

/// What the facts say about the base predicates: what is stated, and what the open world
/// leaves possible. It depends on the facts only, not on the position, so one copy serves
/// every position's evaluation.
#[derive(Debug, Clone, Default)]
pub struct BaseRelations {
    /// Per predicate: whether it is derived (its relations here stay empty).
    pub(super) derived: Vec<bool>,
    /// Per base predicate: the atoms stated true.
    pub(super) definite: Vec<Relation>,
    /// Per base predicate: the atoms possibly true, when some are not definite.
    pub(super) possible: Vec<Option<Relation>>,
    /// Derived atoms fixed by a stipulation, with their stated value.
    pub(super) stipulated: Vec<FxHashMap<Tuple, Truth>>,
    /// How many atoms the relations above hold (they count towards the atom limit).
    pub(super) atoms: usize,
    /// The estimated heap bytes of the relations above.
    pub(super) bytes: usize,
    /// The dates among the constants, to compare them (see [`FactSet::dates`]).
    pub(super) dates: FxHashMap<Sym, Date>,
}

/// Prepares the base predicates' relations for a fact set: per predicate, the atoms stated
/// true (definite), and with them those stated unknown and, unless the predicate is closed,
/// every unstated atom over its slots' domains (possible). Each relation gets an index for
/// every mask `masks` lists for its predicate (the argument positions bound when it is
/// probed, as in [`CompiledPosition::masks`](super::CompiledPosition::masks)).
///
/// # Errors
/// An [`EvalError`] when `bounds` stop it: the open world of a predicate over large domains
/// can hold too many atoms or take too much memory.
pub fn prepare_base(
    program: &Program,
    facts: &FactSet,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: impl Into<Bounds>,
) -> Result<BaseRelations, EvalError> {
    prepare_base_within(program, facts, masks, bounds, None)
}

/// [`prepare_base`] for the base predicates `only` lists (all for `None`); the others' relations
/// are left empty (for an evaluation of a cone that does not read them).
///
/// # Errors
/// As [`prepare_base`].
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
pub(crate) fn prepare_base_within(
    program: &Program,
    facts: &FactSet,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: impl Into<Bounds>,
    only: Option<&FxHashSet<PredId>>,
) -> Result<BaseRelations, EvalError> {
    let start = Instant::now();
    let bounds: Bounds = bounds.into();
    let n = program.predicates.len();
    let mut base = BaseRelations {
        derived: program.predicates.iter().map(|p| p.derived).collect(),
        definite: vec![Relation::new(); n],
        possible: vec![None; n],
        stipulated: vec![FxHashMap::default(); n],
        atoms: 0,
        bytes: 0,
        dates: facts.dates.clone(),
    };
    let mut total = 0usize;
    let mut bytes = 0usize;
    let check_limits = |total: usize| match bounds.stop(start, total) {
        Some(e) => Err(e),
        None => Ok(()),
    };
    // Base predicates: what is stated, and what the open world leaves possible.
    for (i, info) in program.predicates.iter().enumerate() {
        let pred = PredId::from_index(i);
        let stated = facts.stated.get(i);
        if info.derived {
            if let Some(m) = stated {
                base.stipulated[i] = m.clone();
            }
            continue;
        }
        if only.is_some_and(|o| !o.contains(&pred)) {
            continue;
        }
        let mut t = Relation::new();
        let mut p = Relation::new();
        let mut any_unknown = false;
        if let Some(m) = stated {
            let mut rows: Vec<(&Tuple, &Truth)> = m.iter().collect();
            rows.sort();
            for (tuple, v) in rows {
                match v {
                    Truth::True => {
                        t.insert(tuple);
                        p.insert(tuple);
                    }
                    Truth::Unknown => {
                        any_unknown = true;
                        p.insert(tuple);
                    }
                    Truth::False => {}
                }
            }
        }
        if !info.closed {
            // Every unstated atom over the domains is unknown, unless a functional
            // statement pins the value elsewhere.
            let doms: Vec<&[Sym]> = info
                .slots
                .iter()
                .map(|s| {
                    facts
                        .domains
                        .get(s.ty.index())
                        .map(|d| d.as_slice())
                        .unwrap_or(&[])
                })
                .collect();
            let mut pinned: FxHashSet<Tuple> = FxHashSet::default();
            if info.functional {
                for row in t.iter() {
                    if let Some((_, prefix)) = row.split_last() {
                        pinned.insert(Tuple::from_slice(prefix));
                    }
                }
            }
            let mut added = 0usize;
            let mut ok = Ok(());
            for_each_product(&doms, &mut |tuple: &[Sym]| {
                let tuple = Tuple::from_slice(tuple);
                if stated.is_some_and(|m| m.contains_key(&tuple)) {
                    return true;
                }
                if info.functional {
                    if let Some((_, prefix)) = tuple.split_last() {
                        if pinned.contains(prefix) {
                            return true;
                        }
                    }
                }
                if p.insert(&tuple) {
                    any_unknown = true;
                    added += 1;
                    if added % 65_536 == 0 {
                        ok = check_limits(total + added).and_then(|()| {
                            over_memory(&bounds.limits, bytes.saturating_add(p.estimated_bytes()))
                        });
                        if ok.is_err() {
                            return false;
                        }
                    }
                }
                true
            });
            ok?;
        }
        total += p.len();
        check_limits(total)?;
        bytes = bytes
            .saturating_add(t.estimated_bytes())
            .saturating_add(p.estimated_bytes());
        over_memory(&bounds.limits, bytes)?;
        for m in masks.get(&pred).into_iter().flatten() {
            t.ensure_index(*m);
            if any_unknown {
                p.ensure_index(*m);
            }
        }
        base.definite[i] = t;
        base.possible[i] = any_unknown.then_some(p);
    }

    base.atoms = total;
    base.bytes = bytes;
    Ok(base)
}

#[expect(
    clippy::indexing_slicing,
    reason = "`idx` and `tuple` have one entry per domain, and `i` stays below their length"
)]
fn for_each_product(doms: &[&[Sym]], f: &mut dyn FnMut(&[Sym]) -> bool) {
    if doms.iter().any(|d| d.is_empty()) {
        return;
    }
    let mut idx = vec![0usize; doms.len()];
    let mut tuple: Vec<Sym> = doms.iter().filter_map(|d| d.first().copied()).collect();
    loop {
        if !f(&tuple) {
            return;
        }
        // Odometer increment.
        let mut i = doms.len();
        loop {
            if i == 0 {
                return;
            }
            i -= 1;
            idx[i] += 1;
            if let Some(&v) = doms[i].get(idx[i]) {
                tuple[i] = v;
                break;
            }
            idx[i] = 0;
            if let Some(&v) = doms[i].first() {
                tuple[i] = v;
            }
        }
        if doms.is_empty() {
            return;
        }
    }
}
