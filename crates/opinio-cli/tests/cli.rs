//! Integration tests that drive the real `opinio` binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn scenario(name: &str) -> String {
    format!("../opinio/tests/scenarios/{name}.opinio")
}

#[test]
fn check_bundled_knowledge_base_is_clean() {
    opinio()
        .arg("check")
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn check_knowledge_folder_prints_no_warning() {
    opinio()
        .args(["check", "--kb", "../opinio/knowledge"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn check_reports_errors_and_warnings_and_fails() {
    opinio()
        .args(["check", "tests/invalid/bad_rules.opinio"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no predicate is named `q`"))
        .stderr(predicate::str::contains("cites no source"))
        .stderr(predicate::str::contains("1 error, 1 warning"));
}

#[test]
fn check_accepts_good_scenarios() {
    opinio()
        .args(["check", "../opinio/tests/scenarios"])
        .assert()
        .success();
}

#[test]
fn check_survives_arbitrary_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = dir.path().join("garbage.opinio");
    let bytes: Vec<u8> = (0..2000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&path, bytes).expect("write");
    opinio()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn query_text_answers_one_line_per_atom() {
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, ukraine)",
        ])
        .assert()
        .success()
        .stdout("violates_sovereignty(notpetya, ukraine) = true\n");
}

/// A question written as people write one, with a `?` at its end (or its start, as the
/// session asks it), is answered like the bare goal: it was refused ("expected the end of the
/// text or `.`, found `?`").
#[test]
fn a_question_may_end_or_start_with_a_question_mark() {
    for goal in [
        "violates_sovereignty(notpetya, ukraine)?",
        "violates_sovereignty(notpetya, ukraine) ?",
        "? violates_sovereignty(notpetya, ukraine)",
    ] {
        opinio()
            .args(["query", "--scenario", &scenario("notpetya"), goal])
            .assert()
            .success()
            .stdout("violates_sovereignty(notpetya, ukraine) = true\n");
    }
    opinio()
        .args([
            "explain",
            "--scenario",
            &scenario("notpetya"),
            "attributable(notpetya, russia)?",
        ])
        .assert()
        .success();
    opinio()
        .args([
            "compare",
            "--scenario",
            &scenario("notpetya"),
            "attributable(notpetya, russia)?",
        ])
        .assert()
        .success();
    // Two are still refused, and the help says what a question may end with.
    opinio()
        .args(["query", "--scenario", &scenario("notpetya"), "state(X)?? "])
        .assert()
        .failure()
        .stderr(predicate::str::contains("(a final `.` or `?` is allowed)"));
    // A fact is not a question: a scenario file's `state(x)?` states nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("case.opinio");
    std::fs::write(&file, "state(x)?\n").expect("write");
    opinio()
        .args(["check", &file.display().to_string()])
        .assert()
        .failure();
}

#[test]
fn query_with_variables_lists_true_and_unknown_bindings() {
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, V)",
        ])
        .assert()
        .success()
        .stdout(
            "violates_sovereignty(notpetya, denmark) = unknown\n  \
             unknown: the law is divided on sovereignty below the damage threshold \
             (positions answering the question yes: france, ireland; no: uk, us_dod_2020)\n\
             violates_sovereignty(notpetya, ukraine) = true\n",
        );
}

#[test]
fn notpetya_under_the_uk_hinges_on_intervention_facts() {
    let out = opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "--position",
            "uk",
            "--format",
            "json",
            "wrongful_act(russia, notpetya)",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["position"], "uk");
    let answer = &v["answers"][0];
    assert_eq!(answer["atom"], "wrongful_act(russia, notpetya)");
    assert_eq!(answer["value"], "unknown");
    let missing: Vec<String> = answer["explanation"]["missing_facts"]
        .as_array()
        .expect("missing facts")
        .iter()
        .map(|m| m.as_str().unwrap_or_default().to_string())
        .collect();
    assert!(missing.contains(&"bears_on_domaine_reserve(notpetya, ukraine)".to_string()));
    assert!(missing.contains(&"coercive(notpetya, ukraine)".to_string()));
    let sets = answer["explanation"]["would_make_true"]
        .as_array()
        .expect("sets");
    let first: Vec<&str> = sets[0]
        .as_array()
        .expect("a set")
        .iter()
        .filter_map(|f| f["atom"].as_str())
        .collect();
    assert_eq!(
        first,
        [
            "bears_on_domaine_reserve(notpetya, ukraine)",
            "coercive(notpetya, ukraine)"
        ]
    );
}

