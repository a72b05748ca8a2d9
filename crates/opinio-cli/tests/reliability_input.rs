//! Reliability on hostile input (issue 7): long lines, invisible characters, unknown escapes,
//! places counted in characters, and JSON entries that are not one fact. Each case is a row
//! of the table "Bad input and what the user sees" in `docs/reliability.md`. Long inputs are
//! generated here, never committed.

use assert_cmd::Command;
use opinio::diagnostic::{is_invisible, render};
use opinio::kb::KbFile;
use opinio::syntax::span::{FileId, SourceMap, Span};
use opinio::{KnowledgeBase, Scenario};
use std::path::Path;
use std::time::Duration;

mod common;
use common::{on_stack, tempdir, write};

/// Generous: the binary answers these in well under a second.
const TIMEOUT: Duration = Duration::from_secs(60);

fn opinio(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("opinio").unwrap_or_else(|e| panic!("binary: {e}"));
    c.env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .current_dir(dir)
        .timeout(TIMEOUT);
    c
}

/// Runs the binary in `dir`; returns its exit code and what it printed (both streams).
fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, String) {
    let out = opinio(dir).args(args).write_stdin(stdin).output();
    let out = out.unwrap_or_else(|e| panic!("opinio {args:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("panicked"),
        "opinio {args:?} panicked:\n{text}"
    );
    (out.status.code().unwrap_or(-1), text)
}

fn bundled() -> KnowledgeBase {
    KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{e}"))
}

/// The error of a refused scenario, rendered without colour.
fn scenario_error(text: &str) -> String {
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    match s.add_text("case.opinio", text) {
        Ok(_) => panic!("expected the scenario to be refused: {text:?}"),
        Err(e) => e.render(),
    }
}

/// The warnings of an accepted scenario, rendered without colour.
fn scenario_warnings(text: &str) -> String {
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    match s.add_text("case.opinio", text) {
        Ok(w) => render(&w, s.sources(), false),
        Err(e) => panic!("expected the scenario to be accepted: {}", e.render()),
    }
}

fn kb_error(text: &str) -> String {
    match KnowledgeBase::from_strings([("law.opinio", text)]) {
        Ok(_) => panic!("expected the knowledge base to be refused: {text:?}"),
        Err(e) => e.render(),
    }
}

/// A JSON scenario's error, as `opinio query -s case.json` shows it.
fn json_error(json: &str) -> String {
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    match s.load_source("case.json", json, true) {
        Ok(_) => panic!("expected the JSON scenario to be refused: {json}"),
        Err(e) => e.render(),
    }
}

/// A rendering with its wrapped lines joined: every run of spaces and `│` one space.
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The longest line of a rendering, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The `[file:line:col]` header of a rendering.
fn header(text: &str) -> &str {
    let start = text.find("─[").map_or(0, |i| i + "─[".len());
    let rest = text.get(start..).unwrap_or("");
    rest.get(..rest.find(']').unwrap_or(0)).unwrap_or("")
}

// ------------------------------------------------------------------ long lines

/// A label past column 65,535 made miette panic ("Formatting argument out of range"): exit
/// code 101. Now a window around the label, with the real column in the header.
#[test]
fn a_label_past_column_65535_is_shown_in_a_window() {
    let dir = tempdir();
    write(
        &dir.path().join("f.opinio"),
        format!("{}stat(x).\n", " ".repeat(70_000)),
    );
    let (code, out) = run(dir.path(), &["check", "f.opinio"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no predicate is named `stat`"), "{out}");
    assert_eq!(header(&out), "f.opinio:1:70001", "{out}");
    assert!(out.contains(" 1 │ …"), "{out}");
    assert!(out.contains("╰── unknown predicate"), "{out}");
    assert!(widest(&out) < 200, "{out}");
}

#[test]
fn a_syntax_error_on_a_long_line_is_shown_in_a_window() {
    let dir = tempdir();
    write(
        &dir.path().join("f.opinio"),
        format!("{}state(x\n", " ".repeat(70_000)),
    );
    let (code, out) = run(dir.path(), &["check", "f.opinio"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("expected `,` or `)`"), "{out}");
    assert_eq!(header(&out), "f.opinio:1:70007", "{out}");
    assert!(widest(&out) < 200, "{out}");
    // And a text that never ends, opened far right.
    let msg = scenario_error(&format!("{}source s \"never closed.", " ".repeat(70_000)));
    assert!(msg.contains("is never closed"), "{msg}");
    assert_eq!(header(&msg), "case.opinio:1:70010", "{msg}");
}

/// A minified file: 60 KB on one line, with a mistake in the middle. A short window with a
/// caret, `…` on both sides, the real column.
#[test]
fn a_minified_line_is_shown_as_a_short_window() {
    let mut text: String = (0..3_000).map(|i| format!("state(s{i}). ")).collect();
    let col = text.chars().count() + 1;
    text.push_str("stat(x). ");
    text.extend((3_000..6_000).map(|i| format!("state(s{i}). ")));
    assert!(text.len() > 60_000);
    let msg = scenario_error(&text);
    assert_eq!(header(&msg), format!("case.opinio:1:{col}"), "{msg}");
    let line = msg
        .lines()
        .find(|l| l.contains("stat(x)"))
        .unwrap_or_else(|| panic!("{msg}"));
    assert!(line.contains(" 1 │ …") && line.ends_with('…'), "{line}");
    assert!(line.chars().count() < 2 * 40 + 30, "{line}");
    assert!(msg.len() < 1_500, "{} bytes:\n{msg}", msg.len());
}

/// Two labels far apart on one long line: two windows, one `…` between them.
#[test]
fn labels_far_apart_on_one_line_get_a_window_each() {
    let text = format!("state(x). {}not state(x).", " ".repeat(70_000));
    let msg = scenario_error(&text);
    assert!(msg.contains("`state(x)` is stated true and false"), "{msg}");
    assert!(
        msg.contains("stated true here") && msg.contains("stated false here"),
        "{msg}"
    );
    let line = msg
        .lines()
        .find(|l| l.contains("not state(x)"))
        .unwrap_or_else(|| panic!("{msg}"));
    assert!(
        line.contains("state(x). ") && line.matches('…').count() == 1,
        "{line}"
    );
    assert!(widest(&msg) < 200, "{msg}");
}

/// Lines before and after the label's line are context: a long one is cut too.
#[test]
fn a_long_line_around_the_label_is_cut() {
    let long = format!("state(a). {}state(b).", " ".repeat(70_000));
    let msg = scenario_error(&format!("{long}\nstat(x).\n{long}\n"));
    assert_eq!(header(&msg), "case.opinio:2:1", "{msg}");
    assert!(msg.contains(" 1 │ state(a). "), "{msg}");
    assert!(msg.contains(" 3 │ state(a). "), "{msg}");
    assert!(widest(&msg) < 200, "{msg}");
}

/// A 100,000-deep `not not not …`, and one that starts past column 65,535.
#[test]
fn deep_nesting_far_right_is_shown_in_a_window() {
    let deep = "not ".repeat(100_000);
    for pad in [0, 70_000] {
        let text = format!(
            "source s \"S\".\ntype T.\npredicate p(x: T) means \"p\".\n{}rule r: p(X) if {deep}p(X) cites s.\n",
            " ".repeat(pad)
        );
        let run = move || kb_error(&text);
        let msg = on_stack(8 << 20, &format!("padding {pad}"), run);
        assert!(msg.contains("opinio::too_deep"), "{msg}");
        assert!(header(&msg).starts_with("law.opinio:4:"), "{msg}");
        assert!(widest(&msg) < 200, "{msg}");
    }
}

/// The JSON text's own diagnostics, far right.
#[test]
fn a_json_problem_far_right_is_shown_in_a_window() {
    let pad = " ".repeat(70_000);
    let msg = json_error(&format!("{{\"facts\": [{pad}1]}}"));
    assert!(
        flat(&msg).contains("(at column 70012): `facts[0]` is a number"),
        "{msg}"
    );
    assert_eq!(header(&msg), "case.json:1:70012", "{msg}");
    assert!(widest(&msg) < 200, "{msg}");
    let msg = json_error(&format!("{{\"facts\": [{pad}\"state(a). state(b)\"]}}"));
    assert!(msg.contains("`facts[0]` holds 2 statements"), "{msg}");
    assert_eq!(header(&msg), "case.json:1:70012", "{msg}");
    assert!(widest(&msg) < 200, "{msg}");
    // Through the binary.
    let dir = tempdir();
    write(
        &dir.path().join("case.json"),
        format!("{{\"facts\": [{pad}1]}}"),
    );
    let (code, out) = run(dir.path(), &["query", "-s", "case.json", "state(X)"], "");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("this is not a scenario in Opinio's JSON format"),
        "{out}"
    );
    assert!(widest(&out) < 200, "{out}");
}

/// The REPL printed the diagnostic of a long line by panicking, which ended the session.
#[test]
fn the_session_goes_on_after_a_long_line() {
    let dir = tempdir();
    let input = format!("{}stat(x).\nstate(ok).\n:facts\n", " ".repeat(70_000));
    let (code, out) = run(dir.path(), &["repl"], &input);
    assert_eq!(code, 1, "a line failed: {out}");
    assert!(out.contains("no predicate is named `stat`"), "{out}");
    assert!(out.contains("your line 1"), "{out}");
    assert!(out.contains("Nothing from this line was stated"), "{out}");
    assert!(out.contains("state(ok)"), "{out}");
    assert!(widest(&out) < 200, "{out}");
}

/// Any span over any text renders (a property over odd places: inside characters, past
/// the end, on line breaks, over a BOM).
#[test]
fn every_span_renders() {
    let texts = [
        "\u{FEFF}state(a).\r\nstat(é).\rx\n".to_string(),
        format!("{}é\n\n{}", "ab".repeat(300), "\u{200B}".repeat(300)),
        String::new(),
        "\n\n\n".to_string(),
    ];
    for text in &texts {
        let mut sources = SourceMap::new();
        let id = sources.add("t.opinio", text.as_str());
        let n = text.len();
        for start in (0..n + 3).step_by(7) {
            for end in [start, start + 1, start + 250, n + 5] {
                let d = opinio::Diagnostic::error(opinio::diagnostic::Code::Syntax, "m")
                    .with_label(Span::new(id, start, end), "a")
                    .with_label(Span::new(id, end, end), "b")
                    .with_label(Span::new(FileId(9), 0, 1), "elsewhere");
                let out = render(&[d], &sources, false);
                assert!(out.contains("× m"), "{out}");
                assert!(widest(&out) < 400, "{start}..{end}: {out}");
            }
        }
    }
}

// ------------------------------------------------------------------ invisible characters

/// Every character a diagnostic prints is visible: invisible ones are escaped.
fn assert_nothing_invisible(out: &str) {
    let hidden: Vec<String> = out
        .chars()
        .filter(|c| is_invisible(*c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(hidden.is_empty(), "printed raw: {hidden:?} in\n{out}");
}

#[test]
fn invisible_characters_are_escaped_in_diagnostics() {
    for (c, escaped) in [
        ('\u{200B}', "\\u{200B}"),
        ('\u{200F}', "\\u{200F}"),
        ('\u{202E}', "\\u{202E}"),
        ('\u{2066}', "\\u{2066}"),
        ('\u{FEFF}', "\\u{FEFF}"),
        ('\u{AD}', "\\u{00AD}"),
        ('\u{7}', "\\u{0007}"),
    ] {
        // In the snippet: a quoted name on the line of an error.
        let msg = scenario_error(&format!("stat(\"a{c}b\")."));
        assert!(msg.contains(&format!("stat(\"a{escaped}b\")")), "{msg}");
        assert_nothing_invisible(&msg);
        // In the message: what was found where something else was expected (a BOM
        // between words is a space, as in the grammar).
        if c == '\u{FEFF}' {
            continue;
        }
        let msg = scenario_error(&format!("state(a{c})."));
        assert!(
            msg.contains(&format!(
                "found the invisible character U+{:04X}",
                u32::from(c)
            )),
            "{msg}"
        );
        assert_nothing_invisible(&msg);
    }
    // A right-to-left override cannot reorder the line it is on.
    let msg = scenario_error("state(\"\u{202E}aisur\") stat(x).");
    assert!(msg.contains("\\u{202E}aisur"), "{msg}");
    assert_nothing_invisible(&msg);
}

#[test]
fn a_quoted_name_with_an_invisible_character_is_a_warning() {
    let out = scenario_warnings("state(\"rus\u{200B}sia\").");
    assert!(out.contains("opinio::invisible_character"), "{out}");
    assert!(
        out.contains("the name `\"rus\\u{200B}sia\"` holds an invisible character, U+200B (zero width space)"),
        "{out}"
    );
    assert!(
        out.contains("help: an invisible character makes a name"),
        "{out}"
    );
    assert_nothing_invisible(&out);
    let out = scenario_warnings("state(\"ukr\u{202E}aine\u{200D}\").");
    assert!(
        flat(&out).contains(
            "2 invisible characters: U+202E (right-to-left override), U+200D (zero width joiner)"
        ),
        "{out}"
    );
}

/// A tab or a line break inside a quoted name, typed as it is or as `\t` / `\n`, is a
/// control character in a name, refused like a carriage return (docs/language.md): they were
/// accepted, and every answer printed the break raw ("in words: x⏎y is a State").
#[test]
fn a_tab_or_a_line_break_in_a_quoted_name_is_an_error() {
    for (text, shown, what, retyped) in [
        (
            "state(\"a\tb\").",
            "`\"a\\u{0009}b\"`",
            "U+0009 (tab)",
            "`\"a b\"`",
        ),
        (
            "state(\"a\\tb\").",
            "`\"a\\u{0009}b\"`",
            "U+0009 (tab)",
            "`\"a b\"`",
        ),
        (
            "state(\"x\ny\").",
            "`\"x\\u{000A}y\"`",
            "U+000A (line break)",
            "`\"x y\"`",
        ),
        (
            "state(\"x\\ny\").",
            "`\"x\\u{000A}y\"`",
            "U+000A (line break)",
            "`\"x y\"`",
        ),
        (
            "state(\"x\r\ny\").",
            "`\"x\\u{000D}\\u{000A}y\"`",
            "U+000D (carriage return)",
            "`\"x y\"`",
        ),
    ] {
        let msg = scenario_error(text);
        let flat = flat(&msg);
        assert!(
            msg.contains("opinio::invisible_character"),
            "{text:?}: {msg}"
        );
        assert!(
            flat.contains(&format!("the name {shown} holds")) && flat.contains(what),
            "{text:?}: {msg}"
        );
        // The span points at the name, and the help says what to write instead.
        assert!(msg.contains("is inside this name"), "{text:?}: {msg}");
        assert!(
            flat.contains(&format!("retype the name without it: {retyped}")),
            "{text:?}: {msg}"
        );
        assert_nothing_invisible(&msg);
    }
    // In a title, a meaning or a note, `\n` and `\t` are still what the docs say they are.
    let kb = KnowledgeBase::from_strings([(
        "k.opinio",
        "source s \"A\\tB\\nC\".\ntype T.\npredicate p(x: T) means \"one\\ttwo\".\n",
    )]);
    assert!(kb.is_ok(), "{:?}", kb.err().map(|e| e.render()));
}

/// `"rus\u200bsia"` and `russia` were two States that look the same, silently.
#[test]
fn names_that_look_alike_are_a_warning() {
    let out = scenario_warnings("state(\"rus\u{200B}sia\").\nstate(russia).\n");
    assert!(
        out.contains("⚠ `russia` and `\"rus\\u{200B}sia\"` look alike but are two different names"),
        "{out}"
    );
    assert!(
        out.contains("this name") && out.contains("looks like this one"),
        "{out}"
    );
    assert!(
        out.contains("help: Opinio tells names apart character by character"),
        "{out}"
    );
    // Capitals, and spaces of another kind.
    let out = scenario_warnings("state(\"Fancy Bear\").\nstate(\"fancy\u{A0}bear\").\n");
    assert!(
        out.contains("`\"fancy\\u{00A0}bear\"` and `\"Fancy Bear\"` look alike"),
        "{out}"
    );
    let out = scenario_warnings("state(russia).\nstate(\"Russia \").\n");
    assert!(
        out.contains("`\"Russia \"` and `russia` look alike"),
        "{out}"
    );
    // Across files: an earlier scenario file, the knowledge base.
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    assert!(s.add_text("a.opinio", "state(russia).").is_ok());
    let w = s
        .add_text("b.opinio", "state(\"RUSSIA\").")
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let out = render(&w, s.sources(), false);
    assert!(
        out.contains("`\"RUSSIA\"` and `russia` look alike"),
        "{out}"
    );
    assert!(out.contains("see also a.opinio line 1"), "{out}");
    // Different names are not warned about.
    assert_eq!(
        scenario_warnings("state(russia). state(\"Fancy Bear\"). state(fancy_bear)."),
        ""
    );
}

#[test]
fn look_alike_names_in_a_knowledge_base_are_a_warning() {
    let law = "source s \"S\".\ntype Actor.\npredicate p(a: Actor) means \"p\".\npredicate q(a: Actor) means \"q\".\nrule r: p(X) if q(X) and q(\"Unit 26165\") cites s.\np(\"unit\u{2009}26165\").\n";
    let kb = KnowledgeBase::from_files(vec![KbFile {
        name: "law.opinio".into(),
        text: law.into(),
    }])
    .expect("look-alike names are only a warning");
    let diags = kb.warnings();
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["opinio::look_alike_names"], "{diags:?}");
    assert!(!diags.iter().any(|d| d.is_error()));
    // The bundled knowledge base has none.
    assert!(
        !bundled().warnings().iter().any(|d| matches!(
            d.code,
            opinio::diagnostic::Code::LookAlikeNames | opinio::diagnostic::Code::InvisibleCharacter
        )),
        "{:?}",
        bundled().warnings()
    );
}

// ------------------------------------------------------------------ escapes

/// `"a\qb"` was read as `aqb`, silently.
#[test]
fn an_unknown_escape_is_an_error() {
    let msg = scenario_error("state(\"a\\qb\").");
    assert!(msg.contains("opinio::unknown_escape"), "{msg}");
    assert!(
        msg.contains("× `\\q` is not an escape Opinio knows"),
        "{msg}"
    );
    assert_eq!(header(&msg), "case.opinio:1:9", "{msg}");
    assert!(
        msg.contains(" 1 │ state(\"a\\qb\").\n   ·         ─┬"),
        "{msg}"
    );
    assert!(
        flat(&msg).contains("help: inside a quoted text, a backslash starts one of these escapes: `\\\"` (a double quote), `\\\\` (a backslash), `\\n` (a line break), `\\t` (a tab)"),
        "{msg}"
    );
    assert!(flat(&msg).contains("write `\\\\q`"), "{msg}");
    // In a knowledge base's texts too, and in questions.
    let msg = kb_error("source s \"Tallinn\\ Manual\".\n");
    assert!(
        msg.contains("× a backslash followed by a space is not an escape Opinio knows"),
        "{msg}"
    );
    let kb = bundled();
    let s = Scenario::new(&kb);
    let e = s
        .query("state(\"a\\xb\")", None)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert!(
        e.render().contains("`\\x` is not an escape"),
        "{}",
        e.render()
    );
    // A backslash before an invisible character, or at a line's end.
    let msg = scenario_error("state(\"a\\\u{200B}b\").");
    assert!(
        msg.contains("× a backslash followed by the invisible character U+200B is not an escape"),
        "{msg}"
    );
    assert_nothing_invisible(&msg);
    let msg = scenario_error("state(\"a\\\nb\").");
    assert!(
        msg.contains("× a backslash at the end of a line is not an escape"),
        "{msg}"
    );
    // The escapes the language knows still work: in a name, `\"` and `\\` (a line break or
    // a tab is a control character, never part of a name); `\n` and `\t` in a text.
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    assert!(s.add_text("ok.opinio", "state(\"a\\\"b\\\\c\").").is_ok());
    assert!(
        KnowledgeBase::from_strings([("k.opinio", "source s \"a\\\"b\\\\c\\nd\\te\".")]).is_ok()
    );
}

// ------------------------------------------------------------------ places

/// Columns counted bytes in the header (a BOM shifted line 1 by three; accented names shifted
/// it too), and a lone CR was a line break in the header but not in the snippet.
#[test]
fn places_count_characters_after_a_bom() {
    let msg = scenario_error("\u{FEFF}stat(x).");
    assert_eq!(header(&msg), "case.opinio:1:1", "{msg}");
    assert!(msg.contains(" 1 │ stat(x)."), "{msg}");
    let msg = scenario_error("state(\"é\"). stat(x).");
    assert_eq!(header(&msg), "case.opinio:1:13", "{msg}");
    let msg = scenario_error("state(\"日本\").\n  state(\"ü\"). stat(x).");
    assert_eq!(header(&msg), "case.opinio:2:15", "{msg}");
    // The caret sits under `stat`, after the wide characters.
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    let e = s
        .add_text("case.opinio", "\u{FEFF}state(\"é\").\nstat(x).")
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    let d = e.errors().next().unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        d.one_line(&e.sources),
        "case.opinio:2:1: error: no predicate is named `stat`"
    );
}

#[test]
fn line_breaks_are_counted_one_way() {
    // `\r\n` ends a line, as `\n` does.
    let msg = scenario_error("state(a).\r\nstat(x).\r\n");
    assert_eq!(header(&msg), "case.opinio:2:1", "{msg}");
    assert!(msg.contains(" 2 │ stat(x)."), "{msg}");
    // A lone `\r` does not, in the header or in the snippet; it is shown escaped.
    let msg = scenario_error("state(a).\rstat(x).");
    assert_eq!(header(&msg), "case.opinio:1:11", "{msg}");
    assert!(msg.contains(" 1 │ state(a).\\u{000D}stat(x)."), "{msg}");
    assert_nothing_invisible(&msg);
}

#[test]
fn json_places_count_characters() {
    let msg = json_error("{\"id\": \"café ☕\", \"facts\": [1]}");
    assert!(
        flat(&msg).contains("(at column 28): `facts[0]` is a number"),
        "{msg}"
    );
    assert_eq!(header(&msg), "case.json:1:28", "{msg}");
    // An end of file after a final line break is pointed at the last thing written.
    let msg = json_error("{\"facts\": [\"state(a)\"\n");
    assert!(
        flat(&msg).contains("(at column 21): the text ends before the list is closed with `]`"),
        "{msg}"
    );
    assert_eq!(header(&msg), "case.json:1:21", "{msg}");
    assert!(msg.contains("╰── here"), "{msg}");
}

// ------------------------------------------------------------------ JSON entries

/// An entry held several statements, an `unknown …` or an `expect …` (which was then
/// ignored): now one entry is one fact, and anything else is an error naming the entry.
#[test]
fn a_json_entry_is_one_fact() {
    let cases = [
        (
            r#"{"facts": ["state(a)", "state(b). state(c)"]}"#,
            "`facts[1]` holds 2 statements, but an entry is one fact: `state(b). state(c)`",
            r#"give each fact an entry of its own: "facts": ["state(b)", "state(c)"]"#,
        ),
        (
            r#"{"facts": ["unknown state(a)"]}"#,
            "`facts[0]` starts with `unknown`: `unknown state(a)`",
            r#"put it in `unknown_facts` as "state(a)""#,
        ),
        (
            r#"{"facts": ["not state(a)"]}"#,
            "`facts[0]` starts with `not`: `not state(a)`",
            r#"put it in `negative_facts` as "state(a)""#,
        ),
        (
            r#"{"negative_facts": ["not state(a)"]}"#,
            "`negative_facts[0]` starts with `not`: `not state(a)`",
            "every entry of `negative_facts` is already stated false",
        ),
        (
            r#"{"facts": ["expect state(a) = true"]}"#,
            "`facts[0]` is an expectation (`expect …`), not a fact: `expect state(a) = true`",
            "a JSON scenario holds facts only",
        ),
        (
            r#"{"unknown_facts": ["state(a)", "type T"]}"#,
            "`unknown_facts[1]` is a declaration, not a fact: `type T`",
            "belong in the knowledge base",
        ),
        (
            r#"{"facts": ["state(a"]}"#,
            "`facts[0]` is not a fact (the text stops before the statement is finished: expected `,` or `)`): `state(a`",
            "each entry is a fact such as `state(astoria)`",
        ),
        (r#"{"facts": ["  "]}"#, "`facts[0]` is empty", "leave the entry out"),
    ];
    for (json, message, help) in cases {
        let msg = json_error(json);
        assert!(msg.contains("opinio::json_fact"), "{msg}");
        assert!(flat(&msg).contains(message), "{json}:\n{msg}");
        assert!(flat(&msg).contains(help), "{json}:\n{msg}");
        assert!(msg.contains("╰── this entry"), "{json}:\n{msg}");
    }
    // The label is on the entry's string.
    let msg = json_error(r#"{"id": "x", "facts": ["state(a)", "state(b). state(c)"]}"#);
    assert_eq!(header(&msg), "case.json:1:35", "{msg}");
    // One fact, spaces, a comment and a final full stop are fine.
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    let ok = s.load_source(
        "case.json",
        r#"{"facts": [" state(astoria) . ", "state(b) # the other one"], "negative_facts": ["state(c)."]}"#,
        true,
    );
    assert!(
        ok.is_ok(),
        "{}",
        ok.err().map(|e| e.render()).unwrap_or_default()
    );
    assert_eq!(s.facts().len(), 3);
}

/// The same through the binary: `query -s case.json` and `batch`.
#[test]
fn json_entries_through_the_binary() {
    let dir = tempdir();
    write(
        &dir.path().join("case.json"),
        r#"{"facts": ["state(a). expect state(a) = false"]}"#,
    );
    let (code, out) = run(dir.path(), &["query", "-s", "case.json", "state(X)"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("`facts[0]` holds 2 statements"), "{out}");
    let (_, out) = run(
        dir.path(),
        &["batch", "--input", "-", "--goals", "state(X)"],
        "{\"id\": 1, \"facts\": [\"unknown state(a)\"]}\n",
    );
    assert!(out.contains("`facts[0]` starts with `unknown`"), "{out}");
}

#[test]
fn the_binary_never_prints_an_invisible_character() {
    let dir = tempdir();
    write(
        &dir.path().join("f.opinio"),
        "state(\"a\u{202E}b\").\nstat(\"\u{200B}\").\n",
    );
    let (code, out) = opinio(dir.path())
        .args(["check", "f.opinio"])
        .output()
        .map(|o| {
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("\\u{200B}"), "{out}");
    assert_nothing_invisible(&out);
}
