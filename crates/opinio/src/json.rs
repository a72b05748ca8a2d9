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
use crate::source::{line_col_at, FileId, Span};
use crate::syntax;
use crate::syntax::ast::{Statement, Truth};
use serde::Deserialize;

/// A scenario as JSON: `{"id": …, "facts": [...], "negative_facts": [...], "unknown_facts":
/// [...]}`, each fact an atom in the language's syntax (`"state(norland)"`); unknown fields are
/// refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonScenario {
    /// Any JSON value identifying the scenario; echoed back by `opinio batch`.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// Facts stated true.
    #[serde(default)]
    pub facts: Vec<String>,
    /// Facts stated false.
    #[serde(default)]
    pub negative_facts: Vec<String>,
    /// Facts stated unknown on purpose.
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

/// Parses a JSON scenario object. Each entry of `facts`, `negative_facts` and
/// `unknown_facts` must be one fact (`state(astoria)`, a final `.` allowed): several
/// statements, a `not` or `unknown` in front, an `expect …` or a declaration in one entry is
/// an error naming the entry. The entries returned hold just the fact (spaces, comments and
/// the final `.` left out).
pub fn parse(text: &str) -> Result<JsonScenario, Diagnostic> {
    // serde would also read the fields from an array (`[]` as an empty scenario).
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if body.starts_with('[') {
        let at = text.len() - body.len();
        return Err(json_error(
            NOT_A_SCENARIO,
            "a scenario is an object `{...}`, not a list (a file of JSON lines holds one object a line)",
            text,
            at,
            false,
        ));
    }
    let mut scenario = serde_json::from_str::<JsonScenario>(text).map_err(|e| {
        let mut at = serde_offset(text, e.line(), e.column());
        // Past the end (after a final line break) there is nothing to point at: point at
        // the last thing written.
        if text.get(at..).is_some_and(|rest| rest.trim().is_empty()) {
            let written = text.trim_end();
            at = written
                .chars()
                .next_back()
                .map_or(at, |c| written.len() - c.len_utf8());
        }
        // serde's message ends with the place in bytes; Opinio's counts characters.
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let problem = full.strip_suffix(&suffix).unwrap_or(&full);
        match e.classify() {
            serde_json::error::Category::Data => {
                // Something other than an object: the whole of it is pointed at.
                if problem.ends_with("expected struct JsonScenario") {
                    let at = text.len() - body.len();
                    return json_error(
                        NOT_AN_OBJECT,
                        &format!(
                            "it is {}, where a scenario, an object `{{…}}`, was expected",
                            kind_words(problem)
                        ),
                        text,
                        at,
                        false,
                    );
                }
                json_error(
                    NOT_A_SCENARIO,
                    &data_words(problem, text, at),
                    text,
                    at,
                    e.line() > 0,
                )
            }
            _ => {
                // In a word that is not JSON (`not json`), serde stops on its second letter:
                // point at the word.
                if problem == "expected ident" {
                    let head = text.get(..at).unwrap_or("");
                    at -= head.len()
                        - head
                            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                            .len();
                }
                json_error(
                    NOT_JSON,
                    &syntax_words(problem, text, at),
                    text,
                    at,
                    e.line() > 0,
                )
            }
        }
    })?;
    for (field, list) in [
        ("facts", &mut scenario.facts),
        ("negative_facts", &mut scenario.negative_facts),
        ("unknown_facts", &mut scenario.unknown_facts),
    ] {
        for (i, entry) in list.iter_mut().enumerate() {
            match one_fact(field, entry) {
                Ok(atom) => *entry = atom,
                Err((problem, help)) => {
                    let d = Diagnostic::error(
                        crate::diagnostic::Code::JsonFact,
                        if entry.trim().is_empty() {
                            format!("`{field}[{i}]` {problem}")
                        } else {
                            format!("`{field}[{i}]` {problem}: `{}`", short(entry))
                        },
                    )
                    .with_help(help);
                    return Err(match entry_span(text, field, i) {
                        Some((start, end)) => at_place(d, start, end),
                        None => d,
                    });
                }
            }
        }
    }
    Ok(scenario)
}

