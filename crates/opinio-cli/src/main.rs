//! `opinio`: the command line and REPL of the Opinio rules engine.

#![forbid(unsafe_code)]

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = opinio_cli::cli::Cli::parse();
    opinio_cli::cli::run(cli)
}
