//! The semi-naive least fixpoint, stratum by stratum.
//!
//! Each stratum gets a definite pass and, when something it reads can be unknown, a possible
//! pass. A pass is a loop of rounds: round 0 runs every rule over the whole relations (or, for
//! a possible pass that starts from the definite fixpoint, only over the unknown input rows);
//! each later round runs the recursive rules with one recursive scan reading only the rows
//! the previous round added (the delta), until a round adds nothing.

use super::base::{prepare_base, BaseRelations, FactSet};
use super::compile::{CompiledPosition, CompiledRule, Stratum};
use super::join::Join;
use super::limits::{over_memory, Bounds, Deadline, EvalError, Limits};
use super::model::{Mode, Model};
use super::plan::{scan_mask, Plan};
use super::relation::{self, Relation, Rows};
use super::solve::{Env, Focus, Solver};
use crate::program::{Atom, PointId, PredId, Program, Sym, Term, Tuple};
use crate::syntax::ast::Truth;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::sync::Arc;
use std::time::Instant;

/// Evaluates a compiled position over a fact set: prepares the base relations
/// ([`prepare_base`]), then [`evaluate_with_base`].
///
/// # Errors
/// An [`EvalError`] when `bounds` stop the evaluation (too many atoms, too much memory, out of
/// time, cancelled).
pub fn evaluate(
    program: &Program,
    compiled: &CompiledPosition,
    facts: &FactSet,
    bounds: impl Into<Bounds>,
) -> Result<Model, EvalError> {
    let bounds: Bounds = bounds.into();
    let base = prepare_base(program, facts, &compiled.masks, &bounds)?;
    evaluate_with_base(program, compiled, Arc::new(base), bounds)
}

/// Evaluates a compiled position over prepared base relations (shared between positions of
/// one scenario), every stratum in turn, lowest first.
///
/// # Errors
/// An [`EvalError`] when `bounds` stop the evaluation; the time budget and the atom count
/// start from this call (the atoms of `base` count too).
pub fn evaluate_with_base(
    program: &Program,
    compiled: &CompiledPosition,
    base: Arc<BaseRelations>,
    bounds: impl Into<Bounds>,
) -> Result<Model, EvalError> {
    evaluate_with_settlements(program, compiled, base, &[], bounds)
}

/// [`evaluate_with_base`] with some of the law's open points settled for argument's sake:
/// each `(point, value)` of `settled` is read as the position would read its own settlement,
/// overriding the position's. Used to ask whether an answer turns on a point of law.
///
/// # Errors
/// As [`evaluate_with_base`].
pub fn evaluate_with_settlements(
    program: &Program,
    compiled: &CompiledPosition,
    base: Arc<BaseRelations>,
    settled: &[(PointId, bool)],
    bounds: impl Into<Bounds>,
) -> Result<Model, EvalError> {
    evaluate_cone(program, compiled, base, settled, bounds, None)
}

/// [`evaluate_with_settlements`], evaluating only the strata `only` marks (all of them for
/// `None`): with the strata of a predicate's cone ([`CompiledPosition::cone_of`]), the model
/// gives that predicate's atoms their values and leaves the predicates outside the cone
/// empty.
///
/// # Errors
/// As [`evaluate_with_base`].
pub(crate) fn evaluate_cone(
    program: &Program,
    compiled: &CompiledPosition,
    base: Arc<BaseRelations>,
    settled: &[(PointId, bool)],
    bounds: impl Into<Bounds>,
    only: Option<&[bool]>,
) -> Result<Model, EvalError> {
    evaluate_cone_reusing(program, compiled, base, settled, bounds, only, None)
}

/// What an evaluation may take from evaluations done before it, rather than derive again.
pub(crate) enum Reuse<'a> {
    /// What a what-if evaluation may take from the evaluation it varies: `model`, evaluated
    /// under the same position over base relations that differ from the what-if's only in
    /// the predicates `changed`, with every stratum the what-if evaluates evaluated. A
    /// stratum none of whose rules raises a point the what-if settles, and that reads
    /// nothing changed (a changed base predicate or a stratum evaluated again), gets the same
    /// relations.
    WhatIf {
        model: &'a Model,
        changed: &'a [PredId],
    },
    /// Models of the same facts under other positions (with nothing settled for argument's
    /// sake): a stratum all of whose predicates one of them holds under the same law (see
    /// [`Earlier`]) gets the same relations. One line of a batch is answered under every
    /// position, and positions differ in a few parts of the law only.
    Positions(&'a [Earlier<'a>]),
}