/// The fact an entry holds (its text, without spaces, comments or the final `.`), or what is
/// wrong with it and what to do.
fn one_fact(field: &str, entry: &str) -> Result<String, (String, String)> {
    let file = FileId(0);
    let not_one = match syntax::parse_query(file, entry) {
        Ok(atom) => {
            let text = entry.get(atom.span.start as usize..atom.span.end as usize);
            return Ok(text.unwrap_or(entry).to_string());
        }
        Err(e) => e.diagnostic.message,
    };
    let example = "a fact such as `state(astoria)`";
    let body = entry.trim();
    if body.is_empty() {
        return Err((
            "is empty".to_string(),
            format!("write {example}, or leave the entry out"),
        ));
    }
    let statement = if body.ends_with('.') {
        body.to_string()
    } else {
        format!("{body}.")
    };
    let parsed = match syntax::parse_file(file, &statement) {
        Ok(f) => f,
        Err(e) => {
            // What is said of a question (`a question asks about one statement at a time`)
            // does not fit an entry of facts: then the entry is read as a statement.
            let why = if not_one.starts_with("a question ") {
                e.diagnostic.message
            } else {
                not_one
            };
            return Err((
                format!("is not a fact ({why})"),
                format!("each entry is {example}, written as in a `.opinio` file, without `not`, `unknown` or `expect`"),
            ));
        }
    };
    let part = |s: &Statement| {
        let span = s.span();
        let t = statement
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        t.trim_end_matches('.').trim().to_string()
    };
    match parsed.statements.as_slice() {
        [] => Err((
            "holds no fact, only a comment".to_string(),
            format!("write {example}, or leave the entry out"),
        )),
        [Statement::Fact(f)] if f.value != Truth::True => {
            let (word, home) = match f.value {
                Truth::False => ("not", "negative_facts"),
                _ => ("unknown", "unknown_facts"),
            };
            let atom = statement
                .get(f.atom.span.start as usize..f.atom.span.end as usize)
                .unwrap_or("");
            let json = serde_json::to_string(atom).unwrap_or_default();
            let help = if field == home {
                format!("every entry of `{field}` is already stated {}; write the fact without `{word}`: {json}", f.value.as_str())
            } else {
                format!("`{field}` lists facts as they are written, without `{word}`: put it in `{home}` as {json}")
            };
            Err((format!("starts with `{word}`"), help))
        }
        [Statement::Expect(_)] => Err((
            "is an expectation (`expect …`), not a fact".to_string(),
            "a JSON scenario holds facts only: put expectations in an `.opinio` file".to_string(),
        )),
        [Statement::Fact(_)] => Err((
            "is not a fact".to_string(),
            format!("each entry is {example}"),
        )),
        [_] => Err((
            "is a declaration, not a fact".to_string(),
            "declarations and rules belong in the knowledge base, not in a scenario".to_string(),
        )),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|s| serde_json::to_string(&part(s)).unwrap_or_default())
                .collect();
            Err((
                format!("holds {} statements, but an entry is one fact", many.len()),
                format!(
                    "give each fact an entry of its own: \"{field}\": [{}]",
                    parts.join(", ")
                ),
            ))
        }
    }
}

/// An entry as a message quotes it: at most 80 characters.
fn short(entry: &str) -> String {
    let entry = entry.trim();
    match entry.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", entry.get(..cut).unwrap_or(entry)),
        None => entry.to_string(),
    }
}

/// The byte offset serde_json means by a line and column (its column counts the bytes read
/// on the line, so the problem is at the byte before).
fn serde_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0usize;
    for (i, ln) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            offset += column.saturating_sub(1).min(ln.len());
            break;
        }
        offset += ln.len();
    }
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// The string literal of `field[index]` in a JSON text that serde read without complaint:
/// byte offsets of its opening quote and just past its closing one.
fn entry_span(text: &str, field: &str, index: usize) -> Option<(usize, usize)> {
    let mut found = None;
    walk(text, text.len(), |key, i, span| {
        if key == Some(field) && i == index {
            found = Some(span);
            return false;
        }
        true
    });
    found
}

