//! The command-line conventions of issue 17, driving the real `opinio` binary: help texts
//! with examples, `query --exit-code`, and `--color`.

use assert_cmd::Command;
use predicates::prelude::*;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const NOTPETYA: &str = "../opinio/tests/scenarios/notpetya.opinio";

#[test]
fn every_subcommand_help_describes_its_arguments_and_ends_with_two_examples() {
    for cmd in [
        "check",
        "query",
        "explain",
        "compare",
        "test",
        "fmt",
        "batch",
        "repl",
        "graph",
        "lsp",
        "report",
        "completions",
        "man",
        "import",
        "import eurepoc",
        "import dcid",
    ] {
        let out = opinio()
            .args(cmd.split(' '))
            .arg("--help")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{cmd} --help failed");
        let help = String::from_utf8_lossy(&out.stdout);
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd} --help has no examples:\n{help}"));
        // Help is wrapped to the terminal's width: a long example may continue on the next
        // line, so examples are counted by the lines that start one.
        let starts = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("opinio "))
            .count();
        assert_eq!(starts, 2, "{cmd} --help: {examples}");
        // Every argument and option has a description: the line after a name is not blank.
        let lines: Vec<&str> = help.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_name = (t.starts_with('-') || t.starts_with('<') || t.starts_with('['))
                && l.starts_with("  ")
                && !l.starts_with("      ");
            if is_name && !t.contains("  ") {
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    !next.trim().is_empty(),
                    "{cmd} --help: `{t}` has no description"
                );
            }
        }
    }
}

#[test]
fn query_help_documents_the_exit_code() {
    let out = opinio().args(["query", "--help"]).output().expect("runs");
    assert!(out.status.success());
    // Wrapped to the terminal's width: compare with the line breaks taken out.
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(help.contains("--exit-code"), "{help}");
    assert!(
        help.contains("3 if none is true but some is unknown"),
        "{help}"
    );
}

/// `query --exit-code`: 0 true, 1 false, 3 unknown, 2 an error (as grep does); without the
/// flag, 0 whatever the answer and 1 for an error. Each case: arguments, standard input, code.
#[test]
fn query_exit_codes_follow_the_answer() {
    const FACTS: &str = "operation(op).\nstate(ruritania).\n";
    let sovereignty = "violates_sovereignty(op, ruritania)";
    let cases: &[(&[&str], Option<&str>, i32)] = &[
        (
            &[
                "--exit-code",
                "-s",
                NOTPETYA,
                "violates_sovereignty(notpetya, ukraine)",
            ],
            None,
            0,
        ),
        (&["--exit-code", "-s", "-", sovereignty], Some(FACTS), 1),
        (&["-s", "-", sovereignty], Some(FACTS), 0),
        (&["--exit-code", "no_such_predicate(x)"], None, 2),
        (&["no_such_predicate(x)"], None, 1),
        (
            &[
                "--exit-code",
                "-s",
                NOTPETYA,
                "violates_sovereignty(notpetya, denmark)",
            ],
            None,
            3,
        ),
    ];
    for (args, stdin, code) in cases {
        let mut cmd = opinio();
        cmd.arg("query").args(*args);
        if let Some(input) = stdin {
            cmd.write_stdin(*input);
        }
        let out = cmd.output().expect("runs");
        assert_eq!(out.status.code(), Some(*code), "query {args:?}");
    }
}

#[test]
fn query_exit_code_with_variables_zero_if_some_answer_is_true() {
    opinio()
        .args([
            "query",
            "--exit-code",
            "-s",
            NOTPETYA,
            "violates_sovereignty(notpetya, S)",
        ])
        .assert()
        .code(0);
}

#[test]
fn color_always_colours_a_pipe_and_overrides_no_color() {
    let out = opinio()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "query", "nonsense("])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\x1b["));
}

#[test]
fn color_auto_and_never_leave_a_pipe_plain() {
    for when in ["auto", "never"] {
        let out = opinio()
            .args(["--color", when, "query", "nonsense("])
            .output()
            .expect("runs");
        assert!(!out.stderr.is_empty());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("\x1b["),
            "--color {when}"
        );
    }
}

