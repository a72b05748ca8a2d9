//! How the `opinio` command and the REPL look: when colour is used, the colour palette,
//! diagnostics on stderr, and the tables both print. One place, so that a value, a command or
//! a comparison looks the same wherever it is shown.

use opinio::diagnostic::{self, Diagnostic};
use opinio::kb::LoadError;
use opinio::syntax::ast::Truth;
use opinio::syntax::span::SourceMap;
use opinio::PositionRow;
use std::io::{IsTerminal, Write};

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

/// Whether diagnostics on stderr may use colour: stderr is a terminal and `NO_COLOR` is not
/// set.
pub fn fancy_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether output on stdout may use colour: stdout is a terminal and `NO_COLOR` is not set.
pub fn fancy_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints diagnostics to stderr (nothing for none), coloured if [`fancy_stderr`].
pub fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    if diags.is_empty() {
        return;
    }
    let text = diagnostic::render(diags, sources, fancy_stderr());
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints the problems of a file or knowledge base that could not be loaded to stderr.
pub fn print_load_error(e: &LoadError) {
    print_diagnostics(&e.diagnostics, &e.sources);
}

/// A text in the colour of a value (green true, red false, yellow unknown), or plain.
pub fn paint(text: &str, v: Truth, colour: bool) -> String {
    opinio::explain::paint(text, v, colour)
}

/// Width of the value column of [`compare_table`] (the longest value, `unknown`).
const VALUE_WIDTH: usize = 7;

/// A comparison (`opinio compare`, `:compare`) as an aligned table: the goal, a header, then
/// one row per position with its value and what decided it. With `colour`, the values are
/// painted (the columns stay aligned).
pub fn compare_table(goal: &str, rows: &[PositionRow], colour: bool) -> String {
    let w = rows
        .iter()
        .map(|r| r.position.len())
        .max()
        .unwrap_or(8)
        .max("position".len());
    let mut out = format!("{goal}\n");
    out.push_str(&format!(
        "{:<w$}  {:<VALUE_WIDTH$}  decided by\n",
        "position", "value"
    ));
    for r in rows {
        let decided = if r.inherited {
            format!("{} (inherited: the position is silent here)", r.decided_by)
        } else {
            r.decided_by.clone()
        };
        // The value cell is painted before padding: ANSI codes have no width on screen.
        let word = r.value.as_str();
        let pad = " ".repeat(VALUE_WIDTH.saturating_sub(word.len()));
        out.push_str(&format!(
            "{:<w$}  {}{pad}  {}\n",
            r.position,
            paint(word, r.value, colour),
            decided
        ));
    }
    out
}
