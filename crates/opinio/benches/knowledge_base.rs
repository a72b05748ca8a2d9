//! The bundled knowledge base on the public scenarios (`tests/scenarios/*.opinio`).
//!
//! - `evaluate/one_position`: every conclusion of one scenario under `tallinn2`, from facts
//!   already parsed and checked (`eval::evaluate`: the model holds every derived atom);
//! - `evaluate/all_positions`: the same under each of the positions;
//! - `answer_all_from_text`: what `opinio batch` does for one line: a new scenario, its facts
//!   parsed and checked, then every atom of every derived predicate that is true or unknown,
//!   as text, under `tallinn2`;
//! - `explain`: one explanation (an `unknown` answer, whose settling sets are verified by
//!   re-evaluation, and a `true` one);
//! - `load_bundled_kb`: parsing, checking and compiling the bundled knowledge base;
//! - `query_process`: `opinio query` as a whole process (the binary `cargo bench` builds).
//!
//! `cargo bench --bench knowledge_base` prints divan's table, then a summary against the
//! targets. Under `cargo test` (no `--bench` flag) it only checks that every piece runs.

mod timing;

use opinio::eval::{self, CompiledPosition, FactSet};
use opinio::program::{Goal, PosId};
use opinio::{KnowledgeBase, Limits, Scenario};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use timing::timed;

const SCENARIOS: &[&str] = &[
    "collective_response",
    "election_tally",
    "notpetya",
    "ransomware_haven",
    "remote_espionage",
    "stuxnet",
    "stuxnet_attributed",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario_path(name: &str) -> PathBuf {
    root()
        .join("tests/scenarios")
        .join(format!("{name}.opinio"))
}

struct Case {
    text: String,
    facts: Arc<FactSet>,
    /// The base predicates' relations, prepared once per scenario and shared by every
    /// position (as `Scenario` does).
    base: Arc<eval::BaseRelations>,
}

struct Fixture {
    kb: KnowledgeBase,
    /// Every position, compiled, with its name; the default (`tallinn2`) first.
    positions: Vec<(String, CompiledPosition)>,
    cases: Vec<(&'static str, Case)>,
    /// One all-variable goal per derived predicate.
    conclusions: Vec<Goal>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let program = kb.program();
        let positions: Vec<(String, CompiledPosition)> = kb
            .position_names()
            .into_iter()
            .map(|n| {
                let id = program.position_id(n).expect("a position");
                (n.to_string(), eval::compile(program, id))
            })
            .collect();
        let masks = all_masks(&positions);
        let cases = SCENARIOS
            .iter()
            .map(|&name| {
                let text = std::fs::read_to_string(scenario_path(name)).expect("scenario file");
                let mut s = Scenario::new(&kb);
                s.add_text(name, &text).expect("the scenario loads");
                let facts = s.fact_set();
                let base = Arc::new(
                    eval::prepare_base(program, &facts, &masks, Limits::default())
                        .expect("within the limits"),
                );
                (name, Case { text, facts, base })
            })
            .collect();
        let conclusions = program
            .predicates
            .iter()
            .enumerate()
            .filter(|(_, p)| p.derived)
            .map(|(i, _)| Goal::every_instance(program, opinio::program::PredId::from_index(i)))
            .collect();
        Fixture {
            kb,
            positions,
            cases,
            conclusions,
        }
    })
}

fn case(name: &str) -> &'static Case {
    let f = fixture();
    &f.cases
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a public scenario")
        .1
}

type Masks = rustc_hash::FxHashMap<
    opinio::program::PredId,
    rustc_hash::FxHashSet<opinio::eval::relation::Mask>,
>;

/// Every index mask any position probes a predicate with.
fn all_masks(positions: &[(String, CompiledPosition)]) -> Masks {
    let mut all = Masks::default();
    for (_, c) in positions {
        for (p, ms) in &c.masks {
            all.entry(*p).or_default().extend(ms.iter().copied());
        }
    }
    all
}

/// Evaluates under one compiled position from a scenario's prepared base relations; the
/// number of atoms held.
fn evaluate(compiled: &CompiledPosition, base: &Arc<eval::BaseRelations>) -> usize {
    let f = fixture();
    eval::evaluate_with_base(f.kb.program(), compiled, base.clone(), Limits::default())
        .expect("within the limits")
        .size()
}

