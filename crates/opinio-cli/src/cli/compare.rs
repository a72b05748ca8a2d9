//! `opinio compare GOAL`: one question under every position, one row per position.

use super::args::{load_scenario, report_error, Format};
use crate::options::KbArgs;
use crate::style::compare_table;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `opinio compare`: a table (plain, even on a terminal) or a JSON document.
pub(super) fn run(args: &KbArgs, files: &[PathBuf], format: Format, goal: &str) -> ExitCode {
    let s = match load_scenario(args, files) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let rows = match s.compare(goal) {
        Ok(r) => r,
        Err(e) => return report_error(&e),
    };
    let out = match format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({"goal": goal, "rows": rows}))
                .unwrap_or_default()
                + "\n"
        }
        Format::Text => compare_table(goal, &rows, false),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
