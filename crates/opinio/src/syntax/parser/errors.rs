//! Syntax errors in the reader's words: where the parse stopped, what it found there and what
//! it expected, in the language's terms; whether the text merely stopped early (the REPL then
//! waits for more lines); and hints for the usual slips (a forgotten `.`, a quoted text never
//! closed, one that swallowed a line break).

use super::{OpinioParser, ParseError, Rule, KEYWORDS, MAX_NESTING};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use pest::Parser as _;

pub(super) fn nested_too_deeply(file: FileId, text: &str, pos: usize) -> ParseError {
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

/// What was being read when the parse stopped: a file (knowledge or scenario) or a question
/// (`opinio query`, `?` in the interactive session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    File,
    /// A goal or a fact read as one atom (`parse_query`: a final `.` allowed).
    Question,
    /// A question asked (`parse_question`): a `?` may also start or end it.
    Asked,
}

pub(super) fn syntax_error(
    file: FileId,
    text: &str,
    e: pest::error::Error<Rule>,
    reading: Reading,
) -> ParseError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let pos = pos.min(text.len());
    // pest gives up before it runs out of stack (or past its call limit), and says so only
    // in words: its own message is the one thing there is to match on.
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
    let positives: &[Rule] = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives,
        pest::error::ErrorVariant::CustomError { .. } => &[],
    };
    if let Some(diagnostic) = usual_slip(file, text, pos, positives, reading) {
        return ParseError {
            diagnostic,
            incomplete: false,
        };
    }
    let rest_is_blank = only_blank_or_comments(rest);
    let scan = scan_before(text, pos);
    let expected = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        pest::error::ErrorVariant::CustomError { message } => Some(message.clone()),
    };
    let found = describe_found(text, pos);
    let (message, span, label) = expected_found(
        file,
        text,
        pos,
        &scan,
        rest_is_blank,
        expected.as_deref(),
        &found,
    );
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
    let wants_dot = positives.contains(&Rule::dot);
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
    let diagnostic = diagnostic.with_help(syntax_help(text, help_at, positives, reading));
    ParseError {
        diagnostic,
        incomplete: rest_is_blank,
    }
}

/// The message, span and label of "expected …, found …" (or, at the end of the text, of a
/// statement left unfinished). Without anything the reader would recognise as expected, they
/// say what cannot stand there.
fn expected_found(
    file: FileId,
    text: &str,
    pos: usize,
    scan: &Scan,
    rest_is_blank: bool,
    expected: Option<&str>,
    found: &str,
) -> (String, Span, String) {
    if rest_is_blank {
        let (message, after, here) = match expected {
            Some(expected) => (
                format!("the text stops before the statement is finished: expected {expected}"),
                format!("expected {expected} after this"),
                format!("expected {expected} here"),
            ),
            None => (
                "the text stops before the statement is finished".to_string(),
                "the statement is not finished after this".to_string(),
                "the statement is not finished".to_string(),
            ),
        };
        // Past the end there is nothing to point at (and after a final line break, only a
        // line that is not shown): point at the last thing written instead.
        match prev_char_start(text, scan.written_end) {
            Some(last) => (message, Span::new(file, last, scan.written_end), after),
            None => (message, Span::new(file, pos, pos), here),
        }
    } else {
        let span = Span::new(file, pos, next_char_boundary(text, pos));
        match expected {
            Some(expected) => (
                format!("expected {expected}, found {found}"),
                span,
                format!("expected {expected} here"),
            ),
            None => (
                format!("{found} cannot stand here"),
                span,
                "not expected here".to_string(),
            ),
        }
    }
}