/// Prepares a scenario's base relations (once per scenario, for every position).
fn prepare(facts: &FactSet) -> usize {
    let f = fixture();
    let masks = all_masks(&f.positions);
    eval::prepare_base(f.kb.program(), facts, &masks, Limits::default())
        .map(|b| std::mem::size_of_val(&b))
        .unwrap_or(0)
}

/// A new scenario from text, then every conclusion (true or unknown) as text.
fn answer_all(text: &str, pos: PosId) -> usize {
    let f = fixture();
    let mut s = Scenario::new(&f.kb);
    s.add_text("case.opinio", text).expect("the scenario loads");
    let mut n = 0;
    for goal in &f.conclusions {
        n += s
            .query_goal(goal, pos)
            .expect("within the limits")
            .answers
            .len();
    }
    n
}

fn default_pos() -> PosId {
    let f = fixture();
    f.kb.program()
        .default_position_or_first()
        .expect("a default position")
}

fn static_name(name: &str) -> &'static str {
    SCENARIOS
        .iter()
        .chain(EXPLAINED)
        .find(|n| **n == name)
        .copied()
        .unwrap_or("?")
}

mod evaluate {
    use super::*;

    /// Every conclusion of one scenario, one position (`tallinn2`).
    #[divan::bench(args = SCENARIOS)]
    fn one_position(bencher: divan::Bencher, name: &str) {
        let f = fixture();
        let c = case(name);
        let name = static_name(name);
        let compiled = &f.positions[0].1;
        bencher.bench(|| {
            timed("one_position", name, || {
                evaluate(compiled, divan::black_box(&c.base))
            })
        });
    }

    /// The scenario's base relations (what is stated, what the open world leaves possible),
    /// prepared once per scenario whatever the number of positions.
    #[divan::bench(args = SCENARIOS)]
    fn base_preparation(bencher: divan::Bencher, name: &str) {
        let c = case(name);
        let name = static_name(name);
        bencher.bench(|| {
            timed("base_preparation", name, || {
                prepare(divan::black_box(&c.facts))
            })
        });
    }

    /// Every conclusion of one scenario under every position.
    #[divan::bench(args = SCENARIOS)]
    fn all_positions(bencher: divan::Bencher, name: &str) {
        let f = fixture();
        let c = case(name);
        let name = static_name(name);
        bencher.bench(|| {
            timed("all_positions", name, || {
                f.positions
                    .iter()
                    .map(|(_, compiled)| evaluate(compiled, divan::black_box(&c.base)))
                    .sum::<usize>()
            })
        });
    }
}

/// Text in, every conclusion out as text: `opinio batch`'s work for one line.
#[divan::bench(args = SCENARIOS)]
fn answer_all_from_text(bencher: divan::Bencher, name: &str) {
    let c = case(name);
    let pos = default_pos();
    let name = static_name(name);
    bencher.bench(|| {
        timed("from_text", name, || {
            answer_all(divan::black_box(&c.text), pos)
        })
    });
}

/// Where the time of `answer_all_from_text` goes: a new scenario, then its facts parsed and
/// checked (the rest is evaluation and answers as text).
mod from_text_phases {
    use super::*;

    #[divan::bench]
    fn new_scenario() -> Scenario {
        timed("new_scenario", "", || Scenario::new(&fixture().kb))
    }

    #[divan::bench(args = SCENARIOS)]
    fn new_scenario_and_facts(bencher: divan::Bencher, name: &str) {
        let c = case(name);
        let name = static_name(name);
        bencher.bench(|| {
            timed("add_text", name, || {
                let mut s = Scenario::new(&fixture().kb);
                s.add_text("case.opinio", divan::black_box(&c.text))
                    .expect("the scenario loads");
                s
            })
        });
    }
}

const EXPLAINED: &[&str] = &[
    "violates_sovereignty(notpetya, denmark)",
    "violates_sovereignty(notpetya, ukraine)",
];

/// One explanation, on a scenario already evaluated.
#[divan::bench(args = EXPLAINED, sample_count = 30)]
fn explain(bencher: divan::Bencher, goal: &str) {
    let f = fixture();
    let mut s = Scenario::new(&f.kb);
    s.add_text("notpetya", &case("notpetya").text)
        .expect("the scenario loads");
    let answer = s.query(goal, None).expect("a goal").answers[0].clone();
    let goal = static_name(goal);
    bencher.bench_local(|| {
        timed("explain", goal, || {
            s.explain(divan::black_box(&answer)).expect("explained")
        })
    });
}

