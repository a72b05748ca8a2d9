//! `opinio batch`: one JSON scenario per input line, one JSON verdict per output line.
//!
//! Lines are read by a reader thread and evaluated in chunks on a rayon pool; each chunk's
//! verdicts are written in input order as soon as the whole chunk is done, so output streams
//! and is the same whatever the number of threads. A line that cannot be read, parsed or
//! checked gives an error record (`{"line": N, "error": "…"}`) and the run goes on.
//!
//! Output records (one per non-blank input line, in input order):
//!
//! ```json
//! {"line": 1, "id": "case-7", "position": "tallinn2",
//!  "answers": [{"atom": "attributable(op, borduria)", "value": "true"},
//!              {"atom": "violates_sovereignty(op, astoria)", "value": "unknown",
//!               "why": {"kind": "divided_law", "points": [{"point": "…", "reason": "…"}]}}],
//!  "provenance": {"opinio_version": "…", "knowledge_base_hash": "…", "positions": [...],
//!                 "limits": {...}}}
//! {"line": 2, "positions": {"tallinn2": [...], "uk": [...]}, "provenance": {...}}
//! {"line": 3, "error": "…", "help": "…"}
//! ```
//!
//! An unknown answer's `why` says whether it rests on missing facts, divided law or both
//! (four what-ifs per scenario and position, on the residual program of its unknown
//! answers); `--detailed-reasons` adds `reason`, with
//! the facts that can change it and how every position answers; `--answers-only` leaves
//! `why` out.
//!
//! A line whose facts are an earlier line's with other names for the constants the law does
//! not name (its shape, `opinio::Shape`) takes the earlier line's values and reasons, renamed
//! and sorted again, instead of being evaluated: see `memo` (off with `--no-memo`).

mod memo;
mod why;

use super::summary::{Cause, Tally, Verdict as GoalValue};
use super::KbArgs;
use opinio::explain::UnknownClass;
use opinio::kb::{KnowledgeBase, LoadError};
use opinio::program::{Goal, PosId, PredId};
use opinio::syntax::ast::Truth;
use opinio::syntax::span::Span;
use opinio::Scenario;
use rayon::prelude::*;
use serde::ser::{Serialize, Serializer};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::Instant;
use why::Why;

/// Options of `opinio batch`.
#[derive(clap::Args, Debug, Clone)]
pub struct BatchArgs {
    /// A file of scenarios, one JSON object a line (`-`: standard input).
    #[arg(long, short, value_name = "FILE.jsonl")]
    pub input: PathBuf,
    /// The position to evaluate under (default: the knowledge base's default).
    #[arg(long, short, conflicts_with = "all_positions")]
    pub position: Option<String>,
    /// Evaluate under every position: one record per line with a `positions` object.
    #[arg(long)]
    pub all_positions: bool,
    /// The questions to answer (may have variables). Default: every atom of every derived
    /// predicate that is true or unknown.
    #[arg(long, num_args = 1.., value_name = "GOAL")]
    pub goals: Vec<String>,
    /// Worker threads (default: one per core; at most 256, or four per core if more).
    // Negative numbers reach `parse_threads`, which says why they cannot be a count.
    #[arg(long, value_name = "N", value_parser = parse_threads, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// A summary table (and chart) instead of one record per scenario.
    #[command(flatten)]
    pub summary: super::summary::SummaryArgs,
    /// For each unknown answer, name the missing facts that can change it and how every
    /// position answers (`reason`), instead of only whether it rests on missing facts,
    /// divided law or both (`why`). Much slower.
    #[arg(long, conflicts_with = "answers_only")]
    pub detailed_reasons: bool,
    /// Each answer's value only: no `why` for unknown answers. The classification walks
    /// every unknown answer's rule instances down to the missing facts and open points, so
    /// this takes a third to a half less time; for counting answers over large datasets.
    #[arg(long, conflicts_with = "summary")]
    pub answers_only: bool,
    /// Evaluate every line afresh. By default a line whose facts are an earlier line's with
    /// other names for its operations, actors and States (the names the law does not use)
    /// takes that line's values and reasons under the new names: the output is the same
    /// either way, this only costs time.
    #[arg(long)]
    pub no_memo: bool,
}

/// How many lines are evaluated together before their verdicts are written. The verdicts of
/// a chunk are held until it is done (EuRepoC's lines under every position make verdicts of
/// up to half a megabyte): 64 lines keep two threads busy, where 512 tripled the peak memory
/// of a run over EuRepoC (290 MB against 130 MB) for no gain in time.
const CHUNK: usize = 64;

/// How many bytes of read lines may wait for evaluation at once. The channel between the
/// reader and the workers is bounded by lines, and a line may be as large as the file-size
/// limit (64 MiB by default): without a bound in bytes, 300 long lines could fill many
/// gigabytes. One line is always let through, however large, so a run never stalls.
const BYTES_IN_FLIGHT: u64 = 256 << 20;

/// One line of the input, as the reader thread hands it on.
enum Line {
    /// The bytes of the line, its newline removed.
    Text(Vec<u8>),
    /// A line longer than the file-size limit: not kept, and skipped to its end.
    TooLong {
        /// The limit it exceeded, in bytes.
        limit: u64,
    },
    /// The input could not be read from here on.
    Unreadable(String),
    /// The input is UTF-16 text (its first bytes are UTF-16's byte-order mark): not read.
    Utf16,
}

