//! Stating and withdrawing facts: typed statements, `:assume`, `:retract`, `:facts` and
//! `:clear`. A line is stated all or nothing.

use super::session::{plural, How, Session, Status};
use opinio::program::Sym;
use opinio::syntax::ast::Truth;
use opinio::syntax::span::FileId;
use opinio::Scenario;
use std::collections::BTreeSet;
use std::io::Write;

impl Session {
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
            // Named by the entry, so that "your line 8" is the eighth thing typed, whatever
            // the commands and questions among them.
            How::Typed => self
                .scenario
                .add_text(&format!("<line {}>", self.entries), text),
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

    /// `:assume FACT`: states a fact, even a conclusion, replacing a contrary statement.
    pub(super) fn assume(&mut self, arg: &str, out: &mut dyn Write) -> Status {
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
        let earlier = self.scenario.parse_goal(atom_text).ok().and_then(|goal| {
            if !goal.is_ground() {
                return None;
            }
            let atom = goal.atom();
            let args: Vec<Sym> = atom.ground_args()?.to_vec();
            self.scenario
                .facts()
                .iter()
                .find(|f| {
                    f.pred == atom.pred && f.args.as_slice() == args.as_slice() && f.value != value
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

    /// `:retract FACT`: withdraws a fact and says what it is now.
    pub(super) fn retract(&mut self, arg: &str, out: &mut dyn Write) -> Status {
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

    /// `:facts`: the facts grouped by where they come from, and the expectations.
    pub(super) fn list_facts(&mut self, out: &mut dyn Write) -> Status {
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
        if unsaved == 1 && n == 1 {
            self.say(out, "It is in no file yet (`:save FILE` keeps it).");
        } else if unsaved > 0 {
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

    /// `:clear`: withdraws every fact; the position stays.
    pub(super) fn clear(&mut self, out: &mut dyn Write) -> Status {
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
}

/// An expectation as a statement that states it again.
fn expectation_text(s: &Scenario, e: &opinio::program::Expectation) -> String {
    let under = e
        .position
        .map(|p| format!("under {} ", s.program().position(p).name))
        .unwrap_or_default();
    format!("expect {under}{} = {}.", e.text, e.value.as_str())
}
