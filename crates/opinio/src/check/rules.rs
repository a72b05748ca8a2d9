//! Rule lowering: a rule's syntax tree becomes a checked [`Rule`], its names resolved, its
//! variables numbered and typed, its exceptions folded into one body.

use super::types::{arity_error, article};
use super::Checker;
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::MAX_CONDITIONS;
use crate::program::{Atom, Formula, PosId, PredId, Rule, RuleId, Term, TypeId, VarId, VarInfo};
use crate::source::Span;
use crate::syntax::ast;
use rustc_hash::FxHashMap;

impl Checker {
    /// Lowers a rule written in `origin`; `None` (with diagnostics) when it is wrong.
    pub(super) fn lower_rule(&mut self, r: &ast::RuleDecl, origin: PosId) -> Option<RuleId> {
        let mut lw = RuleLowering {
            vars: Vec::new(),
            var_index: FxHashMap::default(),
            var_first_type_span: Vec::new(),
            occurrence: 0,
            compares: Vec::new(),
            ok: true,
        };
        let head = self.lower_atom(&mut lw, &r.body.head, true);
        let mut condition = match &r.body.condition {
            Some(f) => self.lower_formula(&mut lw, f),
            None => Formula::truth(),
        };
        let mut exceptions: Vec<Formula> = r
            .body
            .exceptions
            .iter()
            .map(|e| self.lower_formula(&mut lw, e))
            .collect();
        self.check_compares(&mut lw);
        for f in std::iter::once(&mut condition).chain(&mut exceptions) {
            type_compares(f, &lw.vars);
        }
        let citations = self.resolve_citations(&r.body.citations);
        if r.body.citations.is_empty() {
            self.err(
                Diagnostic::warning(
                    crate::diagnostic::Code::UncitedRule,
                    format!("the rule `{}` cites no source", r.name.text),
                )
                .with_label(r.name.span, "no `cites`")
                .with_help(
                    "say where the rule comes from, e.g. `cites tm2 \"Rule 4, para. 11\"`: a reader must be able to check it",
                ),
            );
        }
        let head = head?;
        if !lw.ok {
            // Names or types are already wrong; safety messages would only repeat that.
            return None;
        }
        // Body: the condition's conjuncts, then one `not` per exception.
        let mut parts = match condition.clone() {
            Formula::And(v) => v,
            other => vec![other],
        };
        for e in &exceptions {
            parts.push(Formula::Not(Box::new(e.clone()), Vec::new()));
        }
        let mut body = Formula::And(parts);
        let conditions = count_conditions(&body);
        if conditions > MAX_CONDITIONS {
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::RuleTooLarge,
                    format!(
                        "the rule `{}` has {conditions} conditions; a rule has at most {MAX_CONDITIONS}",
                        r.name.text
                    ),
                )
                .with_label(r.name.span, "this rule")
                .with_help(
                    "split it: give a group of its conditions a rule and a predicate of their own, and use that predicate here",
                ),
            );
            return None;
        }
        self.check_safety(r, &mut lw, &head, &mut body);
        if !lw.ok {
            return None;
        }
        self.guard_listed_constants(&mut lw, &head, &mut body);
        // Rewrite the exceptions with their locals for display.
        let exceptions = match &body {
            Formula::And(parts) => parts
                .iter()
                .rev()
                .take(exceptions.len())
                .rev()
                .map(|f| match f {
                    Formula::Not(inner, _) => (**inner).clone(),
                    other => other.clone(),
                })
                .collect(),
            _ => exceptions,
        };
        let id = RuleId::from_index(self.program.rules.len());
        self.program.rules.push(Rule {
            name: r.name.text.clone(),
            origin,
            head,
            condition,
            exceptions,
            body,
            citations,
            notes: r.body.notes.iter().map(|n| n.value.clone()).collect(),
            vars: lw.vars,
            span: r.span,
            name_span: r.name.span,
        });
        Some(id)
    }

    /// Lowers a condition, numbering its atoms.
    fn lower_formula(&mut self, lw: &mut RuleLowering, f: &ast::Formula) -> Formula {
        match f {
            ast::Formula::And(parts, _) => {
                Formula::And(parts.iter().map(|p| self.lower_formula(lw, p)).collect())
            }
            ast::Formula::Or(parts, _) => {
                Formula::Or(parts.iter().map(|p| self.lower_formula(lw, p)).collect())
            }
            ast::Formula::Not(inner, _) => {
                Formula::Not(Box::new(self.lower_formula(lw, inner)), Vec::new())
            }
            ast::Formula::Atom(a) => match self.lower_atom(lw, a, false) {
                Some(atom) => {
                    let occ = lw.occurrence;
                    lw.occurrence += 1;
                    Formula::Atom(atom, occ)
                }
                None => {
                    lw.ok = false;
                    Formula::truth()
                }
            },
            ast::Formula::Compare {
                left,
                op,
                right,
                span,
            } => {
                let l = self.lower_term(lw, left, None);
                let r = self.lower_term(lw, right, None);
                lw.compares
                    .push((l, *op, r, *span, left.clone(), right.clone()));
                Formula::Compare {
                    left: l,
                    op: *op,
                    right: r,
                    ty: None,
                    span: *span,
                }
            }
            ast::Formula::Unsettled {
                point,
                reason,
                span,
            } => {
                if reason.value.trim().is_empty() {
                    self.err(
                        Diagnostic::warning(
                            crate::diagnostic::Code::UnsettledWithoutReason,
                            format!("the unsettled point `{}` gives no reason", point.text),
                        )
                        .with_label(reason.span, "empty")
                        .with_help("say who disagrees about what, so that a reader sees why the law is open"),
                    );
                }
                let id = self.point(&point.text, &reason.value, *span);
                Formula::Unsettled {
                    point: id,
                    reason: reason.value.clone(),
                    span: *span,
                }
            }
        }
    }

    /// Lowers a term, numbering variables and giving them the slot's type `ty`.
    fn lower_term(&mut self, lw: &mut RuleLowering, t: &ast::Term, ty: Option<TypeId>) -> Term {
        match t {
            ast::Term::Variable(n) => {
                // `_` is anonymous: every occurrence is a variable of its own, shared with no
                // other (as in every Datalog and Prolog).
                let named = if n.text == "_" {
                    None
                } else {
                    lw.var_index.get(&n.text).copied()
                };
                let id = match named {
                    Some(id) => id,
                    None => {
                        let id = VarId::from_index(lw.vars.len());
                        lw.vars.push(VarInfo {
                            name: n.text.clone(),
                            ty: None,
                        });
                        lw.var_first_type_span.push(None);
                        if n.text != "_" {
                            lw.var_index.insert(n.text.clone(), id);
                        }
                        id
                    }
                };
                if let Some(ty) = ty {
                    let current = lw.vars.get(id.index()).and_then(|v| v.ty);
                    match current {
                        None => {
                            if let Some(info) = lw.vars.get_mut(id.index()) {
                                info.ty = Some(ty);
                            }
                            if let Some(f) = lw.var_first_type_span.get_mut(id.index()) {
                                *f = Some(n.span);
                            }
                        }
                        Some(prev) if prev != ty => {
                            let first = lw
                                .var_first_type_span
                                .get(id.index())
                                .copied()
                                .flatten()
                                .unwrap_or(n.span);
                            let (pn, tn) = (
                                self.program.type_info(prev).name.clone(),
                                self.program.type_info(ty).name.clone(),
                            );
                            self.err(
                                Diagnostic::error(
                                    crate::diagnostic::Code::TypeMismatch,
                                    format!("the variable `{}` stands for {} in one place and {} in another", n.text, article(&pn), article(&tn)),
                                )
                                .with_label(n.span, format!("{} here", article(&tn)))
                                .with_label(first, format!("{} here", article(&pn)))
                                .with_help("use two variables, and relate them with a predicate if they are connected (e.g. `organ_of(Actor, State)`)"),
                            );
                            lw.ok = false;
                        }
                        Some(_) => {}
                    }
                }
                Term::Var(id)
            }
            ast::Term::Constant(n) => {
                if let Some(ty) = ty {
                    self.check_rule_constant(n, ty);
                }
                Term::Const(self.program.interner.intern(&n.text))
            }
            ast::Term::Date(n) => {
                self.check_rule_date(n, ty);
                Term::Const(self.program.interner.intern(&n.text))
            }
        }
    }

    /// Lowers an atom; `None` (with diagnostics) for an unknown predicate or a wrong arity.
    fn lower_atom(&mut self, lw: &mut RuleLowering, a: &ast::Atom, is_head: bool) -> Option<Atom> {
        let Some(pred) = self.program.predicate_id(&a.predicate.text) else {
            let help = help_with(
                &a.predicate.text,
                self.program.predicates.iter().map(|p| p.name.as_str()),
                format!(
                    "declare it first, e.g. `predicate {}(...) means \"...\".`",
                    a.predicate.text
                ),
            );
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownPredicate,
                    format!("no predicate is named `{}`", a.predicate.text),
                )
                .with_label(a.predicate.span, "unknown predicate")
                .with_help(help),
            );
            lw.ok = false;
            // Still register variables so that later messages stay sensible.
            for t in &a.args {
                self.lower_term(lw, t, None);
            }
            return None;
        };
        let info = self.program.predicate(pred).clone();
        if info.arity() != a.args.len() {
            self.err(arity_error(&self.program, &info, a));
            lw.ok = false;
            return None;
        }
        if is_head && !info.derived {
            // Cannot happen: heads mark their predicate derived. Kept for clarity.
            lw.ok = false;
        }
        let args = a
            .args
            .iter()
            .zip(&info.slots)
            .map(|(t, s)| {
                let ty = (s.ty.0 != u32::MAX).then_some(s.ty);
                self.lower_term(lw, t, ty)
            })
            .collect();
        Some(Atom {
            pred,
            args,
            span: a.span,
        })
    }
}

