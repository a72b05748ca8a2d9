//! Variable safety (SEMANTICS.md, "Rules"): every variable of a conclusion or a comparison
//! is given a value by a positive condition, and the variables local to each `not` ("there
//! is no …") are those nothing outside it can give a value.

use super::rules::RuleLowering;
use super::Checker;
use crate::diagnostic::Diagnostic;
use crate::program::{Atom, Formula, Term, VarId};
use crate::source::Span;
use crate::syntax::ast;
use rustc_hash::FxHashSet;

impl Checker {
    /// Reports the conclusion's variables no positive condition binds and the comparisons of
    /// unbound variables (clearing `lw.ok`), and fills in the locals of every `not` in `body`.
    pub(super) fn check_safety(
        &mut self,
        r: &ast::RuleDecl,
        lw: &mut RuleLowering,
        head: &Atom,
        body: &mut Formula,
    ) {
        // The conclusion speaks of values: each of its variables needs one.
        let bound = bound_by(body);
        for (i, arg) in head.args.iter().enumerate() {
            if let Term::Var(v) = arg {
                if !bound.contains(v) {
                    let name = lw.var_name(*v);
                    let span = r.body.head.args.get(i).map(|t| t.span()).unwrap_or(r.span);
                    if name == "_" {
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnsafeVariable,
                                format!("the conclusion of `{}` uses `_`, which stands for no value in particular", r.name.text),
                            )
                            .with_label(span, "a conclusion must name what it is about")
                            .with_help("`_` means \"some value, whichever\" and only fits a condition; name a variable here and give it a value in a condition, e.g. `p(X) if q(X)`"),
                        );
                        lw.ok = false;
                        continue;
                    }
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnsafeVariable,
                            format!("the variable `{name}` in the conclusion of `{}` is never given a value", r.name.text),
                        )
                        .with_label(span, "not bound by any condition")
                        .with_help(format!(
                            "use `{name}` in a condition that is not negated, e.g. `... if state({name}) and ...`, or equate it to a value (`{name} = some_value`); a variable that appears only under `not`, `unless` or in a comparison other than `=` has no value to carry into the conclusion"
                        )),
                    );
                    lw.ok = false;
                }
            }
        }
        let mut unsafe_vars = Vec::new();
        settle_locals(
            body,
            &FxHashSet::default(),
            &FxHashSet::default(),
            &mut unsafe_vars,
        );
        for (v, span, negated) in unsafe_vars {
            let name = lw.var_name(v);
            let (what, label, help) = if negated {
                (
                    "is read under `not` where it may have no value",
                    "only some alternatives of an `or` give it a value",
                    format!("`{name}` gets a value only where some alternatives of the `or` hold, so in the others this `not` would not say which `{name}` it speaks of; give `{name}` a value in every alternative, move the `not` into the alternative that gives it, or write one rule per alternative"),
                )
            } else {
                (
                    "is compared before it has a value",
                    "no condition gives it a value",
                    format!("put `{name}` in a condition that is not negated (e.g. `effect_in(Op, V, {name})`) in the same part of the rule"),
                )
            };
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::UnsafeVariable,
                    format!("the variable `{name}` in `{}` {what}", r.name.text),
                )
                .with_label(span, label)
                .with_help(help),
            );
            lw.ok = false;
        }
    }
}

/// Variables a formula certainly binds when it holds, given those bound on entry
/// (SEMANTICS.md, "Rules"): a positive atom binds its variables; `X = c` binds `X`; `X = Y`
/// binds one side once the other is bound; an `or` binds what every alternative binds;
/// `not`, `unless` and the other comparisons bind nothing.
pub(crate) fn binds(f: &Formula, entry: &FxHashSet<VarId>) -> FxHashSet<VarId> {
    let mut s = entry.clone();
    bind_into(f, &mut s);
    s
}

/// Adds to `s` what `f` binds when it holds, given `s` bound on entry (see [`binds`]).
fn bind_into(f: &Formula, s: &mut FxHashSet<VarId>) {
    match f {
        Formula::Atom(a, _) => s.extend(a.args.iter().filter_map(Term::var)),
        Formula::And(parts) => {
            // Conjuncts may be written in any order: go over them again while an `X = Y` or
            // an `or` can still bind more.
            loop {
                let before = s.len();
                for p in parts {
                    bind_into(p, s);
                }
                if s.len() == before || !parts.iter().any(binds_conditionally) {
                    return;
                }
            }
        }
        Formula::Or(parts) => {
            let mut common: Option<FxHashSet<VarId>> = None;
            for p in parts {
                let mut b = s.clone();
                bind_into(p, &mut b);
                common = Some(match common {
                    None => b,
                    Some(c) => c.intersection(&b).copied().collect(),
                });
            }
            if let Some(c) = common {
                *s = c;
            }
        }
        Formula::Compare {
            left,
            op: ast::CmpOp::Eq,
            right,
            ..
        } => {
            let known = |t: &Term, s: &FxHashSet<VarId>| match t {
                Term::Const(_) => true,
                Term::Var(v) => s.contains(v),
            };
            match (left, right) {
                (Term::Var(v), other) | (other, Term::Var(v)) if known(other, s) => {
                    s.insert(*v);
                }
                _ => {}
            }
        }
        Formula::Compare { .. } | Formula::Not(..) | Formula::Unsettled { .. } => {}
    }
}

