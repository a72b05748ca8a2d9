//! The REPL's backend: one session's state (the facts stated so far, where they came from,
//! the position the answers follow) and [`Session::handle_line`], which splits a line into
//! pieces, parses each into a [`ReplCommand`] and runs it. The terminal, piped input and tests
//! all drive a session through it; the commands themselves live in the sibling modules
//! (`facts`, `questions`, `knowledge`, `load_save`, `interview`), the rendering of answers
//! in `render`.

use super::commands::{self, ArgKind};
use super::dispatch::ReplCommand;
use super::input;
use crate::options::KbArgs;
use crate::style::{paint, render_diagnostics, render_error, Front};
use opinio::diagnostic::Diagnostic;
use opinio::kb::{KnowledgeBase, LoadError};
use opinio::program::{GroundFact, PosId, Sym};
use opinio::syntax::ast::Truth;
use opinio::{Cancel, EvalError, Scenario};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done, nothing went wrong.
    Done,
    /// Something the user wrote was wrong; it was shown and the session goes on.
    Failed,
    /// The user asked to leave.
    Quit,
}

impl Status {
    /// The status of two pieces of a line run one after the other: the worse of the two.
    fn and(self, other: Status) -> Status {
        match (self, other) {
            (Status::Quit, _) | (_, Status::Quit) => Status::Quit,
            (Status::Failed, _) | (_, Status::Failed) => Status::Failed,
            _ => Status::Done,
        }
    }
}

/// Reads one answer for a question; `None` when the input ends or the user cancels.
pub type Input<'a> = dyn FnMut(&str) -> Option<String> + 'a;

/// How a fact came to be stated, for the words that confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// Typed as a statement.
    Typed,
    /// With `:assume`, which also accepts conclusions.
    Assumed,
    /// As an answer in an interview.
    Answered,
}

/// One interactive session on a knowledge base: its facts, its position and what it knows of
/// the files it read and wrote.
pub struct Session {
    /// The options the knowledge base was loaded with, to load it again on `:reload`.
    pub(super) args: KbArgs,
    /// The facts stated so far, on the knowledge base.
    pub(super) scenario: Scenario,
    /// The position the answers follow.
    pub(super) position: PosId,
    /// Whether values and diagnostics are coloured.
    pub(super) colour: bool,
    /// Whether the session runs on a terminal: explanations are wrapped to its width and
    /// long ones shown through a pager.
    pub(super) terminal: bool,
    /// Scenario files loaded, in order, for `:reload`.
    pub(super) files: Vec<PathBuf>,
    /// Facts (and expectations) stated in the session rather than loaded, as text.
    pub(super) typed: Vec<String>,
    /// Facts known to be in a file (loaded or saved).
    pub(super) saved: BTreeSet<FactKey>,
    /// Files this session loaded or saved (links followed), which `:save` may replace
    /// without `:save!`.
    pub(super) own_files: BTreeSet<PathBuf>,
    /// Stops the evaluation under way (Ctrl-C); reset before each line.
    pub(super) cancel: Cancel,
    /// Whether the line's cancellation was already reported.
    cancel_reported: std::cell::Cell<bool>,
    /// How many entries (lines, or blocks of lines) were typed so far, commands and questions
    /// included: "your line 8" in a problem is the eighth.
    pub(super) entries: usize,
}

/// What the session says when Ctrl-C stopped an evaluation.
pub const CANCELLED: &str = "Stopped: the question was cancelled. The session is as it was.";

/// A stated fact as a value: its text with its truth value (where it was written left out),
/// so that a fact loaded from one file and typed again compares equal, and the key survives
/// `:reload`, which numbers names and predicates afresh.
pub(super) type FactKey = String;

/// The [`FactKey`] of a fact.
pub(super) fn fact_key(scenario: &Scenario, f: &GroundFact) -> FactKey {
    scenario.fact_text(f)
}

