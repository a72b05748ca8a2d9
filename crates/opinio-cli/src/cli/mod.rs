//! The `opinio` command line. Everything here prints and exits; the library below never does.

mod batch;
pub(crate) mod fmt_cmd;
mod test_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use opinio::check::program::PosId;
use opinio::diagnostic::{self, Diagnostic};
use opinio::kb::{self, KbFile, KnowledgeBase, LoadError};
use opinio::syntax::span::SourceMap;
use opinio::{Limits, Scenario};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

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
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub kb: KbArgs,
}

#[derive(clap::Args, Debug, Clone, Default)]
pub struct KbArgs {
    /// Use the knowledge base in DIR instead of the bundled one.
    #[arg(long, value_name = "DIR", global = true)]
    pub kb: Option<PathBuf>,
    /// Add the `.opinio` files of DIR to the knowledge base (may be repeated).
    #[arg(long, value_name = "DIR", global = true)]
    pub extend: Vec<PathBuf>,
    /// Stop an evaluation past this many derived atoms.
    #[arg(long, value_name = "N", global = true)]
    pub max_atoms: Option<usize>,
    /// Stop an evaluation after this many seconds.
    #[arg(long, value_name = "SECONDS", global = true)]
    pub time_limit: Option<f64>,
    /// Stop an evaluation whose conclusions would take more memory than SIZE: bytes, or with
    /// a unit K, M or G, e.g. `4G` [default: 2G].
    #[arg(long, value_name = "SIZE", global = true, value_parser = kb::files::parse_size)]
    pub max_memory: Option<u64>,
    /// Refuse a file larger than SIZE: bytes, or with a unit K, M or G, e.g. `256M`
    /// [default: 64M].
    #[arg(long, value_name = "SIZE", global = true, value_parser = kb::files::parse_size)]
    pub max_file_size: Option<u64>,
}

impl KbArgs {
    pub fn limits(&self) -> Limits {
        let mut l = Limits::default();
        if let Some(n) = self.max_atoms {
            l.max_atoms = n;
        }
        if let Some(s) = self.time_limit {
            l.time_budget = Duration::try_from_secs_f64(s.max(0.0)).ok();
        }
        if let Some(b) = self.max_memory {
            l.max_memory = usize::try_from(b).unwrap_or(usize::MAX);
        }
        l
    }

    /// The largest file read (`--max-file-size`, default [`kb::DEFAULT_MAX_FILE_SIZE`]).
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(kb::DEFAULT_MAX_FILE_SIZE)
    }

    /// The files of the knowledge base these options select, and warnings for the entries
    /// of its folders that were left out (named pipes, devices).
    pub fn read_files(&self) -> Result<(Vec<KbFile>, Vec<Diagnostic>), LoadError> {
        let mut skipped = Vec::new();
        let mut files = match &self.kb {
            Some(dir) => {
                let folder = kb::read_folder(dir, self.max_file_size())?;
                skipped.extend(folder.skipped);
                folder.files
            }
            None => kb::bundled_files(),
        };
        for dir in &self.extend {
            let folder = kb::read_folder(dir, self.max_file_size())?;
            skipped.extend(folder.skipped);
            files.extend(folder.files);
        }
        Ok((files, skipped))
    }

    /// The files of the knowledge base these options select; the entries left out are shown
    /// on stderr.
    pub fn files(&self) -> Result<Vec<KbFile>, LoadError> {
        let (files, skipped) = self.read_files()?;
        print_diagnostics(&skipped, &SourceMap::new());
        Ok(files)
    }

    pub fn load(&self) -> Result<KnowledgeBase, LoadError> {
        KnowledgeBase::from_files(self.files()?)
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check knowledge and scenario files and print every problem found.
    Check {
        /// Files or folders to check (default: the knowledge base alone).
        paths: Vec<PathBuf>,
    },
    /// Evaluate one question on a scenario: prints `ATOM = VALUE` lines.
    Query {
        /// A scenario file (`.opinio` or `.json`; `-` reads standard input); may be repeated.
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
        /// The position to evaluate under (default: the knowledge base's default).
        #[arg(long, short)]
        position: Option<String>,
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The question, e.g. `violates_sovereignty(notpetya, ukraine)`.
        goal: String,
    },
    /// Explain one answer as a tree with citations.
    Explain {
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
        #[arg(long, short)]
        position: Option<String>,
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        goal: String,
    },
    /// Evaluate one question under every position: one row per position.
    Compare {
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        goal: String,
    },
    /// Run the `expect` statements of files or folders; ends with `N passed, M failed`.
    Test {
        /// Files or folders (default: `tests/`).
        paths: Vec<PathBuf>,
        /// Also list the rules that no test made true.
        #[arg(long)]
        coverage: bool,
    },
    /// Lay out `.opinio` files the canonical way, in place (comments are kept).
    Fmt {
        /// Change nothing: list the files that would change, and exit with 1 if any would.
        #[arg(long)]
        check: bool,
        /// Files or folders of `.opinio` files (default: standard input to standard output).
        paths: Vec<PathBuf>,
    },
    /// Evaluate many scenarios, one JSON object a line, in parallel: one JSON verdict a line.
    Batch(batch::BatchArgs),
    /// Open the interactive session (the default when no command is given).
    Repl {
        /// Scenario files to load at the start.
        #[arg(long, short)]
        scenario: Vec<PathBuf>,
    },
}