/// Walks a JSON text up to byte `upto` (serde may have refused it): tracks the field of the
/// top-level object being read and the place of the entry in its list (the commas before
/// it), and calls `entry` on each quoted text in such a list, with that field, that place and
/// the text's byte span (opening quote to just past the closing one), until `entry` returns
/// `false`. Returns the field and the place reached. Quoted texts are skipped whole, escapes
/// included, so brackets and commas inside them count for nothing.
fn walk(
    text: &str,
    upto: usize,
    mut entry: impl FnMut(Option<&str>, usize, (usize, usize)) -> bool,
) -> (Option<String>, usize) {
    let mut depth = 0usize;
    let mut string_start: Option<usize> = None;
    let mut escaped = false;
    let mut last_string: Option<(usize, usize)> = None;
    let mut key: Option<String> = None;
    let mut index = 0usize;
    // Whether the list being read at depth 2 is a field's value (`[`), not an object.
    let mut in_list = false;
    for (i, c) in text.bytes().enumerate().take(upto) {
        if let Some(start) = string_start {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                string_start = None;
                let span = (start, i + 1);
                if depth == 2 && in_list && !entry(key.as_deref(), index, span) {
                    return (key, index);
                }
                if depth == 1 {
                    last_string = Some(span);
                }
            }
            continue;
        }
        match c {
            b'"' => string_start = Some(i),
            b':' if depth == 1 => {
                key = last_string
                    .and_then(|(s, e)| text.get(s..e))
                    .and_then(|k| serde_json::from_str::<String>(k).ok());
                index = 0;
            }
            b',' if depth == 2 => index += 1,
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 {
                    in_list = c == b'[';
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth < 2 {
                    in_list = false;
                }
            }
            _ => {}
        }
    }
    (key, index)
}

/// The first words of a message about JSON text that is not JSON at all.
pub const NOT_JSON: &str = "this is not valid JSON";
/// The first words of a message about JSON that is not an object.
pub const NOT_AN_OBJECT: &str = "this is not a JSON object";
/// The first words of a message about a JSON object that is not a scenario.
pub const NOT_A_SCENARIO: &str = "this is not a scenario in Opinio's JSON format";

/// `heading (at line L, column C): problem`, the place in characters (`at column C` in a text
/// of one line) when `with_place`.
fn json_error(heading: &str, problem: &str, text: &str, at: usize, with_place: bool) -> Diagnostic {
    let (line, column) = line_col_at(text, at);
    let place = if !with_place {
        String::new()
    } else if text.trim().contains('\n') {
        format!(" (at line {line}, column {column})")
    } else {
        format!(" (at column {column})")
    };
    let d = Diagnostic::error(
        crate::diagnostic::Code::Json,
        format!("{heading}{place}: {problem}"),
    )
    .with_help(
        "a scenario is one JSON object, such as {\"facts\": [\"state(astoria)\"], \"negative_facts\": [], \"unknown_facts\": []}; `opinio batch` reads one such object a line",
    );
    at_place(d, at, at)
}

/// What serde_json says of text that is not JSON (`EOF while parsing a list`), in a reader's
/// words.
fn syntax_words(problem: &str, text: &str, at: usize) -> String {
    let any_value =
        "a quoted text \"…\", a list `[…]`, an object `{…}`, a number, `true`, `false` or `null`";
    match problem {
        "EOF while parsing a list" => "the text ends before the list is closed with `]`".to_string(),
        "EOF while parsing an object" => {
            "the text ends before the object is closed with `}`".to_string()
        }
        "EOF while parsing a string" => {
            "the text ends inside a quoted text, which is never closed with `\"`".to_string()
        }
        "EOF while parsing a value" => format!("the text ends where a value was expected: {any_value}"),
        "expected `:`" => "a `:` should follow the name of the field".to_string(),
        "expected `,` or `]`" => {
            "the entries of a list are separated by `,` and the list ends with `]`".to_string()
        }
        "expected `,` or `}`" => {
            "the fields of an object are separated by `,` and the object ends with `}`".to_string()
        }
        "expected ident" => {
            let word: String = text
                .get(at..)
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .take(40)
                .collect();
            format!("`{word}` is not a JSON value: a word is written in double quotes, \"like this\"")
        }
        "expected value" => format!("a value was expected here: {any_value}"),
        "expected `\"`" => "a `\"` was expected here".to_string(),
        "key must be a string" => {
            "the name of a field is written in double quotes, like \"facts\"".to_string()
        }
        "invalid escape" => {
            "a `\\` in a quoted text starts an escape JSON does not know (a backslash itself is written `\\\\`)".to_string()
        }
        "invalid unicode code point"
        | "lone leading surrogate in hex escape"
        | "unexpected end of hex escape" => {
            "a `\\u` escape in a quoted text does not stand for a whole character (`\\ud800` alone is half of one): write the character itself".to_string()
        }
        "invalid number" => "a number is not written the way JSON writes numbers".to_string(),
        "number out of range" => "a number is too large".to_string(),
        "trailing comma" => {
            "a `,` is followed by nothing: remove the last `,` before `]` or `}`".to_string()
        }
        "trailing characters" => {
            "something follows the `}` that ends the scenario: a scenario is one object".to_string()
        }
        "recursion limit exceeded" => "lists or objects are nested too deeply".to_string(),
        p if p.starts_with("control character") => {
            "a quoted text holds a line break, a tab or another control character: write it as `\\n` or `\\t`".to_string()
        }
        _ => "the text is not written the way JSON requires".to_string(),
    }
}

