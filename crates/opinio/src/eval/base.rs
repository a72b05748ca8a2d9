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
use std::sync::Arc;
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
    /// Per base predicate: the atoms stated true (shared, so that a what-if copy of the base
    /// rebuilds only the predicates it changes).
    pub(super) definite: Vec<Arc<Relation>>,
    /// Per base predicate: the atoms possibly true, when some are not definite.
    pub(super) possible: Vec<Option<Arc<Relation>>>,
    /// Per predicate: whether its relations are built (a base prepared for some predicates
    /// only leaves the others empty; see [`prepare_base_for`]).
    pub(super) built: Vec<bool>,
    /// Per base predicate: the atoms and the estimated bytes it adds to `atoms` and `bytes`.
    pub(super) counted: Vec<(usize, usize)>,
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
    prepare_base_for(program, facts, masks, bounds, None, None)
}

/// [`prepare_base`] for the base predicates in `only` (every one for `None`); the others'
/// relations stay empty. With the predicates of a cone ([`CompiledPosition::cone_of`]),
/// evaluating that cone gives what it gives on the whole base: a question about one
/// predicate does not build the open world of predicates it never reads. With `from` (a
/// base of the same facts and masks), its built predicates are shared, not built again.
///
/// # Errors
/// As [`prepare_base`].
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate vectors are sized from the program at the start; every id comes from it"
)]
pub(crate) fn prepare_base_for(
    program: &Program,
    facts: &FactSet,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: impl Into<Bounds>,
    only: Option<&FxHashSet<PredId>>,
    from: Option<&BaseRelations>,
) -> Result<BaseRelations, EvalError> {
    let start = Instant::now();
    let bounds: Bounds = bounds.into();
    let n = program.predicates.len();
    let mut base = match from {
        Some(b) if b.built.len() == n => b.clone(),
        _ => {
            // One empty relation shared by every predicate until its own is built.
            let empty = Arc::new(Relation::new());
            BaseRelations {
                derived: program.predicates.iter().map(|p| p.derived).collect(),
                definite: vec![empty; n],
                possible: vec![None; n],
                built: vec![false; n],
                counted: vec![(0, 0); n],
                stipulated: vec![FxHashMap::default(); n],
                atoms: 0,
                bytes: 0,
                dates: facts.dates.clone(),
            }
        }
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
        if base.built[i] || only.is_some_and(|o| !o.contains(&pred)) {
            continue;
        }
        if info.closed && stated.is_none_or(|m| m.is_empty()) {
            // Closed and nothing stated (most of the law's base predicates, in one incident):
            // the shared empty relations stand, with nothing to count.
            base.built[i] = true;
            continue;
        }
        let built = base_relation(
            program,
            &facts.domains,
            pred,
            stated,
            masks,
            &bounds,
            start,
            &base,
        )?;
        // An empty relation (most of the law's base predicates, in one incident) adds nothing
        // to count and takes no time worth a look at the clock.
        let added = built.atoms > 0;
        base.set(pred, built);
        if added {
            check_totals(&base, &bounds, start)?;
        }
    }
    Ok(base)
}

