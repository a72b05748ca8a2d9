//! `opinio import eurepoc|dcid` on the real binary, with small synthetic files in the
//! datasets' column layouts (tests/fixtures/datasets/: a byte-order mark, CRLF line ends,
//! malformed rows, empty fields, names that are not States). No real dataset is used.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const GLOBAL: &str = "tests/fixtures/datasets/eurepoc_global.csv";
const ATTRIBUTION: &str = "tests/fixtures/datasets/eurepoc_attribution.csv";
const DCID_CSV: &str = "tests/fixtures/datasets/dcid.csv";
const DCID_XLSX: &str = "tests/fixtures/datasets/dcid.xlsx";

struct Imported {
    scenarios: Vec<Value>,
    stderr: String,
    code: i32,
}

fn import(args: &[&str]) -> Imported {
    let out = opinio().arg("import").args(args).output().expect("runs");
    let scenarios = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    Imported {
        scenarios,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn scenario<'a>(i: &'a Imported, id: &str) -> &'a Value {
    i.scenarios
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no scenario {id}"))
}

fn has(s: &Value, field: &str, fact: &str) -> bool {
    s[field]
        .as_array()
        .is_some_and(|l| l.iter().any(|f| f == fact))
}

#[test]
fn eurepoc_bad_rows_give_error_records_naming_row_and_column_and_the_run_goes_on() {
    let i = import(&["eurepoc", GLOBAL]);
    assert_eq!(i.code, 1, "errors make the exit code 1: {}", i.stderr);
    // The list left open, the number that is not one, the row cut short.
    assert!(i.stderr.contains(
        "error: row 3 (incident 900002), column `receiver_country`: the list cannot be read"
    ));
    assert!(i
        .stderr
        .contains("error: row 7, column `ID`: `abc` is not an incident number"));
    assert!(i.stderr.contains(
        "error: row 10, column `receiver_country`: the row ends before this column: it has 4 cells where the header has 81"
    ));
    // The rows after each bad row were converted.
    let ids: Vec<&str> = i
        .scenarios
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "eurepoc_900001",
            "eurepoc_900003",
            "eurepoc_900004",
            "eurepoc_900005",
            "eurepoc_900008"
        ]
    );
    // The summary counts by reason.
    assert!(i
        .stderr
        .contains("EuRepoC: 9 incidents read, 5 converted (55.6%), 1 skipped, 3 errors"));
    assert!(i
        .stderr
        .contains("skipped     1  the receivers are international organisations, not States"));
    assert!(i
        .stderr
        .contains("receiver_country: `Atlantis` is a name the country table does not hold"));
    assert!(i
        .stderr
        .contains("receiver_country: `EU (region)` is a region, not a State"));
    // A date that is not ISO is a warning naming the column; the incident is still written.
    assert!(i
        .stderr
        .contains("warning: row 5 (incident 900004), column `start_date`"));
    assert!(!has(
        scenario(&i, "eurepoc_900004"),
        "facts",
        "occurred_on(op_900004, 2020-12-31)"
    ));
}

#[test]
fn eurepoc_strict_keeps_attribution_a_claim_and_rules_out_the_victims() {
    let i = import(&["eurepoc", GLOBAL, "--attribution", ATTRIBUTION]);
    let s = scenario(&i, "eurepoc_900001");
    for f in [
        "state(estonia)",
        "targeted(op_900001, estonia)",
        "occurred_on(op_900001, 2019-03-04)",
        "effect_in(op_900001, estonia, temporary_loss_of_functionality)",
        "scale_of_effect(op_900001, estonia, temporary_loss_of_functionality, significant)",
        "interferes_with_governmental_function(op_900001, estonia)",
        // Two rows of one attribution are one joint claim by two governments.
        "claim_source(c_70001, government)",
        "claim_by_state(c_70001, estonia)",
        "claim_by_state(c_70001, united_kingdom)",
        "claim_attributes(c_70001, op_900001, russia)",
        "publicly_attributed(united_kingdom, op_900001, russia)",
        "claim_date(c_70001, 2019-03-10)",
        "claim_source(c_70002, security_company)",
        "claim_basis(c_70002, technical_indicators)",
    ] {
        assert!(has(s, "facts", f), "missing {f}: {s}");
    }
    // Strict: nothing about Russia's organs is stated either way.
    let all = s.to_string();
    assert!(!all.contains("organ_of(actor_unit_00000, russia)"), "{all}");
    // The victim and the third State are not authors.
    for st in ["estonia", "united_kingdom"] {
        assert!(has(
            s,
            "negative_facts",
            &format!("organ_of(actor_unit_00000, {st})")
        ));
        assert!(has(
            s,
            "negative_facts",
            &format!("controlled_by(op_900001, {st})")
        ));
    }
    // Launch place is not the initiator's nationality.
    assert!(has(
        s,
        "unknown_facts",
        "originated_from(op_900001, russia)"
    ));
    // The attribution row without an identifier is a warning; the others count.
    assert!(i
        .stderr
        .contains("warning: row 6 (incident 900001), column `attribution_ID`"));
}

