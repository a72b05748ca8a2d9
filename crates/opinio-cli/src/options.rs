//! The options every front end shares: which knowledge base to load, which files to add to
//! it, and the limits of an evaluation. The command line parses them (`--kb`, `--extend`,
//! `--max-atoms`, …) and hands them to the subcommands and to the REPL, which keeps them to
//! read the knowledge base again on `:reload`.

use crate::style::print_diagnostics;
use opinio::diagnostic::Diagnostic;
use opinio::kb::{self, KbFile, KnowledgeBase, LoadError};
use opinio::syntax::span::SourceMap;
use opinio::{Limits, MagicSets, Scenario};
use std::path::PathBuf;
use std::time::Duration;

/// The knowledge base to load: `--kb`, `--extend` and `--max-file-size`. Every subcommand
/// that reads the knowledge base flattens it (so the options may follow the subcommand); the
/// top level flattens it too, for the session and for options written before the subcommand.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct KbOptions {
    /// Use the knowledge base in DIR instead of the bundled one.
    #[arg(help_heading = "Knowledge base", long, value_name = "DIR")]
    pub kb: Option<PathBuf>,
    /// Add the `.opinio` files of DIR to the knowledge base (may be repeated).
    #[arg(help_heading = "Knowledge base", long, value_name = "DIR")]
    pub extend: Vec<PathBuf>,
    /// Refuse a file larger than SIZE: bytes, or with a unit K, M or G, e.g. `256M`
    /// [default: 64M].
    #[arg(help_heading = "Knowledge base", long, value_name = "SIZE", value_parser = kb::files::parse_size, allow_negative_numbers = true)]
    pub max_file_size: Option<u64>,
}

/// The limits of an evaluation: `--max-atoms`, `--time-limit`, `--max-memory`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitOptions {
    /// Stop an evaluation past this many derived atoms.
    // Negative numbers reach `parse_atoms` too (see `--time-limit`).
    #[arg(help_heading = "Limits of an evaluation", long, value_name = "N", value_parser = parse_atoms, allow_negative_numbers = true)]
    pub max_atoms: Option<usize>,
    /// Stop an evaluation after this many seconds.
    // Negative numbers reach `parse_seconds`, which says why they cannot be a limit, instead
    // of clap's "unexpected argument '-1' found".
    #[arg(help_heading = "Limits of an evaluation", long, value_name = "SECONDS", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
    /// Stop an evaluation whose conclusions would take more memory than SIZE: bytes, or with
    /// a unit K, M or G, e.g. `4G` [default: 2G].
    #[arg(help_heading = "Limits of an evaluation", long, value_name = "SIZE", value_parser = kb::files::parse_size, allow_negative_numbers = true)]
    pub max_memory: Option<u64>,
    /// When a question with constants in it (`attributable(op1, X)`) is answered by the
    /// magic-set rewriting of the rules, which evaluates only what its constants reach:
    /// `auto` (when the scenario states at least 200 facts), `always` or `never`. The
    /// answers are the same [default: auto].
    #[arg(help_heading = "Limits of an evaluation", long, value_name = "WHEN", value_parser = parse_magic_sets)]
    pub magic_sets: Option<MagicSets>,
}

/// A time limit in seconds: a number from one millisecond (`0.001`) to [`MAX_SECONDS`]. A
/// limit of zero or less would stop every evaluation before it starts; one past the maximum
/// (`1e308`, `inf`) is more than any evaluation could use, and was refused with "give a
/// number of seconds, at least 0.001", which said nothing of what was wrong.
fn parse_seconds(s: &str) -> Result<f64, String> {
    let help = format!(
        "give a number of seconds from 0.001 to {MAX_SECONDS:.0}, such as `2` or `0.5` (without `--time-limit`, an evaluation may take 60 seconds)"
    );
    let written = s.trim();
    let seconds: f64 = match written.parse() {
        Ok(n) if !f64::is_nan(n) => n,
        _ => return Err(format!("`{s}` is not a number of seconds: {help}")),
    };
    if seconds < 0.0 {
        return Err(format!(
            "`{s}` is not a number of seconds: a time limit cannot be negative; {help}"
        ));
    }
    if seconds < 0.001 {
        return Err(format!(
            "`{s}` seconds is too short a time limit: every evaluation would stop before it starts; {help}"
        ));
    }
    if seconds > MAX_SECONDS {
        return Err(format!(
            "`{s}` seconds is longer than any evaluation could run (the most is {MAX_SECONDS:.0} seconds, about 31 years); {help}"
        ));
    }
    Ok(seconds)
}

