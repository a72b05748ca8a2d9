//! The parser: text → owned syntax tree, through the pest grammar
//! (`grammar/opinio.pest`). pest types stay inside this module: [`parse_file`] and
//! [`parse_query`] give syntax trees or a [`ParseError`].
//!
//! The lowering from pest pairs is split by what is lowered: statements, formulas (with atoms
//! and terms), quoted texts; syntax errors are translated into diagnostics apart.

mod errors;
mod fast;
mod formulas;
mod statements;
mod texts;

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use errors::{nested_too_deeply, syntax_error, Reading};
use formulas::atom;
use pest::Parser as _;
use statements::statement;
use texts::unknown_escape;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/opinio.pest"]
struct OpinioParser;

/// The outcome of a failed parse: the diagnostic, and whether the text merely stopped early
/// (the REPL then waits for more lines instead of reporting an error).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{diagnostic}")]
pub struct ParseError {
    /// What is wrong and where (code `Syntax`, `UnknownEscape` or `TooDeep`).
    pub diagnostic: Diagnostic,
    /// The text stopped before its last statement was finished (more lines may complete it).
    pub incomplete: bool,
}

/// Parses a whole file (knowledge or scenario).
pub fn parse_file(file: FileId, text: &str) -> Result<File, ParseError> {
    // Plain facts (every scenario a program writes) are read without the grammar: the same
    // tree, several times faster.
    match fast::plain_facts(file, text) {
        Some(f) => Ok(f),
        None => parse_file_with_grammar(file, text),
    }
}

/// [`parse_file`] through the pest grammar.
fn parse_file_with_grammar(file: FileId, text: &str) -> Result<File, ParseError> {
    let mut pairs = OpinioParser::parse(Rule::file, text)
        .map_err(|e| syntax_error(file, text, e, Reading::File))?;
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
    match fast::plain_atom(file, text) {
        Some(a) => Ok(a),
        None => parse_query_with_grammar(file, text),
    }
}

/// Parses a question asked at the command line or in the session: as [`parse_query`], and
/// a `?` may also start or end it (`state(X)?`), as people write a question. A fact is
/// never read this way: `state(x)?` states nothing.
pub fn parse_question(file: FileId, text: &str) -> Result<Atom, ParseError> {
    match fast::plain_question(file, text) {
        Some(a) => Ok(a),
        None => parse_goal_with_grammar(Rule::question, file, text),
    }
}

/// [`parse_query`] through the pest grammar.
fn parse_query_with_grammar(file: FileId, text: &str) -> Result<Atom, ParseError> {
    parse_goal_with_grammar(Rule::query, file, text)
}

/// One atom read by `rule` (`query` or `question`) through the pest grammar.
fn parse_goal_with_grammar(rule: Rule, file: FileId, text: &str) -> Result<Atom, ParseError> {
    let reading = if rule == Rule::question {
        Reading::Asked
    } else {
        Reading::Question
    };
    // Nothing asked (`''`, `?`): said plainly, rather than "the text stops before the
    // statement is finished" over an empty box.
    if text.trim().trim_matches(['?', '.']).trim().is_empty() {
        return Err(ParseError {
            // No label: an empty text would be shown as an empty box.
            diagnostic: Diagnostic::error(crate::diagnostic::Code::Syntax, "the question is empty")
                .with_help("write the statement you ask about, like `state(russia)` or `violates_sovereignty(notpetya, ukraine)`"),
            incomplete: false,
        });
    }
    let mut pairs =
        OpinioParser::parse(rule, text).map_err(|e| syntax_error(file, text, e, reading))?;
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
                (
                    "expected `cites`, `note`, `reads` or `.` here",
                    close + 1,
                    close + 2
                ),
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
