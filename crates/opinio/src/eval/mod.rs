//! Evaluation in three values.
//!
//! For each stratum (lowest first) two least fixpoints are computed, semi-naively:
//! the atoms that are *definitely true* (only `true` counts) and those that are *possibly
//! true* (`unknown` counts as `true`). An atom is `true` if definitely true, `unknown` if
//! possibly but not definitely true, `false` otherwise. Negation flips between the two:
//! `not a` is definitely true when `a` is not even possibly true, and possibly true when `a`
//! is not definitely true. This gives strong Kleene logic for non-recursive rules and the
//! least fixpoint for recursive ones (SEMANTICS.md, "Evaluation").

pub mod relation;

use crate::check::program::*;
use crate::syntax::ast::{CmpOp, Truth};
use relation::{Mask, Relation, RowIndex, Rows};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bounds on one evaluation, so that no input can hang the process or exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most atoms (true or possibly true, all predicates together) one evaluation may derive.
    pub max_atoms: usize,
    /// Longest one evaluation may take.
    pub time_budget: Option<Duration>,
    /// Most memory, in bytes, the relations of one evaluation may take, as estimated from
    /// their rows, tables and indexes (and the rows a round has found but not stored yet).
    /// An atom of a predicate with many slots takes far more room than one with two, so the
    /// atom limit alone does not bound memory. Default: 2 GiB.
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_atoms: 20_000_000,
            time_budget: Some(Duration::from_secs(60)),
            max_memory: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// A request to stop evaluating, made from another thread: a Ctrl-C handler, a stop button.
///
/// Clones share one flag. Give a clone to whatever may cancel, and the token to the
/// evaluation ([`Scenario::set_cancel`](crate::Scenario::set_cancel), or [`Bounds`] for the
/// functions of this module): once [`cancel`](Cancel::cancel) is called, an evaluation that
/// reads the token stops within a few thousand steps of its search with
/// [`EvalError::Cancelled`], and so does every later one until [`reset`](Cancel::reset).
///
/// ```
/// use opinio::{Cancel, EvalError, KnowledgeBase, Scenario};
/// let kb = KnowledgeBase::bundled().unwrap();
/// let mut case = Scenario::new(&kb);
/// case.add_text("case.opinio", "state(x).").unwrap();
/// let cancel = Cancel::new();
/// case.set_cancel(Some(cancel.clone()));
/// cancel.cancel(); // as another thread would
/// let r = case.query("state(x)", None);
/// assert!(matches!(r, Err(opinio::Error::Limit(EvalError::Cancelled))));
/// cancel.reset();
/// assert!(case.query("state(x)", None).is_ok());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token not cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the evaluations reading this token to stop. Any thread may call it.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`cancel`](Cancel::cancel) was called since the last [`reset`](Cancel::reset).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Withdraws the request, so that the next evaluation runs to its end.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Two tokens are equal when they share their flag.
impl PartialEq for Cancel {
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cancel {}

/// Everything that stops one evaluation early: its [`Limits`] and, if any, a [`Cancel`]
/// token. The evaluation functions take `impl Into<Bounds>`, so `&Limits` does as well.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    pub limits: Limits,
    pub cancel: Option<Cancel>,
}

impl Bounds {
    /// Why to stop now, with `atoms` derived since `start`: cancelled, too many atoms, or out
    /// of time.
    fn stop(&self, start: Instant, atoms: usize) -> Option<EvalError> {
        if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
            return Some(EvalError::Cancelled);
        }
        if atoms > self.limits.max_atoms {
            return Some(EvalError::TooManyAtoms {
                limit: self.limits.max_atoms,
            });
        }
        let budget = self.limits.time_budget?;
        let spent = start.elapsed();
        (spent > budget).then_some(EvalError::TimeBudget {
            seconds: spent.as_secs_f64(),
        })
    }
}

impl From<Limits> for Bounds {
    fn from(limits: Limits) -> Bounds {
        Bounds {
            limits,
            cancel: None,
        }
    }
}

impl From<&Limits> for Bounds {
    fn from(limits: &Limits) -> Bounds {
        Bounds::from(*limits)
    }
}

impl From<&Bounds> for Bounds {
    fn from(bounds: &Bounds) -> Bounds {
        bounds.clone()
    }
}

/// Why an evaluation stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("evaluation stopped after deriving more than {limit} atoms")]
    TooManyAtoms { limit: usize },
    #[error("evaluation stopped after {}, its time budget", shown_seconds(*seconds))]
    TimeBudget { seconds: f64 },
    /// Its relations would take more than `limit` bytes ([`Limits::max_memory`]).
    #[error("evaluation stopped: its conclusions would take more than {} of memory", shown_bytes(*limit))]
    TooMuchMemory { limit: usize },
    /// Its [`Cancel`] token was cancelled. Nothing is cached: asking again evaluates anew.
    #[error("evaluation stopped: it was cancelled")]
    Cancelled,
}

/// `512 MiB`, `2.0 GiB`.
fn shown_bytes(bytes: usize) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let mib = bytes as f64 / MIB;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}

/// Whether `bytes` of relations exceed the memory budget.
fn over_memory(limits: &Limits, bytes: usize) -> Result<(), EvalError> {
    if bytes > limits.max_memory {
        Err(EvalError::TooMuchMemory {
            limit: limits.max_memory,
        })
    } else {
        Ok(())
    }
}

/// `1.2 s`, or `15 ms` below a second.
fn shown_seconds(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1000.0)
    } else {
        format!("{seconds:.1} s")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only `true` counts.
    Definite,
    /// `unknown` counts as `true`.
    Possible,
}

impl Mode {
    fn flip(self) -> Mode {
        match self {
            Mode::Definite => Mode::Possible,
            Mode::Possible => Mode::Definite,
        }
    }
}

