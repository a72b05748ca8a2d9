//! The JSON scenario format: one object per scenario, facts written as in the language.
//!
//! ```json
//! {"id": "case-7",
//!  "facts": ["state(astoria)", "operation(op)", "conducted_by(op, unit_1)"],
//!  "negative_facts": ["coercive(op, astoria)"],
//!  "unknown_facts": ["organ_of(unit_1, borduria)"]}
//! ```
//! A fact about a derived predicate (e.g. `attributable(op, borduria)`) is a stipulation, as
//! in `.opinio` files. `id` is optional and is echoed in batch output.

use crate::diagnostic::Diagnostic;
use crate::syntax::span::{FileId, Span};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonScenario {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub facts: Vec<String>,
    #[serde(default)]
    pub negative_facts: Vec<String>,
    #[serde(default)]
    pub unknown_facts: Vec<String>,
}

impl JsonScenario {
    /// The scenario as `.opinio` text, one fact a line.
    pub fn to_opinio(&self) -> String {
        let mut out = String::new();
        for (prefix, list) in [
            ("", &self.facts),
            ("not ", &self.negative_facts),
            ("unknown ", &self.unknown_facts),
        ] {
            for f in list {
                let f = f.trim().trim_end_matches('.');
                out.push_str(prefix);
                out.push_str(f);
                out.push_str(".\n");
            }
        }
        out
    }
}

/// Reads a JSON scenario and returns it as `.opinio` text. The error carries the line and
/// column of the problem in its message (see [`locate`]).
pub fn parse_scenario(text: &str) -> Result<String, Diagnostic> {
    parse(text).map(|s| s.to_opinio())
}

/// Parses a JSON scenario object.
pub fn parse(text: &str) -> Result<JsonScenario, Diagnostic> {
    // serde would also read the fields from an array (`[]` as an empty scenario).
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if body.starts_with('[') {
        let before = text.get(..text.len() - body.len()).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(json_error(
            "a scenario is an object `{...}`, not a list (`opinio batch` reads one object a line)",
            line,
            column,
        ));
    }
    serde_json::from_str::<JsonScenario>(text)
        .map_err(|e| json_error(&e.to_string(), e.line(), e.column()))
}

fn json_error(problem: &str, line: usize, column: usize) -> Diagnostic {
    let mut d = Diagnostic::error(
        "opinio::json",
        format!("this is not a scenario in Opinio's JSON format: {problem}"),
    )
    .with_help(
        "a scenario is an object such as {\"facts\": [\"state(astoria)\"], \"negative_facts\": [], \"unknown_facts\": []}",
    );
    // Remember where, for `locate`.
    d.labels.push(crate::diagnostic::Label {
        span: Span {
            file: FileId(u32::MAX),
            start: u32::try_from(line).unwrap_or(0),
            end: u32::try_from(column).unwrap_or(0),
        },
        text: String::new(),
    });
    d
}

/// Turns the line/column remembered by [`parse`] into a span over the JSON text.
pub fn locate(mut d: Diagnostic, file: FileId, text: &str) -> Diagnostic {
    if let Some(l) = d
        .labels
        .iter_mut()
        .find(|l| l.span.file == FileId(u32::MAX))
    {
        let (line, col) = (l.span.start as usize, l.span.end as usize);
        let mut offset = 0usize;
        for (i, ln) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                offset += col.saturating_sub(1).min(ln.len());
                break;
            }
            offset += ln.len();
        }
        let mut offset = offset.min(text.len());
        while offset < text.len() && !text.is_char_boundary(offset) {
            offset += 1;
        }
        l.span = Span::new(file, offset, offset);
        l.text = "here".to_string();
    }
    d
}