#[test]
fn unknown_position_and_constant_get_did_you_mean() {
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "--position",
            "frnace",
            "wrongful_act(russia, notpetya)",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `france`?"));
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "wrongful_act(rusia, notpetya)",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `russia`?"));
}

#[test]
fn compare_prints_one_row_per_position() {
    let out = opinio()
        .args([
            "compare",
            "--scenario",
            &scenario("remote_espionage"),
            "violates_sovereignty(mailbox_read, astoria)",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    for (position, value) in [
        ("tallinn2", "unknown"),
        ("france", "true"),
        ("uk", "false"),
        ("us_dod_2020", "false"),
    ] {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(position))
            .unwrap_or_else(|| panic!("no row for {position} in\n{text}"));
        // position, publication date, value, decided by.
        assert_eq!(row.split_whitespace().nth(2), Some(value), "{row}");
    }
    assert_eq!(text.lines().count(), 2 + 24, "{text}");
}

#[test]
fn compare_as_of_a_date_shows_the_positions_that_existed_then() {
    let out = opinio()
        .args([
            "compare",
            "--as-of",
            "2017-06-27",
            "-s",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, denmark)",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    let positions: Vec<&str> = text
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with("As of"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    // Only the Tallinn Manual (Feb 2017) and the United States (Koh, 2012) had spoken; the line
    // under the table says which positions were left out.
    assert_eq!(positions, ["tallinn2", "united_states"], "{text}");
    assert!(
        text.contains("As of 27 June 2017: left out, not yet published then: african_union"),
        "{text}"
    );

    // Asking under a position published later names its date; a bad date is refused.
    opinio()
        .args([
            "query",
            "--as-of",
            "2017-06-27",
            "--position",
            "uk",
            "-s",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, denmark)",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("published on 23 May 2018"));
    opinio()
        .args([
            "compare",
            "--as-of",
            "2017-02-30",
            "-s",
            &scenario("notpetya"),
            "state(ukraine)",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("February 2017 has 28 days"));
    // "As of the operation" needs a dated operation.
    opinio()
        .args([
            "compare",
            "--as-of",
            "operation",
            "-s",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, denmark)",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dates no operation"));
}

#[test]
fn test_command_counts_and_fails_on_a_wrong_expectation() {
    opinio()
        .args(["test", "tests/invalid/failing_expect.opinio"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 passed, 1 failed"))
        .stdout(predicate::str::contains("expected false, got true"));
    opinio()
        .args(["test", "../opinio/tests/scenarios", "../opinio/tests/eval"])
        .assert()
        .success()
        .stdout(predicate::str::contains(" passed, 0 failed"));
}

/// Nothing tested is not a success: no file, a file without `expect`, a file that is not an
/// Opinio file, a path that does not exist; each says why, with help.
#[test]
fn test_command_fails_when_nothing_is_tested() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("folder");
    opinio()
        .arg("test")
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no `.opinio` file in"))
        .stderr(predicate::str::contains("help:"));
    let bare = dir.path().join("bare.opinio");
    std::fs::write(&bare, "state(a).\n").expect("written");
    opinio()
        .arg("test")
        .arg(&bare)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("has no `expect` line"))
        .stderr(predicate::str::contains("nothing was tested"));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "expect state(a) = true.\n").expect("written");
    opinio()
        .arg("test")
        .arg(&text)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not an Opinio file"));
    opinio()
        .current_dir(dir.path())
        .arg("test")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no `tests` folder here"))
        .stderr(predicate::str::contains("help:"));
}

#[test]
fn test_coverage_lists_no_rule_for_the_bundled_tests() {
    opinio()
        .args([
            "test",
            "--coverage",
            "../opinio/tests/scenarios",
            "../opinio/tests/knowledge",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("never made true").not());
}

#[test]
fn json_scenarios_work_with_query() {
    opinio()
        .args([
            "query",
            "--scenario",
            "tests/fixtures/case.json",
            "violates_sovereignty(op, astoria)",
        ])
        .assert()
        .success()
        .stdout("violates_sovereignty(op, astoria) = true\n");
}

#[test]
fn kb_can_be_replaced_and_extended() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("mini.opinio"),
        "source s \"S\".\ntype T.\npredicate p(x: T) means \"p\".\npredicate q(x: T) means \"q\".\nrule q_from_p: q(X) if p(X) cites s.\np(a).\n",
    )
    .expect("write");
    opinio()
        .args(["query", "--kb"])
        .arg(dir.path())
        .arg("q(a)")
        .assert()
        .success()
        .stdout("q(a) = true\n");
    let ext = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        ext.path().join("extra.opinio"),
        "predicate hostile(op: Operation, v: State) means \"the operation was hostile\".\nrule hostile_if_targeted: hostile(Op, V) if targeted(Op, V) cites tm2 \"Rule 4\".\n",
    )
    .expect("write");
    opinio()
        .args(["query", "--scenario", &scenario("notpetya"), "--extend"])
        .arg(ext.path())
        .arg("hostile(notpetya, ukraine)")
        .assert()
        .success()
        .stdout("hostile(notpetya, ukraine) = true\n");
}

#[test]
fn knowledge_folder_cannot_link_outside() {
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret.opinio"), "source s \"S\".\n").expect("write");
        let kb = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(
            outside.path().join("secret.opinio"),
            kb.path().join("link.opinio"),
        )
        .expect("symlink");
        opinio()
            .args(["check", "--kb"])
            .arg(kb.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains("outside the knowledge base"));
    }
}

