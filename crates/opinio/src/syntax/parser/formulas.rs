//! Lowering of formulas, atoms and terms: `or` over `and` over the unary forms (`not`,
//! `unless`, comparisons, groups, `unsettled`), with the spans later diagnostics point at.

use super::statements::{missing_name, missing_text, name_of, span_of};
use super::texts::text_of;
use super::Rule;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use pest::iterators::Pair;

/// `formula` = conjunctions joined by `or`; `conjunction` = unaries joined by `and`.
pub(super) fn formula(file: FileId, p: Pair<Rule>) -> Formula {
    let span = span_of(file, &p);
    match p.as_rule() {
        Rule::formula | Rule::conjunction => {
            let is_or = p.as_rule() == Rule::formula;
            let mut parts: Vec<Formula> = p
                .into_inner()
                .filter(|c| !matches!(c.as_rule(), Rule::k_or | Rule::k_and))
                .map(|c| formula(file, c))
                .collect();
            if parts.len() == 1 {
                parts.pop().unwrap_or_else(|| missing_formula(span))
            } else if is_or {
                Formula::Or(parts, span)
            } else {
                Formula::And(parts, span)
            }
        }
        Rule::unary => match p.into_inner().next() {
            Some(c) => formula(file, c),
            None => missing_formula(span),
        },
        Rule::negation => {
            let inner = p
                .into_inner()
                .find(|c| c.as_rule() != Rule::k_not)
                .map(|c| formula(file, c))
                .unwrap_or_else(|| missing_formula(span));
            Formula::Not(Box::new(inner), span)
        }
        Rule::group => p
            .into_inner()
            .find(|c| c.as_rule() == Rule::formula)
            .map(|c| formula(file, c))
            .unwrap_or_else(|| missing_formula(span)),
        Rule::unsettled => {
            let mut point = missing_name(span);
            let mut reason = missing_text(span);
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => point = name_of(file, c),
                    Rule::text => reason = text_of(file, c),
                    _ => {}
                }
            }
            Formula::Unsettled {
                point,
                reason,
                span,
            }
        }
        Rule::comparison => {
            let mut terms = Vec::new();
            let mut op = CmpOp::Eq;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::term => terms.extend(term(file, c)),
                    Rule::cmp_op => {
                        op = match c.as_str() {
                            "!=" => CmpOp::Ne,
                            "<=" => CmpOp::Le,
                            ">=" => CmpOp::Ge,
                            "<" => CmpOp::Lt,
                            ">" => CmpOp::Gt,
                            _ => CmpOp::Eq,
                        }
                    }
                    _ => {}
                }
            }
            let mut it = terms.into_iter();
            match (it.next(), it.next()) {
                (Some(left), Some(right)) => Formula::Compare {
                    left,
                    op,
                    right,
                    span,
                },
                _ => missing_formula(span),
            }
        }
        Rule::atom => Formula::Atom(atom(file, p)),
        _ => missing_formula(span),
    }
}

pub(super) fn atom(file: FileId, p: Pair<Rule>) -> Atom {
    let span = span_of(file, &p);
    let mut predicate = missing_name(span);
    let mut args = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => predicate = name_of(file, c),
            Rule::term => args.extend(term(file, c)),
            _ => {}
        }
    }
    Atom {
        predicate,
        args,
        span,
    }
}

fn term(file: FileId, p: Pair<Rule>) -> Option<Term> {
    let c = p.into_inner().next()?;
    Some(match c.as_rule() {
        Rule::variable => Term::Variable(name_of(file, c)),
        Rule::date => Term::Date(name_of(file, c)),
        Rule::text => {
            let t = text_of(file, c);
            Term::Constant(Name {
                text: t.value,
                span: t.span,
            })
        }
        _ => Term::Constant(name_of(file, c)),
    })
}

pub(super) fn missing_atom(span: Span) -> Atom {
    Atom {
        predicate: missing_name(span),
        args: Vec::new(),
        span,
    }
}

fn missing_formula(span: Span) -> Formula {
    Formula::And(Vec::new(), span)
}
