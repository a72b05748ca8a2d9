//! One interactive session: the facts stated so far, the position the answers follow, and
//! every command. [`Session::handle_line`] serves the terminal, piped input and tests alike.

use super::commands::{self, ArgKind};
use super::input;
use crate::cli::fmt_cmd::write_atomically;
use crate::cli::KbArgs;
use opinio::check::program::{PosId, PredId, Sym, TypeKind};
use opinio::check::suggest;
use opinio::diagnostic::{self, Diagnostic};
use opinio::explain::{Basis, Explanation, Node, Reason};
use opinio::kb::{KnowledgeBase, LoadError};
use opinio::syntax::ast::Truth;
use opinio::syntax::span::FileId;
use opinio::{Answer, Cancel, EvalError, Scenario};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// At most this many answers are explained by `:why` for a question with variables.
const MAX_EXPLAINED: usize = 5;
/// At most this many answers get a reason computed from a full explanation.
const MAX_REASONED: usize = 25;

/// How a fact came to be stated, for the words that confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    Typed,
    Assumed,
    Answered,
}

pub struct Session {
    pub(super) args: KbArgs,
    pub(super) scenario: Scenario,
    pub(super) position: PosId,
    pub(super) colour: bool,
    /// Scenario files loaded, in order, for `:reload`.
    files: Vec<PathBuf>,
    /// Facts (and expectations) stated in the session rather than loaded, as text.
    typed: Vec<String>,
    /// Facts known to be in a file (loaded or saved), as text.
    saved: BTreeSet<String>,
    /// Files this session loaded or saved (links followed), which `:save` may replace
    /// without `:save!`.
    own_files: BTreeSet<PathBuf>,
    /// Stops the evaluation under way (Ctrl-C); reset before each line.
    cancel: Cancel,
    /// Whether the line's cancellation was already reported.
    cancel_reported: std::cell::Cell<bool>,
}

/// What the session says when Ctrl-C stopped an evaluation.
pub const CANCELLED: &str = "Stopped: the question was cancelled. The session is as it was.";

