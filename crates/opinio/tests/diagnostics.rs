//! Snapshot tests of every kind of diagnostic, rendered colour-free as a user sees them.

use opinio::kb::KbFile;
use opinio::{KnowledgeBase, Scenario};

/// A small knowledge base the diagnostics below are written against.
const BASE: &str = r#"
source tm2 "Tallinn Manual 2.0 (2017)".
type State from state.
type Actor.
type Operation.
type Scale = minor < significant < grave.
type Effect = physical_damage | data_alteration.
predicate state(s: State) closed means "the entity is a State".
predicate operation(op: Operation) closed means "the operation is under analysis".
predicate conducted_by(op: Operation, actor: Actor) closed means "the actor carried out the operation".
predicate organ_of(actor: Actor, state: State) functional means "the actor is an organ of the State".
predicate targeted(op: Operation, victim: State) closed means "the operation was directed against the State".
predicate effect_in(op: Operation, victim: State, effect: Effect) closed means "the operation caused the effect in the State".
predicate affected(op: Operation, victim: State) means "the operation affected the State".
predicate attributable(op: Operation, state: State) means "the operation is an act of the State".
rule attribution_organ: attributable(Op, S) if conducted_by(Op, A) and organ_of(A, S) cites tm2 "Rule 15".
rule affected_targeted: affected(Op, V) if targeted(Op, V) cites tm2 "Rule 4".
position tallinn2 default means "the majority view" cites tm2 "Introduction".
"#;

fn render_kb(extra: &str) -> String {
    let loaded = KnowledgeBase::from_files(vec![
        KbFile {
            name: "base.opinio".into(),
            text: BASE.into(),
        },
        KbFile {
            name: "extra.opinio".into(),
            text: extra.into(),
        },
    ]);
    unwrap_headlines(&match loaded {
        Ok(kb) => opinio::diagnostic::render(kb.warnings(), kb.sources(), false),
        Err(e) => e.render(),
    })
}

/// A diagnostic's first line joined back where miette wrapped it (`\n  │ `): where it wraps
/// depends on the line-breaking features of the build (`-p opinio` alone breaks after `→`,
/// the workspace before it), and the snapshots should not.
fn unwrap_headlines(rendered: &str) -> String {
    rendered.replace("\n  │ ", " ")
}

fn render_scenario(text: &str) -> String {
    let kb = KnowledgeBase::from_strings([("base.opinio", BASE)]).expect("base loads");
    let mut s = Scenario::new(&kb);
    unwrap_headlines(&match s.add_text("case.opinio", text) {
        Ok(w) => format!(
            "(accepted)\n{}{}",
            opinio::diagnostic::render(&w, s.sources(), false),
            opinio::diagnostic::render(&s.lint(), s.sources(), false)
        ),
        Err(e) => e.render(),
    })
}

/// A question as `opinio query` or `?` in the interactive session reads it.
fn render_question(goal: &str) -> String {
    let kb = KnowledgeBase::from_strings([("base.opinio", BASE)]).expect("base loads");
    let s = Scenario::new(&kb);
    match s.parse_goal(goal) {
        Ok(_) => "(accepted)".to_string(),
        Err(opinio::Error::Input(e)) => unwrap_headlines(&e.render()),
        Err(other) => format!("(another error) {other}"),
    }
}

/// A scenario (`None`: a question) checked against the base and a rule that names `france`,
/// a State only where a scenario lists it.
fn render_with_france(scenario: &str, question: Option<&str>) -> String {
    let kb = KnowledgeBase::from_strings([
        ("base.opinio", BASE),
        (
            "france.opinio",
            "predicate french(op: Operation) means \"the operation targeted France\".\nrule french_target: french(Op) if targeted(Op, france) cites tm2.",
        ),
    ])
    .expect("base loads");
    let mut s = Scenario::new(&kb);
    let rendered = match (s.add_text("case.opinio", scenario), question) {
        (Err(e), _) => e.render(),
        (Ok(_), None) => "(accepted)".to_string(),
        (Ok(_), Some(q)) => match s.parse_goal(q) {
            Ok(_) => "(accepted)".to_string(),
            Err(opinio::Error::Input(e)) => e.render(),
            Err(other) => format!("(another error) {other}"),
        },
    };
    unwrap_headlines(&rendered)
}

