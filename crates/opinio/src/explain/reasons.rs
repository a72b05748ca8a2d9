//! Why an answer is unknown: because facts are missing, because the law is divided, or both.
//!
//! Everything here is decided by evaluating again (the law, or the residual program of the
//! answers: see `residual`), never by reading the knowledge base's text. Two routes reach the
//! same classification:
//!
//! - the *detailed* one ([`analyse`]) takes one atom, tries each missing fact and each open
//!   point it meets, one at a time and in a few contexts, and keeps only those whose value
//!   changes the answer;
//! - the *cheap* one ([`classify`]) takes every answer of a question at once and settles
//!   everything wholesale: all missing facts true, all false, and an answer's open points
//!   all in favour, all against and mixed (`law_combinations`) — a few what-ifs for the
//!   whole question, shared by the answers resting on the same points,
//!   each decided on the residual program of the unknown answers where it can be built (a
//!   pass over a small ground program) and by evaluating the law again where not.
//!
//! Both start from the *support* of an unknown atom: the missing facts and unsettled points
//! reached through the parts of its rules that are themselves unknown. A fact or point
//! outside the support cannot change the answer (the three-valued evaluation only refines:
//! a part already true or false stays so whatever is added below it).

use super::build::{Explainer, Leaf};
use super::residual::{Residual, Values};
use super::types::{GroundAtom, UnsettledPoint};
use super::Context;
use crate::eval::{Env, EvalError, Mode, Model};
use crate::program::{Formula, PointId, PredId, Sym, Tuple};
use crate::syntax::ast::Truth;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// Evaluates again under the explained position with some base facts overridden and some
/// open points settled for argument's sake.
pub(crate) type Hypothesis<'a> =
    &'a dyn Fn(&[(PredId, Tuple, Truth)], &[(PointId, bool)]) -> Result<Model, EvalError>;

/// The value of the atom explained with some base facts overridden and some open points
/// settled for argument's sake.
pub(crate) type ValueWith<'a> =
    &'a dyn Fn(&[(PredId, Tuple, Truth)], &[(PointId, bool)]) -> Result<Truth, EvalError>;

/// [`Hypothesis`] as far as the predicates named need (their cones only).
pub(crate) type HypothesisOver<'a> = &'a dyn Fn(
    &[PredId],
    &[(PredId, Tuple, Truth)],
    &[(PointId, bool)],
) -> Result<Model, EvalError>;

/// Base facts set to values for argument's sake.
type FactChanges = Vec<(PredId, Tuple, Truth)>;
/// Open points settled for argument's sake.
type Settled = Vec<(PointId, bool)>;
/// A context an open point is tried in: facts, other points, and the answer there.
type LawContext<'a> = (&'a [(PredId, Tuple, Truth)], Settled, Truth);

/// What an unknown answer rests on, in short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownKind {
    /// Stating facts could settle it; no open point of law matters.
    MissingFacts,
    /// Only settling a point of law could change it; no missing fact matters.
    DividedLaw,
    /// Both missing facts and open points of law matter.
    Both,
    /// It is stipulated unknown (or rests on such a stipulation): neither facts nor law
    /// can change it while the stipulation stands.
    Stipulated,
}

impl UnknownKind {
    /// The kind for whether missing facts and open points matter.
    fn of(facts: bool, law: bool) -> UnknownKind {
        match (facts, law) {
            (true, true) => UnknownKind::Both,
            (true, false) => UnknownKind::MissingFacts,
            (false, true) => UnknownKind::DividedLaw,
            (false, false) => UnknownKind::Stipulated,
        }
    }

    /// Whether missing facts matter.
    pub fn facts_matter(self) -> bool {
        matches!(self, UnknownKind::MissingFacts | UnknownKind::Both)
    }

    /// Whether open points of law matter.
    pub fn law_matters(self) -> bool {
        matches!(self, UnknownKind::DividedLaw | UnknownKind::Both)
    }
}

/// The cheap classification of one unknown answer ([`crate::Scenario::classify_unknowns`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownClass {
    /// Missing facts, divided law, both, or a stipulation.
    pub kind: UnknownKind,
    /// When the law matters: the open points the answer passes through, sorted by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<UnsettledPoint>,
}

