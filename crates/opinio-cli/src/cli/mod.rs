//! The `opinio` command line: the arguments ([`Cli`], [`Command`]) and the dispatcher
//! ([`run`]), with one module per subcommand. Everything here prints and exits; the library
//! below never does.

pub mod args;
mod batch;
mod check;
mod compare;
mod explain;
pub(crate) mod fmt_cmd;
mod graph_cmd;
pub mod import;
mod lsp_cmd;
mod query;
mod repl_cmd;
mod report;
pub mod summary;
mod test_cmd;

pub use crate::options::{CheckOptions, EvalOptions, KbArgs, KbOptions};
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
    /// The knowledge base, the limits and the date, for the session; written before a
    /// subcommand, they apply to it (when it has a use for them).
    #[command(flatten)]
    pub options: EvalOptions,
    /// When to colour the output: `auto` (on a terminal, unless `NO_COLOR` is set),
    /// `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show each problem's code (`opinio::syntax`, …), for searching the documentation or
    /// reporting a bug.
    #[arg(long, short, global = true)]
    pub verbose: bool,
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
        /// The knowledge base and the limits.
        #[command(flatten)]
        options: CheckOptions,
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
    /// Explain one answer: a summary, then the tree with citations (through a pager on a
    /// terminal when it is longer than the screen).
    #[command(after_help = "Examples:
  opinio explain -s notpetya.opinio --depth 3 'violates_sovereignty(notpetya, denmark)'
  opinio explain -s stuxnet.opinio -p france -f json 'violates_sovereignty(stuxnet, S)'")]
    Explain {
        /// The scenario, the position, the format and the question.
        #[command(flatten)]
        question: Question,
        /// Show the tree this many levels deep (the summary and the lists after it are always
        /// shown).
        #[arg(long, short, value_name = "N")]
        depth: Option<usize>,
        /// List up to N sets of facts that would settle an unknown answer each way (default
        /// 5), trying every missing fact it rests on.
        #[arg(long, value_name = "N")]
        max_sets: Option<usize>,
    },
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
        /// The knowledge base, the limits and the date.
        #[command(flatten)]
        options: EvalOptions,
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
        /// The knowledge base, the limits and the date.
        #[command(flatten)]
        options: EvalOptions,
    },
    /// Lay out `.opinio` files the canonical way, in place (comments are kept).
    #[command(
        after_help = "In a folder, a folder named `invalid` (deliberately broken files) is left out.

Examples:
  opinio fmt --check knowledge/ case.opinio   show what would change, as a diff
  opinio fmt < case.opinio                    lay out standard input to standard output"
    )]
    Fmt {
        /// Change nothing: print what would change as a unified diff, and exit with 1 if
        /// anything would.
        #[arg(long)]
        check: bool,
        /// Files or folders of `.opinio` files (default: standard input to standard output).
        paths: Vec<PathBuf>,
    },
    /// Evaluate many scenarios, one JSON object a line, in parallel: one JSON verdict a line.
    #[command(after_help = "Examples:
  opinio batch -i cases.jsonl > verdicts.jsonl
  opinio batch -i - --all-positions --goals 'violates_sovereignty(op, S)' < cases.jsonl")]
    Batch {
        /// The input, the questions and the output.
        #[command(flatten)]
        args: batch::BatchArgs,
        /// The knowledge base, the limits and the date.
        #[command(flatten)]
        options: EvalOptions,
    },
    /// Draw how the conclusions depend on each other: a picture (SVG) or Graphviz DOT.
    #[command(
        after_help = "Boxes are conclusions the rules draw, rounded boxes (ovals in DOT) facts a scenario \
states; an arrow runs from what a rule reads to what it concludes, dashed when read under `not` or \
`unless`; colours (clusters in DOT) are the areas of law, one per knowledge file. The picture has a legend.

Examples:
  opinio graph violates_sovereignty -o sovereignty.svg   what it rests on, as a picture
  opinio graph --position uk --format dot | dot -Tpdf -o uk.pdf"
    )]
    Graph {
        /// Draw only what this predicate rests on and what rests on it (default: everything).
        predicate: Option<String>,
        /// The position whose rules are drawn (default: the knowledge base's default).
        #[arg(long, short)]
        position: Option<String>,
        /// `svg` (a picture with a legend, the default unless FILE ends in `.dot`) or `dot`.
        #[arg(long, short, value_enum)]
        format: Option<graph_cmd::GraphFormat>,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The knowledge base.
        #[command(flatten)]
        kb: KbOptions,
    },
    /// Convert an incident dataset (EuRepoC, DCID) to scenarios, one JSON object a line.
    #[command(after_help = "Examples:
  opinio import eurepoc EuRepoC_Global_Database_1.1.csv -o eurepoc.jsonl
  opinio import dcid DCID_2.0_Release_update_February_2023.xlsx --mode trusting -o dcid.jsonl")]
    Import {
        /// The dataset.
        #[command(subcommand)]
        dataset: import::Dataset,
    },
    /// Write a legal memo on a scenario: questions presented, short answers, the facts, the
    /// analysis with authorities, the positions side by side, what would change the answer.
    #[command(after_help = "Examples:
  opinio report -s notpetya.opinio -g 'violates_sovereignty(notpetya, denmark)' -o memo.html
  opinio report -s notpetya.opinio -p tallinn2 uk -f md > memo.md")]
    Report {
        /// The scenario, the questions and the memo's form.
        #[command(flatten)]
        args: report::ReportArgs,
        /// The knowledge base, the limits and the date.
        #[command(flatten)]
        options: EvalOptions,
    },
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
    /// Serve editors: a Language Server over standard input and output (see docs/editors.md).
    #[command(
        after_help = "Started by an editor, not by hand; docs/editors.md has the settings for VS Code, Neovim and Helix.

