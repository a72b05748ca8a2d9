#![forbid(unsafe_code)]

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = opinio::cli::Cli::parse();
    opinio::cli::run(cli)
}
