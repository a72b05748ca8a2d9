//! The shape of typed input: when a statement continues on the next line, and how a block of
//! lines splits into statements, questions and commands. Shared by the line editor's
//! validator, piped input and the session.

use opinio::syntax::{self, span::FileId};

/// Whether a line is a command (`:why ...`).
pub fn is_command(line: &str) -> bool {
    line.trim_start().starts_with(':')
}

/// Whether a line is a question (`? GOAL`).
pub fn is_question(line: &str) -> bool {
    line.trim_start().starts_with('?')
}

/// What a bare word someone new to the session might type (`help`, `quit`, `exit`, or `?`
/// alone) is taken to mean: the hint to show instead of reading it as an unfinished
/// statement.
pub fn bare_word_hint(text: &str) -> Option<&'static str> {
    let word = text.trim().trim_end_matches('.').trim_end();
    match word.to_ascii_lowercase().as_str() {
        "help" | "?" => Some("Did you mean `:help`? Commands start with a colon."),
        "quit" | "exit" | "bye" => Some("To leave the session, use `:quit` or Ctrl-D."),
        _ => None,
    }
}

/// Whether a line of statements ends with `?`, and so reads as a question
/// (`violates_sovereignty(op, ukraine)?`).
pub fn is_trailing_question(text: &str) -> bool {
    let t = text.trim();
    !is_command(t) && !is_question(t) && t.len() > 1 && t.ends_with('?')
}

/// Whether the text is a statement or question that merely stops early, so that the next
/// line should continue it. A blank last line (Enter on an empty continuation line) gives up
/// waiting: the text is then taken as it is, and its problem is shown.
pub fn needs_more(text: &str) -> bool {
    if text.trim().is_empty()
        || is_command(text)
        || bare_word_hint(text).is_some()
        || is_trailing_question(text)
    {
        return false;
    }
    if text.contains('\n')
        && text
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
    {
        return false;
    }
    if is_question(text) {
        let goal = text.trim_start().trim_start_matches('?');
        if goal.trim().is_empty() {
            return false;
        }
        return matches!(syntax::parse_question(FileId(0), goal), Err(e) if e.incomplete);
    }
    matches!(syntax::parse_file(FileId(0), text), Err(e) if e.incomplete)
}

/// Splits a block of lines into pieces handled one by one: each command or question line
/// on its own (a question continues while it is incomplete), consecutive statement lines
/// together.
pub fn segments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The kind of the piece being built: command, question or statements.
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Command,
        Question,
        Statements,
    }
    let mut current: Option<(Kind, String)> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // A line ending with `?` is a question; it may end statements begun on earlier lines.
        if is_trailing_question(line) {
            if let Some((Kind::Statements, buf)) = &mut current {
                if needs_more(buf) {
                    buf.push('\n');
                    buf.push_str(line);
                    if let Some((_, buf)) = current.take() {
                        out.push(buf);
                    }
                    continue;
                }
            }
            if let Some((_, buf)) = current.take() {
                out.push(buf);
            }
            out.push(line.to_string());
            continue;
        }
        let kind = if is_command(line) {
            Kind::Command
        } else if is_question(line) {
            Kind::Question
        } else {
            Kind::Statements
        };
        if kind == Kind::Statements {
            match &mut current {
                Some((Kind::Statements, buf)) => {
                    buf.push('\n');
                    buf.push_str(line);
                    continue;
                }
                Some((Kind::Question, buf)) if needs_more(buf) => {
                    buf.push('\n');
                    buf.push_str(line);
                    continue;
                }
                _ => {}
            }
            if line.trim().is_empty() {
                continue;
            }
        }
        if let Some((_, buf)) = current.take() {
            out.push(buf);
        }
        current = Some((kind, line.to_string()));
    }
    if let Some((_, buf)) = current {
        out.push(buf);
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_statements_wait_for_more() {
        assert!(needs_more("conducted_by(op,"));
        assert!(needs_more("conducted_by(op, gru)"));
        assert!(!needs_more("conducted_by(op, gru)."));
        assert!(
            !needs_more("conducted_by(op gru)."),
            "a real mistake is shown at once"
        );
        assert!(!needs_more("conducted_by(op,\n"), "a blank line gives up");
        assert!(!needs_more(":why state(x"));
        assert!(needs_more("? state(x"));
        assert!(!needs_more("? state(x)"));
        assert!(!needs_more("# only a comment"));
        assert!(!needs_more(""));
        assert!(!needs_more("help"), "a bare word is answered at once");
        assert!(!needs_more("state(x)?"), "a trailing `?` asks");
    }

    #[test]
    fn blocks_split_into_pieces() {
        assert_eq!(
            segments("state(a).\nstate(b).\n:facts\n? state(a)\nstate(c)."),
            vec!["state(a).\nstate(b).", ":facts", "? state(a)", "state(c)."]
        );
        assert_eq!(segments("? state(\n a)"), vec!["? state(\n a)"]);
        assert_eq!(
            segments("conducted_by(op,\n:facts"),
            vec!["conducted_by(op,", ":facts"]
        );
        assert!(segments("\n  \n").is_empty());
        assert_eq!(
            segments("state(a).\nstate(a)?\nstate(b)."),
            vec!["state(a).", "state(a)?", "state(b)."]
        );
        assert_eq!(segments("state(\n a)?"), vec!["state(\n a)?"]);
    }
}