/// An executable form of a formula, with conjuncts ordered so that each probe has as many
/// bound arguments as possible.
#[derive(Debug, Clone)]
pub enum Plan {
    Seq(Vec<Plan>),
    Alt(Vec<Plan>),
    Scan {
        pred: PredId,
        args: Vec<Term>,
        /// Argument positions bound when the scan runs.
        mask: Mask,
        occurrence: u32,
    },
    /// Succeeds (binding nothing) when the inner plan has no solution in the flipped mode.
    Neg(Box<Plan>),
    Cmp {
        left: Term,
        op: CmpOp,
        right: Term,
        ty: Option<TypeId>,
    },
    Unsettled(PointId),
}

#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub rule: RuleId,
    pub head: Atom,
    pub plan: Plan,
    pub nvars: usize,
    /// Scans of predicates of the rule's own stratum: in turn, each reads the semi-naive
    /// delta through `plan` itself (its order is kept: the delta is probed through an index
    /// on the bound positions).
    pub recursive_occurrences: Vec<(u32, PredId)>,
    /// For each positive scan of a lower predicate: the plan that scans it first (the possible
    /// pass reads only that predicate's unknown rows there).
    pub input_plans: Vec<(u32, PredId, Plan)>,
    /// No negation and no open point of law: the possible pass can start from the definite
    /// fixpoint and follow only what the unknown inputs add.
    pub simple: bool,
}

#[derive(Debug, Clone)]
pub struct Stratum {
    pub preds: Vec<PredId>,
    pub rules: Vec<usize>,
    pub recursive: bool,
    /// Every predicate the stratum's rules read.
    pub reads: Vec<PredId>,
    pub has_unsettled: bool,
}

/// The rules of one position, compiled for evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPosition {
    pub position: PosId,
    pub rules: Vec<CompiledRule>,
    pub strata: Vec<Stratum>,
    /// Index masks each predicate is probed with.
    pub masks: FxHashMap<PredId, FxHashSet<Mask>>,
}

/// Compiles the rules in force under `position` (the program must have no errors).
pub fn compile(program: &Program, position: PosId) -> CompiledPosition {
    let pinfo = program.position(position);
    let mut stratum_of: FxHashMap<PredId, usize> = FxHashMap::default();
    for (i, s) in pinfo.strata.iter().enumerate() {
        for p in s {
            stratum_of.insert(*p, i);
        }
    }
    let mut strata: Vec<Stratum> = pinfo
        .strata
        .iter()
        .map(|preds| Stratum {
            preds: preds.clone(),
            rules: Vec::new(),
            recursive: false,
            reads: Vec::new(),
            has_unsettled: false,
        })
        .collect();
    let mut rules = Vec::new();
    let mut masks: FxHashMap<PredId, FxHashSet<Mask>> = FxHashMap::default();
    for &rid in &pinfo.rules {
        let rule = program.rule(rid);
        let plan = plan_formula(&rule.body, &FxHashSet::default());
        collect_masks(&plan, &mut masks);
        let Some(&si) = stratum_of.get(&rule.head.pred) else {
            continue;
        };
        let mut recursive_occurrences = Vec::new();
        let mut inputs = Vec::new();
        let mut reads = Vec::new();
        let mut negated_any = false;
        scans(&plan, false, &mut |pred, occ, negated| {
            reads.push(pred);
            negated_any |= negated;
            if !negated && stratum_of.get(&pred) == Some(&si) {
                recursive_occurrences.push((occ, pred));
            } else if !negated {
                inputs.push((occ, pred));
            }
        });
        let mut pts = Vec::new();
        rule.body.unsettled_points(&mut pts);
        // A rule with very many inputs gets no input plans (one plan per input would make
        // compiling it quadratic in time and memory): its possible pass starts from scratch,
        // which gives the same answers.
        // A proposition (an input with no slots) has rows of no constants, which the flat
        // lists of unknown rows cannot count: such rules start their possible pass afresh.
        let simple = !negated_any
            && !has_negation(&rule.body)
            && pts.is_empty()
            && inputs.len() <= MAX_INPUT_PLANS
            && inputs
                .iter()
                .all(|(_, p)| program.predicate(*p).arity() > 0);
        let input_plans: Vec<(u32, PredId, Plan)> = if simple {
            inputs
                .iter()
                .map(|(occ, pred)| (*occ, *pred, plan_first(&rule.body, *occ)))
                .collect()
        } else {
            Vec::new()
        };
        for (_, _, p) in &input_plans {
            collect_masks(p, &mut masks);
        }
        if let Some(s) = strata.get_mut(si) {
            s.rules.push(rules.len());
            s.recursive |= !recursive_occurrences.is_empty();
            s.reads.extend(reads);
            s.has_unsettled |= !pts.is_empty();
        }
        rules.push(CompiledRule {
            rule: rid,
            head: rule.head.clone(),
            plan,
            nvars: rule.vars.len(),
            recursive_occurrences,
            input_plans,
            simple,
        });
    }
    for s in &mut strata {
        s.reads.sort();
        s.reads.dedup();
    }
    CompiledPosition {
        position,
        rules,
        strata,
        masks,
    }
}

/// Most positive inputs a rule may read for the possible pass to start from the definite
/// fixpoint (see `CompiledRule::simple`).
const MAX_INPUT_PLANS: usize = 32;

fn has_negation(f: &Formula) -> bool {
    match f {
        Formula::And(v) | Formula::Or(v) => v.iter().any(has_negation),
        Formula::Not(..) => true,
        _ => false,
    }
}

/// Plans a rule body so that the atom `occurrence` is scanned first (when it is one of the
/// top-level conjuncts): semi-naive evaluation then starts from the small delta.
pub fn plan_first(f: &Formula, occurrence: u32) -> Plan {
    let parts: Vec<&Formula> = match f {
        Formula::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    let Some(pos) = parts
        .iter()
        .position(|p| matches!(p, Formula::Atom(_, occ) if *occ == occurrence))
    else {
        return plan_formula(f, &FxHashSet::default());
    };
    let mut bound = FxHashSet::default();
    let mut seq = Vec::new();
    if let Some(first) = parts.get(pos) {
        seq.push(plan_with(first, &mut bound));
    }
    let rest: Vec<Formula> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pos)
        .map(|(_, p)| (*p).clone())
        .collect();
    if !rest.is_empty() {
        seq.push(plan_with(&Formula::And(rest), &mut bound));
    }
    Plan::Seq(seq)
}

