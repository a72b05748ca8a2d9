//! A quick transitive-closure probe: `cargo run --release --example tc -- NODES EDGES UNKNOWN%`.
//! (The benchmark proper, against ascent and datafrog, is in `benches/`.)
use std::time::Instant;

fn main() {
    let arg = |i: usize, d: u64| {
        std::env::args()
            .nth(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let (n, m, unknown_pct) = (arg(1, 1000), arg(2, 50_000), arg(3, 0));
    let program = "source s \"S\".\ntype Node.\npredicate edge(a: Node, b: Node) closed means \"e\".\npredicate path(a: Node, b: Node) means \"p\".\nrule base: path(X, Y) if edge(X, Y) cites s.\nrule step: path(X, Z) if edge(X, Y) and path(Y, Z) cites s.\n";
    let Ok(kb) = opinio::KnowledgeBase::from_strings([("tc.opinio", program)]) else {
        return;
    };
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut text = String::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..m {
        let (a, b) = (next() % n, next() % n);
        let unknown = next() % 100 < unknown_pct;
        if seen.insert((a, b)) {
            let prefix = if unknown { "unknown " } else { "" };
            text.push_str(&format!("{prefix}edge(n{a}, n{b}).\n"));
        }
    }
    let t0 = Instant::now();
    let mut s = opinio::Scenario::new(&kb);
    if let Err(e) = s.add_text("edges", &text) {
        eprintln!("{}", e.render());
        return;
    }
    let t1 = Instant::now();
    let Ok(model) = s.model(opinio::program::PosId(0)) else {
        return;
    };
    let t2 = Instant::now();
    let Some(p) = kb.program().predicate_id("path") else {
        return;
    };
    println!(
        "load {:?} eval {:?} path definite {} possible {}",
        t1 - t0,
        t2 - t1,
        model.definite(p).len(),
        model.possible(p).len()
    );
}