#[test]
fn color_rejects_another_word() {
    opinio()
        .args(["--color", "sometimes", "check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("always"));
}

#[test]
fn test_on_the_tests_folder_leaves_the_invalid_folder_out() {
    // A suite: one passing file, and under `invalid/` one whose expectation fails.
    let dir = tempfile::tempdir().expect("temporary folder");
    let suite = dir.path().join("tests");
    std::fs::create_dir_all(suite.join("invalid")).expect("folders");
    std::fs::write(
        suite.join("passes.opinio"),
        "state(a).\nexpect state(a) = true.\n",
    )
    .expect("written");
    std::fs::copy(
        "tests/invalid/failing_expect.opinio",
        suite.join("invalid/failing_expect.opinio"),
    )
    .expect("copied");
    opinio()
        .arg("test")
        .arg(&suite)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 passed, 0 failed"))
        .stdout(predicate::str::contains("failing_expect").not());
}

#[test]
fn test_named_invalid_folder_is_run() {
    opinio()
        .args(["test", "tests/invalid"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("failed"));
}

#[test]
fn test_help_says_the_invalid_folder_is_left_out() {
    opinio()
        .args(["test", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("`invalid`"));
}

#[test]
fn json_format_makes_errors_json_on_stderr() {
    let out = opinio()
        .args([
            "query",
            "-f",
            "json",
            "-s",
            "-",
            "violates_sovereignty(op, ruritania)",
        ])
        .write_stdin("operation(op).\nno_such_thing(op).\n")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    let v: serde_json::Value =
        serde_json::from_str(first).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert!(
        v["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("opinio::")),
        "{v}"
    );
    assert_eq!(v["file"], "<standard input>", "{v}");
    assert_eq!(v["line"], 2, "{v}");
    assert_eq!(v["column"], 1, "{v}");
    assert!(v.get("help").is_some(), "{v}");
}

#[test]
fn json_format_makes_a_bad_goal_json_for_compare_and_explain() {
    for cmd in ["compare", "explain"] {
        let out = opinio()
            .args([cmd, "--format", "json", "no_such_predicate(x)"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in stderr.lines() {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{cmd}: not JSON ({e}): {stderr}"));
            assert!(v["code"].as_str().is_some(), "{v}");
        }
        assert!(!stderr.is_empty());
    }
}

#[test]
fn text_format_keeps_errors_for_a_reader() {
    opinio()
        .args(["query", "no_such_predicate(x)"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("{\"error\"").not());
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, mark) in [
        ("bash", "_opinio()"),
        ("zsh", "#compdef opinio"),
        ("fish", "complete -c opinio"),
    ] {
        opinio()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(mark))
            .stdout(predicate::str::contains("exit-code"));
    }
    opinio().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_prints_a_manual_page() {
    opinio()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH opinio"))
        .stdout(predicate::str::contains("completions"))
        .stdout(predicate::str::contains("\\-\\-color"));
}

#[test]
fn options_appear_only_where_they_mean_something() {
    for (cmd, absent) in [
        (
            "fmt",
            &["--kb", "--max-atoms", "--as-of", "--max-file-size"][..],
        ),
        ("completions", &["--kb", "--max-atoms", "--as-of"][..]),
        ("man", &["--kb", "--max-atoms", "--as-of"][..]),
        ("check", &["--as-of"][..]),
        ("lsp", &["--max-atoms", "--time-limit", "--as-of"][..]),
    ] {
        let out = opinio().args([cmd, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in absent {
            assert!(!help.contains(flag), "{cmd} --help offers {flag}:\n{help}");
        }
    }
    for cmd in ["query", "explain", "compare", "test", "batch", "repl"] {
        let out = opinio().args([cmd, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in ["--kb", "--extend", "--max-atoms", "--as-of"] {
            assert!(help.contains(flag), "{cmd} --help lacks {flag}");
        }
    }
}

#[test]
fn an_option_written_before_a_subcommand_with_no_use_for_it_is_refused() {
    opinio()
        .args(["--max-atoms", "5", "fmt", "--check", NOTPETYA])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`--max-atoms` means nothing to `opinio fmt`",
        ));
    opinio()
        .args(["--as-of", "2017-06-27", "check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`--as-of` means nothing to `opinio check`",
        ));
}

#[test]
fn knowledge_options_work_before_and_after_the_subcommand() {
    let goal = "violates_sovereignty(notpetya, ukraine)";
    for args in [
        vec!["--kb", "../opinio/knowledge", "query", "-s", NOTPETYA, goal],
        vec!["query", "--kb", "../opinio/knowledge", "-s", NOTPETYA, goal],
    ] {
        opinio()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("{goal} = true")));
    }
    // After the subcommand wins over before it.
    opinio()
        .args([
            "--max-atoms",
            "1",
            "query",
            "--max-atoms",
            "1000000",
            "-s",
            NOTPETYA,
            goal,
        ])
        .assert()
        .success();
}

#[test]
fn fmt_check_prints_a_unified_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("case.opinio");
    std::fs::write(&f, "# two States\nstate(a). state(b).\n").expect("write");
    let out = opinio()
        .args(["fmt", "--check"])
        .arg(&f)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("-state(a). state(b).\n"), "{text}");
    assert!(text.contains("+state(a).\n+state(b).\n"), "{text}");
    assert!(text.contains(" # two States\n"), "context kept: {text}");
    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(&f).expect("read"),
        "# two States\nstate(a). state(b).\n"
    );
}

/// The project's own `.opinio` files are laid out canonically (the deliberately broken ones
/// in `tests/invalid/` are left out by the folder walk).
#[test]
fn the_repositorys_opinio_files_pass_fmt_check() {
    let out = opinio()
        .args([
            "fmt",
            "--check",
            "../opinio/knowledge",
            "../opinio/tests",
            "tests",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "`opinio fmt` would change:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn graph_draws_a_picture_with_a_legend_or_dot_with_clusters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("sovereignty.svg");
    opinio()
        .args(["graph", "violates_sovereignty", "-o"])
        .arg(&svg)
        .assert()
        .success()
        .stderr(predicate::str::contains("predicates"));
    let text = std::fs::read_to_string(&svg).expect("written");
    assert!(text.starts_with("<svg"), "{text}");
    assert!(text.contains("a fact a scenario states"), "legend");
    assert!(text.contains(">violates_sovereignty<"));
    assert!(text.contains(">attributable<"));
    let out = opinio()
        .args([
            "graph",
            "violates_sovereignty",
            "--position",
            "uk",
            "--format",
            "dot",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.starts_with("digraph opinio {"), "{dot}");
    assert!(dot.contains("under the position uk"), "{dot}");
    assert!(dot.contains("subgraph \"cluster_sovereignty\""), "{dot}");
    assert!(dot.contains("subgraph cluster_legend"), "{dot}");
}

#[test]
fn graph_of_an_unknown_predicate_or_position_is_an_error_with_help() {
    opinio()
        .args(["graph", "violates_sovreignty"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "did you mean `violates_sovereignty`",
        ));
    opinio()
        .args(["graph", "--position", "atlantis"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("atlantis"));
    opinio()
        .args(["--max-atoms", "5", "graph"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`--max-atoms` means nothing to `opinio graph`",
        ));
}