/// The mask a plan probes the scan `occurrence` with.
fn scan_mask(plan: &Plan, occurrence: u32) -> Option<Mask> {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) => v.iter().find_map(|p| scan_mask(p, occurrence)),
        Plan::Neg(p) => scan_mask(p, occurrence),
        Plan::Scan {
            occurrence: o,
            mask,
            ..
        } if *o == occurrence => Some(*mask),
        _ => None,
    }
}

fn scans(plan: &Plan, negated: bool, f: &mut dyn FnMut(PredId, u32, bool)) {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) => v.iter().for_each(|p| scans(p, negated, f)),
        Plan::Neg(p) => scans(p, true, f),
        Plan::Scan {
            pred, occurrence, ..
        } => f(*pred, *occurrence, negated),
        Plan::Cmp { .. } | Plan::Unsettled(_) => {}
    }
}

fn collect_masks(plan: &Plan, out: &mut FxHashMap<PredId, FxHashSet<Mask>>) {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) => v.iter().for_each(|p| collect_masks(p, out)),
        Plan::Neg(p) => collect_masks(p, out),
        Plan::Scan { pred, mask, .. } => {
            out.entry(*pred).or_default().insert(*mask);
        }
        Plan::Cmp { .. } | Plan::Unsettled(_) => {}
    }
}

fn term_bound(t: &Term, bound: &FxHashSet<VarId>) -> bool {
    match t {
        Term::Const(_) => true,
        Term::Var(v) => bound.contains(v),
    }
}

fn atom_mask(a: &Atom, bound: &FxHashSet<VarId>) -> Mask {
    let mut mask = 0;
    for (i, t) in a.args.iter().enumerate() {
        if term_bound(t, bound) && i < 32 {
            mask |= 1 << i;
        }
    }
    mask
}

/// Orders a formula for execution, given the variables bound on entry.
pub fn plan_formula(f: &Formula, bound: &FxHashSet<VarId>) -> Plan {
    let mut bound = bound.clone();
    plan_with(f, &mut bound)
}

fn plan_with(f: &Formula, bound: &mut FxHashSet<VarId>) -> Plan {
    match f {
        Formula::And(parts) => {
            let mut remaining: Vec<&Formula> = parts.iter().collect();
            let mut seq = Vec::new();
            while !remaining.is_empty() {
                // Filters first, as soon as they can run; then the most bound atom.
                let ready = remaining.iter().position(|p| is_ready_filter(p, bound));
                let pick = match ready {
                    Some(i) => i,
                    None => {
                        // Only a part whose comparisons and negations will have their
                        // variables bound may run now (`(X = Y or r(X))` waits for `Y`).
                        let runnable: Vec<usize> = (0..remaining.len())
                            .filter(|i| remaining.get(*i).is_some_and(|p| is_runnable(p, bound)))
                            .collect();
                        if runnable.is_empty() {
                            best_generator(&remaining, bound)
                        } else {
                            let parts: Vec<&Formula> = runnable
                                .iter()
                                .filter_map(|i| remaining.get(*i).copied())
                                .collect();
                            let best = best_generator(&parts, bound);
                            runnable.get(best).copied().unwrap_or(0)
                        }
                    }
                };
                let chosen = remaining.remove(pick);
                seq.push(plan_with(chosen, bound));
            }
            if seq.len() == 1 {
                seq.pop().unwrap_or(Plan::Seq(Vec::new()))
            } else {
                Plan::Seq(seq)
            }
        }
        Formula::Or(parts) => {
            let before = bound.clone();
            let mut common: Option<FxHashSet<VarId>> = None;
            let alts = parts
                .iter()
                .map(|p| {
                    let mut b = before.clone();
                    let plan = plan_with(p, &mut b);
                    common = Some(match common.take() {
                        None => b,
                        Some(c) => c.intersection(&b).copied().collect(),
                    });
                    plan
                })
                .collect();
            if let Some(c) = common {
                *bound = c;
            }
            Plan::Alt(alts)
        }
        Formula::Not(inner, _) => {
            let mut b = bound.clone();
            Plan::Neg(Box::new(plan_with(inner, &mut b)))
        }
        Formula::Atom(a, occ) => {
            let mask = atom_mask(a, bound);
            for t in &a.args {
                if let Term::Var(v) = t {
                    bound.insert(*v);
                }
            }
            Plan::Scan {
                pred: a.pred,
                args: a.args.clone(),
                mask,
                occurrence: *occ,
            }
        }
        Formula::Compare {
            left,
            op,
            right,
            ty,
            ..
        } => {
            if *op == CmpOp::Eq {
                for t in [left, right] {
                    if let Term::Var(v) = t {
                        bound.insert(*v);
                    }
                }
            }
            Plan::Cmp {
                left: *left,
                op: *op,
                right: *right,
                ty: *ty,
            }
        }
        Formula::Unsettled { point, .. } => Plan::Unsettled(*point),
    }
}

/// Whether a formula can run with `bound` bound on entry: every comparison and negation in it
/// finds its variables bound by then (conjuncts taken in the best order).
fn is_runnable(f: &Formula, bound: &FxHashSet<VarId>) -> bool {
    match f {
        Formula::Atom(..) | Formula::Unsettled { .. } => true,
        Formula::Compare { .. } | Formula::Not(..) => is_ready_filter(f, bound),
        Formula::Or(parts) => parts.iter().all(|p| is_runnable(p, bound)),
        Formula::And(parts) => {
            let mut b = bound.clone();
            let mut left: Vec<&Formula> = parts.iter().collect();
            while !left.is_empty() {
                let Some(i) = left.iter().position(|p| is_runnable(p, &b)) else {
                    return false;
                };
                let p = left.remove(i);
                b = crate::check::binds(p, &b);
            }
            true
        }
    }
}

