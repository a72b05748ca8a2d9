//! Questions: `? GOAL` (answers with a one-line reason), `:why`, `:whynot`, `:missing` and
//! `:compare`. A goal is parsed by [`Session::parse_goal`] and evaluated by
//! [`Session::evaluate`]; the explaining commands show each answer through
//! [`Session::explain_each`].

use super::render::{answer_label, failures, missing_text, one_line_reason};
use super::session::{Session, Status};
use crate::style::compare_table;
use opinio::explain::{ExplainOptions, Explanation, RenderOptions};
use opinio::program::Goal;
use opinio::syntax::ast::Truth;
use opinio::{Answer, QueryResult};
use std::io::Write;

/// At most this many answers are explained by `:why` and `:missing` for a question with
/// variables.
const MAX_EXPLAINED: usize = 5;
/// At most this many answers get a reason computed from a full explanation.
const MAX_REASONED: usize = 25;

impl Session {
    /// Parses a goal typed after `?` or a command, or `None` with the problem shown.
    pub(super) fn parse_goal(&self, goal: &str, out: &mut dyn Write) -> Option<Goal> {
        match self.scenario.parse_goal(goal) {
            Ok(x) => Some(x),
            Err(e) => {
                self.show_error(out, &e);
                None
            }
        }
    }

    /// Parses a goal and evaluates it under the session's position: the answers (true or
    /// unknown) and the names of the goal's variables, or `None` with the problem shown.
    pub(super) fn evaluate(
        &self,
        goal: &str,
        out: &mut dyn Write,
    ) -> Option<(QueryResult, Vec<String>)> {
        let goal = self.parse_goal(goal, out)?;
        match self.scenario.query_goal(&goal, self.position) {
            Ok(r) => Some((r, goal.variables().to_vec())),
            Err(e) => {
                self.show_error(out, &e);
                None
            }
        }
    }

    /// Explains each answer in turn, a blank line between, at most [`MAX_EXPLAINED`] of them
    /// (`more` says, given how many are left, what to do about the rest); `show` prints one
    /// explanation. An answer that cannot be explained (a limit, Ctrl-C) ends it with the
    /// problem shown.
    fn explain_each(
        &self,
        answers: &[&Answer],
        options: &ExplainOptions,
        more: impl Fn(usize) -> String,
        out: &mut dyn Write,
        mut show: impl FnMut(&Session, &Explanation, &mut dyn Write),
    ) -> Status {
        for (i, a) in answers.iter().enumerate() {
            if i == MAX_EXPLAINED {
                self.say(out, &more(answers.len() - MAX_EXPLAINED));
                break;
            }
            if i > 0 {
                self.say(out, "");
            }
            match self.scenario.explain_with(a, options) {
                Ok(e) => show(self, &e, out),
                Err(err) => {
                    self.show_error(out, &err);
                    return Status::Failed;
                }
            }
        }
        Status::Done
    }