/// A model of the same facts under another position, and which predicates it holds under
/// the same law as the evaluation that reads it.
pub(crate) struct Earlier<'a> {
    pub(crate) model: &'a Model,
    /// Whether the model holds `pred` (its stratum was evaluated), decided by the same law
    /// (see [`super::RulePlans::same_law`]).
    pub(crate) same_law: &'a dyn Fn(PredId) -> bool,
}

/// [`evaluate_cone`], copying the strata `reuse` leaves unchanged from its model.
///
/// # Errors
/// As [`evaluate_with_base`].
pub(crate) fn evaluate_cone_reusing(
    program: &Program,
    compiled: &CompiledPosition,
    base: Arc<BaseRelations>,
    settled: &[(PointId, bool)],
    bounds: impl Into<Bounds>,
    only: Option<&[bool]>,
    reuse: Option<Reuse>,
) -> Result<Model, EvalError> {
    let eval = Evaluation {
        program,
        compiled,
        bounds: bounds.into(),
        start: Instant::now(),
    };
    let n = program.predicates.len();
    let settlements: FxHashMap<PointId, bool> = program
        .position(compiled.position)
        .settlements
        .iter()
        .map(|(k, v)| (*k, v.value))
        .chain(settled.iter().copied())
        .collect();
    let mut total = base.atoms;
    let mut model = Model {
        position: compiled.position,
        base,
        definite: vec![None; n],
        possible: vec![None; n],
        counted: vec![0; n],
        settlements,
    };
    // The model's estimated bytes, kept up to date stratum by stratum: a pass changes only
    // its stratum's relations, so only those are measured again (measuring the whole model
    // after every round was a third of the time of an evaluation of the bundled law).
    let mut bytes = model.estimated_bytes();
    let mut dirty: FxHashSet<PredId> = match &reuse {
        Some(Reuse::WhatIf { changed, .. }) => changed.iter().copied().collect(),
        _ => FxHashSet::default(),
    };
    for (i, stratum) in compiled.strata.iter().enumerate() {
        if only.is_some_and(|o| !o.get(i).copied().unwrap_or(true)) {
            continue;
        }
        let from = match &reuse {
            Some(Reuse::WhatIf { model: from, .. }) => {
                let unchanged = !stratum
                    .points
                    .iter()
                    .any(|p| settled.iter().any(|(q, _)| q == p))
                    && !stratum
                        .reads
                        .iter()
                        .chain(&stratum.preds)
                        .any(|p| dirty.contains(p));
                if !unchanged {
                    dirty.extend(stratum.preds.iter().copied());
                }
                unchanged.then_some(*from)
            }
            // Only an evaluation with nothing settled for argument's sake reads other
            // positions' plain models.
            Some(Reuse::Positions(earlier)) if settled.is_empty() => earlier
                .iter()
                .find(|e| stratum.preds.iter().all(|p| (e.same_law)(*p)))
                .map(|e| e.model),
            _ => None,
        };
        if let Some(from) = from {
            // Counted and bounded as deriving the stratum here would count it: its definite
            // atoms, the possible ones that are not definite, and the bytes of relations
            // indexed for this position's probes.
            let before = stratum_bytes(&model, stratum);
            for p in &stratum.preds {
                let masks = || compiled.masks.get(p).into_iter().flatten().copied();
                let definite = from.definite(*p).copy_for(masks());
                let possible = from.possible_distinct(*p).map(|r| r.copy_for(masks()));
                let counted = from.counted(*p);
                total = total.saturating_add(counted);
                if let Some(c) = model.counted.get_mut(p.index()) {
                    *c = counted;
                }
                model.set_relation(*p, Mode::Definite, definite);
                if let Some(slot) = model.possible.get_mut(p.index()) {
                    *slot = possible.map(Box::new);
                }
            }
            bytes = bytes
                .saturating_sub(before)
                .saturating_add(stratum_bytes(&model, stratum));
            if let Some(e) = eval.bounds.stop(eval.start, total) {
                return Err(e);
            }
            over_memory(&eval.bounds.limits, bytes)?;
            continue;
        }
        eval.stratum(stratum, &mut model, &mut total, &mut bytes)?;
    }
    debug_assert_eq!(bytes, model.estimated_bytes(), "bytes kept up to date");
    Ok(model)
}