impl Checker {
    /// Makes a rule derive nothing about a constant its scenario does not list.
    ///
    /// A type `from` a closed predicate has exactly the constants that predicate lists
    /// (SEMANTICS.md, "Types and domains"), and which those are is known only with the
    /// scenario. Every base atom about an unlisted constant is already `false`, so a rule
    /// reaches one only through its conclusion (`p(o1) if …`) or an equation that gives a
    /// variable its value (`O = o1`). There the listing is added as a condition: the
    /// conclusion's constant beside the body, the equation as `O = o1 and org(o1)`. An
    /// equation between a listed variable and an unlisted constant is false either way, so
    /// the added condition changes no value inside the domain.
    ///
    /// Only `body` changes (what evaluation reads); `condition` stays as written, for display.
    fn guard_listed_constants(&self, lw: &mut RuleLowering, head: &Atom, body: &mut Formula) {
        let lister_of = |ty: TypeId| match self.program.types.get(ty.index()).map(|t| &t.kind) {
            Some(crate::program::TypeKind::From(p)) => Some(*p),
            _ => None,
        };
        let var_lister: Vec<Option<PredId>> =
            lw.vars.iter().map(|v| v.ty.and_then(lister_of)).collect();
        let slots = self
            .program
            .predicates
            .get(head.pred.index())
            .map(|p| p.slots.as_slice())
            .unwrap_or_default();
        let head_guards: Vec<Atom> = head
            .args
            .iter()
            .zip(slots)
            .filter_map(|(arg, slot)| match arg {
                Term::Const(c) => lister_of(slot.ty).map(|p| Atom {
                    pred: p,
                    args: vec![Term::Const(*c)],
                    span: head.span,
                }),
                Term::Var(_) => None,
            })
            .collect();
        if var_lister.iter().any(Option::is_some) {
            guard_equations(body, &var_lister, &mut lw.occurrence);
        }
        if let Formula::And(parts) = body {
            for atom in head_guards {
                parts.push(Formula::Atom(atom, lw.occurrence));
                lw.occurrence += 1;
            }
        }
    }
}