Examples:
  opinio lsp                  the bundled knowledge base, with the knowledge files you open
  opinio lsp --kb knowledge/  a knowledge base's folder: its problems are shown file by file"
    )]
    Lsp {
        /// The knowledge base.
        #[command(flatten)]
        kb: KbOptions,
    },
    /// Open the interactive session (the default when no command is given).
    #[command(after_help = "Examples:
  opinio repl -s notpetya.opinio
  opinio repl --extend my_rules/ < questions.txt   answer the lines of a file")]
    Repl {
        /// Scenario files to load at the start.
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
        /// The knowledge base, the limits and the date.
        #[command(flatten)]
        options: EvalOptions,
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
    /// The knowledge base, the limits and the date.
    #[command(flatten)]
    options: EvalOptions,
}

/// Runs the command line; the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    crate::style::set_color_choice(cli.color);
    crate::style::set_verbose(cli.verbose);
    let json = match &cli.command {
        Some(Command::Query { question: q, .. }) | Some(Command::Explain { question: q, .. }) => {
            q.format
        }
        Some(Command::Compare { format, .. }) => *format,
        _ => Format::Text,
    };
    crate::style::set_json_errors(json == Format::Json);
    let outer = &cli.options;
    let Some(command) = cli.command else {
        return repl_cmd::run(&outer.merged(&EvalOptions::default()), &[]);
    };
    if let Err(code) = refuse_unused_options(&command, outer) {
        return code;
    }
    match command {
        Command::Repl { scenario, options } => repl_cmd::run(&options.merged(outer), &scenario),
        Command::Check { paths, options } => {
            check::run(&EvalOptions::from(options).merged(outer), &paths)
        }
        Command::Query {
            question: q,
            exit_code,
        } => query::run(
            &q.options.merged(outer),
            &q.scenario,
            q.position.as_deref(),
            q.format,
            &q.goal,
            exit_code,
        ),
        Command::Explain {
            question: q,
            depth,
            max_sets,
        } => explain::run(
            &q.options.merged(outer),
            &q.scenario,
            q.position.as_deref(),
            q.format,
            &q.goal,
            explain::Layout { depth, max_sets },
        ),
        Command::Compare {
            scenario,
            format,
            goal,
            options,
        } => compare::run(&options.merged(outer), &scenario, format, &goal),
        Command::Test {
            paths,
            coverage,
            options,
        } => test_cmd::run(&options.merged(outer), &paths, coverage),
        Command::Fmt { check, paths } => fmt_cmd::run(&paths, check),
        Command::Graph {
            predicate,
            position,
            format,
            output,
            kb,
        } => {
            let options = EvalOptions {
                kb,
                ..EvalOptions::default()
            };
            graph_cmd::run(
                &options.merged(outer),
                predicate.as_deref(),
                position.as_deref(),
                format,
                output.as_ref(),
            )
        }
        Command::Lsp { kb } => {
            let options = EvalOptions {
                kb,
                ..EvalOptions::default()
            };
            lsp_cmd::run(&options.merged(outer))
        }
        Command::Batch { args, options } => batch::run(&options.merged(outer), &args),
        Command::Import { dataset } => import::run(&dataset),
        Command::Report { args, options } => report::run(&options.merged(outer), &args),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            // Written whole, then copied out: `generate` panics when standard output closes
            // early (`opinio completions bash | head`), and a closed pipe is not an error here.
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "opinio", &mut out);
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &out);
            ExitCode::SUCCESS
        }
        Command::Man => {
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

/// Options written before a subcommand that has no use for them are an error, as they would
/// be after it: `opinio --max-atoms 5 fmt` says so instead of ignoring the flag.
fn refuse_unused_options(command: &Command, outer: &EvalOptions) -> Result<(), ExitCode> {
    let (name, unused) = match command {
        Command::Fmt { .. } => ("fmt", all_given(outer)),
        Command::Completions { .. } => ("completions", all_given(outer)),
        Command::Man => ("man", all_given(outer)),
        Command::Import { .. } => ("import", all_given(outer)),
        Command::Check { .. } => ("check", outer.time.given()),
        Command::Graph { .. } | Command::Lsp { .. } => {
            let mut v = outer.limits.given();
            v.extend(outer.time.given());
            let name = if matches!(command, Command::Lsp { .. }) {
                "lsp"
            } else {
                "graph"
            };
            (name, v)
        }
        _ => return Ok(()),
    };
    let Some(first) = unused.first() else {
        return Ok(());
    };
    eprintln!(
        "error: `{first}` means nothing to `opinio {name}`\n\nhelp: leave it out; `opinio {name} --help` lists what `{name}` accepts"
    );
    Err(ExitCode::from(2))
}

fn all_given(o: &EvalOptions) -> Vec<&'static str> {
    let mut v = o.kb.given();
    v.extend(o.limits.given());
    v.extend(o.time.given());
    v
}