/// How the positions answer a question: found by evaluating it under each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PositionSplit {
    /// The positions under which the answer is true, in the knowledge base's order.
    #[serde(rename = "true")]
    pub true_under: Vec<String>,
    /// The positions under which it is false.
    #[serde(rename = "false")]
    pub false_under: Vec<String>,
    /// The positions under which it is unknown.
    #[serde(rename = "unknown")]
    pub unknown_under: Vec<String>,
}

/// Why an answer is unknown, in detail ([`crate::Scenario::why_unknown`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownReason {
    /// The atom asked about.
    #[serde(serialize_with = "super::text::serialize_display")]
    pub atom: GroundAtom,
    /// The position it is unknown under.
    pub position: String,
    /// Missing facts, divided law, both, or a stipulation.
    pub kind: UnknownKind,
    /// The missing facts whose value can change the answer (each was tried: it belongs to a
    /// set of facts that settles the answer, or stating it alone changes the answer, with
    /// the law as it stands or its open points settled in any of the ways tried), sorted by text.
    #[serde(serialize_with = "super::text::serialize_all")]
    pub missing_facts: Vec<GroundAtom>,
    /// Those of [`UnknownReason::missing_facts`] the scenario states `unknown` on purpose
    /// (`unknown p(a).`): stated, but with no value (written in JSON only when some are).
    #[serde(
        serialize_with = "super::text::serialize_all",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub stated_unknown: Vec<GroundAtom>,
    /// Whether the search for the facts that settle the answer stopped at its bounds
    /// ([`super::ExplainOptions`]), so that other missing facts may change the answer too
    /// (written in JSON only when set).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more_missing_facts_possible: bool,
    /// The open points of law whose settlement can change the answer, sorted by name.
    pub points: Vec<UnsettledPoint>,
    /// How every position answers the same question (positions published after the date
    /// asked as of left out).
    pub positions: PositionSplit,
}

impl UnknownReason {
    /// What follows a missing fact in a list for a reader: ` (stated unknown)` for one the
    /// scenario states `unknown` on purpose, nothing otherwise.
    pub(super) fn stated_unknown_mark(&self, fact: &GroundAtom) -> &'static str {
        if self.stated_unknown.contains(fact) {
            " (stated unknown)"
        } else {
            ""
        }
    }
}

/// The missing facts and unsettled points an unknown atom rests on.
#[derive(Debug, Default)]
pub(super) struct Support {
    /// Missing facts reached through unknown parts, with the polarity they were met in.
    pub leaves: Vec<Leaf>,
    /// Open points the position leaves unsettled, reached through unknown parts.
    pub points: Vec<PointId>,
    /// Whether a stipulated unknown atom was reached.
    pub stipulated: bool,
}

/// Collects the support of `pred(args)` under the context's model: every missing fact and
/// unsettled point reached through parts whose value is unknown.
pub(super) fn support(cx: &Context, pred: PredId, args: &[Sym]) -> Support {
    let mut walk = Walk {
        ex: Explainer::new(cx),
        seen: FxHashSet::default(),
        out: Support::default(),
    };
    walk.atom(pred, args, true);
    walk.out.points.sort();
    walk.out.points.dedup();
    walk.out
}

struct Walk<'a> {
    ex: Explainer<'a>,
    seen: FxHashSet<(PredId, Tuple, bool)>,
    out: Support,
}

impl Walk<'_> {
    fn atom(&mut self, pred: PredId, args: &[Sym], positive: bool) {
        let cx = self.ex.cx;
        if cx.model.value(pred, args) != Truth::Unknown {
            return;
        }
        if cx.model.is_stipulated(pred, args).is_some() {
            self.out.stipulated = true;
            return;
        }
        if !cx.program.predicate(pred).derived {
            match self
                .out
                .leaves
                .iter_mut()
                .find(|l| l.pred == pred && l.args.as_slice() == args)
            {
                Some(l) if positive => l.positive = true,
                Some(l) => l.negative = true,
                None => self.out.leaves.push(Leaf {
                    pred,
                    args: Tuple::from_slice(args),
                    positive,
                    negative: !positive,
                }),
            }
            return;
        }
        if !self.seen.insert((pred, Tuple::from_slice(args), positive)) {
            return;
        }
        let rules = self.ex.rules_for(pred);
        for (rid, env) in self.ex.instances(&rules, args, Mode::Possible) {
            let body = self.ex.cx.program.rule(rid).body.clone();
            self.formula(&body, &env, positive);
        }
    }

    /// The unknown ones of `parts`, each under `env`.
    fn parts(&mut self, parts: &[Formula], env: &Env, positive: bool) {
        for p in parts {
            if self.ex.value_of(p, env) == Truth::Unknown {
                self.formula(p, env, positive);
            }
        }
    }

    fn formula(&mut self, f: &Formula, env: &Env, positive: bool) {
        match f {
            Formula::Atom(a, _) => match super::search::ground(&a.args, env) {
                Some(t) => self.atom(a.pred, &t, positive),
                None => {
                    for t in self.ex.matching(a, env, Mode::Possible) {
                        self.atom(a.pred, &t, positive);
                    }
                }
            },
            Formula::Not(inner, _) => self.formula(inner, env, !positive),
            Formula::And(parts) => match self.ex.conjunction_bindings(parts, env, MAX_BINDINGS) {
                Some((bindings, _)) => {
                    for b in bindings {
                        self.parts(parts, &b, positive);
                    }
                }
                None => self.parts(parts, env, positive),
            },
            Formula::Or(parts) => self.parts(parts, env, positive),
            Formula::Compare { .. } => {}
            Formula::Unsettled { point, .. } => {
                if self.ex.cx.model.settlement(*point).is_none() {
                    self.out.points.push(*point);
                }
            }
        }
    }
}

