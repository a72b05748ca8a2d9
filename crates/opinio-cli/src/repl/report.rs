//! `:report FILE [GOAL]`: the legal memo of `opinio report` for the session's facts, under the
//! session's position, written to a file (HTML for `.html`, else Markdown).

use super::load_save::{expand_path, first_file_word};
use super::session::{Session, Status};
use crate::files::write_atomically;
use crate::memo::{html, markdown, Memo, MemoRequest};
use std::io::Write;

impl Session {
    /// Writes the memo; the question is `GOAL`, or else those of the loaded `expect`s.
    pub(super) fn report(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        let (file, goal) = match first_file_word(arg) {
            Ok(found) => found,
            Err(e) => {
                self.say(out, &e);
                return Status::Failed;
            }
        };
        let file = file.as_str();
        if file.is_empty() {
            return self.usage_error(
                out,
                "report",
                "memo.html violates_sovereignty(notpetya, denmark)",
            );
        }
        if goal.is_empty() && self.scenario.expectations().is_empty() {
            self.say(
                out,
                &format!("Which question should the memo answer? Give it after the file: `:report {file} violates_sovereignty(notpetya, denmark)` (without one, the memo answers the questions of the loaded files' `expect` statements, and there are none)."),
            );
            return Status::Failed;
        }
        if let Some(why) = self.refused_output(&expand_path(file), file, "memo", "memo.md") {
            self.say(out, &why);
            return Status::Failed;
        }
        let req = MemoRequest {
            goals: if goal.is_empty() {
                Vec::new()
            } else {
                vec![goal.to_string()]
            },
            positions: vec![self.position_name().to_string()],
            knowledge_base: "the knowledge base of this session".to_string(),
            subject: self.memo_subject(),
        };
        let memo = match Memo::build(&self.scenario, &req) {
            Ok(m) => m,
            Err(e) => {
                self.show_error(out, &e);
                return Status::Failed;
            }
        };
        let is_html = std::path::Path::new(file)
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"));
        let text = if is_html {
            html(&memo)
        } else {
            markdown(&memo)
        };
        match write_atomically(&expand_path(file), &text) {
            Ok(()) => {
                let n = memo.questions.len();
                self.say(
                    out,
                    &format!(
                        "Wrote the memo ({n} {}, under {}) to {file}.",
                        if n == 1 { "question" } else { "questions" },
                        self.position_name()
                    ),
                );
                Status::Done
            }
            Err(e) => {
                self.say(
                    out,
                    &format!(
                        "Could not write {file}: {}. Nothing was written.",
                        opinio::kb::files::io_words(&e)
                    ),
                );
                Status::Failed
            }
        }
    }

    /// The memo's subject: the files loaded ("notpetya.opinio"), with "and facts stated in
    /// the session" when some were typed; "the facts of this session" when none was loaded.
    fn memo_subject(&self) -> String {
        let names: Vec<String> = self
            .files
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            })
            .collect();
        match (names.is_empty(), self.typed.is_empty()) {
            (true, _) => "the facts of this session".to_string(),
            (false, true) => names.join(", "),
            (false, false) => format!("{}, and facts stated in the session", names.join(", ")),
        }
    }
}