/// What serde_json says of a JSON value that is not a scenario (`invalid type: integer `1`,
/// expected a string`), in a reader's words: the field, what it holds, what it should hold.
fn data_words(problem: &str, text: &str, at: usize) -> String {
    let fields = "the fields are `id`, `facts`, `negative_facts` and `unknown_facts`";
    let quoted = |p: &str, start: &str| {
        p.strip_prefix(start)
            .and_then(|r| r.split('`').next())
            .unwrap_or("")
            .to_string()
    };
    if problem.starts_with("unknown field `") {
        let name = quoted(problem, "unknown field `");
        let names = ["id", "facts", "negative_facts", "unknown_facts"];
        let guess = crate::diagnostic::suggest::did_you_mean(&name, names)
            .map(|g| format!(" (did you mean `{g}`?)"))
            .unwrap_or_default();
        return format!("`{name}` is not a field of a scenario{guess}: {fields}");
    }
    if problem.starts_with("duplicate field `") {
        let name = quoted(problem, "duplicate field `");
        return format!(
            "the field `{name}` is given twice: give it once, with all its entries in one list"
        );
    }
    let (field, index) = field_at(text, at);
    let what = kind_words(problem);
    if problem.ends_with("expected a sequence") {
        return match field {
            Some(f) => format!("`{f}` holds {what}, but it is a list of facts in square brackets, such as [\"state(astoria)\"]"),
            None => format!("a value is {what}, where a list of facts in square brackets was expected"),
        };
    }
    if problem.ends_with("expected a string") {
        return match field {
            Some(f) => format!("`{f}[{index}]` is {what}, but each fact is a quoted text, such as \"state(astoria)\""),
            None => format!("a value is {what}, where a fact in double quotes was expected"),
        };
    }
    match field {
        Some(f) => format!("`{f}` holds {what}, which a scenario does not allow there: {fields}, each a list of facts in double quotes"),
        None => format!("the scenario holds {what} where a scenario does not allow it: {fields}, each a list of facts in double quotes"),
    }
}

/// The kind of value serde_json found (`invalid type: integer `1`, …`), in words.
fn kind_words(problem: &str) -> String {
    let found = problem
        .strip_prefix("invalid type: ")
        .or_else(|| problem.strip_prefix("invalid value: "))
        .unwrap_or("");
    if found.starts_with("string") {
        "a quoted text".to_string()
    } else if found.starts_with("integer") || found.starts_with("floating point") {
        "a number".to_string()
    } else if found.starts_with("boolean `true`") {
        "`true`".to_string()
    } else if found.starts_with("boolean `false`") {
        "`false`".to_string()
    } else if found.starts_with("null") || found.starts_with("unit") {
        "`null`".to_string()
    } else if found.starts_with("sequence") {
        "a list `[…]`".to_string()
    } else if found.starts_with("map") {
        "an object `{…}`".to_string()
    } else {
        "a value of another kind".to_string()
    }
}

/// The field of the scenario object whose value runs over byte `at`, and how many entries of
/// its list come before `at`.
fn field_at(text: &str, at: usize) -> (Option<String>, usize) {
    walk(text, at, |_, _, _| true)
}

/// Remembers a place in the JSON text (byte offsets), for [`locate`]: the text is not in a
/// source map yet.
fn at_place(mut d: Diagnostic, start: usize, end: usize) -> Diagnostic {
    d.labels.push(crate::diagnostic::Label {
        span: Span::new(FileId(u32::MAX), start, end),
        text: String::new(),
    });
    d
}

/// Points the place remembered by [`parse`] into the JSON text, now loaded as `file`.
pub fn locate(mut d: Diagnostic, file: FileId, text: &str) -> Diagnostic {
    let json_fact = d.code == crate::diagnostic::Code::JsonFact;
    if let Some(l) = d
        .labels
        .iter_mut()
        .find(|l| l.span.file == FileId(u32::MAX))
    {
        let mut start = (l.span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let mut end = (l.span.end as usize).clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        // A place is shown as the character there (miette does not show an empty label on
        // a last line without a line break).
        if end == start {
            end += text
                .get(start..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
        }
        l.span = Span::new(file, start, end);
        l.text = if json_fact { "this entry" } else { "here" }.to_string();
    }
    d
}
