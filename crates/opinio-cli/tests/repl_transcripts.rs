//! Transcript tests of the interactive session: each script in `tests/transcripts/*.txt` is
//! piped into `opinio` (which echoes every line after its prompt, `OPINIO_ECHO=1`), and the
//! whole output is checked against an insta snapshot. The scripts run in a fresh temporary
//! folder holding copies of the `.opinio` files of `tests/transcripts/` and `tests/invalid/`, so that `:load` and
//! `:save` use short relative names and nothing is written into the repository.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn transcripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts")
}

/// Runs a script; the transcript (stdout, then stderr if any, then the exit code) and the
/// folder it ran in.
fn run(script: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    // `tests/invalid/` holds the deliberately broken files (`broken.opinio`), which
    // `opinio test tests` leaves out.
    let folders = [transcripts(), transcripts().with_file_name("invalid")];
    let entries = folders
        .iter()
        .flat_map(|f| std::fs::read_dir(f).unwrap_or_else(|e| panic!("{e}")));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_some_and(|x| x == "opinio") {
            let name = path.file_name().unwrap_or_default();
            std::fs::copy(&path, dir.path().join(name)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let input = std::fs::read_to_string(transcripts().join(script))
        .unwrap_or_else(|e| panic!("cannot read {script}: {e}"));
    let output = Command::cargo_bin("opinio")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("OPINIO_ECHO", "1")
        .env("OPINIO_HISTORY", "0")
        .write_stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    text.push_str(&format!(
        "--- exit code: {} ---\n",
        output.status.code().unwrap_or(-1)
    ));
    (text, dir)
}

#[test]
fn tour() {
    let (t, dir) = run("tour.txt");
    insta::assert_snapshot!("tour", t);
    let saved = std::fs::read_to_string(dir.path().join("my_case.opinio"))
        .unwrap_or_else(|e| panic!("the tour saves its case: {e}"));
    assert!(saved.contains("feasible_measures_available(arcadia, blackout)."));
    assert!(saved.contains("not took_feasible_measures(arcadia, blackout)."));
    assert!(t.contains(
        "Verdict under tallinn2: breaches_due_diligence(arcadia, blackout, borduria) is true."
    ));
    assert!(!t.contains("error"), "the tour runs without any error");
}

#[test]
fn every_command() {
    let (t, dir) = run("commands.txt");
    insta::assert_snapshot!("commands", t);
    let saved = std::fs::read_to_string(dir.path().join("session.opinio"))
        .unwrap_or_else(|e| panic!("`:save` wrote the file: {e}"));
    assert!(saved.starts_with("# Saved by Opinio.\n"));
    assert!(saved.contains("organ_of(gru_unit_74455, russia)."));
    let dot = std::fs::read_to_string(dir.path().join("attribution.dot"))
        .unwrap_or_else(|e| panic!("`:graph` wrote the file: {e}"));
    assert!(dot.starts_with("digraph opinio {") && dot.ends_with("}\n"));
    // Without a file, `:graph` writes a new one in the current folder and says where.
    // A picture a browser opens, with its legend.
    let default = std::fs::read_to_string(dir.path().join("opinio-graph-prosecutable_in.svg"))
        .unwrap_or_else(|e| panic!("`:graph PREDICATE` wrote its default file: {e}"));
    assert!(default.starts_with("<svg"));
    assert!(default.contains("a fact a scenario states"));
    let memo = std::fs::read_to_string(dir.path().join("memo.md"))
        .unwrap_or_else(|e| panic!("`:report` wrote the memo: {e}"));
    assert!(
        memo.starts_with("# Memorandum: notpetya.opinio, and facts stated in the session\n"),
        "{memo}"
    );
    assert!(
        memo.contains("Whether notpetya violates the sovereignty of denmark"),
        "{memo}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );
    for c in opinio_cli::repl::commands::COMMANDS {
        assert!(
            t.contains(&format!("> :{}", c.name)),
            "the transcript runs `:{}`",
            c.name
        );
    }
    assert!(
        !t.contains("this line is never read"),
        ":quit ends the session"
    );
}

#[test]
fn mistakes_in_the_middle() {
    let (t, _dir) = run("mistakes.txt");
    insta::assert_snapshot!("mistakes", t);
    assert!(
        t.ends_with("--- exit code: 1 ---\n"),
        "a script with mistakes fails at the end"
    );
    assert!(
        t.contains("violates_sovereignty(op, astoria) = true"),
        "the session goes on after its mistakes"
    );
}

#[test]
fn interviews() {
    let (t, _dir) = run("interview.txt");
    insta::assert_snapshot!("interview", t);
}

#[test]
fn multi_line_statements() {
    let (t, _dir) = run("multiline.txt");
    insta::assert_snapshot!("multiline", t);
}

#[test]
fn first_minute() {
    let (t, _dir) = run("first_minute.txt");
    insta::assert_snapshot!("first_minute", t);
    assert!(t.contains("Did you mean `:help`?"));
    assert!(t.contains("use `:quit` or Ctrl-D"));
    assert!(
        t.contains("violates_sovereignty(notpetya, ukraine) = true"),
        "a trailing `?` asks"
    );
    assert!(
        !t.contains("is used as"),
        "a withdrawn fact leaves no type behind: {t}"
    );
    assert!(
        t.contains(", assuming attributable(blackout, arcadia) — "),
        "an answer resting on an assumption says so"
    );
    assert!(
        t.contains("note: 1 fact stated in this session is in no file (`:save FILE` keeps it)."),
        "one fact is singular"
    );
}

#[test]
fn scenario_given_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        transcripts().join("notpetya.opinio"),
        dir.path().join("notpetya.opinio"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Command::cargo_bin("opinio")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(dir.path())
        .args(["repl", "--scenario", "notpetya.opinio"])
        .env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .env_remove("OPINIO_ECHO")
        .write_stdin("? violates_sovereignty(notpetya, ukraine)\n")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&output.stdout);
    insta::assert_snapshot!("command_line_scenario", text);
    assert!(output.status.success());
}
