//! `opinio fmt [--check] [PATH…]`: the command-line face of [`opinio::fmt::format_source`].
//!
//! Files are rewritten in place atomically (the new text goes to `FILE.tmp-<pid>`, which is
//! then renamed over the file), so a file is never left half written. A file that does not
//! parse is reported and left untouched.

use crate::files::write_atomically;
use opinio::fmt::format_source;
use opinio::syntax::span::SourceMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs `opinio fmt`; the exit code is 1 if a file could not be formatted or, with
/// `check`, if a file is not laid out canonically.
pub fn run(paths: &[PathBuf], check: bool) -> ExitCode {
    if paths.is_empty() {
        return run_stdin(check);
    }
    let mut files = Vec::new();
    let mut failed = false;
    for p in paths {
        if p.is_dir() {
            collect(p, &mut files);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            eprintln!("error: `{}` does not exist", p.display());
            failed = true;
        }
    }
    let mut changed = 0usize;
    for f in &files {
        match format_file(f, check) {
            Ok(true) => changed += 1,
            Ok(false) => {}
            Err(()) => failed = true,
        }
    }
    if failed || (check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The `.opinio` files under a folder, sorted; hidden entries, links to folders and folders
/// named `invalid` (deliberately broken files, which `opinio test` leaves out too) skipped.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for e in entries {
        let hidden = e
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let is_link = std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink());
        if e.is_dir() {
            let invalid = e
                .file_name()
                .is_some_and(|n| n == super::test_cmd::INVALID_FOLDER);
            if !is_link && !invalid {
                collect(&e, out);
            }
        } else if e.extension().is_some_and(|x| x == "opinio") {
            if e.is_file() {
                out.push(e);
            } else {
                eprintln!(
                    "note: `{}` is not an ordinary file (a named pipe, a device or a broken link): skipped",
                    e.display()
                );
            }
        }
    }
}

/// Formats one file; `Ok(true)` if it was (or, with `check`, would be) changed.
fn format_file(path: &Path, check: bool) -> Result<bool, ()> {
    let shown = path.display().to_string();
    // Only ordinary files, and not past the size cap every other reader keeps to: opening a
    // named pipe would wait for ever, and reading a device would never end.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            eprintln!("error: `{shown}` is not an ordinary file (a folder, a named pipe or a device); left as it is");
            return Err(());
        }
        Ok(meta) if meta.len() > opinio::kb::DEFAULT_MAX_FILE_SIZE => {
            eprintln!(
                "error: `{shown}` is larger than {} MiB, the most Opinio reads from one file; left as it is",
                opinio::kb::DEFAULT_MAX_FILE_SIZE / (1024 * 1024)
            );
            return Err(());
        }
        _ => {}
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                eprintln!("error: `{shown}` is not UTF-8 text; left as it is");
                return Err(());
            }
        },
        Err(e) => {
            eprintln!(
                "error: cannot read `{shown}`: {}",
                crate::files::write_words(&e)
            );
            return Err(());
        }
    };
    let formatted = formatted_or_report(&shown, &text)?;
    if formatted == text {
        return Ok(false);
    }
    if check {
        print_diff(&shown, &text, &formatted);
        return Ok(true);
    }
    match write_atomically(path, &formatted) {
        Ok(()) => {
            eprintln!("formatted {shown}");
            Ok(true)
        }
        Err(e) => {
            eprintln!(
                "error: cannot write `{shown}`: {}; the file is unchanged",
                opinio::kb::files::io_words(&e)
            );
            Err(())
        }
    }
}

/// Prints what `fmt` would change in a file as a unified diff (as `rustfmt --check` does):
/// the file's name, then each changed stretch with three lines of context, `-` for the
/// lines as they are and `+` for the lines as they would be.
fn print_diff(name: &str, old: &str, new: &str) {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string();
    let mut out = std::io::stdout().lock();
    if crate::style::fancy_stdout() {
        for line in text.split_inclusive('\n') {
            let painted = if line.starts_with("+++") || line.starts_with("---") {
                crate::style::bold(line)
            } else if line.starts_with('+') {
                crate::style::green(line)
            } else if line.starts_with('-') {
                crate::style::red(line)
            } else {
                line.to_string()
            };
            let _ = out.write_all(painted.as_bytes());
        }
    } else {
        let _ = out.write_all(text.as_bytes());
    }
}

fn formatted_or_report(name: &str, text: &str) -> Result<String, ()> {
    format_source(text).map_err(|e| {
        let mut sources = SourceMap::new();
        sources.add(name, text);
        let rendered = crate::style::render_diagnostics(
            &[e.diagnostic],
            &sources,
            crate::style::fancy_stderr(),
            crate::style::Front::Command,
        );
        let _ = std::io::stderr().write_all(rendered.as_bytes());
        eprintln!("note: `{name}` was left as it is");
    })
}

fn run_stdin(check: bool) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!(
            "error: cannot read standard input: {}",
            opinio::kb::files::io_words(&e)
        );
        return ExitCode::from(1);
    }
    let Ok(formatted) = formatted_or_report("<stdin>", &text) else {
        return ExitCode::from(1);
    };
    if check {
        if formatted == text {
            return ExitCode::SUCCESS;
        }
        print_diff("<stdin>", &text, &formatted);
        return ExitCode::from(1);
    }
    if std::io::stdout().write_all(formatted.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
