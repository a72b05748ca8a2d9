//! How the `opinio` command and the REPL look: when colour is used, the colour palette,
//! diagnostics on stderr, and the tables both print. One place, so that a value, a command or
//! a comparison looks the same wherever it is shown.

use opinio::diagnostic::{self, Diagnostic, Remedy};
use opinio::kb::LoadError;
use opinio::syntax::ast::Truth;
use opinio::syntax::span::SourceMap;
use opinio::PositionRow;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// The ANSI colours of the palette (SGR sequences), for the REPL's highlighting and hints.
/// Values are coloured by [`paint`] (green true, red false, yellow unknown).
pub mod palette {
    /// Back to the terminal's own colour.
    pub const RESET: &str = "\x1b[0m";
    /// A command name (`:why`): bold blue.
    pub const COMMAND: &str = "\x1b[1;34m";
    /// The `?` of a question: bold.
    pub const QUESTION: &str = "\x1b[1m";
    /// A reserved word of the language (`not`, `expect`, …): magenta.
    pub const KEYWORD: &str = "\x1b[35m";
    /// A known predicate's name: cyan.
    pub const PREDICATE: &str = "\x1b[36m";
    /// A predicate name the knowledge base does not know: underlined red.
    pub const UNKNOWN_NAME: &str = "\x1b[4;31m";
    /// A variable: yellow.
    pub const VARIABLE: &str = "\x1b[33m";
    /// A quoted text: green.
    pub const STRING: &str = "\x1b[32m";
    /// A comment, and a hint: dim.
    pub const DIM: &str = "\x1b[2m";
}

/// `text` in bold (a diff's file names).
pub fn bold(text: &str) -> String {
    format!("\x1b[1m{text}{}", palette::RESET)
}

/// `text` in green (a line `fmt` would add).
pub fn green(text: &str) -> String {
    format!("\x1b[32m{text}{}", palette::RESET)
}

/// `text` in red (a line `fmt` would remove).
pub fn red(text: &str) -> String {
    format!("\x1b[31m{text}{}", palette::RESET)
}

/// When to use colour (`--color`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (the default).
    #[default]
    Auto,
    /// Always, even into a pipe or a file, and whatever `NO_COLOR` says.
    Always,
    /// Never.
    Never,
}

/// The choice made on the command line: 0 auto, 1 always, 2 never.
static COLOR_CHOICE: AtomicU8 = AtomicU8::new(0);

/// Sets when colour is used, for the rest of the process (`--color`).
pub fn set_color_choice(choice: ColorChoice) {
    let n = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR_CHOICE.store(n, Ordering::Relaxed);
}

/// Whether a stream may use colour: by `--color`, or (auto) if it is a terminal and
/// `NO_COLOR` is not set.
fn colour_for(is_terminal: bool) -> bool {
    match COLOR_CHOICE.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => is_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Whether diagnostics on stderr may use colour: `--color always`, or (auto) stderr is a
/// terminal and `NO_COLOR` is not set.
pub fn fancy_stderr() -> bool {
    colour_for(std::io::stderr().is_terminal())
}

/// Whether output on stdout may use colour: `--color always`, or (auto) stdout is a
/// terminal and `NO_COLOR` is not set.
pub fn fancy_stdout() -> bool {
    colour_for(std::io::stdout().is_terminal())
}

/// Where a diagnostic is shown: the front end whose flags or commands its remedy names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// A subcommand (`opinio check`, `opinio query`, …): remedies name flags and subcommands.
    Command,
    /// The interactive session: remedies name REPL commands.
    Repl,
}

