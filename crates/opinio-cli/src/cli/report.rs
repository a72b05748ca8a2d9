//! `opinio report`: the legal memo on a scenario (see [`crate::memo`]), written to a file as
//! Markdown or self-contained HTML.

use super::args::{load_scenario, report_error};
use crate::memo::{html, markdown, Memo, MemoRequest};
use crate::options::KbArgs;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

/// The memo's format (`--format`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum MemoFormat {
    /// Markdown, with tables and footnotes (the default).
    #[default]
    Md,
    /// One HTML page that works offline and prints well.
    Html,
}

/// The arguments of `opinio report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A scenario file (`.opinio` or `.json`); may be repeated.
    #[arg(long, short, required = true)]
    pub scenario: Vec<PathBuf>,
    /// The questions (default: those of the scenario's `expect` statements, each under the
    /// position it names); a question given twice is answered once.
    #[arg(long, short, num_args = 1..)]
    pub goals: Vec<String>,
    /// The positions to analyse every question under (default: for an `expect` statement's
    /// question, the position it names, else the knowledge base's default); every position is
    /// in the side-by-side tables whatever this says.
    #[arg(long, short, num_args = 1..)]
    pub position: Vec<String>,
    /// The memo's format: `md` or `html` (default: from the output file's extension, else
    /// `md`).
    #[arg(long, short, value_enum)]
    pub format: Option<MemoFormat>,
    /// The file to write (`-` or none: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs `opinio report`.
pub(super) fn run(kb: &KbArgs, args: &ReportArgs) -> ExitCode {
    // The memo is written in place of the output file: never in place of a scenario it reads.
    if let Some(out) = args.output.as_deref().filter(|p| p.as_os_str() != "-") {
        if let Some(input) = crate::files::clobbered_input(out, &args.scenario) {
            eprintln!(
                "error: `{}` is the scenario being reported on ({}): writing the memo there would destroy it\n  help: give another file for the memo, e.g. `-o memo.md` or `-o memo.html`",
                out.display(),
                crate::files::shown_input(input)
            );
            return ExitCode::from(1);
        }
        if let Some(law) = crate::files::clobbered_input(out, &kb.files_on_disk()) {
            eprintln!(
                "error: `{}` is a file of the knowledge base (`{}`): writing the memo there would destroy it\n  help: give another file for the memo, e.g. `-o memo.md` or `-o memo.html`",
                out.display(),
                law.display()
            );
            return ExitCode::from(1);
        }
    }
    let s = match load_scenario(kb, &args.scenario) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let subject = args
        .scenario
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let knowledge_base = match (&kb.kb, kb.extend.is_empty()) {
        (None, true) => "the bundled knowledge base".to_string(),
        (None, false) => format!(
            "the bundled knowledge base, extended by {}",
            list(&kb.extend)
        ),
        (Some(dir), true) => format!("the folder {}", dir.display()),
        (Some(dir), false) => format!(
            "the folder {}, extended by {}",
            dir.display(),
            list(&kb.extend)
        ),
    };
    let req = MemoRequest {
        goals: args.goals.clone(),
        positions: args.position.clone(),
        knowledge_base,
        subject,
    };
    if req.goals.is_empty() && s.expectations().is_empty() {
        eprintln!("error: the scenario asks no question (it has no `expect` statement)\n  help: name the questions with --goals, e.g. --goals 'violates_sovereignty(op, victim)'");
        return ExitCode::from(1);
    }
    let memo = match Memo::build(&s, &req) {
        Ok(m) => m,
        Err(e) => return report_error(&e),
    };
    let to_file = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    let extension = to_file
        .and_then(|p| p.extension())
        .map(|x| x.to_string_lossy().to_ascii_lowercase());
    let format = match (args.format, extension.as_deref()) {
        (Some(f), _) => f,
        (None, Some("html" | "htm")) => MemoFormat::Html,
        (None, None | Some("md" | "markdown" | "txt")) => MemoFormat::Md,
        // A file named `memo.pdf` holding Markdown would not open as what its name says.
        (None, Some(other)) => {
            eprintln!(
                "error: Opinio does not write `.{other}` files: the memo is Markdown (`.md`) or HTML (`.html`)\n  help: name the file `.md` or `.html`, or give `--format md` or `--format html` to write one under this name; for a PDF, print the HTML memo from a browser"
            );
            return ExitCode::from(1);
        }
    };
    let text = match format {
        MemoFormat::Md => markdown(&memo),
        MemoFormat::Html => html(&memo),
    };
    match to_file {
        Some(path) => match crate::files::write_atomically(path, &text) {
            Ok(()) => {
                eprintln!(
                    "wrote the memo ({} {}) to {}",
                    memo.questions.len(),
                    if memo.questions.len() == 1 {
                        "question"
                    } else {
                        "questions"
                    },
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write `{}`: {}; nothing was written\n  help: {} (`-` writes to standard output)",
                    path.display(),
                    crate::files::write_words(&e),
                    crate::files::write_help(&e)
                );
                ExitCode::from(1)
            }
        },
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            ExitCode::SUCCESS
        }
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
