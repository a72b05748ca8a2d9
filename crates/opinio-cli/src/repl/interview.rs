//! `:interview GOAL`: asks, one at a time and most decisive first, about the facts an open
//! answer still rests on, states each answer as a fact, and stops as soon as the answer is
//! settled (or nothing is left to ask).

use super::session::{Input, Session, Status};
use opinio::explain::{Basis, Explanation, FactValue, GroundAtom, Label, Node};
use opinio::program::PredId;
use opinio::syntax::ast::Truth;
use std::collections::HashSet;
use std::io::Write;

/// An interview never asks more than this many questions.
const MAX_QUESTIONS: usize = 60;

/// What the user answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    Yes,
    No,
    Unknown,
    Skip,
    Stop,
}

fn parse_reply(s: &str) -> Option<Reply> {
    let s = s.trim().trim_end_matches(['.', '!']).to_lowercase();
    Some(match s.as_str() {
        "y" | "yes" | "true" | "oui" => Reply::Yes,
        "n" | "no" | "false" | "non" => Reply::No,
        "u" | "unknown" | "?" | "don't know" | "dont know" | "do not know" | "not known" => {
            Reply::Unknown
        }
        "s" | "skip" | "pass" | "next" => Reply::Skip,
        "stop" | "quit" | "q" | "end" | "done" => Reply::Stop,
        _ => return None,
    })
}

