//! The interactive session (`opinio` with no command, or `opinio repl`).
//!
//! On a terminal, lines are edited with history, completion, hints, highlighting and
//! multi-line statements; piped input (a script, a test) runs the same commands without line
//! editing. Either way every line goes through [`Session::handle_line`].
//!
//! Environment:
//! - `NO_COLOR`: no colours.
//! - `OPINIO_HISTORY`: `0` (or `off`) keeps no history; a path keeps it there instead of
//!   `<data dir>/opinio/history.txt`. Each line is added to the file as it is entered.
//! - `OPINIO_ECHO=1`: with piped input, show each line read after a prompt, so that the
//!   output reads like a terminal session (used by the transcript tests).
//!
//! On a terminal, Ctrl-C while a line is being typed cancels the line (rustyline's own
//! handling); while a question is being evaluated, it stops the evaluation (a SIGINT handler
//! sets the session's [`Cancel`](opinio::Cancel) token) and the session goes on with its facts.
//! A second Ctrl-C when the first has gone unheeded for two seconds (something that does not
//! look at the token) leaves, with exit code 130. Piped input keeps the default: Ctrl-C ends
//! the process.

pub mod commands;
mod graph_dot;
pub mod helper;
pub mod input;
mod interview;
pub mod session;

pub use session::{Session, Status};

use crate::cli::{fancy_stdout, print_diagnostics, KbArgs};
use helper::OpinioHelper;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: &KbArgs, scenarios: &[PathBuf]) -> ExitCode {
    let kb = match args.load() {
        Ok(kb) => kb,
        Err(e) => {
            print_diagnostics(&e.diagnostics, &e.sources);
            eprintln!("The knowledge base could not be loaded, so the session cannot start.");
            return ExitCode::from(1);
        }
    };
    let mut session = Session::new(&kb, args.clone());
    session.set_colour(fancy_stdout());
    let terminal = std::io::stdin().is_terminal();
    let mut out = std::io::stdout();
    if terminal {
        session.say(&mut out, &session.banner());
    }
    let mut failed = false;
    for f in scenarios {
        failed |= !session.load(f, &mut out);
    }
    if terminal {
        terminal_loop(&mut session);
        ExitCode::SUCCESS
    } else {
        failed |= piped_loop(&mut session);
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Where the history is kept, if anywhere.
fn history_path() -> Option<PathBuf> {
    match std::env::var_os("OPINIO_HISTORY") {
        Some(v) if v == "0" || v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => dirs::data_dir().map(|d| d.join("opinio").join("history.txt")),
    }
}

fn terminal_loop(session: &mut Session) {
    let mut out = std::io::stdout();
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .history_ignore_space(true)
        .auto_add_history(false)
        .build();
    let mut rl: Editor<OpinioHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            session.say(
                &mut out,
                &format!("note: line editing is not available ({e}); reading lines as they come"),
            );
            piped_loop(session);
            return;
        }
    };
    rl.set_helper(Some(OpinioHelper::new(session.catalog())));
    watch_ctrl_c(session, &mut out);
    let mut history = history_path();
    if let Some(path) = &history {
        let ready = match path.parent() {
            Some(dir) => std::fs::create_dir_all(dir).is_ok(),
            None => true,
        };
        if !ready {
            session.say(
                &mut out,
                &format!("note: cannot keep a history in {}; this session's lines will not be remembered", path.display()),
            );
            history = None;
        } else if path.exists() {
            let _ = rl.load_history(path);
        }
    }
    let mut history_failed = false;
    loop {
        let prompt = session.prompt();
        let line = match rl.readline(&prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                session.say(&mut out, &format!("The terminal could not be read: {e}"));
                break;
            }
        };
        if !line.trim().is_empty() {
            let _ = rl.add_history_entry(line.as_str());
            // Kept at once, so that no line is lost if the session ends abruptly.
            if let Some(path) = &history {
                if let Err(e) = rl.append_history(path) {
                    if !history_failed {
                        session.say(
                            &mut out,
                            &format!(
                                "note: the history could not be written to {}: {e}",
                                path.display()
                            ),
                        );
                    }
                    history_failed = true;
                }
            }
        }
        let status = {
            let rl_ref = &mut rl;
            let mut ask = |prompt: &str| -> Option<String> {
                if let Some(h) = rl_ref.helper_mut() {
                    h.answering = true;
                }
                let answer = rl_ref.readline(prompt).ok();
                if let Some(h) = rl_ref.helper_mut() {
                    h.answering = false;
                }
                answer
            };
            session.handle_line(&line, &mut out, &mut ask)
        };
        if let Some(h) = rl.helper_mut() {
            h.catalog = session.catalog();
        }
        if status == Status::Quit {
            break;
        }
    }
    offer_to_save(session, &mut rl);
}