/// Whether diagnostics on stderr may use colour.
pub fn fancy_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn fancy_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints diagnostics to stderr.
pub fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    if diags.is_empty() {
        return;
    }
    let text = diagnostic::render(diags, sources, fancy_stderr());
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn print_load_error(e: &LoadError) {
    print_diagnostics(&e.diagnostics, &e.sources);
}

/// Runs the command line; the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None => crate::repl::run(&cli.kb, &[]),
        Some(Command::Repl { scenario }) => crate::repl::run(&cli.kb, &scenario),
        Some(Command::Check { paths }) => check(&cli.kb, &paths),
        Some(Command::Query {
            scenario,
            position,
            format,
            goal,
        }) => query(
            &cli.kb,
            &scenario,
            position.as_deref(),
            format,
            &goal,
            false,
        ),
        Some(Command::Explain {
            scenario,
            position,
            format,
            goal,
        }) => query(&cli.kb, &scenario, position.as_deref(), format, &goal, true),
        Some(Command::Compare {
            scenario,
            format,
            goal,
        }) => compare(&cli.kb, &scenario, format, &goal),
        Some(Command::Test { paths, coverage }) => test_cmd::run(&cli.kb, &paths, coverage),
        Some(Command::Fmt { check, paths }) => fmt_cmd::run(&paths, check),
        Some(Command::Batch(args)) => batch::run(&cli.kb, &args),
    }
}