/// What every pass of one evaluation shares.
struct Evaluation<'a> {
    program: &'a Program,
    compiled: &'a CompiledPosition,
    bounds: Bounds,
    /// When the evaluation began: the time budget runs from here.
    start: Instant,
}

impl Evaluation<'_> {
    /// Both passes of one stratum; `total` counts the atoms held so far.
    fn stratum(
        &self,
        stratum: &Stratum,
        model: &mut Model,
        total: &mut usize,
        bytes: &mut usize,
    ) -> Result<(), EvalError> {
        if cannot_derive(self, stratum, model) {
            // Its relations stay empty in both modes, as both passes would leave them.
            return Ok(());
        }
        self.fixpoint(stratum, model, Mode::Definite, total, bytes)?;
        // The possible pass is needed only if something the stratum reads can be unknown.
        let inputs_unknown = stratum
            .reads
            .iter()
            .any(|p| !stratum.preds.contains(p) && model.possible_distinct(*p).is_some());
        if inputs_unknown || stipulated_unknown(model, stratum) || stratum.has_unsettled {
            self.fixpoint(stratum, model, Mode::Possible, total, bytes)?;
            // Possible relations that turned out identical to the definite ones are dropped.
            let before = stratum_bytes(model, stratum);
            for p in &stratum.preds {
                model.forget_possible_if_definite(*p);
            }
            *bytes = bytes
                .saturating_sub(before)
                .saturating_add(stratum_bytes(model, stratum));
        }
        Ok(())
    }

    /// The least fixpoint of one stratum in one mode, semi-naively.
    fn fixpoint(
        &self,
        stratum: &Stratum,
        model: &mut Model,
        mode: Mode,
        total: &mut usize,
        bytes: &mut usize,
    ) -> Result<(), EvalError> {
        // Everything but this stratum's relations stays as it is during the pass.
        let others = bytes.saturating_sub(stratum_bytes(model, stratum));
        let pass = Pass::new(self, stratum, mode, model);
        pass.seed(model);
        let mut delta = pass.initial_delta(model);
        let mut round: u32 = 0;
        // What the relations hold when a round begins (its new rows come on top): measured
        // once here, then after each round, where the budget is checked.
        let mut bytes_at_start = others.saturating_add(stratum_bytes(model, stratum));
        *bytes = bytes_at_start;
        loop {
            let found = pass.derive(model, round, &delta, *total, bytes_at_start)?;
            if found.iter().all(|f| f.count == 0) {
                break;
            }
            delta = pass.store(model, found, round, total)?;
            if let Some(e) = self.bounds.stop(self.start, *total) {
                return Err(e);
            }
            bytes_at_start = others.saturating_add(stratum_bytes(model, stratum));
            *bytes = bytes_at_start;
            over_memory(&self.bounds.limits, bytes_at_start)?;
            if !stratum.recursive {
                break;
            }
            round += 1;
        }
        Ok(())
    }
}

/// Whether no rule of the stratum can derive anything, true or unknown: each scans, among
/// the atoms every solution of its body needs, a predicate with no possible row, and no
/// atom of the stratum is stipulated. (A predicate of the stratum itself has no row before
/// the fixpoint; if every rule is blocked, none ever gets one.) The small scenarios of a
/// batch leave many parts of the law without any fact to apply to; this spares them the
/// set-up of two passes.
fn cannot_derive(eval: &Evaluation, stratum: &Stratum, model: &Model) -> bool {
    fn blocked(plan: &Plan, model: &Model) -> bool {
        match plan {
            Plan::Scan { pred, .. } => model.relation(*pred, Mode::Possible).is_empty(),
            Plan::Seq(items) => items.iter().any(|p| blocked(p, model)),
            Plan::Alt(alts) | Plan::Any(alts) => alts.iter().all(|p| blocked(p, model)),
            Plan::Neg(_) | Plan::Cmp { .. } | Plan::Unsettled(_) => false,
        }
    }
    stratum
        .preds
        .iter()
        .all(|p| model.stipulations(*p).is_empty())
        && stratum.rules.iter().all(|ri| {
            eval.compiled
                .rules
                .get(*ri)
                .is_none_or(|r| blocked(&r.plan, model))
        })
}

