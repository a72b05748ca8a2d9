//! Compilation of a position: its rules planned, grouped into strata, with the scans each
//! rule reads semi-naively and the index masks every predicate is probed with.

use super::join::Join;
use super::plan::{collect_masks, plan_first, plan_formula, scans, Plan};
use super::relation::Mask;
use crate::program::{Atom, Formula, PosId, PredId, Program, RuleId};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Arc, OnceLock};

/// The plans of a program's rules, made the first time a position needs them and shared by
/// every position: a body is planned alike under every position, so compiling a second
/// position only groups rules into its strata. (A question whose answer is unknown compares
/// every position; planning each rule once per position used to be most of that.)
#[derive(Debug, Default)]
pub struct RulePlans {
    rules: Vec<OnceLock<RulePlan>>,
    /// Per rule: its body planned with some variables bound on entry, by the indexes of
    /// those variables (sorted), made on first use. Explanations and reasons enumerate the
    /// instances of the same rules with their heads bound, for every scenario of a batch.
    bound: Vec<std::sync::Mutex<FxHashMap<Vec<u32>, Arc<Plan>>>>,
    /// Per position: the rules in force, by the predicate they conclude (in the position's
    /// order), made on first use. Explanations and reasons look rules up by conclusion for
    /// every atom they ground.
    by_head: Vec<OnceLock<FxHashMap<PredId, Vec<RuleId>>>>,
    /// Per position: its strata and their numbers naming the law that decides them (see
    /// [`RulePlans::law_class`]), each made on first use.
    law_classes: Vec<OnceLock<PositionLaws>>,
    /// The numbers given so far, by what they name: a stratum's predicates, its rules, the
    /// settlements of the points those raise, and what it reads (base predicates, and the
    /// numbers of the strata read).
    stratum_laws: std::sync::Mutex<FxHashMap<StratumLaw, u32>>,
    /// Per rule: the predicates its body reads and the points it raises (sorted, each
    /// once), found on first use.
    rule_reads: Vec<OnceLock<(Vec<PredId>, Vec<crate::program::PointId>)>>,
    /// Per rule: how often each variable occurs in it, and whether its body has an `or` that
    /// gives a value to a variable the rest reads once the head is bound (see
    /// [`RulePlans::rule_shape`]).
    shapes: Vec<OnceLock<RuleShape>>,
    /// Conditions of the program's rules planned with some variables bound, by the
    /// condition's address in the program and the bound variables as bits (see
    /// [`RulePlans::condition_plan`]).
    conditions: std::sync::Mutex<FxHashMap<(usize, u64), Arc<Plan>>>,
}

/// How a rule's variables occur (see [`RulePlans::rule_shape`]).
#[derive(Debug)]
pub(crate) struct RuleShape {
    /// Per variable (by index): how many times it occurs in the head and body together.
    pub(crate) occurrences: Arc<Vec<usize>>,
    /// Whether the body's `or` gives a value to a variable the rest of the body reads, once
    /// the head is bound.
    pub(crate) or_binds_shared: bool,
}

/// No number (see [`RulePlans::law_class`]).
const NO_NUMBER: u32 = u32::MAX;

impl PositionLaws {
    fn new(program: &Program, position: PosId) -> PositionLaws {
        let pinfo = program.position(position);
        let mut stratum_of = vec![NO_NUMBER; program.predicates.len()];
        for (i, s) in pinfo.strata.iter().enumerate() {
            for p in s {
                if let (Some(slot), Ok(i)) = (stratum_of.get_mut(p.index()), u32::try_from(i)) {
                    *slot = i;
                }
            }
        }
        let mut rules_of: Vec<Vec<RuleId>> = vec![Vec::new(); pinfo.strata.len()];
        for &rid in &pinfo.rules {
            let si = stratum_of
                .get(program.rule(rid).head.pred.index())
                .copied()
                .unwrap_or(NO_NUMBER);
            if let Some(rules) = rules_of.get_mut(si as usize) {
                rules.push(rid);
            }
        }
        PositionLaws {
            stratum_of,
            numbers: (0..pinfo.strata.len()).map(|_| OnceLock::new()).collect(),
            open: (0..pinfo.strata.len()).map(|_| OnceLock::new()).collect(),
            rules_of,
        }
    }
}

/// One position's strata and their rules (read by [`law_signature`]'s cone), as
/// [`RulePlans::law_class`] numbers them.
#[derive(Debug)]
struct PositionLaws {
    /// Per predicate: its stratum ([`NO_NUMBER`] for none).
    stratum_of: Vec<u32>,
    /// Per stratum: its rules.
    rules_of: Vec<Vec<RuleId>>,
    /// Per stratum: its number, made on first use.
    numbers: Vec<OnceLock<u32>>,
    /// Per stratum: whether a point of law the position leaves open is raised by its rules
    /// or by those of a stratum it reads, directly or not; found on first use.
    open: Vec<OnceLock<bool>>,
}

/// What decides the values of a stratum's predicates in every scenario (see
/// [`RulePlans::law_class`]).
#[derive(Debug, PartialEq, Eq, Hash)]
struct StratumLaw {
    preds: Vec<PredId>,
    rules: Vec<RuleId>,
    settled: Vec<(crate::program::PointId, Option<bool>)>,
    /// Base predicates read, and the numbers of the other strata read.
    reads_base: Vec<PredId>,
    reads_strata: Vec<u32>,
}

/// One rule's plans: its body with nothing bound, and with each positive atom first.
#[derive(Debug)]
struct RulePlan {
    plan: Arc<Plan>,
    /// For each positive atom of the body (by occurrence), the plan that scans it first;
    /// made on first use (a rule used only with its plain plan never needs them).
    firsts: OnceLock<FxHashMap<u32, Arc<Plan>>>,
}