/// Parsing, checking and compiling the bundled knowledge base.
#[divan::bench(sample_count = 20)]
fn load_bundled_kb() -> KnowledgeBase {
    timed("load_kb", "", || {
        KnowledgeBase::bundled().expect("the bundled knowledge base loads")
    })
}

/// The `opinio` binary of the same build profile, next to this benchmark's own executable
/// (`target/<profile>/deps/knowledge_base-…` → `target/<profile>/opinio`). The binary lives in
/// the `opinio-cli` crate: `cargo bench --workspace` (or `cargo build --release` first) builds it.
fn opinio_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the benchmark knows its own path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the benchmark runs from target/<profile>/deps");
    let bin = profile_dir.join(format!("opinio{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build --release` (or `cargo bench --workspace`) first",
        bin.display()
    );
    bin
}

fn query_process() -> std::process::Output {
    std::process::Command::new(opinio_binary())
        .current_dir(root())
        .args([
            "query",
            "--scenario",
            "tests/scenarios/notpetya.opinio",
            "violates_sovereignty(notpetya, ukraine)",
        ])
        .output()
        .expect("opinio runs")
}

/// `opinio query` end to end: start, load the bundled knowledge base, read, evaluate, print.
#[divan::bench(sample_count = 20)]
fn opinio_query_process() -> std::process::Output {
    timed("query_process", "", query_process)
}

// ------------------------------------------------------------------------------- summary

fn median_us(bench: &str, case: &str) -> Option<f64> {
    timing::median(bench, case).map(|d| d.as_secs_f64() * 1e6)
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.1}"))
}

fn summary() {
    let f = fixture();
    println!();
    println!("bundled knowledge base summary (medians of the runs above)");
    println!(
        "{:<20} {:>14} {:>12} {:>16} {:>17} {:>14}",
        "scenario",
        "eval 1 pos µs",
        "base µs",
        "eval all pos µs",
        "text->answers µs",
        "of which load"
    );
    let mut worst: Option<f64> = None;
    for name in SCENARIOS {
        let one = median_us("one_position", name);
        worst = match (worst, one) {
            (Some(w), Some(o)) => Some(w.max(o)),
            (w, o) => w.or(o),
        };
        println!(
            "{:<20} {:>14} {:>12} {:>16} {:>17} {:>14}",
            name,
            cell(one),
            cell(median_us("base_preparation", name)),
            cell(median_us("all_positions", name)),
            cell(median_us("from_text", name)),
            cell(median_us("add_text", name)),
        );
    }
    println!(
        "positions: {}; slowest scenario, every conclusion, one position: {} µs (target < 50 µs; the base relations, prepared once per scenario for all positions, are the `base` column)",
        f.positions.len(),
        cell(worst)
    );
    println!(
        "(\"of which load\": a new scenario and its facts parsed and checked; a new empty scenario alone: {} µs)",
        cell(median_us("new_scenario", ""))
    );
    for goal in EXPLAINED {
        println!("explain {goal}: {} µs", cell(median_us("explain", goal)));
    }
    println!(
        "load + check of the bundled knowledge base: {} ms",
        cell(median_us("load_kb", "").map(|x| x / 1e3))
    );
    println!(
        "`opinio query` as a process: {} ms (target < 20 ms)",
        cell(median_us("query_process", "").map(|x| x / 1e3))
    );
}

/// Under `cargo test`: every piece runs once.
fn smoke_check() {
    let f = fixture();
    let pos = default_pos();
    for (name, c) in &f.cases {
        for (_, compiled) in &f.positions {
            assert!(evaluate(compiled, &c.base) > 0, "{name}: empty model");
        }
        assert!(answer_all(&c.text, pos) > 0, "{name}: no conclusion");
    }
    let out = query_process();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("= true"),
        "opinio query failed: {out:?}"
    );
    println!(
        "knowledge_base: every benchmark ran once (smoke check only; `cargo bench` times them)"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        smoke_check();
        return;
    }
    divan::main();
    summary();
}
