//! Goals: a question checked against the program (variables allowed, constants known).

use super::help_with_names;
use super::types::{arity_error, article};
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{Atom, Goal, Interner, Program, Sym, Term, TypeId, TypeKind, VarId};
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::name_as_written;
use rustc_hash::FxHashMap;

/// Checks a goal (question) against the program; variables are allowed.
/// Returns the goal: its atom and the names of its variables. With `members` (per type, the
/// sorted domain of the scenario's facts), a constant of a `from` type must be listed by its
/// predicate: a name only a rule writes counts as a member only in a scenario that lists it.
pub(super) fn check_goal(
    program: &Program,
    interner: &Interner,
    known_constants: &FxHashMap<Sym, (TypeId, Span)>,
    members: Option<&[Vec<Sym>]>,
    a: &ast::Atom,
) -> Result<Goal, Diagnostic> {
    let Some(pred) = program.predicate_id(&a.predicate.text) else {
        let help = help_with(
            &a.predicate.text,
            program.predicates.iter().map(|p| p.name.as_str()),
            "ask about a predicate of the knowledge base",
        );
        return Err(Diagnostic::error(
            crate::diagnostic::Code::UnknownPredicate,
            format!("no predicate is named `{}`", a.predicate.text),
        )
        .with_label(a.predicate.span, "unknown predicate")
        .with_help(help)
        .with_remedy(crate::diagnostic::Remedy::ListPredicates));
    };
    let info = program.predicate(pred);
    if info.arity() != a.args.len() {
        return Err(arity_error(program, info, a));
    }
    let mut vars: Vec<String> = Vec::new();
    let mut args = Vec::new();
    for (t, slot) in a.args.iter().zip(&info.slots) {
        match t {
            ast::Term::Variable(n) => {
                let idx = match vars.iter().position(|v| *v == n.text || n.text == "_") {
                    Some(i) if n.text != "_" => i,
                    _ => {
                        vars.push(n.text.clone());
                        vars.len() - 1
                    }
                };
                args.push(Term::Var(VarId::from_index(idx)));
            }
            ast::Term::Constant(n) | ast::Term::Date(n) => {
                let ty = program.type_info(slot.ty);
                match (t, ty.is_date()) {
                    (ast::Term::Date(_), true) => super::types::date_literal(n).map(|_| ())?,
                    (ast::Term::Date(_), false) => {
                        return Err(super::types::number_where_other_expected(n, ty, interner));
                    }
                    (_, true) => return Err(super::types::not_a_date(n)),
                    (_, false) => {}
                }
                let sym = interner.get(&n.text);
                let ok = match (&ty.kind, sym) {
                    (_, None) => false,
                    (TypeKind::Enumerated { values, .. }, Some(s)) => values.contains(&s),
                    (_, Some(s)) => known_constants
                        .get(&s)
                        .or_else(|| program.constant_types.get(&s))
                        .is_some_and(|(t, _)| *t == slot.ty),
                };
                // Asking the listing predicate itself (`state(france)`) asks just that.
                let lister_itself = matches!(ty.kind, TypeKind::From(l) if l == pred);
                if let (true, Some(s), TypeKind::From(lister), Some(members), false) =
                    (ok, sym, &ty.kind, members, lister_itself)
                {
                    let listed = members
                        .get(slot.ty.index())
                        .is_some_and(|d| d.binary_search(&s).is_ok());
                    if !listed {
                        return Err(not_listed(program, *lister, &ty.name, &n.text, n.span));
                    }
                }
                match (ok, sym) {
                    (true, Some(s)) => args.push(Term::Const(s)),
                    _ => {
                        let candidates: Vec<String> = match &ty.kind {
                            TypeKind::Enumerated { values, .. } => values
                                .iter()
                                .map(|v| interner.name(*v).to_string())
                                .collect(),
                            // The members of a `from` type are what its predicate lists.
                            TypeKind::From(_) if members.is_some() => members
                                .and_then(|m| m.get(slot.ty.index()))
                                .map(|d| d.iter().map(|v| interner.name(*v).to_string()).collect())
                                .unwrap_or_default(),
                            _ => known_constants
                                .iter()
                                .chain(&program.constant_types)
                                .filter(|(_, (t, _))| *t == slot.ty)
                                .map(|(s, _)| interner.name(*s).to_string())
                                .collect(),
                        };
                        let mut sorted = candidates.clone();
                        sorted.sort();
                        sorted.dedup();
                        // Names are shown as written (`"Fancy Bear"`), so that one can be
                        // typed back as it is shown.
                        let fallback = if sorted.is_empty() {
                            format!("the scenario names no {} yet", ty.name)
                        } else {
                            let written: Vec<String> =
                                sorted.iter().map(|s| name_as_written(s)).collect();
                            format!("the {} values known here: {}", ty.name, written.join(", "))
                        };
                        let help =
                            help_with_names(&n.text, sorted.iter().map(|s| s.as_str()), fallback);
                        return Err(Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!(
                                "`{}` is not {} the scenario or knowledge base knows",
                                name_as_written(&n.text),
                                article(&ty.name)
                            ),
                        )
                        .with_label(n.span, format!("unknown {}", ty.name))
                        .with_help(help));
                    }
                }
            }
        }
    }
    Ok(Goal::new(
        Atom {
            pred,
            args,
            span: a.span,
        },
        vars,
    ))
}

/// A constant of a `from` type that the rules name but the facts do not list (`name` as
/// written, at `span`), in a question or an expectation.
pub(super) fn not_listed(
    program: &Program,
    lister: crate::program::PredId,
    ty: &str,
    name: &str,
    span: Span,
) -> Diagnostic {
    let written = name_as_written(name);
    let lname = &program.predicate(lister).name;
    Diagnostic::error(
        crate::diagnostic::Code::UnknownConstant,
        format!(
            "`{written}` is not {} in this scenario: the knowledge base names it, but no fact lists it",
            article(ty)
        ),
    )
    .with_label(span, format!("not listed by `{lname}`"))
    .with_help(format!(
        "add `{lname}({written}).` to the scenario if it counts as {} here: only what `{lname}` lists counts as {}",
        article(ty),
        article(ty)
    ))
}
