//! `opinio batch` on the real binary: one JSON scenario a line in, one JSON verdict a line out.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::io::Write;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A scenario in which Borduria's unit acts in Astoria: sovereignty is violated.
fn good(id: &str, op: &str) -> String {
    serde_json::json!({
        "id": id,
        "facts": [
            "state(astoria)", "state(borduria)", format!("operation({op})"),
            format!("conducted_by({op}, unit_1)"), "organ_of(unit_1, borduria)",
            format!("agents_present_in({op}, astoria)"),
        ],
        "negative_facts": [format!("coercive({op}, astoria)")],
        "unknown_facts": [format!("bears_on_domaine_reserve({op}, astoria)")],
    })
    .to_string()
}

fn write_input(lines: &[String]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("temp file");
    for l in lines {
        writeln!(f, "{l}").expect("write");
    }
    f.flush().expect("flush");
    f
}

/// What a successful run of `opinio batch ARGS… PATH` over `input` wrote on standard output
/// (`args` ends with the input option, `--input` or `-i`).
fn answered(args: &[&str], input: &tempfile::NamedTempFile) -> Vec<u8> {
    opinio()
        .args(args)
        .arg(input.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn value_of(answers: &Value, atom: &str) -> Option<String> {
    answers.as_array()?.iter().find_map(|a| {
        (a["atom"] == atom).then(|| a["value"].as_str().unwrap_or_default().to_string())
    })
}

#[test]
fn good_lines_get_one_verdict_each_in_order() {
    let input = write_input(&[good("a", "op_a"), good("b", "op_b")]);
    let out = opinio()
        .args(["batch", "--input"])
        .arg(input.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("2 scenarios, 0 errors"))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["line"], 1);
    assert_eq!(recs[0]["id"], "a");
    assert_eq!(recs[0]["position"], "tallinn2");
    assert_eq!(recs[1]["line"], 2);
    assert_eq!(recs[1]["id"], "b");
    assert_eq!(
        value_of(&recs[0]["answers"], "violates_sovereignty(op_a, astoria)").as_deref(),
        Some("true")
    );
    assert_eq!(
        value_of(&recs[1]["answers"], "attributable(op_b, borduria)").as_deref(),
        Some("true")
    );
    // By default only true and unknown atoms are listed.
    for r in &recs {
        for a in r["answers"].as_array().expect("answers") {
            assert_ne!(a["value"], "false", "{a}");
        }
    }
}

#[test]
fn bad_lines_give_error_records_and_the_run_goes_on() {
    let input = write_input(&[
        good("first", "op_1"),
        "{\"facts\": [\"state(astoria)\"".to_string(),
        serde_json::json!({"id": "typo", "facts": ["state(astoria)", "operation(op_3)", "conductd_by(op_3, unit_1)"]}).to_string(),
        String::new(),
        serde_json::json!({"facts": ["state(astoria)"], "colour": "red"}).to_string(),
        good("last", "op_6"),
    ]);
    let assert = opinio()
        .args(["batch", "--input"])
        .arg(input.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("5 scenarios, 3 errors"));
    let recs = records(&assert.get_output().stdout);
    // The blank line 4 gives no record; every other line gives exactly one, in order.
    let lines: Vec<i64> = recs
        .iter()
        .map(|r| r["line"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(lines, vec![1, 2, 3, 5, 6]);
    assert!(recs[0].get("answers").is_some());
    let json_err = recs[1]["error"].as_str().expect("an error record");
    assert!(json_err.contains("JSON"), "{json_err}");
    let fact_err = recs[2]["error"].as_str().expect("an error record");
    assert!(fact_err.contains("conductd_by"), "{fact_err}");
    assert_eq!(recs[2]["id"], "typo");
    assert!(recs[2]["help"]
        .as_str()
        .is_some_and(|h| h.contains("conducted_by")));
    assert!(recs[3]["error"]
        .as_str()
        .is_some_and(|e| e.contains("colour")));
    assert_eq!(recs[4]["id"], "last");
    assert!(recs[4].get("answers").is_some());
    // No colour codes in error records.
    assert!(!String::from_utf8_lossy(&assert.get_output().stdout).contains('\u{1b}'));
}

#[test]
fn invalid_utf8_line_is_an_error_record() {
    let mut f = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("temp file");
    f.write_all(b"{\"facts\": [\"state(\xff)\"]}\n")
        .expect("write");
    f.write_all(good("ok", "op").as_bytes()).expect("write");
    f.write_all(b"\n").expect("write");
    let out = opinio()
        .args(["batch", "--input"])
        .arg(f.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert!(recs[0]["error"]
        .as_str()
        .is_some_and(|e| e.contains("UTF-8")));
    assert_eq!(recs[1]["id"], "ok");
}

#[test]
fn all_positions_gives_one_record_with_every_position() {
    let input = write_input(&[good("a", "op_a")]);
    let out = answered(&["batch", "--all-positions", "--input"], &input);
    let text = String::from_utf8_lossy(&out).to_string();
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    let positions = recs[0]["positions"].as_object().expect("positions");
    for p in ["tallinn2", "uk", "france", "united_states", "netherlands"] {
        assert!(positions.contains_key(p), "{p} missing: {text}");
    }
    // The default position comes first, as `opinio compare` lists them.
    assert!(text.starts_with("{\"line\":1,\"id\":\"a\",\"positions\":{\"tallinn2\":"));
    // The UK holds that sovereignty is no rule of its own; the Tallinn majority does.
    assert_eq!(
        value_of(
            &positions["tallinn2"],
            "violates_sovereignty(op_a, astoria)"
        )
        .as_deref(),
        Some("true")
    );
    assert_ne!(
        value_of(&positions["uk"], "violates_sovereignty(op_a, astoria)").as_deref(),
        Some("true")
    );
}

#[test]
fn goals_with_variables_and_ground_goals() {
    let input = write_input(&[good("a", "op_a")]);
    let out = answered(
        &[
            "batch",
            "--position",
            "uk",
            "--goals",
            "attributable(op_a, S)",
            "use_of_force(op_a, astoria)",
            "--input",
        ],
        &input,
    );
    let recs = records(&out);
    assert_eq!(recs[0]["position"], "uk");
    let answers = recs[0]["answers"].as_array().expect("answers");
    let atoms: Vec<&str> = answers.iter().filter_map(|a| a["atom"].as_str()).collect();
    // Every binding that is true or unknown, then the ground goal's one answer (false too).
    assert!(atoms.contains(&"attributable(op_a, borduria)"), "{atoms:?}");
    assert_eq!(atoms.last(), Some(&"use_of_force(op_a, astoria)"));
    assert!(atoms
        .iter()
        .all(|a| a.starts_with("attributable(op_a, ") || *a == "use_of_force(op_a, astoria)"));
    assert_eq!(
        value_of(&recs[0]["answers"], "use_of_force(op_a, astoria)").as_deref(),
        Some("false")
    );
}

#[test]
fn a_goal_naming_a_constant_a_line_lacks_is_an_error_for_that_line() {
    let input = write_input(&[good("a", "op_a"), good("b", "op_b")]);
    let out = opinio()
        .args([
            "batch",
            "--goals",
            "attributable(op_a, borduria)",
            "--input",
        ])
        .arg(input.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(
        value_of(&recs[0]["answers"], "attributable(op_a, borduria)").as_deref(),
        Some("true")
    );
    let err = recs[1]["error"].as_str().expect("an error record");
    assert!(err.contains("op_a"), "{err}");
}

#[test]
fn a_malformed_goal_stops_the_run_before_any_line() {
    let input = write_input(&[good("a", "op_a")]);
    opinio()
        .args(["batch", "--goals", "atributable(op, S)", "--input"])
        .arg(input.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("attributable"));
}

#[test]
fn an_unknown_position_stops_the_run() {
    let input = write_input(&[good("a", "op_a")]);
    opinio()
        .args(["batch", "--position", "narnia", "--input"])
        .arg(input.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("narnia"));
}

#[test]
fn reads_standard_input() {
    let input = format!("{}\n{}\n", good("x", "op_x"), good("y", "op_y"));
    let out = opinio()
        .args(["batch", "--input", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains("2 scenarios, 0 errors"))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], "x");
    assert_eq!(recs[1]["id"], "y");
}

#[test]
fn output_is_the_same_in_order_with_one_or_two_threads() {
    // More lines than one chunk, all different, a few bad ones among them.
    let lines: Vec<String> = (0..1100)
        .map(|i| {
            if i % 97 == 13 {
                "{not json".to_string()
            } else {
                let mut facts = vec![
                    format!("state(s{i})"),
                    "state(victim)".to_string(),
                    format!("operation(op{i})"),
                    format!("conducted_by(op{i}, actor{i})"),
                    format!("organ_of(actor{i}, s{i})"),
                    format!("targeted(op{i}, victim)"),
                ];
                if i % 3 == 0 {
                    facts.push(format!("agents_present_in(op{i}, victim)"));
                }
                serde_json::json!({"id": i, "facts": facts}).to_string()
            }
        })
        .collect();
    let input = write_input(&lines);
    let run = |threads: &str| {
        opinio()
            .args(["batch", "--threads", threads, "--input"])
            .arg(input.path())
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    let two = run("2");
    assert!(one == two, "the output depends on the number of threads");
    let recs = records(&two);
    assert_eq!(recs.len(), 1100);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["line"].as_u64(), Some(i as u64 + 1));
        if i % 97 != 13 {
            assert_eq!(r["id"].as_u64(), Some(i as u64));
        }
    }
}

#[test]
fn the_json_scenario_format_works_with_query() {
    let mut f = tempfile::Builder::new()
        .suffix(".json")
        .tempfile()
        .expect("temp file");
    f.write_all(good("a", "op_a").as_bytes()).expect("write");
    f.flush().expect("flush");
    opinio()
        .args(["query", "--scenario"])
        .arg(f.path())
        .arg("violates_sovereignty(op_a, astoria)")
        .assert()
        .success()
        .stdout("violates_sovereignty(op_a, astoria) = true\n");
}

/// A line of a few templates: `k` picks the template, the names come from `i` and sort in
/// another order than the line before (`z…`, `a…`, `m…`), and a dated template's date from
/// `i` too.
fn templated(i: usize, k: usize) -> String {
    let p = ["z", "a", "m"][(i / 3) % 3];
    let (op, unit, v, s) = (
        format!("{p}op{i}"),
        format!("{p}unit{i}"),
        format!("{p}victim{i}"),
        format!("{}state{i}", ["b", "y", "c"][(i / 3) % 3]),
    );
    let mut facts = vec![
        format!("state({v})"),
        format!("state({s})"),
        format!("operation({op})"),
        format!("conducted_by({op}, {unit})"),
        format!("targeted({op}, {v})"),
    ];
    let mut unknown = vec![format!("originated_from({op}, {s})")];
    match k {
        0 => facts.push(format!("organ_of({unit}, {s})")),
        1 => {
            facts.push(format!("agents_present_in({op}, {v})"));
            unknown.push(format!("organ_of({unit}, {s})"));
        }
        _ => {
            facts.push(format!("organ_of({unit}, {s})"));
            facts.push(format!("interferes_with_governmental_function({op}, {v})"));
            // Whether the ICCPR bound the State when the operation occurred turns on the
            // dates' order alone.
            facts.push(format!("party_since({s}, iccpr, 2019-01-01)"));
            // Before and after most positions were published: `--as-of operation` leaves
            // out different positions for the same shape. Dates in the same order share a
            // shape (2016-03-01 and 2016-05-01, 2022-03-01 and 2022-03-10).
            let date = ["2016-03-01", "2022-03-01", "2016-05-01", "2022-03-10"][(i / 3) % 4];
            facts.push(format!("occurred_on({op}, {date})"));
        }
    }
    serde_json::json!({"id": i, "facts": facts, "unknown_facts": unknown}).to_string()
}

#[test]
fn lines_of_a_shape_seen_before_are_answered_as_if_evaluated_afresh() {
    let lines: Vec<String> = (0..60).map(|i| templated(i, i % 3)).collect();
    let input = write_input(&lines);
    let run = |extra: &[&str]| {
        opinio()
            .arg("batch")
            .args(extra)
            .arg("--input")
            .arg(input.path())
            .output()
            .expect("batch ran")
    };
    for args in [
        &["--threads", "1"][..],
        &["--threads", "2", "--all-positions", "--as-of", "operation"],
        &[
            "--all-positions",
            "--goals",
            "attributable(O, S)",
            "violates_sovereignty(O, V)",
            "wrongful_act(S, O)",
        ],
        &["--all-positions", "--summary", "--summary-format", "csv"],
    ] {
        let (with_memo, afresh) = (run(args), run(&[args, &["--no-memo"][..]].concat()));
        assert_eq!(with_memo.status.code(), afresh.status.code());
        let (with_memo, afresh) = (with_memo.stdout, afresh.stdout);
        assert!(
            with_memo == afresh,
            "with {args:?}, the memo changed the output:\n{}\n---\n{}",
            String::from_utf8_lossy(&with_memo),
            String::from_utf8_lossy(&afresh)
        );
    }
    // The dated lines of one shape really differ: as of their dates, other positions (the
    // undated lines have no date to ask as of: error records).
    let out = run(&["--all-positions", "--as-of", "operation"]).stdout;
    let recs = records(&out);
    let positions = |r: &Value| r["positions"].as_object().map(|o| o.len());
    assert_ne!(
        positions(&recs[2]),
        positions(&recs[5]),
        "{:?}",
        &recs[2..6]
    );
    // And renamed lines of one shape name their own constants, sorted anew, with the
    // values their own dates give.
    let recs = records(&run(&[]).stdout);
    let bound = |r: &Value, s: &str, op: &str| {
        value_of(
            &r["answers"],
            &format!("party_at_time_of({s}, iccpr, {op})"),
        )
    };
    assert_eq!(bound(&recs[2], "bstate2", "zop2"), None, "{}", recs[2]);
    assert_eq!(bound(&recs[5], "ystate5", "aop5").as_deref(), Some("true"));
    let first = recs[0].to_string();
    assert!(first.contains("zop0") && !first.contains("aop3"), "{first}");
    assert!(recs[3].to_string().contains("aop3"));
}

/// As of a date before the position asked under was published, every line would fail the
/// same way: the run is refused once, before any line is read; and an error record's reason
/// never starts with a second `error:`.
#[test]
fn a_position_later_than_the_date_asked_is_refused_once() {
    let input = write_input(&[good("a", "op_a"), good("b", "op_b")]);
    opinio()
        .args(["batch", "--as-of", "2000-01-01", "-p", "tallinn2", "-i"])
        .arg(input.path())
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains(
            "the position `tallinn2` was published on 28 February 2017, after 1 January 2000",
        ))
        .stderr(predicate::str::contains(
            "help: ask under a position that existed then",
        ));
    let out = failed_stdout(
        opinio()
            .args(["batch", "--as-of", "operation", "-i"])
            .arg(input.path()),
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        let reason = v["error"].as_str().unwrap_or_default();
        assert!(
            reason.starts_with("the scenario dates no operation"),
            "{line}"
        );
        assert!(
            v["help"]
                .as_str()
                .unwrap_or_default()
                .contains("occurred_on"),
            "{line}"
        );
    }
}

/// `--threads` takes 1 to 256 (more on a machine of more than 64 cores): a hundred thousand
/// threads never finished one line, and `-1` got clap's "unexpected argument".
#[test]
fn a_thread_count_out_of_range_says_why() {
    let input = write_input(&[good("a", "op_a")]);
    for (n, says) in [
        (
            "-1",
            "`-1` is not a number of threads: at least one thread is needed",
        ),
        ("0", "`0` is not a number of threads"),
        (
            "100000",
            "`100000` threads are more than this machine can use",
        ),
        ("many", "`many` is not a number of threads"),
    ] {
        opinio()
            .args(["batch", "--threads", n, "-i"])
            .arg(input.path())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("give a whole number from 1 to"));
    }
}

/// `--all-positions --as-of`: a position not yet published at the date asked is left out of
/// the line, and the record and a closing note say so (it was silent).
#[test]
fn positions_left_out_as_of_a_date_are_named() {
    let mut line: Value = serde_json::from_str(&good("a", "op_a")).expect("JSON");
    line["facts"]
        .as_array_mut()
        .expect("facts")
        .push("occurred_on(op_a, 2018-01-01)".into());
    let input = write_input(&[line.to_string()]);
    let out = opinio()
        .args([
            "batch",
            "--all-positions",
            "--as-of",
            "operation",
            "--goals",
            "state(X)",
            "-i",
        ])
        .arg(input.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: 1 line was asked as of a date before some positions were published",
        ))
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("one record");
    let asked: Vec<&String> = v["positions"]
        .as_object()
        .expect("positions")
        .keys()
        .collect();
    let left: Vec<&str> = v["not_yet_published"]
        .as_array()
        .expect("not_yet_published")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(asked.iter().any(|p| *p == "tallinn2"), "{v}");
    assert!(left.contains(&"uk") && left.contains(&"france"), "{v}");
    assert!(asked.iter().all(|p| !left.contains(&p.as_str())), "{v}");
}