#[test]
fn limits_stop_evaluation_with_a_clear_error() {
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "--max-atoms",
            "10",
            "wrongful_act(russia, notpetya)",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("more than 10 atoms"))
        // The command line words the library's remedy with its own flags.
        .stderr(predicate::str::contains(
            "`--max-atoms`, `--time-limit` and `--max-memory`",
        ));
}

#[test]
fn a_file_too_large_names_the_flag_that_raises_the_cap() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("big.opinio");
    std::fs::write(&path, "state(norland).\n".repeat(200)).expect("written");
    opinio()
        .args(["check", "--max-file-size", "1K"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("raise the file-size limit"))
        .stderr(predicate::str::contains("--max-file-size"));
}

#[test]
fn a_flood_of_errors_shows_the_first_hundred_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("flood.opinio");
    let facts: String = (0..150).map(|i| format!("undeclared(c{i}).\n")).collect();
    std::fs::write(&path, facts).expect("written");
    let out = opinio().arg("check").arg(&path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr.matches("no predicate is named `undeclared`").count(),
        100,
        "{stderr}"
    );
    assert!(
        stderr.contains("and 50 more problems not shown"),
        "{stderr}"
    );
    assert!(
        stderr.contains("150 errors"),
        "the count is of all of them: {stderr}"
    );
}

#[test]
fn json_answers_carry_the_plain_sentence_beside_the_atom() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = opinio()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).expect("json")
    };
    let s = scenario("notpetya");
    let v = json(&[
        "query",
        "--scenario",
        &s,
        "--format",
        "json",
        "violates_sovereignty(notpetya, V)",
    ]);
    let texts: Vec<(&str, &str)> = v["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| {
            (
                a["atom"].as_str().unwrap_or(""),
                a["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(texts.contains(&(
        "violates_sovereignty(notpetya, denmark)",
        "notpetya violates the sovereignty of denmark"
    )));
    let v = json(&[
        "compare",
        "--scenario",
        &s,
        "--format",
        "json",
        "attributable(notpetya, russia)",
    ]);
    assert_eq!(v["goal"], "attributable(notpetya, russia)");
    assert_eq!(v["text"], "notpetya is attributable to russia");
}

#[test]
fn query_text_lines_stay_atom_equals_value() {
    // Scripts parse `ATOM = VALUE`: the plain sentence is for JSON and the interactive session.
    opinio()
        .args([
            "query",
            "--scenario",
            &scenario("notpetya"),
            "violates_sovereignty(notpetya, denmark)",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "violates_sovereignty(notpetya, denmark) = unknown\n",
        ));
}