impl RulePlans {
    /// Room for the plans of every rule of `program`, none made yet.
    pub fn new(program: &Program) -> RulePlans {
        RulePlans {
            rules: (0..program.rules.len()).map(|_| OnceLock::new()).collect(),
            bound: (0..program.rules.len())
                .map(|_| Default::default())
                .collect(),
            by_head: (0..program.positions.len())
                .map(|_| OnceLock::new())
                .collect(),
            law_classes: (0..program.positions.len())
                .map(|_| OnceLock::new())
                .collect(),
            stratum_laws: Default::default(),
            rule_reads: (0..program.rules.len()).map(|_| OnceLock::new()).collect(),
            shapes: (0..program.rules.len()).map(|_| OnceLock::new()).collect(),
            conditions: Default::default(),
        }
    }

    /// A number naming the law that decides `pred` under `position`: the same number under
    /// two positions means that its stratum has the same predicates and rules, the points
    /// those rules raise are settled alike (or left open alike), and the strata it reads have
    /// the same numbers in turn; so the predicate's atoms have the same values under both,
    /// in every scenario. (Positions with the same [`law_signature`] may still get different
    /// numbers when they group their strata differently: the number is for sharing work,
    /// where missing a chance costs time only.) `None` for a base predicate, a predicate of
    /// no stratum, or when another thread panicked while holding the numbers. `program` must
    /// be the one the plans were made for.
    pub(crate) fn law_class(
        &self,
        program: &Program,
        position: PosId,
        pred: PredId,
    ) -> Option<u32> {
        let laws = self
            .law_classes
            .get(position.index())?
            .get_or_init(|| PositionLaws::new(program, position));
        let si = *laws.stratum_of.get(pred.index())?;
        let n = self.stratum_number(program, position, laws, si);
        (n != NO_NUMBER).then_some(n)
    }

    /// Whether `pred` has the same values under positions `here` and `there` in every
    /// scenario: the same position, or the same [`RulePlans::law_class`].
    pub(crate) fn same_law(
        &self,
        program: &Program,
        here: PosId,
        there: PosId,
        pred: PredId,
    ) -> bool {
        here == there || {
            let mine = self.law_class(program, here, pred);
            mine.is_some() && mine == self.law_class(program, there, pred)
        }
    }

    /// Whether some point of law that `position` leaves open lies under `pred`: raised by a
    /// rule in force concluding it or any predicate it reads, directly or not. When none
    /// does, an unknown atom of `pred` can rest only on missing facts (or on a stipulation
    /// that it is unknown). `false` for a base predicate; `true` when it cannot be told (a
    /// stratum out of order, or another thread panicked). Found once per knowledge base and
    /// position. `program` must be the one the plans were made for.
    pub(crate) fn open_point_under(
        &self,
        program: &Program,
        position: PosId,
        pred: PredId,
    ) -> bool {
        let Some(cell) = self.law_classes.get(position.index()) else {
            return true;
        };
        let laws = cell.get_or_init(|| PositionLaws::new(program, position));
        match laws.stratum_of.get(pred.index()).copied() {
            Some(NO_NUMBER) => false,
            Some(si) => self.stratum_open(program, position, laws, si),
            None => true,
        }
    }

    /// Whether stratum `si` of `position` has a point left open under it (see
    /// [`RulePlans::open_point_under`]).
    fn stratum_open(
        &self,
        program: &Program,
        position: PosId,
        laws: &PositionLaws,
        si: u32,
    ) -> bool {
        let Some(cell) = laws.open.get(si as usize) else {
            return true;
        };
        *cell.get_or_init(|| {
            let pinfo = program.position(position);
            let Some(rules) = laws.rules_of.get(si as usize) else {
                return true;
            };
            for r in rules {
                let Some((reads, points)) = self.rule_reads(program, *r) else {
                    return true;
                };
                if points.iter().any(|p| !pinfo.settlements.contains_key(p)) {
                    return true;
                }
                for q in reads {
                    match laws.stratum_of.get(q.index()).copied().unwrap_or(NO_NUMBER) {
                        NO_NUMBER => {}
                        sj if sj == si => {}
                        sj if sj < si => {
                            if self.stratum_open(program, position, laws, sj) {
                                return true;
                            }
                        }
                        _ => return true,
                    }
                }
            }
            false
        })
    }

    /// The predicates rule `rid`'s body reads and the points it raises (sorted, each once),
    /// found on first use; `None` for a rule of another program.
    fn rule_reads(
        &self,
        program: &Program,
        rid: RuleId,
    ) -> Option<(&[PredId], &[crate::program::PointId])> {
        let (reads, points) = self.rule_reads.get(rid.index())?.get_or_init(|| {
            let body = &program.rule(rid).body;
            let (mut reads, mut points) = (Vec::new(), Vec::new());
            body.unsettled_points(&mut points);
            body.walk(&mut |f, _| {
                if let Formula::Atom(a, _) = f {
                    reads.push(a.pred);
                }
            });
            reads.sort();
            reads.dedup();
            points.sort();
            points.dedup();
            (reads, points)
        });
        Some((reads, points))
    }