/// Slips with a message of their own: a question or an expectation that starts with `not`
/// (or `unknown`), a question made of two joined by `and` / `or`, a `?` question written
/// in a file.
fn usual_slip(
    file: FileId,
    text: &str,
    pos: usize,
    positives: &[Rule],
    reading: Reading,
) -> Option<Diagnostic> {
    let rest = text.get(pos..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let word_span = Span::new(file, pos, pos + word.len());
    let before = text.get(..pos).unwrap_or("");
    let syntax = crate::diagnostic::Code::Syntax;
    match (reading, word.as_str()) {
        (Reading::Question | Reading::Asked, "not" | "unknown") if before.trim().is_empty() => {
            let value = if word == "not" { "false" } else { "unknown" };
            let atom = atom_after(text, pos + word.len());
            let ask = atom.map_or_else(
                || format!("ask the question without `{word}`"),
                |(a, _)| format!("ask `{a}`"),
            );
            Some(
                Diagnostic::error(
                    syntax,
                    format!(
                        "a question asks about one statement, without `{word}`: its answer says whether the statement is true, false or unknown"
                    ),
                )
                .with_label(word_span, format!("leave out `{word}`"))
                .with_help(format!("{ask} and read whether the answer is {value}")),
            )
        }
        (Reading::Question | Reading::Asked, "and" | "or")
            if positives.contains(&Rule::EOI) || positives.contains(&Rule::dot) =>
        {
            let first = before.trim().trim_end_matches('.').trim_end();
            let second = atom_after(text, pos + word.len())
                .filter(|(_, end)| {
                    text.get(*end..)
                        .is_some_and(|r| r.trim().trim_start_matches('.').trim().is_empty())
                })
                .map(|(a, _)| a);
            let one_at_a_time = match second {
                Some(second) => format!("ask `{first}`, then `{second}`"),
                None => format!("ask `{first}`, then each of the others"),
            };
            let joined = if word == "and" {
                "both hold at once"
            } else {
                "either holds"
            };
            Some(
                Diagnostic::error(
                    syntax,
                    format!(
                        "a question asks about one statement at a time; it cannot join two with `{word}`"
                    ),
                )
                .with_label(word_span, "a second statement starts here")
                .with_help(format!(
                    "{one_at_a_time}; to ask whether {joined}, write a rule in a file that concludes a predicate of your own from them, and ask about that predicate"
                )),
            )
        }
        (Reading::File, "not" | "unknown") => {
            let prefix = expect_prefix(before)?;
            let atom = atom_after(text, pos + word.len());
            let written = atom
                .and_then(|(_, end)| text.get(end..))
                .and_then(|r| r.trim_start().strip_prefix('='))
                .map(|r| {
                    r.trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect::<String>()
                });
            let value = match (word.as_str(), written.as_deref()) {
                ("not", Some("false")) => "true",
                ("not", Some("unknown")) | ("unknown", _) => "unknown",
                _ => "false",
            };
            Some(
                Diagnostic::error(
                    syntax,
                    format!(
                        "an expectation is about one statement, without `{word}`: the value after `=` says whether the statement is expected to be true, false or unknown"
                    ),
                )
                .with_label(word_span, format!("leave out `{word}`"))
                .with_help(match atom {
                    Some((atom, _)) => format!("write `{prefix} {atom} = {value}.`"),
                    None => format!(
                        "write the statement without `{word}`, then the value it should have: `{prefix} state(a) = {value}.`"
                    ),
                }),
            )
        }
        // `expect ATOM = VALUE under P.`: the position was put last.
        (Reading::File, "under") => {
            let statement = before.rsplit_once('.').map_or(before, |(_, s)| s).trim();
            let (atom, value) = statement.strip_prefix("expect ")?.split_once('=')?;
            let after = text.get(pos + word.len()..).unwrap_or("");
            let position: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let position = if position.is_empty() {
                "POSITION".to_string()
            } else {
                position
            };
            Some(
                Diagnostic::error(
                    syntax,
                    "in an expectation, the position comes right after `expect`, before the statement",
                )
                .with_label(word_span, "move this to the front")
                .with_help(format!(
                    "write `expect under {position} {} = {}.`",
                    atom.trim(),
                    value.trim()
                )),
            )
        }
        (Reading::File, _) if rest.starts_with('?') && starts_statement(positives) => {
            let atom = atom_after(text, pos + 1).map_or("state(a)", |(a, _)| a);
            Some(
                Diagnostic::error(
                    syntax,
                    "a file cannot ask a question with `?`: questions are asked in the interactive session or with `opinio query`",
                )
                .with_label(Span::new(file, pos, pos + 1), "a question starts here")
                .with_help(format!(
                    "ask questions in the interactive session (`? {atom}`) or with `opinio query -s FILE '{atom}'`; in a file, write the answer you expect: `expect {atom} = true.`"
                )),
            )
        }
        _ => None,
    }
}

/// The statement that starts after `from` (spaces skipped), as written, and where it ends.
fn atom_after(text: &str, from: usize) -> Option<(&str, usize)> {
    let rest = text.get(from..)?;
    let start = from + (rest.len() - rest.trim_start().len());
    let tail = text.get(start..)?;
    let pair = OpinioParser::parse(Rule::atom, tail).ok()?.next()?;
    let end = start + pair.as_span().end();
    let atom = text.get(start..end)?;
    // A statement spread over several lines is not quoted back.
    (!atom.contains('\n')).then_some((atom, end))
}

/// `expect` or `expect under POSITION` right before the end of `before` (spaces between),
/// as the reader would write it again.
fn expect_prefix(before: &str) -> Option<String> {
    // The last word of a text and what precedes it (words are ASCII: the cut is a boundary).
    fn last_word(s: &str) -> (&str, &str) {
        let s = s.trim_end();
        let n = s
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        s.split_at(s.len() - n)
    }
    let (head, last) = last_word(before);
    if last == "expect" {
        return Some("expect".to_string());
    }
    let (head, under) = last_word(head);
    let (_, expect) = last_word(head);
    (!last.is_empty() && under == "under" && expect == "expect")
        .then(|| format!("expect under {last}"))
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
    // In `türkiye` the grammar stops at `ü`: show the whole word the reader typed, not
    // `ürkiye`.
    if rest.starts_with(|c: char| c.is_alphanumeric() && !c.is_ascii()) {
        let head = name_head(text, pos);
        return format!("`{head}{word}`");
    }
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

/// The plain-letter start of the name that runs into `pos` (`t` of `türkiye`), if any.
fn name_head(text: &str, pos: usize) -> &str {
    let before = text.get(..pos).unwrap_or("");
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(pos, |(i, _)| i);
    text.get(start..pos).unwrap_or("")
}

fn syntax_help(text: &str, pos: usize, positives: &[Rule], reading: Reading) -> String {
    let wants_name = positives.contains(&Rule::name);
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
    let asked_and_ended = reading == Reading::Asked && before.ends_with(['?', '.']);
    if before.ends_with(')') || asked_and_ended {
        return match reading {
            Reading::Asked => "a question is one statement, like `state(russia)` (a final `.` or `?` is allowed): ask several one at a time".to_string(),
            Reading::Question => "a question is one statement, like `state(russia)` (a final `.` is allowed): ask several one at a time".to_string(),
            Reading::File => "every statement ends with a full stop `.`; rule conditions are joined with `and` / `or`".to_string(),
        };
    }
    if rest.starts_with('\'') {
        return "quote texts with double quotes: \"like this\"".to_string();
    }
    if rest.starts_with(|c: char| c.is_alphanumeric() && !c.is_ascii()) {
        let head = name_head(text, pos);
        return format!(
            "a name is written with the letters a-z, digits and `_`; a name with other letters goes in double quotes: `\"{head}{word}\"`"
        );
    }
    match reading {
        Reading::Question | Reading::Asked => "a question is one statement, like `state(russia)` or `attributable(Op, russia)`".to_string(),
        Reading::File => "see docs/language.md for the shape of each statement; a fact looks like `organ_of(gru, russia).`".to_string(),
    }
}

/// Whether the parser wanted a new statement (three statement keywords or more among what it
/// expected).
fn starts_statement(rules: &[Rule]) -> bool {
    rules
        .iter()
        .filter(|r| STATEMENT_STARTS.contains(r))
        .count()
        >= 3
}

const STATEMENT_STARTS: [Rule; 5] = [
    Rule::k_source,
    Rule::k_type,
    Rule::k_predicate,
    Rule::k_rule,
    Rule::k_position,
];

/// Names what the parser wanted in words a reader of the language knows; `None` when it
/// wanted nothing a reader would recognise.
fn describe_expected(rules: &[Rule]) -> Option<String> {
    let mut words: Vec<&'static str> = Vec::new();
    let starts_statement = starts_statement(rules);
    if starts_statement {
        words.push("a statement (a fact, a rule or a declaration)");
    }
    for r in rules {
        if starts_statement
            && (STATEMENT_STARTS.contains(r)
                || matches!(
                    r,
                    Rule::k_import
                        | Rule::k_expect
                        | Rule::k_not
                        | Rule::k_unknown
                        | Rule::k_unsettled
                        | Rule::name
                        | Rule::fact_stmt
                        | Rule::expect_stmt
                ))
        {
            continue;
        }
        // What has no words of its own (the grammar's inner rules) is left out rather
        // than named vaguely.
        let Some(w) = rule_words(*r) else { continue };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    match words.len() {
        0 => None,
        1 => Some(words.join("")),
        n => {
            let (first, last) = words.split_at(n - 1);
            Some(format!("{} or {}", first.join(", "), last.join("")))
        }
    }
}

fn rule_words(r: Rule) -> Option<&'static str> {
    Some(match r {
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
        Rule::qmark => "`?`",
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
        Rule::k_reads => "`reads`",
        Rule::k_titled => "`titled`",
        Rule::reading => "`reads`",
        Rule::k_dated | Rule::dated => "`dated`",
        Rule::k_unverified => "`unverified`",
        Rule::date => "a date (like `2017-06-27`)",
        Rule::fact_stmt => "a fact",
        Rule::expect_stmt => "an expectation (`expect …`)",
        Rule::citation => "the name of a source",
        Rule::note => "`note`",
        Rule::meaning => "`means`",
        Rule::citations => "`cites`",
        Rule::extends => "`extends`",
        Rule::negation => "`not`",
        Rule::group => "`(`",
        _ => return None,
    })
}