/// The estimated bytes of the relations of a stratum's predicates (both modes).
fn stratum_bytes(model: &Model, stratum: &Stratum) -> usize {
    stratum
        .preds
        .iter()
        .map(|p| model.own_bytes(*p))
        .fold(0, usize::saturating_add)
}

/// Whether a stipulation makes some atom of the stratum unknown.
fn stipulated_unknown(model: &Model, stratum: &Stratum) -> bool {
    stratum.preds.iter().any(|p| {
        model
            .stipulations(*p)
            .values()
            .any(|v| *v == Truth::Unknown)
    })
}

/// Per predicate of the stratum: the rows added in the previous round, a range of its
/// relation (rows are never removed, so they are contiguous).
type Deltas = FxHashMap<PredId, Range<usize>>;

/// The new tuples of one predicate found in a round, flat (arity constants each): compact,
/// since a round of a large fixpoint can find millions.
struct Found {
    pred: PredId,
    flat: Vec<Sym>,
    count: usize,
}

/// One pass: the least fixpoint of one stratum in one mode.
struct Pass<'a> {
    eval: &'a Evaluation<'a>,
    stratum: &'a Stratum,
    mode: Mode,
    rules: Vec<&'a CompiledRule>,
    /// The possible pass starts from the definite fixpoint: every rule is positive and raises
    /// no open point, so only what the unknown inputs add needs following.
    from_definite: bool,
    /// With `from_definite`: per input predicate, its rows that are possible but not definite
    /// (flat, with the arity).
    unknown: FxHashMap<PredId, (Vec<Sym>, usize)>,
    deadline: Option<Deadline>,
}

impl<'a> Pass<'a> {
    fn new(eval: &'a Evaluation<'a>, stratum: &'a Stratum, mode: Mode, model: &Model) -> Self {
        let rules: Vec<&CompiledRule> = stratum
            .rules
            .iter()
            .filter_map(|ri| eval.compiled.rules.get(*ri))
            .collect();
        let from_definite = mode == Mode::Possible
            && !stipulated_unknown(model, stratum)
            && rules.iter().all(|r| r.simple);
        let unknown = if from_definite {
            unknown_inputs(&rules, model)
        } else {
            FxHashMap::default()
        };
        Pass {
            eval,
            stratum,
            mode,
            rules,
            from_definite,
            unknown,
            deadline: Deadline::for_bounds(eval.start, &eval.bounds),
        }
    }

    /// The relations the pass starts from: the stipulations (true atoms in both passes,
    /// unknown ones in the possible pass), or the definite fixpoint.
    fn seed(&self, model: &mut Model) {
        for &p in &self.stratum.preds {
            let mut rel = Relation::new();
            if self.from_definite {
                for row in model.definite(p).iter() {
                    rel.insert(row);
                }
            } else {
                let mut seeds: Vec<(&Tuple, &Truth)> = model.stipulations(p).iter().collect();
                seeds.sort();
                for (t, v) in seeds {
                    let keep = match self.mode {
                        Mode::Definite => *v == Truth::True,
                        Mode::Possible => *v != Truth::False,
                    };
                    if keep {
                        rel.insert(t);
                    }
                }
            }
            for m in self.eval.compiled.masks.get(&p).into_iter().flatten() {
                rel.ensure_index(*m);
            }
            model.set_relation(p, self.mode, rel);
        }
    }

    /// The delta of round 0: every seed, or none when the pass starts from the definite
    /// fixpoint (which is already closed under the rules).
    fn initial_delta(&self, model: &Model) -> Deltas {
        self.stratum
            .preds
            .iter()
            .map(|p| {
                let len = model.relation(*p, self.mode).len();
                (*p, if self.from_definite { len..len } else { 0..len })
            })
            .collect()
    }

