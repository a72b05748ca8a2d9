//! Why an unknown answer is unknown, as the command line says it: `query` (text and JSON),
//! `explain`, `compare` and `batch`.

use assert_cmd::Command;

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").expect("binary built");
    c.env("NO_COLOR", "1")
        .env("PAGER", "cat")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const NOTPETYA: &str = "../opinio/tests/scenarios/notpetya.opinio";
const DENMARK: &str = "violates_sovereignty(notpetya, denmark)";

fn stdout(args: &[&str]) -> String {
    let out = opinio().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Nothing about Ukraine or Denmark authoring NotPetya can change the answer: Russia is
/// answerable for it, and the answer turns on the open point alone.
fn no_other_author(text: &str) {
    for p in [
        "instructed",
        "controlled",
        "adopted",
        "empowered",
        "acknowledged",
    ] {
        for s in ["ukraine", "denmark"] {
            let bad = text
                .lines()
                .any(|l| l.contains(p) && l.contains(s) && !l.contains("other way"));
            assert!(!bad, "{p} … {s} listed:\n{text}");
        }
    }
}

#[test]
fn query_says_in_one_line_that_the_law_is_divided() {
    let text = stdout(&["query", "-s", NOTPETYA, DENMARK]);
    let mut lines = text.lines();
    // The line scripts read is unchanged.
    assert_eq!(
        lines.next(),
        Some("violates_sovereignty(notpetya, denmark) = unknown")
    );
    let why = lines.next().expect("a reason");
    assert!(
        why.starts_with("  unknown: the law is divided on sovereignty below the damage threshold"),
        "{why}"
    );
    assert!(why.contains("yes: france"), "{why}");
    assert!(why.contains("no: uk"), "{why}");
    assert_eq!(lines.next(), None);
    no_other_author(&text);
}

#[test]
fn query_json_carries_the_reason_and_the_provenance() {
    let text = stdout(&["query", "-s", NOTPETYA, "-f", "json", DENMARK]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let reason = &v["answers"][0]["reason"];
    assert_eq!(reason["kind"], "divided_law");
    assert_eq!(reason["missing_facts"], serde_json::json!([]));
    assert_eq!(reason["points"][0]["point"], "sovereignty_below_threshold");
    let yes = reason["positions"]["true"].as_array().expect("list");
    assert!(yes.iter().any(|p| p == "france"));
    let no = reason["positions"]["false"].as_array().expect("list");
    assert!(no.iter().any(|p| p == "uk"));
    let p = &v["provenance"];
    assert_eq!(p["opinio_version"], env!("CARGO_PKG_VERSION"));
    let hash = p["knowledge_base_hash"].as_str().expect("hash");
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(p["positions"], serde_json::json!(["tallinn2"]));
    assert!(p["limits"]["max_atoms"].is_number());
    assert_eq!(p["search"]["max_sets"], 5);
    // The same knowledge base gives the same hash in another run.
    let again = stdout(&["compare", "-s", NOTPETYA, "-f", "json", DENMARK]);
    let w: serde_json::Value = serde_json::from_str(&again).expect("json");
    assert_eq!(
        w["provenance"]["knowledge_base_hash"],
        p["knowledge_base_hash"]
    );
    no_other_author(&text);
}

#[test]
fn explain_starts_with_a_summary_and_lists_no_other_author() {
    let text = stdout(&["explain", "-s", NOTPETYA, DENMARK]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("violates_sovereignty(notpetya, denmark) is unknown under tallinn2")
    );
    assert!(
        lines[1].starts_with("  decided by: rule sovereignty_violation_by_state"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("  why unknown: the law is divided"),
        "{text}"
    );
    assert!(!text.contains("Missing facts"), "{text}");
    // No mechanical comparison.
    assert!(
        !text.contains("reinstallation_required = reinstallation_required"),
        "{text}"
    );
    no_other_author(&text);
    // A shallower tree is shorter, and says what it left out.
    let shallow = stdout(&["explain", "-s", NOTPETYA, "--depth", "1", DENMARK]);
    assert!(shallow.lines().count() < lines.len());
    assert!(shallow.contains("left out at this depth"), "{shallow}");
}

#[test]
fn compare_has_a_why_column() {
    let text = stdout(&["compare", "-s", NOTPETYA, DENMARK]);
    let header = text.lines().nth(1).expect("header");
    assert!(header.contains("why"), "{header}");
    let tallinn = text
        .lines()
        .find(|l| l.starts_with("tallinn2 "))
        .expect("a row");
    assert!(
        tallinn.contains("the law is divided on sovereignty below the damage threshold"),
        "{tallinn}"
    );
    let france = text
        .lines()
        .find(|l| l.starts_with("france "))
        .expect("a row");
    assert!(!france.contains("divided"), "{france}");
}

/// One scenario as `opinio batch` reads it: Arcadia's organ exfiltrates data from Borduria,
/// an intrusion below the damage threshold.
const ESPIONAGE: &str = r#"{"facts": ["state(arcadia)", "state(borduria)", "operation(op)", "conducted_by(op, unit)", "organ_of(unit, arcadia)", "intruded_into(op, borduria)", "effect_in(op, borduria, data_exfiltration)"]}"#;

/// The record `opinio batch -i - <args>` writes for [`ESPIONAGE`].
fn batch_record(args: &[&str]) -> serde_json::Value {
    let out = opinio()
        .args(["batch", "-i", "-"])
        .args(args)
        .write_stdin(format!("{ESPIONAGE}\n"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("json")
}

#[test]
fn batch_records_why_each_unknown_is_unknown() {
    let v = batch_record(&["--goals", "violates_sovereignty(op, borduria)"]);
    let a = &v["answers"][0];
    assert_eq!(a["value"], "unknown");
    assert_eq!(a["why"]["kind"], "divided_law");
    assert!(a.get("reason").is_none());
    assert_eq!(
        v["provenance"]["positions"],
        serde_json::json!(["tallinn2"])
    );
}

#[test]
fn batch_answers_only_gives_the_same_values_without_why() {
    let mut full = batch_record(&["--all-positions"]);
    let short = batch_record(&["--all-positions", "--answers-only"]);
    let text = short["positions"].to_string();
    assert!(!text.contains("\"why\""), "{text}");
    assert!(full["positions"].to_string().contains("\"why\""));
    // Without the `why`s, the records are the same: same atoms, same values, same order.
    for answers in full["positions"]
        .as_object_mut()
        .expect("positions")
        .values_mut()
    {
        for a in answers.as_array_mut().expect("answers") {
            a.as_object_mut().expect("answer").remove("why");
        }
    }
    assert_eq!(full["positions"], short["positions"]);
    // The classification is what a summary tallies: the two cannot go together.
    let out = opinio()
        .args(["batch", "-i", "-", "--answers-only", "--summary"])
        .write_stdin(format!("{ESPIONAGE}\n"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}

/// A question over many operations: the first ten unknown answers say in detail why, the
/// rest in short (computed together), and a note on standard error says so.
#[test]
fn query_gives_the_answers_past_the_first_ten_a_short_reason() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut facts = String::from("state(arcadia). state(borduria).\n");
    for i in 0..12 {
        facts.push_str(&format!(
            "operation(op{i}). conducted_by(op{i}, unit). intruded_into(op{i}, borduria). effect_in(op{i}, borduria, data_exfiltration).\n"
        ));
    }
    facts.push_str("organ_of(unit, arcadia).\n");
    let path = dir.path().join("many.opinio");
    std::fs::write(&path, facts).expect("written");
    let out = opinio()
        .args(["query", "-s"])
        .arg(&path)
        .arg("violates_sovereignty(Op, borduria)")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    let reasons: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  unknown: "))
        .collect();
    assert_eq!(reasons.len(), 12, "{text}");
    let detailed = reasons
        .iter()
        .filter(|l| l.contains("positions answering"))
        .count();
    assert_eq!(detailed, 10, "{text}");
    assert!(
        reasons.iter().all(|l| l.contains("the law is divided on")),
        "{text}"
    );
    assert!(stderr.contains("note: 12 answers are unknown"), "{stderr}");
}
