//! The residual program of some unknown atoms: their ground rule instances with every part
//! that is already true or false replaced by its value, down to the missing facts and open
//! points they rest on.
//!
//! Setting missing facts or settling open points only refines the three-valued model: an
//! atom that is true or false stays so (see `reasons::classify`). So what a what-if does to
//! the unknown atoms is decided by this small ground program alone, evaluated with the facts
//! and points set: the cheap classification of unknown answers evaluates it a few times
//! instead of evaluating the law as many times (which was most of the cost of a `why`).
//!
//! The program is evaluated as the evaluator evaluates the law: per strongly connected
//! component of its dependency graph, dependencies first (a stratified program's negations
//! never lie on a cycle), each component to its least fixpoint, definite and possible
//! values side by side. Grounding is exact or it gives up ([`Residual::build`] returns
//! `None`), and the caller then evaluates the law itself.

use super::build::Explainer;
use super::search::{bound_in, bound_vars, ground};
use super::Context;
use crate::eval::{plan_formula, Env, Mode, Plan, RuleShape};
use crate::program::{Formula, PointId, PredId, RuleId, Sym, Term, Tuple, VarId};
use crate::syntax::ast::Truth;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Beyond this many parts (or rule instances of one atom, or bindings of one condition),
/// the residual program is not built: evaluating the law again is then the cheaper route.
const MAX_PARTS: usize = 100_000;
/// Beyond this depth of atoms resting on atoms, the residual program is not built (the
/// walk is recursive).
const MAX_DEPTH: usize = 512;

/// A part of a ground rule body, simplified against the model.
#[derive(Debug)]
enum Part {
    /// Already true, false or unknown whatever is set (a stipulation holds an atom unknown).
    Const(Truth),
    /// An unknown derived atom: its index among the residual program's atoms.
    Atom(usize),
    /// A missing fact: its index among the program's facts.
    Fact(usize),
    /// An open point of law.
    Point(PointId),
    Not(Box<Part>),
    And(Vec<Part>),
    Or(Vec<Part>),
}

/// The residual program of some unknown atoms (see the module's documentation).
#[derive(Debug)]
pub(super) struct Residual {
    /// Per derived atom: the disjunction of its ground rule instances.
    bodies: Vec<Part>,
    /// The derived atoms' indexes.
    atoms: FxHashMap<(PredId, Tuple), usize>,
    /// The missing facts' indexes.
    facts: FxHashMap<(PredId, Tuple), usize>,
    /// The open points the program reads.
    points: FxHashSet<PointId>,
    /// The strongly connected components of the atoms' dependencies, dependencies first,
    /// each with whether it is recursive (needs more than one pass).
    order: Vec<(Vec<usize>, bool)>,
    /// Per atom: whether a missing fact lies under it, and the open points under it (sorted).
    support: Vec<(bool, Vec<PointId>)>,
}

/// The atoms' values under one setting of the missing facts and open points
/// ([`Residual::evaluate`]).
pub(super) struct Values<'a> {
    residual: &'a Residual,
    /// Per atom: (definitely true, possibly true).
    bounds: Vec<(bool, bool)>,
}

impl Values<'_> {
    /// The value of an unknown atom of the residual program (`None` for an atom it does not
    /// hold).
    pub(super) fn value(&self, pred: PredId, args: &[Sym]) -> Option<Truth> {
        let i = *self.residual.atoms.get(&(pred, Tuple::from_slice(args)))?;
        let (definite, possible) = *self.bounds.get(i)?;
        Some(truth(definite, possible))
    }
}

fn truth(definite: bool, possible: bool) -> Truth {
    if definite {
        Truth::True
    } else if possible {
        Truth::Unknown
    } else {
        Truth::False
    }
}

struct Builder<'a> {
    ex: Explainer<'a>,
    /// Rule bodies planned with the head bound (a ground head binds the same variables
    /// every time), by rule.
    plans: FxHashMap<RuleId, Arc<Plan>>,
    bodies: Vec<Option<Part>>,
    atoms: FxHashMap<(PredId, Tuple), usize>,
    facts: FxHashMap<(PredId, Tuple), usize>,
    points: FxHashSet<PointId>,
    parts: usize,
    depth: usize,
    /// For each rule being grounded (innermost last): how many times each variable (by
    /// index) occurs in its head and body together.
    heads: Vec<Arc<Vec<usize>>>,
    /// How deep the grounding is inside a conjunction made by splitting an `or` (see
    /// `formula`): 0 in the law's own formulas, whose plans are kept per knowledge base.
    in_made: usize,
}