/// `--magic-sets` changes how a question is evaluated, never its answer or its reason; a
/// value it does not know is refused with the three it does.
#[test]
fn magic_sets_give_the_same_answers_and_reasons() {
    let run = |when: &str, goal: &str| {
        let out = opinio()
            .args([
                "query",
                "--magic-sets",
                when,
                "-p",
                "tallinn2",
                "--scenario",
            ])
            .arg(scenario("notpetya"))
            .arg(goal)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{when} {goal}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    for goal in [
        "violates_sovereignty(notpetya, denmark)",
        "attributable(notpetya, X)",
        "use_of_force(notpetya, ukraine)",
    ] {
        let never = run("never", goal);
        assert!(!never.trim().is_empty());
        assert_eq!(run("always", goal), never, "{goal}");
        assert_eq!(run("auto", goal), never, "{goal}");
    }
    opinio()
        .args(["query", "--magic-sets", "sometimes", "state(x)"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not one of auto, always, never"));
}

/// A time limit too long, too short or not a number says which: `1e308` was refused with
/// "give a number of seconds, at least 0.001", and `-1` with clap's "unexpected argument".
#[test]
fn a_time_limit_out_of_range_says_why() {
    let bad = [
        (
            "1e308",
            "`1e308` seconds is longer than any evaluation could run",
        ),
        (
            "inf",
            "`inf` seconds is longer than any evaluation could run",
        ),
        ("1e10", "the most is 1000000000 seconds"),
        (
            "-1",
            "`-1` is not a number of seconds: a time limit cannot be negative",
        ),
        ("0", "`0` seconds is too short a time limit"),
        ("NaN", "`NaN` is not a number of seconds"),
        ("5s", "`5s` is not a number of seconds"),
    ];
    limit_option_refuses_and_takes(
        "--time-limit",
        &bad,
        "give a number of seconds from 0.001 to 1000000000",
        "1e9",
    );
}

/// `--max-atoms` says why a value cannot be a limit (a negative number got clap's
/// "unexpected argument" before), and takes `_` between digits.
#[test]
fn an_atom_limit_out_of_range_says_why() {
    let bad = [
        (
            "-1",
            "`-1` is not a number of atoms: a limit cannot be negative",
        ),
        ("0", "`0` atoms is too small a limit"),
        ("many", "`many` is not a number of atoms"),
        ("1.5", "`1.5` is not a number of atoms"),
    ];
    limit_option_refuses_and_takes(
        "--max-atoms",
        &bad,
        "give a whole number of atoms of 1 or more",
        "1_000_000",
    );
}

/// A limit option of `opinio query`: each bad value exits with status 2, its reason and
/// `help`; `good` is taken and the question answered.
fn limit_option_refuses_and_takes(flag: &str, bad: &[(&str, &str)], help: &str, good: &str) {
    let notpetya = scenario("notpetya");
    for (value, says) in bad {
        opinio()
            .args(["query", flag, value, "--scenario", &notpetya, "state(X)"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*says))
            .stderr(predicate::str::contains(help));
    }
    opinio()
        .args([
            "query",
            flag,
            good,
            "--scenario",
            &notpetya,
            "state(russia)",
        ])
        .assert()
        .success()
        .stdout("state(russia) = true\n");
}

/// `opinio check FILE` on declarations that use the knowledge base's types and predicates:
/// checked as an addition to it (as `--extend` loads them), not alone ("no type is named
/// `State`, did you mean `Date`?" before); a program of its own is still checked alone.
#[test]
fn check_reads_an_addition_to_the_knowledge_base_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("written");
        p
    };
    let addition = write(
        "addition.opinio",
        "source mine \"My notes\".\npredicate my_state(s: State) means \"s is mine\".\nrule r: my_state(X) if state(X) cites mine \"p. 1\".\n",
    );
    opinio()
        .arg("check")
        .arg(&addition)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "was checked as an addition to the knowledge base",
        ))
        .stderr(predicate::str::contains("0 errors"));
    let typo = write(
        "typo.opinio",
        "predicate my_state(s: Statte) means \"s is mine\".\n",
    );
    opinio()
        .arg("check")
        .arg(&typo)
        .assert()
        .failure()
        .stderr(predicate::str::contains("did you mean `State`?"));
    // A folder of additions (what `--extend` loads) is read the same way.
    let folder = dir.path().join("extend");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::copy(&addition, folder.join("a.opinio")).expect("copied");
    std::fs::write(
        folder.join("b.opinio"),
        "predicate other(o: Operation) means \"o\".\n",
    )
    .expect("written");
    opinio()
        .arg("check")
        .arg(&folder)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "was checked as an addition to the knowledge base",
        ));
    // A program with types of its own and a typo stays a program of its own.
    let typo_own = write(
        "typo_own.opinio",
        "type Thing.\npredicate q(x: Thng) means \"x\".\n",
    );
    opinio()
        .arg("check")
        .arg(&typo_own)
        .assert()
        .failure()
        .stderr(predicate::str::contains("did you mean `Thing`?"))
        .stderr(predicate::str::contains("addition").not());
    let own = write(
        "own.opinio",
        "source mine \"My notes\".\ntype Thing.\npredicate p(t: Thing) means \"t\".\n",
    );
    opinio()
        .arg("check")
        .arg(&own)
        .assert()
        .success()
        .stderr(predicate::str::contains("addition").not());
}

