//! Parser tests: compact tree dumps of every construct, and "never panics" properties.

use opinio::syntax::{dump, parse_file, parse_query, span::FileId};
use proptest::prelude::*;

fn tree(text: &str) -> String {
    match parse_file(FileId(0), text) {
        Ok(f) => dump(&f),
        Err(e) => format!("error: {}", e.diagnostic.message),
    }
}

#[test]
fn declarations() {
    insta::assert_snapshot!(tree(r#"
        # comments are ignored
        source tm2 "Tallinn Manual 2.0 (2017)".
        import "positions/uk.opinio".
        type Actor.
        type State from state.
        type Scale = minor < significant < grave.
        type Effect = physical_damage | data_alteration | economic_loss.
        predicate state(s: State) closed means "the entity is a State".
        predicate organ_of(actor: Actor, state: State) functional
          means "the actor is an organ of the State"
          cites arsiwa "Art. 4", tm2 "Rule 15"
          note "see also Art. 7".
        predicate ping() means "no slots".
    "#), @r#"
    (source tm2 "Tallinn Manual 2.0 (2017)")
    (import "positions/uk.opinio")
    (type Actor)
    (type State (from state))
    (type Scale (< minor significant grave))
    (type Effect (| physical_damage data_alteration economic_loss))
    (predicate state [s:State] closed (means "the entity is a State"))
    (predicate organ_of [actor:Actor state:State] functional (means "the actor is an organ of the State") (cites arsiwa "Art. 4") (cites tm2 "Rule 15") (note "see also Art. 7"))
    (predicate ping [] (means "no slots"))
    "#);
}

#[test]
fn rules_and_formulas() {
    insta::assert_snapshot!(tree(r#"
        rule r1: a(X) if b(X) and c(X) or d(X) cites s.
        rule r2: a(X) if b(X) and (c(X) or d(X)) and not e(X, Y) unless f(X, C) unless g(X) cites s "p. 1", t.
        rule r3: a(X) if b(X, L) and L >= significant and X != y and unsettled(point, "why \"quoted\"") note "n".
        rule r4: a(x).
        rule r5: a(X) if not not b(X) and X = "Quoted Name".
    "#), @r#"
    (rule r1 a(X) (if (or (and b(X) c(X)) d(X))) (cites s))
    (rule r2 a(X) (if (and b(X) (or c(X) d(X)) (not e(X, Y)))) (unless f(X, C)) (unless g(X)) (cites s "p. 1") (cites t))
    (rule r3 a(X) (if (and b(X, L) (>= L significant) (!= X y) (unsettled point "why \"quoted\""))) (note "n"))
    (rule r4 a(x))
    (rule r5 a(X) (if (and (not (not b(X))) (= X "Quoted Name"))))
    "#);
}

#[test]
fn positions() {
    insta::assert_snapshot!(tree(r#"
        position tallinn2 default means "majority" cites tm2 "Introduction".
        position uk extends tallinn2 means "UK" cites uk_ag "2018" {
          withdraw r1 cites uk_ag "p. 3".
          replace r2: a(X) if b(X) cites uk_ag.
          rule r9: c(X) if d(X) cites uk_ag.
          affirm e cites uk_ag.
          settle point = false cites uk_ag.
        }
        position empty { }
    "#), @r#"
    (position tallinn2 default (means "majority") (cites tm2 "Introduction"))
    (position uk (extends tallinn2) (means "UK") (cites uk_ag "2018") (withdraw r1 (cites uk_ag "p. 3")) (replace r2 a(X) (if b(X)) (cites uk_ag)) (rule r9 c(X) (if d(X)) (cites uk_ag)) (affirm e (cites uk_ag)) (settle point false (cites uk_ag)))
    (position empty)
    "#);
}

#[test]
fn facts_and_expectations() {
    insta::assert_snapshot!(tree(r#"
        state(ukraine). not consented(ukraine, op). unknown coercive(op, ukraine).
        conducted_by(op, "Fancy Bear").
        expect violates_sovereignty(op, ukraine) = true.
        expect under uk violates_sovereignty(op, ukraine) = unknown.
    "#), @r#"
    (fact true state(ukraine))
    (fact false consented(ukraine, op))
    (fact unknown coercive(op, ukraine))
    (fact true conducted_by(op, "Fancy Bear"))
    (expect violates_sovereignty(op, ukraine) true)
    (expect under uk violates_sovereignty(op, ukraine) unknown)
    "#);
}

#[test]
fn keywords_are_not_names_but_may_start_them() {
    assert!(tree("note(x).").starts_with("error"));
    assert_eq!(
        tree("notes(x). ruled(y). iffy(z)."),
        "(fact true notes(x))\n(fact true ruled(y))\n(fact true iffy(z))\n"
    );
}

#[test]
fn plain_language_clauses() {
    assert_eq!(
        tree(
            r#"predicate violates_sovereignty(op: Operation, victim: State)
                 means "the operation violates the sovereignty of the State"
                 reads "{op} violates the sovereignty of {victim}" cites tm2 "Rule 4".
               unsettled sovereignty_below_threshold titled "remote operations below the damage threshold"."#
        ),
        "(predicate violates_sovereignty [op:Operation victim:State] (means \"the operation violates the sovereignty of the State\") (reads \"{op} violates the sovereignty of {victim}\") (cites tm2 \"Rule 4\"))\n\
         (unsettled sovereignty_below_threshold (titled \"remote operations below the damage threshold\"))\n"
    );
    // `reads` comes after `means`, never before it.
    assert!(tree("predicate p(x: T) reads \"{x}\" means \"p\".").starts_with("error"));
    // A title needs `titled` and a text.
    assert!(tree("unsettled point \"title\".").starts_with("error"));
    assert!(tree("unsettled point titled.").starts_with("error"));
}

#[test]
fn reads_and_titled_remain_names_elsewhere() {
    assert_eq!(
        tree("reads(x). titled(y). rule reads: titled(X) if reads(X) cites s."),
        "(fact true reads(x))\n(fact true titled(y))\n(rule reads titled(X) (if reads(X)) (cites s))\n"
    );
    assert_eq!(
        tree("predicate reads(titled: T) reads \"{titled} reads\"."),
        "(predicate reads [titled:T] (reads \"{titled} reads\"))\n"
    );
}

#[test]
fn a_reading_is_cut_into_words_and_slots_with_their_places() {
    use opinio::syntax::ast::{ReadingPart, Statement};
    let text = r#"predicate p(op: O, v: S) reads "\"{op}\" hit {v}}{"."#;
    let file = parse_file(FileId(0), text).expect("parses");
    let Some(Statement::Predicate(p)) = file.statements.first() else {
        panic!("a predicate")
    };
    let r = p.reading.as_ref().expect("a reading");
    assert_eq!(r.text.value, "\"{op}\" hit {v}}{");
    let shown: Vec<String> = r
        .parts
        .iter()
        .map(|part| match part {
            ReadingPart::Words(w) => format!("words {w:?}"),
            ReadingPart::Slot(n) => {
                format!(
                    "slot {} at {:?}",
                    n.text,
                    &text[n.span.start as usize..n.span.end as usize]
                )
            }
        })
        .collect();
    assert_eq!(
        shown,
        [
            "words \"\\\"\"",
            "slot op at \"{op}\"",
            "words \"\\\" hit \"",
            "slot v at \"{v}\"",
            "words \"}{\"",
        ]
    );
    let stray: Vec<&str> = r
        .stray_braces
        .iter()
        .map(|s| &text[s.start as usize..s.end as usize])
        .collect();
    assert_eq!(stray, ["}", "{"]);
    let after_v = text.find("{v}").expect("{v}") + 3;
    assert_eq!(
        r.stray_braces
            .iter()
            .map(|s| s.start as usize)
            .collect::<Vec<_>>(),
        [after_v, after_v + 1]
    );
}

#[test]
fn queries() {
    let q = parse_query(FileId(0), "violates_sovereignty(Op, ukraine).").expect("parses");
    assert_eq!(
        opinio::syntax::dump_atom(&q),
        "violates_sovereignty(Op, ukraine)"
    );
    assert!(parse_query(FileId(0), "a(x) b(y)").is_err());
}

#[test]
fn incomplete_input_is_recognised() {
    for text in [
        "rule r: a(X) if",
        "state(a",
        "position p {",
        "predicate p(x: State) means \"unfinished",
    ] {
        let e = parse_file(FileId(0), text).expect_err(text);
        assert!(e.incomplete, "{text:?} should be incomplete");
    }
    for text in ["state(a)) .", "rule : a."] {
        let e = parse_file(FileId(0), text).expect_err(text);
        assert!(!e.incomplete, "{text:?} is wrong, not incomplete");
    }
}

fn opinio_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("rule ".to_string()),
        Just("r: ".to_string()),
        Just("a(X)".to_string()),
        Just("b(x, Y)".to_string()),
        Just(" if ".to_string()),
        Just(" and ".to_string()),
        Just(" or ".to_string()),
        Just("not ".to_string()),
        Just(" unless ".to_string()),
        Just(".".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"".to_string()),
        Just("#".to_string()),
        Just("\n".to_string()),
        Just("position p ".to_string()),
        Just("settle q = true".to_string()),
        Just("unsettled(q, \"w\")".to_string()),
        Just("é".to_string()),
        "[a-zA-Z_]{1,6}",
        "[ -~]{0,3}",
    ];
    proptest::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_any_text(s in "\\PC*") {
        let _ = parse_file(FileId(0), &s);
        let _ = parse_query(FileId(0), &s);
    }

    #[test]
    fn parser_never_panics_on_near_programs(s in opinio_like()) {
        if let Err(e) = parse_file(FileId(0), &s) {
            // Every error points inside the text.
            let span = e.diagnostic.labels[0].span;
            prop_assert!(span.end as usize <= s.len());
            prop_assert!(s.is_char_boundary(span.start as usize));
        }
    }

    #[test]
    fn checker_never_panics(s in opinio_like()) {
        let _ = opinio::KnowledgeBase::from_strings([("fuzz.opinio", s)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    /// The one quoting rule (`opinio::syntax::quote_if_needed`, used by the formatter, `:save`
    /// and messages) writes every name so that the parser reads it back unchanged.
    #[test]
    fn every_name_quoted_reads_back_unchanged(name in "\\PC*|[a-z_ \"\\\\\n\t\r\u{200b}]{0,12}") {
        let written = format!("p({}).", opinio::syntax::quote_if_needed(&name));
        let file = parse_file(FileId(0), &written)
            .map_err(|e| TestCaseError::fail(format!("{written:?}: {}", e.diagnostic.message)))?;
        let read = file.statements.iter().find_map(|s| match s {
            opinio::syntax::ast::Statement::Fact(f) => match f.atom.args.first() {
                Some(opinio::syntax::ast::Term::Constant(n)) => Some(n.text.clone()),
                _ => None,
            },
            _ => None,
        });
        prop_assert_eq!(read, Some(name), "written as {:?}", written);
    }
}
