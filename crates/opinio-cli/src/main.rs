//! `opinio`: the command line and REPL of the Opinio rules engine.

#![forbid(unsafe_code)]

use clap::Parser;

// The evaluator allocates many small, short-lived tables (one model per scenario and what-if);
// mimalloc serves those markedly faster than the system allocator (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = opinio_cli::cli::Cli::parse();
    opinio_cli::cli::run(cli)
}
