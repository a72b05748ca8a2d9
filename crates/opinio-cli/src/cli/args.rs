//! What the subcommands share besides [`KbArgs`]: the output format, and loading the
//! knowledge base and scenario files the way every subcommand does (problems on stderr, exit
//! code 1).

use crate::options::KbArgs;
use crate::style::{print_diagnostics, print_load_error};
use clap::ValueEnum;
use opinio::kb::{self, LoadError};
use opinio::program::PosId;
use opinio::syntax::span::SourceMap;
use opinio::Scenario;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// How a subcommand prints its answer (`--format`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Lines for a reader (the default).
    #[default]
    Text,
    /// One JSON document, for programs.
    Json,
}

/// Loads the knowledge base and the scenario files (`-` reads standard input), printing
/// problems and warnings; on failure, the exit code to end with.
pub fn load_scenario(args: &KbArgs, files: &[PathBuf]) -> Result<Scenario, ExitCode> {
    let kb = args.load().map_err(|e| {
        print_load_error(&e);
        ExitCode::from(1)
    })?;
    let mut s = Scenario::new(&kb);
    args.configure(&mut s);
    s.set_max_file_size(args.max_file_size());
    s.set_as_of(args.as_of);
    for f in files {
        let loaded = if f.as_os_str() == "-" {
            read_stdin(args.max_file_size()).and_then(|text| {
                let json = text.trim_start().starts_with('{');
                s.load_source("<standard input>", &text, json)
            })
        } else {
            s.load_file(f)
        };
        match loaded {
            Ok(warnings) => print_diagnostics(&warnings, s.sources()),
            Err(e) => {
                print_load_error(&e);
                return Err(ExitCode::from(1));
            }
        }
    }
    Ok(s)
}

/// Reads a scenario from standard input (`-s -`), at most `max` bytes.
fn read_stdin(max: u64) -> Result<String, LoadError> {
    kb::files::read_text_from(std::io::stdin().lock(), "standard input", max)
        .map_err(|d| LoadError::new(vec![d], SourceMap::new()))
}

/// Prints an error of the library on stderr; the exit code 1.
pub fn report_error(e: &opinio::Error) -> ExitCode {
    match e {
        opinio::Error::Input(l) => print_load_error(l),
        opinio::Error::Limit(_) => {
            let text = if crate::style::json_errors() {
                crate::style::error_json(e, crate::style::Front::Command)
            } else {
                crate::style::render_error(e, false, crate::style::Front::Command)
            };
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }
    ExitCode::from(1)
}

/// The position for a name (the default for `None`), printing the problem if there is none.
pub fn position_or_report(s: &Scenario, name: Option<&str>) -> Result<PosId, ExitCode> {
    s.position_id(name).map_err(|e| report_error(&e))
}
