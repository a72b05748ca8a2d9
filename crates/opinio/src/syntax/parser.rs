//! pest pairs → owned syntax tree. pest types stay inside this file.

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/opinio.pest"]
struct OpinioParser;

/// The outcome of a failed parse: the diagnostic, and whether the text merely stopped early
/// (the REPL then waits for more lines instead of reporting an error).
#[derive(Debug, Clone)]
pub struct ParseError {
    pub diagnostic: Diagnostic,
    pub incomplete: bool,
}

/// Parses a whole file (knowledge or scenario).
pub fn parse_file(file: FileId, text: &str) -> Result<File, ParseError> {
    let mut pairs =
        OpinioParser::parse(Rule::file, text).map_err(|e| syntax_error(file, text, e))?;
    if let Some(pos) = too_deep(&pairs) {
        return Err(nested_too_deeply(file, text, pos));
    }
    if let Some(e) = unknown_escape(file, text, &pairs) {
        return Err(e);
    }
    let Some(root) = pairs.next() else {
        return Ok(File {
            statements: Vec::new(),
        });
    };
    let statements = root
        .into_inner()
        .filter(|p| p.as_rule() != Rule::EOI)
        .map(|p| statement(file, p))
        .collect();
    Ok(File { statements })
}

/// Parses a goal such as `violates_sovereignty(Op, ukraine)` (a final `.` is allowed).
pub fn parse_query(file: FileId, text: &str) -> Result<Atom, ParseError> {
    let mut pairs =
        OpinioParser::parse(Rule::query, text).map_err(|e| syntax_error(file, text, e))?;
    if let Some(e) = unknown_escape(file, text, &pairs) {
        return Err(e);
    }
    let atom_pair = pairs
        .next()
        .and_then(|q| q.into_inner().find(|p| p.as_rule() == Rule::atom));
    match atom_pair {
        Some(p) => Ok(atom(file, p)),
        None => Err(ParseError {
            diagnostic: Diagnostic::error(
                crate::diagnostic::Code::Syntax,
                "expected a question such as `state(x)`",
            )
            .with_label(Span::new(file, 0, text.len()), "here"),
            incomplete: false,
        }),
    }
}

fn span_of(file: FileId, p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(file, s.start(), s.end())
}