#[test]
fn eurepoc_trusting_takes_the_coding_as_fact() {
    let i = import(&["eurepoc", GLOBAL, "--mode", "trusting"]);
    let s = scenario(&i, "eurepoc_900001");
    assert!(has(s, "facts", "organ_of(actor_unit_00000, russia)"), "{s}");
    // A hacktivist group: not an organ of China, nor directed by it, in trusting mode.
    let g = scenario(&i, "eurepoc_900005");
    assert!(has(
        g,
        "negative_facts",
        "organ_of(actor_red_lantern, china)"
    ));
    assert!(has(g, "negative_facts", "controlled_by(op_900005, china)"));
    // State affiliation suggested: not an organ; control is left open.
    let k = scenario(&i, "eurepoc_900008");
    assert!(has(
        k,
        "negative_facts",
        "organ_of(actor_lazarus_like, north_korea)"
    ));
    assert!(!k
        .to_string()
        .contains("controlled_by(op_900008, north_korea)"));
}

#[test]
fn eurepoc_regions_territories_and_unavailable_effects() {
    let i = import(&["eurepoc", GLOBAL]);
    // A region beside States: the States are the receivers.
    let s = scenario(&i, "eurepoc_900005");
    assert!(has(
        s,
        "facts",
        "critical_infrastructure_affected(op_900005, latvia)"
    ));
    assert!(has(
        s,
        "facts",
        "interferes_with_governmental_function(op_900005, lithuania)"
    ));
    assert!(!has(
        s,
        "facts",
        "interferes_with_governmental_function(op_900005, latvia)"
    ));
    assert!(!s.to_string().contains("eu_region"));
    // Hong Kong is China's territory; "Not available" leaves the effect unknown; ransomware.
    let h = scenario(&i, "eurepoc_900008");
    assert!(has(h, "facts", "targeted(op_900008, china)"));
    assert!(has(
        h,
        "unknown_facts",
        "effect_in(op_900008, china, temporary_loss_of_functionality)"
    ));
    assert!(has(h, "facts", "data_encrypted(op_900008, china)"));
    assert!(has(h, "facts", "extortion_demand(op_900008)"));
    // Nothing coded but the number: an unidentified receiver State, effects unknown.
    let e = scenario(&i, "eurepoc_900003");
    assert!(has(e, "facts", "state(unidentified_state_900003)"));
    assert!(has(
        e,
        "unknown_facts",
        "effect_in(op_900003, unidentified_state_900003, data_exfiltration)"
    ));
    // ... or left out on request, counted by reason.
    let k = import(&["eurepoc", GLOBAL, "--skip-unidentified-receivers"]);
    assert_eq!(k.scenarios.len(), 3);
    assert!(k
        .stderr
        .contains("skipped     1  no receiver country coded (empty, unknown or not available)"));
    assert!(k
        .stderr
        .contains("skipped     1  no receiver is a State (regions or unrecognised names)"));
}

#[test]
fn dcid_workbook_and_csv_give_the_same_scenarios() {
    let x = import(&["dcid", DCID_XLSX]);
    let c = import(&["dcid", DCID_CSV]);
    assert_eq!(x.scenarios, c.scenarios);
    assert_eq!(x.scenarios.len(), 3);
    assert!(x.stderr.contains(
        "error: row 4 (incident 3), column `initiator`: the initiator (Russian Federation, code 365) is neither StateA"
    ));
    assert!(x
        .stderr
        .contains("error: row 5 (incident 4), column `method`: `intrusion` is not a number"));
    assert!(x
        .stderr
        .contains("skipped     1  a State of the dyad is not in the country table"));
    assert!(x
        .stderr
        .contains("StateB: `Atlantis` is a name the country table does not hold"));
}