/// Grounding could not be done exactly (or would be too large).
struct GiveUp;

impl Residual {
    /// The residual program of the unknown atoms `roots` under the context's model; `None`
    /// when it would be too large or a condition cannot be grounded exactly.
    pub(super) fn build(cx: &Context, roots: &[(PredId, Tuple)]) -> Option<Residual> {
        let mut b = Builder {
            ex: Explainer::new(cx),
            plans: FxHashMap::default(),
            bodies: Vec::new(),
            atoms: FxHashMap::default(),
            facts: FxHashMap::default(),
            points: FxHashSet::default(),
            parts: 0,
            depth: 0,
            heads: Vec::new(),
            in_made: 0,
        };
        for (pred, args) in roots {
            b.atom(*pred, args).ok()?;
        }
        let bodies: Vec<Part> = b.bodies.into_iter().collect::<Option<_>>()?;
        let order = components(&bodies);
        let support = supports(&bodies, &order);
        let residual = Residual {
            bodies,
            atoms: b.atoms,
            facts: b.facts,
            points: b.points,
            order,
            support,
        };
        // With nothing set, every atom must come out unknown, as in the model: a check
        // that the grounding missed nothing (it costs one pass over a small program).
        let same = residual.evaluate(None, &[]);
        same.bounds
            .iter()
            .all(|b| *b == (false, true))
            .then_some(residual)
    }

    /// Every missing fact the program reads, in the order met.
    pub(super) fn facts(&self) -> Vec<(PredId, Tuple)> {
        let mut out: Vec<(usize, (PredId, Tuple))> =
            self.facts.iter().map(|(k, i)| (*i, k.clone())).collect();
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, k)| k).collect()
    }

    /// Whether a missing fact lies under the unknown atom `pred(args)`, and the open points
    /// under it (sorted): an unknown base fact asked about directly is itself a missing
    /// fact; nothing for an atom the program does not hold (a stipulated one).
    pub(super) fn support(&self, pred: PredId, args: &[Sym]) -> (bool, Vec<PointId>) {
        let key = (pred, Tuple::from_slice(args));
        if let Some(i) = self.atoms.get(&key) {
            return self.support.get(*i).cloned().unwrap_or_default();
        }
        (self.facts.contains_key(&key), Vec::new())
    }

    /// Evaluates the program with every missing fact left open (`facts` is `None`) or set
    /// one way, and the open points in `settled` settled as it says (the others left open;
    /// a point the program does not read changes nothing).
    pub(super) fn evaluate(&self, facts: Option<bool>, settled: &[(PointId, bool)]) -> Values<'_> {
        self.evaluate_with(&|_| facts, &|q| {
            settled.iter().find(|(p, _)| *p == q).map(|(_, b)| *b)
        })
    }

    /// The value of the unknown atom `pred(args)` with the base facts `changes` stated
    /// otherwise and the open points `settled` settled, as evaluating the law again would
    /// give it (a fact of a functional predicate stated true pins the other values of the
    /// same slots that the scenario leaves unstated to false, as stating it does); `None`
    /// when this program cannot
    /// tell: the atom is not in it, or a change reaches outside what it varies (a fact the
    /// model holds true or false, a point the position settles otherwise).
    pub(super) fn value_with(
        &self,
        cx: &Context,
        pred: PredId,
        args: &[Sym],
        changes: &[(PredId, Tuple, Truth)],
        settled: &[(PointId, bool)],
    ) -> Option<Truth> {
        let root = *self.atoms.get(&(pred, Tuple::from_slice(args)))?;
        let mut facts: Vec<Option<bool>> = vec![None; self.facts.len()];
        let mut stated = vec![false; self.facts.len()];
        let mut pins: Vec<(PredId, &[Sym], &Tuple)> = Vec::new();
        for (p, t, v) in changes {
            match self.facts.get(&(*p, t.clone())) {
                Some(i) => {
                    if let (Some(f), Some(s)) = (facts.get_mut(*i), stated.get_mut(*i)) {
                        *f = known(*v);
                        *s = true;
                    }
                }
                // A missing fact outside the program cannot reach it; a known fact changed
                // is not something it varies.
                None => {
                    let now = cx.model.value(*p, t);
                    if now != Truth::Unknown && now != *v {
                        return None;
                    }
                }
            }
            if *v == Truth::True && cx.program.predicate(*p).functional {
                if let Some((_, prefix)) = t.split_last() {
                    pins.push((*p, prefix, t));
                }
            }
        }
        if !pins.is_empty() {
            for ((q, u), i) in &self.facts {
                // Only what the scenario leaves unstated is pinned: a fact it states unknown
                // stays so.
                let unstated = cx
                    .facts
                    .stated
                    .get(q.index())
                    .is_none_or(|m| !m.contains_key(u));
                let pinned = unstated
                    && pins.iter().any(|(p, prefix, t)| {
                        p == q && u.len() == t.len() && u.starts_with(prefix) && u != *t
                    });
                if pinned && !stated.get(*i).copied().unwrap_or(true) {
                    if let Some(f) = facts.get_mut(*i) {
                        *f = Some(false);
                    }
                }
            }
        }
        let mut points: FxHashMap<PointId, bool> = FxHashMap::default();
        for (q, b) in settled {
            if self.points.contains(q) {
                points.insert(*q, *b);
            } else if cx.model.settlement(*q).is_some_and(|now| now != *b) {
                return None;
            }
        }
        let values = self.evaluate_with(&|i| facts.get(i).copied().flatten(), &|q| {
            points.get(&q).copied()
        });
        let (definite, possible) = *values.bounds.get(root)?;
        Some(truth(definite, possible))
    }

    /// Evaluates the program with each missing fact (by index) and each open point set as
    /// the functions say (`None`: left open).
    fn evaluate_with(
        &self,
        facts: &dyn Fn(usize) -> Option<bool>,
        points: &dyn Fn(PointId) -> Option<bool>,
    ) -> Values<'_> {
        let mut bounds = vec![(false, false); self.bodies.len()];
        for (component, recursive) in &self.order {
            // From false upwards to the least fixpoint: parts outside the component are final
            // (evaluated earlier or constant), and a stratified program has no negation
            // inside a component, so each pass can only add.
            loop {
                let mut changed = false;
                for &i in component {
                    let Some(body) = self.bodies.get(i) else {
                        continue;
                    };
                    let now = eval(body, &bounds, facts, points);
                    if let Some(slot) = bounds.get_mut(i) {
                        if *slot != now {
                            *slot = now;
                            changed = true;
                        }
                    }
                }
                if !changed || !recursive {
                    break;
                }
            }
        }
        Values {
            residual: self,
            bounds,
        }
    }
}