/// `shared` (the base relations of a fact set whose domains are `domains`) with the
/// predicates of `changed` stated otherwise: each with its whole new map of stated atoms (a
/// what-if that overrides some atoms and leaves the domains as they are). The same relations
/// [`prepare_base`] builds from the changed fact set, at the cost of the changed predicates
/// alone.
///
/// # Errors
/// As [`prepare_base`].
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate vectors are sized from the program at the start; every id comes from it"
)]
pub(crate) fn rebase(
    program: &Program,
    shared: &BaseRelations,
    facts: &FactSet,
    changed: &[(PredId, FxHashMap<Tuple, Truth>)],
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: impl Into<Bounds>,
) -> Result<BaseRelations, EvalError> {
    let start = Instant::now();
    let bounds: Bounds = bounds.into();
    let mut base = shared.clone();
    let mut done: FxHashSet<PredId> = FxHashSet::default();
    for (pred, stated) in changed {
        let pred = *pred;
        if !done.insert(pred) || pred.index() >= program.predicates.len() {
            continue;
        }
        let i = pred.index();
        if program.predicate(pred).derived {
            base.stipulated[i] = stated.clone();
            continue;
        }
        let (atoms, bytes) = base.counted[i];
        base.atoms = base.atoms.saturating_sub(atoms);
        base.bytes = base.bytes.saturating_sub(bytes);
        base.counted[i] = (0, 0);
        let edited = if base.built[i] {
            edit_relation(program, &base, pred, facts.stated.get(i), stated, masks)
        } else {
            None
        };
        let built = match edited {
            Some(b) => b,
            None => base_relation(
                program,
                &facts.domains,
                pred,
                Some(stated),
                masks,
                &bounds,
                start,
                &base,
            )?,
        };
        base.set(pred, built);
    }
    check_totals(&base, &bounds, start)?;
    Ok(base)
}

/// Most atoms a what-if may change in one predicate for its relations to be edited rather than
/// built again (each removal scans the rows).
const MAX_EDITS: usize = 64;

/// The relations of base predicate `pred` stated as `after` rather than `before`, made by
/// editing copies of its relations in `base` (built from `before`): the atoms whose value
/// changed are added or removed. A what-if changes a few atoms of a predicate whose open world
/// may hold hundreds of thousands (every operation and State): copying those rows costs far
/// less than enumerating the domains and hashing them again. `None` when editing does not
/// apply and the relations must be built again: a functional predicate (a value stated true
/// pins the others of its row), no possible relation (nothing unknown before), an atom no
/// longer stated, or more than [`MAX_EDITS`] changes. Gives the same atoms as
/// [`base_relation`] on `after` (`tests::rebase_is_prepare_base_of_the_changed_facts`); the
/// rows are in another order.
fn edit_relation(
    program: &Program,
    base: &BaseRelations,
    pred: PredId,
    before: Option<&FxHashMap<Tuple, Truth>>,
    after: &FxHashMap<Tuple, Truth>,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
) -> Option<Built> {
    let info = program.predicate(pred);
    if info.functional {
        return None;
    }
    let i = pred.index();
    let old_possible = base.possible.get(i)?.as_deref()?;
    let old_definite = base.definite.get(i)?;
    let empty = FxHashMap::default();
    let before = before.unwrap_or(&empty);
    if before.keys().any(|t| !after.contains_key(t)) {
        return None;
    }
    let edits: Vec<(&Tuple, Truth)> = after
        .iter()
        .filter(|(t, v)| before.get(*t) != Some(*v))
        .map(|(t, v)| (t, *v))
        .collect();
    if edits.len() > MAX_EDITS {
        return None;
    }
    // Copies with their indexes: `remove` and `insert` keep them up to date, and copying an
    // index costs far less than building it again (a what-if changes a few of thousands of
    // rows).
    let mut definite = Relation::clone(old_definite);
    let mut possible = Relation::clone(old_possible);
    for (t, v) in edits {
        match v {
            Truth::True => {
                definite.insert(t);
                possible.insert(t);
            }
            Truth::Unknown => {
                definite.remove(t);
                possible.insert(t);
            }
            Truth::False => {
                definite.remove(t);
                possible.remove(t);
            }
        }
    }
    for m in masks.get(&pred).into_iter().flatten() {
        definite.ensure_index(*m);
        possible.ensure_index(*m);
    }
    // As `base_relation`: no possible relation when every possible atom is definite (the
    // possible rows include the definite ones, so equal counts mean equal sets).
    let atoms = possible.len();
    let possible = (possible.len() != definite.len()).then_some(possible);
    let bytes = definite
        .estimated_bytes()
        .saturating_add(possible.as_ref().map_or(0, Relation::estimated_bytes));
    Some(Built {
        atoms,
        definite,
        possible,
        bytes,
    })
}