impl Session {
    pub(super) fn interview(
        &mut self,
        goal: &str,
        out: &mut dyn Write,
        input: &mut Input<'_>,
    ) -> Status {
        if goal.is_empty() {
            self.say(
                out,
                "`:interview GOAL` needs a question, for example `:interview breaches_due_diligence(arcadia, blackout, borduria)`.",
            );
            return Status::Failed;
        }
        let Some(parsed) = self.parse_goal(goal, out) else {
            return Status::Failed;
        };
        let vars = parsed.variables();
        if !vars.is_empty() {
            self.say(
                out,
                &format!(
                    "An interview is about one case: name it in full, without capital letters ({} {}). `? {}` lists the cases first.",
                    vars.join(", "),
                    if vars.len() == 1 { "is a placeholder" } else { "are placeholders" },
                    goal.trim()
                ),
            );
            return Status::Failed;
        }
        let answer = match self.scenario.query_goal(&parsed, self.position) {
            Ok(mut r) if !r.answers.is_empty() => r.answers.swap_remove(0),
            Ok(_) => return Status::Failed,
            Err(err) => {
                self.show_error(out, &err);
                return Status::Failed;
            }
        };
        let position = self.position_name().to_string();
        let mut e = match self.scenario.explain(&answer) {
            Ok(e) => e,
            Err(err) => {
                self.show_error(out, &err);
                return Status::Failed;
            }
        };
        if e.value != Truth::Unknown {
            self.say(
                out,
                &format!(
                    "{} is already {} under {position} on the facts stated: there is nothing to ask.",
                    e.atom,
                    self.value(e.value)
                ),
            );
            self.say(
                out,
                opinio::explain::render_text(&e, self.colour).trim_end(),
            );
            return Status::Done;
        }
        if e.cannot_be_settled_by_facts_alone {
            self.say(out, &unsettled_text(self, &e, &position, false));
            self.say(
                out,
                opinio::explain::render_text(&e, self.colour).trim_end(),
            );
            return Status::Done;
        }
        self.say(
            out,
            &format!(
                "Interview on {} under {position}.\nOn the facts so far it is unknown. I will ask only about the facts that still matter, the most decisive first.\nAnswer yes, no, unknown (nobody can tell) or skip (leave it open for now); stop ends the interview.",
                e.atom
            ),
        );
        let mut asked: HashSet<GroundAtom> = HashSet::new();
        let mut skipped: Vec<String> = Vec::new();
        let mut unknowns: Vec<String> = Vec::new();
        let mut answered = 0usize;
        let mut number = 0usize;
        let mut stopped = false;
        // A command typed instead of an answer stops the interview, then runs.
        let mut command: Option<String> = None;
        while number < MAX_QUESTIONS {
            let Some(c) = self.next_question(&e, &asked) else {
                break;
            };
            asked.insert(c.clone());
            number += 1;
            self.say(out, "");
            self.say(out, &self.question_text(number, &c));
            let reply = loop {
                let Some(line) = input("   [yes/no/unknown/skip/stop] > ") else {
                    break Reply::Stop;
                };
                if super::input::is_command(&line) || super::input::is_question(&line) {
                    command = Some(line);
                    break Reply::Stop;
                }
                match parse_reply(&line) {
                    Some(r) => break r,
                    None => self.say(
                        out,
                        "   Please answer yes, no, unknown (nobody can tell) or skip; stop ends the interview.",
                    ),
                }
            };
            let value = match reply {
                Reply::Yes => Truth::True,
                Reply::No => Truth::False,
                Reply::Unknown => Truth::Unknown,
                Reply::Skip => {
                    self.say(out, "   skipped: left open for now");
                    skipped.push(c.to_string());
                    continue;
                }
                Reply::Stop => {
                    stopped = true;
                    break;
                }
            };
            if reply == Reply::Unknown {
                unknowns.push(c.to_string());
            }
            // The answer is stated as if typed, so that it is checked and echoed like one.
            let fact = FactValue { atom: c, value };
            if self.state_text(&format!("{fact}."), super::session::How::Answered, out)
                == Status::Done
            {
                answered += 1;
            }
            e = match self.scenario.explain(&answer) {
                Ok(e) => e,
                Err(err) => {
                    self.show_error(out, &err);
                    return Status::Failed;
                }
            };
            if e.value != Truth::Unknown || e.cannot_be_settled_by_facts_alone {
                break;
            }
        }
        self.say(out, "");
        if stopped {
            match &command {
                Some(c) => self.say(
                    out,
                    &format!("The interview is stopped so that `{}` can run.", c.trim()),
                ),
                None => self.say(out, "The interview is stopped."),
            }
        }
        if e.value != Truth::Unknown {
            self.say(
                out,
                &format!(
                    "Verdict under {position}: {} is {}.",
                    e.atom,
                    self.value(e.value)
                ),
            );
        } else if e.cannot_be_settled_by_facts_alone {
            self.say(out, &unsettled_text(self, &e, &position, true));
        } else {
            let mut why = Vec::new();
            if !unknowns.is_empty() {
                why.push(format!("nobody can tell {}", unknowns.join(", ")));
            }
            if !skipped.is_empty() {
                why.push(format!("you skipped {}", skipped.join(", ")));
            }
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(": {}", why.join("; "))
            };
            let rest = if stopped {
                String::new()
            } else {
                " I have no more questions.".to_string()
            };
            self.say(
                out,
                &format!(
                    "Verdict under {position}: {} remains {}{why}.{rest}",
                    e.atom,
                    self.value(Truth::Unknown)
                ),
            );
        }
        self.say(
            out,
            opinio::explain::render_text(&e, self.colour).trim_end(),
        );
        if answered > 0 {
            let what = if answered == 1 {
                "Your answer is now a fact of this session (`:facts` lists the facts, `:save FILE` keeps them).".to_string()
            } else {
                format!("Your {answered} answers are now facts of this session (`:facts` lists them, `:save FILE` keeps them).")
            };
            self.say(out, &format!("\n{what}"));
        }
        match command {
            Some(c) => {
                self.say(out, "");
                self.handle_segment(&c, out, input)
            }
            None => Status::Done,
        }
    }

    /// The missing fact to ask about next: the one in the most, and smallest, sets of facts
    /// that would settle the answer; ties go to the one met first in the explanation.
    fn next_question(&self, e: &Explanation, asked: &HashSet<GroundAtom>) -> Option<GroundAtom> {
        let mut order: Vec<&GroundAtom> = Vec::new();
        leaves_in_order(&e.tree, &mut order);
        for m in &e.missing_facts {
            if !order.contains(&m) {
                order.push(m);
            }
        }
        let score = |atom: &GroundAtom| -> f64 {
            e.would_make_true
                .iter()
                .chain(&e.would_make_false)
                .filter(|set| set.iter().any(|f| f.atom == *atom))
                .map(|set| 1.0 / set.len().max(1) as f64)
                .sum()
        };
        let mut best: Option<(f64, usize, &GroundAtom)> = None;
        for (i, atom) in order.into_iter().enumerate() {
            if asked.contains(atom) || !e.missing_facts.contains(atom) {
                continue;
            }
            let s = score(atom);
            if best.is_none_or(|(bs, _, _)| s > bs + 1e-9) {
                best = Some((s, i, atom));
            }
        }
        best.map(|(_, _, atom)| atom.clone())
    }

    /// "Is it the case that ...?" in the words of the predicate's reading (`reads`), its
    /// meaning on the next line; without a reading, in the words of the meaning, the things
    /// concerned named on the next line.
    fn question_text(&self, number: usize, c: &GroundAtom) -> String {
        let program = self.scenario.program();
        let info = program.predicate(c.pred);
        if info.reading.is_some() {
            let mut out = format!(
                "{number}. Is it the case that {}?",
                self.scenario.phrase(c.pred, &c.args)
            );
            if let Some(m) = &info.meaning {
                out.push_str(&format!(
                    "\n   (that is: {})",
                    m.trim().trim_end_matches('.')
                ));
            }
            for n in &info.notes {
                out.push_str(&format!("\n   Note: {n}"));
            }
            return out;
        }
        let names = self.names(&c.args);
        let mut out = match &info.meaning {
            Some(m) => format!(
                "{number}. Is it the case that {}?",
                m.trim().trim_end_matches('.')
            ),
            None => format!("{number}. Is it the case that {c}?"),
        };
        let labels = slot_labels(self, c.pred);
        let pairs: Vec<String> = labels
            .iter()
            .zip(&names)
            .map(|(l, n)| format!("{l} = {n}"))
            .collect();
        if !pairs.is_empty() {
            out.push_str(&format!("\n   ({})", pairs.join(", ")));
        }
        for n in &info.notes {
            out.push_str(&format!("\n   Note: {n}"));
        }
        out
    }
}