impl Line {
    /// The bytes the line holds in memory (and counts against [`BYTES_IN_FLIGHT`]).
    fn held(&self) -> u64 {
        match self {
            Line::Text(b) => b.len() as u64,
            _ => 0,
        }
    }
}

/// The bytes of read lines not yet evaluated, shared by the reader thread and the main loop.
#[derive(Default)]
struct InFlight {
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl InFlight {
    /// Waits until `n` more bytes fit (or nothing is in flight), then counts them. Returns
    /// false when the main loop has stopped and nothing more should be read.
    fn acquire(&self, n: u64) -> bool {
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !g.1 && g.0 > 0 && g.0.saturating_add(n) > BYTES_IN_FLIGHT {
            g = self.changed.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        g.0 += n;
        !g.1
    }

    /// The main loop is done with `n` bytes.
    fn release(&self, n: u64) {
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        g.0 = g.0.saturating_sub(n);
        self.changed.notify_all();
    }

    /// The main loop has stopped: a reader waiting for room gives up.
    fn close(&self) {
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        g.1 = true;
        self.changed.notify_all();
    }
}

/// Which positions a line is evaluated under.
enum Positions {
    One(PosId, String),
    All(Vec<(PosId, String)>),
}

/// What each line is asked.
enum Goals {
    /// Every derived predicate, all arguments variables (checked once, valid for any facts).
    Conclusions(Vec<Goal>),
    /// Goals given on the command line, checked per line (their constants must be known).
    Listed(Vec<String>),
}

struct Job {
    kb: KnowledgeBase,
    limits: opinio::Limits,
    magic_sets: opinio::MagicSets,
    as_of: Option<opinio::AsOf>,
    positions: Positions,
    goals: Goals,
    /// Whether to classify each goal's value for `--summary`.
    summary: bool,
    /// Whether unknown answers get the detailed reason.
    detailed_reasons: bool,
    /// Whether unknown answers go without a `why` (no classification).
    answers_only: bool,
    /// Per entry of `positions` and per goal: the index of the first entry with the same law
    /// for the goal's predicate (`eval::law_signature`), found once for the run (the goals'
    /// predicates are the same on every line).
    law_classes: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// Answers by line shape (`None` with `--no-memo` and with `--detailed-reasons`, whose
    /// reasons name the line's constants).
    memo: Option<memo::Memo>,
}

/// One evaluated line: the JSON text of its record and whether it is an error record.
struct Outcome {
    json: String,
    error: bool,
    /// With `--summary`: each goal's value under each position.
    verdicts: Vec<GoalValue>,
    /// With `--all-positions` and `--as-of`: how many positions were left out of the line
    /// because they had not been published by the date asked.
    left_out: usize,
}

#[derive(serde::Serialize)]
struct AnswerOut {
    atom: String,
    value: Truth,
    /// For an unknown answer: missing facts, divided law or both, with the open points
    /// (shared by the answers of a line with the same class).
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<Arc<Why>>,
    /// With `--detailed-reasons`, for an unknown answer: the facts and points that can
    /// change it, and how every position answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Box<opinio::explain::UnknownReason>>,
}

/// Positions and their answers, serialised as a JSON object in position order.
struct ByPosition(Vec<(String, Vec<AnswerOut>)>);

impl Serialize for ByPosition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(serde::Serialize)]
struct Verdict<'a> {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answers: Option<Vec<AnswerOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    positions: Option<ByPosition>,
    /// With `--all-positions` and `--as-of`: the positions left out because they had not
    /// been published by the date asked (none: the key is absent).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_yet_published: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    /// What the answers were computed with.
    provenance: opinio::Provenance,
}

#[derive(serde::Serialize)]
struct ErrorRecord<'a> {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

/// Why a line failed: the one-line reason and the advice, if any.
struct LineError {
    reason: String,
    help: Option<String>,
}

impl LineError {
    fn new(reason: impl Into<String>) -> LineError {
        LineError {
            reason: reason.into(),
            help: None,
        }
    }
}

/// Reads `--threads`: 1 to [`max_threads`]. Ten thousand threads took 38 s to answer one
/// line, and a hundred thousand did not finish: each is started, and waited for, per chunk.
fn parse_threads(s: &str) -> Result<usize, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = max_threads(cores);
    let help = format!(
        "give a whole number from 1 to {most}; this machine has {cores} {} (without `--threads`, one thread a core)",
        if cores == 1 { "core" } else { "cores" }
    );
    match s.trim().parse::<i128>() {
        Ok(n) if n < 1 => Err(format!("`{s}` is not a number of threads: at least one thread is needed; {help}")),
        Ok(n) if n > most as i128 => Err(format!(
            "`{s}` threads are more than this machine can use (more threads than cores only slow a run down); {help}"
        )),
        Ok(n) => usize::try_from(n).map_err(|_| format!("`{s}` is not a number of threads: {help}")),
        Err(_) => Err(format!("`{s}` is not a number of threads: {help}")),
    }
}

/// The most worker threads `--threads` takes on a machine of `cores` cores: 256, or four a
/// core on a larger machine.
fn max_threads(cores: usize) -> usize {
    cores.saturating_mul(4).max(256)
}