/// Whether a conjunct only tests (binds nothing new) and can run now.
fn is_ready_filter(f: &Formula, bound: &FxHashSet<VarId>) -> bool {
    match f {
        Formula::Compare {
            left, op, right, ..
        } => {
            let (l, r) = (term_bound(left, bound), term_bound(right, bound));
            (l && r) || (*op == CmpOp::Eq && (l || r))
        }
        Formula::Unsettled { .. } => true,
        Formula::Not(inner, locals) => {
            let mut vs = FxHashSet::default();
            free_vars(inner, &mut vs);
            vs.iter().all(|v| bound.contains(v) || locals.contains(v))
        }
        Formula::Atom(a, _) => a.args.iter().all(|t| term_bound(t, bound)),
        Formula::And(_) | Formula::Or(_) => false,
    }
}

fn free_vars(f: &Formula, out: &mut FxHashSet<VarId>) {
    let term = |t: &Term, out: &mut FxHashSet<VarId>| {
        if let Term::Var(v) = t {
            out.insert(*v);
        }
    };
    match f {
        Formula::And(v) | Formula::Or(v) => v.iter().for_each(|x| free_vars(x, out)),
        Formula::Not(x, locals) => {
            let mut inner = FxHashSet::default();
            free_vars(x, &mut inner);
            out.extend(inner.into_iter().filter(|v| !locals.contains(v)));
        }
        Formula::Atom(a, _) => a.args.iter().for_each(|t| term(t, out)),
        Formula::Compare { left, right, .. } => {
            term(left, out);
            term(right, out);
        }
        Formula::Unsettled { .. } => {}
    }
}

fn best_generator(parts: &[&Formula], bound: &FxHashSet<VarId>) -> usize {
    let mut best = 0;
    let mut best_score = i64::MIN;
    for (i, p) in parts.iter().enumerate() {
        let score = match p {
            Formula::Atom(a, _) => {
                let b = a.args.iter().filter(|t| term_bound(t, bound)).count() as i64;
                let unbound = a.args.len() as i64 - b;
                // Prefer atoms with bound arguments, then fewer unbound ones.
                100 * b.min(1) + 10 * b - unbound
            }
            Formula::And(_) | Formula::Or(_) => -50,
            // Filters that are not ready yet (their variables come later) go last.
            _ => -1000,
        };
        if score > best_score {
            best_score = score;
            best = i;
        }
    }
    best
}

// ============================================================================ input facts

/// The facts of a scenario (and of the knowledge base), prepared for evaluation.
#[derive(Debug, Clone, Default)]
pub struct FactSet {
    /// Per predicate: stated atoms and their values.
    pub stated: Vec<FxHashMap<Tuple, Truth>>,
    /// Per type: its domain.
    pub domains: Vec<Vec<Sym>>,
}

