//! The JSON scenario format: any bytes through `json::parse`, then the facts it gives
//! through `Scenario::add_text` on the bundled knowledge base, and one question.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opinio::syntax::span::SourceMap;
use opinio::{json, KnowledgeBase, Limits, Scenario};
use std::sync::OnceLock;
use std::time::Duration;

fn bundled() -> Option<&'static KnowledgeBase> {
    static KB: OnceLock<Option<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::bundled().ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let scenario = match json::parse(&text) {
        Ok(s) => s,
        Err(d) => {
            // Show the error as `opinio` would: located in the JSON text.
            let mut sources = SourceMap::new();
            let id = sources.add("case.json", text.as_ref());
            let d = json::locate(d, id, &text);
            let _ = opinio::diagnostic::render(&[d], &sources, false);
            return;
        }
    };
    let Some(kb) = bundled() else { return };
    let mut case = Scenario::new(kb);
    case.set_limits(Limits {
        max_atoms: 200_000,
        time_budget: Some(Duration::from_millis(500)),
    });
    match case.add_text("case.json", &scenario.to_opinio()) {
        Ok(_) => {
            let _ = case.lint();
            let _ = case.query("violates_sovereignty(Op, S)", None);
        }
        Err(e) => {
            let _ = e.render();
        }
    }
});