/// Runs `opinio batch`.
pub fn run(kb_args: &KbArgs, args: &BatchArgs) -> ExitCode {
    let start = Instant::now();
    let kb = match kb_args.load() {
        Ok(kb) => kb,
        Err(e) => {
            super::print_load_error(&e);
            return ExitCode::from(1);
        }
    };
    // The chart is written in place of its file: never in place of the scenarios or the law
    // being read (the tester's dataset became an SVG).
    if let Some(chart) = &args.summary.chart {
        let mut inputs = kb_args.files_on_disk();
        inputs.push(args.input.clone());
        if let Some(input) = crate::files::clobbered_input(chart, &inputs) {
            eprintln!(
                "error: `{}` is {} ({}): drawing the chart there would destroy it\n  help: give another file for the chart, e.g. `--chart summary.svg`",
                chart.display(),
                if *input == args.input {
                    "the file of scenarios being read"
                } else {
                    "a file of the knowledge base"
                },
                crate::files::shown_input(input)
            );
            return ExitCode::from(1);
        }
    }
    let job = match prepare(kb, kb_args, args) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = args.threads {
            b = b.num_threads(n.max(1));
        }
        match b.build() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: cannot start worker threads: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let (reader, total_bytes): (Box<dyn Read + Send>, Option<u64>) =
        if args.input.as_os_str() == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            match open(&args.input) {
                Ok(x) => x,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return ExitCode::from(1);
                }
            }
        };
    let progress = progress_bar(total_bytes);

    // The reader thread: numbered lines (bytes, the newline removed) into a bounded channel.
    let (tx, rx) = mpsc::sync_channel::<(usize, Line)>(CHUNK * 4);
    let in_flight = Arc::new(InFlight::default());
    let reader_thread = {
        let in_flight = Arc::clone(&in_flight);
        let limit = kb_args.max_file_size();
        std::thread::spawn(move || read_lines(reader, &tx, limit, &in_flight))
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut scenarios, mut errors) = (0usize, 0usize);
    // Lines some positions were left out of, as not yet published at the date asked.
    let mut lines_left_out = 0usize;
    let mut tally = args
        .summary
        .summary
        .then(|| Tally::new(goal_labels(&job), position_names(&job)));
    let mut write_failed = false;
    let mut chunk: Vec<(usize, Line)> = Vec::with_capacity(CHUNK);
    // Block for the first line of a chunk, then take whatever else is already there: a fast
    // file fills whole chunks, a slow producer gets its verdicts line by line.
    while let Ok(first) = rx.recv() {
        chunk.clear();
        chunk.push(first);
        while chunk.len() < CHUNK {
            match rx.try_recv() {
                Ok(item) => chunk.push(item),
                Err(_) => break,
            }
        }
        let held: u64 = chunk.iter().map(|(_, l)| l.held()).sum();
        let bytes: u64 = chunk.iter().map(|(_, l)| l.held() + 1).sum();
        let outcomes: Vec<Option<Outcome>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(n, line)| evaluate_line(&job, *n, line))
                .collect()
        });
        chunk.clear();
        in_flight.release(held);
        for o in outcomes.into_iter().flatten() {
            scenarios += 1;
            errors += usize::from(o.error);
            lines_left_out += usize::from(o.left_out > 0);
            if let Some(t) = tally.as_mut() {
                // The table replaces the records; a scenario that failed is reported on stderr.
                if o.error {
                    t.errors += 1;
                    eprintln!("{}", o.json);
                } else {
                    t.add(&o.verdicts);
                }
                continue;
            }
            if out
                .write_all(o.json.as_bytes())
                .and_then(|_| out.write_all(b"\n"))
                .is_err()
            {
                write_failed = true;
                break;
            }
        }
        if write_failed || out.flush().is_err() {
            write_failed = true;
            break;
        }
        progress.inc(bytes);
        progress.set_message(format!("{scenarios} scenarios, {errors} errors"));
    }
    progress.finish_and_clear();
    in_flight.close();
    if write_failed {
        // The reader of our output went away (`| head`): stop quietly, without waiting for
        // the reader thread, which may be blocked on a terminal or a pipe.
        return ExitCode::from(1);
    }
    drop(rx);
    let _ = reader_thread.join();
    if tally.is_some() && scenarios == errors {
        // Empty tables for every goal would look like results; say plainly that there are none.
        eprintln!("error: no scenario was evaluated, so there is no summary (and no chart)");
        return ExitCode::from(1);
    }
    if let Some(t) = &tally {
        let table = t.render(args.summary.summary_format);
        if out
            .write_all(table.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::from(1);
        }
        if let Some(path) = &args.summary.chart {
            if let Err(e) = t.chart(path) {
                eprintln!(
                    "error: cannot write the chart `{}`: {e}\n  help: check that the folder exists and that this account may write there, or give another file",
                    path.display()
                );
                return ExitCode::from(1);
            }
        }
    }
    if lines_left_out > 0 {
        eprintln!(
            "note: {lines_left_out} {} asked as of a date before some positions were published: those positions were left out of {} ({})",
            if lines_left_out == 1 { "line was" } else { "lines were" },
            if lines_left_out == 1 { "it" } else { "them" },
            if tally.is_some() {
                "the summary counts each position over the lines asked under it only"
            } else {
                "each record's `not_yet_published` names them"
            }
        );
    }
    eprintln!(
        "{scenarios} {}, {errors} {}, {:.2} s",
        if scenarios == 1 {
            "scenario"
        } else {
            "scenarios"
        },
        if errors == 1 { "error" } else { "errors" },
        start.elapsed().as_secs_f64()
    );
    // The command ends here: freeing the memo entry by entry would only cost time (up to
    // 4% of a run), so it is left to the process's exit.
    std::mem::forget(job);
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