/// A stated value as a setting: `None` for unknown.
fn known(v: Truth) -> Option<bool> {
    match v {
        Truth::True => Some(true),
        Truth::False => Some(false),
        Truth::Unknown => None,
    }
}

/// (definitely true, possibly true) of a part, Kleene's three values as two bounds.
fn eval(
    p: &Part,
    bounds: &[(bool, bool)],
    facts: &dyn Fn(usize) -> Option<bool>,
    points: &dyn Fn(PointId) -> Option<bool>,
) -> (bool, bool) {
    let open = |v: Option<bool>| v.map_or((false, true), |b| (b, b));
    match p {
        Part::Const(t) => match t {
            Truth::True => (true, true),
            Truth::False => (false, false),
            Truth::Unknown => (false, true),
        },
        Part::Atom(i) => bounds.get(*i).copied().unwrap_or((false, false)),
        Part::Fact(i) => open(facts(*i)),
        Part::Point(q) => open(points(*q)),
        Part::Not(inner) => {
            let (d, p) = eval(inner, bounds, facts, points);
            (!p, !d)
        }
        Part::And(parts) => parts.iter().fold((true, true), |(d, p), part| {
            if !p {
                return (false, false);
            }
            let (d2, p2) = eval(part, bounds, facts, points);
            (d && d2, p && p2)
        }),
        Part::Or(parts) => parts.iter().fold((false, false), |(d, p), part| {
            if d {
                return (true, true);
            }
            let (d2, p2) = eval(part, bounds, facts, points);
            (d || d2, p || p2)
        }),
    }
}

