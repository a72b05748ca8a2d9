//! The search: a [`Solver`] runs a [`Plan`] against a [`Model`] in one [`Mode`], calling back
//! with every binding of the variables that satisfies it; a [`Focus`] restricts one scan to
//! given rows (a semi-naive delta).

use super::limits::Deadline;
use super::model::{Mode, Model};
use super::plan::Plan;
use super::relation::{RowIndex, Rows};
use crate::program::{Program, Sym, Term, Tuple, TypeId, VarId};
use crate::syntax::ast::CmpOp;

/// Variable bindings during a search.
pub(crate) type Env = Vec<Option<Sym>>;

/// Reads relations for the solver: the model under construction, plus an optional delta.
pub(crate) struct Solver<'a> {
    pub(crate) program: &'a Program,
    pub(crate) model: &'a Model,
    /// The scan occurrence that reads only these rows (a delta) instead of the full relation.
    pub(crate) focus: Option<Focus<'a>>,
    /// Stops the search once the evaluation's time budget is spent (`None`: no limit).
    pub(crate) deadline: Option<&'a Deadline>,
}

/// A scan restricted to some rows (a semi-naive delta, or the unknown rows of an input).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Focus<'a> {
    pub(crate) occurrence: u32,
    pub(crate) rows: Rows<'a>,
    /// An index of `rows` on the scan's bound positions, when it has any.
    pub(crate) index: Option<&'a RowIndex>,
}

impl Solver<'_> {
    /// The value of a term under `env` (`None` for an unbound variable).
    pub(crate) fn term_value(t: &Term, env: &Env) -> Option<Sym> {
        match t {
            Term::Const(c) => Some(*c),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
        }
    }

    /// Finds every solution of `plan`, calling `k` for each; stops when `k` returns false.
    /// Returns false if stopped.
    pub(crate) fn solve(
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
            Plan::Any(alts) => {
                // The first alternative that holds is enough: the bindings are as they were
                // once its search is over (every step unbinds what it bound).
                let mut holds = false;
                for a in alts {
                    self.solve(a, mode, env, &mut |_| {
                        holds = true;
                        false
                    });
                    if holds {
                        return k(env);
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
                            None => {
                                // A plan that scans on a variable no earlier step bound
                                // would silently find nothing here: a planner fault.
                                debug_assert!(
                                    false,
                                    "scan of {pred:?} planned on an unbound variable"
                                );
                                return true;
                            }
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
                    (Some(_), None) | (None, Some(_)) => {
                        // Only an equation may give a variable its value: any other
                        // comparison placed before its variables are bound would silently
                        // fail here, a planner fault.
                        debug_assert!(false, "comparison {op:?} planned on an unbound variable");
                        true
                    }
                    (None, None) => {
                        // Neither side has a value: an equation would have to enumerate
                        // every constant, so the planner never places one here.
                        debug_assert!(false, "comparison {op:?} planned with both sides unbound");
                        true
                    }
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

    /// The chronological order of two dates (`None` unless both are dates).
    fn date_order(&self, a: Sym, b: Sym) -> Option<std::cmp::Ordering> {
        let dates = &self.model.base.dates;
        Some(dates.get(&a)?.cmp(dates.get(&b)?))
    }

    /// Whether `a op b` holds (the values of a comparison, compared as its type says).
    pub(crate) fn compare(&self, a: Sym, op: CmpOp, b: Sym, ty: Option<TypeId>) -> bool {
        match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => {
                let order = if ty.is_none_or(|t| self.program.type_info(t).is_date()) {
                    self.date_order(a, b)
                } else {
                    None
                };
                let order = order.or_else(|| {
                    let rank = |s: Sym| {
                        ty.and_then(|t| self.program.type_info(t).rank(s))
                            .or_else(|| self.program.types.iter().find_map(|t| t.rank(s)))
                    };
                    Some(rank(a)?.cmp(&rank(b)?))
                });
                match order {
                    Some(o) => match op {
                        CmpOp::Lt => o.is_lt(),
                        CmpOp::Le => o.is_le(),
                        CmpOp::Gt => o.is_gt(),
                        CmpOp::Ge => o.is_ge(),
                        CmpOp::Eq | CmpOp::Ne => false,
                    },
                    None => false,
                }
            }
        }
    }
}
