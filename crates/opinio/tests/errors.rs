//! What an embedding program sees of an error: `{}` is one useful line, `{:?}` a few hundred
//! bytes at most — never the texts of a knowledge base (the bundled one is ~80 KB of law,
//! and a `?` in `main` prints the `Debug` form).

use opinio::{Error, EvalError, KnowledgeBase, Limits, Scenario};

/// The most bytes `{:?}` of an error may take.
const DEBUG_BUDGET: usize = 400;

fn assert_short(what: &str, display: String, debug: String) {
    assert!(
        !display.trim_end().contains('\n'),
        "{what}: `{{}}` should be one line:\n{display}"
    );
    assert!(!display.trim().is_empty(), "{what}: `{{}}` is empty");
    assert!(
        debug.len() <= DEBUG_BUDGET,
        "{what}: `{{:?}}` takes {} bytes (at most {DEBUG_BUDGET}):\n{debug}",
        debug.len()
    );
}

/// The stable code an error shows as a [`miette::Diagnostic`].
fn code_of(e: &Error) -> Option<String> {
    miette::Diagnostic::code(e).map(|c| c.to_string())
}

#[test]
fn a_knowledge_base_that_does_not_load_is_one_line_and_a_short_debug() {
    let mut files: Vec<(String, String)> = Vec::new();
    // A large, valid file (so that a Debug printing sources would be long) and a broken one.
    let mut big = String::from("type Thing.\n");
    for i in 0..2_000 {
        big.push_str(&format!(
            "predicate p{i}(x: Thing) means \"the {i}th thing of a long file\".\n"
        ));
    }
    files.push(("big.opinio".into(), big));
    files.push((
        "broken.opinio".into(),
        "predicate q(x: Nope).\nrule r: q(X).\n".into(),
    ));
    let err = KnowledgeBase::from_strings(files).expect_err("the broken file is refused");
    let display = err.to_string();
    assert!(display.contains("broken.opinio"), "{display}");
    assert!(
        display.contains("more"),
        "several errors are counted: {display}"
    );
    assert_short("LoadError", display, format!("{err:?}"));
}

#[test]
fn the_bundled_knowledge_base_debugs_in_a_few_hundred_bytes() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let debug = format!("{kb:?}");
    assert!(
        debug.len() <= 2 * DEBUG_BUDGET,
        "{} bytes: {debug}",
        debug.len()
    );
    assert!(debug.contains("rules"), "{debug}");
}

#[test]
fn a_scenario_error_is_one_line_and_a_short_debug() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    let err = case
        .add_text("case.opinio", "state(norland).\nsovereign_of(norland).\n")
        .expect_err("a wrong arity is refused");
    assert_short(
        "a scenario's LoadError",
        err.to_string(),
        format!("{err:?}"),
    );

    let err: Error = case
        .query("violates_sovereignty(a)", None)
        .expect_err("a goal with the wrong arity is refused");
    assert!(matches!(err, Error::Input(_)));
    assert_short("Error::Input", err.to_string(), format!("{err:?}"));
    assert_eq!(code_of(&err).as_deref(), Some("opinio::wrong_arity"));
}

#[test]
fn a_limit_error_is_one_line_and_a_short_debug() {
    let kb = KnowledgeBase::from_strings([(
        "chain.opinio",
        "type N.\n\
         predicate edge(a: N, b: N) means \"an edge\".\n\
         predicate path(a: N, b: N) means \"a path\".\n\
         source s \"a source\".\n\
         rule step: path(A, B) if edge(A, B) cites s.\n\
         rule chain: path(A, C) if path(A, B) and edge(B, C) cites s.\n",
    )])
    .expect("the program loads");
    let mut case = Scenario::new(&kb);
    let facts: String = (0..60)
        .map(|i| format!("edge(n{i}, n{}).\n", i + 1))
        .collect();
    case.add_text("edges.opinio", &facts)
        .expect("the facts load");
    case.set_limits(Limits {
        max_atoms: 100,
        ..Limits::default()
    });
    let err = case
        .query("path(n0, n60)", None)
        .expect_err("the closure has more than 100 atoms");
    assert!(
        matches!(err, Error::Limit(EvalError::TooManyAtoms { .. })),
        "{err:?}"
    );
    assert_short("Error::Limit", err.to_string(), format!("{err:?}"));
    assert_eq!(code_of(&err).as_deref(), Some("opinio::too_many_atoms"));
    let help = miette::Diagnostic::help(&err).map(|h| h.to_string());
    assert!(help.is_some_and(|h| h.contains("raise the limits")));
}

#[test]
fn what_the_user_wrote_is_quoted_on_one_short_line() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    // A megabyte-long predicate name, and a quoted constant holding a line break.
    let huge = format!("p{}(x).\n", "a".repeat(1 << 20));
    let err = case
        .add_text("case.opinio", &huge)
        .expect_err("an unknown predicate");
    assert_short("a huge name", err.to_string(), format!("{err:?}"));
    assert!(
        err.to_string().len() < 1_000,
        "{} bytes",
        err.to_string().len()
    );

    let err = case
        .query("state(\"two\nlines\")", None)
        .expect_err("an unknown constant");
    assert_short(
        "a line break in a name",
        err.to_string(),
        format!("{err:?}"),
    );

    let name = format!("{}.opinio", "dir/".repeat(100_000));
    let err = case
        .add_text(&name, "nonsense(")
        .expect_err("a syntax error");
    assert_short("a huge file name", err.to_string(), format!("{err:?}"));
}

#[test]
fn a_problem_with_a_question_points_into_the_question() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_text("case.opinio", "state(norland).")
        .expect("a fact");
    let err = case
        .compare("violates_sovereignty(X, norland)")
        .expect_err("a comparison needs a ground goal");
    assert!(err.to_string().starts_with("<question>:1:1:"), "{err}");
    assert_eq!(
        code_of(&err).as_deref(),
        Some("opinio::compare_needs_ground_goal")
    );
}

#[test]
fn failed_attempts_leave_the_scenario_as_it_was() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_text(
        "case.opinio",
        "state(norland). state(vesta). operation(op).",
    )
    .expect("facts");
    let texts = case.sources().len();
    for _ in 0..100 {
        assert!(case.add_text("bad.opinio", "state(").is_err());
        assert!(case.add_text("bad.opinio", "nonsense(x).").is_err());
        assert!(case.retract("state(X)").is_err());
        let kept = case.retract("interferes_with_governmental_function(op, vesta)");
        assert_eq!(kept.as_ref().ok(), Some(&false), "{kept:?}");
    }
    assert_eq!(case.sources().len(), texts, "no failed text is kept");
    assert_eq!(case.facts().len(), 3);
}

#[test]
fn a_folder_without_knowledge_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("notes.txt"), "not law").expect("written");
    let err = KnowledgeBase::from_dir(dir.path()).expect_err("no `.opinio` file");
    assert!(err.to_string().contains("holds no `.opinio` file"), "{err}");
    let code = miette::Diagnostic::code(&err).map(|c| c.to_string());
    assert_eq!(code.as_deref(), Some("opinio::kb_folder"));
}

#[test]
fn only_a_predicate_name_is_taken_as_a_predicate() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    let err = case
        .state("state(x). operation", &["y"], opinio::Truth::True)
        .expect_err("not a predicate's name");
    assert!(err.to_string().contains("no predicate is named"), "{err}");
    assert!(case.facts().is_empty(), "nothing is stated");
}

/// What the documentation of `Scenario` says about threads.
#[test]
fn scenarios_move_between_threads() {
    fn send<T: Send>() {}
    send::<Scenario>();
    send::<KnowledgeBase>();
}
