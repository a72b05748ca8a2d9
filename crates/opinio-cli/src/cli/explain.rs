//! `opinio explain GOAL`: evaluates one question like `opinio query` and prints each answer
//! as a summary (the answer, what decided it, why it is unknown) and a tree with its rules,
//! facts and citations, wrapped to the terminal and through a pager when longer than it.

use super::args::{report_error, Format};
use super::query::answer_each;
use crate::options::KbArgs;
use crate::style::fancy_stdout;
use opinio::explain::{ExplainOptions, RenderOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// How `opinio explain` lays out and bounds its explanations.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Layout {
    /// Levels of the tree shown (`None`: all).
    pub(super) depth: Option<usize>,
    /// Sets that would settle an unknown answer listed each way (`None`: the default, 5).
    pub(super) max_sets: Option<usize>,
}

/// The bounds of the search for settling sets for `--max-sets N`: N sets each way, every
/// missing fact tried.
pub(super) fn search_options(max_sets: Option<usize>) -> ExplainOptions {
    match max_sets {
        None => ExplainOptions::default(),
        Some(n) => ExplainOptions {
            max_sets: Some(n),
            ..ExplainOptions::all()
        },
    }
}

/// Runs `opinio explain`.
pub(super) fn run(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    format: Format,
    goal: &str,
    layout: Layout,
) -> ExitCode {
    let options = search_options(layout.max_sets);
    let render = RenderOptions {
        colour: fancy_stdout(),
        depth: layout.depth,
        width: crate::pager::stdout_width(),
        more_hint: Some("`opinio explain --max-sets N` lists more".to_string()),
    };
    let done = answer_each(
        args,
        files,
        position,
        format,
        goal,
        &options,
        true,
        |q, a| match q.scenario.explain_with(a, &options) {
            Ok(x) => Ok(opinio::explain::render_text_with(&x, &render)),
            Err(e) => Err(report_error(&e)),
        },
    );
    match done {
        Ok(_) => ExitCode::SUCCESS,
        Err(c) => c,
    }
}
