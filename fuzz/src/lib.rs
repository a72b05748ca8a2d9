//! What each fuzz target does with its input, as plain functions: the fuzz targets in
//! `fuzz_targets/` call them, and `tests/reliability.rs` (which includes this file) runs every
//! crash the fuzzer ever found through them again. Each must return normally for any bytes:
//! a panic, a stack overflow, a hang or running out of memory is a bug.

use opinio::syntax::span::{FileId, SourceMap};
use opinio::{json, syntax, Diagnostic, KnowledgeBase, Limits, Scenario};
use opinio_cli::cli::KbArgs;
use opinio_cli::repl::{commands, Session, Status};
use std::path::{Path, PathBuf};
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
        ..Limits::default()
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
    let goals = open_goals(&kb, 4);
    let positions: Vec<&str> = kb.position_names().into_iter().take(3).collect();
    ask_and_explain_once(&case, &positions, &goals);
}

/// `pred(X0, …)` for the first `n` derived predicates of `kb`: questions with variables.
fn open_goals(kb: &KnowledgeBase, n: usize) -> Vec<String> {
    kb.program()
        .predicates
        .iter()
        .filter(|p| p.derived)
        .take(n)
        .map(|p| {
            let vars: Vec<String> = (0..p.arity()).map(|i| format!("X{i}")).collect();
            format!("{}({})", p.name, vars.join(", "))
        })
        .collect()
}

