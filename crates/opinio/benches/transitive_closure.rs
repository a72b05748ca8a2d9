//! Transitive closure: Opinio against ascent and datafrog, on the same edges, in one process.
//!
//! Data sets (fixed seed, see `bench/gen_tc.py`, which writes the very same edges for clingo
//! and SWI-Prolog): `random` (1,000 nodes, 50,000 distinct random edges), `sparse` (1,000
//! nodes, 5,000 edges: `gen_tc.py random --edges 5000`) and `chain` (1,000 nodes, `n0 → n1 →
//! … → n999`). `unknown_10pct` is `random` with every tenth edge (chosen by
//! the same generator) stated `unknown`: Opinio then computes the definite and the possible
//! closure.
//!
//! Every engine runs the same program, `path(X,Y) :- edge(X,Y). path(X,Z) :- edge(X,Y),
//! path(Y,Z).` The Opinio figures are `eval::evaluate` on facts already parsed and checked
//! (the evaluation proper); `opinio_from_text` adds parsing and checking the 50,000 facts.
//!
//! `cargo bench --bench transitive_closure` prints divan's table, then a summary with the
//! ratios to ascent. Under `cargo test` (no `--bench` flag) it only checks, on a small graph,
//! that the three engines agree.

mod timing;

use opinio::eval::{self, CompiledPosition, FactSet};
use opinio::program::{PosId, PredId};
use opinio::{KnowledgeBase, Limits, Scenario};
use std::sync::{Arc, OnceLock};
use timing::timed;

const NODES: u32 = 1000;
const EDGES: usize = 50_000;
/// The sparse random graph's edges (same nodes, same generator).
const SPARSE_EDGES: usize = 5_000;
const SEED: u64 = 0x2545_F491_4F6C_DD1D;

const TC_PROGRAM: &str = r#"
source tc "Transitive closure benchmark".
type Node.
predicate edge(a: Node, b: Node) closed means "an edge from a to b".
predicate path(a: Node, b: Node) means "b can be reached from a".
rule base: path(X, Y) if edge(X, Y) cites tc.
rule step: path(X, Z) if edge(X, Y) and path(Y, Z) cites tc.
"#;

// ------------------------------------------------------------------------------- data sets

/// xorshift64: tiny, deterministic, and the same in `bench/gen_tc.py`.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// `m` distinct edges over `n` nodes, in generation order, then one draw per edge for the
/// `unknown` marks (`% 100 < pct`), from the same generator.
fn random_edges(n: u32, m: usize, pct: u64, seed: u64) -> (Vec<(u32, u32)>, Vec<bool>) {
    let mut rng = XorShift(seed);
    let mut seen = std::collections::HashSet::new();
    let mut edges = Vec::with_capacity(m);
    while edges.len() < m {
        let a = (rng.next() % u64::from(n)) as u32;
        let b = (rng.next() % u64::from(n)) as u32;
        if seen.insert((a, b)) {
            edges.push((a, b));
        }
    }
    let unknown = (0..m).map(|_| rng.next() % 100 < pct).collect();
    (edges, unknown)
}

fn chain_edges(n: u32) -> Vec<(u32, u32)> {
    (0..n.saturating_sub(1)).map(|i| (i, i + 1)).collect()
}

struct DataSet {
    edges: Vec<(u32, u32)>,
    unknown: Vec<bool>,
}

impl DataSet {
    fn random(n: u32, m: usize, unknown_pct: u64) -> DataSet {
        let (edges, unknown) = random_edges(n, m, unknown_pct, SEED);
        DataSet { edges, unknown }
    }
    fn chain(n: u32) -> DataSet {
        let edges = chain_edges(n);
        let unknown = vec![false; edges.len()];
        DataSet { edges, unknown }
    }
}

// ------------------------------------------------------------------------------- Opinio

struct OpinioTc {
    kb: KnowledgeBase,
    compiled: CompiledPosition,
    facts: Arc<FactSet>,
    path: PredId,
    text: String,
}

fn opinio_text(data: &DataSet) -> String {
    let mut text = String::with_capacity(data.edges.len() * 24);
    for (&(a, b), &unknown) in data.edges.iter().zip(&data.unknown) {
        if unknown {
            text.push_str("unknown ");
        }
        text.push_str(&format!("edge(n{a}, n{b}).\n"));
    }
    text
}

fn opinio_kb() -> KnowledgeBase {
    match KnowledgeBase::from_strings([("tc.opinio", TC_PROGRAM)]) {
        Ok(kb) => kb,
        Err(e) => panic!("the benchmark program does not load:\n{}", e.render()),
    }
}

