//! Reliability of evaluation on hostile rules and queries (docs/reliability.md, "Limits on
//! evaluation"): huge rules compile in about linear time and memory, and the time budget holds
//! inside every loop whose length depends on the input. The binary runs under a generous
//! watchdog, so these tests check the outcome, not a speed.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

mod common;
use common::{on_stack, write};

/// Far beyond what any of these cases needs; only a hang reaches it.
const WATCHDOG: Duration = Duration::from_secs(120);

fn opinio() -> Command {
    let mut c = Command::cargo_bin("opinio").unwrap_or_else(|e| panic!("binary: {e}"));
    c.env("NO_COLOR", "1")
        .env("OPINIO_HISTORY", "0")
        .timeout(WATCHDOG);
    c
}

/// A knowledge base of one rule with the given conditions, and a scenario of `facts`.
fn case(conditions: &str, head: &str, facts: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap_or_else(|e| panic!("{e}"));
    write(
        &kb.join("big.opinio"),
        format!(
            "source s \"S\".\ntype T.\npredicate e(a: T, b: T) closed means \"a link\".\n\
             predicate o(a: T, b: T) means \"a link nobody may have stated\".\n\
             predicate p(a: T) means \"the conclusion\".\n\
             rule r: p({head}) if {conditions} cites s \"1\".\n"
        ),
    );
    write(&dir.path().join("case.opinio"), facts);
    dir
}

