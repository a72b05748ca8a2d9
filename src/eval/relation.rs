//! A set of ground tuples in insertion order, with hash indexes on bound argument positions.
//!
//! Rows are never removed, so the rows added in one round of a fixpoint are a contiguous
//! range: semi-naive evaluation reads "the delta" as that range, with no copy.

use crate::check::program::{Sym, Tuple};
use rustc_hash::FxHashMap;

/// A fast hasher of good quality with a fixed seed: the tables of a relation hold many
/// similar keys (packed tuples), where FxHash's weak mixing causes long probe chains.
type Hasher = foldhash::fast::FixedState;
type FastMap<K, V> = std::collections::HashMap<K, V, Hasher>;
type FastSet<K> = std::collections::HashSet<K, Hasher>;

/// Hashes a packed pair `(a, b)` so that pairs sharing `a` land in one small window of the
/// table: a fixpoint derives many pairs with the same first constant in a row (all the
/// `path(x, z)` for one `x`), and this keeps those lookups in cache. The window's place is a
/// strong hash of `a`; the 7 top bits (hashbrown's tag) mix `b`, so tags still tell keys apart.
#[derive(Debug, Clone, Copy, Default)]
struct PairHasher {
    hash: u64,
}

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used (for packed pairs); anything else is hashed plainly.
        for b in bytes {
            self.hash =
                (self.hash.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u64(&mut self, k: u64) {
        let a = k >> 32;
        let b = k & 0xffff_ffff;
        let place = (a ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let place = place ^ (place >> 31);
        let tag = b.wrapping_mul(0x94d0_49bb_1331_11eb) >> 57;
        self.hash = (place.wrapping_add(b) & ((1 << 57) - 1)) | (tag << 57);
    }
}

type PairSet = std::collections::HashSet<u64, std::hash::BuildHasherDefault<PairHasher>>;

/// A bit set of argument positions that are bound when a relation is probed.
pub type Mask = u32;

type Index = FastMap<Tuple, Vec<u32>>;

/// The rows as a set, for membership tests: the hot operation of every fixpoint. Tuples of
/// up to two constants are packed into a `u64` and of up to four into a `u128`, so a table
/// entry is small and a lookup touches little memory.
#[derive(Debug, Clone, Default)]
enum Members {
    #[default]
    Empty,
    Narrow(PairSet),
    Packed(FastSet<u128>),
    Wide(FastSet<Tuple>),
}

fn pack64(t: &[Sym]) -> u64 {
    let a = t.first().copied().unwrap_or(0);
    let b = t.get(1).copied().unwrap_or(0);
    (u64::from(a) << 32) | u64::from(b)
}

fn pack128(t: &[Sym]) -> u128 {
    t.iter()
        .take(4)
        .enumerate()
        .fold(0u128, |k, (i, s)| k | (u128::from(*s) << (32 * i)))
}

impl Members {
    fn for_arity(arity: usize) -> Members {
        match arity {
            0..=2 => Members::Narrow(PairSet::default()),
            3..=4 => Members::Packed(FastSet::default()),
            _ => Members::Wide(FastSet::default()),
        }
    }

    /// Tuples of one relation all have the same arity; a tuple of another arity (which the
    /// checker rules out) is simply never found.
    fn contains(&self, t: &[Sym], arity: usize) -> bool {
        if t.len() != arity {
            return false;
        }
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.contains(&pack64(t)),
            Members::Packed(s) => s.contains(&pack128(t)),
            Members::Wide(s) => s.contains(t),
        }
    }

    fn insert(&mut self, t: &Tuple) -> bool {
        if matches!(self, Members::Empty) {
            *self = Members::for_arity(t.len());
        }
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.insert(pack64(t)),
            Members::Packed(s) => s.insert(pack128(t)),
            Members::Wide(s) => s.insert(t.clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Relation {
    rows: Vec<Tuple>,
    members: Members,
    arity: usize,
    /// For derived relations: the fixpoint round in which each row was added.
    rounds: Vec<u32>,
    indexes: FxHashMap<Mask, Index>,
}

fn key_of(row: &[Sym], mask: Mask) -> Tuple {
    row.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect()
}

/// Rows to scan: a range of a relation, or a plain list.
pub type Rows<'a> = &'a [Tuple];

/// A hash index over some rows (positions in that slice), for one mask.
pub type RowIndex = FastMap<Tuple, Vec<u32>>;

/// Indexes `rows` on the positions in `mask`.
pub fn index_rows(rows: Rows, mask: Mask) -> RowIndex {
    let mut index: RowIndex = FastMap::default();
    for (i, row) in rows.iter().enumerate() {
        index
            .entry(key_of(row, mask))
            .or_default()
            .push(u32::try_from(i).unwrap_or(u32::MAX));
    }
    index
}

impl Relation {
    pub fn new() -> Relation {
        Relation::default()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn contains(&self, t: &[Sym]) -> bool {
        self.members.contains(t, self.arity)
    }

    /// Every row, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Tuple> {
        self.rows.iter()
    }

    /// The rows in positions `range` (insertion order).
    pub fn range(&self, range: std::ops::Range<usize>) -> Rows<'_> {
        self.rows.get(range).unwrap_or(&[])
    }

    /// The round in which a row was added (0 when not recorded).
    pub fn round_of(&self, t: &[Sym]) -> Option<u32> {
        if !self.contains(t) {
            return None;
        }
        // Rare (explanations only): a scan keeps the set small for the fixpoint.
        let i = self.rows.iter().position(|r| r.as_slice() == t)?;
        Some(self.rounds.get(i).copied().unwrap_or(0))
    }

    /// Adds a tuple; `false` if it was already there.
    pub fn insert(&mut self, t: Tuple) -> bool {
        self.insert_in_round(t, 0)
    }

    pub fn insert_in_round(&mut self, t: Tuple, round: u32) -> bool {
        if self.rows.is_empty() {
            self.arity = t.len();
        } else if t.len() != self.arity {
            return false;
        }
        if !self.members.insert(&t) {
            return false;
        }
        let id = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        for (mask, index) in self.indexes.iter_mut() {
            index.entry(key_of(&t, *mask)).or_default().push(id);
        }
        self.rows.push(t);
        self.rounds.push(round);
        true
    }

    /// Makes sure probes with `mask` are answered from an index.
    pub fn ensure_index(&mut self, mask: Mask) {
        if mask == 0 || self.indexes.contains_key(&mask) {
            return;
        }
        let mut index: Index = FastMap::default();
        for (i, row) in self.rows.iter().enumerate() {
            index
                .entry(key_of(row, mask))
                .or_default()
                .push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        self.indexes.insert(mask, index);
    }

    /// Calls `f` on every row whose bound positions equal `key` (the bound values in order).
    /// Stops and returns `false` as soon as `f` does.
    pub fn probe(&self, mask: Mask, key: &[Sym], mut f: impl FnMut(&Tuple) -> bool) -> bool {
        if mask == 0 {
            return self.rows.iter().all(f);
        }
        let full = self.rows.first().map(|r| r.len()).unwrap_or(0);
        if full > 0 && mask.count_ones() as usize == full {
            // Every position bound: a membership test.
            return if self.contains(key) {
                f(&Tuple::from_slice(key))
            } else {
                true
            };
        }
        match self.indexes.get(&mask) {
            Some(index) => {
                if let Some(ids) = index.get(key) {
                    for &id in ids {
                        if let Some(row) = self.rows.get(id as usize) {
                            if !f(row) {
                                return false;
                            }
                        }
                    }
                }
                true
            }
            None => {
                for row in &self.rows {
                    if key_of(row, mask).as_slice() == key && !f(row) {
                        return false;
                    }
                }
                true
            }
        }
    }
}

impl PartialEq for Relation {
    fn eq(&self, other: &Relation) -> bool {
        self.len() == other.len() && self.rows.iter().all(|r| other.contains(r))
    }
}