/// Reads `--max-atoms`: a whole number of at least 1 (`20000000` or `20_000_000`).
fn parse_atoms(s: &str) -> Result<usize, String> {
    let help = "give a whole number of atoms of 1 or more, such as `1000000` (without `--max-atoms`, an evaluation may derive 20,000,000)";
    let written: String = s.trim().chars().filter(|c| *c != '_').collect();
    if written.starts_with('-')
        && written.len() > 1
        && written[1..].bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "`{s}` is not a number of atoms: a limit cannot be negative; {help}"
        ));
    }
    match written.parse::<usize>() {
        Ok(0) => Err(format!(
            "`{s}` atoms is too small a limit: every evaluation would stop before it starts; {help}"
        )),
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Ok(usize::MAX),
        Err(_) => Err(format!("`{s}` is not a number of atoms: {help}")),
    }
}

/// The longest time limit taken: a billion seconds, about 31 years. Past it nothing changes
/// for an evaluation, and a duration this long is still one the clock can add to the time of
/// day.
const MAX_SECONDS: f64 = 1e9;

/// Reads `--magic-sets`.
fn parse_magic_sets(s: &str) -> Result<MagicSets, String> {
    MagicSets::from_name(s).ok_or_else(|| format!("`{s}` is not one of auto, always, never"))
}

/// The date a question is asked as of: `--as-of`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TimeOptions {
    /// Ask as of DATE (e.g. `2017-06-27`), or `operation` for the scenario's dated operation:
    /// positions published later are left out, and elements resting on later statements are
    /// marked. Values never change with the date.
    #[arg(help_heading = "Time", long, value_name = "DATE")]
    pub as_of: Option<opinio::AsOf>,
}

/// What `check` reads: the knowledge base and the limits of the evaluation its warnings need.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CheckOptions {
    /// The knowledge base.
    #[command(flatten)]
    pub kb: KbOptions,
    /// The limits.
    #[command(flatten)]
    pub limits: LimitOptions,
}

/// What every subcommand that answers questions reads: the knowledge base, the limits and the
/// date asked as of.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct EvalOptions {
    /// The knowledge base.
    #[command(flatten)]
    pub kb: KbOptions,
    /// The limits.
    #[command(flatten)]
    pub limits: LimitOptions,
    /// The date asked as of.
    #[command(flatten)]
    pub time: TimeOptions,
}

impl KbOptions {
    /// The flags given, as written (`--kb`, …), to say which ones a subcommand has no use for.
    pub fn given(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.kb.is_some() {
            v.push("--kb");
        }
        if !self.extend.is_empty() {
            v.push("--extend");
        }
        if self.max_file_size.is_some() {
            v.push("--max-file-size");
        }
        v
    }
}

impl LimitOptions {
    /// The flags given, as written.
    pub fn given(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.max_atoms.is_some() {
            v.push("--max-atoms");
        }
        if self.time_limit.is_some() {
            v.push("--time-limit");
        }
        if self.max_memory.is_some() {
            v.push("--max-memory");
        }
        if self.magic_sets.is_some() {
            v.push("--magic-sets");
        }
        v
    }
}

impl TimeOptions {
    /// The flags given, as written.
    pub fn given(&self) -> Vec<&'static str> {
        if self.as_of.is_some() {
            vec!["--as-of"]
        } else {
            Vec::new()
        }
    }
}

