//! The language tools: text → spanned syntax tree, and what tools built on the language need.
//!
//! - [`parse_file`], [`parse_query`]: text → [`ast::File`] / [`ast::Atom`] (the grammar is
//!   `grammar/opinio.pest`, the guide `docs/language.md`); pest never appears outside this
//!   module.
//! - [`ast`]: the owned syntax tree, every node with its [`span::Span`].
//! - [`symbols`]: where each name is defined and used (go to definition, find references).
//! - [`names`]: names a reader cannot tell apart (look-alike characters).
//! - [`quote_if_needed`]: the one quoting rule, read back by the parser for every string.
//! - [`dump`]: a stable text form of a tree, for tests.
//!
//! The fuzz targets, the reference evaluator of the tests, the formatter and the REPL's
//! highlighter use this module; the checker turns its trees into a program.

pub mod ast;
pub mod names;
mod parser;
pub mod symbols;
/// Files and byte ranges (re-exported from [`crate::source`], where they live so that
/// diagnostics need not depend on the syntax).
pub use crate::source as span;

pub use names::look_alike_names;
pub use parser::{parse_file, parse_query, parse_question, ParseError, KEYWORDS, MAX_NESTING};

use ast::*;
use std::fmt::Write as _;

/// A compact, stable rendering of a syntax tree, one statement per line (for tests and
/// for `opinio parse`-style debugging). Spans are left out.
pub fn dump(file: &File) -> String {
    let mut out = String::new();
    for s in &file.statements {
        out.push_str(&dump_statement(s));
        out.push('\n');
    }
    out
}

/// One statement as an S-expression-like line (see [`dump`]).
pub fn dump_statement(s: &Statement) -> String {
    let mut o = String::new();
    match s {
        Statement::Source(d) => {
            let _ = write!(o, "(source {} {:?}", d.name.text, d.title.value);
            if let Some(date) = &d.date {
                let _ = write!(o, " (dated {})", date.text);
            }
            o.push(')');
        }
        Statement::Import(d) => {
            let _ = write!(o, "(import {:?})", d.path.value);
        }
        Statement::Type(d) => {
            let body = match &d.body {
                TypeBody::Open => String::new(),
                TypeBody::Ordered(v) => format!(" (< {})", join_names(v)),
                TypeBody::Enumerated(v) => format!(" (| {})", join_names(v)),
                TypeBody::From(n) => format!(" (from {})", n.text),
            };
            let _ = write!(o, "(type {}{body})", d.name.text);
        }
        Statement::Predicate(d) => {
            let slots: Vec<String> = d
                .slots
                .iter()
                .map(|s| format!("{}:{}", s.name.text, s.ty.text))
                .collect();
            let _ = write!(o, "(predicate {} [{}]", d.name.text, slots.join(" "));
            if d.closed.is_some() {
                o.push_str(" closed");
            }
            if d.functional.is_some() {
                o.push_str(" functional");
            }
            if let Some(m) = &d.meaning {
                let _ = write!(o, " (means {:?})", m.value);
            }
            if let Some(r) = &d.reading {
                let _ = write!(o, " (reads {:?})", r.text.value);
            }
            o.push_str(&dump_citations(&d.citations));
            for n in &d.notes {
                let _ = write!(o, " (note {:?})", n.value);
            }
            o.push(')');
        }
        Statement::PointTitle(t) => {
            let _ = write!(
                o,
                "(unsettled {} (titled {:?}))",
                t.point.text, t.title.value
            );
        }
        Statement::Rule(r) => o.push_str(&dump_rule("rule", r)),
        Statement::Position(p) => {
            let _ = write!(o, "(position {}", p.name.text);
            if p.is_default.is_some() {
                o.push_str(" default");
            }
            if let Some(e) = &p.extends {
                let _ = write!(o, " (extends {})", e.text);
            }
            if let Some(m) = &p.meaning {
                let _ = write!(o, " (means {:?})", m.value);
            }
            o.push_str(&dump_citations(&p.citations));
            for item in &p.items {
                o.push(' ');
                match item {
                    PositionItem::Add(r) => o.push_str(&dump_rule("rule", r)),
                    PositionItem::Replace(r) => o.push_str(&dump_rule("replace", r)),
                    PositionItem::Withdraw {
                        rule, citations, ..
                    } => {
                        let _ = write!(o, "(withdraw {}{})", rule.text, dump_citations(citations));
                    }
                    PositionItem::Affirm {
                        target, citations, ..
                    } => {
                        let _ = write!(o, "(affirm {}{})", target.text, dump_citations(citations));
                    }
                    PositionItem::Unverified {
                        names, citations, ..
                    } => {
                        let list: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
                        let _ = write!(
                            o,
                            "(unverified {}{})",
                            list.join(" "),
                            dump_citations(citations)
                        );
                    }
                    PositionItem::Settle {
                        point,
                        value,
                        citations,
                        ..
                    } => {
                        let _ = write!(
                            o,
                            "(settle {} {value}{})",
                            point.text,
                            dump_citations(citations)
                        );
                    }
                }
            }
            o.push(')');
        }
        Statement::Fact(f) => {
            let _ = write!(o, "(fact {} {})", f.value.as_str(), dump_atom(&f.atom));
        }
        Statement::Expect(e) => {
            let under = e
                .position
                .as_ref()
                .map(|p| format!(" under {}", p.text))
                .unwrap_or_default();
            let _ = write!(
                o,
                "(expect{under} {} {})",
                dump_atom(&e.goal),
                e.value.as_str()
            );
        }
    }
    o
}