fn opinio_setup(data: &DataSet) -> OpinioTc {
    let kb = opinio_kb();
    let text = opinio_text(data);
    let mut s = Scenario::new(&kb);
    if let Err(e) = s.add_text("edges.opinio", &text) {
        panic!("the edges do not load:\n{}", e.render());
    }
    let facts = s.fact_set();
    let compiled = eval::compile(kb.program(), PosId(0));
    let path = kb.program().predicate_id("path").expect("path is declared");
    OpinioTc {
        kb,
        compiled,
        facts,
        path,
        text,
    }
}

/// Evaluates; returns (definitely true, possibly true) path atoms.
fn opinio_run(tc: &OpinioTc) -> (usize, usize) {
    let model = eval::evaluate(tc.kb.program(), &tc.compiled, &tc.facts, Limits::default())
        .expect("within the limits");
    (model.definite(tc.path).len(), model.possible(tc.path).len())
}

/// Parses, checks and evaluates from the text of the facts.
fn opinio_from_text(kb: &KnowledgeBase, text: &str) -> usize {
    let mut s = Scenario::new(kb);
    s.add_text("edges.opinio", text).expect("the edges load");
    let model = s.model(PosId(0)).expect("within the limits");
    let path = kb.program().predicate_id("path").expect("path is declared");
    model.possible(path).len()
}

// ------------------------------------------------------------------------------- ascent

ascent::ascent! {
    struct AscentTc;
    relation edge(u32, u32);
    relation path(u32, u32);
    path(x, y) <-- edge(x, y);
    path(x, z) <-- edge(x, y), path(y, z);
}

fn ascent_run(edges: Vec<(u32, u32)>) -> usize {
    let mut p = AscentTc {
        edge: edges,
        ..Default::default()
    };
    p.run();
    p.path.len()
}

// ------------------------------------------------------------------------------- datafrog

fn datafrog_run(edges: &[(u32, u32)]) -> usize {
    let mut iteration = datafrog::Iteration::new();
    // edge(X, Y) keyed by Y, to join with path(Y, Z).
    let edge_by_target: datafrog::Relation<(u32, u32)> =
        edges.iter().map(|&(x, y)| (y, x)).collect();
    let path = iteration.variable::<(u32, u32)>("path");
    path.extend(edges.iter().copied());
    while iteration.changed() {
        path.from_join(&path, &edge_by_target, |_y, &z, &x| (x, z));
    }
    path.complete().len()
}

// ------------------------------------------------------------------------------- benches

struct Inputs {
    random: DataSet,
    sparse: DataSet,
    chain: DataSet,
    unknown: DataSet,
    opinio_random: OpinioTc,
    opinio_sparse: OpinioTc,
    opinio_chain: OpinioTc,
    opinio_unknown: OpinioTc,
}

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let random = DataSet::random(NODES, EDGES, 0);
        let sparse = DataSet::random(NODES, SPARSE_EDGES, 0);
        let chain = DataSet::chain(NODES);
        let unknown = DataSet::random(NODES, EDGES, 10);
        let opinio_random = opinio_setup(&random);
        let opinio_sparse = opinio_setup(&sparse);
        let opinio_chain = opinio_setup(&chain);
        let opinio_unknown = opinio_setup(&unknown);
        Inputs {
            random,
            sparse,
            chain,
            unknown,
            opinio_random,
            opinio_sparse,
            opinio_chain,
            opinio_unknown,
        }
    })
}

const DATA: &[&str] = &["random", "sparse", "chain"];

fn data(name: &str) -> (&'static DataSet, &'static OpinioTc) {
    let i = inputs();
    match name {
        "chain" => (&i.chain, &i.opinio_chain),
        "sparse" => (&i.sparse, &i.opinio_sparse),
        "unknown_10pct" => (&i.unknown, &i.opinio_unknown),
        _ => (&i.random, &i.opinio_random),
    }
}

fn data_name(name: &str) -> &'static str {
    DATA.iter()
        .chain(&["unknown_10pct"])
        .find(|d| **d == name)
        .copied()
        .unwrap_or("random")
}

/// All edges known: the three engines on the same edges.
mod all_known {
    use super::*;

    #[divan::bench(args = DATA, sample_count = 5, sample_size = 1)]
    fn opinio(bencher: divan::Bencher, name: &str) {
        let (_, tc) = data(name);
        let name = data_name(name);
        bencher.bench(|| timed("opinio", name, || opinio_run(divan::black_box(tc))));
    }

    #[divan::bench(args = DATA, sample_count = 10, sample_size = 1)]
    fn ascent(bencher: divan::Bencher, name: &str) {
        let (d, _) = data(name);
        let name = data_name(name);
        bencher
            .with_inputs(|| d.edges.clone())
            .bench_values(|edges| timed("ascent", name, || ascent_run(edges)));
    }

