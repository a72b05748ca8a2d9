//! `opinio import eurepoc|dcid`: incident datasets to JSON scenarios, one a line.
//!
//! Each dataset has its module ([`eurepoc`], [`dcid`]); country names go through the one table
//! of [`countries`]. This module holds what they share: the options, the scenario being built
//! ([`Incident`]), and the run's bookkeeping ([`Run`]): scenarios written, incidents skipped by
//! reason, problems in rows (an error record names the row and the column, and the run goes
//! on), and a summary on stderr. The mapping is documented in `docs/datasets.md`.

pub mod countries;
mod dcid;
mod eurepoc;
mod pylist;
mod table;

use crate::cli::Format;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The datasets `opinio import` reads.
#[derive(clap::Subcommand, Debug)]
pub enum Dataset {
    /// The European Repository of Cyber Incidents (EuRepoC), Global Database 1.1 (CSV).
    #[command(after_help = "Examples:
  opinio import eurepoc EuRepoC_Global_Database_1.1.csv -o eurepoc.jsonl
  opinio import eurepoc EuRepoC_Global_Database_1.1.csv \\
      --attribution EuRepoC_Attribution_dataset_1.1.csv --mode trusting -o trusting.jsonl")]
    Eurepoc(EurepocArgs),
    /// The Dyadic Cyber Incident and Dispute dataset (DCID) 2.0 (XLSX, or the sheet as CSV).
    #[command(after_help = "Examples:
  opinio import dcid DCID_2.0_Release_update_February_2023.xlsx -o dcid.jsonl
  opinio import dcid dcid.csv --mode trusting -o dcid_trusting.jsonl")]
    Dcid(DcidArgs),
}

/// How the dataset's attribution is read.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Mode {
    /// The coders' attribution is a claim on record (evidence facts: `claim_attributes`, …);
    /// who the author was in law (`organ_of`, `instructed_by`, `controlled_by`) stays unknown.
    #[default]
    Strict,
    /// The coders' attribution is taken as fact: an initiator coded as a State is its organ.
    Trusting,
}

/// What both importers take besides the input.
#[derive(clap::Args, Debug)]
pub struct Common {
    /// How to read the dataset's attribution: `strict` (a claim; the default) or `trusting`
    /// (a fact).
    #[arg(long, value_enum, default_value_t = Mode::Strict)]
    pub mode: Mode,
    /// Where to write the scenarios, one JSON object a line (`-` or absent: standard output).
    #[arg(long, short, value_name = "OUT.jsonl")]
    pub output: Option<PathBuf>,
    /// How to print problems and the summary on stderr: `text` or `json` (one object a line).
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Refuse a dataset file larger than SIZE: bytes, or with a unit K, M or G, e.g. `256M`
    /// [default: 64M]. The whole table is held in memory while it is converted.
    #[arg(long, value_name = "SIZE", value_parser = opinio::kb::files::parse_size, allow_negative_numbers = true)]
    pub max_file_size: Option<u64>,
}

impl Common {
    /// The largest dataset file read, in bytes (`--max-file-size`, default
    /// [`opinio::kb::DEFAULT_MAX_FILE_SIZE`]).
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
            .unwrap_or(opinio::kb::DEFAULT_MAX_FILE_SIZE)
    }
}

/// Options of `opinio import eurepoc`.
#[derive(clap::Args, Debug)]
pub struct EurepocArgs {
    /// EuRepoC's global database (CSV, one row per incident, e.g.
    /// `EuRepoC_Global_Database_1.1.csv`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// EuRepoC's attribution table (CSV, one row per attribution, e.g.
    /// `EuRepoC_Attribution_dataset_1.1.csv`): one claim per attribution, with its date and
    /// attributing actors. Without it, claims are read from the global database's columns.
    #[arg(long, value_name = "FILE")]
    pub attribution: Option<PathBuf>,
    /// Leave out incidents with no receiver State (only regions, "Unknown" or nothing coded)
    /// instead of giving them an unidentified receiver State (`unidentified_state_ID`).
    #[arg(long)]
    pub skip_unidentified_receivers: bool,
    /// Mode, output and format.
    #[command(flatten)]
    pub common: Common,
}

/// Options of `opinio import dcid`.
#[derive(clap::Args, Debug)]
pub struct DcidArgs {
    /// The DCID workbook (`.xlsx`) or its incident sheet saved as CSV (`.csv`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The sheet to read from a workbook (default: the first, one row per incident).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Mode, output and format.
    #[command(flatten)]
    pub common: Common,
}

