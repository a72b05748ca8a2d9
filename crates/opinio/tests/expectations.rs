//! Data-driven tests: every `.opinio` file under `tests/eval` (self-contained programs),
//! `tests/scenarios` and `tests/knowledge` (scenarios on the bundled knowledge base) carries
//! its own `expect` statements. A new case is a new file, not new Rust.

use opinio::{KnowledgeBase, Scenario};
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "opinio") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn run(s: &Scenario, file: &Path, failures: &mut Vec<String>) -> usize {
    let outcomes = s.run_expectations().expect("evaluates");
    assert!(
        !outcomes.is_empty(),
        "{} has no expectation",
        file.display()
    );
    for o in &outcomes {
        if !o.passed {
            failures.push(format!(
                "{}: under {}: {} expected {}, got {}",
                o.location,
                o.position,
                o.goal,
                o.expected.as_str(),
                o.got.as_str()
            ));
        }
    }
    outcomes.len()
}

#[test]
fn self_contained_programs() {
    let mut failures = Vec::new();
    let mut total = 0;
    for f in files("tests/eval") {
        let text = std::fs::read_to_string(&f).expect("readable");
        let kb = KnowledgeBase::from_strings([(f.display().to_string(), text)])
            .unwrap_or_else(|e| panic!("{}", e.render()));
        assert!(
            kb.warnings().is_empty(),
            "{}",
            opinio::diagnostic::render(kb.warnings(), kb.sources(), false)
        );
        total += run(&Scenario::new(&kb), &f, &mut failures);
    }
    assert!(total >= 40, "only {total} expectations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bundled_knowledge_base_cases() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(
        kb.warnings().is_empty(),
        "{}",
        opinio::diagnostic::render(kb.warnings(), kb.sources(), false)
    );
    let mut failures = Vec::new();
    let mut total = 0;
    for dir in ["tests/scenarios", "tests/knowledge"] {
        for f in files(dir) {
            let mut s = Scenario::new(&kb);
            if let Err(e) = s.load_file(&f) {
                panic!("{}", e.render());
            }
            total += run(&s, &f, &mut failures);
        }
    }
    assert!(total >= 130, "only {total} expectations");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
