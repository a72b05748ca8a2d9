//! `opinio explain GOAL`: evaluates one question like `opinio query` and prints each answer
//! as a tree with its rules, facts and citations.

use super::args::{report_error, Format};
use super::query::{evaluate, json, no_answer};
use crate::options::KbArgs;
use crate::style::fancy_stdout;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `opinio explain`.
pub(super) fn run(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    format: Format,
    goal: &str,
) -> ExitCode {
    let q = match evaluate(args, files, position, goal) {
        Ok(q) => q,
        Err(c) => return c,
    };
    let out = match format {
        Format::Json => match json(&q) {
            Ok(text) => text,
            Err(c) => return c,
        },
        Format::Text => {
            let mut out = String::new();
            if q.result.answers.is_empty() {
                out.push_str(&no_answer(&q.result));
            }
            for a in &q.result.answers {
                match q.scenario.explain(a, q.position) {
                    Ok(x) => out.push_str(&opinio::explain::render_text(&x, fancy_stdout())),
                    Err(e) => return report_error(&e),
                }
            }
            out
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