type Input = (Box<dyn Read + Send>, Option<u64>);

fn open(path: &Path) -> Result<Input, String> {
    let f = std::fs::File::open(path).map_err(|e| {
        format!(
            "cannot read `{}`: {}",
            path.display(),
            opinio::kb::files::io_words(&e)
        )
    })?;
    // A folder opens on Linux and fails only at the first read, which would be reported as
    // line 1; a device such as /dev/zero never ends. Named pipes are welcome: `-i <(zcat …)`.
    let meta = f.metadata().ok();
    if let Some(m) = &meta {
        let kind = m.file_type();
        if kind.is_dir() {
            return Err(format!(
                "`{}` is a folder, not a file of scenarios\n  help: give the JSON Lines file itself (one scenario a line), e.g. -i {}/incidents.jsonl",
                path.display(),
                path.display()
            ));
        }
        if !kind.is_file() && !is_pipe(&kind) {
            return Err(format!(
                "`{}` is not a file of scenarios: it is a device or a socket\n  help: give a file or a named pipe; to read what a program writes, pipe it in with -i -",
                path.display()
            ));
        }
    }
    let len = meta.filter(|m| m.is_file()).map(|m| m.len());
    Ok((Box::new(f), len))
}

#[cfg(unix)]
fn is_pipe(kind: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_kind: &std::fs::FileType) -> bool {
    false
}

fn progress_bar(total_bytes: Option<u64>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    match total_bytes {
        Some(n) => {
            let bar = indicatif::ProgressBar::new(n);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} {wide_bar} {percent}% {msg} (eta {eta})",
            ) {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            {
                bar.set_style(style);
            }
            bar
        }
    }
}

/// Reads numbered lines until the end of the input or until the main loop stops. A line is
/// kept up to `limit` bytes (the file-size limit: one line is one scenario); a longer line is
/// reported as such and skipped to its end, so neither memory nor the run is lost to it.
fn read_lines(
    reader: Box<dyn Read + Send>,
    tx: &mpsc::SyncSender<(usize, Line)>,
    limit: u64,
    in_flight: &InFlight,
) {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut n = 0usize;
    loop {
        let mut buf = Vec::new();
        n += 1;
        let item = match (&mut reader)
            .take(limit.saturating_add(1))
            .read_until(b'\n', &mut buf)
        {
            Ok(0) => return,
            Ok(_) if buf.len() as u64 > limit && buf.last() != Some(&b'\n') => {
                drop(buf);
                // Say so at once (a line that never ends would otherwise keep the run
                // silent), then drop the rest of the line.
                if tx.send((n, Line::TooLong { limit })).is_err() {
                    return;
                }
                match skip_line(&mut reader) {
                    Ok(()) => continue,
                    Err(e) => {
                        n += 1;
                        Line::Unreadable(format!(
                            "cannot read the input: {}",
                            opinio::kb::files::io_words(&e)
                        ))
                    }
                }
            }
            Ok(_)
                if n == 1 && (buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF])) =>
            {
                // Every line would fail as "not UTF-8": say once what the file is, and stop.
                Line::Utf16
            }
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                // A byte-order mark (Windows editors write one) is not part of the first line.
                if n == 1 && buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                    buf.drain(..3);
                }
                Line::Text(buf)
            }
            Err(e) => Line::Unreadable(format!(
                "cannot read the input: {}",
                opinio::kb::files::io_words(&e)
            )),
        };
        let stop = matches!(item, Line::Unreadable(_) | Line::Utf16);
        if !in_flight.acquire(item.held()) || tx.send((n, item)).is_err() || stop {
            return;
        }
    }
}

/// Reads and drops the rest of a line, through its newline, holding no more than the
/// reader's buffer.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let (done, used) = {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(());
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            }
        };
        reader.consume(used);
        if done {
            return Ok(());
        }
    }
}

/// Checks the options once: the position names and the goals.
fn prepare(kb: KnowledgeBase, kb_args: &KbArgs, args: &BatchArgs) -> Result<Job, ExitCode> {
    let empty = Scenario::new(&kb);
    let positions = if args.all_positions {
        let mut all = Vec::new();
        for name in kb.position_names() {
            let id = super::position_or_report(&empty, Some(name))?;
            all.push((id, name.to_string()));
        }
        Positions::All(all)
    } else {
        let id = super::position_or_report(&empty, args.position.as_deref())?;
        // As of a date, a position published later is refused once, not on every line.
        if let Some(as_of @ opinio::AsOf::Date(_)) = kb_args.as_of {
            let mut dated = Scenario::new(&kb);
            dated.set_as_of(Some(as_of));
            if let Err(opinio::Error::Input(e)) = dated.check_position_as_of(id) {
                super::print_load_error(&e);
                return Err(ExitCode::from(1));
            }
        }
        Positions::One(id, kb.program().position(id).name.clone())
    };
    let goals = if args.goals.is_empty() {
        let program = kb.program();
        let atoms = program
            .predicates
            .iter()
            .enumerate()
            .filter(|(_, p)| p.derived)
            .map(|(i, _)| Goal::every_instance(program, PredId::from_index(i)))
            .collect();
        Goals::Conclusions(atoms)
    } else {
        // A goal may name constants that only the scenarios state: those are checked per
        // line. Anything else wrong with a goal (syntax, predicate, arity) stops the run now.
        for g in &args.goals {
            if let Err(opinio::Error::Input(e)) = empty.parse_goal(g) {
                let only_constants = e
                    .errors()
                    .all(|d| d.code == opinio::diagnostic::Code::UnknownConstant);
                if !only_constants {
                    super::print_load_error(&e);
                    return Err(ExitCode::from(1));
                }
            }
        }
        Goals::Listed(args.goals.clone())
    };
    Ok(Job {
        kb,
        limits: kb_args.limits(),
        magic_sets: kb_args.magic_sets.unwrap_or_default(),
        as_of: kb_args.as_of,
        positions,
        goals,
        summary: args.summary.summary,
        detailed_reasons: args.detailed_reasons,
        answers_only: args.answers_only,
        law_classes: std::sync::OnceLock::new(),
        memo: (!args.no_memo && !args.detailed_reasons).then(memo::Memo::default),
    })
}

