//! Types: constants of the right type in every slot, comparisons between things of one
//! (ordered) type, and the messages about types and shapes that the other passes share.

use super::rules::RuleLowering;
use super::Checker;
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{PredInfo, Program, Term, TypeId, TypeKind};
use crate::source::Span;
use crate::syntax::ast;

impl Checker {
    /// Checks that a constant of a rule belongs to `ty` (listed by it, or not used with
    /// another type elsewhere).
    pub(super) fn check_rule_constant(&mut self, n: &ast::Name, ty: TypeId) {
        let info = self.program.type_info(ty).clone();
        match &info.kind {
            TypeKind::Enumerated { values, .. } => {
                let sym = self.program.interner.intern(&n.text);
                if !values.contains(&sym) {
                    let names: Vec<String> = values
                        .iter()
                        .map(|v| self.program.interner.name(*v).to_string())
                        .collect();
                    let help = help_with(
                        &n.text,
                        names.iter().map(|s| s.as_str()),
                        format!("the values of {} are: {}", info.name, names.join(", ")),
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!("`{}` is not a value of the type {}", n.text, info.name),
                        )
                        .with_label(n.span, format!("not {}", article(&info.name)))
                        .with_help(help),
                    );
                }
            }
            TypeKind::Open | TypeKind::From(_) => {
                let sym = self.program.interner.intern(&n.text);
                match self.program.constant_types.get(&sym) {
                    Some((prev, prev_span)) if *prev != ty => {
                        let d = two_types(&self.program, &n.text, *prev, *prev_span, ty, n.span);
                        self.err(d);
                    }
                    Some(_) => {}
                    None => {
                        self.program.constant_types.insert(sym, (ty, n.span));
                    }
                }
            }
        }
    }

    /// Checks the rule's comparisons once its variables are typed: both sides of one type,
    /// constants of that type, and an ordered type for `<`, `>=`, ….
    pub(super) fn check_compares(&mut self, lw: &mut RuleLowering) {
        let compares = std::mem::take(&mut lw.compares);
        for (l, op, r, span, lt, rt) in compares {
            let ty_of = |t: Term, lw: &RuleLowering| match t {
                Term::Var(v) => lw.vars.get(v.index()).and_then(|i| i.ty),
                Term::Const(_) => None,
            };
            let (ltype, rtype) = (ty_of(l, lw), ty_of(r, lw));
            let ty = ltype.or(rtype);
            if let (Some(a), Some(b)) = (ltype, rtype) {
                if a != b {
                    let (an, bn) = (
                        self.program.type_info(a).name.clone(),
                        self.program.type_info(b).name.clone(),
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::TypeMismatch,
                            format!("this compares {} with {}", article(&an), article(&bn)),
                        )
                        .with_label(span, "different types")
                        .with_help("only things of the same type can be equal or ordered"),
                    );
                    lw.ok = false;
                    continue;
                }
            }
            // Constants compared with a typed variable must belong to its type.
            if let Some(ty) = ty {
                for (term, ast_term) in [(l, &lt), (r, &rt)] {
                    if let (Term::Const(_), ast::Term::Constant(n)) = (term, ast_term) {
                        self.check_rule_constant(n, ty);
                    }
                }
            }
            let untyped_variable = [l, r]
                .iter()
                .any(|t| matches!(t, Term::Var(v) if lw.vars.get(v.index()).is_none_or(|i| i.ty.is_none())));
            if untyped_variable {
                // A variable no condition gives a value: the safety check says so.
                continue;
            }
            if !matches!(op, ast::CmpOp::Eq | ast::CmpOp::Ne) {
                let ordered = ty.is_some_and(|t| self.program.type_info(t).is_ordered());
                if !ordered {
                    let tn = ty
                        .map(|t| self.program.type_info(t).name.clone())
                        .unwrap_or_else(|| "these values".to_string());
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::NotOrdered,
                            format!("{tn} has no order, so `{}` cannot compare it", op.symbol()),
                        )
                        .with_label(span, "needs an ordered type")
                        .with_help("declare the type with `<` between its values (e.g. `type Scale = minor < significant < grave.`), or compare with `=` / `!=`"),
                    );
                    lw.ok = false;
                }
            }
        }
    }
}

/// "a State", "an Actor".
pub(super) fn article(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// "`p` takes 2 arguments, but 3 are given", with the slots to write.
pub(super) fn arity_error(info: &PredInfo, a: &ast::Atom) -> Diagnostic {
    let sig: Vec<String> = info.slots.iter().map(|s| s.name.clone()).collect();
    Diagnostic::error(
        crate::diagnostic::Code::WrongArity,
        format!(
            "`{}` takes {} {}, but {} {} given",
            info.name,
            info.arity(),
            if info.arity() == 1 {
                "argument"
            } else {
                "arguments"
            },
            a.args.len(),
            if a.args.len() == 1 { "is" } else { "are" }
        ),
    )
    .with_label(a.span, format!("{} given", a.args.len()))
    .with_help(format!("write it as `{}({})`", info.name, sig.join(", ")))
}

/// A constant used in slots of two types (a constant stands for one kind of thing).
pub(super) fn two_types(
    program: &Program,
    constant: &str,
    first: TypeId,
    first_span: Span,
    second: TypeId,
    second_span: Span,
) -> Diagnostic {
    let (a, b) = (
        program.type_info(first).name.clone(),
        program.type_info(second).name.clone(),
    );
    let state_actor =
        [a.as_str(), b.as_str()].contains(&"State") && [a.as_str(), b.as_str()].contains(&"Actor");
    let help = if state_actor {
        format!(
            "a State is never itself the actor: name the body that acted (e.g. `{constant}_army`) in the actor's slot and state `organ_of({constant}_army, {constant}).`"
        )
    } else {
        format!("a name stands for one kind of thing; use a different name for the {b}")
    };
    Diagnostic::error(
        crate::diagnostic::Code::ConstantTwoTypes,
        format!(
            "`{constant}` is used as {} and as {}",
            article(&a),
            article(&b)
        ),
    )
    .with_label(second_span, format!("used as {} here", article(&b)))
    .with_label(first_span, format!("used as {} here", article(&a)))
    .with_help(help)
}