#[test]
fn dcid_mapping_strict_and_trusting() {
    let i = import(&["dcid", DCID_CSV]);
    let s = scenario(&i, "dcid_2");
    for f in [
        "targeted(op_2, united_states)",
        "occurred_on(op_2, 2017-09-22)",
        "effect_in(op_2, united_states, loss_of_functionality)",
        "scale_of_effect(op_2, united_states, loss_of_functionality, grave)",
        "critical_infrastructure_affected(op_2, united_states)",
        "interferes_with_governmental_function(op_2, united_states)",
        "claim_attributes(c_dcid_2, op_2, russia)",
    ] {
        assert!(has(s, "facts", f), "missing {f}: {s}");
    }
    assert!(has(
        s,
        "negative_facts",
        "organ_of(actor_dcid_2, united_states)"
    ));
    assert!(!s.to_string().contains("organ_of(actor_dcid_2, russia)"));
    // A worm with ransomware.
    let w = scenario(&i, "dcid_5");
    assert!(has(w, "facts", "self_propagating(op_5)"));
    assert!(has(w, "facts", "extortion_demand(op_5)"));
    let t = import(&["dcid", DCID_CSV, "--mode", "trusting"]);
    assert!(has(
        scenario(&t, "dcid_2"),
        "facts",
        "organ_of(actor_dcid_2, russia)"
    ));
    // A third-party initiator: instructed by the State, not its organ.
    let p = scenario(&t, "dcid_1");
    assert!(has(p, "facts", "instructed_by(op_1, united_states)"));
    assert!(has(
        p,
        "negative_facts",
        "organ_of(actor_dcid_1, united_states)"
    ));
}

#[test]
fn the_scenarios_evaluate_and_the_modes_differ_where_attribution_matters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let goal = "violates_sovereignty(O, V)";
    let mut values = Vec::new();
    for mode in ["strict", "trusting"] {
        let out = dir.path().join(format!("{mode}.jsonl"));
        opinio()
            .args([
                "import",
                "eurepoc",
                GLOBAL,
                "--attribution",
                ATTRIBUTION,
                "--mode",
                mode,
                "-o",
            ])
            .arg(&out)
            .assert()
            .code(1);
        let b = opinio()
            .args(["batch", "--position", "france", "--goals", goal, "--input"])
            .arg(&out)
            .output()
            .expect("runs");
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        let text = String::from_utf8_lossy(&b.stdout).into_owned();
        let first: Value = serde_json::from_str(text.lines().next().unwrap_or("{}")).expect("json");
        assert_eq!(first["id"], "eurepoc_900001");
        let answer = first["answers"]
            .as_array()
            .and_then(|l| {
                l.iter()
                    .find(|a| a["atom"] == "violates_sovereignty(op_900001, estonia)")
            })
            .map_or("false", |a| a["value"].as_str().unwrap_or(""));
        values.push(answer.to_string());
        // Every scenario loads.
        assert!(!text.contains("\"error\""), "{text}");
    }
    assert_eq!(values, ["unknown", "true"]);
}

#[test]
fn a_file_in_another_layout_is_refused_with_help() {
    opinio()
        .args(["import", "eurepoc", DCID_CSV])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not in EuRepoC's global database's column layout",
        ))
        .stderr(predicate::str::contains("help:"));
    opinio()
        .args(["import", "dcid", "tests/fixtures/datasets/missing.xlsx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot read `tests/fixtures/datasets/missing.xlsx`: there is no such file or folder",
        ))
        .stderr(predicate::str::contains("os error").not());
    // A workbook where a CSV file is expected, and a folder.
    opinio()
        .args(["import", "eurepoc", DCID_XLSX])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is a workbook (a spreadsheet file), not a CSV file",
        ))
        .stderr(predicate::str::contains("opinio import dcid"));
    opinio()
        .args(["import", "dcid", "tests/fixtures/datasets"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("it is a folder, not a file"));
}

