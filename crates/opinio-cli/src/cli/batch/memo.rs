//! Answers of earlier lines, by shape: a line whose facts are an earlier line's with the
//! scenario's own constants renamed (`opinio::Shape`) takes that line's answer values and
//! reasons and only names and sorts them anew.
//!
//! Real datasets repeat shapes: the first 400 incidents of EuRepoC have 81, all 1,578 have
//! 215 (the same kinds of operation, effect and evidence between different States). Generated
//! or hand-written scenarios rarely do, so the memo stops taking new entries when it is of no
//! use (see [`Memo::wants`]) and its size is bounded either way.

use super::Why;
use opinio::program::{PredId, Term, Tuple};
use opinio::syntax::ast::Truth;
use opinio::Shape;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Most bytes the memo's keys and entries may take (an estimate; a generated line with every
/// conclusion takes about 15 KB, a line of 5,000 facts about 200 KB).
const MAX_BYTES: usize = 32 * 1024 * 1024;

/// After this many lines, the memo takes new entries only while at least one line in
/// [`MIN_HIT_SHARE`] was answered from it.
const TRIAL_LINES: usize = 128;
const MIN_HIT_SHARE: usize = 10;

/// What answers a line: its shape and its goals as numbers (a goal's constants are the
/// knowledge base's or the line's, so the same goal text can be different numbers on lines
/// of the same shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Key {
    /// The hash of the rest, computed once (a line's key is looked up, then maybe inserted).
    hash: u64,
    shape: Shape,
    /// Per goal: its predicate and arguments (constants, and variables by number).
    goals: Vec<(PredId, Vec<Term>)>,
}

impl Key {
    /// The key of a line of this shape asked these goals.
    pub fn new(shape: Shape, goals: Vec<(PredId, Vec<Term>)>) -> Key {
        let mut h = rustc_hash::FxHasher::default();
        shape.hash(&mut h);
        goals.hash(&mut h);
        Key {
            hash: h.finish(),
            shape,
            goals,
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// One goal's answers under one law, without their texts.
#[derive(Debug)]
pub(super) struct Known {
    pub pred: PredId,
    /// Each answer's constants, value and (unless `--answers-only`) the class of an unknown
    /// one, in the order the line that computed them sorted them.
    pub answers: Vec<(Tuple, Truth, Option<Arc<Why>>)>,
}

impl Known {
    /// A rough size in bytes, for [`MAX_BYTES`], counting each class of unknown answers
    /// once (the line's answers share them).
    fn bytes(&self, classes: &mut HashSet<*const Why>) -> usize {
        let mut class_bytes = |c: &Arc<Why>| {
            if !classes.insert(Arc::as_ptr(c)) {
                return 0;
            }
            c.json_len()
                + c.points
                    .iter()
                    .map(|p| 72 + p.point.len() + p.title.len() + p.reason.len())
                    .sum::<usize>()
        };
        64 + self
            .answers
            .iter()
            .map(|(_, _, why)| 48 + why.as_ref().map_or(0, &mut class_bytes))
            .sum::<usize>()
    }
}

/// A line's answers: per position of the line (in the run's order) and per goal, shared by
/// the positions with the same law for the goal.
pub(super) type Entry = Vec<Vec<Arc<Known>>>;

/// The memo shared by the worker threads.
#[derive(Default)]
pub(super) struct Memo {
    entries: Mutex<HashMap<Key, Arc<Entry>, BuildHasherDefault<rustc_hash::FxHasher>>>,
    lines: AtomicUsize,
    hits: AtomicUsize,
    bytes: AtomicUsize,
}

impl Memo {
    /// Whether lines are worth a key: not once [`TRIAL_LINES`] lines have found nothing.
    pub fn consulted(&self) -> bool {
        self.lines.load(Ordering::Relaxed) < TRIAL_LINES || self.hits.load(Ordering::Relaxed) > 0
    }

    /// The answers of an earlier line with this key, if any (and counts the line).
    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.lines.fetch_add(1, Ordering::Relaxed);
        let found = self.entries.lock().ok()?.get(key).cloned();
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Whether a line's answers should be kept: while there is room and, after the first
    /// [`TRIAL_LINES`] lines, while lines repeat often enough to repay keeping them.
    pub fn wants(&self) -> bool {
        let lines = self.lines.load(Ordering::Relaxed);
        let hits = self.hits.load(Ordering::Relaxed);
        self.bytes.load(Ordering::Relaxed) < MAX_BYTES
            && (lines < TRIAL_LINES || hits * MIN_HIT_SHARE >= lines)
    }

    /// Keeps a line's answers (another thread may have kept the same shape meanwhile: the
    /// first stays, they are equal).
    pub fn insert(&self, key: Key, entry: Entry) {
        let (mut seen, mut classes) = (HashSet::new(), HashSet::new());
        // The key holds every fact of the line: a line of thousands of facts weighs more
        // than its answers.
        let key_bytes = key.shape.bytes()
            + key
                .goals
                .iter()
                .map(|(_, args)| 32 + args.len() * std::mem::size_of::<Term>())
                .sum::<usize>();
        let bytes: usize = key_bytes
            + entry
                .iter()
                .flatten()
                .filter(|k| seen.insert(Arc::as_ptr(k)))
                .map(|k| k.bytes(&mut classes))
                .sum::<usize>();
        if let Ok(mut entries) = self.entries.lock() {
            if let std::collections::hash_map::Entry::Vacant(slot) = entries.entry(key) {
                self.bytes.fetch_add(bytes, Ordering::Relaxed);
                slot.insert(Arc::new(entry));
            }
        }
    }
}