/// A State only a rule names is not one of a scenario that does not list it: asked about, or
/// expected, it is an error, as a name nothing declares is (both answered `false` silently,
/// and `opinio test` passed such an expectation).
#[test]
fn a_state_only_a_rule_names_is_not_the_scenarios() {
    let facts = "state(astoria).\noperation(op1).\ntargeted(op1, astoria).\n";
    insta::assert_snapshot!(
        "state_only_a_rule_names_asked",
        render_with_france(facts, Some("targeted(op1, france)"))
    );
    insta::assert_snapshot!(
        "state_only_a_rule_names_expected",
        render_with_france(
            &format!("{facts}expect french(op1) = false.\nexpect targeted(op1, france) = false.\n"),
            None
        )
    );
    // Listed, it is a State like any other; and the listing itself can always be asked.
    assert_eq!(
        render_with_france(facts, Some("state(france)")),
        "(accepted)"
    );
    assert_eq!(
        render_with_france(
            &format!("{facts}state(france).\n"),
            Some("targeted(op1, france)")
        ),
        "(accepted)"
    );
}

macro_rules! question_case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), render_question($text));
        }
    };
}

macro_rules! kb_case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), render_kb($text));
        }
    };
}

macro_rules! scenario_case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), render_scenario($text));
        }
    };
}

// ------------------------------------------------------------------ syntax
kb_case!(
    syntax_missing_full_stop,
    "rule r: attributable(Op, S) if conducted_by(Op, S)\nrule q: affected(O, V) if targeted(O, V)."
);
kb_case!(syntax_incomplete_at_end, "rule r: attributable(Op, S) if");
kb_case!(
    syntax_reserved_word,
    "predicate note(x: State) means \"a reserved word as a name\"."
);
kb_case!(syntax_single_quotes, "source uk 'United Kingdom'.");
scenario_case!(syntax_capitalised_constant, "state(Russia).");
scenario_case!(syntax_name_with_accented_letter, "state(türkiye).");
scenario_case!(syntax_multiline_span, "state(a).\nstate(b\n  c).");
kb_case!(
    syntax_text_runs_past_line,
    "source s \"Test source\".\ntype Thing.\npredicate p(x: Thing) closed means \"p.\npredicate q(x: Thing) means \"q\".\n"
);
kb_case!(
    syntax_text_runs_past_line_crlf,
    "source s \"Test source\".\r\ntype Thing.\r\npredicate p(x: Thing) closed means \"p.\r\npredicate q(x: Thing) means \"q\".\r\n"
);
scenario_case!(syntax_unfinished_at_end, "state(norland). operation(op_x");
scenario_case!(
    syntax_unfinished_at_end_newline,
    "state(norland). operation(op_x\n"
);
scenario_case!(
    syntax_unfinished_at_end_crlf,
    "state(norland).\r\noperation(op_x\r\n"
);
scenario_case!(
    syntax_unfinished_before_comment,
    "state(norland).\noperation(op_x\n# to be continued\n\n"
);

// A question or an expectation is about one statement; its answer (or the value expected)
// may be false: `not` in front is a slip with its own advice, not a reserved word misused.
question_case!(question_starting_with_not, "not state(russia)");
question_case!(question_starting_with_unknown, "unknown state(russia).");
question_case!(question_joining_two_with_and, "state(a) and state(b)");
question_case!(
    question_joining_three_with_or,
    "state(a) or state(b) and state(c)"
);
question_case!(question_two_without_and, "state(a) state(b)");
scenario_case!(
    expectation_starting_with_not,
    "state(a).\nexpect not state(a) = true."
);
scenario_case!(
    expectation_under_position_starting_with_unknown,
    "state(a).\nexpect under tallinn2 unknown state(a) = true."
);
scenario_case!(
    expectation_starting_with_not_unfinished,
    "state(a).\nexpect not state(a."
);
// A `?` question belongs to the interactive session; the expected-token list names nothing
// vague ("something else").
scenario_case!(question_mark_in_a_file, "state(a).\n? state(a).");

// ------------------------------------------------------------------ names
kb_case!(
    unknown_predicate_in_rule,
    "rule r: affected(Op, V) if targetted(Op, V) cites tm2 \"Rule 4\"."
);
kb_case!(
    unknown_source,
    "rule r: affected(Op, V) if targeted(Op, V) cites tm3 \"Rule 4\"."
);
kb_case!(unknown_type, "predicate p(x: Stat) means \"p\".");
kb_case!(
    unknown_position_extends,
    "position uk extends talinn2 cites tm2 { }"
);
scenario_case!(unknown_predicate_in_fact, "state(a). organ(x, a).");
scenario_case!(
    misspelt_name_in_expectation,
    "state(arcadia). state(borduria). operation(wiper). targeted(wiper, borduria).\nexpect attributable(wipr, arcadia) = false.\nexpect affected(wiper, bordurai) = true."
);
scenario_case!(number_where_a_name_is_expected, "state(a). state(123).");
scenario_case!(control_character_in_a_name, "state(\"a\u{1b}[2Jb\").");
scenario_case!(
    position_after_the_value_of_an_expectation,
    "state(a).\nexpect affected(op, a) = false under tallinn2."
);
scenario_case!(wrong_arity_of_a_one_slot_predicate, "state(a, b).");
scenario_case!(
    number_where_an_enumeration_value_is_expected,
    "state(a). operation(op). effect_in(op, a, 5)."
);
scenario_case!(
    unknown_position_in_expect,
    "state(a). expect under talinn2 affected(op, a) = true."
);
scenario_case!(
    unknown_enum_value,
    "state(a). effect_in(op, a, physical_damge)."
);
kb_case!(unknown_rule_to_replace, "position uk cites tm2 { replace attribution_organs: attributable(Op, S) if conducted_by(Op, A) and organ_of(A, S) cites tm2. }");
kb_case!(
    unknown_point_to_settle,
    "position fr cites tm2 { settle below_threshold = true cites tm2. }"
);

