//! A reader for the commonest text of all: plain facts, `[not|unknown] name(a, b, …).`, and
//! expectations, `expect [under p] name(a, b, …) = value.`, one after another, with comments
//! between them, whose names and constants are all plain lower-case names. Scenarios written
//! by programs (every line of `opinio batch`, every JSON scenario) are nothing else, nor are
//! most scenario files people write; reading them with the pest grammar was most of a batch
//! line's time and a fifth of `opinio query`'s.
//!
//! It gives exactly the syntax tree the grammar gives (the same statements, names and spans:
//! `tests::agrees_with_the_grammar`) or `None` at the first thing it does not handle (a
//! quoted constant, a variable outside a goal, a date, a declaration, a syntax error, any
//! character outside ASCII outside a comment), and the caller then reads the whole text with
//! the grammar, so every diagnostic stays the grammar's. Goals (`attributable(Op, S)`, a
//! batch's `--goals`, read again for every line) may hold variables.

use super::super::ast::{Atom, Expect, Fact, File, Name, Statement, Term, Truth};
use crate::source::{FileId, Span};

/// The statements of `text` if it holds only plain facts (see the module's documentation).
pub(super) fn plain_facts(file: FileId, text: &str) -> Option<File> {
    let b = text.as_bytes();
    let mut statements = Vec::new();
    let mut i = skip_space(b, 0);
    while i < b.len() {
        let end = if text.get(i..word(b, i)?) == Some("expect") {
            let (expect, end) = expect(file, text, i)?;
            statements.push(Statement::Expect(expect));
            end
        } else {
            let (fact, end) = fact(file, text, i)?;
            statements.push(Statement::Fact(fact));
            end
        };
        i = skip_space(b, end);
    }
    Some(File { statements })
}

/// The atom of a goal or JSON entry written as a plain fact (`state(astoria)`, spaces around
/// and one final `.` allowed), as the grammar reads `query`; `None` for anything else.
pub(super) fn plain_atom(file: FileId, text: &str) -> Option<Atom> {
    let b = text.as_bytes();
    let start = skip_space(b, 0);
    let (atom, end) = atom(file, text, start, true)?;
    let mut i = skip_space(b, end);
    if b.get(i) == Some(&b'.') {
        i = skip_space(b, i + 1);
    }
    (i == b.len()).then_some(atom)
}

/// [`plain_atom`] for a question, as the grammar reads `question`: a `?` may also start
/// it or end it (`state(astoria)?`).
pub(super) fn plain_question(file: FileId, text: &str) -> Option<Atom> {
    let b = text.as_bytes();
    let mut start = skip_space(b, 0);
    if b.get(start) == Some(&b'?') {
        start = skip_space(b, start + 1);
    }
    let (atom, end) = atom(file, text, start, true)?;
    let mut i = skip_space(b, end);
    if matches!(b.get(i), Some(b'.' | b'?')) {
        i = skip_space(b, i + 1);
    }
    (i == b.len()).then_some(atom)
}

/// One fact statement starting at `start`: the fact and the offset just past its `.`.
fn fact(file: FileId, text: &str, start: usize) -> Option<(Fact, usize)> {
    let b = text.as_bytes();
    let first = word(b, start)?;
    let (value, atom_start) = match text.get(start..first)? {
        "not" => (Truth::False, skip_space(b, first)),
        "unknown" => (Truth::Unknown, skip_space(b, first)),
        _ => (Truth::True, start),
    };
    let (atom, end) = atom(file, text, atom_start, false)?;
    let dot = skip_space(b, end);
    (b.get(dot) == Some(&b'.')).then_some(())?;
    let span = Span::new(file, start, dot + 1);
    Some((Fact { value, atom, span }, dot + 1))
}

/// One expectation starting at `start` (at the word `expect`): the statement and the offset
/// just past its `.`.
fn expect(file: FileId, text: &str, start: usize) -> Option<(Expect, usize)> {
    let b = text.as_bytes();
    let mut i = skip_space(b, word(b, start)?);
    let mut position = None;
    if text.get(i..word(b, i)?) == Some("under") {
        let name = plain_name(file, text, skip_space(b, word(b, i)?))?;
        i = skip_space(b, name.span.end as usize);
        position = Some(name);
    }
    let (goal, end) = atom(file, text, i, false)?;
    i = skip_space(b, end);
    (b.get(i) == Some(&b'=')).then_some(())?;
    i = skip_space(b, i + 1);
    let value_end = word(b, i)?;
    let value = match text.get(i..value_end)? {
        "true" => Truth::True,
        "false" => Truth::False,
        "unknown" => Truth::Unknown,
        _ => return None,
    };
    let dot = skip_space(b, value_end);
    (b.get(dot) == Some(&b'.')).then_some(())?;
    let span = Span::new(file, start, dot + 1);
    Some((
        Expect {
            position,
            goal,
            value,
            span,
        },
        dot + 1,
    ))
}