impl Session {
    /// A session on a knowledge base with no facts, following the default position.
    pub fn new(kb: &KnowledgeBase, args: KbArgs) -> Session {
        let mut scenario = Scenario::new(kb);
        args.configure(&mut scenario);
        scenario.set_as_of(args.as_of);
        scenario.set_max_file_size(args.max_file_size());
        let cancel = Cancel::new();
        scenario.set_cancel(Some(cancel.clone()));
        let position = kb.program().default_position_or_first().unwrap_or(PosId(0));
        Session {
            args,
            scenario,
            position,
            colour: false,
            terminal: false,
            files: Vec::new(),
            typed: Vec::new(),
            saved: BTreeSet::new(),
            own_files: BTreeSet::new(),
            cancel,
            cancel_reported: std::cell::Cell::new(false),
            entries: 0,
        }
    }

    /// The token that stops the evaluation under way, for a Ctrl-C handler: the line being
    /// handled then ends with [`CANCELLED`] and the session keeps its facts. The session
    /// clears it when the next line starts.
    pub fn cancel_token(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Colours values and diagnostics (for a terminal that wants them).
    pub fn set_colour(&mut self, colour: bool) {
        self.colour = colour;
    }

    /// Says the session runs on a terminal: explanations are wrapped to its width, and those
    /// longer than the screen shown through a pager (`$PAGER`, else `less -R`).
    pub fn set_terminal(&mut self, terminal: bool) {
        self.terminal = terminal;
    }

    /// The facts stated so far, on the knowledge base.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The name of the position the answers follow.
    pub fn position_name(&self) -> &str {
        &self.scenario.program().position(self.position).name
    }

    /// The welcome text.
    pub fn banner(&self) -> String {
        let program = self.scenario.program();
        let pos = program.position(self.position);
        let what = pos
            .meaning
            .as_deref()
            .map(|m| format!(" ({})", first_clause(m)))
            .unwrap_or_default();
        format!(
            "Opinio — international law of cyber operations.\nPosition: {}{what}.\nType :help for commands, or state a fact such as `state(ukraine).`\n",
            pos.name
        )
    }

    /// The prompt, naming the position.
    pub fn prompt(&self) -> String {
        format!("opinio ({})> ", self.position_name())
    }

    /// Facts stated in the session and kept in no file.
    pub fn unsaved(&self) -> usize {
        self.scenario
            .facts()
            .iter()
            .filter(|f| !self.saved.contains(&fact_key(&self.scenario, f)))
            .count()
    }

    /// Handles one line (or a block of lines) of input: facts, a question or a command.
    /// `input` reads the answers of an interview.
    pub fn handle_line(
        &mut self,
        line: &str,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        self.cancel.reset();
        self.cancel_reported.set(false);
        self.entries += 1;
        let mut status = Status::Done;
        let segments = input::segments(line);
        for (i, seg) in segments.iter().enumerate() {
            status = status.and(self.handle_segment(seg, out, input));
            if status == Status::Quit {
                break;
            }
            if self.cancel.is_cancelled() && i + 1 < segments.len() {
                // Ctrl-C: what was left of the line is not run.
                if !self.cancel_reported.get() {
                    self.say(
                        out,
                        "Stopped: Ctrl-C was pressed; the lines after this one were not run.",
                    );
                }
                status = status.and(Status::Failed);
                break;
            }
        }
        self.cancel.reset();
        let _ = out.flush();
        status
    }

    /// Handles one piece of a line: statements, a question or a command.
    pub(super) fn handle_segment(
        &mut self,
        text: &str,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        self.run_command(ReplCommand::parse(text), out, input)
    }

    // ------------------------------------------------------------------ output helpers

    /// Writes a text, ending it with a line break if it has none.
    pub fn say(&self, out: &mut dyn Write, text: &str) {
        let _ = out.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
    }

    /// A value's name, coloured if the session is.
    pub(super) fn value(&self, v: Truth) -> String {
        paint(v.as_str(), v, self.colour)
    }

    /// Shows the problems of input that could not be loaded.
    pub(super) fn show_load_error(&self, out: &mut dyn Write, e: &LoadError) {
        let diags: Vec<Diagnostic> = e
            .diagnostics
            .iter()
            .map(|d| self.as_of_in_session_words(d))
            .collect();
        let text = render_diagnostics(&diags, &e.sources, self.colour, Front::Repl);
        self.say(out, text.trim_end());
    }

    /// A problem with the date asked as of, its help in the session's commands: the library
    /// names the command line's `--as-of`, which the session does not take, and a date that
    /// stays set refuses every question until `:as-of off`, which must be said.
    fn as_of_in_session_words(&self, d: &Diagnostic) -> Diagnostic {
        let mut d = d.clone();
        if d.code != opinio::diagnostic::Code::UnknownAsOf {
            return d;
        }
        let help = if self.scenario.as_of() == Some(opinio::AsOf::Operation)
            && self.scenario.operation_dates().len() != 1
        {
            if self.scenario.operation_dates().is_empty() {
                "state when the operation occurred, e.g. `occurred_on(notpetya, 2017-06-27).`, give the date itself (`:as-of 2017-06-27`), or answer as of today (`:as-of off`)"
            } else {
                "give the date itself (`:as-of 2017-06-27`), or answer as of today (`:as-of off`)"
            }
        } else {
            "choose a position published by then (`:position NAME`; `:compare GOAL` shows them), or ask as of a later date (`:as-of off` for today)"
        };
        d.help = Some(help.to_string());
        d
    }

    /// Shows an error of the library: bad input, a limit reached, or Ctrl-C.
    pub(super) fn show_error(&self, out: &mut dyn Write, e: &opinio::Error) {
        match e {
            opinio::Error::Input(l) => self.show_load_error(out, l),
            opinio::Error::Limit(EvalError::Cancelled) => self.report_cancelled(out),
            opinio::Error::Limit(_) => {
                self.say(out, render_error(e, self.colour, Front::Repl).trim_end())
            }
        }
    }

    /// Says, once a line, that Ctrl-C stopped an evaluation.
    pub(super) fn report_cancelled(&self, out: &mut dyn Write) {
        if !self.cancel_reported.replace(true) {
            self.say(out, CANCELLED);
        }
    }

    /// Shows warnings (or errors) about the session's own sources.
    pub(super) fn show_diagnostics(&self, out: &mut dyn Write, diags: &[Diagnostic]) {
        if diags.is_empty() {
            return;
        }
        let text = render_diagnostics(diags, self.scenario.sources(), self.colour, Front::Repl);
        self.say(out, text.trim_end());
    }

    /// Says what a command needs when it was given nothing, with an example; always
    /// [`Status::Failed`].
    pub(super) fn usage_error(&self, out: &mut dyn Write, name: &str, example: &str) -> Status {
        let Some(c) = commands::find(name) else {
            return Status::Failed;
        };
        self.say(
            out,
            &format!(
                "`{}` needs {}, for example `:{} {example}`.",
                commands::usage(c),
                match c.arg {
                    ArgKind::Goal => "a question",
                    ArgKind::Fact => "a fact",
                    ArgKind::File => "a file name",
                    ArgKind::Position => "a position",
                    ArgKind::Date => "a date",
                    _ => "an argument",
                },
                c.name
            ),
        );
        Status::Failed
    }

    /// The constant names of a symbol list, for messages.
    pub(super) fn names(&self, args: &[Sym]) -> Vec<String> {
        args.iter()
            .map(|a| opinio::program::quote_if_needed(self.scenario.interner().name(*a)))
            .collect()
    }

    /// Names for completion and hints.
    pub fn catalog(&self) -> super::catalog::Catalog {
        super::catalog::Catalog::new(&self.scenario)
    }
}

/// `one` for 1, `many` otherwise.
pub(super) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// The first clause of a position's meaning, for the banner.
fn first_clause(m: &str) -> &str {
    m.split(';').next().unwrap_or(m).trim()
}
