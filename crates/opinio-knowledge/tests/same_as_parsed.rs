//! The knowledge base compiled when this crate was built is the one the library parses and
//! checks at run time: the same texts, program, warnings and content hash, and the same
//! answers to every question of every public scenario under every position.

use opinio::{KnowledgeBase, Scenario};
use std::path::{Path, PathBuf};

fn parsed() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()))
}

fn compiled() -> KnowledgeBase {
    // `compiled()`, not `bundled()`: a stale or unreadable copy must fail here rather than
    // pass through the run-time fallback.
    opinio_knowledge::compiled().unwrap_or_else(|| panic!("the compiled copy cannot be used"))
}

/// The public scenarios (`crates/opinio/tests/scenarios/*.opinio`), sorted.
fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../opinio/tests/scenarios");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "opinio"))
        .collect();
    out.sort();
    assert!(
        out.len() >= 5,
        "only {} scenarios in {}",
        out.len(),
        dir.display()
    );
    out
}

#[test]
fn the_compiled_copy_is_the_parsed_knowledge_base() {
    let (parsed, compiled) = (parsed(), compiled());
    assert!(compiled.has_bundled_texts());
    assert_eq!(compiled.content_hash(), parsed.content_hash());
    assert_eq!(compiled.warnings(), parsed.warnings());
    assert_eq!(compiled.position_names(), parsed.position_names());
    // The whole program, index masks and warnings, field by field: writing both gives the
    // same bytes.
    let bytes = |kb: &KnowledgeBase| kb.to_compiled().unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes(&compiled) == bytes(&parsed));
}

/// Every atom of every predicate that is true or unknown in the scenario under the position,
/// as text (`pred(a, b) = true`), sorted; every other atom is false.
fn answers(kb: &KnowledgeBase, scenario: &Path, position: &str) -> Vec<String> {
    let mut s = Scenario::new(kb);
    s.load_file(scenario)
        .unwrap_or_else(|e| panic!("{}: {}", scenario.display(), e.render()));
    let pos = s
        .position_id(Some(position))
        .unwrap_or_else(|e| panic!("{e}"));
    let model = s.model(pos).unwrap_or_else(|e| panic!("{e}"));
    let program = s.program();
    let mut out = Vec::new();
    for (i, _) in program.predicates.iter().enumerate() {
        let pred = opinio::program::PredId::from_index(i);
        for args in model.possible(pred).iter() {
            let atom = program.atom_text(pred, args, s.interner());
            out.push(format!("{atom} = {}", model.value(pred, args).as_str()));
        }
    }
    out.sort();
    out
}

#[test]
fn every_public_scenario_answers_alike_under_every_position() {
    let (parsed, compiled) = (parsed(), compiled());
    for scenario in scenarios() {
        for position in parsed.position_names() {
            let (a, b) = (
                answers(&parsed, &scenario, position),
                answers(&compiled, &scenario, position),
            );
            assert!(!a.is_empty(), "{} under {position}", scenario.display());
            assert!(a == b, "{} under {position}", scenario.display());
        }
    }
}

/// An explanation, as text and as JSON, of an answer that rests on rules, facts, open points
/// and citations.
fn explanation(kb: &KnowledgeBase, position: &str, goal: &str) -> (String, String) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../opinio/tests/scenarios/notpetya.opinio");
    let mut s = Scenario::new(kb);
    s.load_file(&path)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let result = s
        .query(goal, Some(position))
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = result
        .answers
        .first()
        .unwrap_or_else(|| panic!("no answer"));
    let x = s.explain(answer).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&x).unwrap_or_else(|e| panic!("{e}"));
    (opinio::explain::render_text(&x, false), json)
}

#[test]
fn explanations_read_alike() {
    let (parsed, compiled) = (parsed(), compiled());
    for (position, goal) in [
        ("tallinn2", "violates_sovereignty(notpetya, ukraine)"),
        ("tallinn2", "violates_sovereignty(notpetya, denmark)"),
    ] {
        let (text, json) = explanation(&parsed, position, goal);
        assert!(text.contains("notpetya"), "{text}");
        assert_eq!(explanation(&compiled, position, goal), (text, json));
    }
}