fn statement(file: FileId, p: Pair<Rule>) -> Statement {
    let span = span_of(file, &p);
    match p.as_rule() {
        Rule::source_decl => {
            let mut name = None;
            let mut title = None;
            for c in p.into_inner() {
                match c.as_rule() {
                    Rule::name => name = Some(name_of(file, c)),
                    Rule::text => title = Some(text_of(file, c)),
                    _ => {}
                }
            }
            Statement::Source(SourceDecl {
                name: name.unwrap_or_else(|| missing_name(span)),
                title: title.unwrap_or_else(|| missing_text(span)),
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

/// `formula` = conjunctions joined by `or`; `conjunction` = unaries joined by `and`.
fn formula(file: FileId, p: Pair<Rule>) -> Formula {
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

fn atom(file: FileId, p: Pair<Rule>) -> Atom {
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

fn position_decl(file: FileId, p: Pair<Rule>) -> PositionDecl {
    let span = span_of(file, &p);
    let mut decl = PositionDecl {
        name: missing_name(span),
        is_default: None,
        extends: None,
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
        _ => return None,
    })
}

fn name_of(file: FileId, p: Pair<Rule>) -> Name {
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

fn text_of(file: FileId, p: Pair<Rule>) -> Text {
    let span = span_of(file, &p);
    let raw = p.as_str();
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some(other) => value.push(other),
                None => {}
            }
        } else {
            value.push(ch);
        }
    }
    Text { value, span }
}

fn missing_name(span: Span) -> Name {
    Name {
        text: String::new(),
        span,
    }
}

fn missing_text(span: Span) -> Text {
    Text {
        value: String::new(),
        span,
    }
}

fn missing_atom(span: Span) -> Atom {
    Atom {
        predicate: missing_name(span),
        args: Vec::new(),
        span,
    }
}

fn missing_formula(span: Span) -> Formula {
    Formula::And(Vec::new(), span)
}

// ---------------------------------------------------------------- syntax errors

/// The deepest a formula may nest parentheses and `not`s. Every stage after the parser walks
/// formulas recursively, and a thread's stack is finite: deeper text is refused with a
/// diagnostic instead of crashing the process. Nobody writes a condition this deep by hand.
pub const MAX_NESTING: usize = 64;

/// Where a formula first nests deeper than [`MAX_NESTING`], if anywhere (counted without
/// recursion, so that the check itself cannot overflow).
fn too_deep(pairs: &pest::iterators::Pairs<Rule>) -> Option<usize> {
    let mut depth = 0usize;
    for token in pairs.clone().tokens() {
        match token {
            pest::Token::Start {
                rule: Rule::group | Rule::negation,
                pos,
            } => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(pos.pos());
                }
            }
            pest::Token::End {
                rule: Rule::group | Rule::negation,
                ..
            } => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The escapes a quoted text may hold: `\"`, `\\`, `\n` and `\t` (`docs/language.md`).
const ESCAPES: &[char] = &['"', '\\', 'n', 't'];

/// The first escape in a quoted text that the language does not know (`"a\qb"`), as an
/// error: it used to be dropped silently (`aqb`).
fn unknown_escape(
    file: FileId,
    text: &str,
    pairs: &pest::iterators::Pairs<Rule>,
) -> Option<ParseError> {
    if !text.contains('\\') {
        return None;
    }
    for p in pairs.clone().flatten() {
        if p.as_rule() != Rule::text_inner {
            continue;
        }
        let base = p.as_span().start();
        let mut chars = p.as_str().char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                continue;
            }
            let Some((j, next)) = chars.next() else {
                break;
            };
            if ESCAPES.contains(&next) {
                continue;
            }
            let end = base + j + next.len_utf8();
            let visible = !crate::diagnostic::is_invisible(next) && !next.is_whitespace();
            let mut help = "inside a quoted text, a backslash starts one of these escapes: `\\\"` (a double quote), `\\\\` (a backslash), `\\n` (a line break), `\\t` (a tab)".to_string();
            let what = match next {
                _ if visible => {
                    help.push_str(&format!(
                        "; for a backslash followed by `{next}`, write `\\\\{next}`"
                    ));
                    format!("`\\{next}`")
                }
                ' ' => "a backslash followed by a space".to_string(),
                '\t' => "a backslash followed by a tab".to_string(),
                '\n' | '\r' => "a backslash at the end of a line".to_string(),
                c if c.is_whitespace() => {
                    format!("a backslash followed by the space U+{:04X}", u32::from(c))
                }
                c => format!(
                    "a backslash followed by the invisible character U+{:04X}",
                    u32::from(c)
                ),
            };
            let diagnostic = Diagnostic::error(
                crate::diagnostic::Code::UnknownEscape,
                format!("{what} is not an escape Opinio knows"),
            )
            .with_label(Span::new(file, base + i, end), "unknown escape")
            .with_help(help);
            return Some(ParseError {
                diagnostic,
                incomplete: false,
            });
        }
    }
    None
}

fn nested_too_deeply(file: FileId, text: &str, pos: usize) -> ParseError {
    let pos = pos.min(text.len());
    ParseError {
        diagnostic: Diagnostic::error(
            crate::diagnostic::Code::TooDeep,
            format!(
                "this is nested too deeply: Opinio reads at most {MAX_NESTING} levels of parentheses and `not` inside one another"
            ),
        )
        .with_label(
            Span::new(file, pos, next_char_boundary(text, pos)),
            "too deep from here",
        )
        .with_help("split the condition: give a part of it its own rule, concluding a predicate of its own, and use that predicate here"),
        incomplete: false,
    }
}

fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> ParseError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let pos = pos.min(text.len());
    // pest gives up before it runs out of stack (or past its call limit).
    if let pest::error::ErrorVariant::CustomError { message } = &e.variant {
        if message.ends_with("limit reached") {
            return nested_too_deeply(file, text, pos);
        }
    }
    let rest = text.get(pos..).unwrap_or("");
    if rest.starts_with('"') && !has_closing_quote(rest.get(1..).unwrap_or("")) {
        let diagnostic = Diagnostic::error(
            crate::diagnostic::Code::Syntax,
            "the quoted text that starts here is never closed",
        )
        .with_label(Span::new(file, pos, pos + 1), "opened here")
        .with_help(
            "end the text with a double quote `\"`; a quote inside a text is written `\\\"`",
        );
        return ParseError {
            diagnostic,
            incomplete: true,
        };
    }
    let rest_is_blank = only_blank_or_comments(rest);
    let scan = scan_before(text, pos);
    let (expected, _) = match &e.variant {
        pest::error::ErrorVariant::ParsingError {
            positives,
            negatives,
        } => (describe_expected(positives), negatives.len()),
        pest::error::ErrorVariant::CustomError { message } => (message.clone(), 0),
    };
    let found = describe_found(text, pos);
    let (message, span, label) = if rest_is_blank {
        let message =
            format!("the text stops before the statement is finished: expected {expected}");
        // Past the end there is nothing to point at (and after a final line break, only a
        // line that is not shown): point at the last thing written instead.
        match prev_char_start(text, scan.written_end) {
            Some(last) => (
                message,
                Span::new(file, last, scan.written_end),
                format!("expected {expected} after this"),
            ),
            None => (
                message,
                Span::new(file, pos, pos),
                format!("expected {expected} here"),
            ),
        }
    } else {
        (
            format!("expected {expected}, found {found}"),
            Span::new(file, pos, next_char_boundary(text, pos)),
            format!("expected {expected} here"),
        )
    };
    let mut diagnostic =
        Diagnostic::error(crate::diagnostic::Code::Syntax, message).with_label(span, label);
    // A text left open at the end of a line runs on to the next quote, which was meant to
    // open another text; what was meant to be inside that one is then read as words.
    if let Some((open, close)) = runaway_text(text, pos, &scan, rest_is_blank) {
        let diagnostic = diagnostic
            .with_label(
                Span::new(file, open, open + 1),
                "this text starts here and runs past the end of its line",
            )
            .with_label(
                Span::new(file, close - 1, close),
                "it ends only at this quote",
            )
            .with_help(
                "close the text with `\"` on the same line (a text may run over several lines, \
                 but then it ends only at the next `\"`)",
            );
        return ParseError {
            diagnostic,
            incomplete: false,
        };
    }
    // A full stop forgotten at the end of a line is found only on the next line: point back.
    let wants_dot = matches!(&e.variant, pest::error::ErrorVariant::ParsingError { positives, .. } if positives.contains(&Rule::dot));
    let prev_end = scan.written_end;
    if wants_dot
        && !rest_is_blank
        && text
            .get(prev_end..pos)
            .is_some_and(|gap| gap.contains('\n'))
    {
        diagnostic = diagnostic.with_label(
            Span::new(file, prev_end, prev_end),
            "did the statement end here? it needs a `.`",
        );
    }
    let help_at = if rest_is_blank { scan.written_end } else { pos };
    let diagnostic = diagnostic.with_help(syntax_help(text, help_at, &e.variant));
    ParseError {
        diagnostic,
        incomplete: rest_is_blank,
    }
}

/// What precedes a position, read as the grammar reads it (spaces, comments, quoted texts).
struct Scan {
    /// The end of the last thing written: not a space, a line break or a comment.
    written_end: usize,
    /// The last quoted text closed before the position: its opening and closing quotes
    /// (byte offset of the opening quote, offset just past the closing one).
    last_text: Option<(usize, usize)>,
}

fn scan_before(text: &str, pos: usize) -> Scan {
    enum State {
        Code,
        Comment,
        Text { start: usize, escaped: bool },
    }
    let mut state = State::Code;
    let mut scan = Scan {
        written_end: 0,
        last_text: None,
    };
    for (i, c) in text.get(..pos).unwrap_or(text).char_indices() {
        let after = i + c.len_utf8();
        state = match state {
            State::Code => match c {
                '#' => State::Comment,
                ' ' | '\t' | '\r' | '\n' | '\u{FEFF}' | '\u{A0}' => State::Code,
                '"' => {
                    scan.written_end = after;
                    State::Text {
                        start: i,
                        escaped: false,
                    }
                }
                _ => {
                    scan.written_end = after;
                    State::Code
                }
            },
            State::Comment if c == '\n' => State::Code,
            State::Comment => State::Comment,
            State::Text { start, escaped } => {
                scan.written_end = after;
                match c {
                    '"' if !escaped => {
                        scan.last_text = Some((start, after));
                        State::Code
                    }
                    '\\' if !escaped => State::Text {
                        start,
                        escaped: true,
                    },
                    _ => State::Text {
                        start,
                        escaped: false,
                    },
                }
            }
        };
    }
    scan
}

/// A text that seems to have lost its closing quote: it runs over a line break, and the parse
/// fails after it on the line where it ends (on what was meant to be inside the next text).
/// Texts may legally span lines, so one that is followed by a correct line, or by nothing but
/// the end of the file, is not blamed. Returns the offsets of its opening quote and just past
/// its closing one.
fn runaway_text(
    text: &str,
    pos: usize,
    scan: &Scan,
    rest_is_blank: bool,
) -> Option<(usize, usize)> {
    let (open, close) = scan.last_text?;
    let spans_lines = text.get(open..close).is_some_and(|t| t.contains('\n'));
    let same_line = text.get(close..pos).is_some_and(|gap| !gap.contains('\n'));
    (spans_lines && same_line && !rest_is_blank).then_some((open, close))
}

fn prev_char_start(text: &str, end: usize) -> Option<usize> {
    text.get(..end)
        .and_then(|s| s.chars().next_back())
        .map(|c| end - c.len_utf8())
}

fn has_closing_quote(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

fn next_char_boundary(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|s| s.chars().next())
        .map(|c| pos + c.len_utf8())
        .unwrap_or(pos)
}

fn only_blank_or_comments(rest: &str) -> bool {
    rest.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

fn describe_found(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        return format!("`{word}`");
    }
    match rest.chars().next() {
        None => "the end of the text".to_string(),
        Some('\n') => "the end of the line".to_string(),
        // Invisible characters (a NUL byte of a binary file, say) are named, not printed.
        Some(c) if crate::diagnostic::is_invisible(c) => {
            format!("the invisible character U+{:04X}", u32::from(c))
        }
        Some(c) => format!("`{c}`"),
    }
}

fn syntax_help(text: &str, pos: usize, variant: &pest::error::ErrorVariant<Rule>) -> String {
    let wants_name = matches!(variant, pest::error::ErrorVariant::ParsingError { positives, .. } if positives.contains(&Rule::name));
    let before = text.get(..pos).unwrap_or("").trim_end();
    let rest = text.get(pos..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if KEYWORDS.contains(&word.as_str()) && wants_name {
        return format!(
            "`{word}` is a reserved word of the language; choose another name, such as `{word}_`"
        );
    }
    if rest.starts_with(|c: char| c.is_ascii_uppercase()) && before.ends_with('(') {
        return "names of things (constants) are written in lower case, like `russia`; words with a capital letter are variables, allowed in rules and questions only".to_string();
    }
    if before.ends_with(')') {
        return "every statement ends with a full stop `.`; rule conditions are joined with `and` / `or`".to_string();
    }
    if rest.starts_with('\'') {
        return "quote texts with double quotes: \"like this\"".to_string();
    }
    "see docs/language.md for the shape of each statement; a fact looks like `organ_of(gru, russia).`".to_string()
}

/// Names what the parser wanted in words a reader of the language knows.
fn describe_expected(rules: &[Rule]) -> String {
    let statement_starts = [
        Rule::k_source,
        Rule::k_type,
        Rule::k_predicate,
        Rule::k_rule,
        Rule::k_position,
    ];
    let mut words: Vec<&'static str> = Vec::new();
    let starts_statement = rules
        .iter()
        .filter(|r| statement_starts.contains(r))
        .count()
        >= 3;
    if starts_statement {
        words.push("a statement (a fact, a rule or a declaration)");
    }
    for r in rules {
        if starts_statement
            && (statement_starts.contains(r)
                || matches!(
                    r,
                    Rule::k_import | Rule::k_expect | Rule::k_not | Rule::k_unknown | Rule::name
                ))
        {
            continue;
        }
        let w = rule_words(*r);
        if !words.contains(&w) {
            words.push(w);
        }
    }
    match words.len() {
        0 => "something else".to_string(),
        1 => words.join(""),
        n => {
            let (first, last) = words.split_at(n - 1);
            format!("{} or {}", first.join(", "), last.join(""))
        }
    }
}

fn rule_words(r: Rule) -> &'static str {
    match r {
        Rule::EOI => "the end of the text",
        Rule::dot => "`.`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::equals => "`=`",
        Rule::less => "`<`",
        Rule::bar => "`|`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::name => "a name in lower case (like `organ_of` or `russia`)",
        Rule::variable => "a variable (capitalised, like `Op`)",
        Rule::type_name => "a type name (capitalised, like `State`)",
        Rule::text => "a quoted text",
        Rule::term => "a name, a variable or a quoted text",
        Rule::atom => "a statement about something, like `state(x)`",
        Rule::formula | Rule::conjunction | Rule::unary => "a condition",
        Rule::cmp_op => "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::value => "`true`, `false` or `unknown`",
        Rule::truth => "`true` or `false`",
        Rule::marker => "`closed` or `functional`",
        Rule::slot => "a slot such as `state: State`",
        Rule::k_source => "`source`",
        Rule::k_import => "`import`",
        Rule::k_type => "`type`",
        Rule::k_from => "`from`",
        Rule::k_predicate => "`predicate`",
        Rule::k_closed => "`closed`",
        Rule::k_functional => "`functional`",
        Rule::k_means => "`means`",
        Rule::k_cites => "`cites`",
        Rule::k_note => "`note`",
        Rule::k_rule => "`rule`",
        Rule::k_if => "`if`",
        Rule::k_unless => "`unless`",
        Rule::k_and => "`and`",
        Rule::k_or => "`or`",
        Rule::k_not => "`not`",
        Rule::k_unknown => "`unknown`",
        Rule::k_unsettled => "`unsettled`",
        Rule::k_position => "`position`",
        Rule::k_default => "`default`",
        Rule::k_extends => "`extends`",
        Rule::k_replace => "`replace`",
        Rule::k_withdraw => "`withdraw`",
        Rule::k_affirm => "`affirm`",
        Rule::k_settle => "`settle`",
        Rule::k_true => "`true`",
        Rule::k_false => "`false`",
        Rule::k_expect => "`expect`",
        Rule::k_under => "`under`",
        _ => "something else",
    }
}

/// Every reserved word of the language (they cannot be used as names).
pub const KEYWORDS: &[&str] = &[
    "source",
    "type",
    "predicate",
    "rule",
    "position",
    "import",
    "expect",
    "under",
    "not",
    "unknown",
    "and",
    "or",
    "if",
    "unless",
    "cites",
    "means",
    "closed",
    "functional",
    "extends",
    "default",
    "replace",
    "withdraw",
    "settle",
    "affirm",
    "note",
    "from",
    "true",
    "false",
    "unsettled",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ParseError {
        parse_file(FileId(0), text).expect_err(text)
    }

    fn labels(e: &ParseError) -> Vec<(&str, u32, u32)> {
        e.diagnostic
            .labels
            .iter()
            .map(|l| (l.text.as_str(), l.span.start, l.span.end))
            .collect()
    }

    #[test]
    fn texts_may_span_lines() {
        let file = parse_file(FileId(0), "source s \"first line\nsecond line\".").unwrap();
        assert_eq!(file.statements.len(), 1);
    }

    #[test]
    fn a_text_that_swallows_a_line_break_is_pointed_at() {
        let text = "predicate p(x: T) means \"p.\npredicate q(x: T) means \"q\".\n";
        let e = error(text);
        assert!(!e.incomplete);
        let open = text.find('"').unwrap() as u32;
        let close = text.rfind("\"q").unwrap() as u32;
        assert_eq!(
            labels(&e),
            [
                ("expected `cites`, `note` or `.` here", close + 1, close + 2),
                (
                    "this text starts here and runs past the end of its line",
                    open,
                    open + 1
                ),
                ("it ends only at this quote", close, close + 1),
            ]
        );
        assert!(e.diagnostic.help.unwrap().starts_with("close the text"));
    }

    #[test]
    fn a_text_spanning_lines_on_purpose_gets_no_hint() {
        // The error is not right after the text.
        let e = error("source s \"first\nsecond\".\nstate(a) state(b).");
        assert!(!e.diagnostic.message.contains("text"), "{e:?}");
        assert_eq!(e.diagnostic.labels.len(), 1);
        // The statement is merely unfinished.
        let e = error("source s \"first\nsecond\"");
        assert!(e.incomplete);
        assert_eq!(e.diagnostic.labels.len(), 1);
        assert!(!e.diagnostic.help.unwrap().starts_with("close the text"));
    }

    #[test]
    fn an_unfinished_statement_is_pointed_at_its_last_character() {
        for text in [
            "state(norland). operation(op_x",
            "state(norland). operation(op_x\n",
            "state(norland).\r\noperation(op_x\r\n",
            "state(norland).\noperation(op_x # \"a comment\"\n\n# another\n",
        ] {
            let e = error(text);
            assert!(e.incomplete, "{text:?}");
            let x = text.find("x").unwrap() as u32;
            assert_eq!(
                labels(&e),
                [("expected `,` or `)` after this", x, x + 1)],
                "{text:?}"
            );
            assert!(e.diagnostic.help.is_some());
        }
    }

    #[test]
    fn a_forgotten_full_stop_is_pointed_at_before_a_comment() {
        let text = "state(a) # the victim\nstate(b).";
        let e = error(text);
        let after_a = text.find(')').unwrap() as u32 + 1;
        assert!(labels(&e).contains(&(
            "did the statement end here? it needs a `.`",
            after_a,
            after_a
        )));
    }

    #[test]
    fn a_text_never_closed_is_still_reported_where_it_opens() {
        let e = error("source uk \"United Kingdom.\n");
        assert!(e.incomplete);
        assert_eq!(
            e.diagnostic.message,
            "the quoted text that starts here is never closed"
        );
    }
}