/// The derived atoms a part reads.
fn reads(p: &Part, out: &mut Vec<usize>) {
    match p {
        Part::Atom(i) => out.push(*i),
        Part::Not(inner) => reads(inner, out),
        Part::And(parts) | Part::Or(parts) => parts.iter().for_each(|q| reads(q, out)),
        Part::Const(_) | Part::Fact(_) | Part::Point(_) => {}
    }
}

/// The missing facts and open points a part reaches without passing through an atom
/// (whether any fact; the points), and the atoms it reads.
fn direct(p: &Part, fact: &mut bool, points: &mut Vec<PointId>, atoms: &mut Vec<usize>) {
    match p {
        Part::Atom(i) => atoms.push(*i),
        Part::Fact(_) => *fact = true,
        Part::Point(q) => points.push(*q),
        Part::Not(inner) => direct(inner, fact, points, atoms),
        Part::And(parts) | Part::Or(parts) => {
            for q in parts {
                direct(q, fact, points, atoms);
            }
        }
        Part::Const(_) => {}
    }
}

/// Per atom, what lies under it: the union over its component (whose atoms all reach each
/// other) and the components it reads, which come earlier in `order`.
fn supports(bodies: &[Part], order: &[(Vec<usize>, bool)]) -> Vec<(bool, Vec<PointId>)> {
    let mut out: Vec<(bool, Vec<PointId>)> = vec![(false, Vec::new()); bodies.len()];
    let mut atoms = Vec::new();
    for (component, _) in order {
        let (mut fact, mut points) = (false, Vec::new());
        atoms.clear();
        for i in component {
            if let Some(b) = bodies.get(*i) {
                direct(b, &mut fact, &mut points, &mut atoms);
            }
        }
        for j in &atoms {
            if let Some((f, ps)) = out.get(*j) {
                fact |= *f;
                points.extend(ps.iter().copied());
            }
        }
        points.sort();
        points.dedup();
        for i in component {
            if let Some(slot) = out.get_mut(*i) {
                *slot = (fact, points.clone());
            }
        }
    }
    out
}

/// The strongly connected components of the atoms' dependencies, dependencies first, each
/// with whether it is recursive (several atoms, or one that reads itself).
fn components(bodies: &[Part]) -> Vec<(Vec<usize>, bool)> {
    let mut g = petgraph::graph::DiGraph::<(), ()>::with_capacity(bodies.len(), bodies.len());
    let nodes: Vec<_> = bodies.iter().map(|_| g.add_node(())).collect();
    let mut self_loops = vec![false; bodies.len()];
    let mut out = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        out.clear();
        reads(body, &mut out);
        for j in &out {
            if *j == i {
                if let Some(s) = self_loops.get_mut(i) {
                    *s = true;
                }
            }
            if let (Some(a), Some(b)) = (nodes.get(i), nodes.get(*j)) {
                g.update_edge(*a, *b, ());
            }
        }
    }
    // Tarjan's algorithm lists a component after every component it reaches.
    petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .map(|c| {
            let atoms: Vec<usize> = c.into_iter().map(|n| n.index()).collect();
            let recursive = atoms.len() > 1
                || atoms
                    .first()
                    .is_some_and(|i| self_loops.get(*i).copied().unwrap_or(true));
            (atoms, recursive)
        })
        .collect()
}