/// A DCID sheet saved without the columns read as flags (`3rdpartyinitiator`, `Crit Inf`,
/// `Ransomware`) is refused with their names: it once converted, with the proxy
/// attributions, critical infrastructure and ransomware silently left out.
#[test]
fn a_dcid_sheet_without_its_flag_columns_is_refused() {
    let text = std::fs::read_to_string(DCID_CSV).expect("the fixture");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|i| {
            !matches!(
                &headers[*i],
                "3rdpartyinitiator" | "Crit Inf" | "Ransomware"
            )
        })
        .collect();
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("dcid_without_flags.csv");
    let mut writer = csv::Writer::from_path(&path).expect("a file");
    writer
        .write_record(keep.iter().map(|i| &headers[*i]))
        .expect("written");
    for record in reader.records() {
        let record = record.expect("a row");
        writer
            .write_record(keep.iter().map(|i| record.get(*i).unwrap_or("")))
            .expect("written");
    }
    writer.flush().expect("flushed");
    opinio()
        .args(["import", "dcid"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`3rdpartyinitiator`"))
        .stderr(predicate::str::contains("`Crit Inf`"))
        .stderr(predicate::str::contains("`Ransomware`"))
        .stderr(predicate::str::contains("help:"));
}

#[test]
fn json_format_gives_problem_records_and_a_summary_object() {
    let i = import(&["eurepoc", GLOBAL, "--format", "json"]);
    let records: Vec<Value> = i
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let err = records
        .iter()
        .find(|r| r["severity"] == "error" && r["row"] == 3)
        .expect("an error record for row 3");
    assert_eq!(err["column"], "receiver_country");
    assert_eq!(err["incident"], "900002");
    let summary = records.last().expect("summary");
    assert_eq!(summary["summary"]["converted"], 5);
    assert_eq!(summary["summary"]["errors"], 3);
}

#[test]
fn import_help_describes_every_argument_and_ends_with_two_examples() {
    for args in [
        vec!["import"],
        vec!["import", "eurepoc"],
        vec!["import", "dcid"],
    ] {
        let out = opinio().args(&args).arg("--help").output().expect("runs");
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{args:?}: no examples:\n{help}"));
        let starts = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("opinio "))
            .count();
        assert_eq!(starts, 2, "{args:?}: {examples}");
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
                    "{args:?}: `{t}` has no description"
                );
            }
        }
    }
}