/// The bindings of a conjunction's own variables walked, at most (as many as the instances
/// of the rules behind an atom, [`Explainer::instances`]).
const MAX_BINDINGS: usize = 64;

/// What the cheap route needs of an unknown atom's support: whether a missing fact lies in
/// it, and its open points (sorted).
#[derive(Debug, Clone, Default)]
struct Summary {
    leaf: bool,
    points: Vec<PointId>,
}

impl Summary {
    fn absorb(&mut self, other: &Summary) {
        self.leaf |= other.leaf;
        self.points.extend(other.points.iter().copied());
    }
}

/// The walk of [`support`] for many atoms of one model, remembering each derived atom's
/// summary once it is complete, so that atoms resting on the same parts (every question of
/// a batch line) walk them once. Polarity is left out: the summary does not depend on it.
///
/// A summary is complete unless its walk met an atom already being walked (a cycle through
/// recursive rules) or walked for this root without a summary of its own: such an atom
/// adds nothing there because its parts are counted where it was first met, which is exact
/// for the root walked but not for the atom in between, so that one is not remembered.
struct Summaries<'a> {
    ex: Explainer<'a>,
    memo: FxHashMap<(PredId, Tuple), Summary>,
    /// Derived atoms walked for the current root.
    walked: FxHashSet<(PredId, Tuple)>,
    /// Every missing fact met, once each.
    leaves: Vec<Leaf>,
    leaf_seen: FxHashSet<(PredId, Tuple)>,
    /// Every open point met.
    points: Vec<PointId>,
}