#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
impl FactSet {
    /// Collects facts and computes every type's domain.
    pub fn new<'a>(
        program: &Program,
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
                TypeKind::Open => open[i].iter().copied().collect(),
                TypeKind::From(p) => stated
                    .get(p.index())
                    .map(|m| {
                        m.iter()
                            .filter(|(_, v)| **v == Truth::True)
                            .filter_map(|(t, _)| t.first().copied())
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if !matches!(ty.kind, TypeKind::Enumerated { .. }) {
                d.sort_unstable();
                d.dedup();
            }
            domains[i] = d;
        }
        FactSet { stated, domains }
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

/// The value of a base atom that nobody stated: false for closed predicates and for the
/// other values of a functional one, unknown otherwise.
pub fn default_base_value(program: &Program, facts: &FactSet, pred: PredId, args: &[Sym]) -> Truth {
    let info = program.predicate(pred);
    if info.closed {
        return Truth::False;
    }
    if info.functional {
        if let Some((_, prefix)) = args.split_last() {
            let pinned = facts.stated.get(pred.index()).is_some_and(|m| {
                m.iter().any(|(t, v)| {
                    *v == Truth::True
                        && t.len() == args.len()
                        && t.get(..prefix.len()) == Some(prefix)
                })
            });
            if pinned {
                return Truth::False;
            }
        }
    }
    Truth::Unknown
}

// ============================================================================ the model

/// Everything one evaluation concluded.
#[derive(Debug, Clone)]
pub struct Model {
    pub position: PosId,
    /// The base predicates' relations, shared by every position's model of one scenario.
    base: std::sync::Arc<BaseRelations>,
    /// Derived predicates (the base predicates' slots stay empty).
    definite: Vec<Relation>,
    /// `None`: the same atoms as `definite` (nothing unknown there).
    possible: Vec<Option<Relation>>,
    settlements: FxHashMap<PointId, bool>,
}

/// What the facts say about the base predicates: what is stated, and what the open world
/// leaves possible. It depends on the facts only, not on the position, so one copy serves
/// every position's evaluation.
#[derive(Debug, Clone, Default)]
pub struct BaseRelations {
    derived: Vec<bool>,
    definite: Vec<Relation>,
    possible: Vec<Option<Relation>>,
    /// Derived atoms fixed by a stipulation, with their stated value.
    stipulated: Vec<FxHashMap<Tuple, Truth>>,
    atoms: usize,
    /// The estimated heap bytes of the relations above.
    bytes: usize,
}

#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
impl Model {
    fn is_base(&self, pred: PredId) -> bool {
        !self.base.derived[pred.index()]
    }

    pub fn definite(&self, pred: PredId) -> &Relation {
        if self.is_base(pred) {
            &self.base.definite[pred.index()]
        } else {
            &self.definite[pred.index()]
        }
    }

    pub fn possible(&self, pred: PredId) -> &Relation {
        self.possible_distinct(pred)
            .unwrap_or_else(|| self.definite(pred))
    }

    /// The possible atoms of `pred` when some of them are not definite.
    pub fn possible_distinct(&self, pred: PredId) -> Option<&Relation> {
        if self.is_base(pred) {
            self.base.possible[pred.index()].as_ref()
        } else {
            self.possible[pred.index()].as_ref()
        }
    }

    /// Stipulated atoms of a derived predicate.
    pub fn stipulations(&self, pred: PredId) -> &FxHashMap<Tuple, Truth> {
        &self.base.stipulated[pred.index()]
    }

    pub fn relation(&self, pred: PredId, mode: Mode) -> &Relation {
        match mode {
            Mode::Definite => self.definite(pred),
            Mode::Possible => self.possible(pred),
        }
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
    pub fn settlement(&self, point: PointId) -> Option<bool> {
        self.settlements.get(&point).copied()
    }

    /// The fixpoint round in which an atom became definitely (or possibly) true: explanations
    /// pick supports from earlier rounds, so they never go in circles.
    pub fn round(&self, pred: PredId, args: &[Sym], mode: Mode) -> Option<u32> {
        self.relation(pred, mode).round_of(args)
    }

    pub fn is_stipulated(&self, pred: PredId, args: &[Sym]) -> Option<Truth> {
        self.base
            .stipulated
            .get(pred.index())
            .and_then(|m| m.get(args).copied())
    }

    /// The estimated heap bytes of every relation of the model, the shared base ones
    /// included (see [`Relation::estimated_bytes`]).
    pub fn estimated_bytes(&self) -> usize {
        self.definite
            .iter()
            .map(Relation::estimated_bytes)
            .chain(
                self.possible
                    .iter()
                    .flatten()
                    .map(Relation::estimated_bytes),
            )
            .fold(self.base.bytes, usize::saturating_add)
    }

    /// Total atoms held (definite plus possible-only).
    pub fn size(&self) -> usize {
        let d: usize = self.definite.iter().map(|r| r.len()).sum();
        let p: usize = self.possible.iter().flatten().map(|r| r.len()).sum();
        d + p + self.base.atoms
    }
}

/// Variable bindings during a search.
pub type Env = Vec<Option<Sym>>;

/// Reads relations for the solver: the model under construction, plus an optional delta.
pub struct Solver<'a> {
    pub program: &'a Program,
    pub model: &'a Model,
    /// The scan occurrence that reads only these rows (a delta) instead of the full relation.
    pub focus: Option<Focus<'a>>,
    /// Stops the search once the evaluation's time budget is spent (`None`: no limit).
    pub deadline: Option<&'a Deadline>,
}

/// The end of an evaluation's time budget, and its cancellation token, looked at every few
/// thousand rows a search visits: a join of large relations can run for hours within one
/// round, deriving nothing new.
#[derive(Debug)]
pub struct Deadline {
    at: Option<Instant>,
    cancel: Option<Cancel>,
    steps: std::cell::Cell<u32>,
    passed: std::cell::Cell<bool>,
    cancelled: std::cell::Cell<bool>,
}

impl Deadline {
    /// The deadline `budget` after `start` (`None` if that is too far to represent).
    pub fn new(start: Instant, budget: Duration) -> Option<Deadline> {
        start.checked_add(budget).map(|at| Deadline {
            at: Some(at),
            cancel: None,
            steps: std::cell::Cell::new(0),
            passed: std::cell::Cell::new(false),
            cancelled: std::cell::Cell::new(false),
        })
    }

    /// The deadline and cancellation token of `bounds`, for an evaluation begun at `start`
    /// (`None` if it has neither).
    pub fn for_bounds(start: Instant, bounds: &Bounds) -> Option<Deadline> {
        let at = bounds.limits.time_budget.and_then(|b| start.checked_add(b));
        if at.is_none() && bounds.cancel.is_none() {
            return None;
        }
        Some(Deadline {
            at,
            cancel: bounds.cancel.clone(),
            steps: std::cell::Cell::new(0),
            passed: std::cell::Cell::new(false),
            cancelled: std::cell::Cell::new(false),
        })
    }

    /// Counts one step of a search; `false` once the deadline has passed or the evaluation
    /// was cancelled.
    fn step(&self) -> bool {
        let n = self.steps.get().wrapping_add(1);
        self.steps.set(n);
        if n % 4096 == 0 {
            if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
                self.cancelled.set(true);
            } else if self.at.is_some_and(|at| Instant::now() > at) {
                self.passed.set(true);
            }
        }
        !self.passed.get() && !self.cancelled.get()
    }

    /// Whether a search stopped because the time budget was spent.
    pub fn passed(&self) -> bool {
        self.passed.get()
    }

    /// Whether a search stopped because the evaluation was cancelled.
    pub fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// Whether a search stopped, for either reason.
    pub fn stopped(&self) -> bool {
        self.passed.get() || self.cancelled.get()
    }

    /// Why the search stopped, for an evaluation begun at `start`: [`EvalError::Cancelled`],
    /// else [`EvalError::TimeBudget`].
    pub fn error(&self, start: Instant) -> EvalError {
        if self.cancelled.get() {
            EvalError::Cancelled
        } else {
            EvalError::TimeBudget {
                seconds: start.elapsed().as_secs_f64(),
            }
        }
    }
}

/// A scan restricted to some rows (a semi-naive delta, or the unknown rows of an input).
#[derive(Debug, Clone, Copy)]
pub struct Focus<'a> {
    pub occurrence: u32,
    pub rows: Rows<'a>,
    /// An index of `rows` on the scan's bound positions, when it has any.
    pub index: Option<&'a RowIndex>,
}

