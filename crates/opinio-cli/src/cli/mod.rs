//! The `opinio` command line: the arguments ([`Cli`], [`Command`]) and the dispatcher
//! ([`run`]), with one module per subcommand. Everything here prints and exits; the library
//! below never does.

pub mod args;
mod batch;
mod check;
mod compare;
mod explain;
pub(crate) mod fmt_cmd;
mod query;
mod repl_cmd;
mod report;
mod test_cmd;

pub use crate::options::KbArgs;
pub use args::{load_scenario, position_or_report, Format};
pub use check::is_scenario_text;

// The names the subcommands' modules use through `super::`.
use crate::style::{print_diagnostics, print_load_error};

use crate::style::ColorChoice;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The command line: an optional subcommand (the REPL without one) and the knowledge-base
/// options, which every subcommand accepts.
#[derive(Parser, Debug)]
#[command(
    name = "opinio",
    version,
    about = "Reason about the legality of cyber operations under international law",
    long_about = "Opinio evaluates rules of international law (sovereignty, due diligence, \
non-intervention, use of force, attribution, countermeasures) on the facts of a cyber \
operation, in three values: true, false or unknown. Run it with no command to open an \
interactive session on the bundled knowledge base."
)]
pub struct Cli {
    /// What to do; `None` opens the interactive session.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The knowledge base and the limits.
    #[command(flatten)]
    pub kb: KbArgs,
    /// When to colour the output: `auto` (on a terminal, unless `NO_COLOR` is set),
    /// `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check knowledge and scenario files and print every problem found.
    #[command(after_help = "Examples:
  opinio check                         check the bundled knowledge base
  opinio check my_rules/ case.opinio   check a folder and a scenario on the knowledge base")]
    Check {
        /// Files or folders to check (default: the knowledge base alone).
        paths: Vec<PathBuf>,
    },
    /// Evaluate one question on a scenario: prints `ATOM = VALUE` lines.
    #[command(
        after_help = "Exit status: 0 on success, 1 on an error; with --exit-code, 0 if some answer \
is true, 3 if none is true but some is unknown, 1 if none is true or unknown, 2 on an error.

Examples:
  opinio query -s notpetya.opinio 'violates_sovereignty(notpetya, ukraine)'
  opinio query -s notpetya.opinio --exit-code -f json 'violates_sovereignty(notpetya, V)'"
    )]
    Query {
        /// The scenario, the position, the format and the question.
        #[command(flatten)]
        question: Question,
        /// Let the exit status say the answer: 0 if some answer is true, 3 if none is true but
        /// some is unknown, 1 if none is true or unknown, 2 on an error (as `grep` does).
        #[arg(long)]
        exit_code: bool,
    },
    /// Explain one answer as a tree with citations.
    #[command(after_help = "Examples:
  opinio explain -s notpetya.opinio 'violates_sovereignty(notpetya, ukraine)'
  opinio explain -s stuxnet.opinio -p france -f json 'violates_sovereignty(stuxnet, S)'")]
    Explain(Question),
    /// Evaluate one question under every position: one row per position.
    #[command(after_help = "Examples:
  opinio compare -s notpetya.opinio 'violates_sovereignty(notpetya, ukraine)'
  opinio compare -s notpetya.opinio --as-of 2017-06-27 -f json 'violates_sovereignty(notpetya, ukraine)'")]
    Compare {
        /// A scenario file (`.opinio` or `.json`; `-` reads standard input); may be repeated.
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
        /// How to print the answer (with `json`, problems too are JSON on stderr, one object a
        /// line).
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The question, e.g. `violates_sovereignty(notpetya, ukraine)`.
        goal: String,
    },
    /// Run the `expect` statements of files or folders; ends with `N passed, M failed`.
    #[command(after_help = "Examples:
  opinio test                          run the tests in the folder tests/
  opinio test --coverage my_tests/ case.opinio")]
    Test {
        /// Files or folders (default: `tests/`); in a folder, a folder named `invalid` (for
        /// deliberately broken files) is left out.
        paths: Vec<PathBuf>,
        /// Also list the rules that no test made true.
        #[arg(long)]
        coverage: bool,
    },
    /// Lay out `.opinio` files the canonical way, in place (comments are kept).
    #[command(after_help = "Examples:
  opinio fmt --check knowledge/ case.opinio   list the files whose layout differs
  opinio fmt < case.opinio                    lay out standard input to standard output")]
    Fmt {
        /// Change nothing: list the files that would change, and exit with 1 if any would.
        #[arg(long)]
        check: bool,
        /// Files or folders of `.opinio` files (default: standard input to standard output).
        paths: Vec<PathBuf>,
    },
    /// Evaluate many scenarios, one JSON object a line, in parallel: one JSON verdict a line.
    #[command(after_help = "Examples:
  opinio batch -i cases.jsonl > verdicts.jsonl
  opinio batch -i - --all-positions --goals 'violates_sovereignty(op, S)' < cases.jsonl")]
    Batch(batch::BatchArgs),
    /// Write a legal memo on a scenario: questions presented, short answers, the facts, the
    /// analysis with authorities, the positions side by side, what would change the answer.
    #[command(after_help = "Examples:
  opinio report -s notpetya.opinio -g 'violates_sovereignty(notpetya, denmark)' -o memo.html
  opinio report -s notpetya.opinio -p tallinn2 uk -f md > memo.md")]
    Report(report::ReportArgs),
    /// Print a completion script for a shell on standard output.
    #[command(after_help = "Examples:
  opinio completions bash > ~/.local/share/bash-completion/completions/opinio
  opinio completions fish > ~/.config/fish/completions/opinio.fish")]
    Completions {
        /// The shell: bash, zsh or fish (also elvish and powershell).
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man`) on standard output.
    #[command(after_help = "Examples:
  opinio man | man -l -
  opinio man > ~/.local/share/man/man1/opinio.1")]
    Man,
    /// Open the interactive session (the default when no command is given).
    #[command(after_help = "Examples:
  opinio repl -s notpetya.opinio
  opinio repl --extend my_rules/ < questions.txt   answer the lines of a file")]
    Repl {
        /// Scenario files to load at the start.
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
    },
}

/// What `opinio query` and `opinio explain` take: scenario files, a position, a format and
/// the question.
#[derive(Debug, Args)]
pub struct Question {
    /// A scenario file (`.opinio` or `.json`; `-` reads standard input); may be repeated.
    #[arg(long, short)]
    scenario: Vec<PathBuf>,
    /// The position to evaluate under (default: the knowledge base's default).
    #[arg(long, short)]
    position: Option<String>,
    /// How to print the answer (with `json`, problems too are JSON on stderr, one object a
    /// line).
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The question, e.g. `violates_sovereignty(notpetya, ukraine)`.
    goal: String,
}

/// Runs the command line; the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    crate::style::set_color_choice(cli.color);
    let json = match &cli.command {
        Some(Command::Query { question: q, .. }) | Some(Command::Explain(q)) => q.format,
        Some(Command::Compare { format, .. }) => *format,
        _ => Format::Text,
    };
    crate::style::set_json_errors(json == Format::Json);
    let kb = &cli.kb;
    match cli.command {
        None => repl_cmd::run(kb, &[]),
        Some(Command::Repl { scenario }) => repl_cmd::run(kb, &scenario),
        Some(Command::Check { paths }) => check::run(kb, &paths),
        Some(Command::Query {
            question: q,
            exit_code,
        }) => query::run(
            kb,
            &q.scenario,
            q.position.as_deref(),
            q.format,
            &q.goal,
            exit_code,
        ),
        Some(Command::Explain(q)) => {
            explain::run(kb, &q.scenario, q.position.as_deref(), q.format, &q.goal)
        }
        Some(Command::Compare {
            scenario,
            format,
            goal,
        }) => compare::run(kb, &scenario, format, &goal),
        Some(Command::Test { paths, coverage }) => test_cmd::run(kb, &paths, coverage),
        Some(Command::Fmt { check, paths }) => fmt_cmd::run(&paths, check),
        Some(Command::Batch(args)) => batch::run(kb, &args),
        Some(Command::Report(args)) => report::run(kb, &args),
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "opinio", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => {
                    let _ = std::io::Write::write_all(&mut std::io::stdout(), &out);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: the manual page could not be written: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
