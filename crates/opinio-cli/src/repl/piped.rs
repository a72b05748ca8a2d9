//! The piped front end: standard input that is not a terminal (a script, a test) runs the
//! same commands without line editing. A statement continues on the following lines while it
//! is incomplete; an interview's questions are answered by the next lines.
//!
//! Environment: `OPINIO_ECHO=1` shows each line read after a prompt, so that the output
//! reads like a terminal session (used by the transcript tests).

use super::input;
use super::session::{Session, Status};
use std::io::{BufRead, Write};

/// Lines read from piped input, one statement at a time.
struct Lines<R: BufRead> {
    reader: R,
    /// A line read ahead that belongs to the next statement.
    pending: Option<String>,
    /// How many lines were read so far (to name a line that could not be used).
    read: usize,
    /// Lines that were not UTF-8 text: numbered, skipped and reported, never the end of input.
    not_text: Vec<usize>,
}

impl<R: BufRead> Lines<R> {
    /// The next line, without its line break; `None` at the end (or on a read error).
    fn next_line(&mut self) -> Option<String> {
        if let Some(l) = self.pending.take() {
            return Some(l);
        }
        loop {
            let mut bytes = Vec::new();
            match self.reader.read_until(b'\n', &mut bytes) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            self.read += 1;
            // A line that is not UTF-8 text (a binary file piped in by mistake) is skipped and
            // reported by its number; the lines after it are still read, so nothing typed or
            // piped after it is lost.
            let Ok(mut line) = String::from_utf8(bytes) else {
                self.not_text.push(self.read);
                continue;
            };
            let trimmed = line.trim_end_matches(['\n', '\r']).len();
            line.truncate(trimmed);
            return Some(line);
        }
    }

    /// Reports the lines skipped since the last call, as a lawyer reads it; whether any were.
    fn report_not_text(&mut self, session: &Session, out: &mut impl Write) -> bool {
        if self.not_text.is_empty() {
            return false;
        }
        let lines: Vec<String> = self.not_text.drain(..).map(|n| n.to_string()).collect();
        let (noun, them) = if lines.len() == 1 {
            ("Line", "it")
        } else {
            ("Lines", "them")
        };
        session.say(
            out,
            &format!(
                "{noun} {} of the input {} not text (not UTF-8): nothing from {them} was stated; the session goes on.",
                lines.join(", "),
                if lines.len() == 1 { "is" } else { "are" },
            ),
        );
        true
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

/// Runs piped input to its end, then notes the facts that are in no file; whether any line
/// failed.
pub fn run(session: &mut Session) -> bool {
    let echo = std::env::var_os("OPINIO_ECHO").is_some_and(|v| v == "1");
    let stdin = std::io::stdin();
    let mut lines = Lines {
        reader: stdin.lock(),
        pending: None,
        read: 0,
        not_text: Vec::new(),
    };
    let mut out = std::io::stdout();
    let mut failed = false;
    while let Some(text) = lines.next_statement() {
        failed |= lines.report_not_text(session, &mut out);
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
            Status::Quit => break,
            Status::Failed => failed = true,
            Status::Done => {}
        }
    }
    failed |= lines.report_not_text(session, &mut out);
    let n = session.unsaved();
    if n > 0 {
        session.say(
            &mut out,
            &format!(
                "note: {n} {} stated in this session {} in no file (`:save FILE` keeps {}).",
                if n == 1 { "fact" } else { "facts" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" }
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
            read: 0,
            not_text: Vec::new(),
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

    #[test]
    fn a_line_that_is_not_text_is_skipped_and_the_rest_is_read() {
        let bytes: &[u8] = b"\xff\xfe\nstate(x).\n\xc3\n:save s1\n";
        let mut l = Lines {
            reader: std::io::Cursor::new(bytes),
            pending: None,
            read: 0,
            not_text: Vec::new(),
        };
        assert_eq!(l.next_statement().as_deref(), Some("state(x)."));
        assert_eq!(l.next_statement().as_deref(), Some(":save s1"));
        assert_eq!(l.next_statement(), None);
        assert_eq!(l.not_text, vec![1, 3]);
    }
}