/// One base predicate's relations: the atoms stated true, those possibly true (when some are
/// unknown), and the atoms and bytes they count.
struct Built {
    definite: Relation,
    possible: Option<Relation>,
    atoms: usize,
    bytes: usize,
}

#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate vectors are sized from the program at the start; every id comes from it"
)]
impl BaseRelations {
    /// Stores one predicate's relations and counts them.
    fn set(&mut self, pred: PredId, built: Built) {
        let i = pred.index();
        self.definite[i] = Arc::new(built.definite);
        self.possible[i] = built.possible.map(Arc::new);
        self.counted[i] = (built.atoms, built.bytes);
        if let Some(b) = self.built.get_mut(i) {
            *b = true;
        }
        self.atoms = self.atoms.saturating_add(built.atoms);
        self.bytes = self.bytes.saturating_add(built.bytes);
    }
}

impl BaseRelations {
    /// These relations for a program that adds predicates after the ones they were prepared
    /// for (the magic-set rewriting of a question): each added predicate is derived, with the
    /// stipulations of the original predicate `added` names for it (an adorned copy) or none;
    /// and every base relation gets the indexes `masks` asks for (the rewritten rules probe
    /// base predicates with other arguments bound). Relations are shared, not copied, unless
    /// an index is added to them.
    pub(crate) fn with_added_predicates(
        &self,
        added: &[Option<PredId>],
        masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    ) -> BaseRelations {
        let mut base = self.clone();
        for origin in added {
            let stipulated = origin
                .and_then(|p| self.stipulated.get(p.index()))
                .cloned()
                .unwrap_or_default();
            base.derived.push(true);
            base.definite.push(Arc::new(Relation::new()));
            base.possible.push(None);
            base.built.push(false);
            base.counted.push((0, 0));
            base.stipulated.push(stipulated);
        }
        for (pred, wanted) in masks {
            let i = pred.index();
            if base.derived.get(i).copied().unwrap_or(true) {
                continue;
            }
            // A copy of the rows with the indexes asked for (built on their first probe).
            if let Some(rel) = base.definite.get_mut(i) {
                if wanted.iter().any(|m| !rel.has_index(*m)) {
                    let mut r = Relation::clone(rel);
                    wanted.iter().for_each(|m| r.ensure_index(*m));
                    *rel = Arc::new(r);
                }
            }
            if let Some(Some(rel)) = base.possible.get_mut(i) {
                if wanted.iter().any(|m| !rel.has_index(*m)) {
                    let mut r = Relation::clone(rel);
                    wanted.iter().for_each(|m| r.ensure_index(*m));
                    *rel = Arc::new(r);
                }
            }
        }
        base
    }

    /// Whether every base predicate among `preds` is built.
    pub(crate) fn covers(&self, preds: &FxHashSet<PredId>) -> bool {
        preds.iter().all(|p| {
            self.derived.get(p.index()).copied().unwrap_or(true)
                || self.built.get(p.index()).copied().unwrap_or(false)
        })
    }
}

/// Stops when the atoms or bytes counted so far exceed the limits.
fn check_totals(base: &BaseRelations, bounds: &Bounds, start: Instant) -> Result<(), EvalError> {
    if let Some(e) = bounds.stop(start, base.atoms) {
        return Err(e);
    }
    over_memory(&bounds.limits, base.bytes)
}