/// How to name each argument of a predicate in a question: by its type ("State",
/// "operation") when the type occurs once, else by the slot's name.
fn slot_labels(s: &Session, pred: PredId) -> Vec<String> {
    let program = s.scenario().program();
    let info = program.predicate(pred);
    let types: Vec<&str> = info
        .slots
        .iter()
        .map(|sl| program.type_info(sl.ty).name.as_str())
        .collect();
    info.slots
        .iter()
        .zip(&types)
        .map(|(slot, ty)| {
            let unique = types.iter().filter(|t| *t == ty).count() == 1;
            if unique || slot.name.eq_ignore_ascii_case(ty) {
                type_word(ty)
            } else {
                slot.name.replace('_', " ")
            }
        })
        .collect()
}

/// `State` stays capitalised, as lawyers write it; other types read as common nouns.
fn type_word(ty: &str) -> String {
    if ty == "State" {
        ty.to_string()
    } else {
        ty.to_lowercase()
    }
}

/// An open point by its short title (`titled`), or by its name when it has none.
pub(super) fn point_title(s: &Session, point: &str) -> String {
    let program = s.scenario().program();
    match program.point_id(point) {
        Some(id) => program.point_title(id),
        None => point.to_string(),
    }
}

/// The missing facts of a tree, in the order the explanation meets them.
fn leaves_in_order<'a>(n: &'a Node, out: &mut Vec<&'a GroundAtom>) {
    if let Label::Atom(atom) = &n.label {
        if n.basis == Basis::MissingFact && n.value == Truth::Unknown && !out.contains(&atom) {
            out.push(atom);
        }
    }
    for c in &n.children {
        leaves_in_order(c, out);
    }
}

/// The answer turns on open law whatever the facts. `verdict`: at the end of an interview.
fn unsettled_text(s: &Session, e: &Explanation, position: &str, verdict: bool) -> String {
    let points: Vec<String> = e
        .unsettled_points
        .iter()
        .map(|p| format!("{} ({})", point_title(s, &p.point), p.reason))
        .collect();
    let head = if verdict {
        format!(
            "Verdict under {position}: {} remains unknown, and no further answer about the facts can settle it",
            e.atom
        )
    } else {
        format!(
            "{} is unknown under {position}, and no answer about the facts can settle it",
            e.atom
        )
    };
    format!(
        "{head}: it turns on an open point of law: {}.\n`:compare` shows how the positions settle it.",
        points.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_leniently() {
        assert_eq!(parse_reply(" Yes "), Some(Reply::Yes));
        assert_eq!(parse_reply("n"), Some(Reply::No));
        assert_eq!(parse_reply("don't know"), Some(Reply::Unknown));
        assert_eq!(parse_reply("skip"), Some(Reply::Skip));
        assert_eq!(parse_reply("stop"), Some(Reply::Stop));
        assert_eq!(parse_reply("maybe"), None);
    }
}