/// An empty question says so, instead of "the text stops before the statement is finished".
#[test]
fn an_empty_question_says_it_is_empty() {
    for q in ["", "  ", "?"] {
        opinio()
            .args(["query", "--scenario", &scenario("notpetya"), q])
            .assert()
            .failure()
            .stderr(predicate::str::contains("the question is empty"))
            .stderr(predicate::str::contains(
                "help: write the statement you ask about",
            ));
    }
}

/// A use of force stated to be a countermeasure: the answer follows the statement (LAW.md §6:
/// any circumstance precludes), and a warning says that no countermeasure may involve force
/// (ARSIWA Art. 50(1)(a)). A countermeasure that is no use of force draws no warning.
#[test]
fn a_forcible_countermeasure_is_warned_about() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The operation's effects, then a question under the options given; each case stated to be
    // a countermeasure of s's organ against v.
    let ask = |name: &str, effects: &str, options: &[&str], goal: &str| {
        let file = dir.path().join(name);
        std::fs::write(
            &file,
            format!("state(s). state(v). operation(op).\nconducted_by(op, unit). organ_of(unit, s).\n{effects}precluded_by(op, countermeasure).\n"),
        )
        .expect("written");
        opinio()
            .arg("query")
            .args(options)
            .arg("-s")
            .arg(&file)
            .arg(goal)
            .assert()
            .success()
    };
    ask(
        "forcible.opinio",
        "effect_in(op, v, physical_damage).\nscale_of_effect(op, v, physical_damage, significant).\n",
        &[],
        "wrongful_act(s, op)",
    )
    .stdout("wrongful_act(s, op) = false\n")
    .stderr(predicate::str::contains(
        "`op` is stated to be a countermeasure, but it is a use of force against `v`",
    ))
    .stderr(predicate::str::contains("ARSIWA Art. 50(1)(a)"));
    ask(
        "mild.opinio",
        "effect_in(op, v, loss_of_functionality).\n",
        &[],
        "wrongful_act(s, op)",
    )
    .stderr(predicate::str::contains("countermeasure").not());
    // Under France a grave economic loss is force: the warning names the position.
    ask(
        "economic.opinio",
        "effect_in(op, v, economic_loss).\nscale_of_effect(op, v, economic_loss, grave).\n",
        &["-p", "france"],
        "use_of_force(op, v)",
    )
    .stdout("use_of_force(op, v) = true\n")
    .stderr(predicate::str::contains(
        "use of force against `v` (under france",
    ));
}

/// A date in quotes where a date is expected is told as a name in quotes (it read "`2015-03-01`
/// is not a date", over a date).
#[test]
fn a_quoted_date_in_a_date_slot_is_told_as_a_name_in_quotes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("case.opinio");
    std::fs::write(&case, "operation(op).\noccurred_on(op, \"2015-03-01\").\n").expect("written");
    opinio()
        .args(["query", "-s"])
        .arg(&case)
        .arg("operation(X)")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is a name in quotes, but this slot takes a date",
        ))
        .stderr(predicate::str::contains("without quotes"));
}
