//! Lowering of statements: each pest pair of a declaration (`source`, `type`, `predicate`,
//! `rule`, `position`, a fact, an `expect`) becomes its syntax-tree node. Parts the parser
//! recovered from as missing get empty placeholders, so later stages still see a statement.

use super::formulas::{atom, formula, missing_atom};
use super::texts::{reading_of, text_of};
use super::Rule;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use pest::iterators::Pair;

pub(super) fn span_of(file: FileId, p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(file, s.start(), s.end())
}

pub(super) fn statement(file: FileId, p: Pair<Rule>) -> Statement {
    let span = span_of(file, &p);
    match p.as_rule() {
        Rule::source_decl => {
            let mut name = None;
            let mut title = None;
            let mut date = None;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => name = Some(name_of(file, c)),
                    Rule::text => title = Some(text_of(file, c)),
                    Rule::dated => date = dated(file, c),
                    _ => {}
                }
            }
            Statement::Source(SourceDecl {
                name: name.unwrap_or_else(|| missing_name(span)),
                title: title.unwrap_or_else(|| missing_text(span)),
                date,
                span,
            })
        }
        Rule::import_decl => {
            let path = p
                .into_inner()
                .find(|c| c.as_rule() == Rule::text)
                .map(|c| text_of(file, c))
                .unwrap_or_else(|| missing_text(span));
            Statement::Import(ImportDecl { path, span })
        }
        Rule::type_decl => {
            let mut name = None;
            let mut body = TypeBody::Open;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::type_name => name = Some(name_of(file, c)),
                    Rule::ordered_values => body = TypeBody::Ordered(names_in(file, c)),
                    Rule::enum_values => body = TypeBody::Enumerated(names_in(file, c)),
                    Rule::type_from => {
                        if let Some(n) = names_in(file, c).into_iter().next() {
                            body = TypeBody::From(n);
                        }
                    }
                    _ => {}
                }
            }
            Statement::Type(TypeDecl {
                name: name.unwrap_or_else(|| missing_name(span)),
                body,
                span,
            })
        }
        Rule::predicate_decl => Statement::Predicate(predicate_decl(file, p)),
        Rule::point_title_decl => {
            let mut point = None;
            let mut title = None;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => point = Some(name_of(file, c)),
                    Rule::text => title = Some(text_of(file, c)),
                    _ => {}
                }
            }
            Statement::PointTitle(PointTitleDecl {
                point: point.unwrap_or_else(|| missing_name(span)),
                title: title.unwrap_or_else(|| missing_text(span)),
                span,
            })
        }
        Rule::rule_decl => Statement::Rule(rule_decl(file, p)),
        Rule::position_decl => Statement::Position(position_decl(file, p)),
        Rule::fact_stmt => {
            let mut value = Truth::True;
            let mut at = None;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::k_not => value = Truth::False,
                    Rule::k_unknown => value = Truth::Unknown,
                    Rule::atom => at = Some(atom(file, c)),
                    _ => {}
                }
            }
            Statement::Fact(Fact {
                value,
                atom: at.unwrap_or_else(|| missing_atom(span)),
                span,
            })
        }
        Rule::expect_stmt => {
            let mut position = None;
            let mut goal = None;
            let mut value = Truth::True;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => position = Some(name_of(file, c)),
                    Rule::atom => goal = Some(atom(file, c)),
                    Rule::value => value = truth_of(c),
                    _ => {}
                }
            }
            Statement::Expect(Expect {
                position,
                goal: goal.unwrap_or_else(|| missing_atom(span)),
                value,
                span,
            })
        }
        // The grammar admits no other statement; an empty fact keeps the tree total.
        _ => Statement::Fact(Fact {
            value: Truth::True,
            atom: missing_atom(span),
            span,
        }),
    }
}

fn truth_of(p: Pair<Rule>) -> Truth {
    match p.into_inner().next().map(|c| c.as_rule()) {
        Some(Rule::k_false) => Truth::False,
        Some(Rule::k_unknown) => Truth::Unknown,
        _ => Truth::True,
    }
}

fn predicate_decl(file: FileId, p: Pair<Rule>) -> PredicateDecl {
    let span = span_of(file, &p);
    let mut decl = PredicateDecl {
        name: missing_name(span),
        slots: Vec::new(),
        closed: None,
        functional: None,
        meaning: None,
        reading: None,
        citations: Vec::new(),
        notes: Vec::new(),
        span,
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => decl.name = name_of(file, c),
            Rule::slots => {
                for s in c.into_inner().filter(|s| s.as_rule() == Rule::slot) {
                    let mut inner = s.into_inner();
                    let name = inner.next().map(|n| name_of(file, n));
                    let ty = inner
                        .find(|n| n.as_rule() == Rule::type_name)
                        .map(|n| name_of(file, n));
                    if let (Some(name), Some(ty)) = (name, ty) {
                        decl.slots.push(Slot { name, ty });
                    }
                }
            }
            Rule::marker => {
                let mspan = span_of(file, &c);
                match c.into_inner().next().map(|m| m.as_rule()) {
                    Some(Rule::k_closed) => decl.closed = Some(mspan),
                    _ => decl.functional = Some(mspan),
                }
            }
            Rule::meaning => decl.meaning = first_text(file, c),
            Rule::reading => {
                decl.reading = c
                    .into_inner()
                    .find(|t| t.as_rule() == Rule::text)
                    .map(|t| reading_of(file, t))
            }
            Rule::citations => decl.citations = citations(file, c),
            Rule::note => decl.notes.extend(first_text(file, c)),
            _ => {}
        }
    }
    decl
}

