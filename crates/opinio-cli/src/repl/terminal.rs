//! The terminal front end: rustyline with history, completion, hints, highlighting and
//! multi-line statements; Ctrl-C stops the question being evaluated; at the end, an offer to
//! save the facts that are in no file.
//!
//! Environment: `OPINIO_HISTORY` is `0` (or `off`) for no history, or the file to keep it in
//! instead of `<data dir>/opinio/history.txt`. Each line is added to the file as it is entered.

use super::helper::OpinioHelper;
use super::piped;
use super::session::{Session, Status};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};
use std::io::IsTerminal;
use std::io::Write;
use std::path::PathBuf;

/// Where the history is kept, if anywhere.
fn history_path() -> Option<PathBuf> {
    match std::env::var_os("OPINIO_HISTORY") {
        Some(v) if v == "0" || v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => dirs::data_dir().map(|d| d.join("opinio").join("history.txt")),
    }
}

/// Runs the session on a terminal until `:quit` or Ctrl-D, then offers to save unsaved
/// facts. Without line editing (no terminal after all), falls back to [`piped::run`].
pub fn run(session: &mut Session) {
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
            piped::run(session);
            return;
        }
    };
    rl.set_helper(Some(OpinioHelper::new(session.catalog())));
    session.set_terminal(std::io::stdout().is_terminal());
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
    // A statement or question that stops early (no full stop yet) is continued on the next
    // line, under a continuation prompt that shows input is pending, as Python's `...` does.
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() {
            session.prompt()
        } else {
            continuation_prompt(&session.prompt())
        };
        let line = match rl.readline(&prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                if !pending.is_empty() {
                    pending.clear();
                    session.say(&mut out, "(the unfinished statement was dropped)");
                }
                continue;
            }
            Err(ReadlineError::Eof) => {
                if !pending.is_empty() {
                    session.say(
                        &mut out,
                        &format!(
                            "(the unfinished statement was dropped: {})",
                            pending.replace('\n', " ")
                        ),
                    );
                }
                break;
            }
            Err(e) => {
                session.say(
                    &mut out,
                    &format!("The terminal could not be read: {}", readline_words(&e)),
                );
                break;
            }
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if super::input::needs_more(&pending) {
            continue;
        }
        let line = std::mem::take(&mut pending);
        if !line.trim().is_empty() {
            let _ = rl.add_history_entry(line.as_str());
            // Kept at once, so that no line is lost if the session ends abruptly.
            if let Some(path) = &history {
                if let Err(e) = rl.append_history(path) {
                    if !history_failed {
                        session.say(
                            &mut out,
                            &format!(
                                "note: the history could not be written to {}: {}",
                                path.display(),
                                readline_words(&e)
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

/// The prompt of a line that continues an unfinished statement: as wide as `prompt`, ending
/// in `...> ` (`opinio (tallinn2)> ` → `            ...> `).
fn continuation_prompt(prompt: &str) -> String {
    let width = prompt.chars().count();
    format!("{:>width$}", "...> ")
}

/// A line editor's error in words (an I/O fault without its `(os error N)`).
fn readline_words(e: &rustyline::error::ReadlineError) -> String {
    match e {
        rustyline::error::ReadlineError::Io(io) => opinio::kb::files::io_words(io),
        other => other.to_string(),
    }
}