    /// The number of stratum `si` of `position` (numbering the strata it reads first).
    fn stratum_number(
        &self,
        program: &Program,
        position: PosId,
        laws: &PositionLaws,
        si: u32,
    ) -> u32 {
        let Some(cell) = laws.numbers.get(si as usize) else {
            return NO_NUMBER;
        };
        *cell.get_or_init(|| {
            let pinfo = program.position(position);
            let (Some(preds), Some(rules)) = (
                pinfo.strata.get(si as usize),
                laws.rules_of.get(si as usize),
            ) else {
                return NO_NUMBER;
            };
            let mut law = StratumLaw {
                preds: preds.clone(),
                rules: rules.clone(),
                settled: Vec::new(),
                reads_base: Vec::new(),
                reads_strata: Vec::new(),
            };
            law.preds.sort();
            law.rules.sort();
            for r in rules {
                let Some((reads, points)) = self.rule_reads(program, *r) else {
                    return NO_NUMBER;
                };
                for q in reads {
                    match laws.stratum_of.get(q.index()).copied().unwrap_or(NO_NUMBER) {
                        NO_NUMBER => law.reads_base.push(*q),
                        sj if sj == si => {}
                        // Strata come lowest first: a stratum reads only those below it.
                        sj if sj < si => law
                            .reads_strata
                            .push(self.stratum_number(program, position, laws, sj)),
                        _ => return NO_NUMBER,
                    }
                }
                law.settled.extend(
                    points
                        .iter()
                        .map(|p| (*p, pinfo.settlements.get(p).map(|s| s.value))),
                );
            }
            law.settled.sort();
            law.settled.dedup();
            law.reads_base.sort();
            law.reads_base.dedup();
            law.reads_strata.sort();
            law.reads_strata.dedup();
            // A stratum reading one without a number gets none: nothing is shared for it.
            if law.reads_strata.contains(&NO_NUMBER) {
                return NO_NUMBER;
            }
            let Ok(mut numbers) = self.stratum_laws.lock() else {
                return NO_NUMBER;
            };
            let next = u32::try_from(numbers.len()).unwrap_or(NO_NUMBER);
            *numbers.entry(law).or_insert(next)
        })
    }

    /// The shape of rule `rid`, made by `make` on first use (explanations ground the same
    /// rules for every scenario of a batch).
    pub(crate) fn rule_shape(
        &self,
        rid: RuleId,
        make: impl FnOnce() -> RuleShape,
    ) -> Option<&RuleShape> {
        Some(self.shapes.get(rid.index())?.get_or_init(make))
    }

    /// The plan of the condition `f`, which must be a formula of the program the plans were
    /// made for (its address names it, and the program outlives these plans), with the
    /// variables `bound` (as bits) bound; made by `make` on first use.
    pub(crate) fn condition_plan(
        &self,
        f: &Formula,
        bound: u64,
        make: impl FnOnce() -> Plan,
    ) -> Arc<Plan> {
        let key = (std::ptr::from_ref(f) as usize, bound);
        // A poisoned lock only means another thread panicked meanwhile: plan afresh.
        let Ok(mut plans) = self.conditions.lock() else {
            return Arc::new(make());
        };
        plans.entry(key).or_insert_with(|| Arc::new(make())).clone()
    }

    /// The rules in force under `position` that conclude `pred`, in the position's order.
    /// `program` must be the one the plans were made for.
    pub(crate) fn concluding<'a>(
        &'a self,
        program: &'a Program,
        position: PosId,
        pred: PredId,
    ) -> &'a [RuleId] {
        let Some(cell) = self.by_head.get(position.index()) else {
            return &[];
        };
        let by_head = cell.get_or_init(|| {
            let mut out: FxHashMap<PredId, Vec<RuleId>> = FxHashMap::default();
            for rid in &program.position(position).rules {
                out.entry(program.rule(*rid).head.pred)
                    .or_default()
                    .push(*rid);
            }
            out
        });
        by_head.get(&pred).map_or(&[], Vec::as_slice)
    }

    /// The body of rule `rid` planned with the variables `bound` (their indexes, sorted)
    /// bound on entry; made once per knowledge base.
    pub(crate) fn with_bound(&self, program: &Program, rid: RuleId, bound: &[u32]) -> Arc<Plan> {
        let make = || {
            let vars: FxHashSet<crate::program::VarId> = bound
                .iter()
                .map(|i| crate::program::VarId::from_index(*i as usize))
                .collect();
            Arc::new(plan_formula(&program.rule(rid).body, &vars))
        };
        let Some(cell) = self.bound.get(rid.index()) else {
            return make();
        };
        // A poisoned lock only means another thread panicked while planning: plan afresh.
        let Ok(mut plans) = cell.lock() else {
            return make();
        };
        plans.entry(bound.to_vec()).or_insert_with(make).clone()
    }

    fn rule(&self, program: &Program, rid: RuleId) -> Option<&RulePlan> {
        let cell = self.rules.get(rid.index())?;
        Some(cell.get_or_init(|| RulePlan {
            plan: Arc::new(plan_formula(&program.rule(rid).body, &FxHashSet::default())),
            firsts: OnceLock::new(),
        }))
    }
}

impl RulePlan {
    /// The plan scanning occurrence `occ` first.
    fn first(&self, body: &Formula, occ: u32) -> Arc<Plan> {
        let firsts = self.firsts.get_or_init(|| {
            let mut out = FxHashMap::default();
            scans(&self.plan, false, &mut |_, o, negated| {
                if !negated {
                    out.entry(o)
                        .or_insert_with(|| Arc::new(plan_first(body, o)));
                }
            });
            out
        });
        firsts
            .get(&occ)
            .cloned()
            .unwrap_or_else(|| Arc::new(plan_first(body, occ)))
    }
}

/// One rule, planned for evaluation.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    /// Its conclusion.
    pub(crate) head: Atom,
    /// Its body, planned with nothing bound on entry.
    pub(crate) plan: Arc<Plan>,
    /// How many variables the rule has (the size of a search's bindings).
    pub(crate) nvars: usize,
    /// Scans of predicates of the rule's own stratum: in turn, each reads the semi-naive
    /// delta through `plan` itself (its order is kept: the delta is probed through an index
    /// on the bound positions).
    pub(crate) recursive_occurrences: Vec<(u32, PredId)>,
    /// For each of `recursive_occurrences`, in order: the plan that scans it first. A round
    /// whose delta is smaller than what `plan` scans first runs this one: it goes through the
    /// delta row by row, probing the other atoms' indexes, instead of going through the first
    /// atom's rows and building an index of the delta (a chain of a thousand rounds, each
    /// with a small delta).
    pub(crate) recursive_plans: Vec<Arc<Plan>>,
    /// For each positive scan of a lower predicate: the plan that scans it first (the possible
    /// pass reads only that predicate's unknown rows there).
    pub(crate) input_plans: Vec<(u32, PredId, Arc<Plan>)>,
    /// No negation and no open point of law: the possible pass can start from the definite
    /// fixpoint and follow only what the unknown inputs add.
    pub(crate) simple: bool,
    /// `plan`, `recursive_plans` and `input_plans` as [`Join`]s, where they are bodies of one
    /// or two atoms (made by [`CompiledRule::with_joins`]).
    pub(crate) joins: Joins,
}

