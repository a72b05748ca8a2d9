//! Helpers shared by the integration tests that run over the bundled knowledge base and
//! scenarios.
#![allow(dead_code)] // each test file uses some of them

use opinio::{KnowledgeBase, Scenario};
use std::path::PathBuf;

/// The bundled knowledge base (its diagnostics in the panic if it does not load).
pub fn bundled() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()))
}

/// A scenario of `text`, named `case.opinio` (its diagnostics in the panic if it does not
/// load).
pub fn scenario(kb: &KnowledgeBase, text: &str) -> Scenario {
    let mut s = Scenario::new(kb);
    s.add_text("case.opinio", text)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    s
}

/// The bundled public scenarios (`tests/scenarios/*.opinio`), sorted by name.
pub fn bundled_scenarios() -> Vec<PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "opinio"))
        .collect();
    files.sort();
    files
}

/// Every question with variables about a derived predicate (`pred(V0, V1, …)`), in
/// declaration order.
pub fn every_question(kb: &KnowledgeBase) -> Vec<String> {
    kb.program()
        .predicates
        .iter()
        .filter(|p| p.derived)
        .map(|p| {
            let vars: Vec<String> = (0..p.arity()).map(|i| format!("V{i}")).collect();
            if vars.is_empty() {
                p.name.clone()
            } else {
                format!("{}({})", p.name, vars.join(", "))
            }
        })
        .collect()
}

/// A law with a negated conjunction whose variable is its own: an operation is quiet if it
/// is flagged and there is no organisation it acts on that is big. On `flag(op1).
/// act(op1, o2). big(o1).` `quiet(op1)` is unknown, resting on `act(op1, o1)` alone.
pub fn quiet_law() -> KnowledgeBase {
    KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source s "Test source".
        type Org.
        type Op.
        predicate act(op: Op, o: Org) means "the operation acts on the organisation".
        predicate flag(op: Op) means "the operation is flagged".
        predicate big(o: Org) closed means "the organisation is big".
        predicate quiet(op: Op) means "the operation touches no big organisation".
        rule quiet: quiet(Op) if flag(Op) and not (act(Op, O) and big(O)) cites s "1".
        "#,
    )])
    .unwrap_or_else(|e| panic!("{}", e.render()))
}