impl Builder<'_> {
    fn count(&mut self, n: usize) -> Result<(), GiveUp> {
        self.parts += n;
        if self.parts > MAX_PARTS {
            Err(GiveUp)
        } else {
            Ok(())
        }
    }

    /// The part for the atom `pred(args)`.
    fn atom(&mut self, pred: PredId, args: &[Sym]) -> Result<Part, GiveUp> {
        let cx = self.ex.cx;
        let value = cx.model.value(pred, args);
        if value != Truth::Unknown {
            return Ok(Part::Const(value));
        }
        // A stipulation holds whatever is set; so does it for the atoms resting on it.
        if cx.model.is_stipulated(pred, args).is_some() {
            return Ok(Part::Const(value));
        }
        if !cx.program.predicate(pred).derived {
            let next = self.facts.len();
            let i = *self
                .facts
                .entry((pred, Tuple::from_slice(args)))
                .or_insert(next);
            return Ok(Part::Fact(i));
        }
        let key = (pred, Tuple::from_slice(args));
        if let Some(i) = self.atoms.get(&key) {
            return Ok(Part::Atom(*i));
        }
        let i = self.bodies.len();
        self.bodies.push(None);
        self.atoms.insert(key, i);
        self.count(1)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        let mut instances = Vec::new();
        let rules = cx.plans.concluding(cx.program, cx.model.position, pred);
        for &rid in rules {
            let rule = cx.program.rule(rid);
            let Some(env0) = super::search::bind_head(rule, args) else {
                continue;
            };
            // The head binds the same variables whenever it matches: one shape per rule.
            let shape = cx.plans.rule_shape(rid, || {
                let mut occurrences = vec![0usize; rule.vars.len()];
                let mut all = Vec::new();
                vars(&rule.body, &mut all);
                for t in &rule.head.args {
                    if let Term::Var(v) = t {
                        all.push(*v);
                    }
                }
                for v in all {
                    if let Some(n) = occurrences.get_mut(v.index()) {
                        *n += 1;
                    }
                }
                RuleShape {
                    occurrences: Arc::new(occurrences),
                    or_binds_shared: match &rule.body {
                        Formula::And(parts) => shared_or(parts, &env0).is_some(),
                        _ => false,
                    },
                }
            });
            let Some(shape) = shape else {
                return Err(GiveUp);
            };
            let (occurrences, shared) = (Arc::clone(&shape.occurrences), shape.or_binds_shared);
            self.heads.push(occurrences);
            let grounded = self.instances(rid, rule, env0, shared);
            self.heads.pop();
            instances.extend(grounded?);
        }
        self.depth -= 1;
        if let Some(slot) = self.bodies.get_mut(i) {
            *slot = Some(any(instances));
        }
        Ok(Part::Atom(i))
    }

    /// The ground instances of rule `rid` whose head `env0` binds.
    fn instances(
        &mut self,
        rid: RuleId,
        rule: &crate::program::Rule,
        env0: Env,
        shared_or_in_body: bool,
    ) -> Result<Vec<Part>, GiveUp> {
        // A body whose `or` gives a value to a variable the rest reads is grounded
        // alternative by alternative from the head's values alone (see `formula`): a search
        // of the whole body would mix the values of different alternatives.
        if shared_or_in_body {
            return Ok(vec![self.formula(&rule.body, &env0)?]);
        }
        let cx = self.ex.cx;
        let plan = self
            .plans
            .entry(rid)
            .or_insert_with(|| cx.rule_plan(rid, &env0))
            .clone();
        let envs = self.bindings(&plan, env0)?;
        let mut instances = Vec::with_capacity(envs.len());
        for env in envs {
            instances.push(self.part_of(&rule.body, &env)?);
        }
        Ok(instances)
    }

    /// Every binding extending `env` under which `plan` is possibly true, each once (in the
    /// solver's order).
    fn bindings(&self, plan: &Plan, mut env: Env) -> Result<Vec<Env>, GiveUp> {
        let mut envs: Vec<Env> = Vec::new();
        let mut over = false;
        self.ex
            .solver()
            .solve(plan, Mode::Possible, &mut env, &mut |e| {
                // Alternatives of an `or` may give one binding twice: it is dropped below.
                if envs.last().is_none_or(|last| last != e) {
                    envs.push(e.clone());
                }
                over = envs.len() > MAX_PARTS;
                !over
            });
        if over {
            return Err(GiveUp);
        }
        if envs.len() > 1 {
            // The first of equal bindings is kept, without copying any of them.
            let keep: Vec<bool> = {
                let mut seen = FxHashSet::default();
                envs.iter().map(|e| seen.insert(e.as_slice())).collect()
            };
            let mut keep = keep.into_iter();
            envs.retain(|_| keep.next().unwrap_or(true));
        }
        Ok(envs)
    }

    /// The part for the formula `f` under `env` (variables it leaves unbound range over the
    /// bindings that make `f` possibly true). Bound parts are simplified as Kleene's logic
    /// evaluates them, so what is already true or false becomes a constant.
    fn formula(&mut self, f: &Formula, env: &Env) -> Result<Part, GiveUp> {
        self.count(1)?;
        match f {
            Formula::Atom(a, _) => match ground(&a.args, env) {
                Some(t) => self.atom(a.pred, &t),
                None => self.each_binding(f, env),
            },
            Formula::Not(inner, locals) => {
                // The negation's own variables range inside it, whatever `env` says of them.
                let inner = if locals
                    .iter()
                    .any(|v| env.get(v.index()).copied().flatten().is_some())
                {
                    self.formula(inner, &without(env, locals))?
                } else {
                    self.formula(inner, env)?
                };
                Ok(match inner {
                    Part::Const(t) => Part::Const(not(t)),
                    other => Part::Not(Box::new(other)),
                })
            }
            Formula::And(parts) => {
                // An `or` whose alternatives give a value to a variable the rest of the
                // conjunction also reads: the conjunction holds through one alternative at a
                // time, with that alternative's value, so it is grounded alternative by
                // alternative (grounding the `or` on its own would let the rest read another
                // value than the one that made the `or` hold).
                if let Some((k, alternatives)) = shared_or(parts, env) {
                    let mut out = Vec::with_capacity(alternatives.len());
                    for alternative in alternatives {
                        let conjunction = Formula::And(spliced(parts, k, alternative));
                        self.in_made += 1;
                        let part = self.formula(&conjunction, env);
                        self.in_made -= 1;
                        out.push(part?);
                        if matches!(out.last(), Some(Part::Const(Truth::True))) {
                            break;
                        }
                    }
                    return Ok(any(out));
                }
                if !bound_in(f, env) {
                    return self.each_binding(f, env);
                }
                self.conjunction(parts, env)
            }
            Formula::Or(parts) => {
                let mut out = Vec::with_capacity(parts.len());
                for p in parts {
                    out.push(self.formula(p, env)?);
                    if matches!(out.last(), Some(Part::Const(Truth::True))) {
                        break;
                    }
                }
                Ok(any(out))
            }
            Formula::Unsettled { point, .. } => match self.ex.cx.model.settlement(*point) {
                Some(b) => Ok(Part::Const(if b { Truth::True } else { Truth::False })),
                None => {
                    self.points.insert(*point);
                    Ok(Part::Point(*point))
                }
            },
            // A comparison is decided once its variables are bound; an unknown one (a
            // variable left unbound) is not something this grounding knows how to vary.
            Formula::Compare { .. } => match self.ex.value_of(f, env) {
                Truth::Unknown => Err(GiveUp),
                v => Ok(Part::Const(v)),
            },
        }
    }

    /// The conjunction of `parts`, each grounded under `env` (stopping at a false one).
    fn conjunction(&mut self, parts: &[Formula], env: &Env) -> Result<Part, GiveUp> {
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            out.push(self.part_of(p, env)?);
            if matches!(out.last(), Some(Part::Const(Truth::False))) {
                break;
            }
        }
        Ok(all(out))
    }

    /// A part of a conjunction (or a rule's body) under `env`. An `or` is grounded without the
    /// values `env` gives to variables that occur nowhere else in the rule: those come from
    /// whichever alternative the search went through, and each alternative gives its own
    /// (`not d(X)` beside `e(Y, X)` reads "no `X` at all", not the `X` of `e`).
    fn part_of(&mut self, p: &Formula, env: &Env) -> Result<Part, GiveUp> {
        if !matches!(p, Formula::Or(_)) {
            return self.formula(p, env);
        }
        // The variables that occur in the rule (head and body) only inside this `or`, and
        // that `env` binds.
        let in_rule = self.heads.last().cloned().unwrap_or_default();
        let own_and_bound = |v: VarId| {
            env.get(v.index()).copied().flatten().is_some()
                && in_rule.get(v.index()).copied() == Some(occurrences(p, v))
        };
        if !any_var(p, own_and_bound) {
            return self.formula(p, env);
        }
        let mut own = Vec::new();
        vars(p, &mut own);
        own.sort();
        own.dedup();
        own.retain(|v| own_and_bound(*v));
        self.formula(p, &without(env, &own))
    }

    /// The plan of condition `f` with the variables `env` binds bound: a condition of the
    /// law is planned once per knowledge base (its address names it); one of a conjunction
    /// made by splitting an `or` is a temporary, planned afresh.
    fn condition_plan(&self, f: &Formula, env: &Env) -> Arc<Plan> {
        let make = || plan_formula(f, &bound_vars(env));
        if self.in_made > 0 {
            return Arc::new(make());
        }
        let mut bits = 0u64;
        for (i, v) in env.iter().enumerate() {
            if v.is_some() {
                match u32::try_from(i).ok().and_then(|i| 1u64.checked_shl(i)) {
                    Some(bit) => bits |= bit,
                    None => return Arc::new(make()),
                }
            }
        }
        self.ex.cx.plans.condition_plan(f, bits, make)
    }

    /// `f` with variables unbound by `env`: the disjunction of `f` under each binding that
    /// makes it possibly true ("there is a …").
    fn each_binding(&mut self, f: &Formula, env: &Env) -> Result<Part, GiveUp> {
        let plan = self.condition_plan(f, env);
        let envs = self.bindings(&plan, env.clone())?;
        let mut out = Vec::with_capacity(envs.len());
        for b in envs {
            // Every variable of `f` is bound now, or grounding would not end.
            if !bound_in(f, &b) && !matches!(f, Formula::And(_)) {
                return Err(GiveUp);
            }
            let part = match f {
                // The caller split every `or` sharing an unbound variable with the rest, so
                // the parts can be grounded one by one with this binding.
                Formula::And(parts) => {
                    if shared_or(parts, &b).is_some() {
                        return Err(GiveUp);
                    }
                    self.conjunction(parts, &b)?
                }
                other => self.formula(other, &b)?,
            };
            let decided = matches!(part, Part::Const(Truth::True));
            out.push(part);
            if decided {
                break;
            }
        }
        Ok(any(out))
    }
}

