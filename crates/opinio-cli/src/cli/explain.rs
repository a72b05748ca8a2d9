//! `opinio explain GOAL`: evaluates one question like `opinio query` and prints each answer
//! as a tree with its rules, facts and citations.

use super::args::{report_error, Format};
use super::query::answer_each;
use crate::options::KbArgs;
use crate::style::fancy_stdout;
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
    let done = answer_each(args, files, position, format, goal, |q, a| {
        match q.scenario.explain(a) {
            Ok(x) => Ok(opinio::explain::render_text(&x, fancy_stdout())),
            Err(e) => Err(report_error(&e)),
        }
    });
    match done {
        Ok(_) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}