/// Runs `opinio import`.
pub fn run(dataset: &Dataset) -> ExitCode {
    let (common, inputs): (&Common, Vec<&Path>) = match dataset {
        Dataset::Eurepoc(a) => (
            &a.common,
            std::iter::once(a.file.as_path())
                .chain(a.attribution.as_deref())
                .collect(),
        ),
        Dataset::Dcid(a) => (&a.common, vec![a.file.as_path()]),
    };
    // The scenarios are written in place of the output file: never in place of the dataset.
    if let Some(out) = common.output.as_deref().filter(|p| p.as_os_str() != "-") {
        if let Some(input) = inputs.iter().find(|i| crate::files::same_file(i, out)) {
            Fatal::new(format!(
                "`{}` is the dataset being read (`{}`): writing the scenarios there would destroy it",
                out.display(),
                input.display()
            ))
            .with_help("give another file to write the scenarios to, e.g. `-o scenarios.jsonl`")
            .print(common.format);
            return ExitCode::from(1);
        }
    }
    let (common, result) = match dataset {
        Dataset::Eurepoc(a) => {
            let mut run = Run::new("EuRepoC", a.common.format);
            let r = eurepoc::import(a, &mut run).map(|()| run);
            (&a.common, r)
        }
        Dataset::Dcid(a) => {
            let mut run = Run::new("DCID", a.common.format);
            let r = dcid::import(a, &mut run).map(|()| run);
            (&a.common, r)
        }
    };
    let run = match result {
        Ok(run) => run,
        Err(e) => {
            e.print(common.format);
            return ExitCode::from(1);
        }
    };
    if let Err(e) = run.write(common.output.as_deref()) {
        e.print(common.format);
        return ExitCode::from(1);
    }
    run.print_summary();
    if run.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A problem that stops the import (the file cannot be read, or is not in the layout).
pub struct Fatal {
    message: String,
    help: Option<String>,
}

impl Fatal {
    fn new(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Fatal {
        self.help = Some(help.into());
        self
    }

    fn print(&self, format: Format) {
        match format {
            Format::Json => eprintln!(
                "{}",
                serde_json::json!({"severity": "error", "error": self.message, "help": self.help})
            ),
            Format::Text => {
                eprintln!("error: {}", self.message);
                if let Some(h) = &self.help {
                    eprintln!("  help: {h}");
                }
            }
        }
    }
}

/// A problem in one row: the row (as a spreadsheet numbers it, the header being row 1), the
/// column, what is wrong and what to do.
pub struct RowProblem {
    /// The row number.
    pub row: usize,
    /// The incident's identifier, when it could be read.
    pub incident: Option<String>,
    /// The column's name in the dataset.
    pub column: String,
    /// What is wrong, for a reader of the dataset.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl RowProblem {
    /// A problem in `column` of `row`.
    pub fn new(row: usize, column: &str, message: impl Into<String>) -> RowProblem {
        RowProblem {
            row,
            incident: None,
            column: column.to_string(),
            message: message.into(),
            help: None,
        }
    }

    /// The same, with advice.
    pub fn help(mut self, help: impl Into<String>) -> RowProblem {
        self.help = Some(help.into());
        self
    }

    /// The same, naming the incident.
    pub fn incident(mut self, id: &str) -> RowProblem {
        self.incident = Some(id.to_string());
        self
    }
}

/// The scenario of one incident, built fact by fact: duplicates are dropped, a fact stated
/// true is never also listed as false or unknown (the first statement wins).
#[derive(Default)]
pub struct Incident {
    id: String,
    facts: Vec<String>,
    negative: Vec<String>,
    unknown: Vec<String>,
    seen: HashSet<String>,
}

impl Incident {
    /// An empty scenario with the record's `id`.
    pub fn new(id: String) -> Incident {
        Incident {
            id,
            ..Incident::default()
        }
    }

    /// States `fact` true.
    pub fn fact(&mut self, fact: String) {
        if self.seen.insert(fact.clone()) {
            self.facts.push(fact);
        }
    }

    /// States `fact` false.
    pub fn not(&mut self, fact: String) {
        if self.seen.insert(fact.clone()) {
            self.negative.push(fact);
        }
    }

    /// States `fact` unknown on purpose (for a closed predicate, whose silence means false).
    pub fn unknown(&mut self, fact: String) {
        if self.seen.insert(fact.clone()) {
            self.unknown.push(fact);
        }
    }

    /// Whether `fact` is already stated (true, false or unknown).
    pub fn has(&self, fact: &str) -> bool {
        self.seen.contains(fact)
    }

    fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Record<'a> {
            id: &'a str,
            facts: &'a [String],
            negative_facts: &'a [String],
            unknown_facts: &'a [String],
        }
        let record = Record {
            id: &self.id,
            facts: &self.facts,
            negative_facts: &self.negative,
            unknown_facts: &self.unknown,
        };
        // Strings and lists of strings always serialise.
        serde_json::to_string(&record).unwrap_or_default()
    }
}

