//! Every timed run of a benchmark binary, kept for the summary it prints after divan's table
//! (ratios against the peers of the same run need the raw durations, which divan keeps to
//! itself). Shared by the benchmark files with `mod timing;`.

#![allow(dead_code, reason = "each benchmark uses some of these")]

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Durations by (benchmark or engine, case or data set).
static TIMES: Mutex<BTreeMap<(&'static str, &'static str), Vec<Duration>>> =
    Mutex::new(BTreeMap::new());

/// Runs `f`, recording how long it took under (`what`, `case`).
pub fn timed<T>(what: &'static str, case: &'static str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    let spent = t.elapsed();
    if let Ok(mut times) = TIMES.lock() {
        times.entry((what, case)).or_default().push(spent);
    }
    out
}

/// The median of the runs recorded under (`what`, `case`), if any.
pub fn median(what: &str, case: &str) -> Option<Duration> {
    let times = TIMES.lock().ok()?;
    let mut v = times.get(&(what, case))?.clone();
    v.sort();
    v.get(v.len() / 2).copied()
}

/// The fastest run recorded under (`what`, `case`), if any.
pub fn fastest(what: &str, case: &str) -> Option<Duration> {
    let times = TIMES.lock().ok()?;
    times.get(&(what, case))?.iter().min().copied()
}