impl<'a> Summaries<'a> {
    fn new(cx: &'a Context<'a>) -> Summaries<'a> {
        Summaries {
            ex: Explainer::new(cx),
            memo: FxHashMap::default(),
            walked: FxHashSet::default(),
            leaves: Vec::new(),
            leaf_seen: FxHashSet::default(),
            points: Vec::new(),
        }
    }

    /// The summary of the unknown atom `pred(args)`.
    fn root(&mut self, pred: PredId, args: &[Sym]) -> Summary {
        self.walked.clear();
        let mut s = self.atom(pred, args).0;
        s.points.sort();
        s.points.dedup();
        s
    }

    /// The atom's summary, and whether it is complete.
    fn atom(&mut self, pred: PredId, args: &[Sym]) -> (Summary, bool) {
        let cx = self.ex.cx;
        if cx.model.value(pred, args) != Truth::Unknown
            || cx.model.is_stipulated(pred, args).is_some()
        {
            return (Summary::default(), true);
        }
        if !cx.program.predicate(pred).derived {
            let key = (pred, Tuple::from_slice(args));
            if self.leaf_seen.insert(key.clone()) {
                self.leaves.push(Leaf {
                    pred,
                    args: key.1,
                    positive: true,
                    negative: false,
                });
            }
            let leaf = Summary {
                leaf: true,
                points: Vec::new(),
            };
            return (leaf, true);
        }
        let key = (pred, Tuple::from_slice(args));
        if let Some(done) = self.memo.get(&key) {
            return (done.clone(), true);
        }
        if !self.walked.insert(key.clone()) {
            return (Summary::default(), false);
        }
        let program = cx.program;
        let rules = self.ex.rules_for(pred);
        let mut acc = Summary::default();
        let mut complete = true;
        for (rid, env) in self.ex.instances(&rules, args, Mode::Possible) {
            complete &= self.formula(&program.rule(rid).body, &env, &mut acc);
        }
        acc.points.sort();
        acc.points.dedup();
        if complete {
            self.memo.insert(key, acc.clone());
        }
        (acc, complete)
    }

    /// Adds the summaries of the unknown ones of `parts`, each under `env`, to `acc`;
    /// whether they are complete.
    fn parts(&mut self, parts: &[Formula], env: &Env, acc: &mut Summary) -> bool {
        let mut complete = true;
        for p in parts {
            if self.ex.value_of(p, env) == Truth::Unknown {
                complete &= self.formula(p, env, acc);
            }
        }
        complete
    }

    /// Adds the summary of the unknown parts of `f` to `acc`; whether it is complete.
    fn formula(&mut self, f: &Formula, env: &Env, acc: &mut Summary) -> bool {
        match f {
            Formula::Atom(a, _) => {
                let tuples = match super::search::ground(&a.args, env) {
                    Some(t) => vec![t],
                    None => self.ex.matching(a, env, Mode::Possible),
                };
                let mut complete = true;
                for t in tuples {
                    let (s, c) = self.atom(a.pred, &t);
                    acc.absorb(&s);
                    complete &= c;
                }
                complete
            }
            Formula::Not(inner, _) => self.formula(inner, env, acc),
            Formula::And(parts) => match self.ex.conjunction_bindings(parts, env, MAX_BINDINGS) {
                Some((bindings, more)) => {
                    // Past the cap, some binding's parts were not walked.
                    let mut complete = !more;
                    for b in bindings {
                        complete &= self.parts(parts, &b, acc);
                    }
                    complete
                }
                None => self.parts(parts, env, acc),
            },
            Formula::Or(parts) => self.parts(parts, env, acc),
            Formula::Compare { .. } => true,
            Formula::Unsettled { point, .. } => {
                if self.ex.cx.model.settlement(*point).is_none() {
                    acc.points.push(*point);
                    self.points.push(*point);
                }
                true
            }
        }
    }
}

/// Every leaf set to one value: the first for which `pick` gives one.
fn assign(leaves: &[Leaf], pick: impl Fn(&Leaf) -> Truth) -> Vec<(PredId, Tuple, Truth)> {
    leaves
        .iter()
        .map(|l| (l.pred, l.args.clone(), pick(l)))
        .collect()
}