/// The [`Join`]s of a rule's plans, each `None` where the search runs the plan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Joins {
    pub(crate) plan: Option<Join>,
    /// One per `recursive_plans`, in order.
    pub(crate) recursive: Vec<Option<Join>>,
    /// One per `input_plans`, in order.
    pub(crate) inputs: Vec<Option<Join>>,
}

impl CompiledRule {
    /// The rule with its [`Joins`] worked out from its plans.
    fn with_joins(mut self) -> CompiledRule {
        self.refresh_joins();
        self
    }

    /// Works its [`Joins`] out again from its plans as they now are (after a change to them).
    pub(crate) fn refresh_joins(&mut self) {
        let head = &self.head;
        self.joins = Joins {
            plan: Join::of(&self.plan, head),
            recursive: self
                .recursive_plans
                .iter()
                .map(|p| Join::of(p, head))
                .collect(),
            inputs: self
                .input_plans
                .iter()
                .map(|(_, _, p)| Join::of(p, head))
                .collect(),
        };
    }
}

/// Derived predicates that depend on each other, evaluated together to one fixpoint.
#[derive(Debug, Clone)]
pub(crate) struct Stratum {
    /// Its predicates, sorted.
    pub(crate) preds: Vec<PredId>,
    /// The rules concluding them, as indexes into [`CompiledPosition::rules`].
    pub(crate) rules: Vec<usize>,
    /// Some rule reads a predicate of the stratum itself: the fixpoint needs more than one
    /// round.
    pub(crate) recursive: bool,
    /// Every predicate the stratum's rules read.
    pub(crate) reads: Vec<PredId>,
    /// Some rule raises an open point of law (`unsettled`).
    pub(crate) has_unsettled: bool,
    /// The open points its rules raise, sorted.
    pub(crate) points: Vec<crate::program::PointId>,
}

/// The rules of one position, compiled for evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPosition {
    /// The position compiled.
    pub position: PosId,
    /// The rules in force under it.
    pub(crate) rules: Vec<CompiledRule>,
    /// Its strata, lowest first.
    pub(crate) strata: Vec<Stratum>,
    /// Index masks each predicate is probed with.
    pub masks: FxHashMap<PredId, FxHashSet<Mask>>,
    /// The stratum of each derived predicate in force.
    pub(crate) stratum_of: FxHashMap<PredId, usize>,
    /// The cones asked for, by their predicates (as asked).
    cones: ConeCache,
}

/// Cones already drawn, by the predicates asked for: every what-if of an explanation or a
/// reason asks for the same few. A clone starts empty. Cleared when it holds more than
/// [`ConeCache::MAX`] (a session asking endlessly new combinations).
#[derive(Default)]
struct ConeCache(std::sync::Mutex<FxHashMap<Vec<PredId>, Arc<Cone>>>);

impl ConeCache {
    const MAX: usize = 4096;
}

impl Clone for ConeCache {
    fn clone(&self) -> ConeCache {
        ConeCache::default()
    }
}

impl std::fmt::Debug for ConeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConeCache")
    }
}

/// What one predicate's atoms depend on under a position: the strata to evaluate and every
/// predicate they read (see [`CompiledPosition::cone_of`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cone {
    /// Per stratum of the position: whether it is in the cone.
    pub(crate) strata: Vec<bool>,
    /// The predicate itself and every predicate the cone's strata read.
    pub(crate) preds: FxHashSet<PredId>,
}

impl CompiledPosition {
    /// The cone of `preds`: the strata their values depend on, directly or through other
    /// derived predicates, and the predicates they read. Evaluating only these strata over
    /// base relations holding only these predicates gives each of `preds` the value a whole
    /// evaluation gives it (a stratum reads nothing but its `reads`).
    pub(crate) fn cone_of(&self, preds: &[PredId]) -> Arc<Cone> {
        // A poisoned lock (a panic elsewhere) only costs the cache.
        if let Ok(cones) = self.cones.0.lock() {
            if let Some(c) = cones.get(preds) {
                return c.clone();
            }
        }
        let cone = Arc::new(self.draw_cone(preds));
        if let Ok(mut cones) = self.cones.0.lock() {
            if cones.len() >= ConeCache::MAX {
                cones.clear();
            }
            cones.insert(preds.to_vec(), cone.clone());
        }
        cone
    }

    /// [`CompiledPosition::cone_of`], drawn afresh.
    fn draw_cone(&self, preds: &[PredId]) -> Cone {
        let mut cone = Cone {
            strata: vec![false; self.strata.len()],
            preds: FxHashSet::default(),
        };
        let mut todo = Vec::with_capacity(preds.len());
        for p in preds {
            if cone.preds.insert(*p) {
                todo.push(*p);
            }
        }
        while let Some(p) = todo.pop() {
            let Some(&si) = self.stratum_of.get(&p) else {
                continue;
            };
            if let Some(in_cone) = cone.strata.get_mut(si) {
                if *in_cone {
                    continue;
                }
                *in_cone = true;
            }
            for s in self.strata.get(si).into_iter() {
                for q in s.preds.iter().chain(&s.reads) {
                    if cone.preds.insert(*q) {
                        todo.push(*q);
                    }
                }
            }
        }
        cone
    }
}

