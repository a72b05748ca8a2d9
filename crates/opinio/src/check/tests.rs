//! Tests of the checker's passes through whole knowledge bases.

use crate::KnowledgeBase;

const HEADER: &str = "source s \"S\".\ntype T.\ntype Level = low < high.\npredicate b(x: T, l: Level) means \"b\".\npredicate c(x: T, y: T) means \"c\".\npredicate p(x: T) means \"p\".\n";

fn load(rules: &str) -> Result<KnowledgeBase, String> {
    KnowledgeBase::from_strings([("t.opinio", format!("{HEADER}{rules}"))]).map_err(|e| e.render())
}

#[test]
fn variables_only_under_not_are_local() {
    // `Y` occurs only in the exception: "unless some c(X, Y)".
    let kb = load("rule r: p(X) if b(X, L) unless c(X, Y) cites s.\n").expect("safe");
    let rule = &kb.program().rules[0];
    let crate::program::Formula::And(parts) = &rule.body else {
        panic!("a conjunction")
    };
    let locals: Vec<&str> = parts
        .iter()
        .filter_map(|f| match f {
            crate::program::Formula::Not(_, l) => Some(l),
            _ => None,
        })
        .flatten()
        .map(|v| rule.vars[v.index()].name.as_str())
        .collect();
    assert_eq!(locals, ["Y"]);
}

#[test]
fn comparisons_need_bound_variables_and_ordered_types() {
    assert!(load("rule r: p(X) if b(X, L) and L >= low cites s.\n").is_ok());
    let e = load("rule r: p(X) if b(X, L) and M >= low cites s.\n").expect_err("unbound");
    assert!(e.contains("compared before it has a value"), "{e}");
    let e = load("rule r: p(X) if c(X, Y) and Y > X cites s.\n").expect_err("not ordered");
    assert!(e.contains("has no order"), "{e}");
}

#[test]
fn an_or_binds_only_what_every_branch_binds() {
    let e = load("rule r: p(X) if c(X, Y) or b(Z, L) cites s.\n").expect_err("unsafe");
    assert!(
        e.contains("`X` in the conclusion of `r` is never given a value"),
        "{e}"
    );
    assert!(load("rule r: p(X) if c(X, Y) or b(X, L) cites s.\n").is_ok());
}

#[test]
fn a_variable_has_one_type() {
    let e = load("rule r: p(X) if b(X, L) and c(L, X) cites s.\n").expect_err("two types");
    assert!(
        e.contains("stands for a Level in one place and a T in another"),
        "{e}"
    );
}

#[test]
fn enumeration_values_belong_to_their_type() {
    let e = load("rule r: p(X) if b(X, medium) cites s.\n").expect_err("not a Level");
    assert!(
        e.contains("`medium` is not a value of the type Level"),
        "{e}"
    );
}

#[test]
fn readings_and_titles_reach_the_program() {
    let kb = load(
        "predicate on(x: T, d: Date) reads \"{x} took place on {d}\".\n\
         predicate q(x: T) reads \"{x} is unsettled\".\n\
         rule r: q(X) if p(X) and unsettled(open_point, \"divided\") cites s.\n\
         unsettled open_point titled \"a divided point\".\n",
    )
    .expect("loads");
    let program = kb.program();
    let on = program.predicate_id("on").expect("declared");
    let reading = program.predicate(on).reading.as_ref().expect("a reading");
    assert_eq!(reading.template, "{x} took place on {d}");
    assert_eq!(
        reading.parts,
        [
            crate::program::ReadingPart::Slot(0),
            crate::program::ReadingPart::Words(" took place on ".into()),
            crate::program::ReadingPart::Slot(1),
        ]
    );
    let mut interner = program.interner.clone();
    let args = [
        interner.intern("Operation \"X\""),
        interner.intern("2017-06-27"),
    ];
    assert_eq!(
        program.phrase(on, &args, &interner),
        "Operation \"X\" took place on 2017-06-27"
    );
    // The code form when the number of arguments is wrong, and for a predicate without `reads`.
    assert_eq!(
        program.phrase(on, &args[..1], &interner),
        "on(\"Operation \\\"X\\\"\")"
    );
    let p = program.predicate_id("p").expect("declared");
    assert_eq!(
        program.phrase(p, &args[..1], &interner),
        "p(\"Operation \\\"X\\\"\")"
    );
    let point = program.point_id("open_point").expect("raised");
    assert_eq!(
        program.point(point).title.as_deref(),
        Some("a divided point")
    );
    assert_eq!(program.point_title(point), "a divided point");
}

#[test]
fn a_point_without_a_title_is_shown_by_its_name() {
    let kb = load("rule r: p(X) if c(X, Y) and unsettled(open_point, \"divided\") cites s.\n")
        .expect("loads");
    let program = kb.program();
    let point = program.point_id("open_point").expect("raised");
    assert_eq!(program.point(point).title, None);
    assert_eq!(program.point_title(point), "open point");
}

#[test]
fn a_title_is_not_a_scenario_statement() {
    let kb = load("rule r: p(X) if c(X, Y) and unsettled(open_point, \"divided\") cites s.\n")
        .expect("loads");
    let mut case = crate::Scenario::new(&kb);
    let e = case
        .add_text("case.opinio", "unsettled open_point titled \"mine\".")
        .expect_err("refused");
    assert!(
        e.render().contains("not_a_scenario_statement"),
        "{}",
        e.render()
    );
}
