//! Times evaluating one scenario on the bundled knowledge base: all conclusions under one
//! position (base relations prepared once per scenario, as `Scenario` does), and the same
//! including the preparation. `cargo run --release --example kbtime -- FILE`.
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let Ok(kb) = opinio::KnowledgeBase::bundled() else {
        return;
    };
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/scenarios/notpetya.opinio".into());
    let mut s = opinio::Scenario::new(&kb);
    if s.load_file(path.as_ref()).is_err() {
        return;
    }
    let Some(pos) = kb.program().position_id("tallinn2") else {
        return;
    };
    let fs = s.fact_set();
    let compiled = opinio::eval::compile(kb.program(), pos);
    let limits = opinio::Limits::default();
    let (mut with_base, mut positions_only) = (Vec::new(), Vec::new());
    for _ in 0..2000 {
        let t = Instant::now();
        let Ok(base) = opinio::eval::prepare_base(kb.program(), &fs, &compiled.masks, limits)
        else {
            return;
        };
        let base = Arc::new(base);
        let t1 = Instant::now();
        let _ = opinio::eval::evaluate_with_base(kb.program(), &compiled, base, limits);
        let t2 = Instant::now();
        with_base.push(t2 - t);
        positions_only.push(t2 - t1);
    }
    println!(
        "one position: median {:?} (with base preparation {:?})",
        median(positions_only),
        median(with_base)
    );
}