impl Solver<'_> {
    fn term_value(t: &Term, env: &Env) -> Option<Sym> {
        match t {
            Term::Const(c) => Some(*c),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
        }
    }

    /// Finds every solution of `plan`, calling `k` for each; stops when `k` returns false.
    /// Returns false if stopped.
    pub fn solve(
        &self,
        plan: &Plan,
        mode: Mode,
        env: &mut Env,
        k: &mut dyn FnMut(&mut Env) -> bool,
    ) -> bool {
        match plan {
            Plan::Seq(items) => self.solve_seq(items, mode, env, k),
            Plan::Alt(alts) => {
                for a in alts {
                    if !self.solve(a, mode, env, k) {
                        return false;
                    }
                }
                true
            }
            Plan::Scan {
                pred,
                args,
                mask,
                occurrence,
            } => {
                let focused = match self.focus {
                    Some(f) if f.occurrence == *occurrence => Some(f),
                    _ => None,
                };
                let rel = self.model.relation(*pred, mode);
                let mut key = Tuple::new();
                for (i, t) in args.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        match Self::term_value(t, env) {
                            Some(v) => key.push(v),
                            None => return true, // planned as bound; cannot happen
                        }
                    }
                }
                // Which variables this scan binds (first occurrence of each unbound var).
                let mut newly: smallvec::SmallVec<[(usize, VarId); 4]> = smallvec::SmallVec::new();
                for (i, t) in args.iter().enumerate() {
                    if mask & (1 << i) == 0 {
                        if let Term::Var(v) = t {
                            if env.get(v.index()).copied().flatten().is_none()
                                && !newly.iter().any(|(_, x)| x == v)
                            {
                                newly.push((i, *v));
                            }
                        }
                    }
                }
                let mut visit = |row: &[Sym]| {
                    if self.deadline.is_some_and(|d| !d.step()) {
                        return false;
                    }
                    for (i, v) in &newly {
                        if let (Some(slot), Some(val)) = (env.get_mut(v.index()), row.get(*i)) {
                            *slot = Some(*val);
                        }
                    }
                    // Repeated variables and constants outside the mask must agree.
                    let consistent = args.iter().enumerate().all(|(i, t)| {
                        mask & (1 << i) != 0
                            || Self::term_value(t, env).is_none_or(|v| row.get(i) == Some(&v))
                    });
                    let go_on = if consistent { k(env) } else { true };
                    for (_, v) in &newly {
                        if let Some(slot) = env.get_mut(v.index()) {
                            *slot = None;
                        }
                    }
                    go_on
                };
                match focused {
                    None => rel.probe(*mask, &key, visit),
                    Some(Focus {
                        rows,
                        index: Some(index),
                        ..
                    }) => index.get(key.as_slice()).is_none_or(|ids| {
                        ids.iter()
                            .filter_map(|id| rows.get(*id as usize))
                            .all(&mut visit)
                    }),
                    Some(Focus { rows, .. }) => rows.iter().all(|row| {
                        let matches = args
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .zip(&key)
                            .all(|((i, _), k)| row.get(i) == Some(k));
                        !matches || visit(row)
                    }),
                }
            }
            Plan::Neg(inner) => {
                let mut found = false;
                // Every step of a search unbinds what it bound before it returns, so the
                // bindings are as they were once the inner search is over: no copy needed.
                self.solve(inner, mode.flip(), env, &mut |_| {
                    found = true;
                    false
                });
                if found {
                    true
                } else {
                    k(env)
                }
            }
            Plan::Cmp {
                left,
                op,
                right,
                ty,
            } => {
                let (l, r) = (Self::term_value(left, env), Self::term_value(right, env));
                match (l, r) {
                    (Some(a), Some(b)) if self.compare(a, *op, b, *ty) => k(env),
                    (Some(_), Some(_)) => true,
                    (Some(v), None) | (None, Some(v)) if *op == CmpOp::Eq => {
                        let var = match (left, right) {
                            (Term::Var(x), _) if l.is_none() => *x,
                            (_, Term::Var(x)) if r.is_none() => *x,
                            _ => return true,
                        };
                        if let Some(slot) = env.get_mut(var.index()) {
                            *slot = Some(v);
                        }
                        let go_on = k(env);
                        if let Some(slot) = env.get_mut(var.index()) {
                            *slot = None;
                        }
                        go_on
                    }
                    _ => true,
                }
            }
            Plan::Unsettled(point) => {
                let holds = match (mode, self.model.settlement(*point)) {
                    (Mode::Definite, s) => s == Some(true),
                    (Mode::Possible, s) => s != Some(false),
                };
                if holds {
                    k(env)
                } else {
                    true
                }
            }
        }
    }

    fn solve_seq(
        &self,
        items: &[Plan],
        mode: Mode,
        env: &mut Env,
        k: &mut dyn FnMut(&mut Env) -> bool,
    ) -> bool {
        match items.split_first() {
            None => k(env),
            Some((first, rest)) => self.solve(first, mode, env, &mut |env| {
                self.solve_seq(rest, mode, env, k)
            }),
        }
    }

    fn compare(&self, a: Sym, op: CmpOp, b: Sym, ty: Option<TypeId>) -> bool {
        match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => {
                let rank = |s: Sym| {
                    ty.and_then(|t| self.program.type_info(t).rank(s))
                        .or_else(|| self.program.types.iter().find_map(|t| t.rank(s)))
                };
                match (rank(a), rank(b)) {
                    (Some(x), Some(y)) => match op {
                        CmpOp::Lt => x < y,
                        CmpOp::Le => x <= y,
                        CmpOp::Gt => x > y,
                        CmpOp::Ge => x >= y,
                        CmpOp::Eq | CmpOp::Ne => false,
                    },
                    _ => false,
                }
            }
        }
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