/// What decides the values of some predicates under a position: the rules of their cone and
/// how the position settles the open points those rules raise. Two positions with the same
/// signature for the same predicates give every atom of them the same value in every
/// scenario (a least model depends on the rules, the facts and the settlements, not on how
/// the strata are drawn), and the same reasons for the unknown ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LawSignature {
    rules: Vec<RuleId>,
    settled: Vec<(crate::program::PointId, bool)>,
}

/// The [`LawSignature`] of `preds` under `position`, read from the checked program (no
/// position is compiled: its strata and rules are the ones [`compile`] would group).
pub fn law_signature(program: &Program, position: PosId, preds: &[PredId]) -> LawSignature {
    let (in_cone, rules_of) = program_cone(program, position, preds);
    let mut rules: Vec<RuleId> = rules_of
        .into_iter()
        .zip(&in_cone)
        .filter(|(_, c)| **c)
        .flat_map(|(r, _)| r)
        .collect();
    rules.sort();
    let mut points = Vec::new();
    for r in &rules {
        program.rule(*r).body.unsettled_points(&mut points);
    }
    points.sort();
    points.dedup();
    let settlements = &program.position(position).settlements;
    let settled = points
        .into_iter()
        .filter_map(|p| settlements.get(&p).map(|s| (p, s.value)))
        .collect();
    LawSignature { rules, settled }
}

/// The cone of `preds` under `position` read from the checked program: per stratum of the
/// position, whether it is in the cone, and its rules.
fn program_cone(
    program: &Program,
    position: PosId,
    preds: &[PredId],
) -> (Vec<bool>, Vec<Vec<RuleId>>) {
    let pinfo = program.position(position);
    let PositionLaws {
        stratum_of,
        rules_of,
        ..
    } = PositionLaws::new(program, position);
    // The cone, as `CompiledPosition::cone_of` draws it: a stratum's predicates and every
    // predicate its rules read.
    let mut in_cone = vec![false; pinfo.strata.len()];
    let mut seen: FxHashSet<PredId> = preds.iter().copied().collect();
    let mut todo: Vec<PredId> = seen.iter().copied().collect();
    while let Some(p) = todo.pop() {
        let si = stratum_of.get(p.index()).copied().unwrap_or(NO_NUMBER) as usize;
        match in_cone.get_mut(si) {
            Some(done) if !*done => *done = true,
            _ => continue,
        }
        let mut next: Vec<PredId> = pinfo.strata.get(si).cloned().unwrap_or_default();
        for rid in rules_of.get(si).into_iter().flatten() {
            program.rule(*rid).body.walk(&mut |f, _| {
                if let Formula::Atom(a, _) = f {
                    next.push(a.pred);
                }
            });
        }
        for q in next {
            if seen.insert(q) {
                todo.push(q);
            }
        }
    }
    (in_cone, rules_of)
}

/// Compiles the rules in force under `position` (the program must have no errors: a rule
/// whose conclusion is in no stratum is left out).
pub fn compile(program: &Program, position: PosId) -> CompiledPosition {
    compile_with(program, position, &RulePlans::new(program))
}

/// [`compile`] with the rules' plans taken from (and added to) `plans`, which must have been
/// made for `program`: compiling several positions of one program plans each rule once.
pub fn compile_with(program: &Program, position: PosId, plans: &RulePlans) -> CompiledPosition {
    compile_strata(program, position, plans, None)
}

/// The part of a position's compilation the cones of `preds` need: every stratum is there
/// (so stratum numbers and [`CompiledPosition::cone_of`] are the whole compilation's), but
/// only the strata of those cones hold their rules. Evaluating those strata gives what the
/// whole compilation gives them; a question under a position whose other predicates it never
/// reads (the split of positions in a reason compiles one position per distinct law) does not
/// plan or compile the rest of the law. `None` when the cones hold every stratum: compile the
/// whole position instead.
pub(crate) fn compile_cone(
    program: &Program,
    position: PosId,
    preds: &[PredId],
    plans: &RulePlans,
) -> Option<CompiledPosition> {
    let (in_cone, _) = program_cone(program, position, preds);
    if in_cone.iter().all(|c| *c) {
        return None;
    }
    Some(compile_strata(program, position, plans, Some(&in_cone)))
}

/// [`compile_with`], leaving out the rules of the strata `only` does not mark.
fn compile_strata(
    program: &Program,
    position: PosId,
    plans: &RulePlans,
    only: Option<&[bool]>,
) -> CompiledPosition {
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
            points: Vec::new(),
        })
        .collect();
    let mut rules = Vec::new();
    let mut masks: FxHashMap<PredId, FxHashSet<Mask>> = FxHashMap::default();
    for &rid in &pinfo.rules {
        let rule = program.rule(rid);
        if let Some(only) = only {
            let in_cone = stratum_of
                .get(&rule.head.pred)
                .is_some_and(|si| only.get(*si).copied().unwrap_or(false));
            if !in_cone {
                continue;
            }
        }
        let cached = plans.rule(program, rid);
        let plan = match cached {
            Some(c) => c.plan.clone(),
            None => Arc::new(plan_formula(&rule.body, &FxHashSet::default())),
        };
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
        let recursive_plans: Vec<Arc<Plan>> = recursive_occurrences
            .iter()
            .map(|(occ, _)| match cached {
                Some(c) => c.first(&rule.body, *occ),
                None => Arc::new(plan_first(&rule.body, *occ)),
            })
            .collect();
        for p in &recursive_plans {
            collect_masks(p, &mut masks);
        }
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
        let input_plans: Vec<(u32, PredId, Arc<Plan>)> = if simple {
            inputs
                .iter()
                .map(|(occ, pred)| {
                    let plan = match cached {
                        Some(c) => c.first(&rule.body, *occ),
                        None => Arc::new(plan_first(&rule.body, *occ)),
                    };
                    (*occ, *pred, plan)
                })
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
            s.points.extend(pts.iter().copied());
        }
        rules.push(
            CompiledRule {
                head: rule.head.clone(),
                plan,
                nvars: rule.vars.len(),
                recursive_occurrences,
                recursive_plans,
                input_plans,
                simple,
                joins: Joins::default(),
            }
            .with_joins(),
        );
    }
    for s in &mut strata {
        s.reads.sort();
        s.reads.dedup();
        s.points.sort();
        s.points.dedup();
    }
    CompiledPosition {
        position,
        rules,
        strata,
        masks,
        stratum_of,
        cones: ConeCache::default(),
    }
}

