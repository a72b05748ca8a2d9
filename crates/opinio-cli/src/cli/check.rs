//! `opinio check [PATH…]`: checks the knowledge base, and knowledge or scenario files and
//! folders against it, and prints every problem found.

use crate::options::KbArgs;
use crate::style::{print_diagnostics, print_load_error};
use opinio::kb::{self, KbFile, KnowledgeBase};
use opinio::syntax::span::SourceMap;
use opinio::Scenario;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs `opinio check`: every problem on stderr, then `checked N files: E errors, W warnings`;
/// the exit code is 1 if there was an error.
pub(super) fn run(args: &KbArgs, paths: &[PathBuf]) -> ExitCode {
    let (files, skipped) = match args.read_files() {
        Ok(f) => f,
        Err(e) => {
            print_load_error(&e);
            return ExitCode::from(1);
        }
    };
    let kb_names: Vec<PathBuf> = files.iter().map(|f| PathBuf::from(&f.name)).collect();
    let kb_count = files.len();
    let mut checked = files.len();
    // Kept to check additions with (`check_program`) without reading the folders again.
    let kb_files = files.clone();
    let (kb, diags, sources) = load(files);
    let mut errors = diags.iter().filter(|d| d.is_error()).count();
    let mut warnings = diags.len() - errors + skipped.len();
    print_diagnostics(&skipped, &SourceMap::new());
    print_diagnostics(&diags, &sources);
    for path in paths {
        let mut targets = Vec::new();
        if path.is_dir() {
            // A folder is a knowledge base of its own, unless it holds only scenarios.
            match kb::read_folder(path, args.max_file_size()) {
                Ok(kb::KbFolder { files: fs, skipped }) => {
                    warnings += skipped.len();
                    print_diagnostics(&skipped, &SourceMap::new());
                    let all_scenarios = fs.iter().all(|f| is_scenario_text(&f.text));
                    if all_scenarios {
                        targets.extend(fs.into_iter().map(|f| PathBuf::from(f.name)));
                    } else {
                        checked += fs.len();
                        let (d, sources) =
                            check_program(&kb_files, &diags, fs, &path.display().to_string());
                        let e = d.iter().filter(|x| x.is_error()).count();
                        errors += e;
                        warnings += d.len() - e;
                        print_diagnostics(&d, &sources);
                    }
                }
                Err(e) => {
                    print_load_error(&e);
                    errors += 1;
                }
            }
        } else {
            targets.push(path.clone());
        }
        for t in targets {
            if kb_names.iter().any(|n| same_file(n, &t)) {
                continue; // already checked (and counted) as part of the knowledge base
            }
            checked += 1;
            let text = match kb::read_text_file(&t, args.max_file_size()) {
                Ok(text) => text,
                Err(d) => {
                    print_diagnostics(&[d], &SourceMap::new());
                    errors += 1;
                    continue;
                }
            };
            let is_json = t.extension().is_some_and(|x| x == "json");
            if !is_json && !is_scenario_text(&text) {
                // Declarations and rules: alone, or as an addition (`check_program`).
                let file = KbFile {
                    name: t.display().to_string(),
                    text,
                };
                let (d, sources) =
                    check_program(&kb_files, &diags, vec![file], &t.display().to_string());
                let e = d.iter().filter(|x| x.is_error()).count();
                errors += e;
                warnings += d.len() - e;
                print_diagnostics(&d, &sources);
                continue;
            }
            let Some(kb) = &kb else {
                eprintln!(
                    "note: `{}` not checked: the knowledge base has errors",
                    t.display()
                );
                continue;
            };
            let mut s = Scenario::new(kb);
            args.configure(&mut s);
            s.set_max_file_size(args.max_file_size());
            match s.load_file(&t) {
                Ok(w) => {
                    warnings += w
                        .iter()
                        .filter(|d| d.severity == opinio::Severity::Warning)
                        .count();
                    print_diagnostics(&w, s.sources());
                }
                Err(e) => {
                    let n = e.errors().count();
                    errors += n;
                    warnings += e.diagnostics.len() - n;
                    print_load_error(&e);
                }
            }
        }
    }
    let files_word = |n: usize| format!("{n} {}", if n == 1 { "file" } else { "files" });
    // The files named are told apart from the knowledge base they were checked against:
    // "checked 45 files" for one scenario reads as if 45 had been named.
    let what = if checked > kb_count && kb_count > 0 {
        format!(
            "{} and the knowledge base ({})",
            files_word(checked - kb_count),
            files_word(kb_count)
        )
    } else {
        files_word(checked)
    };
    let summary = format!(
        "checked {what}: {errors} {}, {warnings} {}\n",
        if errors == 1 { "error" } else { "errors" },
        if warnings == 1 { "warning" } else { "warnings" },
    );
    let _ = std::io::stderr().write_all(summary.as_bytes());
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks files of declarations and rules (`shown`: a file or a folder, for the note): as a
/// program of their own, or as an addition to the knowledge base (`--extend`) that uses its
/// types and predicates. Alone first; if that fails, also as an addition, and the reading with
/// fewer errors is the one reported, with a note when it was the addition. On a tie, the
/// addition unless the files declare types of their own (its help can suggest the knowledge
/// base's names). `kb_files`, `kb_diags`: the knowledge base's files, read once, and its own
/// diagnostics, shown already.
fn check_program(
    kb_files: &[KbFile],
    kb_diags: &[opinio::Diagnostic],
    files: Vec<KbFile>,
    shown: &str,
) -> (Vec<opinio::Diagnostic>, SourceMap) {
    // Files that declare types of their own are more likely a program of their own: on a
    // tie they are reported as one.
    let own_types = files
        .iter()
        .any(|f| f.text.lines().any(|l| l.trim_start().starts_with("type ")));
    let (_, d, sources) = load(files.clone());
    let alone_errors = d.iter().filter(|x| x.is_error()).count();
    if alone_errors == 0 {
        return (d, sources);
    }
    let mut with = kb_files.to_vec();
    with.extend(files);
    let (_, dx, sx) = load(with);
    let dx: Vec<_> = dx
        .into_iter()
        .filter(|x| {
            !kb_diags
                .iter()
                .any(|k| k.code == x.code && k.message == x.message)
        })
        .collect();
    let with_errors = dx.iter().filter(|x| x.is_error()).count();
    if with_errors > alone_errors || (with_errors == alone_errors && own_types) {
        return (d, sources);
    }
    eprintln!(
        "note: `{shown}` was checked as an addition to the knowledge base, whose types and predicates it may use (as `--extend FOLDER` loads the files of a folder)"
    );
    (dx, sx)
}

/// Whether two names are of one file (links followed); `false` if either cannot be found.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether a text holds only facts, expectations and comments (a scenario), judged by the
/// parser; unparsable text counts as a scenario so that its errors are shown as such.
pub fn is_scenario_text(text: &str) -> bool {
    match opinio::syntax::parse_file(opinio::syntax::span::FileId(0), text) {
        Ok(f) => f.statements.iter().all(|s| s.is_scenario_statement()),
        Err(_) => !looks_like_knowledge(text),
    }
}

/// For a text that does not parse: whether a line starts with a reserved word that only a
/// declaration starts with.
fn looks_like_knowledge(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        ["rule ", "predicate ", "type ", "source ", "position "]
            .iter()
            .any(|k| t.starts_with(k))
    })
}

/// Loads a knowledge base once and returns it (if it has no error), every diagnostic (errors
/// and warnings) and the texts they point into.
fn load(files: Vec<KbFile>) -> (Option<KnowledgeBase>, Vec<opinio::Diagnostic>, SourceMap) {
    match KnowledgeBase::from_files(files) {
        Ok(kb) => {
            let diags = kb.warnings().to_vec();
            let sources = kb.sources().clone();
            (Some(kb), diags, sources)
        }
        Err(e) => (None, e.diagnostics, e.sources),
    }
}