    /// `? GOAL`: each answer with its value and why, in one line.
    pub(super) fn ask(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        if goal.is_empty() {
            self.say(
                out,
                "Ask a question after `?`, for example `? violates_sovereignty(notpetya, ukraine)`.",
            );
            return Status::Failed;
        }
        let Some((result, vars)) = self.evaluate(goal, out) else {
            return Status::Failed;
        };
        if vars.is_empty() {
            for a in &result.answers {
                let reason = self.reason(a, true);
                if self.cancel.is_cancelled() {
                    self.report_cancelled(out);
                    return Status::Failed;
                }
                let assumed = self.assumptions_behind(a);
                let assuming = if assumed.is_empty() {
                    String::new()
                } else {
                    format!(", assuming {}", assumed.join(" and "))
                };
                self.say(
                    out,
                    &format!("{} = {}{assuming} — {reason}", a.atom, self.value(a.value)),
                );
                if let Some(words) = self.in_words(a) {
                    self.say(out, &format!("  in words: {words}"));
                }
            }
            return Status::Done;
        }
        let position = &result.position;
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
        let labels: Vec<String> = result.answers.iter().map(answer_label).collect();
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
            if let Some(words) = self.in_words(a) {
                self.say(out, &format!("    in words: {words}"));
            }
        }
        Status::Done
    }

    /// The answer in plain language (its predicate's `reads`, worded by its value), or `None`
    /// when the predicate has no reading and the sentence would only repeat the code form.
    fn in_words(&self, a: &Answer) -> Option<String> {
        let words = self.scenario.phrase(a.pred, &a.args);
        (words != a.atom).then(|| crate::style::answer_in_words(&words, a.value))
    }

    /// One line saying why an answer has its value: from a full explanation, or (cheaper,
    /// for long lists) only the rule that decided it.
    /// The facts stated with `:assume` that an answer's explanation rests on, as text
    /// (`attributable(blackout, arcadia)`, `not ...` for one assumed false).
    fn assumptions_behind(&self, a: &Answer) -> Vec<String> {
        let sources = self.scenario.sources();
        let assumed: Vec<&opinio::program::GroundFact> = self
            .scenario
            .facts()
            .iter()
            .filter(|f| sources.name(f.span.file) == "<assumed>")
            .collect();
        if assumed.is_empty() {
            return Vec::new();
        }
        let Ok(e) = self.scenario.explain(a) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        // The answer's own assumption is said by its reason ("stipulated ...").
        let mut stack: Vec<&opinio::explain::Node> = e.tree.children.iter().rev().collect();
        while let Some(node) = stack.pop() {
            if let opinio::explain::Label::Atom(g) = &node.label {
                if let Some(f) = assumed
                    .iter()
                    .find(|f| f.pred == g.pred && f.args == g.args)
                {
                    let text = self.scenario.fact_text(f);
                    let text = text.trim_end_matches('.').to_string();
                    if !found.contains(&text) {
                        found.push(text);
                    }
                }
            }
            stack.extend(node.children.iter().rev());
        }
        found
    }

    fn reason(&self, a: &Answer, full: bool) -> String {
        if !full {
            let Ok(what) = self.scenario.decided_by(a) else {
                return String::new();
            };
            return if what.inherited {
                format!("{what} (inherited)")
            } else {
                what.to_string()
            };
        }
        match self.scenario.explain(a) {
            Ok(e) => one_line_reason(&e, &|p| super::interview::point_title(self, p)),
            Err(e) => e.to_string(),
        }
    }

    /// `:why GOAL` (`expected_true` false) and `:whynot GOAL` (true): each answer's
    /// explanation; for `:whynot`, what kept a false one from holding.
    pub(super) fn why(&mut self, goal: &str, expected_true: bool, out: &mut dyn Write) -> Status {
        let name = if expected_true { "whynot" } else { "why" };
        let (depth, goal) = match depth_flag(goal) {
            Ok(x) => x,
            Err(()) => {
                self.say(
                    out,
                    &format!("`:{name} -d N GOAL` shows N levels of the tree: N is a whole number, such as `:{name} -d 3 violates_sovereignty(notpetya, ukraine)`."),
                );
                return Status::Failed;
            }
        };
        if goal.is_empty() {
            return self.usage_error(out, name, "violates_sovereignty(notpetya, ukraine)");
        }
        let Some((result, vars)) = self.evaluate(goal, out) else {
            return Status::Failed;
        };
        if result.answers.is_empty() {
            self.say(
                out,
                &format!(
                    "Under {}, {} is false whatever the values of {}: nothing holds or remains open. Ask about one case by name (`:{name} ...` without capital letters) to see what fails.",
                    self.position_name(),
                    result.goal,
                    vars.join(", ")
                ),
            );
            return Status::Done;
        }
        let answers: Vec<&Answer> = result.answers.iter().collect();
        let more = |n: usize| {
            if n == 1 {
                "… and 1 more answer; ask about it by name to see its explanation.".to_string()
            } else {
                format!(
                    "… and {n} more answers; ask about one of them by name to see its explanation."
                )
            }
        };
        let render = RenderOptions {
            colour: self.colour,
            depth,
            width: if self.terminal {
                crate::pager::stdout_width()
            } else {
                None
            },
            more_hint: Some("`:missing --all GOAL` lists all".to_string()),
        };
        let options = ExplainOptions::default();
        self.explain_each(&answers, &options, more, out, |s, e, out| {
            if expected_true && e.value == Truth::True {
                s.say(
                    out,
                    &format!("{} does hold under {}. Here is why:", e.atom, e.position),
                );
            }
            let text = opinio::explain::render_text_with(e, &render);
            if s.terminal {
                // Long trees go through a pager, on the terminal the session runs in.
                let _ = out.flush();
                crate::pager::show(&text);
            } else {
                s.say(out, text.trim_end());
            }
            if expected_true && e.value == Truth::False {
                let fails = failures(&e.tree);
                if !fails.is_empty() {
                    s.say(out, "\nIn short, it does not hold because:");
                    for f in fails {
                        s.say(out, &format!("  - {f}"));
                    }
                }
            }
        })
    }

    /// `:missing GOAL`: for each open answer, the missing facts it rests on and the smallest
    /// sets that would settle it.
    pub(super) fn missing(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        let goal = goal.trim();
        let (all, goal) = match goal.strip_prefix("--all") {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                (true, rest.trim())
            }
            _ => (false, goal),
        };
        // An option misspelt (`--al`, `-all`) would be read as the question and fail as a
        // syntax error at its `-`.
        if let Some(option) = goal
            .split_whitespace()
            .next()
            .filter(|w| w.starts_with('-'))
        {
            self.say(
                out,
                &format!(
                    "`:missing` knows one option, `--all` (lift the caps on the sets of facts listed), not `{option}`: `:missing --all violates_sovereignty(notpetya, denmark)`."
                ),
            );
            return Status::Failed;
        }
        if goal.is_empty() {
            return self.usage_error(out, "missing", "violates_sovereignty(notpetya, denmark)");
        }
        let Some((result, vars)) = self.evaluate(goal, out) else {
            return Status::Failed;
        };
        let (answers, goal_text) = (&result.answers, &result.goal);
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
        let more = |n: usize| {
            if n == 1 {
                "… and 1 more open answer; ask about it by name.".to_string()
            } else {
                format!("… and {n} more open answers; ask about one of them by name.")
            }
        };
        let options = if all {
            ExplainOptions::all()
        } else {
            ExplainOptions::default()
        };
        self.explain_each(&open, &options, more, out, |s, e, out| {
            s.say(out, &missing_text(e, s.colour, all));
        })
    }

    /// `:compare GOAL`: the answer under every position, in one table.
    pub(super) fn compare(&mut self, goal: &str, out: &mut dyn Write) -> Status {
        if goal.is_empty() {
            return self.usage_error(out, "compare", "violates_sovereignty(notpetya, ukraine)");
        }
        match self.scenario.compare(goal) {
            Ok(rows) => {
                // As asked, without the `?` or `.` a question may end (or start) with.
                let goal_text = goal
                    .trim()
                    .trim_start_matches('?')
                    .trim_end_matches(['.', '?'])
                    .trim();
                let mut table = compare_table(goal_text, &rows, self.colour);
                if let Ok(Some(d)) = self.scenario.as_of_date() {
                    let left_out = self.scenario.positions_published_after(d);
                    table.push_str(&crate::style::as_of_line(d, &left_out, rows.is_empty()));
                }
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
}

/// `-d N` or `--depth N` before a goal: the depth and the rest; `Err` when N is not a whole
/// number.
fn depth_flag(arg: &str) -> Result<(Option<usize>, &str), ()> {
    let arg = arg.trim();
    let rest = match arg
        .strip_prefix("--depth")
        .or_else(|| arg.strip_prefix("-d"))
    {
        Some(r) if r.starts_with(char::is_whitespace) => r.trim_start(),
        _ => return Ok((None, arg)),
    };
    let (n, goal) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let n: usize = n.parse().map_err(|_| ())?;
    Ok((Some(n), goal.trim()))
}

#[cfg(test)]
mod tests {
    use super::depth_flag;

    #[test]
    fn depth_before_the_goal() {
        assert_eq!(depth_flag("-d 2 p(a)"), Ok((Some(2), "p(a)")));
        assert_eq!(depth_flag("--depth 10  p(a, b)"), Ok((Some(10), "p(a, b)")));
        assert_eq!(depth_flag("p(a)"), Ok((None, "p(a)")));
        assert_eq!(depth_flag("-d x p(a)"), Err(()));
        assert_eq!(depth_flag("-dp(a)"), Ok((None, "-dp(a)")));
    }
}