fn query(dir: &Path, goal: &str, extra: &[&str]) -> (bool, String) {
    let out = opinio()
        .arg("query")
        .arg("--kb")
        .arg(dir.join("kb"))
        .arg("-s")
        .arg(dir.join("case.opinio"))
        .args(extra)
        .arg(goal)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A rule with thousands of conditions is refused with a clear diagnostic (it took over two
/// minutes and 3.5 GB to compile before, and its search would need a deep stack).
#[test]
fn a_rule_with_thousands_of_conditions_is_refused_with_a_diagnostic() {
    let conditions: Vec<String> = (0..2000).map(|i| format!("e(X{i}, X{})", i + 1)).collect();
    let dir = case(&conditions.join(" and "), "X0", "e(a, b).\ne(b, a).\n");
    let (ok, text) = query(dir.path(), "p(a)", &[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("the rule `r` has 2000 conditions; a rule has at most 256"),
        "{text}"
    );
    assert!(text.contains("split it"), "{text}");
    let conditions = vec!["e(X, Y)"; 5000].join(" and ");
    let dir = case(&conditions, "X", "e(a, b).\n");
    let (ok, text) = query(dir.path(), "p(a)", &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("has 5000 conditions"), "{text}");
}

/// Knowledge base text of one rule `r` with `conditions`, concluding `p(head)`.
fn rule_kb(conditions: &str, head: &str) -> String {
    format!(
        "source s \"S\".\ntype T.\npredicate e(a: T, b: T) closed means \"a link\".\n\
         predicate o(a: T, b: T) means \"a link nobody may have stated\".\n\
         predicate p(a: T) means \"the conclusion\".\n\
         rule r: p({head}) if {conditions} cites s \"1\".\n"
    )
}

/// The largest rule allowed, with as many distinct variables as conditions or with one
/// condition repeated, over a closed and over an open predicate, is checked, evaluated and
/// explained on a 2 MiB thread (the size of `opinio batch`'s workers), in a debug build too.
/// Planning is about linear: this took minutes at 2,000 conditions before.
#[test]
fn the_largest_rule_allowed_runs_on_a_small_stack() {
    let run = || {
        let n = opinio::program::MAX_CONDITIONS;
        let chain = |p: &str| -> String {
            (0..n)
                .map(|i| format!("{p}(X{i}, X{})", i + 1))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let cases = [
            (chain("e"), "X0", "e(a, a).", opinio::Truth::True),
            (chain("o"), "X0", "o(a, a).", opinio::Truth::True),
            (
                vec!["e(X, Y)"; n].join(" and "),
                "X",
                "e(a, b).",
                opinio::Truth::True,
            ),
            (
                vec!["o(X, Y)"; n].join(" and "),
                "X",
                "o(b, a).",
                opinio::Truth::Unknown,
            ),
        ];
        for (conditions, head, facts, expected) in cases {
            let text = rule_kb(&conditions, head);
            let kb = opinio::KnowledgeBase::from_strings([("big.opinio", text.as_str())])
                .unwrap_or_else(|e| panic!("{}", e.render()));
            let mut s = opinio::Scenario::new(&kb);
            s.add_text("case.opinio", facts)
                .unwrap_or_else(|e| panic!("{}", e.render()));
            let r = s
                .query("p(a)", None)
                .unwrap_or_else(|e| panic!("{}", e.render()));
            assert_eq!(r.answers[0].value, expected, "{facts}");
            let e = s
                .explain(&r.answers[0])
                .unwrap_or_else(|e| panic!("{}", e.render()));
            let _ = opinio::explain::render_text(&e, false);
        }
    };
    on_stack(2 * 1024 * 1024, "the largest rule allowed", run);
}

/// A join whose one round buffers millions of candidate rows, most of them repeats: the
/// deduplication of the buffer and the insertion of the round's rows look at the deadline
/// too (it stopped after 15 s with `--time-limit 2`).
#[test]
fn the_time_limit_holds_while_a_huge_round_is_deduplicated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap_or_else(|e| panic!("{e}"));
    write(
        &kb.join("join.opinio"),
        "source s \"S\".\ntype N.\npredicate n(a: N) closed means \"a node\".\n\
         predicate triple(a: N, b: N, c: N) means \"three nodes, with a fourth anywhere\".\n\
         rule r: triple(A, B, C) if n(A) and n(B) and n(C) and n(D) cites s \"1\".\n",
    );
    let facts: String = (0..90).map(|i| format!("n(x{i}).\n")).collect();
    write(&dir.path().join("case.opinio"), &facts);
    let (ok, text) = query(
        dir.path(),
        "triple(x1, x2, x3)",
        &["--time-limit", "1", "--max-atoms", "100000000"],
    );
    assert!(!ok, "{text}");
    assert!(text.contains("its time budget"), "{text}");
}

/// An open predicate with 32 slots over three things has 3^32 possible rows: the atom limit
/// alone let it reach 5.5 GB (each row holds 32 constants and index entries). The memory
/// budget stops it, with its own message.
#[test]
fn the_memory_budget_stops_a_wide_open_predicate() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap_or_else(|e| panic!("{e}"));
    let slots: Vec<String> = (0..32).map(|i| format!("a{i}: T")).collect();
    let vars: Vec<String> = (0..32).map(|i| format!("X{i}")).collect();
    write(
        &kb.join("wide.opinio"),
        format!(
            "source s \"S\".\ntype T.\npredicate t(a: T) closed means \"a thing\".\n\
             predicate w({}) means \"wide\".\npredicate ww({}) means \"wide, derived\".\n\
             rule r: ww({}) if w({}) cites s \"1\".\n",
            slots.join(", "),
            slots.join(", "),
            vars.join(", "),
            vars.join(", ")
        ),
    );
    write(&dir.path().join("case.opinio"), "t(x0). t(x1). t(x2).\n");
    let goal = format!("ww({})", vec!["x0"; 32].join(", "));
    let (ok, text) = query(dir.path(), &goal, &["--max-memory", "64M"]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("its conclusions would take more than 64 MiB of memory"),
        "{text}"
    );
    assert!(text.contains("--max-memory"), "{text}");
    // A limit below a MiB is said as it is, not rounded to "0 MiB".
    let (ok, text) = query(dir.path(), &goal, &["--max-memory", "1"]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("its conclusions would take more than 1 byte of memory"),
        "{text}"
    );
}