/// A file with the global database's header and the given rows, each a list of (column,
/// cell) pairs (the other cells empty).
fn global_with_rows(dir: &std::path::Path, rows: &[&[(&str, &str)]]) -> std::path::PathBuf {
    let text = std::fs::read_to_string(GLOBAL).expect("fixture");
    let header = text
        .lines()
        .next()
        .expect("header")
        .trim_start_matches('\u{feff}');
    let columns: Vec<&str> = header.split(',').collect();
    let mut out = format!("{header}\n");
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                let v = row.iter().find(|(k, _)| k == c).map_or("", |(_, v)| v);
                if v.contains(',') {
                    format!("\"{v}\"")
                } else {
                    v.to_string()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let path = dir.join("global.csv");
    std::fs::write(&path, out).expect("written");
    path
}

#[test]
fn one_initiator_coded_with_several_states_is_one_actor_per_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    // One name for a group of States (as EuRepoC codes "Five Eyes"), and no name at all.
    let group: &[(&str, &str)] = &[
        ("ID", "900101"),
        ("receiver_country", "['Russia']"),
        ("initiator_name", "['Allied Unit']"),
        ("initiator_country", "['Canada', 'New Zealand']"),
        ("initiator_category", "['State']"),
    ];
    let unnamed: &[(&str, &str)] = &[
        ("ID", "900102"),
        ("receiver_country", "['Russia']"),
        ("initiator_country", "['Canada', 'New Zealand']"),
        ("initiator_category", "['State']"),
    ];
    let path = global_with_rows(dir.path(), &[group, unnamed]);
    let file = path.to_string_lossy().into_owned();
    let i = import(&["eurepoc", &file, "--mode", "trusting"]);
    assert_eq!(i.code, 0, "{}", i.stderr);
    let g = scenario(&i, "eurepoc_900101");
    for (actor, state) in [
        ("actor_allied_unit_canada", "canada"),
        ("actor_allied_unit_new_zealand", "new_zealand"),
    ] {
        assert!(
            has(g, "facts", &format!("conducted_by(op_900101, {actor})")),
            "{g}"
        );
        assert!(
            has(g, "facts", &format!("organ_of({actor}, {state})")),
            "{g}"
        );
        assert!(
            has(g, "negative_facts", &format!("organ_of({actor}, russia)")),
            "{g}"
        );
    }
    assert!(!g.to_string().contains("actor_allied_unit,"), "{g}");
    let u = scenario(&i, "eurepoc_900102");
    assert!(has(
        u,
        "facts",
        "organ_of(actor_unidentified_900102_new_zealand, new_zealand)"
    ));
    // Both load: an actor is the organ of one State at most.
    let out = dir.path().join("trusting.jsonl");
    opinio()
        .args(["import", "eurepoc", &file, "--mode", "trusting", "-o"])
        .arg(&out)
        .assert()
        .success();
    let b = opinio()
        .args([
            "batch",
            "--position",
            "france",
            "--goals",
            "violates_sovereignty(O, V)",
            "--input",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&b.stdout).into_owned();
    assert!(b.status.success() && !text.contains("\"error\""), "{text}");
    assert!(
        text.contains("\"violates_sovereignty(op_900101, russia)\""),
        "{text}"
    );
}

/// An incident number written twice (`7`, then `7.0` or `007`, as a spreadsheet may write
/// it) is one incident: the repeated row is an error naming the first, not a second
/// `eurepoc_7`; and a name in another script keeps a constant of its own, transliterated,
/// instead of becoming the unidentified actor.
#[test]
fn repeated_incident_numbers_are_refused_and_names_in_other_scripts_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let row = |id: &'static str, name: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("ID", id),
            ("receiver_country", "['Ukraine']"),
            ("initiator_name", name),
            ("initiator_country", "['Russia']"),
            ("initiator_category", "['State']"),
        ]
    };
    let rows = [
        row("7", "['Лазарь']"),
        row("7.0", "['Other']"),
        row("007", "['Other']"),
        row("8", "['中国黑客']"),
    ];
    let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let path = global_with_rows(dir.path(), &rows);
    let file = path.to_string_lossy().into_owned();
    let i = import(&["eurepoc", &file, "--mode", "trusting"]);
    assert_eq!(i.code, 1, "{}", i.stderr);
    let ids: Vec<&str> = i
        .scenarios
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["eurepoc_7", "eurepoc_8"], "{}", i.stderr);
    assert!(
        i.stderr
            .contains("row 3 (incident 7), column `ID`: incident 7 is already on row 2"),
        "{}",
        i.stderr
    );
    assert!(i.stderr.contains("row 4 (incident 7)"), "{}", i.stderr);
    assert!(
        i.stderr.contains("help: each incident is one row"),
        "{}",
        i.stderr
    );
    let seven = scenario(&i, "eurepoc_7");
    assert!(
        has(seven, "facts", "organ_of(actor_lazar, russia)"),
        "{seven}"
    );
    let eight = scenario(&i, "eurepoc_8");
    assert!(!eight.to_string().contains("actor_unidentified"), "{eight}");
    assert!(
        has(eight, "facts", "organ_of(actor_zhong_guo_hei_ke, russia)"),
        "{eight}"
    );
}

