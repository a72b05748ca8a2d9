//! Planning: a rule body (a [`Formula`]) becomes a [`Plan`], its conjuncts ordered so that
//! filters run as soon as their variables are bound and each scan probes with as many bound
//! arguments as possible (the join order).

use super::relation::Mask;
use crate::program::{Atom, Formula, PointId, PredId, Term, TypeId, VarId};
use crate::syntax::ast::CmpOp;
use rustc_hash::{FxHashMap, FxHashSet};

/// An executable form of a formula, with conjuncts ordered so that each probe has as many
/// bound arguments as possible.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    Seq(Vec<Plan>),
    Alt(Vec<Plan>),
    /// An `or` whose variables are all bound when it runs: it binds nothing, so it succeeds
    /// once when some alternative holds. (As an [`Plan::Alt`], a conjunction of n such `or`s
    /// would try every one of the 2^n combinations of alternatives that hold, each giving the
    /// same bindings.)
    Any(Vec<Plan>),
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

/// Plans a rule body so that the atom `occurrence` is scanned first (when it is one of the
/// conjuncts, at the top level or in a conjunction nested in it): semi-naive evaluation then
/// starts from the small delta. Nested conjunctions are read as one (`a and (b and c)` is
/// `a and b and c`): the magic-set rewriting puts a rule's own body inside the conjunction
/// that reads its magic atom first, and a recursive atom there must still be read first
/// from its delta (otherwise each round scans the whole magic relation: quadratic on a
/// chain of a few thousand links).
pub(super) fn plan_first(f: &Formula, occurrence: u32) -> Plan {
    plan_first_and_last(f, occurrence, None)
}

/// [`plan_first`], with the atom `last` (when it is a conjunct) read after every other:
/// once everything else has bound its variables, it is a test of membership. The magic-set
/// rewriting reads a rule's magic atom so: from a delta row, the magic relation probed by
/// the few variables the row binds can hold every binding asked (a question about one end
/// of a chain demands every link towards the other end), where the rule's own conditions
/// find one or two rows.
pub(super) fn plan_first_and_last(f: &Formula, occurrence: u32, last: Option<u32>) -> Plan {
    let mut parts: Vec<&Formula> = Vec::new();
    conjuncts(std::slice::from_ref(f), &mut parts);
    let at = |o: u32| {
        parts
            .iter()
            .position(|p| matches!(p, Formula::Atom(_, occ) if *occ == o))
    };
    let Some(pos) = at(occurrence) else {
        return plan_formula(f, &FxHashSet::default());
    };
    let last = last.and_then(at).filter(|l| *l != pos);
    let mut bound = FxHashSet::default();
    let mut seq = Vec::new();
    if let Some(first) = parts.get(pos) {
        seq.push(plan_with(first, &mut bound));
    }
    let rest: Vec<Formula> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pos && Some(*i) != last)
        .map(|(_, p)| (*p).clone())
        .collect();
    let has_rest = !rest.is_empty();
    let mut rest = Formula::And(rest);
    if let Some(atom) = last.and_then(|l| parts.get(l)) {
        // Read last only when the rest can run without it and binds every variable of it:
        // otherwise a comparison or a `not` of the rest may need a value only it gives
        // (`magic(Y) and q(red) and Y != c0`, from the delta of `q`; `magic(Z, Y) and q(Y)
        // and X = Z`, where a planned equation counts as binding both sides even when it
        // ran with neither bound), and the whole rest is planned with it instead.
        if is_runnable(&rest, &bound) {
            let mut after_rest = bound.clone();
            let rest_plan = plan_with(&rest, &mut after_rest);
            let mut vars = FxHashSet::default();
            free_vars(atom, &mut vars);
            if vars.is_subset(&after_rest) {
                bound = after_rest;
                if has_rest {
                    seq.push(rest_plan);
                }
                seq.push(plan_with(atom, &mut bound));
                return Plan::Seq(seq);
            }
        }
        if let Formula::And(all) = &mut rest {
            all.push((*atom).clone());
        }
        seq.push(plan_with(&rest, &mut bound));
    } else if has_rest {
        seq.push(plan_with(&rest, &mut bound));
    }
    Plan::Seq(seq)
}

/// The mask a plan probes the scan `occurrence` with.
pub(super) fn scan_mask(plan: &Plan, occurrence: u32) -> Option<Mask> {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) | Plan::Any(v) => {
            v.iter().find_map(|p| scan_mask(p, occurrence))
        }
        Plan::Neg(p) => scan_mask(p, occurrence),
        Plan::Scan {
            occurrence: o,
            mask,
            ..
        } if *o == occurrence => Some(*mask),
        _ => None,
    }
}

pub(super) fn scans(plan: &Plan, negated: bool, f: &mut dyn FnMut(PredId, u32, bool)) {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) | Plan::Any(v) => v.iter().for_each(|p| scans(p, negated, f)),
        Plan::Neg(p) => scans(p, true, f),
        Plan::Scan {
            pred, occurrence, ..
        } => f(*pred, *occurrence, negated),
        Plan::Cmp { .. } | Plan::Unsettled(_) => {}
    }
}