/// Whether what `f` binds depends on what is bound before it (an `X = Y`, or an `or` or `and`
/// holding one): only then can a second pass over a conjunction bind more.
fn binds_conditionally(f: &Formula) -> bool {
    // What a `not` holds binds nothing, so only the formulas outside every `not` count.
    let mut found = false;
    f.walk(&mut |g, nots| {
        found |= nots == 0
            && matches!(
                g,
                Formula::Compare {
                    op: ast::CmpOp::Eq,
                    ..
                }
            );
    });
    found
}

/// Variables a formula certainly binds when it holds, with nothing bound on entry.
fn bound_by(f: &Formula) -> FxHashSet<VarId> {
    binds(f, &FxHashSet::default())
}

/// Adds every variable of `f` (at any depth, under `not`s too) to `out`.
fn vars_in(f: &Formula, out: &mut FxHashSet<VarId>) {
    f.walk(&mut |g, _| match g {
        Formula::Atom(a, _) => out.extend(a.args.iter().filter_map(Term::var)),
        Formula::Compare { left, right, .. } => {
            out.extend([left, right].into_iter().filter_map(Term::var))
        }
        Formula::And(_) | Formula::Or(_) | Formula::Not(..) | Formula::Unsettled { .. } => {}
    });
}

/// A variable used before it certainly has a value: where, and whether under a `not` (else
/// in a comparison).
type Unsafe = Vec<(VarId, Span, bool)>;

/// Fills in the local variables of every `not`, and reports comparisons whose variables no
/// positive condition binds.
///
/// A variable is local to a `not` when nothing outside it can give it a value (SEMANTICS.md:
/// it occurs only inside the `not`). One that only some alternatives of an `or` bind is not
/// local, and where the other alternatives hold it has no value for the `not` to read: the
/// rule is reported, as a comparison of such a variable is. (Reading the `not` there as
/// "there is no value" would change the meaning of a rule variable from one alternative to
/// the next: `(e(X, Z) or b(X)) and not b(Z)` would read "no `Z` at all" where `b(X)` holds.)
fn settle_locals(
    f: &mut Formula,
    outer: &FxHashSet<VarId>,
    outer_maybe: &FxHashSet<VarId>,
    unsafe_vars: &mut Unsafe,
) {
    let (bound, maybe) = match f {
        Formula::And(parts) => {
            let whole = Formula::And(parts.clone());
            (binds(&whole, outer), may_bind(&whole, outer_maybe))
        }
        Formula::Not(..)
        | Formula::Or(_)
        | Formula::Atom(..)
        | Formula::Compare { .. }
        | Formula::Unsettled { .. } => (binds(f, outer), may_bind(f, outer_maybe)),
    };
    match f {
        Formula::And(parts) => {
            for p in parts.iter_mut() {
                settle_child(p, &bound, &maybe, unsafe_vars);
            }
        }
        other => settle_child(other, &bound, &maybe, unsafe_vars),
    }
}

/// What [`binds`] gives with an `or` binding what *any* alternative binds: the variables that
/// can have a value when a formula holds.
fn may_bind(f: &Formula, entry: &FxHashSet<VarId>) -> FxHashSet<VarId> {
    match f {
        Formula::Or(parts) => {
            let mut s = entry.clone();
            for p in parts {
                s.extend(may_bind(p, entry));
            }
            s
        }
        Formula::And(parts) => {
            let mut s = entry.clone();
            loop {
                let before = s.len();
                for p in parts {
                    s = may_bind(p, &s);
                }
                if s.len() == before {
                    return s;
                }
            }
        }
        other => binds(other, entry),
    }
}

fn settle_child(
    f: &mut Formula,
    bound: &FxHashSet<VarId>,
    maybe: &FxHashSet<VarId>,
    unsafe_vars: &mut Unsafe,
) {
    match f {
        Formula::Not(inner, locals) => {
            let mut vs = FxHashSet::default();
            vars_in(inner, &mut vs);
            let mut l: Vec<VarId> = vs.difference(maybe).copied().collect();
            l.sort();
            *locals = l;
            let mut unbound: Vec<VarId> = vs
                .iter()
                .filter(|v| maybe.contains(v) && !bound.contains(v))
                .copied()
                .collect();
            unbound.sort();
            for v in unbound {
                if !unsafe_vars.iter().any(|(x, _, _)| *x == v) {
                    unsafe_vars.push((v, span_of(inner, v).unwrap_or_default(), true));
                }
            }
            // A `not` inside this one sees the same outer values (`not (not p(Z))` after an
            // `or` that may bind `Z`).
            settle_locals(inner, bound, maybe, unsafe_vars);
        }
        Formula::Or(parts) => {
            for p in parts.iter_mut() {
                settle_locals(p, bound, maybe, unsafe_vars);
            }
        }
        Formula::And(_) => settle_locals(f, bound, maybe, unsafe_vars),
        Formula::Compare {
            left, right, span, ..
        } => {
            for t in [*left, *right] {
                if let Term::Var(v) = t {
                    if !bound.contains(&v) && !unsafe_vars.iter().any(|(x, _, _)| *x == v) {
                        unsafe_vars.push((v, *span, false));
                    }
                }
            }
        }
        Formula::Atom(..) | Formula::Unsettled { .. } => {}
    }
}

/// The span of the first atom or comparison of `f` that mentions `v`.
fn span_of(f: &Formula, v: VarId) -> Option<Span> {
    let mut found = None;
    f.walk(&mut |g, _| {
        if found.is_some() {
            return;
        }
        found = match g {
            Formula::Atom(a, _) if a.args.contains(&Term::Var(v)) => Some(a.span),
            Formula::Compare {
                left, right, span, ..
            } if *left == Term::Var(v) || *right == Term::Var(v) => Some(*span),
            _ => None,
        };
    });
    found
}