impl Session {
    /// A session on a knowledge base with no facts, following the default position.
    pub fn new(kb: &KnowledgeBase, args: KbArgs) -> Session {
        let mut scenario = Scenario::new(kb);
        scenario.set_limits(args.limits());
        scenario.set_max_file_size(args.max_file_size());
        let cancel = Cancel::new();
        scenario.set_cancel(Some(cancel.clone()));
        let position = kb.program().default_position_or_first().unwrap_or(PosId(0));
        Session {
            args,
            scenario,
            position,
            colour: false,
            files: Vec::new(),
            typed: Vec::new(),
            saved: BTreeSet::new(),
            own_files: BTreeSet::new(),
            cancel,
            cancel_reported: std::cell::Cell::new(false),
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

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

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
            .filter(|f| !self.saved.contains(&self.scenario.fact_text(f)))
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

    pub(super) fn handle_segment(
        &mut self,
        text: &str,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        let trimmed = text.trim();
        if let Some(rest) = trimmed.strip_prefix(':') {
            let (name, arg) = commands::split(rest);
            return self.command(name, arg, out, input);
        }
        if let Some(goal) = trimmed.strip_prefix('?') {
            return self.ask(goal.trim(), out);
        }
        self.state_text(text, How::Typed, out)
    }

    // ------------------------------------------------------------------ output helpers

    pub(super) fn say(&self, out: &mut dyn Write, text: &str) {
        let _ = out.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
    }

    pub(super) fn value(&self, v: Truth) -> String {
        paint(v.as_str(), v, self.colour)
    }

    pub(super) fn show_load_error(&self, out: &mut dyn Write, e: &LoadError) {
        let text = diagnostic::render(&e.diagnostics, &e.sources, self.colour);
        self.say(out, text.trim_end());
    }

    pub(super) fn show_error(&self, out: &mut dyn Write, e: &opinio::Error) {
        match e {
            opinio::Error::Input(l) => self.show_load_error(out, l),
            opinio::Error::Limit(EvalError::Cancelled) => self.report_cancelled(out),
            opinio::Error::Limit(_) => self.say(out, e.render().trim_end()),
        }
    }

    /// Says, once a line, that Ctrl-C stopped an evaluation.
    fn report_cancelled(&self, out: &mut dyn Write) {
        if !self.cancel_reported.replace(true) {
            self.say(out, CANCELLED);
        }
    }

    fn show_diagnostics(&self, out: &mut dyn Write, diags: &[Diagnostic]) {
        if diags.is_empty() {
            return;
        }
        let text = diagnostic::render(diags, self.scenario.sources(), self.colour);
        self.say(out, text.trim_end());
    }

    fn usage_error(&self, out: &mut dyn Write, name: &str, example: &str) -> Status {
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
                    _ => "an argument",
                },
                c.name
            ),
        );
        Status::Failed
    }

    // ------------------------------------------------------------------ facts

    /// States facts (and expectations). All or nothing.
    pub(super) fn state_text(&mut self, text: &str, how: How, out: &mut dyn Write) -> Status {
        // A line with nothing but comments states nothing.
        if let Ok(f) = opinio::syntax::parse_file(FileId(0), text) {
            if f.statements.is_empty() {
                return Status::Done;
            }
        }
        let before = self.scenario.facts().len();
        let before_expect = self.scenario.expectations().len();
        let result = match how {
            How::Typed => self.scenario.add_line(text),
            How::Assumed => self.scenario.add_text("<assumed>", text),
            How::Answered => self.scenario.add_text("<interview>", text),
        };
        let warnings = match result {
            Ok(w) => w,
            Err(e) => {
                self.show_load_error(out, &e);
                if how == How::Answered {
                    return Status::Failed;
                }
                let t = text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace("( ", "(")
                    .replace(" )", ")");
                let t = t.as_str();
                if how == How::Typed
                    && !t.ends_with('.')
                    && opinio::syntax::parse_query(FileId(0), t).is_ok()
                {
                    self.say(
                        out,
                        &format!("To ask a question, start the line with `?`: `? {t}`. To state it as a fact, end it with a full stop."),
                    );
                }
                if e.diagnostics
                    .iter()
                    .any(|d| d.code == opinio::diagnostic::Code::ContradictoryFacts)
                {
                    self.say(
                        out,
                        "To change a fact, withdraw it first with `:retract FACT`, or replace it with `:assume`.",
                    );
                }
                self.say(
                    out,
                    "Nothing from this line was stated; the session is as it was.",
                );
                return Status::Failed;
            }
        };
        let new: Vec<_> = self.scenario.facts().get(before..).unwrap_or(&[]).to_vec();
        let new_expect = self.scenario.expectations().len() - before_expect;
        let indent = if how == How::Answered { "   " } else { "" };
        let program = self.scenario.program();
        let mut lines = Vec::new();
        for f in &new {
            let text = self.scenario.fact_text(f);
            self.typed.push(text);
            let atom = program.atom_text(f.pred, &f.args, self.scenario.interner());
            let verb = match how {
                How::Assumed => "assumed",
                _ => "noted",
            };
            let value = match f.value {
                Truth::Unknown => format!("{} (nobody can tell)", self.value(Truth::Unknown)),
                v => self.value(v),
            };
            let mut line = format!("{indent}{verb}: {atom} is {value}");
            if program.predicate(f.pred).derived {
                line.push_str(", for argument's sake: the rules are set aside for this conclusion");
            }
            lines.push(line);
        }
        for e in self
            .scenario
            .expectations()
            .get(before_expect..)
            .unwrap_or(&[])
        {
            self.typed.push(expectation_text(&self.scenario, e));
            lines.push(format!(
                "{indent}noted the expectation: {} = {}",
                e.text,
                e.value.as_str()
            ));
        }
        if new.is_empty() && new_expect == 0 {
            lines.push(format!("{indent}nothing new: this was already stated"));
        }
        for l in lines {
            self.say(out, &l);
        }
        self.show_diagnostics(out, &warnings);
        // A stipulation that contradicts the rules is worth a note. The analysis costs an
        // evaluation: ask for it only when a new fact is a stipulation.
        if new.iter().any(|f| program.predicate(f.pred).derived) {
            let notes = self.scenario.stipulation_notes(self.position);
            for f in &new {
                for n in notes.iter().filter(|n| n.atom.is(f.pred, &f.args)) {
                    self.say(out, &format!("{indent}note: {n}"));
                }
            }
        }
        Status::Done
    }

    // ------------------------------------------------------------------ questions

    fn ask(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        if goal.is_empty() {
            self.say(
                out,
                "Ask a question after `?`, for example `? violates_sovereignty(notpetya, ukraine)`.",
            );
            return Status::Failed;
        }
        let (atom, vars) = match self.scenario.parse_goal(goal) {
            Ok(x) => x,
            Err(e) => {
                self.show_error(out, &e);
                return Status::Failed;
            }
        };
        let result = match self.scenario.query_atom(&atom, &vars, self.position) {
            Ok(r) => r,
            Err(e) => {
                self.show_error(out, &e);
                return Status::Failed;
            }
        };
        if vars.is_empty() {
            for a in &result.answers {
                let reason = self.reason(a, true);
                if self.cancel.is_cancelled() {
                    self.report_cancelled(out);
                    return Status::Failed;
                }
                self.say(
                    out,
                    &format!("{} = {} — {reason}", a.atom, self.value(a.value)),
                );
            }
            return Status::Done;
        }
        let position = result.position.clone();
        if result.answers.is_empty() {
            self.say(
                out,
                &format!(
                    "No answer: under {position}, {} is false whatever the values of {}.",
                    result.goal,
                    vars.join(", ")
                ),
            );
            return Status::Done;
        }
        let n = result.answers.len();
        self.say(
            out,
            &format!(
                "{n} {} for {} under {position} (values that make it false are not listed):",
                if n == 1 { "answer" } else { "answers" },
                result.goal
            ),
        );
        let labels: Vec<String> = result
            .answers
            .iter()
            .map(|a| {
                if a.bindings.is_empty() {
                    return a.atom.clone();
                }
                a.bindings
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        for (i, (a, label)) in result.answers.iter().zip(&labels).enumerate() {
            let reason = self.reason(a, i < MAX_REASONED);
            if self.cancel.is_cancelled() {
                self.report_cancelled(out);
                return Status::Failed;
            }
            let pad = " ".repeat(width.saturating_sub(label.chars().count()));
            self.say(
                out,
                &format!("  {label}{pad}  {} — {reason}", self.value(a.value)),
            );
        }
        Status::Done
    }

    /// One line saying why an answer has its value.
    fn reason(&self, a: &Answer, full: bool) -> String {
        if !full {
            let Ok(what) = self.scenario.decided_by(a, self.position) else {
                return String::new();
            };
            return if what.inherited {
                format!("{what} (inherited)")
            } else {
                what.to_string()
            };
        }
        match self.scenario.explain(a, self.position) {
            Ok(e) => one_line_reason(&e),
            Err(e) => e.to_string(),
        }
    }

    /// Parses and evaluates a goal for the explaining commands.
    fn answers(
        &self,
        goal: &str,
        out: &mut dyn Write,
    ) -> Option<(Vec<Answer>, Vec<String>, String)> {
        let (atom, vars) = match self.scenario.parse_goal(goal) {
            Ok(x) => x,
            Err(e) => {
                self.show_error(out, &e);
                return None;
            }
        };
        match self.scenario.query_atom(&atom, &vars, self.position) {
            Ok(r) => Some((r.answers, vars, r.goal)),
            Err(e) => {
                self.show_error(out, &e);
                None
            }
        }
    }

    fn why(&mut self, goal: &str, expected_true: bool, out: &mut dyn Write) -> Status {
        let name = if expected_true { "whynot" } else { "why" };
        if goal.is_empty() {
            return self.usage_error(out, name, "violates_sovereignty(notpetya, ukraine)");
        }
        let Some((answers, vars, goal_text)) = self.answers(goal, out) else {
            return Status::Failed;
        };
        if answers.is_empty() {
            self.say(
                out,
                &format!(
                    "Under {}, {goal_text} is false whatever the values of {}: nothing holds or remains open. Ask about one case by name (`:{name} ...` without capital letters) to see what fails.",
                    self.position_name(),
                    vars.join(", ")
                ),
            );
            return Status::Done;
        }
        for (i, a) in answers.iter().enumerate() {
            if i == MAX_EXPLAINED {
                self.say(
                    out,
                    &format!(
                        "… and {} more answers; ask about one of them by name to see its explanation.",
                        answers.len() - MAX_EXPLAINED
                    ),
                );
                break;
            }
            if i > 0 {
                self.say(out, "");
            }
            let e = match self.scenario.explain(a, self.position) {
                Ok(e) => e,
                Err(err) => {
                    self.show_error(out, &err);
                    return Status::Failed;
                }
            };
            if expected_true && e.value == Truth::True {
                self.say(
                    out,
                    &format!("{} does hold under {}. Here is why:", e.atom, e.position),
                );
            }
            self.say(
                out,
                opinio::explain::render_text(&e, self.colour).trim_end(),
            );
            if expected_true && e.value == Truth::False {
                let fails = failures(&e.tree);
                if !fails.is_empty() {
                    self.say(out, "\nIn short, it does not hold because:");
                    for f in fails {
                        self.say(out, &format!("  - {f}"));
                    }
                }
            }
        }
        Status::Done
    }

    fn missing(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        if goal.is_empty() {
            return self.usage_error(out, "missing", "violates_sovereignty(notpetya, denmark)");
        }
        let Some((answers, vars, goal_text)) = self.answers(goal, out) else {
            return Status::Failed;
        };
        if answers.is_empty() {
            self.say(
                out,
                &format!(
                    "Under {}, {goal_text} is false whatever the values of {}: no missing fact bears on it.",
                    self.position_name(),
                    vars.join(", ")
                ),
            );
            return Status::Done;
        }
        let open: Vec<&Answer> = answers
            .iter()
            .filter(|a| a.value == Truth::Unknown)
            .collect();
        if open.is_empty() || vars.is_empty() {
            if let [a] = answers.as_slice() {
                if a.value != Truth::Unknown {
                    self.say(
                        out,
                        &format!(
                            "{} is already {} under {}: no missing fact bears on it (`:why` shows what decided it).",
                            a.atom,
                            self.value(a.value),
                            self.position_name()
                        ),
                    );
                    return Status::Done;
                }
            } else if open.is_empty() {
                self.say(
                    out,
                    &format!(
                        "Every answer to {goal_text} is already settled under {}: no missing fact bears on them.",
                        self.position_name()
                    ),
                );
                return Status::Done;
            }
        }
        for (i, a) in open.iter().enumerate() {
            if i == MAX_EXPLAINED {
                self.say(
                    out,
                    &format!(
                        "… and {} more open answers; ask about one of them by name.",
                        open.len() - MAX_EXPLAINED
                    ),
                );
                break;
            }
            if i > 0 {
                self.say(out, "");
            }
            let e = match self.scenario.explain(a, self.position) {
                Ok(e) => e,
                Err(err) => {
                    self.show_error(out, &err);
                    return Status::Failed;
                }
            };
            self.say(out, &missing_text(&e, self.colour));
        }
        Status::Done
    }

    fn compare(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        if goal.is_empty() {
            return self.usage_error(out, "compare", "violates_sovereignty(notpetya, ukraine)");
        }
        match self.scenario.compare(goal) {
            Ok(rows) => {
                let goal_text = goal.trim().trim_end_matches('.').trim();
                let table = crate::cli::compare_table(goal_text, &rows, self.colour);
                self.say(out, table.trim_end());
                if rows.iter().any(|r| r.inherited) {
                    self.say(
                        out,
                        "\"inherited\": the position says nothing of its own on this point, so the default view applies.",
                    );
                }
                Status::Done
            }
            Err(e) => {
                self.show_error(out, &e);
                Status::Failed
            }
        }
    }

    // ------------------------------------------------------------------ commands

    fn command(
        &mut self,
        name: &str,
        arg: &str,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        let Some(c) = commands::find_typed(name) else {
            let help = match suggest::did_you_mean(name, commands::all_names()) {
                Some(s) => format!("did you mean `:{s}`? (`:help` lists the commands)"),
                None => "`:help` lists the commands.".to_string(),
            };
            self.say(out, &format!("There is no command `:{name}`; {help}"));
            return Status::Failed;
        };
        match c.name {
            "help" => {
                if arg.is_empty() {
                    self.say(out, &commands::help_text());
                } else {
                    match commands::find(arg.trim_start_matches(':')) {
                        Some(c) => self.say(out, &commands::help_for(c)),
                        None => {
                            self.say(
                                out,
                                &format!("There is no command `:{arg}`; `:help` lists them."),
                            );
                            return Status::Failed;
                        }
                    }
                }
                Status::Done
            }
            "why" => self.why(arg, false, out),
            "whynot" => self.why(arg, true, out),
            "missing" => self.missing(arg, out),
            "assume" => self.assume(arg, out),
            "retract" => self.retract(arg, out),
            "position" => self.set_position(arg, out),
            "positions" => self.positions(out),
            "compare" => self.compare(arg, out),
            "interview" => self.interview(arg, out, input),
            "facts" => self.list_facts(out),
            "rules" => self.rules(arg, out),
            "sources" => self.sources(out),
            "load" => {
                if arg.is_empty() {
                    return self.usage_error(out, "load", "notpetya.opinio");
                }
                if self.load(&expand_path(arg), out) {
                    Status::Done
                } else {
                    Status::Failed
                }
            }
            "reload" => self.reload(out),
            // `:save! FILE` replaces a file the session did not load or save.
            "save" => self.save_command(arg, name.ends_with('!'), out),
            "clear" => {
                let n = self.scenario.facts().len();
                self.scenario.clear();
                self.typed.clear();
                self.files.clear();
                self.say(
                    out,
                    &format!(
                        "Withdrew {n} {}; the session starts afresh (position {}).",
                        plural(n, "fact", "facts"),
                        self.position_name()
                    ),
                );
                Status::Done
            }
            "graph" => self.graph(arg, out),
            "quit" => Status::Quit,
            _ => Status::Failed,
        }
    }

    fn assume(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        if arg.is_empty() {
            return self.usage_error(out, "assume", "attributable(notpetya, russia)");
        }
        let text = arg.trim().trim_end_matches('.').trim();
        let (value, atom_text) = match text.split_once(char::is_whitespace) {
            Some(("not", rest)) => (Truth::False, rest.trim()),
            Some(("unknown", rest)) => (Truth::Unknown, rest.trim()),
            _ => (Truth::True, text),
        };
        // Assuming the contrary of what is stated replaces it.
        let earlier = self
            .scenario
            .parse_goal(atom_text)
            .ok()
            .and_then(|(atom, vars)| {
                if !vars.is_empty() {
                    return None;
                }
                let args: Vec<Sym> = atom.ground_args()?.to_vec();
                self.scenario
                    .facts()
                    .iter()
                    .find(|f| {
                        f.pred == atom.pred
                            && f.args.as_slice() == args.as_slice()
                            && f.value != value
                    })
                    .map(|f| (self.scenario.fact_text(f), f.value))
            });
        let Some((old_text, old_value)) = earlier else {
            return self.state_text(&format!("{text}."), How::Assumed, out);
        };
        let backup = self.scenario.clone();
        if !matches!(self.scenario.retract(atom_text), Ok(true)) {
            self.scenario = backup;
            return self.state_text(&format!("{text}."), How::Assumed, out);
        }
        let status = self.state_text(&format!("{text}."), How::Assumed, out);
        if status == Status::Done {
            self.typed.retain(|t| *t != old_text);
            self.say(
                out,
                &format!(
                    "(this replaces the earlier statement that it is {})",
                    old_value.as_str()
                ),
            );
        } else {
            self.scenario = backup;
        }
        status
    }

    fn retract(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        if arg.is_empty() {
            return self.usage_error(out, "retract", "organ_of(gru_unit_74455, russia)");
        }
        let mut text = arg.trim().trim_end_matches('.').trim();
        for prefix in ["not ", "unknown "] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.trim();
            }
        }
        let before: Vec<String> = self
            .scenario
            .facts()
            .iter()
            .map(|f| self.scenario.fact_text(f))
            .collect();
        match self.scenario.retract(text) {
            Ok(true) => {
                let after: BTreeSet<String> = self
                    .scenario
                    .facts()
                    .iter()
                    .map(|f| self.scenario.fact_text(f))
                    .collect();
                let removed: Vec<&String> = before.iter().filter(|f| !after.contains(*f)).collect();
                self.typed.retain(|t| !removed.contains(&t));
                let now = self
                    .scenario
                    .query(text, Some(self.position_name()))
                    .ok()
                    .and_then(|r| r.answers.first().map(|a| (a.atom.clone(), a.value)));
                let was = removed.first().map(|s| s.as_str()).unwrap_or(text);
                match now {
                    Some((atom, v)) => self.say(
                        out,
                        &format!(
                            "withdrawn: {was} Nothing is stated about it now, so {atom} is {}.",
                            self.value(v)
                        ),
                    ),
                    None => self.say(out, &format!("withdrawn: {was}")),
                }
                Status::Done
            }
            Ok(false) => {
                self.say(
                    out,
                    &format!(
                        "`{text}` was not stated, so there is nothing to withdraw (`:facts` lists what was stated)."
                    ),
                );
                Status::Failed
            }
            Err(e) => {
                self.show_load_error(out, &e);
                Status::Failed
            }
        }
    }

    fn set_position(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        if !arg.is_empty() {
            match self.scenario.position_id(Some(arg)) {
                Ok(p) => self.position = p,
                Err(e) => {
                    self.show_error(out, &e);
                    return Status::Failed;
                }
            }
        }
        let program = self.scenario.program();
        let pos = program.position(self.position);
        let mut text = if arg.is_empty() {
            format!("The answers follow the position {}", pos.name)
        } else {
            format!("The answers now follow the position {}", pos.name)
        };
        if let Some(m) = &pos.meaning {
            text.push_str(&format!(": {m}"));
        }
        text.push('.');
        if !pos.citations.is_empty() {
            text.push_str("\nIt encodes:");
            for c in &pos.citations {
                text.push_str(&format!("\n  - {}", program.source(c.source).title));
            }
        }
        if let Some(parent) = pos.parent {
            text.push_str(&format!(
                "\nWhere it is silent, the {} view applies.",
                program.position(parent).name
            ));
        }
        if arg.is_empty() {
            text.push_str("\n`:position NAME` changes it; `:positions` lists them.");
        }
        self.say(out, &text);
        Status::Done
    }

    fn positions(&mut self, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        let names = self.scenario.knowledge_base().position_names();
        let width = names.iter().map(|n| n.len()).max().unwrap_or(8);
        self.say(out, "Positions (the answers follow the one marked *):");
        for name in names {
            let Some(id) = program.position_id(name) else {
                continue;
            };
            let p = program.position(id);
            let mark = if id == self.position { '*' } else { ' ' };
            let mut meaning = p.meaning.clone().unwrap_or_default();
            if p.is_default {
                meaning.push_str(" [default]");
            }
            self.say(out, &format!("{mark} {name:<width$}  {meaning}"));
        }
        self.say(
            out,
            "`:position NAME` changes it; `:compare GOAL` shows a question under every position.",
        );
        Status::Done
    }

    fn list_facts(&mut self, out: &mut dyn Write) -> Status {
        let facts = self.scenario.facts();
        if facts.is_empty() && self.scenario.expectations().is_empty() {
            self.say(
                out,
                "No facts yet. State one, such as `state(ukraine).`, or `:load FILE`.",
            );
            return Status::Done;
        }
        let sources = self.scenario.sources();
        let n = facts.len();
        self.say(out, &format!("{n} {}:", plural(n, "fact", "facts")));
        let mut last_group = String::new();
        for f in facts {
            let name = sources.name(f.span.file);
            let group = if name.starts_with('<') {
                "Stated in this session:".to_string()
            } else {
                format!("From {name}:")
            };
            if group != last_group {
                self.say(out, &group);
                last_group = group;
            }
            self.say(out, &format!("  {}", self.scenario.fact_text(f)));
        }
        let expectations = self.scenario.expectations();
        if !expectations.is_empty() {
            self.say(out, "Expectations:");
            for e in expectations {
                self.say(out, &format!("  {}", expectation_text(&self.scenario, e)));
            }
        }
        let unsaved = self.unsaved();
        if unsaved > 0 {
            self.say(
                out,
                &format!(
                    "{unsaved} of them {} in no file yet (`:save FILE` keeps {}).",
                    plural(unsaved, "is", "are"),
                    plural(unsaved, "it", "them")
                ),
            );
        }
        Status::Done
    }

    fn sources(&mut self, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        let width = program
            .sources
            .iter()
            .map(|s| s.key.len())
            .max()
            .unwrap_or(4);
        self.say(
            out,
            "Sources cited by the rules (the short name is used in explanations):",
        );
        for s in &program.sources {
            self.say(out, &format!("  {:<width$}  {}", s.key, s.title));
        }
        Status::Done
    }

    fn rules(&mut self, pattern: &str, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        if pattern.is_empty() {
            for (title, derived) in [
                (
                    "Facts you can state (`:rules NAME` shows one in full):",
                    false,
                ),
                (
                    "Conclusions the rules draw (`:rules NAME` shows the rules behind one):",
                    true,
                ),
            ] {
                self.say(out, title);
                let mut preds: Vec<&opinio::check::program::PredInfo> = program
                    .predicates
                    .iter()
                    .filter(|p| p.derived == derived)
                    .collect();
                preds.sort_by(|a, b| a.name.cmp(&b.name));
                for p in preds {
                    let slots: Vec<&str> = p.slots.iter().map(|s| s.name.as_str()).collect();
                    let meaning = p.meaning.as_deref().unwrap_or("");
                    self.say(
                        out,
                        &format!("  {}({}) — {meaning}", p.name, slots.join(", ")),
                    );
                }
                self.say(out, "");
            }
            self.say(
                out,
                &format!(
                    "{} rules in force under {}.",
                    program.position(self.position).rules.len(),
                    self.position_name()
                ),
            );
            return Status::Done;
        }
        let pattern = pattern.trim();
        let pos = program.position(self.position);
        let preds: Vec<PredId> = (0..program.predicates.len())
            .map(PredId::from_index)
            .filter(|p| program.predicate(*p).name.contains(pattern))
            .collect();
        let shown_rules: BTreeSet<usize> = preds
            .iter()
            .flat_map(|p| {
                pos.rules
                    .iter()
                    .filter(move |r| program.rule(**r).head.pred == *p)
                    .map(|r| r.index())
            })
            .collect();
        let other_rules: Vec<usize> = pos
            .rules
            .iter()
            .map(|r| r.index())
            .filter(|r| !shown_rules.contains(r))
            .filter(|r| {
                program
                    .rules
                    .get(*r)
                    .is_some_and(|x| x.name.contains(pattern))
            })
            .collect();
        if preds.is_empty() && other_rules.is_empty() {
            let names = program
                .predicates
                .iter()
                .map(|p| p.name.as_str())
                .chain(program.rules.iter().map(|r| r.name.as_str()));
            let help = suggest::help_with(pattern, names, "`:rules` lists what there is");
            self.say(
                out,
                &format!("No fact, conclusion or rule has `{pattern}` in its name; {help}"),
            );
            return Status::Failed;
        }
        let mut first = true;
        for p in &preds {
            if !first {
                self.say(out, "");
            }
            first = false;
            self.say(out, &self.predicate_text(*p));
        }
        if !other_rules.is_empty() {
            if !first {
                self.say(out, "");
            }
            self.say(out, &format!("Rules whose name contains `{pattern}`:"));
            for r in other_rules {
                self.say(
                    out,
                    &self.rule_text(opinio::check::program::RuleId::from_index(r)),
                );
            }
        }
        Status::Done
    }

    fn predicate_text(&self, p: PredId) -> String {
        let program = self.scenario.program();
        let info = program.predicate(p);
        let slots: Vec<String> = info
            .slots
            .iter()
            .map(|s| format!("{}: {}", s.name, program.type_info(s.ty).name))
            .collect();
        let kind = if info.derived { "conclusion" } else { "fact" };
        let mut out = format!("{}({})  [{kind}]\n", info.name, slots.join(", "));
        if let Some(m) = &info.meaning {
            out.push_str(&format!("  means: {m}\n"));
        }
        if !info.derived {
            if info.closed {
                out.push_str("  what is not stated is false (the facts of what happened are described in full)\n");
            } else {
                out.push_str("  what is not stated is unknown\n");
            }
            if info.functional {
                out.push_str("  at most one value of its last argument can be true\n");
            }
        }
        if !info.citations.is_empty() {
            let cites: Vec<String> = info
                .citations
                .iter()
                .map(|c| program.cite_text(c))
                .collect();
            out.push_str(&format!("  sources: {}\n", cites.join("; ")));
        }
        for n in &info.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
        for s in &info.slots {
            if let TypeKind::Enumerated { values, .. } = &program.type_info(s.ty).kind {
                let v: Vec<&str> = values.iter().map(|v| program.interner.name(*v)).collect();
                out.push_str(&format!("  {}: one of {}\n", s.name, v.join(", ")));
            }
        }
        if info.derived {
            let pos = program.position(self.position);
            let rules: Vec<_> = pos
                .rules
                .iter()
                .filter(|r| program.rule(**r).head.pred == p)
                .collect();
            if rules.is_empty() {
                out.push_str(&format!("  no rule concludes it under {}\n", pos.name));
            } else {
                out.push_str(&format!("  rules in force under {}:\n", pos.name));
                for r in rules {
                    out.push_str(&self.rule_text(*r));
                    out.push('\n');
                }
            }
            let mut withdrawn: Vec<(&String, PosId)> = pos
                .withdrawals
                .iter()
                .filter(|(name, _)| {
                    program
                        .rules
                        .iter()
                        .any(|r| &r.name == *name && r.head.pred == p)
                })
                .map(|(name, w)| (name, w.by))
                .collect();
            withdrawn.sort();
            for (name, by) in withdrawn {
                out.push_str(&format!(
                    "  rule {name} is withdrawn by {}\n",
                    program.position(by).name
                ));
            }
        }
        out.trim_end().to_string()
    }

    fn rule_text(&self, r: opinio::check::program::RuleId) -> String {
        let program = self.scenario.program();
        let rule = program.rule(r);
        let text = self.scenario.sources().snippet(rule.span);
        let origin = program.position(rule.origin);
        let from = if origin.is_default || rule.origin == self.position {
            String::new()
        } else {
            format!("    (from the {} position)\n", origin.name)
        };
        if text.is_empty() {
            return format!("{from}    rule {}", rule.name);
        }
        let body: Vec<String> = text
            .lines()
            .map(|l| format!("    {}", l.trim_end()))
            .collect();
        // Continuation lines of a rule are indented in the file; keep their relative indent.
        format!("{from}{}", dedent(&body).join("\n"))
    }

    fn graph(&mut self, arg: &str, out: &mut dyn Write) -> Status {
        let program = self.scenario.program();
        let mut words = arg.split_whitespace();
        let mut pred = None;
        let mut file = None;
        if let Some(w) = words.next() {
            if let Some(p) = program.predicate_id(w) {
                pred = Some(p);
                file = words.next();
            } else if w.contains('.') || w.contains('/') {
                file = Some(w);
            } else {
                let help = suggest::help_with(
                    w,
                    program.predicates.iter().map(|p| p.name.as_str()),
                    "`:rules` lists the names",
                );
                self.say(
                    out,
                    &format!("No fact or conclusion is named `{w}`; {help}"),
                );
                return Status::Failed;
            }
        }
        if let Some(extra) = words.next() {
            self.say(
                out,
                &format!(
                    "`:graph` takes a name and a file, not `{extra}`: `:graph [PREDICATE] [FILE]`."
                ),
            );
            return Status::Failed;
        }
        let d = super::graph_dot::dot(program, self.position, pred);
        match file {
            None => {
                self.say(out, d.text.trim_end());
                Status::Done
            }
            Some(f) => {
                let path = expand_path(f);
                match write_atomically(&path, &d.text) {
                    Ok(()) => {
                        self.say(
                            out,
                            &format!(
                                "Wrote the graph ({} {}, {} {}) to {f}; draw it with Graphviz: dot -Tsvg {f} -o graph.svg",
                                d.nodes,
                                plural(d.nodes, "name", "names"),
                                d.edges,
                                plural(d.edges, "link", "links")
                            ),
                        );
                        Status::Done
                    }
                    Err(e) => {
                        self.say(
                            out,
                            &format!("Could not write {f}: {e}. Nothing was written."),
                        );
                        Status::Failed
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ files

    /// Loads a scenario file; `false` (with the problem shown) if it could not be.
    pub fn load(&mut self, path: &Path, out: &mut dyn Write) -> bool {
        let before = self.scenario.facts().len();
        let before_expect = self.scenario.expectations().len();
        match self.scenario.load_file(path) {
            Ok(warnings) => {
                let new = self.scenario.facts().len() - before;
                let texts: Vec<String> = self
                    .scenario
                    .facts()
                    .iter()
                    .map(|f| self.scenario.fact_text(f))
                    .collect();
                self.saved.extend(texts);
                self.files.push(path.to_path_buf());
                self.own_files.insert(file_identity(path));
                let mut msg = format!(
                    "Loaded {new} {} from {}.",
                    plural(new, "fact", "facts"),
                    path.display()
                );
                let ne = self.scenario.expectations().len() - before_expect;
                if ne > 0 {
                    msg.push_str(&format!(
                        " It also states {ne} {} (`opinio test {}` checks them).",
                        plural(ne, "expectation", "expectations"),
                        path.display()
                    ));
                }
                self.say(out, &msg);
                self.show_diagnostics(out, &warnings);
                true
            }
            Err(e) => {
                self.show_load_error(out, &e);
                self.say(
                    out,
                    "Nothing from the file was added; the session is as it was.",
                );
                false
            }
        }
    }

    fn reload(&mut self, out: &mut dyn Write) -> Status {
        let kb = match self.args.load() {
            Ok(kb) => kb,
            Err(e) => {
                self.show_load_error(out, &e);
                self.say(
                    out,
                    "The knowledge base could not be read again; the session is as it was.",
                );
                return Status::Failed;
            }
        };
        let mut fresh = Session::new(&kb, self.args.clone());
        fresh.colour = self.colour;
        // The Ctrl-C handler holds this session's token.
        fresh.cancel = self.cancel.clone();
        fresh.scenario.set_cancel(Some(self.cancel.clone()));
        fresh.own_files = self.own_files.clone();
        let mut sink = Vec::new();
        for f in &self.files {
            if !fresh.load(f, &mut sink) {
                self.say(out, String::from_utf8_lossy(&sink).trim_end());
                self.say(out, "The session is as it was before `:reload`.");
                return Status::Failed;
            }
        }
        if !self.typed.is_empty() {
            let typed = self.typed.join("\n");
            if let Err(e) = fresh.scenario.add_text("<typed>", &typed) {
                self.show_load_error(out, &e);
                self.say(out, "The facts typed in this session no longer fit; the session is as it was before `:reload`.");
                return Status::Failed;
            }
        }
        fresh.typed = self.typed.clone();
        fresh.saved = self.saved.clone();
        let name = self.position_name().to_string();
        let note = match fresh.scenario.position_id(Some(&name)) {
            Ok(p) => {
                fresh.position = p;
                String::new()
            }
            Err(_) => format!(
                " The position {name} no longer exists; the answers follow {}.",
                fresh.position_name()
            ),
        };
        let nf = self.files.len();
        let n = fresh.scenario.facts().len();
        *self = fresh;
        self.say(
            out,
            &format!(
                "Reloaded the knowledge base and {nf} scenario {}: {n} {}.{note}",
                plural(nf, "file", "files"),
                plural(n, "fact", "facts")
            ),
        );
        Status::Done
    }

    fn save_command(&mut self, arg: &str, replace: bool, out: &mut dyn Write) -> Status {
        if arg.is_empty() {
            return self.usage_error(out, "save", "my_case.opinio");
        }
        match self.save(arg, replace) {
            Ok((n, name)) => {
                self.say(
                    out,
                    &format!("Saved {n} {} to {name}.", plural(n, "fact", "facts")),
                );
                Status::Done
            }
            Err(e) => {
                self.say(out, &e);
                Status::Failed
            }
        }
    }

    /// The file `:save NAME` writes (`.opinio` added to a name without extension), and its
    /// name as shown.
    fn save_target(name: &str) -> (PathBuf, String) {
        let name = name.trim();
        let mut path = expand_path(name);
        let mut shown = name.trim_matches('"').trim_matches('\'').to_string();
        if path.extension().is_none() {
            path.set_extension("opinio");
            shown.push_str(".opinio");
        }
        (path, shown)
    }

    /// If saving to `name` would replace a file this session neither loaded nor saved, that
    /// file's name as shown.
    pub fn would_replace(&self, name: &str) -> Option<String> {
        let (path, shown) = Session::save_target(name);
        let exists = std::fs::metadata(&path).is_ok_and(|m| !m.is_dir());
        (exists && !self.own_files.contains(&file_identity(&path))).then_some(shown)
    }

    /// Writes the session's facts to a scenario file, in full or not at all (through a link,
    /// to the file it points to; keeping the permissions of the file replaced). A file the
    /// session neither loaded nor saved is replaced only with `replace` (`:save!`). The number
    /// of facts and the file's name as written, or what went wrong.
    pub fn save(&mut self, name: &str, replace: bool) -> Result<(usize, String), String> {
        if self.scenario.is_empty() {
            return Err("There is nothing to save yet: no fact has been stated.".to_string());
        }
        let (path, shown) = Session::save_target(name);
        if path.is_dir() {
            return Err(format!(
                "{shown} is a folder; give a file name such as {shown}/case.opinio."
            ));
        }
        if !replace {
            if let Some(shown) = self.would_replace(name) {
                return Err(format!(
                    "{shown} already exists, and this session did not load or save it: nothing was written. To replace it, type `:save! {}`; to keep it, save under another name.",
                    name.trim()
                ));
            }
        }
        write_atomically(&path, &self.scenario.to_text())
            .map_err(|e| format!("Could not save to {shown}: {e}. Nothing was written."))?;
        self.own_files.insert(file_identity(&path));
        self.saved = self
            .scenario
            .facts()
            .iter()
            .map(|f| self.scenario.fact_text(f))
            .collect();
        Ok((self.scenario.facts().len(), shown))
    }

    /// The question asked at the end of a terminal session when facts are in no file, if any.
    pub fn save_offer(&self) -> Option<String> {
        let n = self.unsaved();
        (n > 0).then(|| {
            format!(
                "You have {n} unsaved {}. Save {} to a file? (file name / Enter to discard) ",
                plural(n, "fact", "facts"),
                plural(n, "it", "them")
            )
        })
    }

    // ------------------------------------------------------------------ completion data

    /// Names for completion and hints.
    pub fn catalog(&self) -> super::helper::Catalog {
        let program = self.scenario.program();
        let interner = self.scenario.interner();
        let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (sym, (ty, _)) in self.scenario.all_constant_types() {
            by_type
                .entry(program.type_info(ty).name.clone())
                .or_default()
                .insert(opinio::check::program::quote_if_needed(interner.name(sym)));
        }
        for t in &program.types {
            if let TypeKind::Enumerated { values, .. } = &t.kind {
                let set = by_type.entry(t.name.clone()).or_default();
                for v in values {
                    set.insert(interner.name(*v).to_string());
                }
            }
        }
        let predicates = program
            .predicates
            .iter()
            .map(|p| super::helper::PredEntry {
                name: p.name.clone(),
                signature: format!(
                    "{}({})",
                    p.name,
                    p.slots
                        .iter()
                        .map(|s| format!("{}: {}", s.name, program.type_info(s.ty).name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                meaning: p.meaning.clone().unwrap_or_default(),
                slot_types: p
                    .slots
                    .iter()
                    .map(|s| program.type_info(s.ty).name.clone())
                    .collect(),
            })
            .collect();
        super::helper::Catalog {
            predicates,
            constants: by_type
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
            positions: self
                .scenario
                .knowledge_base()
                .position_names()
                .into_iter()
                .map(String::from)
                .collect(),
        }
    }

    /// The constant names of a symbol list, for messages.
    pub(super) fn names(&self, args: &[Sym]) -> Vec<String> {
        args.iter()
            .map(|a| opinio::check::program::quote_if_needed(self.scenario.interner().name(*a)))
            .collect()
    }
}

// ---------------------------------------------------------------------- free helpers

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A value in its colour (green true, red false, yellow unknown), or plain.
pub(super) fn paint(text: &str, v: Truth, colour: bool) -> String {
    opinio::explain::paint(text, v, colour)
}

/// The first clause of a position's meaning, for the banner.
fn first_clause(m: &str) -> &str {
    m.split(';').next().unwrap_or(m).trim()
}

fn expectation_text(s: &Scenario, e: &opinio::check::program::Expectation) -> String {
    let under = e
        .position
        .map(|p| format!("under {} ", s.program().position(p).name))
        .unwrap_or_default();
    format!("expect {under}{} = {}.", e.text, e.value.as_str())
}

/// Removes the common leading blanks beyond the first line's indentation.
fn dedent(lines: &[String]) -> Vec<String> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let base = first.len() - first.trim_start().len();
    let rest_min = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(base);
    let extra = rest_min.saturating_sub(base + 2);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || extra == 0 {
                l.clone()
            } else {
                let cut = extra.min(l.len() - l.trim_start().len());
                l.get(cut..).unwrap_or(l).to_string()
            }
        })
        .collect()
}

/// What tells two names of one file apart from two files: the full path, links followed.
fn file_identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `~/x` → the home folder's `x`; surrounding quotes are dropped.
pub(super) fn expand_path(s: &str) -> PathBuf {
    let s = s.trim().trim_matches('"').trim_matches('\'');
    if let Some(rest) = s.strip_prefix("~/") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    PathBuf::from(s)
}

/// The reason an answer has its value, in one line.
pub(super) fn one_line_reason(e: &Explanation) -> String {
    let t = &e.tree;
    let mut s = match (&t.basis, e.value) {
        (Basis::Stipulated, _) => "stipulated for argument's sake".to_string(),
        (Basis::Stated, v) => format!("stated {} in the facts", v.as_str()),
        (Basis::MissingFact, _) if t.reason == Reason::StatedUnknown => {
            "stated as unknown: nobody can tell".to_string()
        }
        (Basis::MissingFact, _) => "nobody has stated it: a missing fact".to_string(),
        (_, Truth::Unknown) => unknown_reason(e),
        (Basis::Rule { name, citations }, _) => {
            if citations.is_empty() {
                format!("by rule {name}")
            } else {
                format!("by rule {name} ({})", citations.join("; "))
            }
        }
        (Basis::AllRulesFail, _) if !t.withdrawn.is_empty() => format!(
            "the position withdraws the {} that would conclude it ({})",
            if t.withdrawn.len() == 1 {
                "rule"
            } else {
                "rules"
            },
            t.withdrawn
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Basis::AllRulesFail, _) => {
            let fails = failures(t);
            match fails.as_slice() {
                [one] => one.clone(),
                [] => "no rule reaches it on these facts".to_string(),
                more => format!(
                    "none of the {} rules that could conclude it applies (`:whynot` shows where each fails)",
                    more.len()
                ),
            }
        }
        _ => t.reason.to_string(),
    };
    if let Some(i) = &t.inherited {
        s.push_str(&format!(" ({i})"));
    }
    s
}

fn unknown_reason(e: &Explanation) -> String {
    let points: Vec<&str> = e
        .unsettled_points
        .iter()
        .map(|p| p.point.as_str())
        .collect();
    if e.cannot_be_settled_by_facts_alone {
        return format!(
            "turns on an open point of law ({}): facts alone cannot settle it",
            points.join(", ")
        );
    }
    let mut parts = Vec::new();
    if !e.missing_facts.is_empty() {
        let missing: Vec<String> = e.missing_facts.iter().map(ToString::to_string).collect();
        parts.push(format!(
            "rests on missing facts: {}",
            short_list(&missing, 3)
        ));
    }
    if !points.is_empty() {
        parts.push(format!(
            "{} an open point of law ({})",
            if parts.is_empty() {
                "turns on"
            } else {
                "and on"
            },
            points.join(", ")
        ));
    }
    if parts.is_empty() {
        e.tree.reason.to_string()
    } else {
        parts.join(" ")
    }
}

fn short_list(items: &[String], n: usize) -> String {
    if items.len() <= n {
        return items.join(", ");
    }
    let shown = items.get(..n).unwrap_or(items).join(", ");
    format!("{shown} and {} more", items.len() - n)
}

/// For a false conclusion: per rule that could have reached it, what kept it from applying.
pub(super) fn failures(t: &Node) -> Vec<String> {
    t.children
        .iter()
        .filter_map(|c| {
            let rule = c.rule_instance()?;
            Some(match c.children.first() {
                Some(f) => match f.label.unless_part() {
                    Some(exc) => format!("rule {rule} does not apply: its exception holds ({exc})"),
                    None => format!(
                        "rule {rule} needs {}, which is {}",
                        f.label,
                        f.value.as_str()
                    ),
                },
                None if c.reason != Reason::None => format!("rule {rule}: {}", c.reason),
                None => format!("rule {rule} does not apply"),
            })
        })
        .collect()
}

/// `:missing` for one open answer.
fn missing_text(e: &Explanation, colour: bool) -> String {
    let mut out = format!(
        "{} is {} under {}.\n",
        e.atom,
        paint("unknown", Truth::Unknown, colour),
        e.position
    );
    if !e.missing_facts.is_empty() {
        out.push_str("It rests on these facts, which nobody has stated:\n");
        for m in &e.missing_facts {
            out.push_str(&format!("  - {m}\n"));
        }
    }
    for p in &e.unsettled_points {
        out.push_str(&format!(
            "It turns on an open point of law, {}: {}\n",
            p.point, p.reason
        ));
    }
    if e.cannot_be_settled_by_facts_alone {
        out.push_str("No facts can settle it: the open point of law would have to be settled first. `:compare` shows how the positions settle it.\n");
        return out.trim_end().to_string();
    }
    for (what, sets, needs_law) in [
        ("true", &e.would_make_true, e.true_needs_settled_law),
        ("false", &e.would_make_false, e.false_needs_settled_law),
    ] {
        if needs_law {
            out.push_str(&format!(
                "No facts alone would make it {what}: the open point of law would have to be settled first.\n"
            ));
            continue;
        }
        if sets.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "Facts that would make it {what} (any one line suffices):\n"
        ));
        for s in sets.iter() {
            out.push_str(&format!("  - {}\n", opinio::explain::fact_set_text(s)));
        }
    }
    out.trim_end().to_string()
}