thread_local! {
    /// Whether [`classify`] evaluates its what-ifs on the residual program (tests switch it
    /// off to compare with evaluating the law itself).
    static USE_RESIDUAL: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// How many times [`classify`] could not build the residual program, on this thread.
    static RESIDUAL_GAVE_UP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times, on this thread, the cheap classification could not build the residual
/// program and evaluated the law itself (tests: the residual route must not be vacuous).
#[doc(hidden)]
pub fn residual_gave_up() -> usize {
    RESIDUAL_GAVE_UP.with(std::cell::Cell::get)
}

/// Makes the reasons and explanations evaluate the law itself for every what-if, on this
/// thread (`false`), or decide them on residual programs where they can (`true`, the
/// default). For tests that hold one route to the other.
#[doc(hidden)]
pub fn set_residual_what_ifs(on: bool) {
    USE_RESIDUAL.with(|c| c.set(on));
}

/// Whether what-ifs are decided on residual programs where they can be, on this thread.
pub(super) fn residual_what_ifs() -> bool {
    USE_RESIDUAL.with(std::cell::Cell::get)
}

/// Every point settled one way.
fn settle_all(points: &[PointId], value: bool) -> Vec<(PointId, bool)> {
    points.iter().map(|p| (*p, value)).collect()
}

/// The open points as a reader sees them: name and why the knowledge base says it is open.
pub(crate) fn point_texts(cx: &Context, points: &[PointId]) -> Vec<UnsettledPoint> {
    let mut out: Vec<UnsettledPoint> = points
        .iter()
        .map(|p| {
            let info = cx.program.point(*p);
            UnsettledPoint {
                point: info.name.clone(),
                title: cx.program.point_title(*p),
                reason: info.reason.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.point.cmp(&b.point));
    out.dedup_by(|a, b| a.point == b.point);
    out
}

/// The cheap route: classifies every unknown atom among `answers` (ground atoms under one
/// position, of any predicates) with a few what-ifs in all, however many they are. `None`
/// for answers that are not unknown.
///
/// Missing facts matter when the answer stays unknown with its open points settled in one
/// of the ways `law_combinations` lists (every point is then settled, so only facts can
/// hold it open) or when setting every missing fact one way (all true, all false) decides
/// it; the law matters when the answer stays unknown with every missing fact set one way,
/// or when one of those settlements decides it. Each test is a witness: what it finds,
/// matters.
///
/// The what-ifs on the facts set every missing fact of *every* answer's support at once. For one answer that is the same as setting only its own: a fact or
/// point outside an atom's support lies only under parts already true or false, and setting
/// facts or settling points only refines the three-valued model (a part that is true or
/// false stays so), so it cannot reach the atom. The same refinement is why the what-ifs can
/// be decided on the residual program of the unknown answers (`residual`), which is built
/// once and also gives each answer's support; only when it cannot be built are the supports
/// walked and the law evaluated again. `tests/reasons.rs` holds this route to the detailed
/// one, and the residual program to evaluating the law.
pub(crate) fn classify(
    cx: &Context,
    hyp: HypothesisOver,
    answers: &[(PredId, Tuple)],
) -> Result<Vec<Option<UnknownClass>>, EvalError> {
    let unknown: Vec<(PredId, Tuple)> = answers
        .iter()
        .filter(|(pred, args)| cx.model.value(*pred, args) == Truth::Unknown)
        .cloned()
        .collect();
    if unknown.is_empty() {
        return Ok(vec![None; answers.len()]);
    }
    // An unknown atom with no point of law left open anywhere under it, in a scenario that
    // stipulates nothing unknown, rests on missing facts alone: nothing else can hold it
    // unknown. Many answers of a small scenario are of this kind (a third of a generated
    // batch line's), and telling them apart by the law's shape spares grounding them.
    let nothing_stipulated_unknown = !cx.model.stipulates_unknown();
    let facts_only = |pred: PredId| {
        nothing_stipulated_unknown
            && !cx
                .plans
                .open_point_under(cx.program, cx.model.position, pred)
    };
    let grounded: Vec<(PredId, Tuple)> = unknown
        .into_iter()
        .filter(|(pred, _)| !facts_only(*pred))
        .collect();
    // The residual program of the other unknown answers (see `residual`) gives both what
    // each rests on and the what-ifs; where it cannot be built, a walk of the supports gives
    // the first and evaluating the law again the second.
    let needed = !grounded.is_empty();
    let residual = needed.then(|| Residual::build(cx, &grounded)).flatten();
    if needed && residual.is_none() {
        RESIDUAL_GAVE_UP.with(|n| n.set(n.get() + 1));
    }
    // Tests switch the residual what-ifs off to evaluate the law instead, with the same
    // supports: the two evaluations are then held to each other.
    let residual_values = residual_what_ifs();
    let mut walk = (needed && residual.is_none()).then(|| Summaries::new(cx));
    let supports: Vec<Option<Summary>> = answers
        .iter()
        .map(|(pred, args)| {
            if cx.model.value(*pred, args) != Truth::Unknown {
                return None;
            }
            if facts_only(*pred) {
                return Some(Summary {
                    leaf: true,
                    points: Vec::new(),
                });
            }
            Some(match (&residual, walk.as_mut()) {
                (Some(r), _) => {
                    let (leaf, points) = r.support(*pred, args);
                    Summary { leaf, points }
                }
                (None, Some(w)) => w.root(*pred, args),
                (None, None) => Summary::default(),
            })
        })
        .collect();
    // An answer whose support holds only missing facts (only open points) rests on them
    // alone: with nothing else to settle, settling the other kind leaves it unknown. Only
    // answers resting on both need the what-if evaluations. They set every missing fact
    // (settle every point) met: those outside an answer's support cannot change it.
    let mut preds: Vec<PredId> = answers
        .iter()
        .zip(&supports)
        .filter(|(_, s)| s.as_ref().is_some_and(|s| s.leaf && !s.points.is_empty()))
        .map(|((pred, _), _)| *pred)
        .collect();
    preds.sort();
    preds.dedup();
    // The what-ifs, each evaluated the first time an answer needs it: on the residual
    // program, or (without one) by evaluating the law again. Two set every missing fact
    // one way (all true, all false); the others settle the open points of an answer's
    // support in the ways `law_combinations` lists, and are kept by settlement, since
    // answers resting on the same points ask for the same ones.
    let all_facts: Vec<(PredId, Tuple)> = match (&residual, &walk) {
        (Some(r), _) if !residual_values => r.facts(),
        (_, Some(w)) => w.leaves.iter().map(|l| (l.pred, l.args.clone())).collect(),
        _ => Vec::new(),
    };
    let residual = residual.filter(|_| residual_values);
    let mut fact_values: [Option<Values>; 2] = [None, None];
    let mut fact_models: [Option<Model>; 2] = [None, None];
    let mut law_values: FxHashMap<Settled, Values> = FxHashMap::default();
    let mut law_models: FxHashMap<Settled, Model> = FxHashMap::default();
    // Whether the answer stays unknown with every missing fact set to `all`.
    let mut open_with_facts = |all: bool, pred: PredId, args: &Tuple| -> Result<bool, EvalError> {
        let which = usize::from(!all);
        if let (Some(r), Some(slot)) = (&residual, fact_values.get_mut(which)) {
            let v = slot.get_or_insert_with(|| r.evaluate(Some(all), &[]));
            if let Some(value) = v.value(pred, args) {
                return Ok(value == Truth::Unknown);
            }
        }
        let Some(slot) = fact_models.get_mut(which) else {
            return Ok(true);
        };
        let model = match slot {
            Some(m) => m,
            None => {
                let v = if all { Truth::True } else { Truth::False };
                let facts: FactChanges =
                    all_facts.iter().map(|(p, t)| (*p, t.clone(), v)).collect();
                slot.insert(hyp(&preds, &facts, &[])?)
            }
        };
        Ok(model.value(pred, args) == Truth::Unknown)
    };
    // Whether the answer stays unknown with its open points settled as `law` says.
    let mut open_with_law = |law: &Settled,
                             pred: PredId,
                             args: &Tuple|
     -> Result<bool, EvalError> {
        if let Some(r) = &residual {
            let v = law_values
                .entry(law.clone())
                .or_insert_with(|| r.evaluate(None, law));
            if let Some(value) = v.value(pred, args) {
                return Ok(value == Truth::Unknown);
            }
        }
        let model = match law_models.entry(law.clone()) {
            std::collections::hash_map::Entry::Occupied(m) => m.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(hyp(&preds, &[], law)?),
        };
        Ok(model.value(pred, args) == Truth::Unknown)
    };
    let mut out = Vec::with_capacity(answers.len());
    for ((pred, args), s) in answers.iter().zip(supports) {
        let Some(s) = s else {
            out.push(None);
            continue;
        };
        let (facts, law) = match (!s.leaf, s.points.is_empty()) {
            (false, true) => (true, false),
            (true, false) => (false, true),
            (true, true) => (false, false),
            (false, false) => {
                // Facts matter when some settlement of the law leaves the answer open, or
                // setting the facts decides it; the law matters the other way round. Each
                // test that succeeds is a witness, so the later ones are skipped once both
                // are found.
                let (mut facts, mut law) = (false, false);
                for settled in law_combinations(&s.points) {
                    if facts && law {
                        break;
                    }
                    if open_with_law(&settled, *pred, args)? {
                        facts = true;
                    } else {
                        law = true;
                    }
                }
                for all in [true, false] {
                    if facts && law {
                        break;
                    }
                    if open_with_facts(all, *pred, args)? {
                        law = true;
                    } else {
                        facts = true;
                    }
                }
                (facts, law)
            }
        };
        let kind = UnknownKind::of(facts, law);
        out.push(Some(UnknownClass {
            kind,
            points: if kind.law_matters() {
                point_texts(cx, &s.points)
            } else {
                Vec::new()
            },
        }));
    }
    Ok(out)
}

/// What the detailed route found for one unknown atom.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    /// The missing facts whose value can change the answer, sorted by text.
    pub facts: Vec<GroundAtom>,
    /// The open points whose settlement can change the answer.
    pub points: Vec<PointId>,
}

impl Analysis {
    /// Missing facts, divided law, both or a stipulation, by what was found.
    pub(crate) fn kind(&self) -> UnknownKind {
        UnknownKind::of(!self.facts.is_empty(), !self.points.is_empty())
    }
}

/// The detailed route for one unknown atom: each missing fact of its support is tried true
/// and false, with the law as it stands and with its open points settled in each way
/// `law_combinations` lists; each open point is tried settled either way, with the facts as they stand, all
/// pushed towards true, towards false, all true, all false, and with the other points settled
/// in every combination (see `law_combinations`) under the first three of these. A
/// fact or point is kept when its value changes the answer in one of these. (The caller adds
/// the facts of the smallest settling sets, which can change the answer too.)
pub(super) fn analyse(
    cx: &Context,
    value_with: ValueWith,
    s: &Support,
) -> Result<Analysis, EvalError> {
    let mut out = Analysis::default();
    // Facts.
    // The law as it stands, and its open points settled in the ways the cheap route tries
    // (a fact may matter only under a mixed settlement, as a position makes).
    let mut law_contexts: Vec<Settled> = vec![Vec::new()];
    law_contexts.extend(law_combinations(&s.points));
    let mut law_values = Vec::with_capacity(law_contexts.len());
    for law in &law_contexts {
        law_values.push(if law.is_empty() {
            Truth::Unknown
        } else {
            value_with(&[], law)?
        });
    }
    for l in &s.leaves {
        let atom = cx.ground_atom(l.pred, &l.args);
        let mut relevant = false;
        'contexts: for (law, before) in law_contexts.iter().zip(&law_values) {
            if relevant {
                break;
            }
            for v in [Truth::True, Truth::False] {
                let after = value_with(&[(l.pred, l.args.clone(), v)], law)?;
                if after != *before {
                    relevant = true;
                    break 'contexts;
                }
            }
        }
        if relevant {
            out.facts.push(atom);
        }
    }
    out.facts.sort_by_cached_key(ToString::to_string);
    out.facts.dedup();
    // Points.
    let toward = |target: bool| {
        assign(&s.leaves, |l| {
            let helps = if target { l.positive } else { !l.positive };
            if helps {
                Truth::True
            } else {
                Truth::False
            }
        })
    };
    let fact_contexts: Vec<FactChanges> = if s.leaves.is_empty() {
        vec![Vec::new()]
    } else {
        vec![
            Vec::new(),
            toward(true),
            toward(false),
            assign(&s.leaves, |_| Truth::True),
            assign(&s.leaves, |_| Truth::False),
        ]
    };
    let mut fact_values = Vec::with_capacity(fact_contexts.len());
    for facts in &fact_contexts {
        fact_values.push(if facts.is_empty() {
            Truth::Unknown
        } else {
            value_with(facts, &[])?
        });
    }
    for &p in &s.points {
        let others: Vec<PointId> = s.points.iter().copied().filter(|q| *q != p).collect();
        let mut contexts: Vec<LawContext> = fact_contexts
            .iter()
            .zip(&fact_values)
            .map(|(f, v)| (f.as_slice(), Vec::new(), *v))
            .collect();
        // The other points settled every way (a point may matter only when another one is
        // settled in favour and a third against), with the facts as they stand and pushed
        // either way.
        for law in law_combinations(&others) {
            for facts in fact_contexts.iter().take(3) {
                let before = value_with(facts, &law)?;
                contexts.push((facts.as_slice(), law.clone(), before));
            }
        }
        let mut relevant = false;
        'p: for (facts, law, before) in &contexts {
            let before = *before;
            for v in [true, false] {
                let mut settled = law.clone();
                settled.push((p, v));
                if value_with(facts, &settled)? != before {
                    relevant = true;
                    break 'p;
                }
            }
        }
        if relevant {
            out.points.push(p);
        }
    }
    Ok(out)
}

/// Ways of settling `points` to try, all in favour and all against first: every combination
/// when there are at most three, else also each one alone the other way. A position settles
/// points in any mix, so a missing fact may matter only when one point is settled in favour
/// and another against.
fn law_combinations(points: &[PointId]) -> Vec<Settled> {
    if points.is_empty() {
        return Vec::new();
    }
    let mut out = vec![settle_all(points, true), settle_all(points, false)];
    if points.len() <= 3 {
        // The mixed ones: neither all set nor none.
        let all = (1u32 << points.len()) - 1;
        out.extend((1..all).map(|bits| {
            points
                .iter()
                .enumerate()
                .map(|(i, p)| (*p, bits & (1 << i) != 0))
                .collect()
        }));
        return out;
    }
    for i in 0..points.len() {
        for side in [true, false] {
            out.push(
                points
                    .iter()
                    .enumerate()
                    .map(|(j, p)| (*p, if i == j { side } else { !side }))
                    .collect(),
            );
        }
    }
    out
}
