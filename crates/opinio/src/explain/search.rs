//! The solver queries an explanation asks of the evaluated model: which rule instances hold
//! (or could hold) for an atom, the value of a formula under bindings, the rows matching a
//! pattern.

use super::build::Explainer;
use crate::eval::{plan_formula, Env, Mode, Solver};
use crate::program::{Atom, Formula, PredId, Rule, RuleId, Sym, Term, Tuple, VarId};
use crate::syntax::ast::Truth;
use rustc_hash::FxHashSet;

/// Binds a rule's head to a ground atom; `None` if they cannot match.
pub(super) fn bind_head(rule: &Rule, args: &[Sym]) -> Option<Env> {
    let mut env: Env = vec![None; rule.vars.len()];
    for (t, a) in rule.head.args.iter().zip(args) {
        match t {
            Term::Const(c) if c != a => return None,
            Term::Const(_) => {}
            Term::Var(v) => match env.get_mut(v.index()) {
                Some(slot @ None) => *slot = Some(*a),
                Some(Some(b)) if b != a => return None,
                _ => {}
            },
        }
    }
    Some(env)
}

/// The variables an environment binds.
pub(super) fn bound_vars(env: &Env) -> FxHashSet<VarId> {
    env.iter()
        .enumerate()
        .filter(|(_, v)| v.is_some())
        .map(|(i, _)| VarId::from_index(i))
        .collect()
}

/// The arguments under an environment, if all are bound.
pub(super) fn ground(args: &[Term], env: &Env) -> Option<Tuple> {
    args.iter()
        .map(|t| match t {
            Term::Const(c) => Some(*c),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
        })
        .collect()
}

/// A rule's exceptions as written (without the `not` the body wraps them in).
pub(super) fn body_exceptions(rule: &Rule) -> Vec<Formula> {
    match &rule.body {
        Formula::And(parts) => parts
            .iter()
            .rev()
            .take(rule.exceptions.len())
            .rev()
            .map(|f| match f {
                Formula::Not(inner, _) => (**inner).clone(),
                other => other.clone(),
            })
            .collect(),
        _ => rule.exceptions.clone(),
    }
}