fn join_names(v: &[Name]) -> String {
    v.iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn dump_citations(c: &[Citation]) -> String {
    c.iter()
        .map(|c| match &c.pinpoint {
            Some(p) => format!(" (cites {} {:?})", c.source.text, p.value),
            None => format!(" (cites {})", c.source.text),
        })
        .collect()
}

fn dump_rule(kw: &str, r: &RuleDecl) -> String {
    let mut o = format!("({kw} {} {}", r.name.text, dump_atom(&r.body.head));
    if let Some(c) = &r.body.condition {
        let _ = write!(o, " (if {})", dump_formula(c));
    }
    for e in &r.body.exceptions {
        let _ = write!(o, " (unless {})", dump_formula(e));
    }
    o.push_str(&dump_citations(&r.body.citations));
    for n in &r.body.notes {
        let _ = write!(o, " (note {:?})", n.value);
    }
    o.push(')');
    o
}

/// An atom as `pred(arg, …)`, constants and variables as written (unquoted).
pub fn dump_atom(a: &Atom) -> String {
    let args: Vec<String> = a.args.iter().map(dump_term).collect();
    format!("{}({})", a.predicate.text, args.join(", "))
}

fn dump_term(t: &Term) -> String {
    match t {
        Term::Variable(n) | Term::Date(n) => n.text.clone(),
        Term::Constant(n) => {
            if is_plain_name(&n.text) {
                n.text.clone()
            } else {
                format!("{:?}", n.text)
            }
        }
    }
}

/// Whether a constant can be written without quotes.
pub fn is_plain_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_lowercase())
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !is_keyword(s)
}

/// Whether `s` is one of [`KEYWORDS`]. A `match` rather than a scan of the list: every
/// constant of every answer printed goes through here (the test `keywords_agree` holds the
/// two lists equal).
fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "source"
            | "type"
            | "predicate"
            | "rule"
            | "position"
            | "import"
            | "expect"
            | "under"
            | "not"
            | "unknown"
            | "and"
            | "or"
            | "if"
            | "unless"
            | "cites"
            | "means"
            | "closed"
            | "functional"
            | "extends"
            | "default"
            | "replace"
            | "withdraw"
            | "settle"
            | "affirm"
            | "note"
            | "from"
            | "true"
            | "false"
            | "unsettled"
    )
}

/// `value` as a quoted text the parser reads back as `value`: `"…"`, with `"`, `\`, line
/// breaks and tabs written as the language's escapes (`\"`, `\\`, `\n`, `\t`) and every
/// other character as it is. The one quoting rule of Opinio: the formatter, `:save` and
/// messages all use it.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// A constant as written in the language: bare when [`is_plain_name`] or a date (`2017-06-27`),
/// else [`quote`]d.
pub fn quote_if_needed(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_constant(&mut out, name);
    out
}

/// [`quote_if_needed`], appended to `out` (no allocation of its own).
pub(crate) fn push_constant(out: &mut String, name: &str) {
    // A date is written bare, as the language writes it (`2017-06-27`).
    if is_plain_name(name) || name.parse::<crate::date::Date>().is_ok() {
        out.push_str(name);
    } else {
        out.push_str(&quote(name));
    }
}

/// The value of a slot as written in the language, appended to `out`: bare in a slot of the
/// type `Date` (the value is then a date, `2017-06-27`), else bare when [`is_plain_name`] and
/// [`quote`]d otherwise. Where the slot is known this is exact, unlike [`quote_if_needed`]:
/// a name written like a date in a slot of another type (`state("2019-01-02")`) is a name,
/// not a date, and must keep its quotes to be read back.
pub(crate) fn push_slot_value(out: &mut String, name: &str, date_slot: bool) {
    if date_slot || is_plain_name(name) {
        out.push_str(name);
    } else {
        out.push_str(&quote(name));
    }
}

/// A name as written in the language in a slot that is not a date: bare when
/// [`is_plain_name`], else [`quote`]d (`"Fancy Bear"`, and `"2019-01-02"` for a name written
/// like a date). Messages show the names they print this way, so that a reader can type
/// them back.
pub fn name_as_written(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_slot_value(&mut out, name, false);
    out
}

/// A formula as a parenthesised prefix expression (`(and … …)`), for tests and debugging.
pub fn dump_formula(f: &Formula) -> String {
    match f {
        Formula::And(parts, _) => format!(
            "(and {})",
            parts.iter().map(dump_formula).collect::<Vec<_>>().join(" ")
        ),
        Formula::Or(parts, _) => format!(
            "(or {})",
            parts.iter().map(dump_formula).collect::<Vec<_>>().join(" ")
        ),
        Formula::Not(inner, _) => format!("(not {})", dump_formula(inner)),
        Formula::Atom(a) => dump_atom(a),
        Formula::Compare {
            left, op, right, ..
        } => format!("({} {} {})", op.symbol(), dump_term(left), dump_term(right)),
        Formula::Unsettled { point, reason, .. } => {
            format!("(unsettled {} {:?})", point.text, reason.value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_agree() {
        for k in KEYWORDS {
            assert!(is_keyword(k), "`{k}` is in KEYWORDS but not in is_keyword");
            assert!(!is_plain_name(k));
        }
        // Every word `is_keyword` takes is in the list: try each prefix and extension of each.
        for k in KEYWORDS {
            for end in 1..k.len() {
                let part = &k[..end];
                assert_eq!(is_keyword(part), KEYWORDS.contains(&part), "{part}");
            }
            let longer = format!("{k}s");
            assert_eq!(is_keyword(&longer), KEYWORDS.contains(&longer.as_str()));
        }
        assert!(is_plain_name("notpetya") && is_plain_name("op_1") && !is_plain_name("Op"));
        assert_eq!(quote_if_needed("2017-06-27"), "2017-06-27");
        assert_eq!(quote_if_needed("rule"), "\"rule\"");
        assert_eq!(quote_if_needed("a b"), "\"a b\"");
    }
}