/// Every index mask any position may probe each predicate with: the masks of every rule's
/// plan (a body is planned alike under every position) and of the plans that scan each of its
/// positive atoms first (a superset of the input plans [`compile`] makes under any position).
/// Base relations are built once per scenario with these indexes and shared by all positions,
/// so this needs no position compiled. A missing index would only slow a probe down (it then
/// scans the relation), never change an answer.
pub(crate) fn all_masks(program: &Program) -> FxHashMap<PredId, FxHashSet<Mask>> {
    let mut masks: FxHashMap<PredId, FxHashSet<Mask>> = FxHashMap::default();
    for rule in &program.rules {
        let plan = plan_formula(&rule.body, &FxHashSet::default());
        collect_masks(&plan, &mut masks);
        // The plans scanning each positive atom first: input plans (rules without negation or
        // open points) and the delta-first plans of recursive atoms (any rule). Indexes are
        // built on their first probe, so a mask no question uses costs nothing.
        let mut positive = Vec::new();
        scans(&plan, false, &mut |pred, occ, negated| {
            if !negated && program.predicate(pred).arity() > 0 {
                positive.push(occ);
            }
        });
        if positive.len() > MAX_INPUT_PLANS {
            continue;
        }
        for occ in positive {
            collect_masks(&plan_first(&rule.body, occ), &mut masks);
        }
    }
    masks
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexes built on base relations before any position is compiled cover every probe
    /// of every position (a missing one would scan the relation instead).
    #[test]
    fn all_masks_cover_every_position() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let program = kb.program();
        let all = all_masks(program);
        assert!(!all.is_empty());
        for i in 0..program.positions.len() {
            let compiled = compile(program, PosId::from_index(i));
            for (pred, masks) in &compiled.masks {
                for m in masks {
                    assert!(
                        all.get(pred).is_some_and(|s| s.contains(m)),
                        "position {} probes `{}` with mask {m:b}, which all_masks misses",
                        program.position(compiled.position).name,
                        program.predicate(*pred).name
                    );
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod cone_tests {
    use super::*;
    use crate::eval::{evaluate_cone, evaluate_with_base, prepare_base, Limits};
    use std::sync::Arc;

    /// The public NotPetya scenario on `kb`.
    pub(crate) fn notpetya(kb: &crate::KnowledgeBase) -> crate::Scenario {
        let mut s = crate::Scenario::new(kb);
        s.add_text(
            "notpetya.opinio",
            include_str!("../../tests/scenarios/notpetya.opinio"),
        )
        .expect("the scenario checks");
        s
    }

    /// A point left open lies under a predicate exactly when its cone's rules raise a point
    /// the position does not settle: [`RulePlans::open_point_under`], worked out stratum by
    /// stratum, agrees with [`law_signature`]'s cone under every position of the bundled law,
    /// for every derived predicate; and the bundled law has predicates of both kinds.
    #[test]
    fn open_points_under_a_predicate_are_those_of_its_cone() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let program = kb.program();
        let plans = RulePlans::new(program);
        let (mut open, mut closed) = (0, 0);
        for i in 0..program.positions.len() {
            let position = PosId::from_index(i);
            for (j, info) in program.predicates.iter().enumerate() {
                let pred = PredId::from_index(j);
                let got = plans.open_point_under(program, position, pred);
                if !info.derived {
                    assert!(!got, "a base predicate has no point under it");
                    continue;
                }
                let (in_cone, rules_of) = program_cone(program, position, &[pred]);
                let mut points = Vec::new();
                for (rules, _) in rules_of.iter().zip(&in_cone).filter(|(_, c)| **c) {
                    for r in rules {
                        program.rule(*r).body.unsettled_points(&mut points);
                    }
                }
                let settlements = &program.position(position).settlements;
                let want = points.iter().any(|p| !settlements.contains_key(p));
                assert_eq!(
                    got,
                    want,
                    "{} under position {i}",
                    program.predicate(pred).name
                );
                if want {
                    open += 1;
                } else {
                    closed += 1;
                }
            }
        }
        assert!(open > 0 && closed > 0, "{open} open, {closed} closed");
    }

    /// Evaluating only a predicate's cone gives its atoms the values the whole evaluation
    /// gives them, for every derived predicate under every position of the bundled law.
    #[test]
    fn a_cone_gives_its_predicate_the_values_of_the_whole_evaluation() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let s = notpetya(&kb);
        let program = kb.program();
        let base = Arc::new(
            prepare_base(program, &s.fact_set(), kb.masks(), Limits::default()).expect("base"),
        );
        let mut smaller = 0;
        let mut fewer_rules = 0;
        let plans = RulePlans::new(program);
        for i in 0..program.positions.len() {
            let compiled = compile(program, PosId::from_index(i));
            let whole = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            for (j, info) in program.predicates.iter().enumerate() {
                if !info.derived {
                    continue;
                }
                let pred = PredId::from_index(j);
                let cone = compiled.cone_of(&[pred]);
                smaller += usize::from(cone.strata.iter().any(|in_cone| !in_cone));
                let part = evaluate_cone(
                    program,
                    &compiled,
                    base.clone(),
                    &[],
                    Limits::default(),
                    Some(&cone.strata),
                )
                .expect("evaluates");
                let (from_program, _) = program_cone(program, compiled.position, &[pred]);
                assert_eq!(from_program, cone.strata, "{}", info.name);
                assert_eq!(part.definite(pred), whole.definite(pred), "{}", info.name);
                assert_eq!(part.possible(pred), whole.possible(pred), "{}", info.name);
                // The cone compiled on its own: the same cone, the same values, fewer rules.
                let Some(alone) = compile_cone(program, compiled.position, &[pred], &plans) else {
                    assert!(cone.strata.iter().all(|c| *c), "{}", info.name);
                    continue;
                };
                assert_eq!(alone.cone_of(&[pred]).strata, cone.strata, "{}", info.name);
                let part = evaluate_cone(
                    program,
                    &alone,
                    base.clone(),
                    &[],
                    Limits::default(),
                    Some(&cone.strata),
                )
                .expect("evaluates");
                assert_eq!(part.definite(pred), whole.definite(pred), "{}", info.name);
                assert_eq!(part.possible(pred), whole.possible(pred), "{}", info.name);
                fewer_rules += usize::from(alone.rules.len() < compiled.rules.len());
            }
        }
        assert!(smaller > 0, "some cone leaves strata out");
        assert!(fewer_rules > 0, "some cone compiled alone leaves rules out");
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::cone_tests::notpetya;
    use super::*;
    use crate::eval::{
        evaluate_cone_reusing, evaluate_with_base, evaluate_with_settlements, prepare_base, rebase,
        Limits, Reuse,
    };
    use crate::program::PointId;
    use crate::syntax::ast::Truth;
    use std::sync::Arc;

    /// A what-if that copies the strata it cannot change from the model it varies gives the
    /// same model as evaluating everything again: for each open point settled either way, and
    /// for each base predicate of NotPetya with every stated atom flipped to unknown, under
    /// every position.
    #[test]
    fn a_what_if_reusing_unchanged_strata_is_a_whole_evaluation() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let s = notpetya(&kb);
        let program = kb.program();
        let fs = s.fact_set();
        let base =
            Arc::new(prepare_base(program, &fs, kb.masks(), Limits::default()).expect("base"));
        let mut copied_some = false;
        for i in 0..program.positions.len() {
            let compiled = compile(program, PosId::from_index(i));
            let reference = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            let same = |a: &crate::eval::Model, b: &crate::eval::Model, what: &str| {
                for (j, info) in program.predicates.iter().enumerate() {
                    let pred = PredId::from_index(j);
                    assert_eq!(a.definite(pred), b.definite(pred), "{what}: {}", info.name);
                    assert_eq!(a.possible(pred), b.possible(pred), "{what}: {}", info.name);
                }
            };
            for p in 0..program.points.len() {
                for value in [true, false] {
                    let settled = [(PointId::from_index(p), value)];
                    let whole = evaluate_with_settlements(
                        program,
                        &compiled,
                        base.clone(),
                        &settled,
                        Limits::default(),
                    )
                    .expect("evaluates");
                    let reused = evaluate_cone_reusing(
                        program,
                        &compiled,
                        base.clone(),
                        &settled,
                        Limits::default(),
                        None,
                        Some(Reuse::WhatIf {
                            model: &reference,
                            changed: &[],
                        }),
                    )
                    .expect("evaluates");
                    same(&whole, &reused, "settled");
                    copied_some = true;
                }
            }
            for (j, stated) in fs.stated.iter().enumerate() {
                let pred = PredId::from_index(j);
                if stated.is_empty() || program.predicate(pred).derived {
                    continue;
                }
                let flipped: rustc_hash::FxHashMap<_, _> =
                    stated.keys().map(|t| (t.clone(), Truth::Unknown)).collect();
                let changed = [(pred, flipped)];
                let varied = Arc::new(
                    rebase(program, &base, &fs, &changed, kb.masks(), Limits::default())
                        .expect("rebase"),
                );
                let whole =
                    evaluate_with_base(program, &compiled, varied.clone(), Limits::default())
                        .expect("evaluates");
                let reused = evaluate_cone_reusing(
                    program,
                    &compiled,
                    varied,
                    &[],
                    Limits::default(),
                    None,
                    Some(Reuse::WhatIf {
                        model: &reference,
                        changed: &[pred],
                    }),
                )
                .expect("evaluates");
                same(&whole, &reused, program.predicate(pred).name.as_str());
            }
        }
        assert!(copied_some);
    }

    /// Per earlier model: whether it holds a predicate under the same law as `here` (by
    /// [`RulePlans::law_class`]).
    fn same_law_tests<'a>(
        plans: &'a RulePlans,
        program: &'a Program,
        here: PosId,
        models: &[(PosId, crate::eval::Model)],
    ) -> Vec<Box<dyn Fn(PredId) -> bool + 'a>> {
        models
            .iter()
            .map(|(there, _)| {
                let there = *there;
                Box::new(move |p: PredId| plans.same_law(program, here, there, p))
                    as Box<dyn Fn(PredId) -> bool + 'a>
            })
            .collect()
    }

    /// The earlier models with their tests, as [`Reuse::Positions`] reads them.
    fn earlier<'a>(
        models: &'a [(PosId, crate::eval::Model)],
        tests: &'a [Box<dyn Fn(PredId) -> bool + 'a>],
    ) -> Vec<crate::eval::Earlier<'a>> {
        models
            .iter()
            .zip(tests)
            .map(|((_, m), t)| crate::eval::Earlier {
                model: m,
                same_law: t.as_ref(),
            })
            .collect()
    }

    /// Evaluating a position copying the strata that earlier positions' models hold under the
    /// same law (by [`RulePlans::law_class`]) gives the same model as evaluating it alone:
    /// on every public scenario, every position read after every earlier one. Some strata are
    /// shared, and some are not (positions differ).
    #[test]
    fn a_position_reusing_other_positions_strata_is_a_whole_evaluation() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let program = kb.program();
        let plans = kb.rule_plans();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the public scenarios")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "opinio"))
            .collect();
        files.sort();
        assert!(files.len() >= 5, "the public scenarios are there");
        let (mut shared, mut differ) = (0usize, 0usize);
        for file in files {
            let mut s = crate::Scenario::new(&kb);
            let text = std::fs::read_to_string(&file).expect("readable");
            s.add_text("scenario.opinio", &text)
                .expect("the scenario checks");
            let fs = s.fact_set();
            let base =
                Arc::new(prepare_base(program, &fs, kb.masks(), Limits::default()).expect("base"));
            let mut models: Vec<(PosId, crate::eval::Model)> = Vec::new();
            for i in 0..program.positions.len() {
                let here = PosId::from_index(i);
                let compiled = compile(program, here);
                let alone = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                    .expect("evaluates");
                let tests = same_law_tests(plans, program, here, &models);
                let earlier = earlier(&models, &tests);
                let reused = evaluate_cone_reusing(
                    program,
                    &compiled,
                    base.clone(),
                    &[],
                    Limits::default(),
                    None,
                    Some(Reuse::Positions(&earlier)),
                )
                .expect("evaluates");
                for (j, info) in program.predicates.iter().enumerate() {
                    let pred = PredId::from_index(j);
                    assert_eq!(alone.definite(pred), reused.definite(pred), "{}", info.name);
                    assert_eq!(alone.possible(pred), reused.possible(pred), "{}", info.name);
                    if info.derived && i > 0 {
                        if tests.iter().any(|t| t(pred)) {
                            shared += 1;
                        } else {
                            differ += 1;
                        }
                    }
                }
                models.push((here, alone));
            }
        }
        assert!(shared > 0 && differ > 0, "shared {shared}, differ {differ}");
    }

    /// A stratum copied from another position's model counts against the atom and memory
    /// limits as deriving it would: under every position of NotPetya, evaluated after the
    /// others and copying from them, the smallest atom limit that lets the evaluation finish
    /// is that of evaluating the position alone. The copy takes the bytes deriving would take
    /// (the same rows, room and indexes); deriving also stops a round early when the rows it
    /// has found but not stored might pass the memory limit (an over-estimate that keeps a
    /// runaway join in check), which a copy has no rounds for, so the smallest memory limit
    /// may be a little lower when copying, never higher.
    #[test]
    fn copied_strata_count_against_the_limits_as_derived_ones() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let s = super::cone_tests::notpetya(&kb);
        let program = kb.program();
        let plans = kb.rule_plans();
        let fs = s.fact_set();
        let base =
            Arc::new(prepare_base(program, &fs, kb.masks(), Limits::default()).expect("base"));
        // The smallest value of a limit under which `run` finishes.
        let smallest = |run: &dyn Fn(usize) -> bool| {
            let (mut lo, mut hi) = (0usize, 1usize << 24);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if run(mid) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            lo
        };
        let mut models: Vec<(PosId, crate::eval::Model)> = Vec::new();
        let mut copied_some = false;
        for i in 0..program.positions.len() {
            let here = PosId::from_index(i);
            let compiled = compile(program, here);
            let tests = same_law_tests(plans, program, here, &models);
            let earlier = earlier(&models, &tests);
            copied_some |= program
                .predicates
                .iter()
                .enumerate()
                .any(|(j, _)| tests.iter().any(|t| t(PredId::from_index(j))));
            let alone = |limits: Limits| {
                evaluate_with_base(program, &compiled, base.clone(), limits).is_ok()
            };
            let copying = |limits: Limits| {
                evaluate_cone_reusing(
                    program,
                    &compiled,
                    base.clone(),
                    &[],
                    limits,
                    None,
                    Some(Reuse::Positions(&earlier)),
                )
                .is_ok()
            };
            let atoms = |n: usize| Limits {
                max_atoms: n,
                ..Limits::default()
            };
            let memory = |n: usize| Limits {
                max_memory: n,
                ..Limits::default()
            };
            let name = &program.position(here).name;
            assert_eq!(
                smallest(&|n| alone(atoms(n))),
                smallest(&|n| copying(atoms(n))),
                "atoms, {name}"
            );
            let (derived, copied) = (
                smallest(&|n| alone(memory(n))),
                smallest(&|n| copying(memory(n))),
            );
            assert!(
                copied <= derived && copied * 100 >= derived * 99,
                "memory, {name}: {copied} copying, {derived} deriving"
            );
            let model = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            models.push((here, model));
        }
        assert!(copied_some);
    }

    /// Two positions give a predicate the same number only when they give it the same rules
    /// and settle the points of its cone alike: a position settling a point differently
    /// from the default numbers the predicates reading it differently.
    #[test]
    fn law_classes_follow_rules_and_settlements() {
        let kb = crate::KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let program = kb.program();
        let plans = kb.rule_plans();
        let default = program
            .positions
            .iter()
            .position(|p| p.is_default)
            .map(PosId::from_index)
            .expect("a default position");
        let mut checked = 0;
        for i in 0..program.positions.len() {
            let here = PosId::from_index(i);
            for (j, info) in program.predicates.iter().enumerate() {
                let pred = PredId::from_index(j);
                if !info.derived {
                    assert_eq!(plans.law_class(program, here, pred), None, "{}", info.name);
                    continue;
                }
                let same = plans.law_class(program, here, pred).is_some()
                    && plans.law_class(program, here, pred)
                        == plans.law_class(program, default, pred);
                // The same number means the same law signature (the converse need not hold).
                if same {
                    assert_eq!(
                        law_signature(program, here, &[pred]),
                        law_signature(program, default, &[pred]),
                        "{} under {}",
                        info.name,
                        program.position(here).name
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }
}