/// Lets Ctrl-C stop the evaluation under way instead of the process (a terminal only; while
/// rustyline reads a line, the terminal is in raw mode and Ctrl-C reaches it as a key).
fn watch_ctrl_c(session: &Session, out: &mut dyn Write) {
    let cancel = session.cancel_token();
    let first = std::sync::Mutex::new(None::<std::time::Instant>);
    let installed = ctrlc::set_handler(move || {
        let mut since = first.lock().unwrap_or_else(|e| e.into_inner());
        if !cancel.is_cancelled() {
            cancel.cancel();
            *since = Some(std::time::Instant::now());
            return;
        }
        // Still pending: whatever runs does not look at the token.
        if since.is_some_and(|t| t.elapsed() > std::time::Duration::from_secs(2)) {
            eprintln!("\nInterrupted twice: leaving Opinio. Facts not saved are lost.");
            std::process::exit(130);
        }
    });
    if let Err(e) = installed {
        session.say(
            out,
            &format!("note: Ctrl-C cannot stop a question here ({e}); it ends the session"),
        );
    }
}

/// At the end of a terminal session: offers to save facts that are in no file.
fn offer_to_save(session: &mut Session, rl: &mut Editor<OpinioHelper, DefaultHistory>) {
    let mut out = std::io::stdout();
    loop {
        let n = session.unsaved();
        if n == 0 {
            return;
        }
        let Some(question) = session.save_offer() else {
            return;
        };
        if let Some(h) = rl.helper_mut() {
            h.answering = true;
        }
        let answer = rl.readline(&question).unwrap_or_default();
        let name = answer.trim();
        if name.is_empty() {
            session.say(
                &mut out,
                if n == 1 {
                    "The unsaved fact is discarded."
                } else {
                    "The unsaved facts are discarded."
                },
            );
            return;
        }
        if let Some(shown) = session.would_replace(name) {
            let sure = rl
                .readline(&format!(
                    "{shown} already exists, and this session did not load or save it. Replace it? (yes / no) "
                ))
                .unwrap_or_default();
            if !matches!(sure.trim().to_lowercase().as_str(), "y" | "yes") {
                continue;
            }
        }
        match session.save(name, true) {
            Ok((count, shown)) => {
                session.say(
                    &mut out,
                    &format!(
                        "Saved {count} {} to {shown}.",
                        if count == 1 { "fact" } else { "facts" }
                    ),
                );
                return;
            }
            Err(e) => session.say(&mut out, &e),
        }
    }
}

/// Lines read from piped input, one statement at a time.
struct Lines<R: BufRead> {
    reader: R,
    pending: Option<String>,
}

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self) -> Option<String> {
        if let Some(l) = self.pending.take() {
            return Some(l);
        }
        let mut buf = String::new();
        match self.reader.read_line(&mut buf) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                let trimmed = buf.trim_end_matches(['\n', '\r']).len();
                buf.truncate(trimmed);
                Some(buf)
            }
        }
    }

    /// The next statement: a line, continued by the following ones while it is incomplete
    /// (a blank line, a command or a question ends it anyway).
    fn next_statement(&mut self) -> Option<String> {
        let mut text = self.next_line()?;
        while input::needs_more(&text) {
            let Some(next) = self.next_line() else {
                break;
            };
            if input::is_command(&next) || (input::is_question(&next) && !input::is_question(&text))
            {
                self.pending = Some(next);
                break;
            }
            text.push('\n');
            text.push_str(&next);
            if next.trim().is_empty() {
                break;
            }
        }
        Some(text)
    }
}

/// Runs piped input to its end; whether any line failed.
fn piped_loop(session: &mut Session) -> bool {
    let echo = std::env::var_os("OPINIO_ECHO").is_some_and(|v| v == "1");
    let stdin = std::io::stdin();
    let mut lines = Lines {
        reader: stdin.lock(),
        pending: None,
    };
    let mut out = std::io::stdout();
    let mut failed = false;
    let mut quit = false;
    while let Some(text) = lines.next_statement() {
        if echo {
            let prompt = session.prompt();
            let shown = text.replace('\n', "\n   ...> ");
            session.say(&mut out, &format!("{prompt}{shown}"));
        }
        let status = {
            let lines_ref = &mut lines;
            let mut ask = |prompt: &str| -> Option<String> {
                let answer = lines_ref.next_line();
                if echo {
                    let mut o = std::io::stdout();
                    let _ = writeln!(o, "{prompt}{}", answer.as_deref().unwrap_or(""));
                }
                answer
            };
            session.handle_line(&text, &mut out, &mut ask)
        };
        match status {
            Status::Quit => {
                quit = true;
                break;
            }
            Status::Failed => failed = true,
            Status::Done => {}
        }
    }
    let _ = quit;
    let n = session.unsaved();
    if n > 0 {
        session.say(
            &mut out,
            &format!(
                "note: {n} {} stated in this session {} in no file (`:save FILE` keeps them).",
                if n == 1 { "fact" } else { "facts" },
                if n == 1 { "is" } else { "are" }
            ),
        );
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_statements_continue_while_incomplete() {
        let text = "conducted_by(op,\n  gru).\nstate(a)\n:facts\n? state(\na)\n";
        let mut l = Lines {
            reader: std::io::Cursor::new(text),
            pending: None,
        };
        assert_eq!(
            l.next_statement().as_deref(),
            Some("conducted_by(op,\n  gru).")
        );
        assert_eq!(l.next_statement().as_deref(), Some("state(a)"));
        assert_eq!(l.next_statement().as_deref(), Some(":facts"));
        assert_eq!(l.next_statement().as_deref(), Some("? state(\na)"));
        assert_eq!(l.next_statement(), None);
    }
}