impl EvalOptions {
    /// The options as one [`KbArgs`]: those written after the subcommand (`self`) win over
    /// those written before it (`outer`); `--extend` folders add up.
    pub fn merged(&self, outer: &EvalOptions) -> KbArgs {
        let mut extend = outer.kb.extend.clone();
        extend.extend(self.kb.extend.iter().cloned());
        KbArgs {
            kb: self.kb.kb.clone().or_else(|| outer.kb.kb.clone()),
            extend,
            max_file_size: self.kb.max_file_size.or(outer.kb.max_file_size),
            max_atoms: self.limits.max_atoms.or(outer.limits.max_atoms),
            time_limit: self.limits.time_limit.or(outer.limits.time_limit),
            max_memory: self.limits.max_memory.or(outer.limits.max_memory),
            magic_sets: self.limits.magic_sets.or(outer.limits.magic_sets),
            as_of: self.time.as_of.or(outer.time.as_of),
        }
    }
}

impl From<CheckOptions> for EvalOptions {
    fn from(c: CheckOptions) -> EvalOptions {
        EvalOptions {
            kb: c.kb,
            limits: c.limits,
            time: TimeOptions::default(),
        }
    }
}

/// The knowledge base and the limits a subcommand or the session works with: the options of
/// [`EvalOptions`], merged from before and after the subcommand ([`EvalOptions::merged`]).
#[derive(Debug, Clone, Default)]
pub struct KbArgs {
    /// `--kb`: the knowledge base's folder (`None`: the bundled one).
    pub kb: Option<PathBuf>,
    /// `--extend`: folders whose `.opinio` files are added.
    pub extend: Vec<PathBuf>,
    /// `--max-atoms`.
    pub max_atoms: Option<usize>,
    /// `--time-limit`, in seconds.
    pub time_limit: Option<f64>,
    /// `--max-memory`, in bytes.
    pub max_memory: Option<u64>,
    /// `--max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
    /// `--magic-sets`.
    pub magic_sets: Option<MagicSets>,
    /// `--as-of`.
    pub as_of: Option<opinio::AsOf>,
}

impl KbArgs {
    /// The evaluation limits: the library's defaults, replaced by the flags given (a
    /// negative time limit counts as zero).
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

    /// Gives a scenario the limits and the use of magic sets these options ask for.
    pub fn configure(&self, s: &mut Scenario) {
        s.set_limits(self.limits());
        s.set_magic_sets(self.magic_sets.unwrap_or_default());
    }

    /// The largest file read, in bytes (`--max-file-size`, default
    /// [`kb::DEFAULT_MAX_FILE_SIZE`]).
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

    /// The `.opinio` files on disk of the knowledge base these options select (`--kb`,
    /// `--extend`; none for the bundled one): an output is never written over one of them.
    pub fn files_on_disk(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in self.kb.iter().chain(&self.extend) {
            if dir.is_file() {
                out.push(dir.clone());
            } else if let Ok(walk) = kb::walk_folder(dir, false) {
                out.extend(walk.files);
            }
        }
        out
    }

    /// The files of the knowledge base these options select; the entries left out are shown
    /// on stderr.
    pub fn files(&self) -> Result<Vec<KbFile>, LoadError> {
        let (files, skipped) = self.read_files()?;
        print_diagnostics(&skipped, &SourceMap::new());
        Ok(files)
    }

    /// The knowledge base these options select, checked; a folder that cannot be read or a
    /// program with errors is a [`LoadError`]. The bundled one alone (no `--kb`, no
    /// `--extend`) is the copy checked when Opinio was built ([`opinio_knowledge::bundled`]);
    /// folders are read and checked now.
    pub fn load(&self) -> Result<KnowledgeBase, LoadError> {
        if self.kb.is_none() && self.extend.is_empty() {
            return opinio_knowledge::bundled();
        }
        let kb = KnowledgeBase::from_files(self.files()?)?;
        // A scenario kept in the knowledge base's folder changes every answer: say so on
        // every command, not only in `opinio check` (the other warnings are the author's).
        let scenarios: Vec<opinio::Diagnostic> = kb
            .warnings()
            .iter()
            .filter(|d| d.code == opinio::diagnostic::Code::ScenarioInKnowledgeBase)
            .cloned()
            .collect();
        print_diagnostics(&scenarios, kb.sources());
        Ok(kb)
    }
}