/// The facts that make a State the author of an operation in law (attribution.opinio): the
/// actor is its organ or empowered by it, or the operation was instructed, controlled or
/// adopted by it.
pub fn attribution_facts(op: &str, actor: &str, state: &str) -> [String; 5] {
    [
        format!("organ_of({actor}, {state})"),
        format!("empowered_by({actor}, {state})"),
        format!("instructed_by({op}, {state})"),
        format!("controlled_by({op}, {state})"),
        format!("adopted_by({op}, {state})"),
    ]
}

/// The incident number in `column`: a whole number, `7.0` read as `7` (as a spreadsheet
/// writes it) and written without leading zeros (`007` -> `7`), so that one incident has one
/// name. An empty cell or anything else is a row error naming the column.
pub fn incident_number(row: &table::Row, column: &str) -> Result<String, RowProblem> {
    let v = row.get(column)?;
    let v = v.strip_suffix(".0").unwrap_or(v);
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RowProblem::new(
            row.number,
            column,
            if v.is_empty() {
                "the incident has no number".to_string()
            } else {
                format!("`{v}` is not an incident number (a whole number)")
            },
        )
        .help("each incident needs its number: correct or remove the row"));
    }
    Ok(canonical_number(v))
}

/// An incident number written without leading zeros (`007` -> `7`, `0` stays `0`). `digits`
/// is a non-empty run of ASCII digits.
fn canonical_number(digits: &str) -> String {
    let t = digits.trim_start_matches('0');
    if t.is_empty() && !digits.is_empty() {
        "0".to_string()
    } else {
        t.to_string()
    }
}

