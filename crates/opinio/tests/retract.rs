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