/// The relations of the base predicate `pred`: what `stated` says, and unless the predicate
/// is closed every unstated atom over its slots' domains as unknown (but for what a functional
/// statement pins). `so_far` holds what was counted before it (for the limits).
#[expect(
    clippy::too_many_arguments,
    reason = "the pieces of one preparation, passed rather than bundled for one private helper"
)]
fn base_relation(
    program: &Program,
    domains: &[Vec<Sym>],
    pred: PredId,
    stated: Option<&FxHashMap<Tuple, Truth>>,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: &Bounds,
    start: Instant,
    so_far: &BaseRelations,
) -> Result<Built, EvalError> {
    let info = program.predicate(pred);
    let total = so_far.atoms;
    let bytes = so_far.bytes;
    let check_limits = |total: usize| match bounds.stop(start, total) {
        Some(e) => Err(e),
        None => Ok(()),
    };
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
                domains
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
    let atoms = p.len();
    let own_bytes = t.estimated_bytes().saturating_add(p.estimated_bytes());
    if atoms > 0 {
        check_limits(total.saturating_add(atoms))?;
        over_memory(&bounds.limits, bytes.saturating_add(own_bytes))?;
    }
    for m in masks.get(&pred).into_iter().flatten() {
        t.ensure_index(*m);
        if any_unknown {
            p.ensure_index(*m);
        }
    }
    Ok(Built {
        definite: t,
        possible: any_unknown.then_some(p),
        atoms,
        bytes: own_bytes,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Limits;

    /// A what-if base built by changing some predicates of a shared one is the base built
    /// afresh from the changed facts: the same relations, atoms and bytes.
    #[test]
    fn rebase_builds_what_prepare_base_builds() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let mut s = crate::Scenario::new(&kb);
        s.add_text(
            "t.opinio",
            "state(a). state(b). state(c). operation(op). conducted_by(op, unit).
             conducted_by(op, other). organ_of(unit, b). intruded_into(op, a).
             unknown targeted(op, a). effect_in(op, a, data_alteration).
             scale_of_effect(op, a, data_alteration, minor). attributable(op, c).",
        )
        .expect("the facts check");
        let program = kb.program();
        let facts = s.fact_set();
        let shared = prepare_base(program, &facts, kb.masks(), Limits::default()).expect("base");
        let pred = |name: &str| {
            program
                .predicates
                .iter()
                .position(|p| p.name == name)
                .map(PredId::from_index)
                .expect("a predicate of the knowledge base")
        };
        // Per predicate: a stated atom made false, and an open one made true (functional and
        // closed predicates among them), and a stipulation changed.
        let mut changed: Vec<(PredId, FxHashMap<Tuple, Truth>)> = Vec::new();
        let mut opened = 0;
        for name in ["organ_of", "intruded_into", "targeted", "scale_of_effect"] {
            let p = pred(name);
            let mut stated = facts.stated[p.index()].clone();
            let first_stated = stated.keys().next().cloned().expect("a stated atom");
            stated.insert(first_stated, Truth::False);
            let open = shared.possible[p.index()].as_ref().and_then(|r| {
                r.iter()
                    .find(|t| !stated.contains_key(*t))
                    .map(Tuple::from_slice)
            });
            if let Some(open) = open {
                opened += 1;
                stated.insert(open, Truth::True);
            }
            changed.push((p, stated));
        }
        assert!(opened >= 2, "open atoms made true");
        let attributable = pred("attributable");
        let mut stipulated = facts.stated[attributable.index()].clone();
        for v in stipulated.values_mut() {
            *v = Truth::False;
        }
        changed.push((attributable, stipulated));

        let mut changed_facts = (*facts).clone();
        for (p, m) in &changed {
            changed_facts.stated[p.index()] = m.clone();
        }
        let fresh =
            prepare_base(program, &changed_facts, kb.masks(), Limits::default()).expect("base");
        let rebased = rebase(
            program,
            &shared,
            &facts,
            &changed,
            kb.masks(),
            Limits::default(),
        )
        .expect("base");
        assert_eq!(rebased.atoms, fresh.atoms);
        // Edited relations are copies sized to their rows, so their estimated bytes differ
        // a little from relations grown row by row; the atoms they count do not.
        let atoms = |b: &BaseRelations| b.counted.iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(atoms(&rebased), atoms(&fresh));
        assert_eq!(rebased.stipulated, fresh.stipulated);
        assert_ne!(rebased.definite, shared.definite, "the change shows");
        assert_eq!(rebased.definite, fresh.definite);
        assert_eq!(rebased.possible, fresh.possible);
    }
}