/// A remedy in the words of a front end, or `None` when that front end has nothing to add.
fn remedy_words(remedy: &Remedy, front: Front) -> Option<String> {
    Some(match (remedy, front) {
        (Remedy::RaiseFileSizeLimit { suggested }, _) => {
            format!("start opinio with `--max-file-size {suggested}`")
        }
        (Remedy::RaiseEvaluationLimits, Front::Command) => {
            "with `--max-atoms`, `--time-limit` and `--max-memory`".to_string()
        }
        // The limits are set when the session starts: say so, rather than name flags the
        // session has no way to take.
        (Remedy::RaiseEvaluationLimits, Front::Repl) => {
            "start the session again with `opinio --max-atoms N`, `--time-limit SECONDS` or `--max-memory SIZE`; `:save FILE` first keeps what was typed".to_string()
        }
        (Remedy::ListFacts, Front::Repl) => "`:facts` lists the facts stated so far".to_string(),
        (Remedy::ListFacts, Front::Command) => return None,
        (Remedy::ListPredicates, Front::Repl) => "`:rules` lists the predicates".to_string(),
        (Remedy::ListPredicates, Front::Command) => {
            "the REPL's `:rules` lists the predicates".to_string()
        }
        (Remedy::ListPositions, Front::Repl) => "`:positions` lists the positions".to_string(),
        (Remedy::ListPositions, Front::Command) => {
            "`opinio compare GOAL` shows every position".to_string()
        }
        (Remedy::LoadAsKnowledgeBase, Front::Command) => {
            "load them with `--kb DIR` (instead of the bundled law) or `--extend DIR` (beside it)"
                .to_string()
        }
        (Remedy::LoadAsKnowledgeBase, Front::Repl) => {
            "start the session with `opinio --kb DIR` (instead of the bundled law) or `opinio --extend DIR` (beside it)"
                .to_string()
        }
        (Remedy::RunExpectations, _) => "run expectations with `opinio test`".to_string(),
        (Remedy::GiveFolderElsewhere, _) => {
            "`opinio check` and `opinio test` also take folders".to_string()
        }
        // A remedy added to the library later is shown as its help line alone.
        _ => return None,
    })
}

/// The diagnostics with each remedy worded for `front` and joined to the help line.
pub fn worded(diags: &[Diagnostic], front: Front) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(words) = d.remedy.as_ref().and_then(|r| remedy_words(r, front)) {
                // The remedy is an aside to whatever the help line says.
                d.help = Some(match d.help.take() {
                    Some(help) => format!("{help} ({words})"),
                    None => words,
                });
            }
            d
        })
        .collect()
}

/// Diagnostics as text for `front` (remedies worded for it), coloured if `colour`.
///
/// At most [`MAX_SHOWN`] are shown, then one line says how many more there are: a reader
/// fixes the first problems and checks again, and twenty thousand errors (a file of facts
/// for an undeclared predicate) would take seconds to lay out and minutes to scroll.
pub fn render_diagnostics(
    diags: &[Diagnostic],
    sources: &SourceMap,
    colour: bool,
    front: Front,
) -> String {
    let shown = diags.get(..MAX_SHOWN).unwrap_or(diags);
    let options = diagnostic::RenderOptions {
        colour,
        codes: verbose(),
    };
    let mut text = diagnostic::render_with(&worded(shown, front), sources, options);
    if front == Front::Repl {
        text = typed_line_places(&text);
    }
    let hidden = diags.len() - shown.len();
    if hidden > 0 {
        text.push_str(&format!(
            "… and {hidden} more {} not shown: fix the first ones, then check again\n",
            if hidden == 1 { "problem" } else { "problems" }
        ));
    }
    text
}

/// Places in lines typed at the session in a scholar's words: the library names the N-th
/// entry `<line N>`, which miette shows as `<line N>:1:7`; here it reads `your line N` (and
/// `your line N, its line 2` inside an entry of several lines). A note's "see also <line 3>
/// line 1" reads "see also your line 3", and a question's `<question>:1:26` reads `your
/// question`.
pub fn typed_line_places(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<line ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "<line ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !after[digits..].starts_with('>') {
            out.push_str("<line ");
            rest = after;
            continue;
        }
        let entry = &after[..digits];
        rest = &after[digits + 1..];
        // `:L:C` (miette's place) or ` line L` (a note's "see also").
        let (line, skip) = if let Some(place) = rest.strip_prefix(':') {
            let l = place.bytes().take_while(u8::is_ascii_digit).count();
            let c = place[l..]
                .strip_prefix(':')
                .map(|c| c.bytes().take_while(u8::is_ascii_digit).count() + 1)
                .unwrap_or(0);
            (&place[..l], 1 + l + c)
        } else if let Some(place) = rest.strip_prefix(" line ") {
            let l = place.bytes().take_while(u8::is_ascii_digit).count();
            (&place[..l], " line ".len() + l)
        } else {
            ("", 0)
        };
        rest = &rest[skip..];
        out.push_str("your line ");
        out.push_str(entry);
        if !line.is_empty() && line != "1" {
            out.push_str(", its line ");
            out.push_str(line);
        }
    }
    out.push_str(rest);
    question_places(&out)
}