/// A DCID sheet saved as CSV with the fixture's header: one row per entry of `rows`, each
/// the cells of a disruption of the United States by Russia (government target, energy
/// sector, severity 3) with the given cells changed.
fn dcid_with_rows(dir: &std::path::Path, rows: &[&[(&str, &str)]]) -> String {
    let text = std::fs::read_to_string(DCID_CSV).expect("fixture");
    let header = text
        .lines()
        .next()
        .expect("header")
        .trim_start_matches('\u{feff}');
    let base: &[(&str, &str)] = &[
        ("Dyadpair", "2365"),
        ("StateA", "US"),
        ("StateB", "Russia"),
        ("interactionstartdate", "43000"),
        ("method", "2"),
        ("targettype", "2"),
        ("initiator", "365"),
        ("cyber_objective", "1"),
        ("information_operation", "0"),
        ("3rdpartyinitiator", "0"),
        ("severity", "3"),
        ("Crit Inf", "8"),
        ("Ransomware", "0"),
    ];
    let mut out = format!("{header}\n");
    for row in rows {
        let cells: Vec<&str> = header
            .split(',')
            .map(|c| {
                row.iter()
                    .chain(base)
                    .find(|(k, _)| *k == c)
                    .map_or("", |(_, v)| *v)
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let path = dir.join("dcid.csv");
    std::fs::write(&path, out).expect("written");
    path.to_string_lossy().into_owned()
}

/// A severity outside DCID's scale (whole numbers 1 to 10) was read as a scale: 11, 99 and
/// 1e308 became `grave`, 0 and -3 `minor`, 4.5 `significant`. Each is now a warning naming
/// row, incident and column, with the scale left unknown (no `scale_of_effect`).
#[test]
fn a_dcid_severity_outside_the_codebook_leaves_the_scale_unknown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = ["11", "99", "1e308", "0", "-3", "4.5"];
    let mut rows: Vec<Vec<(&str, &str)>> = bad
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                ("Cyberincidentnum", ["11", "12", "13", "14", "15", "16"][i]),
                ("severity", *s),
            ]
        })
        .collect();
    rows.push(vec![("Cyberincidentnum", "17"), ("severity", "10")]);
    let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let file = dcid_with_rows(dir.path(), &rows);
    let i = import(&["dcid", &file]);
    assert_eq!(i.code, 0, "warnings only: {}", i.stderr);
    assert_eq!(i.scenarios.len(), 7, "{}", i.stderr);
    for (n, s) in bad.iter().enumerate() {
        let id = 11 + n;
        let sc = scenario(&i, &format!("dcid_{id}"));
        assert!(!sc.to_string().contains("scale_of_effect"), "{sc}");
        assert!(
            has(
                sc,
                "facts",
                &format!("effect_in(op_{id}, united_states, temporary_loss_of_functionality)")
            ),
            "{sc}"
        );
        assert!(
            i.stderr.contains(&format!(
                "warning: row {} (incident {id}), column `severity`: `{s}` is ",
                n + 2
            )),
            "{}",
            i.stderr
        );
    }
    assert!(
        i.stderr.contains("`4.5` is not a whole number"),
        "{}",
        i.stderr
    );
    assert!(
        i.stderr
            .contains("the scale of the effects is left unknown"),
        "{}",
        i.stderr
    );
    assert!(has(
        scenario(&i, "dcid_17"),
        "facts",
        "scale_of_effect(op_17, united_states, temporary_loss_of_functionality, grave)"
    ));
}

/// The other codes read as facts: a target type, sector or 0/1 flag outside the codebook
/// was silently read as "not the government", "not critical infrastructure", or (0.7, 99)
/// "yes"; a method or objective between codes was rounded to one. Now the fact is left
/// unknown with a warning, and a method or objective that is no code is an error.
#[test]
fn dcid_codes_outside_the_codebook_are_reported_not_mapped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let odd: &[(&str, &str)] = &[
        ("Cyberincidentnum", "21"),
        ("targettype", "9"),
        ("Crit Inf", "Energy"),
        ("Ransomware", "0.7"),
        ("information_operation", "-1"),
        ("3rdpartyinitiator", "99"),
    ];
    let method: &[(&str, &str)] = &[("Cyberincidentnum", "22"), ("method", "0.95")];
    let objective: &[(&str, &str)] = &[("Cyberincidentnum", "23"), ("cyber_objective", "3.6")];
    let sector: &[(&str, &str)] = &[("Cyberincidentnum", "24"), ("Crit Inf", "8.5")];
    let file = dcid_with_rows(dir.path(), &[odd, method, objective, sector]);
    let i = import(&["dcid", &file, "--mode", "trusting"]);
    assert_eq!(i.code, 1, "{}", i.stderr);
    let s = scenario(&i, "dcid_21");
    for f in [
        "interferes_with_governmental_function(op_21, united_states)",
        "critical_infrastructure_affected(op_21, united_states)",
        "effect_in(op_21, united_states, reinstallation_required)",
        "data_encrypted(op_21, united_states)",
        "extortion_demand(op_21)",
        "disinformation(op_21, united_states)",
    ] {
        assert!(has(s, "unknown_facts", f), "{f} not unknown: {s}");
    }
    // A third party or not: the trusting attribution is left open.
    assert!(
        !s.to_string().contains("organ_of(actor_dcid_21, russia)"),
        "{s}"
    );
    assert!(
        !s.to_string().contains("instructed_by(op_21, russia)"),
        "{s}"
    );
    for column in [
        "targettype",
        "Crit Inf",
        "Ransomware",
        "information_operation",
        "3rdpartyinitiator",
    ] {
        assert!(
            i.stderr
                .contains(&format!("warning: row 2 (incident 21), column `{column}`")),
            "{column}: {}",
            i.stderr
        );
    }
    assert!(i.stderr.contains(
        "error: row 3 (incident 22), column `method`: `0.95` is not a method of the codebook"
    ));
    assert!(i.stderr.contains(
        "error: row 4 (incident 23), column `cyber_objective`: `3.6` is not an objective of the codebook"
    ));
    assert!(i
        .stderr
        .contains("warning: row 5 (incident 24), column `Crit Inf`: `8.5` is not a whole number"));
    assert!(has(
        scenario(&i, "dcid_24"),
        "unknown_facts",
        "critical_infrastructure_affected(op_24, united_states)"
    ));
    let ids: Vec<&str> = i
        .scenarios
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["dcid_21", "dcid_24"]);
}

