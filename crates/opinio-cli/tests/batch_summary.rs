//! `opinio batch --summary` and `--chart` on the real binary: one table per goal and position
//! instead of one record per scenario.

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

/// Three operations against Astoria: Borduria's organ disables a ministry (true everywhere
/// that matters), an unattributed intrusion (unknown for a missing fact), a remote data theft
/// by Borduria's organ (the experts are divided on sovereignty below the threshold), and a
/// line that does not load.
fn input() -> tempfile::NamedTempFile {
    let base = [
        "state(astoria)",
        "state(borduria)",
        "organ_of(unit_1, borduria)",
    ];
    let case = |id: &str, facts: &[&str]| {
        let mut f: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        f.extend(facts.iter().map(|s| s.to_string()));
        serde_json::json!({"id": id, "facts": f}).to_string()
    };
    let lines = [
        case(
            "outage",
            &[
                "operation(op)",
                "conducted_by(op, unit_1)",
                "effect_in(op, astoria, loss_of_functionality)",
                "scale_of_effect(op, astoria, loss_of_functionality, significant)",
                "interferes_with_governmental_function(op, astoria)",
            ],
        ),
        case(
            "unattributed",
            &[
                "operation(op)",
                "conducted_by(op, group_x)",
                "effect_in(op, astoria, loss_of_functionality)",
                "scale_of_effect(op, astoria, loss_of_functionality, significant)",
                "interferes_with_governmental_function(op, astoria)",
            ],
        ),
        case(
            "espionage",
            &[
                "operation(op)",
                "conducted_by(op, unit_1)",
                "intruded_into(op, astoria)",
                "effect_in(op, astoria, data_exfiltration)",
            ],
        ),
        "{\"facts\": [\"state(\"]}".to_string(),
    ];
    let mut f = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("temp file");
    for l in lines {
        writeln!(f, "{l}").expect("write");
    }
    f
}

const GOAL: &str = "violates_sovereignty(op, astoria)";

#[test]
fn summary_counts_values_and_causes_per_position_as_json() {
    let f = input();
    let out = opinio()
        .args([
            "batch",
            "--summary",
            "--summary-format",
            "json",
            "--goals",
            GOAL,
        ])
        .args(["--position", "tallinn2", "--input"])
        .arg(f.path())
        .output()
        .expect("runs");
    // The line that does not load is reported on stderr, and the exit code says so.
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"line\":4"));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["scenarios"], 3);
    assert_eq!(doc["errors"], 1);
    let cell = &doc["goals"][0]["positions"][0];
    assert_eq!(doc["goals"][0]["goal"], GOAL);
    assert_eq!(cell["position"], "tallinn2");
    assert_eq!(cell["true"], 1, "{cell}");
    assert_eq!(cell["false"], 0, "{cell}");
    assert_eq!(cell["unknown"], 2, "{cell}");
    // Who the author was is a fact; the threshold for remote espionage is a point of law.
    assert_eq!(cell["missing_facts"], 1, "{cell}");
    assert_eq!(cell["divided_law"], 1, "{cell}");
    assert!(
        cell["points"].as_object().is_some_and(|p| !p.is_empty()),
        "{cell}"
    );
}

#[test]
fn summary_as_text_and_csv_and_every_position() {
    let f = input();
    let text = opinio()
        .args([
            "batch",
            "--summary",
            "--all-positions",
            "--goals",
            GOAL,
            "--input",
        ])
        .arg(f.path())
        .output()
        .expect("runs");
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(t.starts_with("3 scenarios, 1 not evaluated\n"), "{t}");
    assert!(t.contains(&format!("\n{GOAL}\n")));
    // France sees a violation in remote espionage; the UK sees no rule of sovereignty at all.
    let row = |p: &str| {
        t.lines()
            .find(|l| l.split_whitespace().next() == Some(p))
            .unwrap_or_else(|| panic!("no row {p}: {t}"))
            .split_whitespace()
            .skip(1)
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(row("france"), "2 0 1");
    assert_eq!(row("uk"), "0 3 0");
    let csv = opinio()
        .args([
            "batch",
            "--summary",
            "--summary-format",
            "csv",
            "--all-positions",
        ])
        .args(["--goals", GOAL, "--input"])
        .arg(f.path())
        .output()
        .expect("runs");
    let c = String::from_utf8_lossy(&csv.stdout);
    let mut lines = c.lines();
    assert_eq!(
        lines.next(),
        Some("goal,position,true,false,unknown,missing_facts,divided_law,both,stipulated,points")
    );
    assert!(c.contains(&format!("\"{GOAL}\",uk,0,3,0,0,0,0,0,")), "{c}");
}

#[test]
fn chart_draws_one_bar_per_position_with_text_labels() {
    let f = input();
    let dir = tempfile::tempdir().expect("dir");
    let svg = dir.path().join("chart.svg");
    opinio()
        .args([
            "batch",
            "--summary",
            "--all-positions",
            "--goals",
            GOAL,
            "--chart",
        ])
        .arg(&svg)
        .arg("--input")
        .arg(f.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("points of law left open"));
    let text = std::fs::read_to_string(&svg).expect("chart written");
    assert!(text.starts_with("<svg"));
    for label in ["tallinn2", "france", "uk", "unknown: divided law", GOAL] {
        assert!(text.contains(label), "no {label} in the chart");
    }
    // The UK's bar is all false: one red rectangle spanning the plot.
    assert!(text.contains("fill=\"#C62828\""));
}

#[test]
fn chart_and_format_need_summary() {
    opinio()
        .args(["batch", "--chart", "x.svg", "--input", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--summary"));
}