/// `<question>:1:26` (miette's place in a question typed at the session) reads `your question`.
fn question_places(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<question>") {
        out.push_str(&rest[..at]);
        out.push_str("your question");
        rest = &rest[at + "<question>".len()..];
        // Drop `:L:C`.
        let mut place = rest;
        for _ in 0..2 {
            if let Some(p) = place.strip_prefix(':') {
                let digits = p.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    break;
                }
                place = &p[digits..];
            }
        }
        rest = place;
    }
    out.push_str(rest);
    out
}

/// Whether diagnostics show their codes (`--verbose`).
static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Sets whether diagnostics show their codes (`opinio::syntax`), for the rest of the
/// process (`--verbose`).
pub fn set_verbose(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// Whether diagnostics show their codes ([`set_verbose`]).
pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// The most diagnostics [`render_diagnostics`] shows at once.
pub const MAX_SHOWN: usize = 100;

/// An error of the library as text for `front`: the diagnostics of bad input, or the limit
/// reached and how to raise it.
pub fn render_error(e: &opinio::Error, colour: bool, front: Front) -> String {
    match e {
        opinio::Error::Input(l) => render_diagnostics(&l.diagnostics, &l.sources, colour, front),
        opinio::Error::Limit(opinio::EvalError::Cancelled) => e.render(),
        opinio::Error::Limit(limit) => {
            let help = miette::Diagnostic::help(limit)
                .map(|h| h.to_string())
                .unwrap_or_default();
            let words = remedy_words(&Remedy::RaiseEvaluationLimits, front).unwrap_or_default();
            format!("error: {limit}\n  help: {help} ({words})\n")
        }
    }
}

/// Whether problems go to stderr as JSON (`--format json`).
static JSON_ERRORS: AtomicBool = AtomicBool::new(false);

/// Sets whether problems go to stderr as JSON, one object a line, for the rest of the process
/// (a subcommand given `--format json`).
pub fn set_json_errors(json: bool) {
    JSON_ERRORS.store(json, Ordering::Relaxed);
}

/// Whether problems go to stderr as JSON ([`set_json_errors`]).
pub fn json_errors() -> bool {
    JSON_ERRORS.load(Ordering::Relaxed)
}

/// Diagnostics as JSON for programs, one object a line: `{"error": message, "code",
/// "help", "file", "line", "column"}` (`"warning"` or `"advice"` instead of `"error"` for
/// the others; `null` where there is no help or no place), remedies worded for `front`.
pub fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap, front: Front) -> String {
    let mut out = String::new();
    for d in worded(diags, front) {
        let key = match d.severity {
            diagnostic::Severity::Error => "error",
            diagnostic::Severity::Warning => "warning",
            diagnostic::Severity::Advice => "advice",
        };
        let place = d.labels.first().map(|l| {
            let (line, column) = sources.line_col(l.span);
            (sources.name(l.span.file).to_string(), line, column)
        });
        let v = serde_json::json!({
            key: d.message,
            "code": d.code.as_str(),
            "help": d.help,
            "file": place.as_ref().map(|p| &p.0),
            "line": place.as_ref().map(|p| p.1),
            "column": place.as_ref().map(|p| p.2),
        });
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

/// An error of the library as JSON for programs (see [`diagnostics_json`]).
pub fn error_json(e: &opinio::Error, front: Front) -> String {
    match e {
        opinio::Error::Input(l) => diagnostics_json(&l.diagnostics, &l.sources, front),
        opinio::Error::Limit(limit) => {
            let code = miette::Diagnostic::code(limit).map(|c| c.to_string());
            let help = miette::Diagnostic::help(limit).map(|h| {
                let words = match limit {
                    opinio::EvalError::Cancelled => None,
                    _ => remedy_words(&Remedy::RaiseEvaluationLimits, front),
                };
                match words {
                    Some(w) => format!("{h} ({w})"),
                    None => h.to_string(),
                }
            });
            let v = serde_json::json!({
                "error": limit.to_string(),
                "code": code,
                "help": help,
                "file": null,
                "line": null,
                "column": null,
            });
            v.to_string() + "\n"
        }
    }
}

/// Prints diagnostics to stderr (nothing for none), coloured if [`fancy_stderr`], or as
/// JSON lines if [`json_errors`].
pub fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    if diags.is_empty() {
        return;
    }
    let text = if json_errors() {
        diagnostics_json(diags, sources, Front::Command)
    } else {
        render_diagnostics(diags, sources, fancy_stderr(), Front::Command)
    };
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints the problems of a file or knowledge base that could not be loaded to stderr.
pub fn print_load_error(e: &LoadError) {
    print_diagnostics(&e.diagnostics, &e.sources);
}

/// An answer in plain language: the atom's reading (`sentence`, from
/// [`opinio::Scenario::phrase`]) as a statement when true, denied when false, as an open
/// question when unknown ("open whether notpetya violates the sovereignty of denmark").
pub fn answer_in_words(sentence: &str, value: Truth) -> String {
    opinio::explain::answer_in_words(sentence, value)
}

/// A text in the colour of a value (green true, red false, yellow unknown), or plain.
pub fn paint(text: &str, v: Truth, colour: bool) -> String {
    opinio::explain::paint(text, v, colour)
}

/// Width of the value column of [`compare_table`] (the longest value, `unknown`).
const VALUE_WIDTH: usize = 7;

/// The line under a comparison asked as of a date: which positions were left out, or that none
/// had been published yet.
pub fn as_of_line(as_of: opinio::Date, left_out: &[String], none_shown: bool) -> String {
    let day = as_of.in_words();
    if none_shown {
        return format!(
            "As of {day}, none of these positions had been published yet; ask as of a later date.\n"
        );
    }
    if left_out.is_empty() {
        return format!("As of {day}: every position had been published.\n");
    }
    format!(
        "As of {day}: left out, not yet published then: {}.\n",
        left_out.join(", ")
    )
}

/// A comparison (`opinio compare`, `:compare`) as an aligned table: the goal, a header, then
/// one row per position with its value, why it is unknown (when any row is: missing facts,
/// divided law or both) and what decided it. With `colour`, the values are
/// painted (the columns stay aligned).
pub fn compare_table(goal: &str, rows: &[PositionRow], colour: bool) -> String {
    let w = rows
        .iter()
        .map(|r| r.position.len())
        .max()
        .unwrap_or(8)
        .max("position".len());
    let mut out = format!("{goal}\n");
    let dated = rows.iter().any(|r| r.published.is_some());
    let date_col = |d: &str| {
        if dated {
            format!("{d:<10}  ")
        } else {
            String::new()
        }
    };
    // Why an unknown row is unknown: missing facts, divided law or both.
    let whys: Vec<String> = rows
        .iter()
        .map(|r| r.why.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect();
    let why_w = whys.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let why_col = |t: &str| {
        if why_w == 0 {
            String::new()
        } else {
            let pad = " ".repeat(why_w.max(3).saturating_sub(t.chars().count()));
            format!("{t}{pad}  ")
        }
    };
    out.push_str(&format!(
        "{:<w$}  {}{:<VALUE_WIDTH$}  {}decided by\n",
        "position",
        date_col("published"),
        "value",
        why_col("why")
    ));
    for (r, why) in rows.iter().zip(&whys) {
        let mut decided = if r.unverified {
            format!(
                "{} (not encoded: the position's statement here has not been verified)",
                r.decided_by
            )
        } else if r.inherited {
            format!("{} (inherited: the position is silent here)", r.decided_by)
        } else {
            r.decided_by.clone()
        };
        if r.published_after_operation == Some(true) {
            decided.push_str(" [published after the operation]");
        }
        if let Some(l) = &r.later_statement {
            decided.push_str(&format!(" [{l}]"));
        }
        let published = r.published.map(|d| d.to_string()).unwrap_or_default();
        // The value cell is painted before padding: ANSI codes have no width on screen.
        let word = r.value.as_str();
        let pad = " ".repeat(VALUE_WIDTH.saturating_sub(word.len()));
        out.push_str(&format!(
            "{:<w$}  {}{}{pad}  {}{}\n",
            r.position,
            date_col(&published),
            paint(word, r.value, colour),
            why_col(why),
            decided
        ));
    }
    out
}
