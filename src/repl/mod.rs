//! The interactive session (placeholder entry until the REPL lands: prints help).

use crate::cli::KbArgs;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(_args: &KbArgs, _scenarios: &[PathBuf]) -> ExitCode {
    eprintln!("the interactive session is not available yet; see `opinio --help`");
    ExitCode::from(2)
}
