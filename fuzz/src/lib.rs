//! What each fuzz target does with its input, as plain functions: the fuzz targets in
//! `fuzz_targets/` call them, and `tests/reliability.rs` (which includes this file) runs every
//! crash the fuzzer ever found through them again. Each must return normally for any bytes:
//! a panic, a stack overflow, a hang or running out of memory is a bug.

use opinio::cli::KbArgs;
use opinio::repl::{commands, Session, Status};
use opinio::syntax::span::{FileId, SourceMap};
use opinio::{json, syntax, KnowledgeBase, Limits, Scenario};
use std::sync::OnceLock;
use std::time::Duration;

/// The bundled knowledge base, loaded once.
pub fn bundled() -> Option<&'static KnowledgeBase> {
    static KB: OnceLock<Option<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::bundled().ok()).as_ref()
}

/// The parser: any bytes, as a file and as a question. A tree or a diagnostic.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = SourceMap::new();
    let id = sources.add("fuzz.opinio", text.as_ref());
    match syntax::parse_file(id, &text) {
        Ok(file) => {
            let _ = syntax::dump(&file);
        }
        Err(e) => {
            let _ = opinio::diagnostic::render(&[e.diagnostic], &sources, false);
        }
    }
    if let Err(e) = syntax::parse_query(FileId(0), &text) {
        let _ = opinio::diagnostic::render(&[e.diagnostic], &sources, false);
    }
}

/// Parse, check and evaluate. The input is `PROGRAM \0 SCENARIO`, the program split into
/// files at `\x01` bytes (`a.opinio`, `b.opinio`, ...); an empty program means the bundled
/// knowledge base. Every derived predicate (the first few) is asked about with variables
/// under the first positions, one answer is explained and compared across positions, and the
/// expectations are run. Tight limits keep any input from hanging.
pub fn evaluate(data: &[u8]) {
    let (program, scenario) = match data.iter().position(|b| *b == 0) {
        Some(i) => (
            data.get(..i).unwrap_or(&[]),
            data.get(i + 1..).unwrap_or(&[]),
        ),
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
            .zip((b'a'..=b'z').cycle())
            .map(|(part, letter)| {
                (
                    format!("{}.opinio", char::from(letter)),
                    String::from_utf8_lossy(part).into_owned(),
                )
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
    if let Err(e) = case.run_expectations() {
        let _ = e.render();
    }
    let goals: Vec<String> = kb
        .program()
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
                    let Some(answer) = result.answers.first() else {
                        continue;
                    };
                    if explained {
                        continue;
                    }
                    explained = true;
                    match case.explain(answer, pos) {
                        Ok(e) => {
                            let _ = opinio::explain::render_text(&e, false);
                        }
                        Err(e) => {
                            let _ = e.render();
                        }
                    }
                    if let Err(e) = case.compare(&answer.atom) {
                        let _ = e.render();
                    }
                }
                Err(e) => {
                    let _ = e.render();
                }
            }
        }
    }
}

/// The JSON scenario format: `json::parse`, then the facts it gives through
/// `Scenario::add_text` on the bundled knowledge base, and one question.
pub fn json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let scenario = match json::parse(&text) {
        Ok(s) => s,
        Err(d) => {
            // Shown as `opinio` shows it: located in the JSON text.
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
            if let Err(e) = case.query("violates_sovereignty(Op, S)", None) {
                let _ = e.render();
            }
        }
        Err(e) => {
            let _ = e.render();
        }
    }
}

/// Whether a REPL line is safe to run without touching the file system: `:load`, `:save`
/// and `:graph` with a file are left out.
fn repl_line_allowed(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix(':') else {
        return true;
    };
    let (name, arg) = commands::split(rest);
    match commands::find(name).map(|c| c.name) {
        Some("load") | Some("save") => false,
        Some("graph") => arg.split_whitespace().count() <= 1 && !arg.contains(['.', '/', '~']),
        _ => true,
    }
}

/// A piped REPL session: one line at a time through `Session::handle_line`, the output into
/// a `Vec<u8>`, interview answers read from the following lines.
pub fn repl(data: &[u8]) {
    let Some(kb) = bundled() else { return };
    let args = KbArgs {
        max_atoms: Some(200_000),
        time_limit: Some(0.5),
        ..KbArgs::default()
    };
    let mut session = Session::new(kb, args);
    let text = String::from_utf8_lossy(data);
    let mut lines = text
        .lines()
        .filter(|l| repl_line_allowed(l))
        .map(str::to_string);
    let mut out: Vec<u8> = Vec::new();
    while let Some(line) = lines.next() {
        let mut ask = |_prompt: &str| lines.next();
        if session.handle_line(&line, &mut out, &mut ask) == Status::Quit {
            break;
        }
        if out.len() > 1 << 20 {
            out.clear();
        }
    }
    let _ = session.unsaved();
    let _ = session.prompt();
}

/// The formatter: what it accepts it lays out so that a second pass changes nothing, and it
/// never reports its own internal error (`opinio::fmt_internal`, a formatter bug).
pub fn fmt(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match opinio::fmt::format_source(&text) {
        Ok(once) => match opinio::fmt::format_source(&once) {
            Ok(twice) => assert_eq!(once, twice, "formatting is not idempotent"),
            Err(e) => panic!(
                "the formatter's output does not format again: {}",
                e.diagnostic.message
            ),
        },
        Err(e) => assert_ne!(
            e.diagnostic.code, "opinio::fmt_internal",
            "formatter bug: {}",
            e.diagnostic.message
        ),
    }
}
