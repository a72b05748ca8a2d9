//! Mistakes a reader who is not a programmer makes, on the real binary: each is answered in
//! the language's own terms, with where it is and what to do, and never in the words of the
//! parser or of the JSON library underneath.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const NOTPETYA: &str = "../opinio/tests/scenarios/notpetya.opinio";

/// A diagnostic's text with miette's line wrapping undone.
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn stderr_of(args: &[&str]) -> String {
    let out = opinio().args(args).output().expect("runs");
    assert!(!out.status.success(), "{args:?} should fail");
    flat(&String::from_utf8_lossy(&out.stderr))
}

// ------------------------------------------------------------------ questions

#[test]
fn a_question_starting_with_not_is_asked_without_it() {
    let err = stderr_of(&["query", "-s", NOTPETYA, "not state(russia)"]);
    assert!(
        err.contains("a question asks about one statement, without `not`"),
        "{err}"
    );
    assert!(
        err.contains("help: ask `state(russia)` and read whether the answer is false"),
        "{err}"
    );
    assert!(!err.contains("reserved word"), "{err}");
    assert!(!err.contains("not_"), "{err}");
}

#[test]
fn a_question_joining_two_with_and_is_asked_one_at_a_time() {
    let err = stderr_of(&["query", "-s", NOTPETYA, "state(a) and state(b)"]);
    assert!(
        err.contains("a question asks about one statement at a time"),
        "{err}"
    );
    assert!(err.contains("ask `state(a)`, then `state(b)`"), "{err}");
    assert!(!err.contains("full stop"), "{err}");
    assert!(!err.contains("rule conditions"), "{err}");
}

#[test]
fn the_session_answers_the_same_slips_and_goes_on() {
    let out = opinio()
        .arg("repl")
        .write_stdin("state(a).\n? not state(a)\n? state(a) and state(a)\n? state(a)\n")
        .output()
        .expect("runs");
    let text = flat(&String::from_utf8_lossy(&out.stdout));
    assert!(
        text.contains("ask `state(a)` and read whether the answer is false"),
        "{text}"
    );
    assert!(text.contains("one statement at a time"), "{text}");
    assert!(text.contains("state(a) = true"), "{text}");
}

// ------------------------------------------------------------------ scenario files

fn scenario_file(text: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.opinio");
    std::fs::write(&path, text).expect("written");
    (dir, path)
}

#[test]
fn an_expectation_starting_with_not_is_rewritten_with_false() {
    let (_dir, path) = scenario_file(b"state(a).\nexpect not state(a) = true.\n");
    let err = stderr_of(&["check", path.to_str().expect("a UTF-8 path")]);
    assert!(
        err.contains("an expectation is about one statement, without `not`"),
        "{err}"
    );
    assert!(
        err.contains("help: write `expect state(a) = false.`"),
        "{err}"
    );
    assert!(err.contains("case.opinio:2:8"), "{err}");
    assert!(!err.contains("reserved word"), "{err}");
}

#[test]
fn a_question_mark_in_a_file_points_to_the_session_and_to_expect() {
    let (_dir, path) = scenario_file(b"state(a).\n? state(a).\n");
    let err = stderr_of(&["check", path.to_str().expect("a UTF-8 path")]);
    assert!(
        err.contains("a file cannot ask a question with `?`"),
        "{err}"
    );
    assert!(err.contains("opinio query"), "{err}");
    assert!(err.contains("`expect state(a) = true.`"), "{err}");
    assert!(err.contains("case.opinio:2:1"), "{err}");
    assert!(!err.contains("something else"), "{err}");
}