/// A repeated incident number in DCID says, as EuRepoC's does, that the row is left out and
/// what to do.
#[test]
fn a_repeated_dcid_incident_says_the_row_is_left_out_and_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let row: &[(&str, &str)] = &[("Cyberincidentnum", "7")];
    let again: &[(&str, &str)] = &[("Cyberincidentnum", "7.0")];
    let file = dcid_with_rows(dir.path(), &[row, again]);
    let i = import(&["dcid", &file]);
    assert_eq!(i.code, 1, "{}", i.stderr);
    assert_eq!(i.scenarios.len(), 1);
    assert!(i.stderr.contains(
        "row 3 (incident 7), column `Cyberincidentnum`: incident 7 is already on row 2; this row is left out"
    ), "{}", i.stderr);
    assert!(
        i.stderr.contains(
            "help: each incident is one row of DCID's incident sheet (the first sheet of the workbook): remove the repeated row, or give it its own number"
        ),
        "{}",
        i.stderr
    );
}

/// A CSV saved as UTF-16 or with semicolons, and a file named `.xlsx` that is no workbook,
/// are told as such, with what to do: not as a layout without its columns, nor with the
/// workbook reader's words ("Zip error: … Could not find EOCD").
#[test]
fn a_file_saved_in_another_form_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(GLOBAL).expect("fixture");
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    for u in text.trim_start_matches('\u{feff}').encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let u16_path = dir.path().join("utf16.csv");
    std::fs::write(&u16_path, &utf16).expect("written");
    let mut be: Vec<u8> = vec![0xFE, 0xFF];
    for u in "ID,start_date\n".encode_utf16() {
        be.extend_from_slice(&u.to_be_bytes());
    }
    let be_path = dir.path().join("utf16be.csv");
    std::fs::write(&be_path, &be).expect("written");
    for p in [&u16_path, &be_path] {
        opinio()
            .args(["import", "eurepoc"])
            .arg(p)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("is UTF-16 text, not UTF-8"))
            .stderr(predicate::str::contains("help: save it as UTF-8 CSV"))
            .stderr(predicate::str::contains("column layout").not());
    }
    let semi = dir.path().join("semicolons.csv");
    std::fs::write(&semi, text.replace(',', ";")).expect("written");
    for dataset in ["eurepoc", "dcid"] {
        opinio()
            .args(["import", dataset])
            .arg(&semi)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "is separated by semicolons, not commas",
            ))
            .stderr(predicate::str::contains(
                "help: save it as comma-separated CSV",
            ))
            .stderr(predicate::str::contains("column layout").not());
    }
    let fake = dir.path().join("bad.xlsx");
    std::fs::write(&fake, "Cyberincidentnum,StateA\n1,US\n").expect("written");
    opinio()
        .args(["import", "dcid"])
        .arg(&fake)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not a readable workbook: it is not an .xlsx, .xls or .ods file",
        ))
        .stderr(predicate::str::contains("help:"))
        .stderr(predicate::str::contains("Zip").not())
        .stderr(predicate::str::contains("EOCD").not());
    let damaged = dir.path().join("damaged.xlsx");
    let bytes = std::fs::read(DCID_XLSX).expect("fixture");
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).expect("written");
    opinio()
        .args(["import", "dcid"])
        .arg(&damaged)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not a readable workbook: it looks like a spreadsheet file but is damaged",
        ))
        .stderr(predicate::str::contains("Zip").not());
}
