//! Parse, check and evaluate: the input is `PROGRAM \0 SCENARIO`, the program itself split
//! into files at `\x01` bytes (`a.opinio`, `b.opinio`, ...). An empty program means the
//! bundled knowledge base. Every derived predicate is asked about with variables under each
//! position, one answer is explained, the expectations are run and one answer is compared
//! across positions. Tight limits keep any input from hanging the fuzzer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opinio::{KnowledgeBase, Limits, Scenario};
use std::sync::OnceLock;
use std::time::Duration;

fn bundled() -> Option<&'static KnowledgeBase> {
    static KB: OnceLock<Option<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::bundled().ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let (program, scenario) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let kb = if program.iter().all(|b| b.is_ascii_whitespace()) {
        match bundled() {
            Some(kb) => kb.clone(),
            None => return,
        }
    } else {
        let files: Vec<(String, String)> = program
            .split(|b| *b == 1)
            .enumerate()
            .map(|(i, part)| {
                let name = format!("{}.opinio", char::from(b'a' + (i % 26) as u8));
                (name, String::from_utf8_lossy(part).into_owned())
            })
            .collect();
        match KnowledgeBase::from_strings(files) {
            Ok(kb) => kb,
            Err(e) => {
                let _ = e.render();
                let _ = e.to_string();
                return;
            }
        }
    };
    let mut case = Scenario::new(&kb);
    case.set_limits(Limits {
        max_atoms: 20_000,
        time_budget: Some(Duration::from_millis(250)),
    });
    let text = String::from_utf8_lossy(scenario);
    if let Err(e) = case.add_text("case.opinio", &text) {
        let _ = e.render();
        return;
    }
    let _ = case.lint();
    let _ = case.to_text();
    let _ = case.run_expectations();

    let program = kb.program();
    let goals: Vec<String> = program
        .predicates
        .iter()
        .filter(|p| p.derived)
        .take(4)
        .map(|p| {
            let vars: Vec<String> = (0..p.arity()).map(|i| format!("X{i}")).collect();
            format!("{}({})", p.name, vars.join(", "))
        })
        .collect();
    let mut explained = false;
    for position in kb.position_names().into_iter().take(3) {
        let Ok(pos) = case.position_id(Some(position)) else {
            continue;
        };
        for goal in &goals {
            match case.query(goal, Some(position)) {
                Ok(result) => {
                    if let Some(answer) = result.answers.first() {
                        if !explained {
                            explained = true;
                            if let Ok(e) = case.explain(answer, pos) {
                                let _ = opinio::explain::render_text(&e, false);
                            }
                            if let Ok(rows) = case.compare(&answer.atom) {
                                let _ = rows.len();
                            }
                        }
                    }
                }
                Err(e) => {
                    let _ = e.render();
                }
            }
        }
    }
});