/// Asks every goal under every position, and explains and compares the first answer found.
fn ask_and_explain_once(case: &Scenario, positions: &[&str], goals: &[String]) {
    let mut explained = false;
    for &position in positions {
        for goal in goals {
            match case.query(goal, Some(position)) {
                Ok(result) => {
                    let Some(answer) = result.answers.first() else {
                        continue;
                    };
                    if explained {
                        continue;
                    }
                    explained = true;
                    match case.explain(answer) {
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
        ..Limits::default()
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

/// Whether a REPL line is safe to run without touching the file system: `:load`, `:save`,
/// `:report` and `:graph` with a file are left out.
fn repl_line_allowed(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix(':') else {
        return true;
    };
    let (name, arg) = commands::split(rest);
    match commands::find(name).map(|c| c.name) {
        Some("load") | Some("save") | Some("report") => false,
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
            e.diagnostic.code,
            opinio::diagnostic::Code::FmtInternal,
            "formatter bug: {}",
            e.diagnostic.message
        ),
    }
}

/// Every diagnostic rendered the ways `opinio` shows them: miette's report (the path that
/// panicked on labels past column 65,535) and the one-line form.
fn render_all(diags: &[Diagnostic], sources: &SourceMap) {
    let _ = opinio::diagnostic::render(diags, sources, false);
    for d in diags.iter().take(64) {
        let _ = d.one_line(sources);
    }
}

/// A small knowledge base for the scenarios the `folders` target reads.
fn folder_kb() -> Option<&'static KnowledgeBase> {
    static KB: OnceLock<Option<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::from_strings([("kb.opinio", FOLDER_FRAGMENTS.join("\n"))]).ok()
    })
    .as_ref()
}

/// Pieces of knowledge bases and scenarios the `folders` target writes into its files (and
/// which, all together, make the small knowledge base its scenarios are read against).
pub const FOLDER_FRAGMENTS: &[&str] = &[
    "source s \"A source\".",
    "type State.",
    "type Op.",
    "predicate state(x: State) means \"x is a state\".",
    "predicate operation(o: Op) closed means \"o is an operation\".",
    "predicate conducts(s: State, o: Op) means \"s conducts o\".",
    "predicate wrongful(o: Op) means \"o is wrongful\".",
    "predicate blamed(s: State) means \"s is blamed\".",
    "rule r_wrong: wrongful(O) if operation(O) and not conducts(_, O) cites s \"1\".",
    "rule r_blame: blamed(S) if conducts(S, O) and wrongful(O) unless not state(S) cites s \"2\".",
    "position strict extends default { settle r_wrong = true. }",
];

/// Loads the folder `root` every way Opinio reads a folder, and reads each of `paths` as a
/// scenario file. Each must give a knowledge base, a list of files or an error, never a
/// panic or a hang (a named pipe opened for reading waits for ever; a link loop walked
/// naively never ends). Links in the folder may lead out of it but must stay inside the
/// folder's parent: `opinio test` follows them.
pub fn folder(root: &Path, paths: &[PathBuf]) {
    const CAP: u64 = 1 << 16;
    // `--kb DIR` (and the library's `from_dir`), with a small cap, then with the default one
    // if a file was too large for the small one.
    for cap in [CAP, opinio::kb::DEFAULT_MAX_FILE_SIZE] {
        match KnowledgeBase::from_dir_with_limit(root, cap) {
            Ok(kb) => {
                render_all(kb.warnings(), kb.sources());
                break;
            }
            Err(e) => {
                let _ = e.render();
                let _ = e.to_string();
                if !e
                    .diagnostics
                    .iter()
                    .any(|d| d.code == opinio::diagnostic::Code::FileTooLarge)
                {
                    break;
                }
            }
        }
    }
    // `opinio check DIR`: the files read, then checked leniently.
    match opinio::kb::read_folder(root, CAP) {
        Ok(folder) => {
            render_all(&folder.skipped, &SourceMap::new());
            match KnowledgeBase::from_files(folder.files) {
                Ok(kb) => render_all(kb.warnings(), kb.sources()),
                Err(e) => render_all(&e.diagnostics, &e.sources),
            }
        }
        Err(e) => {
            let _ = e.render();
        }
    }
    // `opinio test DIR`: the walk that follows links out of the folder, each file then read
    // as a scenario.
    let mut files: Vec<PathBuf> = Vec::new();
    for stay_inside in [false, true] {
        match opinio::kb::walk_folder(root, stay_inside) {
            Ok(walk) => {
                render_all(&walk.skipped, &SourceMap::new());
                if !stay_inside {
                    files = walk.files;
                }
            }
            Err(d) => render_all(&[d], &SourceMap::new()),
        }
    }
    let Some(kb) = folder_kb() else { return };
    for path in files.iter().take(16).chain(paths.iter().take(16)) {
        let mut case = Scenario::new(kb);
        case.set_max_file_size(CAP);
        case.set_limits(Limits {
            max_atoms: 20_000,
            time_budget: Some(Duration::from_millis(250)),
            ..Limits::default()
        });
        match case.load_file(path) {
            Ok(warnings) => {
                render_all(&warnings, case.sources());
                if let Err(e) = case.run_expectations() {
                    let _ = e.render();
                }
            }
            Err(e) => {
                let _ = e.render();
            }
        }
    }
}

/// Parses, checks, evaluates and renders a (large) program: the `structured` target's
/// generated programs, and the dump of one (`OPINIO_FUZZ_DUMP`, in `evaluate`'s format).
/// `files` are the program's files (formatted too, up to 512 KiB), `scenario` facts and
/// expectations added to it, `goals` questions asked (with the first derived predicates) under
/// the first two positions. Limits of 1,000,000 atoms, 256 MiB and one second an evaluation
/// keep any input from hanging or exhausting memory; every diagnostic is rendered, however
/// long its line.
pub fn program(files: &[(String, String)], scenario: &str, goals: &[String]) {
    // `opinio fmt` too, on the files small enough to format in time (it parses twice).
    for (_, text) in files.iter().filter(|(_, t)| t.len() <= 512 * 1024) {
        let _ = opinio::fmt::format_source(text);
    }
    let kb = match KnowledgeBase::from_strings(files.iter().cloned()) {
        Ok(kb) => kb,
        Err(e) => {
            let _ = e.render();
            let _ = e.to_string();
            return;
        }
    };
    render_all(kb.warnings(), kb.sources());
    let mut case = Scenario::new(&kb);
    // Wide predicates make big atoms: past 256 MiB the memory cap stops them before the atom
    // cap does.
    case.set_limits(Limits {
        max_atoms: 1_000_000,
        time_budget: Some(Duration::from_secs(1)),
        max_memory: 256 << 20,
    });
    match case.add_text("case.opinio", scenario) {
        Ok(warnings) => render_all(&warnings, case.sources()),
        Err(e) => {
            let _ = e.render();
        }
    }
    render_all(&case.lint(), case.sources());
    if let Err(e) = case.run_expectations() {
        let _ = e.render();
    }
    let derived = open_goals(&kb, 3);
    let asked: Vec<String> = goals.iter().take(4).chain(&derived).cloned().collect();
    let positions: Vec<&str> = kb.position_names().into_iter().take(2).collect();
    ask_and_explain_once(&case, &positions, &asked);
}

/// [`program`] on bytes `PROGRAM \0 SCENARIO \0 GOALS`: the program split into files at `\x01`
/// (`a.opinio`, `b.opinio`, ...) as in `evaluate`, the questions separated by `\x01`. The
/// `structured` target writes its generated programs in this form and runs them through
/// this function, so that a dump of one (`OPINIO_FUZZ_DUMP=FILE`) replays exactly.
pub fn structured_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let program_text = parts.next().unwrap_or("");
    let scenario = parts.next().unwrap_or("");
    let goals: Vec<String> = match parts.next() {
        Some(g) if !g.is_empty() => g.split('\u{1}').map(str::to_string).collect(),
        _ => Vec::new(),
    };
    let files: Vec<(String, String)> = program_text
        .split('\u{1}')
        .zip((b'a'..=b'z').cycle())
        .map(|(part, letter)| (format!("{}.opinio", char::from(letter)), part.to_string()))
        .collect();
    program(&files, scenario, &goals);
}