/// Loads the knowledge base and the scenario files, printing problems.
pub fn load_scenario(args: &KbArgs, files: &[PathBuf]) -> Result<Scenario, ExitCode> {
    let kb = args.load().map_err(|e| {
        print_load_error(&e);
        ExitCode::from(1)
    })?;
    let mut s = Scenario::new(&kb);
    s.set_limits(args.limits());
    s.set_max_file_size(args.max_file_size());
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

fn query(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    format: Format,
    goal: &str,
    explain: bool,
) -> ExitCode {
    let s = match load_scenario(args, files) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let result = match s.query(goal, position) {
        Ok(r) => r,
        Err(e) => return report_error(&e),
    };
    let pos = match s.position_id(position) {
        Ok(p) => p,
        Err(e) => return report_error(&e),
    };
    let mut out = String::new();
    match format {
        Format::Json => {
            let mut answers = Vec::new();
            for a in &result.answers {
                let explanation = match s.explain(a, pos) {
                    Ok(x) => x,
                    Err(e) => return report_error(&e),
                };
                let mut v = serde_json::json!({
                    "atom": a.atom,
                    "value": a.value,
                    "explanation": explanation,
                });
                if !a.bindings.is_empty() {
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert(
                            "bindings".into(),
                            a.bindings
                                .iter()
                                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                                .collect::<serde_json::Map<_, _>>()
                                .into(),
                        );
                    }
                }
                answers.push(v);
            }
            let doc = serde_json::json!({"position": result.position, "answers": answers});
            out.push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
            out.push('\n');
        }
        Format::Text => {
            if result.answers.is_empty() {
                out.push_str(&format!(
                    "no answer is true or unknown for {} under {}\n",
                    result.goal, result.position
                ));
            }
            for a in &result.answers {
                if explain {
                    match s.explain(a, pos) {
                        Ok(x) => out.push_str(&opinio::explain::render_text(&x, fancy_stdout())),
                        Err(e) => return report_error(&e),
                    }
                } else {
                    out.push_str(&format!("{} = {}\n", a.atom, a.value.as_str()));
                }
            }
        }
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

fn report_error(e: &opinio::Error) -> ExitCode {
    match e {
        opinio::Error::Input(l) => print_load_error(l),
        opinio::Error::Limit(_) => {
            let _ = std::io::stderr().write_all(e.render().as_bytes());
        }
    }
    ExitCode::from(1)
}

fn compare(args: &KbArgs, files: &[PathBuf], format: Format, goal: &str) -> ExitCode {
    let s = match load_scenario(args, files) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let rows = match s.compare(goal) {
        Ok(r) => r,
        Err(e) => return report_error(&e),
    };
    let out = match format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({"goal": goal, "rows": rows}))
                .unwrap_or_default()
                + "\n"
        }
        Format::Text => compare_table(goal, &rows, false),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// A comparison as an aligned table; `colour` paints the values (ANSI).
pub fn compare_table(goal: &str, rows: &[opinio::PositionRow], colour: bool) -> String {
    let w = rows
        .iter()
        .map(|r| r.position.len())
        .max()
        .unwrap_or(8)
        .max("position".len());
    let mut out = format!("{goal}\n");
    out.push_str(&format!("{:<w$}  {:<7}  decided by\n", "position", "value"));
    for r in rows {
        let decided = if r.inherited {
            format!("{} (inherited: the position is silent here)", r.decided_by)
        } else {
            r.decided_by.clone()
        };
        out.push_str(&format!(
            "{:<w$}  {}  {}\n",
            r.position,
            opinio::explain::paint_padded(r.value, 7, colour),
            decided
        ));
    }
    out
}

fn check(args: &KbArgs, paths: &[PathBuf]) -> ExitCode {
    let (files, skipped) = match args.read_files() {
        Ok(f) => f,
        Err(e) => {
            print_load_error(&e);
            return ExitCode::from(1);
        }
    };
    let kb_names: Vec<PathBuf> = files.iter().map(|f| PathBuf::from(&f.name)).collect();
    let (kb, diags) = KnowledgeBase::load_lenient(files.clone());
    let mut errors = diags.iter().filter(|d| d.is_error()).count();
    let mut warnings = diags.len() - errors + skipped.len();
    print_diagnostics(&skipped, &SourceMap::new());
    print_diagnostics(&diags, kb.sources());
    let mut checked = files.len();
    let kb_ok = errors == 0;
    let kb = if kb_ok {
        KnowledgeBase::from_files(files).ok()
    } else {
        None
    };
    for path in paths {
        let mut targets = Vec::new();
        if path.is_dir() {
            // A folder is a knowledge base of its own, unless it holds only scenarios.
            match kb::read_folder(path, args.max_file_size()) {
                Ok(kb::KbFolder { files: fs, skipped }) => {
                    warnings += skipped.len();
                    print_diagnostics(&skipped, &SourceMap::new());
                    let all_scenarios = fs.iter().all(|f| is_scenario_text(&f.text));
                    if all_scenarios {
                        targets.extend(fs.into_iter().map(|f| PathBuf::from(f.name)));
                    } else {
                        checked += fs.len();
                        let (k, d) = KnowledgeBase::load_lenient(fs);
                        let e = d.iter().filter(|x| x.is_error()).count();
                        errors += e;
                        warnings += d.len() - e;
                        print_diagnostics(&d, k.sources());
                    }
                }
                Err(e) => {
                    print_load_error(&e);
                    errors += 1;
                }
            }
        } else {
            targets.push(path.clone());
        }
        for t in targets {
            checked += 1;
            if kb_names.iter().any(|n| same_file(n, &t)) {
                continue; // already checked as part of the knowledge base
            }
            let text = match kb::read_text_file(&t, args.max_file_size()) {
                Ok(text) => text,
                Err(d) => {
                    print_diagnostics(&[d], &SourceMap::new());
                    errors += 1;
                    continue;
                }
            };
            let is_json = t.extension().is_some_and(|x| x == "json");
            if !is_json && !is_scenario_text(&text) {
                // A program of its own (declarations and perhaps facts).
                let (k, d) = KnowledgeBase::load_lenient(vec![KbFile {
                    name: t.display().to_string(),
                    text,
                }]);
                let e = d.iter().filter(|x| x.is_error()).count();
                errors += e;
                warnings += d.len() - e;
                print_diagnostics(&d, k.sources());
                continue;
            }
            let Some(kb) = &kb else {
                eprintln!(
                    "note: `{}` not checked: the knowledge base has errors",
                    t.display()
                );
                continue;
            };
            let mut s = Scenario::new(kb);
            s.set_limits(args.limits());
            s.set_max_file_size(args.max_file_size());
            match s.load_file(&t) {
                Ok(w) => {
                    warnings += w
                        .iter()
                        .filter(|d| d.severity == opinio::Severity::Warning)
                        .count();
                    print_diagnostics(&w, s.sources());
                }
                Err(e) => {
                    let n = e.errors().count();
                    errors += n;
                    warnings += e.diagnostics.len() - n;
                    print_load_error(&e);
                }
            }
        }
    }
    let summary = format!(
        "checked {checked} {}: {errors} {}, {warnings} {}\n",
        if checked == 1 { "file" } else { "files" },
        if errors == 1 { "error" } else { "errors" },
        if warnings == 1 { "warning" } else { "warnings" },
    );
    let _ = std::io::stderr().write_all(summary.as_bytes());
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether a text holds only facts, expectations and comments (a scenario), judged by the
/// parser; unparsable text counts as a scenario so that its errors are shown as such.
pub fn is_scenario_text(text: &str) -> bool {
    match opinio::syntax::parse_file(opinio::syntax::span::FileId(0), text) {
        Ok(f) => f.statements.iter().all(|s| s.is_scenario_statement()),
        Err(_) => !looks_like_knowledge(text),
    }
}

fn looks_like_knowledge(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        ["rule ", "predicate ", "type ", "source ", "position "]
            .iter()
            .any(|k| t.starts_with(k))
    })
}

/// The position for a name, printing the problem if there is none.
pub fn position_or_report(s: &Scenario, name: Option<&str>) -> Result<PosId, ExitCode> {
    s.position_id(name).map_err(|e| report_error(&e))
}