/// `name(a, b, …)` starting at `start`, every name plain (and, with `variables`, each
/// argument a plain name or a variable, `X` or `_`): the atom and the offset just past its
/// `)`.
fn atom(file: FileId, text: &str, start: usize, variables: bool) -> Option<(Atom, usize)> {
    let b = text.as_bytes();
    let predicate = plain_name(file, text, start)?;
    let mut i = skip_space(b, predicate.span.end as usize);
    (b.get(i) == Some(&b'(')).then_some(())?;
    i = skip_space(b, i + 1);
    let mut args = Vec::new();
    if b.get(i) != Some(&b')') {
        loop {
            let arg = match variable(file, text, i).filter(|_| variables) {
                Some(v) => Term::Variable(v),
                None => Term::Constant(plain_name(file, text, i)?),
            };
            i = skip_space(b, arg.span().end as usize);
            args.push(arg);
            match b.get(i) {
                Some(b',') => i = skip_space(b, i + 1),
                Some(b')') => break,
                _ => return None,
            }
        }
    }
    let end = i + 1;
    let span = Span::new(file, start, end);
    Some((
        Atom {
            predicate,
            args,
            span,
        },
        end,
    ))
}

/// A plain name (lower-case first, no keyword) starting at `start`.
fn plain_name(file: FileId, text: &str, start: usize) -> Option<Name> {
    let end = word(text.as_bytes(), start)?;
    let name = text.get(start..end)?;
    crate::syntax::is_plain_name(name).then(|| Name {
        text: name.to_string(),
        span: Span::new(file, start, end),
    })
}

/// A variable (`[A-Z_][A-Za-z0-9_]*`, as the grammar's `variable`) starting at `start`.
fn variable(file: FileId, text: &str, start: usize) -> Option<Name> {
    let b = text.as_bytes();
    let first = *b.get(start)?;
    if !(first.is_ascii_uppercase() || first == b'_') {
        return None;
    }
    let end = ident_end(b, start)?;
    Some(Name {
        text: text.get(start..end)?.to_string(),
        span: Span::new(file, start, end),
    })
}

/// The end of the word (`[a-z][A-Za-z0-9_]*`) starting at `start`.
fn word(b: &[u8], start: usize) -> Option<usize> {
    if !b.get(start)?.is_ascii_lowercase() {
        return None;
    }
    ident_end(b, start)
}

