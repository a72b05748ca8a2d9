//! Long text on a terminal: wrapped to its width, and shown through a pager when it is longer
//! than the screen (as git does: `$PAGER`, else `less -R`; printed as is when neither runs).

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

/// The width to wrap standard output to: the terminal's, or `None` when it is not one.
pub fn stdout_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// Prints `text` on standard output, through a pager when standard output is a terminal and
/// the text has more lines than the screen.
pub fn show(text: &str) {
    let out = std::io::stdout();
    if out.is_terminal() {
        if let Some((_, h)) = terminal_size::terminal_size() {
            if text.lines().count() >= usize::from(h.0) && page(text) {
                return;
            }
        }
    }
    let _ = out.lock().write_all(text.as_bytes());
}

/// Runs the pager on `text`; `false` if none could be started (nothing was shown).
fn page(text: &str) -> bool {
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -R".to_string());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    if program == "cat" {
        return false;
    }
    let mut cmd = Command::new(program);
    cmd.args(words).stdin(Stdio::piped());
    // As git does: quit if it fits, keep colours, leave the screen as it was.
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A reader who quits early closes the pipe: that is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    let _ = child.wait();
    true
}