/// Evaluates a compiled position over a fact set.
/// Prepares the base predicates' relations for a fact set, with indexes for `masks`.
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
pub fn prepare_base(
    program: &Program,
    facts: &FactSet,
    masks: &FxHashMap<PredId, FxHashSet<Mask>>,
    bounds: impl Into<Bounds>,
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

/// Evaluates a compiled position over a fact set.
pub fn evaluate(
    program: &Program,
    compiled: &CompiledPosition,
    facts: &FactSet,
    bounds: impl Into<Bounds>,
) -> Result<Model, EvalError> {
    let bounds: Bounds = bounds.into();
    let base = prepare_base(program, facts, &compiled.masks, &bounds)?;
    evaluate_with_base(program, compiled, std::sync::Arc::new(base), bounds)
}

/// Evaluates a compiled position over prepared base relations (shared between positions).
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
pub fn evaluate_with_base(
    program: &Program,
    compiled: &CompiledPosition,
    base: std::sync::Arc<BaseRelations>,
    bounds: impl Into<Bounds>,
) -> Result<Model, EvalError> {
    let start = Instant::now();
    let bounds: Bounds = bounds.into();
    let n = program.predicates.len();
    let pos = program.position(compiled.position);
    let settlements: FxHashMap<PointId, bool> =
        pos.settlements.iter().map(|(k, v)| (*k, v.value)).collect();
    let mut total = base.atoms;
    let mut model = Model {
        position: compiled.position,
        base,
        definite: vec![Relation::new(); n],
        possible: vec![None; n],
        settlements,
    };
    for stratum in &compiled.strata {
        // The definite fixpoint.
        run_fixpoint(
            program,
            compiled,
            stratum,
            &mut model,
            Mode::Definite,
            &bounds,
            start,
            &mut total,
        )?;
        // The possible fixpoint, unless nothing this stratum reads can be unknown.
        let inputs_unknown = stratum
            .reads
            .iter()
            .any(|p| !stratum.preds.contains(p) && model.possible_distinct(*p).is_some());
        let stipulated_unknown = stratum.preds.iter().any(|p| {
            model
                .stipulations(*p)
                .values()
                .any(|v| *v == Truth::Unknown)
        });
        let unsettled_open = stratum.has_unsettled;
        if inputs_unknown || stipulated_unknown || unsettled_open {
            run_fixpoint(
                program,
                compiled,
                stratum,
                &mut model,
                Mode::Possible,
                &bounds,
                start,
                &mut total,
            )?;
            // Drop possible relations that turned out identical to the definite ones.
            for p in &stratum.preds {
                let same = match &model.possible[p.index()] {
                    Some(r) => r.len() == model.definite[p.index()].len(),
                    None => true,
                };
                if same {
                    model.possible[p.index()] = None;
                }
            }
        }
    }
    Ok(model)
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

#[allow(clippy::too_many_arguments)]
#[expect(
    clippy::indexing_slicing,
    reason = "per-predicate and per-type vectors are sized from the program at the start; every id comes from it"
)]
fn run_fixpoint(
    program: &Program,
    compiled: &CompiledPosition,
    stratum: &Stratum,
    model: &mut Model,
    mode: Mode,
    bounds: &Bounds,
    start: Instant,
    total: &mut usize,
) -> Result<(), EvalError> {
    let limits = &bounds.limits;
    let rules: Vec<&CompiledRule> = stratum
        .rules
        .iter()
        .filter_map(|ri| compiled.rules.get(*ri))
        .collect();
    let stipulated_unknown = stratum.preds.iter().any(|p| {
        model
            .stipulations(*p)
            .values()
            .any(|v| *v == Truth::Unknown)
    });
    // The possible pass may start from the definite fixpoint when every rule is positive and
    // raises no open point: only what the unknown inputs add then needs following.
    let from_definite =
        mode == Mode::Possible && !stipulated_unknown && rules.iter().all(|r| r.simple);

    // Seed: stipulations (true atoms in both passes, unknown ones in the possible pass), or
    // the definite fixpoint.
    for &p in &stratum.preds {
        let mut rel = Relation::new();
        if from_definite {
            for row in model.definite[p.index()].iter() {
                rel.insert(row);
            }
        } else {
            let stip = model.stipulations(p);
            let mut seeds: Vec<(&Tuple, &Truth)> = stip.iter().collect();
            seeds.sort();
            for (t, v) in seeds {
                let keep = match mode {
                    Mode::Definite => *v == Truth::True,
                    Mode::Possible => *v != Truth::False,
                };
                if keep {
                    rel.insert(t);
                }
            }
        }
        for m in compiled.masks.get(&p).into_iter().flatten() {
            rel.ensure_index(*m);
        }
        match mode {
            Mode::Definite => model.definite[p.index()] = rel,
            Mode::Possible => model.possible[p.index()] = Some(rel),
        }
    }
    // Rows of lower predicates that are possible but not definite (the possible pass's inputs).
    let mut unknown_rows: FxHashMap<PredId, (Vec<Sym>, usize)> = FxHashMap::default();
    if from_definite {
        for r in &rules {
            for (_, pred, _) in &r.input_plans {
                if unknown_rows.contains_key(pred) {
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
                unknown_rows.insert(*pred, rows);
            }
        }
    }

    // The delta of each predicate: the range of rows added in the previous round.
    let mut delta: FxHashMap<PredId, std::ops::Range<usize>> = stratum
        .preds
        .iter()
        .map(|p| {
            let len = model.relation(*p, mode).len();
            (*p, if from_definite { len..len } else { 0..len })
        })
        .collect();
    let deadline = Deadline::for_bounds(start, bounds);
    let mut round: u32 = 0;
    // What the relations hold when a round begins (its new rows come on top): measured once
    // here, then after each round, where the budget is checked.
    let mut bytes_at_start = model.estimated_bytes();
    loop {
        // New tuples per predicate, flat (arity constants each): compact, since a round of a
        // large fixpoint can find millions.
        let mut new: Vec<(PredId, Vec<Sym>, usize)> =
            stratum.preds.iter().map(|p| (*p, Vec::new(), 0)).collect();
        // The limits hold within a round too: one join can derive without end. Tuples found
        // this round (repeats included until they are counted again), and when to count again.
        let mut pending = 0usize;
        let mut recount = limits.max_atoms.saturating_sub(*total);
        let mut too_many = false;
        let mut too_big = false;
        {
            let m: &Model = model;
            for cr in &rules {
                let stip = m.stipulations(cr.head.pred);
                let target = m.relation(cr.head.pred, mode);
                let Some(slot) = new.iter().position(|(p, _, _)| *p == cr.head.pred) else {
                    continue;
                };
                let Some((_, out, count)) = new.get_mut(slot) else {
                    continue;
                };
                let mut buf = Tuple::new();
                let mut emit = |env: &mut Env| {
                    if too_many {
                        return false;
                    }
                    if instantiate_into(&cr.head, env, &mut buf)
                        && !target.contains(&buf)
                        && (stip.is_empty() || !stip.contains_key(&buf))
                    {
                        out.extend_from_slice(&buf);
                        *count += 1;
                        pending += 1;
                        if pending > recount {
                            pending -=
                                dedup_flat(out, count, cr.head.args.len(), deadline.as_ref());
                            if deadline.as_ref().is_some_and(|d| d.stopped()) {
                                return false;
                            }
                            if *total + pending > limits.max_atoms {
                                too_many = true;
                                return false;
                            }
                            let row_bytes = 4 * cr.head.args.len().max(1);
                            if bytes_at_start.saturating_add(pending.saturating_mul(row_bytes))
                                > limits.max_memory
                            {
                                too_big = true;
                                return false;
                            }
                            // Count again before the buffer could pass either budget.
                            let room = limits.max_memory.saturating_sub(bytes_at_start) / row_bytes;
                            recount = pending
                                .saturating_mul(2)
                                .max(pending + 4096)
                                .max(limits.max_atoms.saturating_sub(*total))
                                .min(room.max(pending + 4096));
                        }
                    }
                    true
                };
                let run =
                    |focus: Option<Focus>, plan: &Plan, emit: &mut dyn FnMut(&mut Env) -> bool| {
                        let solver = Solver {
                            program,
                            model: m,
                            focus,
                            deadline: deadline.as_ref(),
                        };
                        let mut env: Env = vec![None; cr.nvars];
                        solver.solve(plan, mode, &mut env, emit);
                    };
                if round == 0 {
                    if from_definite {
                        // Follow what the unknown inputs add.
                        for (occ, pred, plan) in &cr.input_plans {
                            if let Some((flat, arity)) = unknown_rows.get(pred) {
                                let rows = Rows::from_flat(flat, *arity);
                                if !rows.is_empty() {
                                    let mask = scan_mask(plan, *occ).unwrap_or(0);
                                    let index =
                                        (mask != 0).then(|| relation::index_rows(rows, mask));
                                    let focus = Focus {
                                        occurrence: *occ,
                                        rows,
                                        index: index.as_ref(),
                                    };
                                    run(Some(focus), plan, &mut emit);
                                }
                            }
                        }
                    } else {
                        // Every rule runs over the whole relations once, recursive ones too:
                        // an alternative of an `or` may need no recursive atom at all
                        // (`b(P) if b(P) or seed(P)`), and only this run reaches it. What the
                        // seeds (stipulations) support is covered here as well, so the delta
                        // plans start in the next round.
                        run(None, &cr.plan, &mut emit);
                        continue;
                    }
                }
                // Recursive rules: each recursive atom in turn reads only the delta.
                for (occ, pred) in &cr.recursive_occurrences {
                    let plan = &cr.plan;
                    let Some(range) = delta.get(pred) else {
                        continue;
                    };
                    if range.is_empty() {
                        continue;
                    }
                    let rows = m.relation(*pred, mode).range(range.clone());
                    let mask = scan_mask(plan, *occ).unwrap_or(0);
                    let index = (mask != 0).then(|| relation::index_rows(rows, mask));
                    let focus = Focus {
                        occurrence: *occ,
                        rows,
                        index: index.as_ref(),
                    };
                    run(Some(focus), plan, &mut emit);
                }
            }
        }
        if deadline.as_ref().is_some_and(|d| d.cancelled()) {
            return Err(EvalError::Cancelled);
        }
        if too_many {
            return Err(EvalError::TooManyAtoms {
                limit: limits.max_atoms,
            });
        }
        if too_big {
            return Err(EvalError::TooMuchMemory {
                limit: limits.max_memory,
            });
        }
        if deadline.as_ref().is_some_and(|d| d.passed()) {
            return Err(EvalError::TimeBudget {
                seconds: start.elapsed().as_secs_f64(),
            });
        }
        if new.iter().all(|(_, _, n)| *n == 0) {
            break;
        }
        let mut next: FxHashMap<PredId, std::ops::Range<usize>> = FxHashMap::default();
        for p in &stratum.preds {
            let len = model.relation(*p, mode).len();
            next.insert(*p, len..len);
        }
        for (pred, flat, count) in new {
            let arity = program.predicate(pred).arity();
            let rel = match mode {
                Mode::Definite => &mut model.definite[pred.index()],
                Mode::Possible => match &mut model.possible[pred.index()] {
                    Some(r) => r,
                    None => continue,
                },
            };
            for t in Rows::from_flat(&flat, arity).iter() {
                if rel.insert_in_round(t, round + 1) {
                    *total += 1;
                }
                // Millions of rows may come out of one round: the budget holds here too.
                if let Some(d) = deadline.as_ref().filter(|d| !d.step()) {
                    return Err(d.error(start));
                }
            }
            if arity == 0 && count > 0 && rel.insert_in_round(&[], round + 1) {
                // A proposition (no slots) has one row, with no constants.
                *total += 1;
            }
            if let Some(r) = next.get_mut(&pred) {
                r.end = rel.len();
            }
        }
        if let Some(e) = bounds.stop(start, *total) {
            return Err(e);
        }
        bytes_at_start = model.estimated_bytes();
        over_memory(limits, bytes_at_start)?;
        if !stratum.recursive {
            break;
        }
        delta = next;
        round += 1;
    }
    Ok(())
}
