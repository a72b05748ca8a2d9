//! `opinio test`: run the `expect` statements of files and folders.

use super::{is_scenario_text, print_diagnostics, KbArgs};
use opinio::kb::{KbFile, KnowledgeBase};
use opinio::program::{PosId, RuleId};
use opinio::syntax::span::SourceMap;
use opinio::Scenario;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The folder name whose files `opinio test` leaves out when it walks a folder: the
/// deliberately broken files of a test suite. Named on the command line, it is run.
pub const INVALID_FOLDER: &str = "invalid";

/// The `.opinio` files of a path (each real file of a folder once, those under a folder
/// named [`INVALID_FOLDER`] left out); entries of a folder left out are shown on stderr.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), ()> {
    if path.is_dir() {
        match opinio::kb::walk_folder(path, false) {
            Ok(walk) => {
                print_diagnostics(&walk.skipped, &SourceMap::new());
                out.extend(walk.files.into_iter().filter(|f| {
                    !f.strip_prefix(path)
                        .unwrap_or(f)
                        .components()
                        .any(|c| c.as_os_str() == INVALID_FOLDER)
                }));
            }
            Err(d) => {
                print_diagnostics(&[d], &SourceMap::new());
                return Err(());
            }
        }
    } else if path.extension().is_some_and(|x| x == "opinio") {
        out.push(path.to_path_buf());
    } else {
        // Named on the command line and silently passed over, it would read as tested.
        eprintln!(
            "error: `{}` is not an Opinio file\n  help: `opinio test` runs the `expect` statements of `.opinio` files, named one by one or found in the folders named",
            path.display()
        );
        return Err(());
    }
    Ok(())
}

pub fn run(args: &KbArgs, paths: &[PathBuf], coverage: bool) -> ExitCode {
    let mut files = Vec::new();
    let defaults = [PathBuf::from("tests")];
    let roots = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for p in roots {
        if !p.exists() {
            if paths.is_empty() {
                eprintln!(
                    "error: there is no `tests` folder here, where `opinio test` looks when given nothing\n  help: name the files or folders to test: `opinio test case.opinio scenarios/`"
                );
            } else {
                eprintln!(
                    "error: `{}` does not exist\n  help: check the path; `opinio test` takes `.opinio` files and folders holding them",
                    p.display()
                );
            }
            return ExitCode::from(1);
        }
        if collect(p, &mut files).is_err() {
            return ExitCode::from(1);
        }
    }
    if files.is_empty() {
        let named: Vec<String> = roots.iter().map(|p| format!("`{}`", p.display())).collect();
        eprintln!(
            "error: no `.opinio` file in {}: nothing to test\n  help: a test is a scenario (or a small knowledge base) with `expect` lines, in a file ending in `.opinio`",
            named.join(", ")
        );
        return ExitCode::from(1);
    }
    let kb = match args.load() {
        Ok(kb) => kb,
        Err(e) => {
            print_diagnostics(&e.diagnostics, &e.sources);
            return ExitCode::from(1);
        }
    };
    let mut passed = 0usize;
    let mut failed = 0usize;
    let mut fired: HashSet<RuleId> = HashSet::new();
    let mut out = String::new();
    for f in &files {
        let text = match opinio::kb::read_text_file(f, args.max_file_size()) {
            Ok(text) => text,
            Err(d) => {
                out.push_str(&format!("FAIL {}\n", d.message));
                failed += 1;
                continue;
            }
        };
        let scenario = if is_scenario_text(&text) {
            let mut s = Scenario::new(&kb);
            args.configure(&mut s);
            s.set_as_of(args.as_of);
            match s.add_text(&f.display().to_string(), &text) {
                Ok(_) => Some(s),
                Err(e) => {
                    print_diagnostics(&e.diagnostics, &e.sources);
                    None
                }
            }
        } else {
            match KnowledgeBase::from_files(vec![KbFile {
                name: f.display().to_string(),
                text,
            }]) {
                Ok(own) => {
                    let mut s = Scenario::new(&own);
                    args.configure(&mut s);
                    s.set_as_of(args.as_of);
                    Some(s)
                }
                Err(e) => {
                    print_diagnostics(&e.diagnostics, &e.sources);
                    None
                }
            }
        };
        let Some(s) = scenario else {
            out.push_str(&format!(
                "FAIL {}: the file has errors (shown above)\n",
                f.display()
            ));
            failed += 1;
            continue;
        };
        match s.run_expectations() {
            Ok(outcomes) => {
                if outcomes.is_empty() {
                    // Passing 0 of 0 would read as a success.
                    out.push_str(&format!(
                        "note: {} has no `expect` line: nothing in it is tested\n",
                        f.display()
                    ));
                }
                for o in outcomes {
                    if o.passed {
                        passed += 1;
                    } else {
                        failed += 1;
                        out.push_str(&format!(
                            "FAIL {}: under {}: {} expected {}, got {}\n",
                            o.location,
                            o.position,
                            o.goal,
                            o.expected.as_str(),
                            o.got.as_str()
                        ));
                    }
                }
            }
            Err(e) => {
                failed += 1;
                let shown = crate::style::render_error(&e, false, crate::style::Front::Command);
                out.push_str(&format!("FAIL {}: {shown}", f.display()));
            }
        }
        if coverage && std::ptr::eq(s.program(), kb.program()) {
            rules_fired(&s, &mut fired);
        }
    }
    if coverage {
        out.push_str(&coverage_report(&kb, &fired));
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    let _ = std::io::stdout().write_all(out.as_bytes());
    if passed + failed == 0 {
        eprintln!(
            "error: no expectation was found, so nothing was tested\n  help: write what each scenario should give as `expect ATOM = true.` (or `false`, `unknown`)"
        );
        return ExitCode::from(1);
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Marks every rule that made its conclusion true under some position
/// ([`opinio::eval::rule_made_true`]: where a rule leaves a point of law open, an instance
/// that holds up to the open point counts).
pub fn rules_fired(s: &Scenario, fired: &mut HashSet<RuleId>) {
    let program = s.program();
    for i in 0..program.positions.len() {
        let pos = PosId::from_index(i);
        let Ok(model) = s.model(pos) else { continue };
        for &rule in &program.position(pos).rules {
            if !fired.contains(&rule) && opinio::eval::rule_made_true(program, &model, rule) {
                fired.insert(rule);
            }
        }
    }
}

fn coverage_report(kb: &KnowledgeBase, fired: &HashSet<RuleId>) -> String {
    let program = kb.program();
    let mut never: Vec<String> = Vec::new();
    for (i, r) in program.rules.iter().enumerate() {
        if !fired.contains(&RuleId::from_index(i)) {
            let (line, _) = kb.sources().line_col(r.span);
            never.push(format!(
                "  {} (position {}, {}:{line})",
                r.name,
                program.position(r.origin).name,
                kb.sources().name(r.span.file)
            ));
        }
    }
    let total = program.rules.len();
    let mut out = format!(
        "coverage: {} of {total} rules made true by some test\n",
        total - never.len()
    );
    if !never.is_empty() {
        out.push_str("never made true:\n");
        for n in never {
            out.push_str(&n);
            out.push('\n');
        }
    }
    out
}