    /// Runs every rule of the stratum once for round `round`: what it derives that the
    /// relations do not hold yet. `total` atoms are held, taking `bytes_at_start` bytes.
    fn derive(
        &self,
        model: &Model,
        round: u32,
        delta: &Deltas,
        total: usize,
        bytes_at_start: usize,
    ) -> Result<Vec<Found>, EvalError> {
        let mut found: Vec<Found> = self
            .stratum
            .preds
            .iter()
            .map(|p| Found {
                pred: *p,
                flat: Vec::new(),
                count: 0,
            })
            .collect();
        let mut budget = RoundBudget::new(
            &self.eval.bounds.limits,
            self.deadline.as_ref(),
            total,
            bytes_at_start,
        );
        for cr in &self.rules {
            let stip = model.stipulations(cr.head.pred);
            let target = model.relation(cr.head.pred, self.mode);
            let Some(out) = found.iter_mut().find(|f| f.pred == cr.head.pred) else {
                continue;
            };
            let arity = cr.head.args.len();
            let mut emit = |t: &[Sym]| {
                if budget.too_many {
                    return false;
                }
                if !target.contains(t) && (stip.is_empty() || !stip.contains_key(t)) {
                    out.flat.extend_from_slice(t);
                    out.count += 1;
                    return budget.found_one(&mut out.flat, &mut out.count, arity);
                }
                true
            };
            self.run_rule(model, cr, round, delta, &mut emit);
        }
        budget.outcome(self.eval.start)?;
        Ok(found)
    }

    /// Runs one rule for round `round`, calling `emit` with the conclusion of every solution
    /// of its body (a [`Join`] leaves out those the relation already holds).
    fn run_rule(
        &self,
        model: &Model,
        cr: &CompiledRule,
        round: u32,
        delta: &Deltas,
        emit: &mut dyn FnMut(&[Sym]) -> bool,
    ) {
        if round == 0 {
            if self.from_definite {
                // Follow what the unknown inputs add.
                for (i, (occ, pred, plan)) in cr.input_plans.iter().enumerate() {
                    if let Some((flat, arity)) = self.unknown.get(pred) {
                        let rows = Rows::from_flat(flat, *arity);
                        if !rows.is_empty() {
                            let join = cr.joins.inputs.get(i).and_then(Option::as_ref);
                            self.solve(model, cr, (plan, join), Some((*occ, rows)), emit);
                        }
                    }
                }
            } else {
                // Every rule runs over the whole relations once, recursive ones too: an
                // alternative of an `or` may need no recursive atom at all
                // (`b(P) if b(P) or seed(P)`), and only this run reaches it. What the seeds
                // (stipulations) support is covered here as well, so the delta plans start
                // in the next round.
                self.solve(model, cr, (&cr.plan, cr.joins.plan.as_ref()), None, emit);
                return;
            }
        }
        // Recursive rules: each recursive atom in turn reads only the delta, first when the
        // delta is smaller than what the rule's plan scans first.
        for (i, (occ, pred)) in cr.recursive_occurrences.iter().enumerate() {
            let Some(range) = delta.get(pred) else {
                continue;
            };
            if range.is_empty() {
                continue;
            }
            let rows = model.relation(*pred, self.mode).range(range.clone());
            let outer = first_scan(&cr.plan).map(|(p, o)| {
                if o == *occ {
                    0
                } else {
                    model.relation(p, self.mode).len()
                }
            });
            let plan = match (outer, cr.recursive_plans.get(i)) {
                (Some(outer), Some(first)) if range.len() < outer => {
                    (&**first, cr.joins.recursive.get(i).and_then(Option::as_ref))
                }
                _ => (&*cr.plan, cr.joins.plan.as_ref()),
            };
            self.solve(model, cr, plan, Some((*occ, rows)), emit);
        }
    }