/// Gives each comparison the type of its variable. The order `<` reads is that type's: a word
/// may be a value of two ordered enumerations (`minor` of the bundled `Scale` and of a user's
/// `Harm`), in different places of each.
fn type_compares(f: &mut Formula, vars: &[VarInfo]) {
    match f {
        Formula::And(parts) | Formula::Or(parts) => {
            for p in parts {
                type_compares(p, vars);
            }
        }
        Formula::Not(inner, _) => type_compares(inner, vars),
        Formula::Compare {
            left, right, ty, ..
        } => {
            let of = |t: &Term| match t {
                Term::Var(v) => vars.get(v.index()).and_then(|i| i.ty),
                Term::Const(_) => None,
            };
            *ty = of(left).or_else(|| of(right));
        }
        Formula::Atom(..) | Formula::Unsettled { .. } => {}
    }
}

/// Rewrites each equation `V = c` (either way round) of a variable whose type is `from` a
/// predicate into `V = c and lister(c)`, numbering the added atoms from `occurrence` on.
fn guard_equations(f: &mut Formula, var_lister: &[Option<PredId>], occurrence: &mut u32) {
    match f {
        Formula::And(parts) | Formula::Or(parts) => {
            for p in parts {
                guard_equations(p, var_lister, occurrence);
            }
        }
        Formula::Not(inner, _) => guard_equations(inner, var_lister, occurrence),
        Formula::Compare {
            left,
            op: ast::CmpOp::Eq,
            right,
            span,
            ..
        } => {
            let (v, c) = match (*left, *right) {
                (Term::Var(v), Term::Const(c)) | (Term::Const(c), Term::Var(v)) => (v, c),
                _ => return,
            };
            let Some(Some(lister)) = var_lister.get(v.index()) else {
                return;
            };
            let guard = Formula::Atom(
                Atom {
                    pred: *lister,
                    args: vec![Term::Const(c)],
                    span: *span,
                },
                *occurrence,
            );
            *occurrence += 1;
            let eq = std::mem::replace(f, Formula::truth());
            *f = Formula::And(vec![eq, guard]);
        }
        Formula::Atom(..) | Formula::Compare { .. } | Formula::Unsettled { .. } => {}
    }
}

impl RuleLowering {
    /// The variable's name as written, for messages.
    pub(super) fn var_name(&self, v: VarId) -> String {
        self.vars
            .get(v.index())
            .map(|i| i.name.clone())
            .unwrap_or_default()
    }
}

/// What lowering one rule has found so far.
pub(super) struct RuleLowering {
    /// The rule's variables, in order of first appearance.
    pub(super) vars: Vec<VarInfo>,
    /// Named variables by name (each `_` is a variable of its own, not listed here).
    var_index: FxHashMap<String, VarId>,
    /// Where each variable first got its type, for "stands for a T here" messages.
    var_first_type_span: Vec<Option<Span>>,
    /// The next atom's occurrence number.
    occurrence: u32,
    /// Comparisons, checked once every variable has its type (lowered and as written).
    pub(super) compares: Vec<(Term, ast::CmpOp, Term, Span, ast::Term, ast::Term)>,
    /// No error so far: safety is checked, and the rule kept, only then.
    pub(super) ok: bool,
}

/// The statements, comparisons and open points in a formula.
fn count_conditions(f: &Formula) -> usize {
    let mut n = 0;
    f.walk(&mut |g, _| n += usize::from(g.is_condition()));
    n
}
