//! The library example of the README, as written there (its `main` is this test's body).

use opinio::{KnowledgeBase, Scenario, Truth};

#[test]
fn the_readme_example_runs() -> Result<(), opinio::Error> {
    let kb = KnowledgeBase::bundled()?;
    let mut case = Scenario::new(&kb);
    // The README runs from the repository's root; tests run from the crate's folder.
    case.load_file("tests/scenarios/notpetya.opinio".as_ref())?;
    let answer = case.query("wrongful_act(russia, notpetya)", Some("uk"))?;
    assert_eq!(answer.answers[0].value, Truth::Unknown);
    let why = case.explain(&answer.answers[0])?; // under the position it was asked under
    let text = opinio::explain::render_text(&why, false);
    assert!(text.contains("wrongful_act(russia, notpetya)"), "{text}");
    Ok(())
}

#[test]
fn an_answer_is_explained_under_its_own_position_and_foreign_ids_are_refused() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.load_file("tests/scenarios/notpetya.opinio".as_ref())
        .expect("the scenario loads");
    let goal = "violates_sovereignty(notpetya, ukraine)";
    let uk = case
        .query(goal, Some("uk"))
        .expect("asked under the UK's view");
    let why = case.explain(&uk.answers[0]).expect("explained");
    assert_eq!(
        why.value, uk.answers[0].value,
        "explained where it was asked"
    );

    // An answer from a scenario on another knowledge base is refused, not explained as
    // nonsense.
    let other = KnowledgeBase::from_strings([(
        "mini.opinio",
        "source law \"A law\".\ntype P.\npredicate a(p: P) means \"a\".\n",
    )])
    .expect("loads");
    let mut small = Scenario::new(&other);
    small.add_text("f.opinio", "a(x).").expect("a fact");
    let foreign = small.query("a(x)", None).expect("asked");
    let err = case
        .explain(&foreign.answers[0])
        .expect_err("not this scenario's answer");
    assert!(matches!(err, opinio::Error::Input(_)), "{err:?}");
}