    /// Solves `plan` (a plan of rule `cr`, with its [`Join`] when it has one), the scan
    /// `focus.0` reading only the rows `focus.1` (through an index on its bound positions,
    /// when it has any); calls `emit` with the conclusion of each solution (a join leaves
    /// out those the rule's relation already holds).
    fn solve(
        &self,
        model: &Model,
        cr: &CompiledRule,
        (plan, join): (&Plan, Option<&Join>),
        focus: Option<(u32, Rows<'_>)>,
        emit: &mut dyn FnMut(&[Sym]) -> bool,
    ) {
        let index = focus.and_then(|(occ, rows)| {
            let mask = scan_mask(plan, occ).unwrap_or(0);
            (mask != 0).then(|| relation::index_rows(rows, mask))
        });
        let focus = focus.map(|(occurrence, rows)| Focus {
            occurrence,
            rows,
            index: index.as_ref(),
        });
        if let Some(join) = join {
            let known = model.relation(cr.head.pred, self.mode);
            join.run(model, self.mode, focus, known, self.deadline.as_ref(), emit);
            return;
        }
        let solver = Solver {
            program: self.eval.program,
            model,
            focus,
            deadline: self.deadline.as_ref(),
        };
        let mut env: Env = vec![None; cr.nvars];
        let mut buf = Tuple::new();
        solver.solve(plan, self.mode, &mut env, &mut |env: &mut Env| {
            !instantiate_into(&cr.head, env, &mut buf) || emit(&buf)
        });
    }

    /// Adds what a round found to the relations, in round `round + 1`; the delta of the next
    /// round.
    fn store(
        &self,
        model: &mut Model,
        found: Vec<Found>,
        round: u32,
        total: &mut usize,
    ) -> Result<Deltas, EvalError> {
        let mut next: Deltas = self
            .stratum
            .preds
            .iter()
            .map(|p| {
                let len = model.relation(*p, self.mode).len();
                (*p, len..len)
            })
            .collect();
        for Found { pred, flat, count } in found {
            let arity = self.eval.program.predicate(pred).arity();
            let Some(rel) = model.relation_mut(pred, self.mode) else {
                continue;
            };
            let mut added = 0usize;
            for t in Rows::from_flat(&flat, arity).iter() {
                if rel.insert_in_round(t, round + 1) {
                    added += 1;
                }
                // Millions of rows may come out of one round: the budget holds here too.
                if let Some(d) = self.deadline.as_ref().filter(|d| !d.step()) {
                    *total += added;
                    return Err(d.error(self.eval.start));
                }
            }
            if arity == 0 && count > 0 && rel.insert_in_round(&[], round + 1) {
                // A proposition (no slots) has one row, with no constants.
                added += 1;
            }
            if let Some(r) = next.get_mut(&pred) {
                r.end = rel.len();
            }
            *total += added;
            if let Some(c) = model.counted.get_mut(pred.index()) {
                *c += added;
            }
        }
        Ok(next)
    }
}

/// Per input predicate of the rules (the positive scans of lower strata): its rows that are
/// possible but not definite, flat, with the arity.
fn unknown_inputs(rules: &[&CompiledRule], model: &Model) -> FxHashMap<PredId, (Vec<Sym>, usize)> {
    let mut unknown: FxHashMap<PredId, (Vec<Sym>, usize)> = FxHashMap::default();
    for r in rules {
        for (_, pred, _) in &r.input_plans {
            if unknown.contains_key(pred) {
                continue;
            }
            let rows: (Vec<Sym>, usize) = match model.possible_distinct(*pred) {
                Some(p) => {
                    let d = model.definite(*pred);
                    let flat = p
                        .iter()
                        .filter(|t| !d.contains(t))
                        .flat_map(|t| t.iter().copied())
                        .collect();
                    (flat, p.arity())
                }
                _ => (Vec::new(), 0),
            };
            unknown.insert(*pred, rows);
        }
    }
    unknown
}

/// The limits within one round: one join can derive without end, so the tuples found are
/// counted (repeats dropped) whenever they could have passed the atom or memory budget.
struct RoundBudget<'a> {
    limits: &'a Limits,
    deadline: Option<&'a Deadline>,
    /// Atoms held when the round began.
    total: usize,
    /// Bytes the relations took when the round began.
    bytes_at_start: usize,
    /// Tuples found this round (repeats included until they are counted again).
    pending: usize,
    /// When to count again.
    recount: usize,
    too_many: bool,
    too_big: bool,
}