pub(super) fn collect_masks(plan: &Plan, out: &mut FxHashMap<PredId, FxHashSet<Mask>>) {
    match plan {
        Plan::Seq(v) | Plan::Alt(v) | Plan::Any(v) => v.iter().for_each(|p| collect_masks(p, out)),
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
pub(crate) fn plan_formula(f: &Formula, bound: &FxHashSet<VarId>) -> Plan {
    let mut bound = bound.clone();
    plan_with(f, &mut bound)
}

/// The conjuncts of a conjunction, nested conjunctions read as one (`a and (b and c)` is
/// `a and b and c`): the planner may then run a part of the inner one after a part of the
/// outer one. Planned as a unit, `(not b(Y, N) and b(Z, L)) and Z = Y` ran the `not` before
/// `Z = Y` gave `Y` a value.
fn conjuncts<'f>(parts: &'f [Formula], out: &mut Vec<&'f Formula>) {
    for p in parts {
        match p {
            Formula::And(inner) => conjuncts(inner, out),
            other => out.push(other),
        }
    }
}

fn plan_with(f: &Formula, bound: &mut FxHashSet<VarId>) -> Plan {
    match f {
        Formula::And(parts) => {
            let mut remaining: Vec<&Formula> = Vec::with_capacity(parts.len());
            conjuncts(parts, &mut remaining);
            let mut seq = Vec::new();
            while !remaining.is_empty() {
                let pick = next_conjunct(&remaining, bound);
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
            // Its free variables (a negation's own are its business) all bound: it binds
            // nothing.
            let mut vars = FxHashSet::default();
            free_vars(f, &mut vars);
            let all_bound = vars.is_subset(bound);
            let alts = alternatives(parts, bound, plan_with);
            if all_bound {
                Plan::Any(alts)
            } else {
                Plan::Alt(alts)
            }
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

/// `each` on every alternative of an `or`, each with its own copy of `bound`; `bound` then
/// holds what every alternative binds (what is bound after the `or`, whichever holds).
pub(super) fn alternatives<T>(
    parts: &[Formula],
    bound: &mut FxHashSet<VarId>,
    mut each: impl FnMut(&Formula, &mut FxHashSet<VarId>) -> T,
) -> Vec<T> {
    let before = bound.clone();
    let mut common: Option<FxHashSet<VarId>> = None;
    let out = parts
        .iter()
        .map(|p| {
            let mut b = before.clone();
            let done = each(p, &mut b);
            common = Some(match common.take() {
                None => b,
                Some(c) => c.intersection(&b).copied().collect(),
            });
            done
        })
        .collect();
    if let Some(c) = common {
        *bound = c;
    }
    out
}

/// Which of the conjuncts `remaining` runs next with `bound` bound: filters as soon as they
/// can run; then, among the parts whose comparisons and negations will have their variables
/// bound, the atom with the most bound arguments (the join order, and the sideways passing of
/// bindings the magic-set rewriting follows).
fn next_conjunct(remaining: &[&Formula], bound: &FxHashSet<VarId>) -> usize {
    if let Some(i) = remaining.iter().position(|p| is_ready_filter(p, bound)) {
        return i;
    }
    // Only a part whose comparisons and negations will have their variables bound may run
    // now (`(X = Y or r(X))` waits for `Y`).
    let runnable: Vec<usize> = (0..remaining.len())
        .filter(|i| remaining.get(*i).is_some_and(|p| is_runnable(p, bound)))
        .collect();
    if runnable.is_empty() {
        best_generator(remaining, bound)
    } else {
        let parts: Vec<&Formula> = runnable
            .iter()
            .filter_map(|i| remaining.get(*i).copied())
            .collect();
        let best = best_generator(&parts, bound);
        runnable.get(best).copied().unwrap_or(0)
    }
}

/// `f` with the parts of every conjunction (outside negations) in the order [`plan_formula`]
/// runs them with `bound` bound on entry; `bound` then holds what `f` binds.
pub(super) fn order_formula(f: &Formula, bound: &mut FxHashSet<VarId>) -> Formula {
    match f {
        Formula::And(parts) => {
            let mut remaining: Vec<&Formula> = Vec::with_capacity(parts.len());
            conjuncts(parts, &mut remaining);
            let mut out = Vec::with_capacity(remaining.len());
            while !remaining.is_empty() {
                let pick = next_conjunct(&remaining, bound);
                let chosen = remaining.remove(pick);
                out.push(order_formula(chosen, bound));
            }
            Formula::And(out)
        }
        Formula::Or(parts) => Formula::Or(alternatives(parts, bound, order_formula)),
        Formula::Not(..) => f.clone(),
        Formula::Atom(a, _) => {
            for t in &a.args {
                if let Term::Var(v) = t {
                    bound.insert(*v);
                }
            }
            f.clone()
        }
        Formula::Compare {
            left, op, right, ..
        } => {
            if *op == CmpOp::Eq {
                for t in [left, right] {
                    if let Term::Var(v) = t {
                        bound.insert(*v);
                    }
                }
            }
            f.clone()
        }
        Formula::Unsettled { .. } => f.clone(),
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