fn citations(file: FileId, p: Pair<Rule>) -> Vec<Citation> {
    p.into_inner()
        .filter(|c| c.as_rule() == Rule::citation)
        .map(|c| {
            let span = span_of(file, &c);
            let mut source = missing_name(span);
            let mut pinpoint = None;
            for x in c.into_inner() {
                match x.as_rule() {
                    Rule::name => source = name_of(file, x),
                    Rule::text => pinpoint = Some(text_of(file, x)),
                    _ => {}
                }
            }
            Citation {
                source,
                pinpoint,
                span,
            }
        })
        .collect()
}

fn rule_decl(file: FileId, p: Pair<Rule>) -> RuleDecl {
    let span = span_of(file, &p);
    let mut name = missing_name(span);
    let mut body = None;
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => name = name_of(file, c),
            Rule::rule_body => body = Some(rule_body(file, c)),
            _ => {}
        }
    }
    RuleDecl {
        name,
        body: body.unwrap_or_else(|| RuleBody {
            head: missing_atom(span),
            condition: None,
            exceptions: Vec::new(),
            citations: Vec::new(),
            notes: Vec::new(),
        }),
        span,
    }
}

fn rule_body(file: FileId, p: Pair<Rule>) -> RuleBody {
    let span = span_of(file, &p);
    let mut body = RuleBody {
        head: missing_atom(span),
        condition: None,
        exceptions: Vec::new(),
        citations: Vec::new(),
        notes: Vec::new(),
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::atom => body.head = atom(file, c),
            Rule::formula => body.condition = Some(formula(file, c)),
            Rule::exception => {
                if let Some(f) = c.into_inner().find(|x| x.as_rule() == Rule::formula) {
                    body.exceptions.push(formula(file, f));
                }
            }
            Rule::citations => body.citations = citations(file, c),
            Rule::note => body.notes.extend(first_text(file, c)),
            _ => {}
        }
    }
    body
}

fn position_decl(file: FileId, p: Pair<Rule>) -> PositionDecl {
    let span = span_of(file, &p);
    let mut decl = PositionDecl {
        name: missing_name(span),
        is_default: None,
        extends: None,
        date: None,
        meaning: None,
        citations: Vec::new(),
        items: Vec::new(),
        span,
    };
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => decl.name = name_of(file, c),
            Rule::position_header => {
                for h in c.into_inner() {
                    match h.as_rule() {
                        Rule::k_default => decl.is_default = Some(span_of(file, &h)),
                        Rule::extends => {
                            decl.extends = h
                                .into_inner()
                                .find(|x| x.as_rule() == Rule::name)
                                .map(|x| name_of(file, x))
                        }
                        Rule::meaning => decl.meaning = first_text(file, h),
                        Rule::dated => decl.date = dated(file, h),
                        Rule::citations => decl.citations.extend(citations(file, h)),
                        _ => {}
                    }
                }
            }
            Rule::position_body => {
                for item in c.into_inner() {
                    if let Some(it) = position_item(file, item) {
                        decl.items.push(it);
                    }
                }
            }
            _ => {}
        }
    }
    decl
}

fn position_item(file: FileId, p: Pair<Rule>) -> Option<PositionItem> {
    let span = span_of(file, &p);
    Some(match p.as_rule() {
        Rule::rule_decl => PositionItem::Add(rule_decl(file, p)),
        Rule::replace_decl => PositionItem::Replace(rule_decl(file, p)),
        Rule::withdraw_decl | Rule::affirm_decl => {
            let is_withdraw = p.as_rule() == Rule::withdraw_decl;
            let mut name = missing_name(span);
            let mut cites = Vec::new();
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => name = name_of(file, c),
                    Rule::citations => cites = citations(file, c),
                    _ => {}
                }
            }
            if is_withdraw {
                PositionItem::Withdraw {
                    rule: name,
                    citations: cites,
                    span,
                }
            } else {
                PositionItem::Affirm {
                    target: name,
                    citations: cites,
                    span,
                }
            }
        }
        Rule::settle_decl => {
            let mut point = missing_name(span);
            let mut value = true;
            let mut cites = Vec::new();
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => point = name_of(file, c),
                    Rule::truth => value = truth_of(c) == Truth::True,
                    Rule::citations => cites = citations(file, c),
                    _ => {}
                }
            }
            PositionItem::Settle {
                point,
                value,
                citations: cites,
                span,
            }
        }
        Rule::unverified_decl => {
            let mut names = Vec::new();
            let mut cites = Vec::new();
            let mut notes = Vec::new();
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => names.push(name_of(file, c)),
                    Rule::citations => cites = citations(file, c),
                    Rule::note => notes.extend(first_text(file, c)),
                    _ => {}
                }
            }
            PositionItem::Unverified {
                names,
                citations: cites,
                notes,
                span,
            }
        }
        _ => return None,
    })
}

/// The date of `dated 2018-05-23`, as written.
fn dated(file: FileId, p: Pair<Rule>) -> Option<Name> {
    p.into_inner()
        .find(|c| c.as_rule() == Rule::date)
        .map(|c| name_of(file, c))
}

pub(super) fn name_of(file: FileId, p: Pair<Rule>) -> Name {
    Name {
        text: p.as_str().to_string(),
        span: span_of(file, &p),
    }
}

fn names_in(file: FileId, p: Pair<Rule>) -> Vec<Name> {
    p.into_inner()
        .filter(|c| c.as_rule() == Rule::name)
        .map(|c| name_of(file, c))
        .collect()
}

fn first_text(file: FileId, p: Pair<Rule>) -> Option<Text> {
    p.into_inner()
        .find(|c| c.as_rule() == Rule::text)
        .map(|c| text_of(file, c))
}

pub(super) fn missing_name(span: Span) -> Name {
    Name {
        text: String::new(),
        span,
    }
}

pub(super) fn missing_text(span: Span) -> Text {
    Text {
        value: String::new(),
        span,
    }
}