#[test]
fn a_file_not_in_utf8_is_refused_where_its_first_bad_byte_stands() {
    // `café` saved in Latin-1: the `é` is the byte 0xE9.
    let saved: &[u8] = b"state(a).\nexpect state(caf\xe9) = true.\n";
    let (_dir, path) = scenario_file(saved);
    let shown = path.to_str().expect("a UTF-8 path");
    for args in [vec!["check", shown], vec!["query", "-s", shown, "state(a)"]] {
        let err = stderr_of(&args);
        assert!(
            err.contains("is not UTF-8 text: at line 2, column 17 (just after `expect state(caf`)"),
            "{err}"
        );
        assert!(
            err.contains("help: save the file again with the encoding UTF-8"),
            "{err}"
        );
        assert!(!err.contains('\u{FFFD}'), "{err}");
        assert!(!err.contains("expected a name"), "{err}");
    }
    // In the session: `:load` refuses it, the session goes on, and the file is untouched.
    let out = opinio()
        .arg("repl")
        .write_stdin(format!(":load {shown}\nstate(b).\n? state(b)\n"))
        .output()
        .expect("runs");
    let text = flat(&String::from_utf8_lossy(&out.stdout));
    assert!(
        text.contains("is not UTF-8 text: at line 2, column 17"),
        "{text}"
    );
    assert!(text.contains("state(b) = true"), "{text}");
    assert_eq!(std::fs::read(&path).expect("still there"), saved);
}

// ------------------------------------------------------------------ batch records

#[test]
fn batch_error_records_are_in_plain_words_and_all_have_help() {
    let mut f = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("temp file");
    f.write_all(b"\"just a string\"\n").expect("write");
    f.write_all(b"not json at all\n").expect("write");
    f.write_all(b"\"\\ud800\"\n").expect("write");
    f.write_all(b"{\"facts\": [\"state(\xff)\"]}\n")
        .expect("write");
    f.write_all(b"{\"facts\": [1]}\n").expect("write");
    f.write_all(b"{\"facts\": \"state(a)\"}\n").expect("write");
    f.flush().expect("flush");
    let out = opinio()
        .args(["batch", "--input"])
        .arg(f.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let recs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert_eq!(recs.len(), 6, "{recs:?}");
    let wanted = [
        "the line is not a JSON object: it is a quoted text",
        "the line is not valid JSON (at column 1): `not` is not a JSON value",
        "the line is not valid JSON (at column 8): a `\\u` escape in a quoted text does not stand for a whole character",
        "the line is not UTF-8 text (at column 19)",
        "(at column 12): `facts[0]` is a number, but each fact is a quoted text",
        "(at column 20): `facts` holds a quoted text, but it is a list of facts",
    ];
    for (i, (rec, want)) in recs.iter().zip(wanted).enumerate() {
        assert_eq!(rec["line"], i + 1, "{rec}");
        let error = rec["error"].as_str().expect("an error record");
        assert!(error.contains(want), "line {}: {error}", i + 1);
        for internal in [
            "JsonScenario",
            "invalid type",
            "expected ident",
            "hex escape",
            "EOF",
            "sequence",
        ] {
            assert!(!error.contains(internal), "line {}: {error}", i + 1);
        }
        let help = rec["help"].as_str().unwrap_or("");
        assert!(!help.is_empty(), "line {} has no help: {rec}", i + 1);
    }
    assert!(recs[3]["help"]
        .as_str()
        .is_some_and(|h| h.contains("UTF-8")));
}

#[test]
fn a_fact_joined_with_and_is_not_called_a_question() {
    let mut f = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("temp file");
    f.write_all(b"{\"facts\": [\"state(a) and state(b)\"]}\n")
        .expect("write");
    f.flush().expect("flush");
    let out = opinio()
        .args(["batch", "--input"])
        .arg(f.path())
        .output()
        .expect("runs");
    let line = String::from_utf8_lossy(&out.stdout);
    let rec: Value = serde_json::from_str(line.trim()).expect("one JSON record");
    let error = rec["error"].as_str().expect("an error record");
    assert!(error.contains("`facts[0]` is not a fact"), "{error}");
    assert!(!error.contains("question"), "{error}");
    assert!(rec["help"].as_str().is_some_and(|h| !h.is_empty()), "{rec}");
}

/// A line with several problems says the next ones too, not "and 1 more".
#[test]
fn a_batch_line_with_two_problems_names_both() {
    let out = opinio()
        .args(["batch", "-i", "-"])
        .write_stdin("{\"facts\":[\"state(x)\"],\"unknown_facts\":[\"state(x)\"]}\n")
        .output()
        .expect("runs");
    let rec: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("a record");
    let error = rec["error"].as_str().expect("an error record");
    assert!(error.contains("is stated true and unknown"), "{error}");
    assert!(
        error.contains("; also: `state(x)` cannot be unknown"),
        "{error}"
    );
    assert!(!error.contains("more)"), "{error}");
}