fn not(t: Truth) -> Truth {
    match t {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

/// The conjunction of parts, simplified: a false part makes it false, true parts drop out.
fn all(parts: Vec<Part>) -> Part {
    connective(parts, Truth::False, Part::And)
}

/// The disjunction of parts, simplified: a true part makes it true, false parts drop out.
fn any(parts: Vec<Part>) -> Part {
    connective(parts, Truth::True, Part::Or)
}

/// A conjunction or a disjunction (`make`) of parts, simplified: a part worth `absorbing`
/// makes the whole worth it, parts worth the other definite value drop out (and none left is
/// that value), a single part stands alone.
fn connective(mut parts: Vec<Part>, absorbing: Truth, make: fn(Vec<Part>) -> Part) -> Part {
    let neutral = not(absorbing);
    if parts
        .iter()
        .any(|p| matches!(p, Part::Const(t) if *t == absorbing))
    {
        return Part::Const(absorbing);
    }
    // In place: most parts are kept, so a second vector would copy nearly all of them.
    parts.retain(|p| !matches!(p, Part::Const(t) if *t == neutral));
    match parts.len() {
        0 => Part::Const(neutral),
        1 => parts.pop().unwrap_or(Part::Const(neutral)),
        _ => make(parts),
    }
}

/// The conjunction `parts` with part `k` replaced by `alternative` (its parts spliced in
/// when it is a conjunction itself, so that an `or` inside it is seen).
fn spliced(parts: &[Formula], k: usize, alternative: &Formula) -> Vec<Formula> {
    let mut out = Vec::with_capacity(parts.len() + 2);
    for (j, p) in parts.iter().enumerate() {
        if j != k {
            out.push(p.clone());
        } else if let Formula::And(inner) = alternative {
            out.extend(inner.iter().cloned());
        } else {
            out.push(alternative.clone());
        }
    }
    out
}

/// The first part of a conjunction that is an `or` with a variable `env` leaves unbound and
/// another part of the conjunction reads: its index and its alternatives.
fn shared_or<'f>(parts: &'f [Formula], env: &Env) -> Option<(usize, &'f Vec<Formula>)> {
    let unbound = |v: &VarId| env.get(v.index()).copied().flatten().is_none();
    parts.iter().enumerate().find_map(|(k, p)| {
        let Formula::Or(alternatives) = p else {
            return None;
        };
        if !any_var(p, |v| unbound(&v)) {
            return None;
        }
        let mut mine = Vec::new();
        vars(p, &mut mine);
        mine.retain(|v| unbound(v));
        if mine.is_empty() {
            return None;
        }
        let mut others = Vec::new();
        for (j, q) in parts.iter().enumerate() {
            if j != k {
                vars(q, &mut others);
            }
        }
        mine.iter()
            .any(|v| others.contains(v))
            .then_some((k, alternatives))
    })
}

/// Calls `visit` on every variable `f` mentions, negations included, once per mention.
fn each_var(f: &Formula, visit: &mut impl FnMut(VarId)) {
    let mut term = |t: &Term| {
        if let Term::Var(v) = t {
            visit(*v);
        }
    };
    f.walk(&mut |g, _| match g {
        Formula::Atom(a, _) => a.args.iter().for_each(&mut term),
        Formula::Compare { left, right, .. } => {
            term(left);
            term(right);
        }
        _ => {}
    });
}

/// Whether some variable `f` mentions satisfies `test`.
fn any_var(f: &Formula, test: impl Fn(VarId) -> bool) -> bool {
    let mut found = false;
    each_var(f, &mut |v| found |= test(v));
    found
}

/// How many times `f` mentions the variable `v`.
fn occurrences(f: &Formula, v: VarId) -> usize {
    let mut n = 0;
    each_var(f, &mut |w| n += usize::from(w == v));
    n
}

/// Every variable `f` mentions, negations included, once per mention.
fn vars(f: &Formula, out: &mut Vec<VarId>) {
    each_var(f, &mut |v| out.push(v));
}

/// `env` with the variables `vars` unbound.
fn without(env: &Env, vars: &[VarId]) -> Env {
    let mut out = env.clone();
    for v in vars {
        if let Some(slot) = out.get_mut(v.index()) {
            *slot = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A program written by hand: atoms `0 → 1 → 2 → 0` in one component (listed in the
    /// order that needs three passes), with a missing fact under `2`; atom `3` is a cycle of
    /// its own with nothing under it; atom `4`, in a later component, is "not 0".
    fn program() -> Residual {
        let bodies = vec![
            Part::Atom(1),
            Part::Atom(2),
            Part::Or(vec![Part::Atom(0), Part::Fact(0)]),
            Part::And(vec![Part::Atom(3), Part::Point(PointId::from_index(0))]),
            Part::Not(Box::new(Part::Atom(0))),
        ];
        let order = vec![(vec![0, 1, 2], true), (vec![3], true), (vec![4], false)];
        let support = supports(&bodies, &order);
        Residual {
            bodies,
            atoms: FxHashMap::default(),
            facts: FxHashMap::default(),
            points: FxHashSet::default(),
            order,
            support,
        }
    }

    fn values(r: &Residual, facts: Option<bool>) -> Vec<Truth> {
        let v = r.evaluate(facts, &[(PointId::from_index(0), true)]);
        v.bounds.iter().map(|(d, p)| truth(*d, *p)).collect()
    }

    #[test]
    fn a_component_is_evaluated_to_its_least_fixpoint() {
        let r = program();
        use Truth::{False, True, Unknown};
        // The fact reaches atom 0 only on the third pass over the component.
        assert_eq!(values(&r, Some(true)), [True, True, True, False, False]);
        assert_eq!(values(&r, Some(false)), [False, False, False, False, True]);
        assert_eq!(
            values(&r, None),
            [Unknown, Unknown, Unknown, False, Unknown]
        );
    }

    #[test]
    fn supports_are_shared_by_a_component_and_passed_up() {
        let r = program();
        assert!(r
            .support
            .iter()
            .take(3)
            .all(|(fact, points)| *fact && points.is_empty()));
        assert_eq!(
            r.support.get(3),
            Some(&(false, vec![PointId::from_index(0)]))
        );
        // "not 0" rests on what 0 rests on.
        assert_eq!(r.support.get(4), Some(&(true, Vec::new())));
    }

    #[test]
    fn conjunctions_and_disjunctions_are_simplified() {
        let c = |t| Part::Const(t);
        assert!(matches!(
            all(vec![c(Truth::True), c(Truth::True)]),
            Part::Const(Truth::True)
        ));
        assert!(matches!(
            all(vec![Part::Fact(0), c(Truth::False)]),
            Part::Const(Truth::False)
        ));
        assert!(matches!(
            all(vec![Part::Fact(0), c(Truth::True)]),
            Part::Fact(0)
        ));
        assert!(matches!(
            any(vec![Part::Fact(0), c(Truth::True)]),
            Part::Const(Truth::True)
        ));
        assert!(matches!(
            any(vec![c(Truth::False)]),
            Part::Const(Truth::False)
        ));
        assert!(matches!(
            any(vec![Part::Fact(0), c(Truth::False)]),
            Part::Fact(0)
        ));
    }
}