/// An identifier for Opinio: lower case ASCII letters, digits and `_`, starting with a letter
/// (`prefix` is put in front); `None` when nothing of the text is left.
pub fn name(prefix: &str, text: &str) -> Option<String> {
    let mut s = String::new();
    let mut gap = false;
    // Letters of any script as their closest ASCII (`é` -> `e`, `Лазарь` -> `Lazar'`,
    // `中国` -> `Zhong Guo`): a name in Cyrillic or Chinese keeps a constant of its own
    // instead of being taken for an unidentified actor.
    for ch in deunicode::deunicode(text).chars() {
        if ch.is_ascii_alphanumeric() {
            if gap && !s.is_empty() {
                s.push('_');
            }
            gap = false;
            s.push(ch.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if s.is_empty() {
        return None;
    }
    Some(format!("{prefix}{s}"))
}

/// An ISO 8601 calendar date `YYYY-MM-DD` that exists, as an Opinio date literal.
pub fn iso_date(text: &str) -> Option<String> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u32>().ok());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    (d >= 1 && d <= days_in_month(y, m)?).then(|| t.to_string())
}

fn days_in_month(y: u32, m: u32) -> Option<u32> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    Some(match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// The run: the scenarios written so far and what was skipped, noted or wrong.
pub struct Run {
    dataset: &'static str,
    format: Format,
    out: String,
    /// Incidents read (rows with an incident).
    pub read: usize,
    /// Scenarios written.
    pub written: usize,
    /// Rows with an error (error records printed).
    pub errors: usize,
    skipped: BTreeMap<String, usize>,
    notes: BTreeMap<String, usize>,
}

impl Run {
    fn new(dataset: &'static str, format: Format) -> Run {
        Run {
            dataset,
            format,
            out: String::new(),
            read: 0,
            written: 0,
            errors: 0,
            skipped: BTreeMap::new(),
            notes: BTreeMap::new(),
        }
    }

    /// Writes the scenario of an incident.
    pub fn scenario(&mut self, incident: &Incident) {
        self.out.push_str(&incident.to_json());
        self.out.push('\n');
        self.written += 1;
    }

    /// Counts an incident left out, and why.
    pub fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// Counts something the summary reports (a name that is not a State, a value left
    /// unknown).
    pub fn note(&mut self, what: String) {
        *self.notes.entry(what).or_default() += 1;
    }

    /// Prints an error record for a row that could not be converted (the run goes on).
    pub fn error(&mut self, p: RowProblem) {
        self.errors += 1;
        self.problem("error", &p);
    }

    /// Prints a warning for a value left out of a scenario that was still written.
    pub fn warning(&mut self, p: RowProblem) {
        self.problem("warning", &p);
    }

    fn problem(&self, severity: &str, p: &RowProblem) {
        match self.format {
            Format::Json => eprintln!(
                "{}",
                serde_json::json!({
                    "severity": severity, "row": p.row, "incident": p.incident,
                    "column": p.column, "error": p.message, "help": p.help,
                })
            ),
            Format::Text => {
                let incident = p
                    .incident
                    .as_ref()
                    .map(|i| format!(" (incident {i})"))
                    .unwrap_or_default();
                eprintln!(
                    "{severity}: row {}{incident}, column `{}`: {}",
                    p.row, p.column, p.message
                );
                if let Some(h) = &p.help {
                    eprintln!("  help: {h}");
                }
            }
        }
    }

    fn write(&self, path: Option<&Path>) -> Result<(), Fatal> {
        match path {
            Some(p) if p.as_os_str() != "-" => crate::files::write_atomically(p, &self.out)
                .map_err(|e| {
                    Fatal::new(format!(
                        "cannot write `{}`: {}; nothing was written",
                        p.display(),
                        crate::files::write_words(&e)
                    ))
                    .with_help(format!(
                        "{} (`-o -` writes to standard output)",
                        crate::files::write_help(&e)
                    ))
                }),
            _ => {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                out.write_all(self.out.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| Fatal::new(format!("cannot write the scenarios: {e}")))
            }
        }
    }

    fn print_summary(&self) {
        let skipped: usize = self.skipped.values().sum();
        let pct = if self.read == 0 {
            0.0
        } else {
            100.0 * self.written as f64 / self.read as f64
        };
        match self.format {
            Format::Json => eprintln!(
                "{}",
                serde_json::json!({
                    "summary": {
                        "dataset": self.dataset, "incidents": self.read,
                        "converted": self.written, "skipped": self.skipped,
                        "errors": self.errors, "notes": self.notes,
                    }
                })
            ),
            Format::Text => {
                eprintln!(
                    "{}: {} incidents read, {} converted ({pct:.1}%), {} skipped, {} {}",
                    self.dataset,
                    self.read,
                    self.written,
                    skipped,
                    self.errors,
                    if self.errors == 1 { "error" } else { "errors" }
                );
                for (reason, n) in &self.skipped {
                    eprintln!("  skipped {n:>5}  {reason}");
                }
                for (what, n) in &self.notes {
                    eprintln!("  noted   {n:>5}  {what}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_opinio_identifiers() {
        assert_eq!(
            name("actor_", "APT 28 (Fancy Bear)").as_deref(),
            Some("actor_apt_28_fancy_bear")
        );
        assert_eq!(
            name("actor_", "Équipe Öst").as_deref(),
            Some("actor_equipe_ost")
        );
        assert_eq!(name("actor_", " -- ").as_deref(), None);
        assert_eq!(name("c_", "8664.0").as_deref(), Some("c_8664_0"));
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(iso_date("2017-06-27").as_deref(), Some("2017-06-27"));
        assert_eq!(iso_date("2016-02-29").as_deref(), Some("2016-02-29"));
        assert_eq!(iso_date("2017-02-29"), None);
        assert_eq!(iso_date("2017-13-01"), None);
        assert_eq!(iso_date("27/06/2017"), None);
        assert_eq!(iso_date(""), None);
    }

    #[test]
    fn a_fact_is_stated_once() {
        let mut i = Incident::new("x".into());
        i.fact("state(a)".into());
        i.unknown("state(a)".into());
        i.not("state(b)".into());
        i.not("state(b)".into());
        let j: serde_json::Value = serde_json::from_str(&i.to_json()).expect("json");
        assert_eq!(j["facts"], serde_json::json!(["state(a)"]));
        assert_eq!(j["negative_facts"], serde_json::json!(["state(b)"]));
        assert_eq!(j["unknown_facts"], serde_json::json!([]));
    }
}