impl<'a> RoundBudget<'a> {
    fn new(
        limits: &'a Limits,
        deadline: Option<&'a Deadline>,
        total: usize,
        bytes_at_start: usize,
    ) -> Self {
        RoundBudget {
            limits,
            deadline,
            total,
            bytes_at_start,
            pending: 0,
            recount: limits.max_atoms.saturating_sub(total),
            too_many: false,
            too_big: false,
        }
    }

    /// Counts one tuple just added to `out` (`count` tuples of `arity` constants); `false`
    /// when the round must stop.
    fn found_one(&mut self, out: &mut Vec<Sym>, count: &mut usize, arity: usize) -> bool {
        self.pending += 1;
        if self.pending <= self.recount {
            return true;
        }
        self.pending -= dedup_flat(out, count, arity, self.deadline);
        if self.deadline.is_some_and(|d| d.stopped()) {
            return false;
        }
        if self.total + self.pending > self.limits.max_atoms {
            self.too_many = true;
            return false;
        }
        let row_bytes = 4 * arity.max(1);
        if self
            .bytes_at_start
            .saturating_add(self.pending.saturating_mul(row_bytes))
            > self.limits.max_memory
        {
            self.too_big = true;
            return false;
        }
        // Count again before the buffer could pass either budget.
        let room = self.limits.max_memory.saturating_sub(self.bytes_at_start) / row_bytes;
        self.recount = self
            .pending
            .saturating_mul(2)
            .max(self.pending + 4096)
            .max(self.limits.max_atoms.saturating_sub(self.total))
            .min(room.max(self.pending + 4096));
        true
    }

    /// Why the round stopped early, if it did (for an evaluation begun at `start`).
    fn outcome(&self, start: Instant) -> Result<(), EvalError> {
        if self.deadline.is_some_and(|d| d.cancelled()) {
            return Err(EvalError::Cancelled);
        }
        if self.too_many {
            return Err(EvalError::TooManyAtoms {
                limit: self.limits.max_atoms,
            });
        }
        if self.too_big {
            return Err(EvalError::TooMuchMemory {
                limit: self.limits.max_memory,
            });
        }
        if self.deadline.is_some_and(|d| d.passed()) {
            return Err(EvalError::TimeBudget {
                seconds: start.elapsed().as_secs_f64(),
            });
        }
        Ok(())
    }
}

/// Drops repeated tuples from a flat buffer of `count` tuples of `arity` constants each;
/// how many were dropped. A buffer can hold tens of millions of tuples, so the deadline is
/// looked at as it goes: once it has passed, the rest of the buffer is kept as it is (the
/// evaluation then stops with its time-budget error).
fn dedup_flat(
    flat: &mut Vec<Sym>,
    count: &mut usize,
    arity: usize,
    deadline: Option<&Deadline>,
) -> usize {
    let before = *count;
    if arity == 0 {
        *count = before.min(1);
        return before - *count;
    }
    let mut seen: FxHashSet<&[Sym]> = FxHashSet::default();
    let mut kept: Vec<Sym> = Vec::with_capacity(flat.len());
    let mut chunks = flat.chunks_exact(arity);
    for t in chunks.by_ref() {
        if seen.insert(t) {
            kept.extend_from_slice(t);
        }
        if deadline.is_some_and(|d| !d.step()) {
            break;
        }
    }
    for t in chunks {
        kept.extend_from_slice(t);
    }
    drop(seen);
    *count = kept.len() / arity;
    *flat = kept;
    before - *count
}

/// Writes the head's constants into `buf`; `false` if a variable is unbound.
/// The atom a plan scans first (its predicate and occurrence), when it starts with one.
pub(super) fn first_scan(plan: &Plan) -> Option<(PredId, u32)> {
    match plan {
        Plan::Seq(v) => v.first().and_then(first_scan),
        Plan::Scan {
            pred, occurrence, ..
        } => Some((*pred, *occurrence)),
        _ => None,
    }
}

fn instantiate_into(head: &Atom, env: &Env, buf: &mut Tuple) -> bool {
    buf.clear();
    for t in &head.args {
        match t {
            Term::Const(c) => buf.push(*c),
            Term::Var(v) => match env.get(v.index()).copied().flatten() {
                Some(s) => buf.push(s),
                None => return false,
            },
        }
    }
    true
}