    #[divan::bench(args = DATA, sample_count = 10, sample_size = 1)]
    fn datafrog(bencher: divan::Bencher, name: &str) {
        let (d, _) = data(name);
        let name = data_name(name);
        bencher.bench(|| {
            timed("datafrog", name, || {
                datafrog_run(divan::black_box(&d.edges))
            })
        });
    }

    /// Parsing and checking the facts, then evaluating (what `opinio query` does).
    #[divan::bench(args = DATA, sample_count = 3, sample_size = 1)]
    fn opinio_from_text(bencher: divan::Bencher, name: &str) {
        let (_, tc) = data(name);
        let name = data_name(name);
        bencher.bench(|| {
            timed("opinio_from_text", name, || {
                super::opinio_from_text(&tc.kb, divan::black_box(&tc.text))
            })
        });
    }
}

/// The random graph with 10% of its edges `unknown` (Opinio only: the others have two values).
mod unknown_10pct {
    use super::*;

    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn opinio(bencher: divan::Bencher) {
        let (_, tc) = data("unknown_10pct");
        bencher.bench(|| {
            timed("opinio", "unknown_10pct", || {
                opinio_run(divan::black_box(tc))
            })
        });
    }
}

// ------------------------------------------------------------------------------- summary

fn median_ms(engine: &str, data: &str) -> Option<f64> {
    timing::median(engine, data).map(|d| d.as_secs_f64() * 1e3)
}

fn fastest_ms(engine: &str, data: &str) -> Option<f64> {
    timing::fastest(engine, data).map(|d| d.as_secs_f64() * 1e3)
}

fn cell(x: Option<f64>, suffix: &str) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.2}{suffix}"))
}

/// A table a reader can compare at a glance: medians of the runs above, ratios to ascent.
fn summary() {
    println!();
    println!(
        "transitive closure summary (medians of the runs above; same process, same edges; \
         `fastest o/a`: fastest Opinio run over fastest ascent run, less sensitive to a busy machine)"
    );
    println!(
        "{:<14} {:>12} {:>12} {:>12} {:>14} {:>16} {:>18} {:>16}",
        "data set",
        "opinio ms",
        "ascent ms",
        "datafrog ms",
        "opinio/ascent",
        "opinio/datafrog",
        "opinio+parse ms",
        "fastest o/a"
    );
    for name in DATA.iter().chain(&["unknown_10pct"]) {
        let o = median_ms("opinio", name);
        let a = median_ms("ascent", name);
        let f = median_ms("datafrog", name);
        let ratio = |x: Option<f64>| o.zip(x).map(|(o, x)| o / x);
        let fastest = fastest_ms("opinio", name)
            .zip(fastest_ms("ascent", name))
            .map(|(o, a)| o / a);
        println!(
            "{:<14} {:>12} {:>12} {:>12} {:>14} {:>16} {:>18} {:>16}",
            name,
            cell(o, ""),
            cell(a, ""),
            cell(f, ""),
            cell(ratio(a), "x"),
            cell(ratio(f), "x"),
            cell(median_ms("opinio_from_text", name), ""),
            cell(fastest, "x"),
        );
    }
    if let (Some(u), Some(k)) = (
        median_ms("opinio", "unknown_10pct"),
        median_ms("opinio", "random"),
    ) {
        let (def, pos) = opinio_run(data("unknown_10pct").1);
        println!(
            "unknown_10pct: {def} definite and {pos} possible path atoms; {:.2}x the all-known time (target <= 2x)",
            u / k
        );
    }
    let (d, _) = data("random");
    println!(
        "random: {} path atoms; chain: {} path atoms",
        ascent_run(d.edges.clone()),
        ascent_run(data("chain").0.edges.clone())
    );
    println!("target: opinio/ascent <= 1.0x on every graph (docs/performance.md)");
}

/// Under `cargo test`: the engines agree on a small graph.
fn smoke_check() {
    let small = DataSet::random(60, 300, 0);
    let tc = opinio_setup(&small);
    let (def, pos) = opinio_run(&tc);
    let a = ascent_run(small.edges.clone());
    let f = datafrog_run(&small.edges);
    assert_eq!((def, pos), (a, a), "opinio and ascent disagree");
    assert_eq!(a, f, "ascent and datafrog disagree");
    assert_eq!(opinio_from_text(&tc.kb, &tc.text), a);
    let chain = DataSet::chain(30);
    let tc = opinio_setup(&chain);
    assert_eq!(opinio_run(&tc), (30 * 29 / 2, 30 * 29 / 2));
    let unknown = DataSet::random(60, 300, 20);
    let tc = opinio_setup(&unknown);
    let (def, pos) = opinio_run(&tc);
    assert!(
        def < pos && pos == a,
        "unknown edges: {def} definite, {pos} possible, {a} all"
    );
    println!("transitive_closure: the engines agree (smoke check only; `cargo bench` times them)");
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