/// The goals' labels for the summary: as written, or `pred(X0, …)` for every conclusion.
fn goal_labels(job: &Job) -> Vec<String> {
    match &job.goals {
        Goals::Listed(l) => l.clone(),
        Goals::Conclusions(goals) => {
            let program = job.kb.program();
            goals
                .iter()
                .map(|g| {
                    let pred = program.predicate(g.atom().pred);
                    let vars: Vec<String> = (0..pred.arity()).map(|i| format!("X{i}")).collect();
                    if vars.is_empty() {
                        pred.name.to_string()
                    } else {
                        format!("{}({})", pred.name, vars.join(", "))
                    }
                })
                .collect()
        }
    }
}

/// The positions' names, in the order of the run.
fn position_names(job: &Job) -> Vec<String> {
    match &job.positions {
        Positions::One(_, name) => vec![name.clone()],
        Positions::All(all) => all.iter().map(|(_, n)| n.clone()).collect(),
    }
}

/// Evaluates one input line; `None` for a blank line (no record).
fn evaluate_line(job: &Job, n: usize, line: &Line) -> Option<Outcome> {
    let bytes = match line {
        Line::Text(b) => b,
        Line::TooLong { limit } => {
            return Some(error_outcome(
                n,
                None,
                LineError {
                    reason: format!(
                        "the line is longer than {}, the most Opinio reads as one scenario; it was skipped",
                        opinio::diagnostic::format_size(*limit)
                    ),
                    help: Some(format!(
                        "if the scenario is meant to be this large, run again with --max-file-size {} (or larger); a line that never ends is not a file of scenarios",
                        opinio::kb::files::suggest_size(*limit)
                    )),
                },
            ))
        }
        Line::Utf16 => {
            return Some(error_outcome(
                n,
                None,
                LineError {
                    reason: "the input is UTF-16 text (as some Windows programs save it), not UTF-8; nothing was read".into(),
                    help: Some("save the file as UTF-8 (in most editors: \"Save as\", encoding UTF-8; or `iconv -f UTF-16 -t UTF-8 in.jsonl > out.jsonl`), then run it again".into()),
                },
            ))
        }
        Line::Unreadable(msg) => {
            return Some(error_outcome(
                n,
                None,
                LineError {
                    reason: msg.clone(),
                    help: Some(
                        "the input could not be read from this line on: check the file (or the program that writes it), then run the lines from this one again".into(),
                    ),
                },
            ))
        }
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let column = bytes
                .get(..e.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or(1, |before| before.chars().count() + 1);
            return Some(error_outcome(
                n,
                None,
                LineError {
                    reason: format!(
                        "the line is not UTF-8 text (at column {column}): a byte there is not UTF-8, perhaps a letter saved in another encoding"
                    ),
                    help: Some(
                        "save the input with the encoding UTF-8 (most editors offer it under \"Save as\" or \"Encoding\"), or have the program that writes it write UTF-8; the other lines are read as usual".into(),
                    ),
                },
            ));
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // A NUL byte is no JSON at all: said so, rather than "something follows the `}`".
    if let Some(at) = text.find('\0') {
        let column = text.get(..at).map_or(1, |b| b.chars().count() + 1);
        return Some(error_outcome(
            n,
            None,
            LineError {
                reason: format!(
                    "the line holds a NUL byte (at column {column}), which no text holds: the input may be a binary file, or text cut and joined"
                ),
                help: Some(
                    "give a file of scenarios in JSON Lines, one JSON object a line, as `opinio import` writes; the other lines are read as usual".into(),
                ),
            },
        ));
    }
    let parsed = match opinio::json::parse(text) {
        Ok(p) => p,
        Err(d) => {
            // Each line is a scenario of its own: "the line is not valid JSON", not "this is".
            let reason = match d.message.strip_prefix("this is ") {
                Some(rest) => format!("the line is {rest}"),
                None => d.message,
            };
            return Some(error_outcome(
                n,
                None,
                LineError {
                    reason,
                    help: d.help,
                },
            ));
        }
    };
    let id = parsed.id.as_ref();
    Some(match answer(job, n, &parsed.to_opinio()) {
        Ok((answers, warnings, provenance, verdicts)) => {
            let mut v = Verdict {
                line: n,
                id,
                position: None,
                answers: None,
                positions: None,
                not_yet_published: Vec::new(),
                warnings,
                provenance,
            };
            match (&job.positions, answers) {
                (Positions::One(_, name), mut a) => {
                    v.position = Some(name);
                    v.answers = a.pop().map(|(_, x)| x);
                }
                (Positions::All(all), a) => {
                    // Said on the line, not only left out: a reader of the records (or of
                    // the summary) must know which positions a line was not asked under.
                    v.not_yet_published = all
                        .iter()
                        .map(|(_, name)| name.as_str())
                        .filter(|name| !a.iter().any(|(p, _)| p == name))
                        .collect();
                    v.positions = Some(ByPosition(a));
                }
            }
            let left_out = v.not_yet_published.len();
            match serde_json::to_string(&v) {
                Ok(json) => Outcome {
                    json,
                    error: false,
                    verdicts,
                    left_out,
                },
                Err(e) => error_outcome(n, id, LineError::new(e.to_string())),
            }
        }
        Err(e) => error_outcome(n, id, e),
    })
}

type Answers = Vec<(String, Vec<AnswerOut>)>;
type Answered = (Answers, Vec<String>, opinio::Provenance, Vec<GoalValue>);

/// Loads the facts and answers every goal under every requested position; the answers, the
/// warnings, what they were computed with, and (for `--summary`) each goal's value.
fn answer(job: &Job, n: usize, facts: &str) -> Result<Answered, LineError> {
    let mut s = Scenario::new(&job.kb);
    s.set_limits(job.limits);
    s.set_magic_sets(job.magic_sets);
    s.set_as_of(job.as_of);
    let name = format!("line {n}");
    let warnings = s
        .add_text(&name, facts)
        .map_err(|e| load_error(&e, facts))?;
    // A use of force stated to be a countermeasure is worth a dataset's attention too (free
    // unless a line states a countermeasure).
    let warnings: Vec<String> = warnings
        .iter()
        .chain(&s.forcible_countermeasure_warnings())
        .map(|d| with_fact(&d.message, d.primary_span(), s.sources(), facts))
        .collect();
    // Goals checked against this scenario's constants.
    let listed: Vec<Goal>;
    let goals: &[Goal] = match &job.goals {
        Goals::Conclusions(g) => g,
        Goals::Listed(list) => {
            listed = list
                .iter()
                .map(|g| {
                    s.parse_goal(g).map_err(|e| match e {
                        opinio::Error::Input(l) => {
                            let d = l.errors().next();
                            LineError {
                                reason: format!(
                                    "goal `{g}`: {}",
                                    d.map_or_else(|| l.to_string(), |d| d.message.clone())
                                ),
                                help: d.and_then(|d| d.help.clone()),
                            }
                        }
                        other => error_in_words(other),
                    })
                })
                .collect::<Result<_, _>>()?;
            &listed
        }
    };
    // (index in the run's list, position, name)
    let positions: Vec<(usize, PosId, &str)> = match &job.positions {
        Positions::One(p, name) => vec![(0, *p, name.as_str())],
        // As of a date, the positions published later are left out, as in `compare`.
        Positions::All(all) => all
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| s.position_existed(*p).unwrap_or(true))
            .map(|(i, (p, n))| (i, *p, n.as_str()))
            .collect(),
    };
    let key = job.memo.as_ref().filter(|m| m.consulted()).map(|_| {
        let goals = goals.iter().map(|g| (g.atom().pred, g.atom().args.clone()));
        memo::Key::new(s.shape(), goals.collect())
    });
    if let (Some(memo), Some(key)) = (&job.memo, &key) {
        if let Some(entry) = memo.get(key).filter(|e| e.len() == positions.len()) {
            let (out, verdicts) = name_known(job, &s, &positions, &entry);
            let names: Vec<String> = out.iter().map(|(p, _)| p.clone()).collect();
            let provenance = s.provenance(&names, None).map_err(limit_error)?;
            return Ok((out, warnings, provenance, verdicts));
        }
    }
    // What a later line of the same shape will take (`None`: the memo wants no more).
    let mut known: Option<std::collections::HashMap<(usize, usize), Arc<memo::Known>>> = key
        .as_ref()
        .filter(|_| job.memo.as_ref().is_some_and(memo::Memo::wants))
        .map(|_| Default::default());
    let mut entry: memo::Entry = Vec::with_capacity(positions.len());
    // The line's distinct classes of unknown answers: most answers share a few.
    let mut line_classes: Vec<Arc<Why>> = Vec::new();
    let mut out = Vec::with_capacity(positions.len());
    let mut verdicts = Vec::new();
    // A goal's answers and their reasons depend only on the law for its predicate (its
    // rules, those below them and how the position settles their open points): a position
    // with the same law for it as an earlier one answers it alike, with the same reasons, so
    // each goal is evaluated once per distinct law (detailed reasons name the position, so
    // they are not shared).
    let classes = job.law_classes.get_or_init(|| {
        let all: Vec<PosId> = match &job.positions {
            Positions::One(p, _) => vec![*p],
            Positions::All(all) => all.iter().map(|(p, _)| *p).collect(),
        };
        let program = job.kb.program();
        let mut by_position = vec![Vec::with_capacity(goals.len()); all.len()];
        for g in goals {
            let pred = g.atom().pred;
            let laws: Vec<_> = all
                .iter()
                .map(|p| opinio::eval::law_signature(program, *p, &[pred]))
                .collect();
            for (i, row) in by_position.iter_mut().enumerate() {
                let first = laws.iter().position(|k| Some(k) == laws.get(i));
                row.push(first.unwrap_or(i));
            }
        }
        by_position
    });
    /// One goal's answers under one law, with the reason of each unknown one.
    type Shared = (opinio::QueryResult, Vec<Option<Arc<Why>>>);
    let class_of = |index: usize, g: usize| -> usize {
        if job.detailed_reasons {
            index
        } else {
            classes
                .get(index)
                .and_then(|row| row.get(g))
                .copied()
                .unwrap_or(index)
        }
    };
    // By (law class, goal index): the answers, and the last position of the line reading
    // them (which takes them rather than a copy).
    let mut by_law: std::collections::HashMap<(usize, usize), (Shared, usize)> = Default::default();
    let mut last_reader: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (index, _, _) in &positions {
        for g in 0..goals.len() {
            last_reader.insert((class_of(*index, g), g), *index);
        }
    }
    for (index, pos, pname) in positions {
        let class_of = |g: usize| class_of(index, g);
        // The goals no position with the same law has answered yet.
        let todo: Vec<usize> = (0..goals.len())
            .filter(|g| !by_law.contains_key(&(class_of(*g), *g)))
            .collect();
        if !todo.is_empty() {
            let asked: Vec<Goal>;
            let asked: &[Goal] = if todo.len() == goals.len() {
                goals
            } else {
                asked = todo.iter().filter_map(|g| goals.get(*g).cloned()).collect();
                &asked
            };
            let results = s.query_goals(asked, pos).map_err(limit_error)?;
            // Every unknown answer under the position classified at once (the residual
            // program is built once for all of them).
            let all = results.iter().flat_map(|r| &r.answers);
            let whys = if job.answers_only {
                vec![None; all.count()]
            } else {
                s.classify_unknowns(all).map_err(limit_error)?
            };
            let mut whys = whys
                .into_iter()
                .map(|w| w.map(|c| share(&mut line_classes, c)));
            for (g, r) in todo.iter().zip(results) {
                let w: Vec<_> = whys.by_ref().take(r.answers.len()).collect();
                let key = (class_of(*g), *g);
                let last = last_reader.get(&key).copied().unwrap_or(index);
                if let Some(known) = known.as_mut() {
                    let answers = r
                        .answers
                        .iter()
                        .zip(&w)
                        .map(|(a, why)| (a.args.clone(), a.value, why.clone()))
                        .collect();
                    let pred = goals.get(*g).map(|x| x.atom().pred);
                    if let Some(pred) = pred {
                        known.insert(key, Arc::new(memo::Known { pred, answers }));
                    }
                }
                by_law.insert(key, ((r, w), last));
            }
        }
        if let Some(k) = known.as_ref() {
            entry.push(
                (0..goals.len())
                    .filter_map(|g| k.get(&(class_of(g), g)).cloned())
                    .collect(),
            );
        }
        let mut answers = Vec::with_capacity(
            (0..goals.len())
                .filter_map(|g| by_law.get(&(class_of(g), g)))
                .map(|((r, _), _)| r.answers.len())
                .sum(),
        );
        for g in 0..goals.len() {
            let key = (class_of(g), g);
            let (r, whys) = match by_law.get(&key) {
                Some((_, last)) if *last == index => match by_law.remove(&key) {
                    Some((shared, _)) => shared,
                    None => continue,
                },
                Some((shared, _)) => shared.clone(),
                None => continue,
            };
            if job.summary {
                let values = r.answers.iter().map(|a| a.value);
                verdicts.push(verdict(index, g, values.zip(&whys)));
            }
            for (a, why) in r.answers.into_iter().zip(whys) {
                let reason = if job.detailed_reasons {
                    s.why_unknown(&a).map_err(limit_error)?.map(Box::new)
                } else {
                    None
                };
                answers.push(AnswerOut {
                    atom: a.atom,
                    value: a.value,
                    why,
                    reason,
                });
            }
        }
        out.push((pname.to_string(), answers));
    }
    if let (Some(memo), Some(key), Some(_)) = (&job.memo, key, known) {
        // Every goal of every position must be there (a goal without answers was skipped).
        if entry.iter().all(|row| row.len() == goals.len()) {
            memo.insert(key, entry);
        }
    }
    let names: Vec<String> = out.iter().map(|(p, _)| p.clone()).collect();
    let provenance = s.provenance(&names, None).map_err(limit_error)?;
    Ok((out, warnings, provenance, verdicts))
}

/// A line's answers from an earlier line of the same shape: each atom named with this
/// line's constants and each goal's answers sorted by atom again, as
/// [`Scenario::query_goals`] sorts them. Nothing is checked again: whether a position may
/// be asked as of the date (`--as-of operation` reads the line's `occurred_on`) turns on the
/// dates and settings the shape holds, and only lines answered without error are kept.
fn name_known(
    job: &Job,
    s: &Scenario,
    positions: &[(usize, PosId, &str)],
    entry: &memo::Entry,
) -> (Answers, Vec<GoalValue>) {
    let program = job.kb.program();
    let mut verdicts = Vec::new();
    let out = positions
        .iter()
        .zip(entry)
        .map(|((index, _, pname), row)| {
            let mut answers = Vec::with_capacity(row.iter().map(|k| k.answers.len()).sum());
            for (g, known) in row.iter().enumerate() {
                let mut named: Vec<(String, Truth, &Option<Arc<Why>>)> = known
                    .answers
                    .iter()
                    .map(|(args, value, why)| {
                        (
                            program.atom_text(known.pred, args, s.interner()),
                            *value,
                            why,
                        )
                    })
                    .collect();
                named.sort_by(|a, b| a.0.cmp(&b.0));
                if job.summary {
                    let values = named.iter().map(|(_, v, why)| (*v, *why));
                    verdicts.push(verdict(*index, g, values));
                }
                answers.extend(named.into_iter().map(|(atom, value, why)| AnswerOut {
                    atom,
                    value,
                    why: why.clone(),
                    reason: None,
                }));
            }
            (pname.to_string(), answers)
        })
        .collect();
    (out, verdicts)
}

/// `class`, or an equal one the line already has.
fn share(classes: &mut Vec<Arc<Why>>, class: UnknownClass) -> Arc<Why> {
    match classes.iter().find(|c| ****c == class) {
        Some(c) => c.clone(),
        None => {
            let c = Arc::new(Why::new(class));
            classes.push(c.clone());
            c
        }
    }
}

/// A failure while answering: a limit (with the advice to raise it) or another error.
fn limit_error(e: opinio::Error) -> LineError {
    match e {
        opinio::Error::Limit(l) => LineError {
            reason: l.to_string(),
            help: Some(
                "raise the limits with `--max-atoms` / `--time-limit` / `--max-memory` if this is expected"
                    .into(),
            ),
        },
        other => error_in_words(other),
    }
}

/// Any other error of a line: its first diagnostic's message and help, without the
/// `error:` a rendered error starts with (the record's key already says it).
fn error_in_words(e: opinio::Error) -> LineError {
    match e {
        opinio::Error::Input(l) => match l.errors().next() {
            Some(d) => LineError {
                reason: d.message.clone(),
                help: d.help.clone(),
            },
            None => LineError::new(l.to_string()),
        },
        other => LineError::new(other.to_string()),
    }
}

/// A goal's value in a scenario for the summary: the highest of its answers (none: false),
/// and for unknown, why (the classes [`Scenario::classify_unknowns`] gave its answers).
fn verdict<'a>(
    position: usize,
    goal: usize,
    answers: impl Iterator<Item = (Truth, &'a Option<Arc<Why>>)> + Clone,
) -> GoalValue {
    let value = if answers.clone().any(|(v, _)| v == Truth::True) {
        Truth::True
    } else if answers.clone().any(|(v, _)| v == Truth::Unknown) {
        Truth::Unknown
    } else {
        Truth::False
    };
    let mut cause = None;
    let mut points: Vec<String> = Vec::new();
    if value == Truth::Unknown {
        for class in answers.filter_map(|(_, why)| why.as_ref()) {
            let c = Cause::from(class.kind);
            cause = Some(cause.map_or(c, |k: Cause| k.join(c)));
            for p in &class.points {
                if !points.contains(&p.point) {
                    points.push(p.point.clone());
                }
            }
        }
    }
    GoalValue {
        position,
        goal,
        value,
        cause,
        points,
    }
}

/// The first error of a scenario that did not load, with the fact it is about.
fn load_error(e: &LoadError, facts: &str) -> LineError {
    let n = e.errors().count();
    match e.errors().next() {
        Some(d) => {
            let mut reason = with_fact(&d.message, d.primary_span(), &e.sources, facts);
            // The next few said too: "and 1 more" left the reader to guess what.
            for other in e.errors().skip(1).take(2) {
                reason.push_str("; also: ");
                reason.push_str(&with_fact(
                    &other.message,
                    other.primary_span(),
                    &e.sources,
                    facts,
                ));
            }
            if n > 3 {
                reason.push_str(&format!(
                    "; and {} more {}",
                    n - 3,
                    if n == 4 { "problem" } else { "problems" }
                ));
            }
            LineError {
                reason,
                help: d.help.clone(),
            }
        }
        None => LineError::new(e.to_string()),
    }
}

/// `message (in `fact`)`: the scenario text has one fact a line, so the span's line is the
/// fact as the JSON gave it.
fn with_fact(
    message: &str,
    span: Option<Span>,
    sources: &opinio::syntax::span::SourceMap,
    facts: &str,
) -> String {
    let fact = span
        .filter(|s| sources.get(s.file).is_some_and(|f| &*f.text == facts))
        .and_then(|s| {
            let (line, _) = sources.line_col(s);
            facts.lines().nth(line.saturating_sub(1))
        });
    match fact {
        Some(f) => format!("{message} (in `{}`)", f.trim()),
        None => message.to_string(),
    }
}

fn error_outcome(n: usize, id: Option<&serde_json::Value>, e: LineError) -> Outcome {
    // Every error record says what to do, even when the cause came without advice.
    let help = e.help.unwrap_or_else(|| {
        "correct this line and run it again (the other lines are answered as usual); each line holds one scenario, such as {\"facts\": [\"state(astoria)\"]}".to_string()
    });
    let rec = ErrorRecord {
        line: n,
        id,
        error: e.reason,
        help: Some(help),
    };
    let json = serde_json::to_string(&rec)
        .unwrap_or_else(|_| {
            format!("{{\"line\": {n}, \"error\": \"the error could not be written\", \"help\": \"run this line on its own to see the problem\"}}")
        });
    Outcome {
        json,
        error: true,
        verdicts: Vec::new(),
        left_out: 0,
    }
}
