//! Quoted texts: their value with the escapes (`\"`, `\\`, `\n`, `\t`) resolved, and the
//! check that refuses any other escape instead of dropping it silently.

use super::statements::span_of;
use super::{ParseError, Rule};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Name, Reading, ReadingPart, Text};
use pest::iterators::Pair;

pub(super) fn text_of(file: FileId, p: Pair<Rule>) -> Text {
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

/// A `reads` template: the text, cut into words and `{slot}` placeholders, each placeholder
/// and each brace that belongs to none with its place in the file. Braces cannot be escaped,
/// so they are found in the text as written; the words between them have their escapes
/// resolved.
pub(super) fn reading_of(file: FileId, p: Pair<Rule>) -> Reading {
    let text = text_of(file, p.clone());
    let raw = p.as_str();
    // The offset of the text's first character after the opening quote.
    let base = p.as_span().start() + 1;
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut parts = Vec::new();
    let mut stray_braces = Vec::new();
    let mut words = String::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => words.push('\n'),
                Some('t') => words.push('\t'),
                Some(other) => words.push(other),
                None => {}
            },
            '{' => {
                // The placeholder runs to the next `}`, unless another `{` (or the end of the
                // text) comes first: then this brace opens nothing.
                let rest = inner.get(i + 1..).unwrap_or("");
                let close = rest
                    .find(['{', '}'])
                    .filter(|&j| rest.as_bytes().get(j) == Some(&b'}'));
                match close {
                    Some(j) => {
                        if !words.is_empty() {
                            parts.push(ReadingPart::Words(std::mem::take(&mut words)));
                        }
                        let name = rest.get(..j).unwrap_or("").to_string();
                        let end = i + 1 + j + 1;
                        parts.push(ReadingPart::Slot(Name {
                            text: name,
                            span: Span::new(file, base + i, base + end),
                        }));
                        while chars.peek().is_some_and(|&(k, _)| k < end) {
                            chars.next();
                        }
                    }
                    None => {
                        stray_braces.push(Span::new(file, base + i, base + i + 1));
                        words.push(ch);
                    }
                }
            }
            '}' => {
                stray_braces.push(Span::new(file, base + i, base + i + 1));
                words.push(ch);
            }
            _ => words.push(ch),
        }
    }
    if !words.is_empty() {
        parts.push(ReadingPart::Words(words));
    }
    Reading {
        text,
        parts,
        stray_braces,
    }
}

/// The escapes a quoted text may hold: `\"`, `\\`, `\n` and `\t` (`docs/language.md`).
const ESCAPES: &[char] = &['"', '\\', 'n', 't'];

/// The first escape in a quoted text that the language does not know (`"a\qb"`), as an
/// error: it used to be dropped silently (`aqb`).
pub(super) fn unknown_escape(
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
