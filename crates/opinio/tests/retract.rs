//! Withdrawing facts releases the types they gave names: a name a withdrawn fact made an
//! Actor may then be stated a State, and the other way round.

use opinio::{KnowledgeBase, Scenario};

#[test]
fn a_withdrawn_fact_leaves_no_type_behind() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_line("operation(op).").expect("an operation");
    case.add_line("conducted_by(op, russia).")
        .expect("an actor");
    assert!(
        case.add_line("state(russia).").is_err(),
        "while the fact stands, `russia` is an Actor"
    );
    assert_eq!(case.retract("conducted_by(op, russia)").ok(), Some(true));
    let stated = case.add_line("state(russia).");
    assert!(
        stated.is_ok(),
        "{}",
        stated.err().map(|e| e.render()).unwrap_or_default()
    );
    assert!(
        case.add_line("conducted_by(op, russia).").is_err(),
        "now `russia` is a State"
    );
}

#[test]
fn a_name_still_used_keeps_its_type() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_line("operation(op). operation(op2).")
        .expect("operations");
    case.add_line("conducted_by(op, gru).").expect("an actor");
    case.add_line("conducted_by(op2, gru).")
        .expect("the same actor");
    assert_eq!(case.retract("conducted_by(op, gru)").ok(), Some(true));
    let err = case
        .add_line("state(gru).")
        .expect_err("`gru` is still an Actor");
    assert!(
        err.render().contains("<line 3>"),
        "the remaining use is pointed at:\n{}",
        err.render()
    );
}

#[test]
fn clearing_releases_every_name() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_line("operation(op). conducted_by(op, russia).")
        .expect("an actor");
    case.clear();
    case.add_line("state(russia).")
        .expect("a State after `clear`");
}

/// A State another fact still names cannot be withdrawn alone: the scenario would name a
/// State it does not declare, and what `:save` writes would not load again.
#[test]
fn a_member_still_named_cannot_be_withdrawn_alone() {
    let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut case = Scenario::new(&kb);
    case.add_line(
        "state(aa). state(bb). operation(op). conducted_by(op, g). organ_of(g, aa). intruded_into(op, bb).",
    )
    .expect("a scenario");
    let err = case
        .retract("state(bb)")
        .expect_err("`bb` is still a State in intruded_into");
    let shown = err.render();
    assert!(shown.contains("intruded_into(op, bb)"), "{shown}");
    assert!(
        case.query("state(bb)", None).is_ok(),
        "nothing was withdrawn"
    );
    assert_eq!(case.retract("intruded_into(op, bb)").ok(), Some(true));
    assert_eq!(case.retract("state(bb)").ok(), Some(true));
    // What remains is a scenario that loads again as it is.
    let mut again = Scenario::new(&kb);
    let saved = case.to_text();
    assert!(again.add_text("saved.opinio", &saved).is_ok(), "{saved}");
}