// ------------------------------------------------------------------ plain language
kb_case!(
    reading_unknown_slot,
    "predicate hacked(op: Operation, victim: State) means \"the operation hacked the State\" reads \"{op} hacked {vitcim}\"."
);
kb_case!(
    reading_empty_placeholder,
    "predicate hacked(op: Operation, victim: State) reads \"{} hacked {victim}\"."
);
kb_case!(
    reading_placeholder_without_slots,
    "predicate at_war() reads \"{state} is at war\"."
);
kb_case!(
    reading_unbalanced_brace,
    "predicate hacked(op: Operation, victim: State) reads \"{op hacked {victim}\"."
);
kb_case!(
    reading_stray_closing_brace,
    "predicate hacked(op: Operation, victim: State) reads \"op} hacked {victim}\"."
);
kb_case!(
    reading_unused_slot,
    "predicate hacked(op: Operation, victim: State, actor: Actor) reads \"{op} was a hack\"."
);
kb_case!(
    reading_after_an_escape,
    "predicate hacked(op: Operation, victim: State) reads \"\\\"{op}\\\" hacked {victm}\"."
);
kb_case!(
    title_of_unknown_point,
    "rule r: affected(Op, V) if targeted(Op, V) and unsettled(below_threshold, \"divided\") cites tm2.\nunsettled below_treshold titled \"remote operations below the threshold\"."
);
kb_case!(
    title_given_twice,
    "rule r: affected(Op, V) if targeted(Op, V) and unsettled(below_threshold, \"divided\") cites tm2.\nunsettled below_threshold titled \"below the threshold\".\nunsettled below_threshold titled \"remote operations\"."
);

// ------------------------------------------------------------------ arity and types
kb_case!(
    wrong_arity_in_rule,
    "rule r: affected(Op, V) if targeted(Op) cites tm2 \"Rule 4\"."
);
scenario_case!(wrong_arity_in_fact, "state(a). targeted(op, a, b).");
kb_case!(
    wrong_type_variable,
    "rule r: affected(Op, V) if conducted_by(Op, V) and targeted(Op, V) cites tm2 \"Rule 4\"."
);
kb_case!(
    comparison_not_ordered,
    "rule r: affected(Op, V) if effect_in(Op, V, E) and E > data_alteration cites tm2."
);
scenario_case!(
    constant_two_types,
    "state(russia). operation(op). conducted_by(op, russia)."
);
scenario_case!(
    state_not_declared,
    "state(astoria). targeted(op, borduria)."
);