impl Explainer<'_> {
    pub(super) fn solver(&self) -> Solver<'_> {
        Solver {
            program: self.cx.program,
            model: self.cx.model,
            focus: None,
            deadline: None,
        }
    }

    /// Every instance of the rules (full bindings of the body's positive part) possible in
    /// `mode`, at most 64 per rule, without those another instance of the same rule covers
    /// (it binds fewer variables, the rest alike).
    pub(super) fn instances(
        &self,
        rules: &[RuleId],
        args: &[Sym],
        mode: Mode,
    ) -> Vec<(RuleId, Env)> {
        let mut out = Vec::new();
        for &rid in rules {
            let rule = self.cx.program.rule(rid);
            let Some(env0) = bind_head(rule, args) else {
                continue;
            };
            let plan = self.cx.rule_plan(rid, &env0);
            let mut env = env0.clone();
            let mut seen: FxHashSet<Env> = FxHashSet::default();
            let mut found: Vec<Env> = Vec::new();
            self.solver().solve(&plan, mode, &mut env, &mut |e| {
                if seen.insert(e.clone()) {
                    found.push(e.clone());
                }
                seen.len() < 64
            });
            // A variable of one `or` branch is left unbound where another branch holds: that
            // instance covers the ones binding it (its tree shows the branch's cases), so
            // they are not shown as ways of their own (found by a fresh tester: one rule
            // "2 ways").
            let covered = |e: &Env| {
                found.iter().any(|g| {
                    g != e
                        && g.len() == e.len()
                        && g.iter().zip(e).all(|(x, y)| x.is_none() || x == y)
                })
            };
            let kept: Vec<bool> = found.iter().map(|e| !covered(e)).collect();
            out.extend(
                found
                    .into_iter()
                    .zip(kept)
                    .filter_map(|(e, keep)| keep.then_some((rid, e))),
            );
        }
        out
    }

    /// An instance that makes the atom definitely true, preferring supports derived earlier
    /// (so that recursive proofs do not go in circles).
    pub(super) fn true_instance(
        &self,
        rules: &[RuleId],
        pred: PredId,
        args: &[Sym],
    ) -> Option<(RuleId, Env)> {
        let model = self.cx.model;
        let my_round = model.round(pred, args, Mode::Definite).unwrap_or(u32::MAX);
        let candidates = self.instances(rules, args, Mode::Definite);
        let earlier = candidates.iter().find(|(rid, env)| {
            let rule = self.cx.program.rule(*rid);
            let mut atoms = Vec::new();
            rule.condition.atoms(false, &mut atoms);
            atoms.iter().filter(|(_, neg)| !neg).all(|(a, _)| {
                let Some(t) = ground(&a.args, env) else {
                    return true;
                };
                a.pred != pred
                    || model
                        .round(a.pred, &t, Mode::Definite)
                        .is_none_or(|r| r < my_round)
            })
        });
        earlier.or(candidates.first()).cloned()
    }

    /// The three-valued value of a formula under bindings.
    pub(super) fn value_of(&self, f: &Formula, env: &Env) -> Truth {
        // A ground atom, or its negation, is read off the model: no plan, no search (what the
        // search would find, in three values).
        let ground_atom = |f: &Formula| match f {
            Formula::Atom(a, _) => ground(&a.args, env).map(|t| self.cx.model.value(a.pred, &t)),
            _ => None,
        };
        if let Some(v) = ground_atom(f) {
            return v;
        }
        if let Formula::Not(inner, _) = f {
            if let Some(v) = ground_atom(inner) {
                return match v {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                };
            }
        }
        let solver = self.solver();
        // A comparison of bound values is decided by comparing them.
        if let Formula::Compare {
            left,
            op,
            right,
            ty,
            ..
        } = f
        {
            if let (Some(a), Some(b)) = (
                Solver::term_value(left, env),
                Solver::term_value(right, env),
            ) {
                return if solver.compare(a, *op, b, *ty) {
                    Truth::True
                } else {
                    Truth::False
                };
            }
        }
        let plan = plan_formula(f, &bound_vars(env));
        let exists = |mode: Mode| {
            let mut found = false;
            let mut e = env.clone();
            solver.solve(&plan, mode, &mut e, &mut |_| {
                found = true;
                false
            });
            found
        };
        if exists(Mode::Definite) {
            Truth::True
        } else if exists(Mode::Possible) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// The bindings extending `env` under which the conjunction `parts` is possibly true,
    /// each once, at most `cap` (and whether there were more); `None` when `env` binds every
    /// variable of its atoms and comparisons already. A conjunction under `not` whose
    /// variables are local to it ("there is no O with `act(op, O)` and `big(O)`") holds
    /// through one value at a time: its parts are read together under each, not one by one.
    pub(super) fn conjunction_bindings(
        &self,
        parts: &[Formula],
        env: &Env,
        cap: usize,
    ) -> Option<(Vec<Env>, bool)> {
        let unbound = !parts.iter().all(|p| bound_in(p, env));
        if !unbound {
            return None;
        }
        let plan = plan_formula(&Formula::And(parts.to_vec()), &bound_vars(env));
        let mut out: Vec<Env> = Vec::new();
        let mut seen: FxHashSet<Env> = FxHashSet::default();
        let mut more = false;
        let mut e = env.clone();
        self.solver()
            .solve(&plan, Mode::Possible, &mut e, &mut |b| {
                if seen.insert(b.clone()) {
                    if out.len() == cap {
                        more = true;
                        return false;
                    }
                    out.push(b.clone());
                }
                true
            });
        Some((out, more))
    }

    /// The rows of the atom's relation in `mode` that match its bound arguments, sorted.
    pub(super) fn matching(&self, a: &Atom, env: &Env, mode: Mode) -> Vec<Tuple> {
        let rel = self.cx.model.relation(a.pred, mode);
        let mut out: Vec<Tuple> = rel
            .iter()
            .filter(|row| {
                a.args.iter().zip(row.iter()).all(|(t, v)| match t {
                    Term::Const(c) => c == v,
                    Term::Var(x) => env
                        .get(x.index())
                        .copied()
                        .flatten()
                        .is_none_or(|b| b == *v),
                })
            })
            .map(Tuple::from_slice)
            .collect();
        out.sort();
        out
    }
}

/// Whether `env` binds every variable of the formula's atoms and comparisons (each
/// alternative of an `or` and each negation grounds its own variables).
pub(super) fn bound_in(f: &Formula, env: &Env) -> bool {
    let is_bound = |t: &Term| match t {
        Term::Const(_) => true,
        Term::Var(v) => env.get(v.index()).copied().flatten().is_some(),
    };
    match f {
        Formula::Atom(a, _) => a.args.iter().all(is_bound),
        Formula::Compare { left, right, .. } => is_bound(left) && is_bound(right),
        Formula::And(parts) => parts.iter().all(|p| bound_in(p, env)),
        // Each alternative and each negation grounds its own variables.
        Formula::Or(_) | Formula::Not(..) | Formula::Unsettled { .. } => true,
    }
}
