//! `opinio query GOAL`: evaluates one question on a scenario and prints `ATOM = VALUE` lines
//! (or, with `--format json`, every answer with its explanation). `opinio explain` shares the
//! evaluation and the JSON form.

use super::args::{load_scenario, report_error, Format};
use crate::options::KbArgs;
use opinio::explain::{ExplainOptions, UnknownClass};
use opinio::syntax::ast::Truth;
use opinio::{Answer, QueryResult, Scenario};
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A question evaluated on a scenario, under a position.
pub(super) struct Evaluated {
    pub(super) scenario: Scenario,
    pub(super) result: QueryResult,
}

/// Loads the scenario files and evaluates `goal` under `position` (the default for `None`);
/// problems are printed, and the exit code to end with returned.
pub(super) fn evaluate(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    goal: &str,
) -> Result<Evaluated, ExitCode> {
    let scenario = load_scenario(args, files)?;
    let result = scenario
        .query(goal, position)
        .map_err(|e| report_error(&e))?;
    Ok(Evaluated { scenario, result })
}

/// The answers as one JSON document: the position, what the answers were computed with
/// (`provenance`), and per answer its atom, the atom in plain language (`text`), value,
/// explanation, for an unknown answer why (`reason`), and (for a question with variables)
/// bindings.
pub(super) fn json(q: &Evaluated, options: &ExplainOptions) -> Result<String, ExitCode> {
    let mut answers = Vec::new();
    for a in &q.result.answers {
        let explanation = q
            .scenario
            .explain_with(a, options)
            .map_err(|e| report_error(&e))?;
        let mut v = serde_json::json!({
            "atom": a.atom,
            "text": q.scenario.phrase(a.pred, &a.args),
            "value": a.value,
        });
        if let (Some(obj), Some(reason)) = (v.as_object_mut(), &explanation.unknown) {
            obj.insert("reason".into(), serde_json::json!(reason));
        }
        if let Some(obj) = v.as_object_mut() {
            obj.insert("explanation".into(), serde_json::json!(explanation));
        }
        if !a.bindings.is_empty() {
            if let Some(obj) = v.as_object_mut() {
                obj.insert(
                    "bindings".into(),
                    a.bindings
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                        .collect::<serde_json::Map<_, _>>()
                        .into(),
                );
            }
        }
        answers.push(v);
    }
    let provenance = q
        .scenario
        .provenance(std::slice::from_ref(&q.result.position), Some(*options))
        .map_err(|e| report_error(&e))?;
    let doc = serde_json::json!({
        "position": q.result.position,
        "answers": answers,
        "provenance": provenance,
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    Ok(out)
}

/// What is said when no answer is true or unknown.
pub(super) fn no_answer(result: &QueryResult) -> String {
    format!(
        "no answer is true or unknown for {} under {}\n",
        result.goal, result.position
    )
}

/// How many unknown answers of one question `opinio query` gives its detailed reason (the
/// missing facts named, each tried by evaluating again): the rest get the short one
/// ([`opinio::Scenario::classify_unknowns`], a few evaluations for all of them together), so
/// that a question over hundreds of operations does not explain each in full.
const DETAILED_REASONS: usize = 10;

/// Runs `opinio query`; with `exit_code`, the exit status says the answer (see
/// [`answer_status`]) and an error ends with 2.
pub(super) fn run(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    format: Format,
    goal: &str,
    exit_code: bool,
) -> ExitCode {
    let options = ExplainOptions::default();
    // The reasons of the unknown answers past the first few, in short, all at once.
    let short: RefCell<Option<Vec<Option<UnknownClass>>>> = RefCell::new(None);
    // `answer_each` gives the answers in order: where each stands, and how many unknown ones
    // came before it, are counted as they pass.
    let (seen, unknown_seen) = (Cell::new(0usize), Cell::new(0usize));
    let done = answer_each(
        args,
        files,
        position,
        format,
        goal,
        &options,
        false,
        |q, a| {
            // The line scripts read, unchanged; an unknown answer says why on the next line.
            let mut line = format!("{} = {}\n", a.atom, a.value.as_str());
            let index = seen.replace(seen.get() + 1);
            if a.value != Truth::Unknown {
                return Ok(line);
            }
            let answers = &q.result.answers;
            if unknown_seen.replace(unknown_seen.get() + 1) < DETAILED_REASONS {
                if let Some(why) = q.scenario.why_unknown(a).map_err(|e| report_error(&e))? {
                    line.push_str(&format!("  {}: {why}\n", Truth::Unknown.as_str()));
                }
                return Ok(line);
            }
            let mut short = short.borrow_mut();
            if short.is_none() {
                let unknown = answers.iter().filter(|x| x.value == Truth::Unknown).count();
                eprintln!(
                    "note: {unknown} answers are unknown: past the first {DETAILED_REASONS}, each says in short what it rests on; `opinio explain` on one of them names its missing facts"
                );
                *short = Some(
                    q.scenario
                        .classify_unknowns(answers)
                        .map_err(|e| report_error(&e))?,
                );
            }
            if let Some(Some(class)) = short.as_ref().and_then(|c| c.get(index)) {
                line.push_str(&format!("  {}: {class}\n", Truth::Unknown.as_str()));
            }
            Ok(line)
        },
    );
    let code = match (&done, exit_code) {
        (Ok(_), false) => ExitCode::SUCCESS,
        (Err(c), false) => *c,
        (Ok(q), true) => ExitCode::from(answer_status(&q.result.answers)),
        (Err(_), true) => ExitCode::from(2),
    };
    // The process ends next. Dropping the scenario frees its models one small allocation at
    // a time (a model per position compared: about a tenth of the command's time); the
    // operating system takes the memory back at once.
    std::mem::forget(done);
    code
}

/// The status of `opinio query --exit-code`: 0 if some answer is true (for a question
/// without variables, its one answer), 3 if none is true but some is unknown, 1 otherwise
/// (every answer false, or none).
pub(super) fn answer_status(answers: &[Answer]) -> u8 {
    if answers.iter().any(|a| a.value == Truth::True) {
        0
    } else if answers.iter().any(|a| a.value == Truth::Unknown) {
        3
    } else {
        1
    }
}

/// The shape `opinio query` and `opinio explain` share: evaluate the goal, then print the
/// JSON record (explanations bounded by `options`), or for text a line when nothing answers
/// and `text` of each answer (through a pager on a terminal if `page`); the question
/// evaluated, or the exit code of a failure (printed).
#[allow(clippy::too_many_arguments)]
pub(super) fn answer_each(
    args: &KbArgs,
    files: &[PathBuf],
    position: Option<&str>,
    format: Format,
    goal: &str,
    options: &ExplainOptions,
    page: bool,
    text: impl Fn(&Evaluated, &Answer) -> Result<String, ExitCode>,
) -> Result<Evaluated, ExitCode> {
    let q = evaluate(args, files, position, goal)?;
    let out = match format {
        Format::Json => json(&q, options)?,
        Format::Text => {
            let mut out = String::new();
            if q.result.answers.is_empty() {
                out.push_str(&no_answer(&q.result));
            }
            for a in &q.result.answers {
                out.push_str(&text(&q, a)?);
            }
            out
        }
    };
    if page && format == Format::Text {
        crate::pager::show(&out);
    } else {
        let _ = std::io::stdout().write_all(out.as_bytes());
    }
    Ok(q)
}