// ------------------------------------------------------------------ rules
kb_case!(
    unsafe_head_variable,
    "rule r: affected(Op, V) if not targeted(Op, V) cites tm2 \"Rule 4\"."
);
// `A` has a value where the first alternative holds; where the second does, the `not` would
// have nothing to read (one variable, two meanings).
kb_case!(
    unsafe_negated_variable,
    "rule r: affected(Op, V) if targeted(Op, V) and (conducted_by(Op, A) or effect_in(Op, V, _)) and not organ_of(A, V) cites tm2."
);
kb_case!(
    settlement_without_effect,
    "predicate breach(op: Operation) means \"breach\".\nrule breach_open: breach(Op) if targeted(Op, V) and unsettled(threshold, \"experts split\") cites tm2.\nposition narrow extends tallinn2 cites tm2 {\n  withdraw breach_open cites tm2.\n  settle threshold = true cites tm2.\n}"
);
kb_case!(
    settled_twice,
    "predicate breach(op: Operation) means \"breach\".\nrule breach_open: breach(Op) if targeted(Op, V) and unsettled(threshold, \"experts split\") cites tm2.\nposition torn extends tallinn2 cites tm2 {\n  settle threshold = true cites tm2.\n  settle threshold = false cites tm2.\n}"
);
kb_case!(
    scenario_in_knowledge_base,
    "state(astoria).\noperation(op1).\ntargeted(op1, astoria).\nexpect affected(op1, astoria) = true."
);
kb_case!(
    closed_conclusion,
    "predicate hit(op: Operation) closed means \"the operation hit something\". rule r: hit(Op) if targeted(Op, V) cites tm2."
);
kb_case!(unsafe_comparison_variable, "rule r: affected(Op, V) if targeted(Op, V) and E = physical_damage or targeted(Op, V) and E != data_alteration cites tm2.");
kb_case!(
    duplicate_rule,
    "rule affected_targeted: affected(Op, V) if targeted(Op, V) cites tm2 \"Rule 4\"."
);
kb_case!(
    uncited_rule,
    "rule affected_effect: affected(Op, V) if effect_in(Op, V, E)."
);
kb_case!(
    negation_cycle,
    "predicate p(s: State) means \"p\".\npredicate q(s: State) means \"q\".\nrule p_unless_q: p(S) if state(S) unless q(S) cites tm2.\nrule q_if_p: q(S) if p(S) cites tm2."
);
kb_case!(
    negation_cycle_in_position_only,
    "predicate p(s: State) means \"p\".\nrule p_from_state: p(S) if state(S) cites tm2.\nposition odd cites tm2 {\n  replace affected_targeted: affected(Op, V) if targeted(Op, V) and not p(V) cites tm2.\n  replace p_from_state: p(S) if state(S) and not affected(O, S) cites tm2.\n}"
);
kb_case!(
    negation_cycle_double_not,
    "predicate p(s: State) means \"p\".\nrule p_twice_negated: p(S) if state(S) and not (not p(S)) cites tm2."
);
kb_case!(
    anonymous_variable_in_conclusion,
    "rule r: affected(Op, _) if targeted(Op, V) cites tm2 \"Rule 4\"."
);
kb_case!(
    duplicate_predicate,
    "predicate state(s: State) closed means \"again\"."
);

// ------------------------------------------------------------------ facts
scenario_case!(
    contradictory_facts,
    "state(a). operation(op).\ntargeted(op, a).\nnot targeted(op, a)."
);
scenario_case!(
    functional_two_values,
    "state(a). state(b).\norgan_of(unit, a).\norgan_of(unit, b)."
);
scenario_case!(variable_in_fact, "state(a). targeted(Op, a).");
scenario_case!(
    declaration_in_scenario,
    "state(a).\nrule r: affected(Op, V) if targeted(Op, V) cites tm2."
);
scenario_case!(
    no_possible_author,
    "state(a). operation(op). conducted_by(op, someone). targeted(op, a)."
);
scenario_case!(clean_scenario_is_accepted, "state(a). state(b). operation(op). conducted_by(op, unit). organ_of(unit, b). targeted(op, a).");

#[test]
fn every_diagnostic_has_help() {
    // Every error the cases above produce carries a help line: users must know what to do.
    let kb = KnowledgeBase::from_strings([("base.opinio", BASE)]).expect("base loads");
    let samples = [
        "state(Russia).",
        "organ(x, a).",
        "state(a). targeted(op, a, b).",
        "state(russia). operation(op). conducted_by(op, russia).",
        "state(a). operation(op).\ntargeted(op, a).\nnot targeted(op, a).",
        "state(norland). operation(op_x\n",
        "state(a, \"first\nline). state(b, \"second\").",
        "state(a).\nexpect not state(a) = true.",
        "state(a).\nexpect not state(a.",
        "state(a).\n? state(a).",
    ];
    for s in samples {
        let mut sc = Scenario::new(&kb);
        let err = sc.add_text("case.opinio", s).expect_err(s);
        for d in &err.diagnostics {
            assert!(d.help.is_some(), "no help for {:?} in {s:?}", d.message);
            assert!(!d.labels.is_empty(), "no span for {:?} in {s:?}", d.message);
        }
    }
    let sc = Scenario::new(&kb);
    for q in [
        "not state(russia)",
        "unknown state(russia)",
        "state(a) and state(b)",
        "state(a) or",
        "state(a) state(b)",
    ] {
        let Err(opinio::Error::Input(err)) = sc.parse_goal(q) else {
            panic!("{q:?} should be refused as a question");
        };
        for d in err.errors() {
            assert!(d.help.is_some(), "no help for {:?} in {q:?}", d.message);
            assert!(!d.labels.is_empty(), "no span for {:?} in {q:?}", d.message);
            assert!(!d.message.contains("something else"), "{:?}", d.message);
        }
    }
}
