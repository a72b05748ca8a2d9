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
    let as_of = match s.as_of_date() {
        Ok(d) => d,
        Err(e) => return report_error(&e),
    };
    let left_out = as_of
        .map(|d| s.positions_published_after(d))
        .unwrap_or_default();
    let out = match format {
        Format::Json => {
            let positions: Vec<String> = rows.iter().map(|r| r.position.clone()).collect();
            let provenance = match s.provenance(&positions, None) {
                Ok(p) => p,
                Err(e) => return report_error(&e),
            };
            let mut doc = serde_json::json!({"goal": goal, "rows": rows, "provenance": provenance});
            // The goal in plain language: a comparison's goal is ground (checked above).
            if let Ok(g) = s.parse_goal(goal) {
                if let Some(args) = g.atom().ground_args() {
                    doc["text"] = serde_json::json!(s.phrase(g.predicate(), &args));
                }
            }
            if let Some(d) = as_of {
                doc["as_of"] = serde_json::json!(d);
                doc["left_out"] = serde_json::json!(left_out);
            }
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Text => {
            let mut t = compare_table(goal, &rows, false);
            if let Some(d) = as_of {
                t.push_str(&crate::style::as_of_line(d, &left_out, rows.is_empty()));
            }
            t
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
