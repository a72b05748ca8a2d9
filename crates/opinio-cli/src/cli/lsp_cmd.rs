//! `opinio lsp`: the Language Server (crate `opinio-lsp`) on standard input and output.

use crate::options::KbArgs;
use crate::style::{print_diagnostics, print_load_error};
use opinio::syntax::span::SourceMap;
use std::process::ExitCode;

/// Runs the server until the editor ends the session; problems reading the knowledge base's
/// folder, or a broken connection, are printed on stderr (editors show it in their log).
pub(super) fn run(args: &KbArgs) -> ExitCode {
    let (files, skipped) = match args.read_files() {
        Ok(f) => f,
        Err(e) => {
            print_load_error(&e);
            return ExitCode::from(1);
        }
    };
    print_diagnostics(&skipped, &SourceMap::new());
    let config = opinio_lsp::Config {
        files,
        on_disk: args.kb.is_some() || !args.extend.is_empty(),
    };
    match opinio_lsp::run_stdio(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
