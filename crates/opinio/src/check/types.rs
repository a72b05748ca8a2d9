//! Types: constants of the right type in every slot, comparisons between things of one
//! (ordered) type, and the messages about types and shapes that the other passes share.

use super::rules::RuleLowering;
use super::Checker;
use crate::date::{Date, DateError};
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{Interner, PredInfo, Program, Term, TypeId, TypeInfo, TypeKind};
use crate::source::Span;
use crate::syntax::ast;

impl Checker {
    /// Reads an optional `dated` date of a source or position, reporting a bad one.
    pub(super) fn optional_date(&mut self, n: Option<&ast::Name>) -> Option<Date> {
        match date_literal(n?) {
            Ok(date) => Some(date),
            Err(e) => {
                self.err(e);
                None
            }
        }
    }

    /// Checks a date literal of a rule: a real calendar date, in a slot (or compared with a
    /// variable) of the type `Date`. Dates of rules belong to the domain of `Date`, like the
    /// dates the scenario states.
    pub(super) fn check_rule_date(&mut self, n: &ast::Name, ty: Option<TypeId>) {
        if let Err(d) = date_literal(n) {
            self.err(d);
            return;
        }
        let Some(ty) = ty else { return };
        let info = self.program.type_info(ty);
        if !info.is_date() {
            let d = date_where_other_expected(n, &info.name);
            self.err(d);
            return;
        }
        self.register_rule_constant(n, ty);
    }

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
            TypeKind::Date => self.err(not_a_date(n)),
            TypeKind::Open | TypeKind::From(_) => self.register_rule_constant(n, ty),
        }
    }

    /// A rule's constant of a type whose domain is what is stated (open, `from` a predicate,
    /// or `Date`): it joins the domain with the type of its first use; another type is an error.
    fn register_rule_constant(&mut self, n: &ast::Name, ty: TypeId) {
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

    /// Checks the rule's comparisons once its variables are typed: both sides of one type,
    /// constants of that type, and an ordered type for `<`, `>=`, ….
    pub(super) fn check_compares(&mut self, lw: &mut RuleLowering) {
        let compares = std::mem::take(&mut lw.compares);
        for (l, op, r, span, lt, rt) in compares {
            let date_type = self.program.type_id("Date");
            let ty_of = |t: Term, written: &ast::Term, lw: &RuleLowering| match (t, written) {
                (_, ast::Term::Date(_)) => date_type,
                (Term::Var(v), _) => lw.vars.get(v.index()).and_then(|i| i.ty),
                (Term::Const(_), _) => None,
            };
            let (ltype, rtype) = (ty_of(l, &lt, lw), ty_of(r, &rt, lw));
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
                    match (term, ast_term) {
                        (Term::Const(_), ast::Term::Constant(n)) => self.check_rule_constant(n, ty),
                        // Validity was checked when the term was lowered; the type is checked
                        // above (a date compared with another type is a mismatch).
                        (Term::Const(_), ast::Term::Date(n)) if date_literal(n).is_ok() => {
                            self.register_rule_constant(n, ty);
                        }
                        _ => {}
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
pub(super) fn arity_error(program: &Program, info: &PredInfo, a: &ast::Atom) -> Diagnostic {
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
    .with_help(arity_help(program, info, &sig))
}

/// How to write `info`'s atom: its slots by name (`write it as organ_of(actor, state)`), or,
/// where a slot's name would only repeat the predicate's (`state(state)`), by type: "`state`
/// takes one argument: a State".
fn arity_help(program: &Program, info: &PredInfo, sig: &[String]) -> String {
    let types: Vec<String> = info
        .slots
        .iter()
        .map(|s| {
            program
                .types
                .get(s.ty.index())
                .map(|t| t.name.clone())
                .unwrap_or_default()
        })
        .collect();
    let plain = sig.iter().all(|slot| *slot != info.name);
    if plain {
        return format!("write it as `{}({})`", info.name, sig.join(", "));
    }
    let what: Vec<String> = types.iter().map(|t| article(t)).collect();
    format!(
        "`{}` takes {}: {}",
        info.name,
        if what.len() == 1 {
            "one argument"
        } else {
            "its arguments in this order"
        },
        what.join(", ")
    )
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
    // Shown as written in a State's or an Actor's slot: a name that is not plain (or that
    // looks like a date) keeps its quotes, and so does the example name made from it.
    let written = |name: &str| {
        let mut out = String::new();
        crate::syntax::push_slot_value(&mut out, name, false);
        out
    };
    let help = if state_actor {
        let army = if crate::syntax::is_plain_name(constant) {
            format!("{constant}_army")
        } else {
            crate::syntax::quote(&format!("{constant} army"))
        };
        format!(
            "a State is never itself the actor: name the body that acted (e.g. `{army}`) in the actor's slot and state `organ_of({army}, {}).`",
            written(constant)
        )
    } else if a == "Date" || b == "Date" {
        let other = if a == "Date" { &b } else { &a };
        format!(
            "a name written like a date, even in quotes, is the date itself; give the {other} another name (e.g. `{}`)",
            crate::syntax::quote(&format!("{} {constant}", other.to_lowercase()))
        )
    } else {
        format!("a name stands for one kind of thing; use a different name for the {b}")
    };
    Diagnostic::error(
        crate::diagnostic::Code::ConstantTwoTypes,
        format!(
            "`{}` is used as {} and as {}",
            if a == "Date" || b == "Date" {
                constant.to_string()
            } else {
                written(constant)
            },
            article(&a),
            article(&b)
        ),
    )
    .with_label(second_span, format!("used as {} here", article(&b)))
    .with_label(first_span, format!("used as {} here", article(&a)))
    .with_help(help)
}

/// Reads a date literal (`2017-06-27`); the diagnostic says what is wrong with it.
pub(super) fn date_literal(n: &ast::Name) -> Result<Date, Diagnostic> {
    n.text.parse::<Date>().map_err(|e| {
        let help = match e {
            DateError::Shape => {
                "write the year with four digits, then the month and the day with two, separated by `-`: 2017-06-27"
            }
            DateError::Month(_) | DateError::Day { .. } => {
                "check the date against its source; where only the month is known, use its last day"
            }
        };
        Diagnostic::error(
            crate::diagnostic::Code::BadDate,
            format!("`{}` is not a date: {e}", n.text),
        )
        .with_label(n.span, "not a calendar date")
        .with_help(help)
    })
}

/// A date written where a value of another type is expected.
pub(super) fn date_where_other_expected(n: &ast::Name, ty: &str) -> Diagnostic {
    misplaced(
        n,
        "a date",
        ty,
        "dates go only in slots of the type Date (e.g. `occurred_on(op, 2017-06-27)`)".into(),
    )
}

/// `n`, which is `what` (a date, a number), written in a slot of the type `ty`.
fn misplaced(n: &ast::Name, what: &str, ty: &str, help: String) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostic::Code::TypeMismatch,
        format!(
            "`{}` is {what}, but {} is expected here",
            n.text,
            article(ty)
        ),
    )
    .with_label(n.span, format!("expected {}", article(ty)))
    .with_help(help)
}

/// A number or a date (`123`, `2017-06-27`) written where a value of the type `info`, not a
/// date, is expected; the help lists the type's values when it is enumerated.
pub(super) fn number_where_other_expected(
    n: &ast::Name,
    info: &TypeInfo,
    interner: &Interner,
) -> Diagnostic {
    let ty = info.name.as_str();
    let values: Vec<&str> = match &info.kind {
        TypeKind::Enumerated { values, .. } => values.iter().map(|v| interner.name(*v)).collect(),
        _ => Vec::new(),
    };
    if n.text.contains('-') {
        // Shaped like a date: a bad date is said as such, a good one as misplaced.
        return match date_literal(n) {
            Err(d) => d,
            Ok(_) => date_where_other_expected(n, ty),
        };
    }
    let help = if values.is_empty() {
        format!(
            "name things with a lower-case word (`unit_{0}`) or in quotes (`\"{0}\"`); only slots of the type Date take numbers, written as a date: 2017-06-27",
            n.text
        )
    } else {
        format!("the values of {ty} are: {}", values.join(", "))
    };
    misplaced(n, "a number", ty, help)
}

/// A name written where a date is expected.
pub(super) fn not_a_date(n: &ast::Name) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostic::Code::TypeMismatch,
        if n.text.parse::<crate::date::Date>().is_ok() {
            // `"2015-03-01"`: written bare it would have been read as a date, so it was quoted,
            // and a date in quotes is a name written like one.
            format!("`\"{}\"` is a name in quotes, but this slot takes a date: a date is written without quotes", n.text)
        } else {
            format!("`{}` is not a date, but this slot takes a date", n.text)
        },
    )
    .with_label(n.span, "expected a date")
    .with_help("write the date as year-month-day, without quotes: 2017-06-27")
}