/// A byte-order mark before the first line is not part of it; a file in UTF-16 is said to be
/// one, once, instead of every line failing as "not valid JSON".
#[test]
fn a_byte_order_mark_is_skipped_and_utf16_named() {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(b"{\"facts\": [\"state(a)\"]}\n");
    opinio()
        .args(["batch", "-i", "-", "--goals", "state(X)"])
        .write_stdin(bom)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r#""atom":"state(a)","value":"true""#,
        ));
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "{\"facts\": [\"state(a)\"]}\n{\"facts\": [\"state(b)\"]}\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let out = failed_stdout(
        opinio()
            .args(["batch", "-i", "-", "--goals", "state(X)"])
            .write_stdin(utf16),
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("the input is UTF-16 text"), "{out}");
    assert!(out.contains("save the file as UTF-8"), "{out}");
}

/// What a run that must fail (exit status 1) wrote on standard output.
fn failed_stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().failure().get_output().stdout.clone();
    String::from_utf8_lossy(&out).into_owned()
}

/// A NUL byte in a line is named as such (it was "something follows the `}`").
#[test]
fn a_nul_byte_in_a_line_is_named() {
    let out = failed_stdout(
        opinio()
            .args(["batch", "-i", "-", "--goals", "state(X)"])
            .write_stdin(&b"{\"facts\": [\"state(a)\"]}\0\n{\"facts\": [\"state(b)\"]}\n"[..]),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("the line holds a NUL byte (at column 24)"),
        "{out}"
    );
    assert!(lines[1].contains("state(b)"), "{out}");
}

/// A line whose operation is stated to be a countermeasure and is a use of force carries the
/// warning in its record (a dataset's reader saw nothing before); other lines carry none.
#[test]
fn a_forcible_countermeasure_is_warned_about_in_the_record() {
    let forcible = serde_json::json!({"facts": [
        "state(s)", "state(v)", "operation(op)", "conducted_by(op, unit)", "organ_of(unit, s)",
        "effect_in(op, v, physical_damage)", "scale_of_effect(op, v, physical_damage, significant)",
        "precluded_by(op, countermeasure)",
    ]});
    let input = write_input(&[forcible.to_string(), good("a", "op_a")]);
    let out = answered(&["batch", "--goals", "wrongful_act(S, O)", "-i"], &input);
    let records = records(&out);
    let warning = records[0]["warnings"][0].as_str().unwrap_or_default();
    assert!(
        warning.contains("is stated to be a countermeasure, but it is a use of force"),
        "{warning}"
    );
    assert!(records[1].get("warnings").is_none(), "{}", records[1]);
}