/// The end of the run of identifier characters (`[A-Za-z0-9_]*`) starting at `start`.
fn ident_end(b: &[u8], start: usize) -> Option<usize> {
    let len = b
        .get(start..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    Some(start + len)
}

/// The offset of the first byte at or after `i` that is not a space, tab or line break, nor
/// in a comment (`#` to the end of the line, whatever it holds: a byte of a character outside
/// ASCII is never a line break).
fn skip_space(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(b'#') => {
                let rest = b.get(i..).unwrap_or(&[]);
                i += rest.iter().take_while(|c| **c != b'\n').count();
            }
            _ => return i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: FileId = FileId(3);

    #[test]
    fn reads_plain_facts_as_the_grammar_does() {
        let text = "state(russia).\n  not organ_of( unit ,russia ) .\nunknown\n p().\t";
        let fast = plain_facts(F, text).expect("plain facts");
        assert_eq!(fast.statements.len(), 3);
        assert_eq!(
            Some(fast),
            super::super::parse_file_with_grammar(F, text).ok()
        );
    }

    #[test]
    fn leaves_everything_else_to_the_grammar() {
        for text in [
            "state(\"Fancy Bear\").",
            "state(X).",
            "on(op, 2017-06-27).",
            "state(russia)",
            "not(a).",
            "rule(a).",
            "state(not).",
            "expect state(a) = maybe.",
            "expect under state(a) = true.",
            "expect under true state(a) = true.",
            "expect state(a) = true",
            "expect state(a) == true.",
            "state(a).,",
            "state(a)).",
            "state(a,).",
            "state(é).",
            "state(a)\u{A0}.",
            "Not state(a).",
        ] {
            assert_eq!(plain_facts(F, text), None, "{text}");
        }
    }

    #[test]
    fn reads_comments_and_expectations_as_the_grammar_does() {
        let text = "# NotPetya, June 2017 — the café's notes\nstate(russia). # a comment\n\
                    expect under tallinn2 attributable(notpetya, russia) = true.\n\
                    expect  p ( a )=unknown .#end\nexpect underdog(a) = false.";
        let fast = plain_facts(F, text).expect("facts, comments and expectations");
        assert_eq!(fast.statements.len(), 4);
        assert_eq!(
            Some(fast),
            super::super::parse_file_with_grammar(F, text).ok()
        );
    }

    #[test]
    fn reads_a_plain_atom_as_a_question() {
        for text in [
            "state(a)",
            "  state(a) . ",
            "p()",
            "state( a , b ).",
            "state(A)",
            "attributable(Op_1, _)",
        ] {
            let fast = plain_atom(F, text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, super::super::parse_query_with_grammar(F, text).ok());
        }
        for text in [
            "state(a)..",
            "state(a) x",
            "not state(a)",
            "state(\"A\")",
            "",
        ] {
            assert_eq!(plain_atom(F, text), None, "{text}");
        }
    }

    #[test]
    fn reads_a_question_mark_around_a_question_only() {
        for text in ["state(a)?", "? state(a)", " ?state(a) ? ", "state(a)."] {
            let fast = plain_question(F, text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(
                fast,
                super::super::parse_goal_with_grammar(super::super::Rule::question, F, text).ok()
            );
            if text.contains('?') {
                assert_eq!(plain_atom(F, text), None, "{text}");
            }
        }
        for text in ["state(a)??", "state(a).?", "??state(a)"] {
            assert_eq!(plain_question(F, text), None, "{text}");
        }
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("state".to_string()),
            Just("not".to_string()),
            Just("unknown".to_string()),
            Just("rule".to_string()),
            Just("nothing".to_string()),
            Just("a_1".to_string()),
            Just("X".to_string()),
            Just("_".to_string()),
            Just("Op_1".to_string()),
            Just("_x".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just(",".to_string()),
            Just(".".to_string()),
            Just("?".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("#".to_string()),
            Just("# é\n".to_string()),
            Just("expect".to_string()),
            Just("under".to_string()),
            Just("=".to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            Just("\"q\"".to_string()),
            Just("2017-01-02".to_string()),
        ]
    }

    fn facts() -> impl Strategy<Value = String> {
        let name = "[a-z][a-z0-9_]{0,6}";
        let atom = (name, proptest::collection::vec(name, 0..4))
            .prop_map(|(p, args)| format!("{p}( {} )", args.join(" ,")));
        let fact = (
            prop_oneof![Just(""), Just("not "), Just("unknown\n")],
            atom.clone(),
        )
            .prop_map(|(v, a)| format!("{v}{a} .\n"));
        let expect = (
            prop_oneof![
                Just(String::new()),
                name.prop_map(|p| format!("under {p} "))
            ],
            atom,
            prop_oneof![Just("true"), Just("false"), Just("unknown")],
        )
            .prop_map(|(under, a, v)| format!("expect {under}{a} = {v}. # why\n"));
        proptest::collection::vec(prop_oneof![fact, expect], 0..6).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whatever the text, the fast reader gives the grammar's tree or declines.
        #[test]
        fn agrees_with_the_grammar(pieces in proptest::collection::vec(piece(), 0..24)) {
            let text = pieces.concat();
            if let Some(fast) = plain_facts(F, &text) {
                prop_assert_eq!(Some(fast), super::super::parse_file_with_grammar(F, &text).ok(), "{}", text);
            }
            if let Some(fast) = plain_atom(F, &text) {
                prop_assert_eq!(Some(fast), super::super::parse_query_with_grammar(F, &text).ok(), "{}", text);
            }
            if let Some(fast) = plain_question(F, &text) {
                prop_assert_eq!(Some(fast), super::super::parse_goal_with_grammar(super::super::Rule::question, F, &text).ok(), "{}", text);
            }
        }

        /// Texts of plain facts (with keywords and near-keywords as names) are read by the
        /// fast reader whenever the grammar reads them, with the same tree.
        #[test]
        fn reads_what_the_grammar_reads(text in facts()) {
            let grammar = super::super::parse_file_with_grammar(F, &text).ok();
            let fast = plain_facts(F, &text);
            if grammar.is_some() {
                prop_assert!(fast.is_some() || text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(|w| crate::syntax::KEYWORDS.contains(&w)), "{}", text);
            }
            if fast.is_some() {
                prop_assert_eq!(fast, grammar, "{}", text);
            }
        }
    }
}
