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
