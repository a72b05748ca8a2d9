//! A set of ground tuples in insertion order, with hash indexes on bound argument positions.
//!
//! Rows are stored flat (one `Vec` of constants, `arity` per row) and never removed during a
//! fixpoint, so the rows added in one round are a contiguous range: semi-naive evaluation
//! reads "the delta" as that range, with no copy. (A what-if copies a base relation and
//! removes a few rows from the copy.) An index is built the first time
//! it is probed, and kept up to date from then on: a relation built with the masks every
//! position may probe pays only for those a question probes.

use crate::program::{Sym, Tuple};
use rustc_hash::FxHashMap;

/// A fast hasher of good quality with a fixed seed (deterministic across runs): relation
/// tables hold many similar keys, where FxHash's weak mixing causes long probe chains.
type Hasher = foldhash::fast::FixedState;
type FastMap<K, V> = std::collections::HashMap<K, V, Hasher>;
type FastSet<K> = std::collections::HashSet<K, Hasher>;

/// A bit set of argument positions that are bound when a relation is probed.
pub type Mask = u32;

// Every slot of a predicate has its bit.
const _: () = assert!(crate::check::MAX_SLOTS <= Mask::BITS as usize);

type Index = FastMap<Tuple, Vec<u32>>;

/// The rows as a set, for membership tests: the hot operation of every fixpoint. Tuples of
/// up to two constants are packed into a `u64` and of up to four into a `u128`, so a table
/// entry is small and a lookup touches little memory. A set of pairs (or single constants)
/// over few distinct constants turns into a bit map once it holds enough rows for the map to
/// be no larger than the table (`Dense`): a membership test is then one bit, in a map that
/// stays in the processor's cache where a hash table of a million pairs does not (the
/// closure of a 1,000-node graph: one million pairs in a 128 KB map).
#[derive(Debug, Clone, Default)]
enum Members {
    #[default]
    Empty,
    Narrow(Narrow),
    Packed(FastSet<u128>),
    Wide(FastSet<Tuple>),
}

/// Tuples of up to two constants, packed into a `u64` (first constant in the high half).
#[derive(Debug, Clone, Default)]
struct Narrow {
    set: Set2,
    /// The largest first and second constants held (they size a bit map).
    max: (u32, u32),
}

#[derive(Debug, Clone)]
enum Set2 {
    Table(FastSet<u64>),
    /// Bit `(a << shift) | b` for the pair `(a, b)`; every `b` is below `1 << shift`.
    Dense {
        bits: Vec<u64>,
        shift: u32,
        len: usize,
    },
}

impl Default for Set2 {
    fn default() -> Set2 {
        Set2::Table(FastSet::default())
    }
}

/// Rows from which a set of pairs may become a bit map, and how many bits per row the map
/// may spend (a table entry costs about 9 bytes, 72 bits, plus its share of empty slots).
const DENSE_FROM: usize = 4096;
const DENSE_BITS_PER_ROW: u64 = 64;

impl Narrow {
    /// The word and the bit within it of `key` in a map laid out with `shift`; `None` when
    /// its second constant does not fit the map's rows.
    #[inline]
    fn bit(key: u64, shift: u32) -> Option<(usize, u64)> {
        let (a, b) = (key >> 32, key & 0xFFFF_FFFF);
        if b >> shift != 0 {
            return None;
        }
        let i = usize::try_from((a << shift) | b).ok()?;
        Some((i / 64, 1 << (i % 64)))
    }

    #[inline]
    fn contains(&self, key: u64) -> bool {
        match &self.set {
            Set2::Table(s) => s.contains(&key),
            Set2::Dense { bits, shift, .. } => Narrow::bit(key, *shift)
                .is_some_and(|(w, m)| bits.get(w).is_some_and(|x| x & m != 0)),
        }
    }

    fn insert(&mut self, key: u64) -> bool {
        let (a, b) = ((key >> 32) as u32, key as u32);
        self.max = (self.max.0.max(a), self.max.1.max(b));
        match &mut self.set {
            Set2::Table(s) => {
                let new = s.insert(key);
                if new && s.len() >= DENSE_FROM && s.len() % 1024 == 0 {
                    self.densify();
                }
                new
            }
            Set2::Dense { bits, shift, len } => {
                if let Some((x, m)) =
                    Narrow::bit(key, *shift).and_then(|(w, m)| Some((bits.get_mut(w)?, m)))
                {
                    let new = *x & m == 0;
                    *x |= m;
                    *len += usize::from(new);
                    return new;
                }
                // A constant outside the map: a larger map (twice the rows, or wider rows
                // laid out again) while it stays dense enough, else a table.
                self.densify();
                if let Set2::Table(s) = &mut self.set {
                    return s.insert(key);
                }
                self.insert(key)
            }
        }
    }

    fn remove(&mut self, key: u64) -> bool {
        match &mut self.set {
            Set2::Table(s) => s.remove(&key),
            Set2::Dense { bits, shift, len } => {
                let Some((w, m)) = Narrow::bit(key, *shift) else {
                    return false;
                };
                match bits.get_mut(w) {
                    Some(x) if *x & m != 0 => {
                        *x &= !m;
                        *len -= 1;
                        true
                    }
                    _ => false,
                }
            }
        }
    }

    fn len(&self) -> usize {
        match &self.set {
            Set2::Table(s) => s.len(),
            Set2::Dense { len, .. } => *len,
        }
    }

    /// Every key held.
    fn keys(&self) -> Vec<u64> {
        match &self.set {
            Set2::Table(s) => s.iter().copied().collect(),
            Set2::Dense { bits, shift, .. } => {
                let mut out = Vec::new();
                for (w, word) in bits.iter().enumerate() {
                    let mut x = *word;
                    while x != 0 {
                        let i = (w * 64) as u64 + u64::from(x.trailing_zeros());
                        x &= x - 1;
                        out.push(((i >> shift) << 32) | (i & ((1u64 << shift) - 1)));
                    }
                }
                out
            }
        }
    }

    /// Lays the set out as a bit map sized for the largest constants seen (rows rounded up to
    /// a power of two, so that a map grows by doubling), when it would take at most
    /// [`DENSE_BITS_PER_ROW`] bits per row; else as a table. A map only gaining rows keeps its
    /// bits (they are extended, not laid out again).
    fn densify(&mut self) {
        let n = self.len();
        let shift = 32 - self.max.1.leading_zeros();
        let rows = (u64::from(self.max.0) + 1).next_power_of_two();
        // The map's bits, when they fit (constants near `u32::MAX` would overflow them) and
        // are few enough for its rows.
        let words = rows
            .checked_mul(1u64 << shift)
            .filter(|total| {
                n >= DENSE_FROM && *total <= (n as u64).saturating_mul(DENSE_BITS_PER_ROW)
            })
            .and_then(|total| usize::try_from(total.div_ceil(64)).ok());
        let words = match words {
            Some(w) => w,
            _ => {
                // A table stays as it is; a map too sparse for its constants becomes one.
                if matches!(self.set, Set2::Dense { .. }) {
                    self.set = Set2::Table(self.keys().into_iter().collect());
                }
                return;
            }
        };
        if let Set2::Dense {
            bits,
            shift: old_shift,
            ..
        } = &mut self.set
        {
            if *old_shift == shift {
                bits.resize(words.max(bits.len()), 0);
                return;
            }
        }
        let mut bits = vec![0u64; words];
        for key in self.keys() {
            if let Some((x, m)) =
                Narrow::bit(key, shift).and_then(|(w, m)| Some((bits.get_mut(w)?, m)))
            {
                *x |= m;
            }
        }
        self.set = Set2::Dense {
            bits,
            shift,
            len: n,
        };
    }

    fn estimated_bytes(&self) -> usize {
        match &self.set {
            Set2::Table(s) => s.capacity().saturating_mul(std::mem::size_of::<u64>() + 1),
            Set2::Dense { bits, .. } => bits.capacity().saturating_mul(8),
        }
    }
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
            0..=2 => Members::Narrow(Narrow::default()),
            3..=4 => Members::Packed(FastSet::default()),
            _ => Members::Wide(FastSet::default()),
        }
    }

    #[inline]
    fn contains(&self, t: &[Sym]) -> bool {
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.contains(pack64(t)),
            Members::Packed(s) => s.contains(&pack128(t)),
            Members::Wide(s) => s.contains(t),
        }
    }

    fn remove(&mut self, t: &[Sym]) -> bool {
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.remove(pack64(t)),
            Members::Packed(s) => s.remove(&pack128(t)),
            Members::Wide(s) => s.remove(t),
        }
    }

    fn insert(&mut self, t: &[Sym]) -> bool {
        if matches!(self, Members::Empty) {
            *self = Members::for_arity(t.len());
        }
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.insert(pack64(t)),
            Members::Packed(s) => s.insert(pack128(t)),
            Members::Wide(s) => s.insert(Tuple::from_slice(t)),
        }
    }
}

/// A run of rows (a whole relation, a delta range, or a list), `arity` constants each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows<'a> {
    data: &'a [Sym],
    arity: usize,
    len: usize,
}

impl<'a> Rows<'a> {
    /// Rows taken from a flat list of constants.
    pub(crate) fn from_flat(data: &'a [Sym], arity: usize) -> Rows<'a> {
        let len = data.len().checked_div(arity).unwrap_or(0);
        Rows { data, arity, len }
    }

    /// Whether there is no row.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `i`, if there is one.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [Sym]> {
        if i >= self.len {
            return None;
        }
        self.data.get(i * self.arity..(i + 1) * self.arity)
    }

    /// Every row, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a [Sym]> + 'a {
        let (data, arity) = (self.data, self.arity);
        (0..self.len).map(move |i| data.get(i * arity..(i + 1) * arity).unwrap_or(&[]))
    }
}

/// A hash index over some rows (positions in those rows), for one mask.
pub(crate) type RowIndex = FastMap<Tuple, Vec<u32>>;

/// Indexes `rows` on the positions in `mask`.
pub(crate) fn index_rows(rows: Rows, mask: Mask) -> RowIndex {
    let mut index: RowIndex = FastMap::default();
    for (i, row) in rows.iter().enumerate() {
        index
            .entry(key_of(row, mask))
            .or_default()
            .push(u32::try_from(i).unwrap_or(u32::MAX));
    }
    index
}

/// The ground atoms of one predicate that hold (in one mode): rows of constants, in the
/// order they were added, with the fixpoint round of each (for derived predicates).
#[derive(Debug, Clone, Default)]
pub struct Relation {
    arity: usize,
    len: usize,
    data: Vec<Sym>,
    members: Members,
    /// For derived relations: the fixpoint round in which each row was added.
    rounds: Vec<u32>,
    /// The index of each mask asked for, built on the first probe with it.
    indexes: FxHashMap<Mask, std::sync::OnceLock<Index>>,
}

/// Relations of at most this many rows are probed by scanning them (in row order, as an
/// index gives them), not through an index.
const SCAN_UP_TO: usize = 16;

/// Whether the positions of `row` that `mask` binds hold `key`, in order.
pub(crate) fn key_matches(row: &[Sym], mask: Mask, key: &[Sym]) -> bool {
    let mut key = key.iter();
    row.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .all(|(_, s)| key.next() == Some(s))
        && key.next().is_none()
}

fn key_of(row: &[Sym], mask: Mask) -> Tuple {
    row.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect()
}

impl Relation {
    /// An empty relation.
    pub(crate) fn new() -> Relation {
        Relation::default()
    }

    /// How many rows (atoms) it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// An estimate of the bytes this relation holds on the heap: its rows, its membership
    /// table and its indexes, from their capacities (hash tables count one control byte per
    /// bucket beside the entry). It is what the memory budget of [`Limits`](super::Limits)
    /// adds up; it errs high rather than low, and costs a few arithmetic operations per index.
    pub fn estimated_bytes(&self) -> usize {
        use std::mem::size_of;
        let table = |capacity: usize, entry: usize| capacity.saturating_mul(entry + 1);
        let members = match &self.members {
            Members::Empty => 0,
            Members::Narrow(s) => s.estimated_bytes(),
            Members::Packed(s) => table(s.capacity(), size_of::<u128>()),
            // A tuple of more than four constants spills to the heap.
            Members::Wide(s) => table(s.capacity(), size_of::<Tuple>())
                .saturating_add(s.len().saturating_mul(self.arity * size_of::<Sym>())),
        };
        // Counted as built whether built yet or not (at most one key per row; each key holds
        // a list of row numbers, one `u32` per row over all keys): a model's bytes do not
        // change when a later stratum's probe builds an index of an earlier one.
        let indexes: usize = self.indexes.len().saturating_mul(
            table(self.len, size_of::<(Tuple, Vec<u32>)>())
                .saturating_add(self.len.saturating_mul(size_of::<u32>())),
        );
        self.data
            .capacity()
            .saturating_mul(size_of::<Sym>())
            .saturating_add(self.rounds.capacity().saturating_mul(size_of::<u32>()))
            .saturating_add(members)
            .saturating_add(indexes)
    }

    /// Whether its membership table is a bit map (tests).
    #[cfg(test)]
    fn members_are_dense(&self) -> bool {
        matches!(
            &self.members,
            Members::Narrow(Narrow {
                set: Set2::Dense { .. },
                ..
            })
        )
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many constants a row has (0 while empty, as no row has fixed it yet).
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Whether the row `t` is held.
    #[inline]
    pub fn contains(&self, t: &[Sym]) -> bool {
        t.len() == self.arity && self.len > 0 && self.members.contains(t)
    }

    /// Every row, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &[Sym]> + '_ {
        self.all().iter()
    }

    /// Every row, in insertion order, as a run of rows.
    pub(crate) fn all(&self) -> Rows<'_> {
        Rows {
            data: &self.data,
            arity: self.arity,
            len: self.len,
        }
    }

    /// The rows in positions `range` (insertion order).
    pub(crate) fn range(&self, range: std::ops::Range<usize>) -> Rows<'_> {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        Rows {
            data: self
                .data
                .get(start * self.arity..end * self.arity)
                .unwrap_or(&[]),
            arity: self.arity,
            len: end - start,
        }
    }

    /// The round in which a row was added (0 when not recorded).
    pub(crate) fn round_of(&self, t: &[Sym]) -> Option<u32> {
        if !self.contains(t) {
            return None;
        }
        // Rare (explanations only): a scan keeps the set small for the fixpoint.
        let i = self.iter().position(|r| r == t)?;
        Some(self.rounds.get(i).copied().unwrap_or(0))
    }

    /// Adds a tuple; `false` if it was already there.
    pub(crate) fn insert(&mut self, t: &[Sym]) -> bool {
        self.insert_in_round(t, 0)
    }

    /// Adds a tuple found in fixpoint round `round`; `false` if it was already there.
    pub(crate) fn insert_in_round(&mut self, t: &[Sym], round: u32) -> bool {
        if self.len == 0 {
            self.arity = t.len();
        } else if t.len() != self.arity {
            return false;
        }
        if !self.members.insert(t) {
            return false;
        }
        let id = u32::try_from(self.len).unwrap_or(u32::MAX);
        for (mask, cell) in self.indexes.iter_mut() {
            if let Some(index) = cell.get_mut() {
                index.entry(key_of(t, *mask)).or_default().push(id);
            }
        }
        self.data.extend_from_slice(t);
        self.len += 1;
        self.rounds.push(round);
        true
    }

    /// Whether probes with `mask` are answered without a scan (from an index, or a
    /// membership test when every position is bound).
    pub(crate) fn has_index(&self, mask: Mask) -> bool {
        mask == 0
            || (self.arity > 0 && mask.count_ones() as usize == self.arity)
            || self.indexes.contains_key(&mask)
    }

    /// A copy of the relation's rows for another evaluation that probes it with `masks`: the
    /// same rows in the same order and the same room reserved, so that its
    /// [`Relation::estimated_bytes`] is what evaluating it there would give (indexes of
    /// other masks are left out; those of `masks` already built come along).
    pub(crate) fn copy_for(&self, masks: impl IntoIterator<Item = Mask>) -> Relation {
        let mut data = Vec::with_capacity(self.data.capacity());
        data.extend_from_slice(&self.data);
        let mut rounds = Vec::with_capacity(self.rounds.capacity());
        rounds.extend_from_slice(&self.rounds);
        let mut indexes = FxHashMap::default();
        for mask in masks {
            if mask != 0 {
                let index = self.indexes.get(&mask).cloned().unwrap_or_default();
                indexes.insert(mask, index);
            }
        }
        Relation {
            arity: self.arity,
            len: self.len,
            data,
            members: self.members.clone(),
            rounds,
            indexes,
        }
    }

    /// Makes sure probes with `mask` are answered from an index (built on the first such
    /// probe).
    pub(crate) fn ensure_index(&mut self, mask: Mask) {
        if mask == 0 {
            return;
        }
        self.indexes.entry(mask).or_default();
    }

    /// Removes the row `t`; `false` if it was not there. The last row takes its place (the
    /// order of the rows changes), and the built indexes are edited to match: each lists its
    /// rows in row order, as one built from scratch would. Only for relations no fixpoint is
    /// adding to.
    pub(crate) fn remove(&mut self, t: &[Sym]) -> bool {
        if !self.contains(t) {
            return false;
        }
        let Some(i) = self.iter().position(|r| r == t) else {
            return false;
        };
        self.members.remove(t);
        let (last, a) = (self.len - 1, self.arity);
        let moved: Tuple = self
            .data
            .get(last * a..(last + 1) * a)
            .map(Tuple::from_slice)
            .unwrap_or_default();
        let (gone, from) = (
            u32::try_from(i).unwrap_or(u32::MAX),
            u32::try_from(last).unwrap_or(u32::MAX),
        );
        for (mask, cell) in self.indexes.iter_mut() {
            let Some(index) = cell.get_mut() else {
                continue;
            };
            let key = key_of(t, *mask);
            if let Some(ids) = index.get_mut(&key) {
                ids.retain(|id| *id != gone);
                if ids.is_empty() {
                    index.remove(&key);
                }
            }
            if i != last {
                if let Some(ids) = index.get_mut(&key_of(&moved, *mask)) {
                    for id in ids.iter_mut().filter(|id| **id == from) {
                        *id = gone;
                    }
                    ids.sort_unstable();
                }
            }
        }
        if i != last {
            self.data.copy_within(last * a..(last + 1) * a, i * a);
            self.rounds.swap(i, last);
        }
        self.data.truncate(last * a);
        self.rounds.truncate(last);
        self.len = last;
        true
    }

    /// Calls `f` on every row whose bound positions equal `key` (the bound values in order).
    /// Stops and returns `false` as soon as `f` does.
    pub(crate) fn probe(&self, mask: Mask, key: &[Sym], mut f: impl FnMut(&[Sym]) -> bool) -> bool {
        if mask == 0 {
            return self.iter().all(f);
        }
        if self.arity > 0 && mask.count_ones() as usize == self.arity {
            // Every position bound: a membership test.
            return if self.contains(key) { f(key) } else { true };
        }
        let rows = self.all();
        let scan = |f: &mut dyn FnMut(&[Sym]) -> bool| {
            rows.iter()
                .filter(|row| key_matches(row, mask, key))
                .all(&mut *f)
        };
        // A small relation is scanned: comparing a few rows costs less than building (and
        // hashing into) an index, and the small scenarios of a batch hold mostly such.
        if self.len <= SCAN_UP_TO {
            return scan(&mut f);
        }
        match self.indexes.get(&mask) {
            Some(cell) => match cell.get_or_init(|| index_rows(rows, mask)).get(key) {
                Some(ids) => ids.iter().filter_map(|id| rows.get(*id as usize)).all(f),
                None => true,
            },
            None => scan(&mut f),
        }
    }
}

impl PartialEq for Relation {
    fn eq(&self, other: &Relation) -> bool {
        self.len() == other.len() && self.iter().all(|r| other.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_by_scan_and_by_index_agree() {
        // Below SCAN_UP_TO rows a probe scans; above, it reads the index: both give the
        // matching rows in insertion order.
        for n in [3u32, SCAN_UP_TO as u32, 200] {
            let mut r = Relation::new();
            for i in 0..n {
                r.insert(&[i % 5, i, i % 3]);
            }
            r.ensure_index(0b101);
            for (a, c) in [(0, 0), (1, 1), (4, 2), (2, 9)] {
                let mut got = Vec::new();
                r.probe(0b101, &[a, c], |row| {
                    got.push(row.to_vec());
                    true
                });
                let want: Vec<Vec<u32>> = r
                    .iter()
                    .filter(|row| row[0] == a && row[2] == c)
                    .map(<[u32]>::to_vec)
                    .collect();
                assert_eq!(got, want, "{n} rows, key ({a}, {c})");
            }
        }
    }

    #[test]
    fn rows_keep_insertion_order_and_reject_duplicates() {
        let mut r = Relation::new();
        assert!(r.insert(&[3, 1]));
        assert!(r.insert(&[1, 2]));
        assert!(!r.insert(&[3, 1]));
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![&[3, 1][..], &[1, 2][..]]);
        assert!(r.contains(&[1, 2]) && !r.contains(&[2, 1]));
        assert!(!r.contains(&[1]), "a tuple of another arity is never found");
    }

    #[test]
    fn wide_tuples_and_propositions() {
        let mut wide = Relation::new();
        assert!(wide.insert(&[1, 2, 3, 4, 5]));
        assert!(wide.contains(&[1, 2, 3, 4, 5]) && !wide.contains(&[1, 2, 3, 4, 6]));
        let mut four = Relation::new();
        assert!(four.insert(&[u32::MAX, 0, u32::MAX, 7]));
        assert!(
            four.contains(&[u32::MAX, 0, u32::MAX, 7])
                && !four.contains(&[u32::MAX, 0, u32::MAX, 8])
        );
        let mut prop = Relation::new();
        assert!(!prop.contains(&[]));
        assert!(prop.insert(&[]));
        assert!(prop.contains(&[]) && !prop.insert(&[]));
        assert_eq!(prop.len(), 1);
    }

    #[test]
    fn probes_use_indexes_and_ranges_are_deltas() {
        let mut r = Relation::new();
        r.ensure_index(0b10);
        for t in [[1, 9], [2, 9], [3, 8]] {
            r.insert(&t);
        }
        let mut hits = Vec::new();
        r.probe(0b10, &[9], |row| {
            hits.push(row.to_vec());
            true
        });
        assert_eq!(hits, vec![vec![1, 9], vec![2, 9]]);
        let delta: Vec<&[u32]> = r.range(1..3).iter().collect();
        assert_eq!(delta, vec![&[2, 9][..], &[3, 8][..]]);
        let index = index_rows(r.range(1..3), 0b10);
        assert_eq!(index.get(&Tuple::from_slice(&[9])), Some(&vec![0]));
    }

    /// Sets of pairs over few constants turn into bit maps and back into tables (a constant
    /// too large for the map) without losing or inventing a row.
    #[test]
    fn dense_pair_sets_hold_what_tables_hold() {
        let mut r = Relation::new();
        let mut reference = std::collections::HashSet::new();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for step in 0..30_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mostly small constants, now and then a large one, and some removals.
            let big = step == 15_000 || step == 25_000;
            if step == 14_999 {
                assert!(r.members_are_dense(), "a bit map by now");
            }
            if step == 15_001 {
                assert!(!r.members_are_dense(), "a table again");
            }
            let a = if big {
                1_000_000 + step
            } else {
                (x % 150) as u32
            };
            let b = ((x >> 20) % 120) as u32;
            if step % 5 == 4 {
                assert_eq!(
                    r.remove(&[a, b]),
                    reference.remove(&(a, b)),
                    "remove {a},{b}"
                );
            } else {
                assert_eq!(
                    r.insert(&[a, b]),
                    reference.insert((a, b)),
                    "insert {a},{b}"
                );
            }
            if step % 997 == 0 {
                assert!(reference.iter().all(|(a, b)| r.contains(&[*a, *b])));
            }
        }
        assert_eq!(r.len(), reference.len());
        assert!(reference.iter().all(|(a, b)| r.contains(&[*a, *b])));
        assert!(!r.contains(&[149, 999]) && !r.contains(&[5_000_000, 1]));
        let mut single = Relation::new();
        for a in 0..10_000u32 {
            assert!(single.insert(&[a * 2]));
        }
        assert!(single.contains(&[1_234]) && !single.contains(&[1_235]));
        assert!(!single.insert(&[1_234]));
    }

    /// A copy edited by removals and inserts answers probes, memberships and scans as a
    /// relation built with its rows from the start, before and after its indexes are built.
    #[test]
    fn an_edited_copy_is_the_relation_of_its_rows() {
        let mut r = Relation::new();
        r.ensure_index(0b01);
        r.ensure_index(0b10);
        for a in 0..50u32 {
            for b in 0..4u32 {
                r.insert(&[a, b]);
            }
        }
        let probe = |r: &Relation, mask: Mask, key: &[u32]| {
            let mut hits: Vec<Vec<u32>> = Vec::new();
            r.probe(mask, key, |row| {
                hits.push(row.to_vec());
                true
            });
            hits.sort();
            hits
        };
        // Build one index on the original, so the copy starts from a relation with one.
        assert_eq!(probe(&r, 0b01, &[7]).len(), 4);
        let mut c = r.clone();
        assert!(c.remove(&[7, 1]) && c.remove(&[49, 3]) && c.remove(&[0, 0]));
        assert!(!c.remove(&[7, 1]) && !c.remove(&[99, 0]));
        assert!(c.insert(&[99, 9]));
        assert_eq!(
            probe(&c, 0b01, &[7]),
            vec![vec![7, 0], vec![7, 2], vec![7, 3]]
        );
        assert!(c.remove(&[7, 2]));
        assert_eq!(probe(&c, 0b01, &[7]), vec![vec![7, 0], vec![7, 3]]);
        assert_eq!(probe(&c, 0b10, &[9]), vec![vec![99, 9]]);
        let mut fresh = Relation::new();
        for row in r.iter() {
            if ![[7, 1], [49, 3], [0, 0], [7, 2]]
                .iter()
                .any(|x| x[..] == *row)
            {
                fresh.insert(row);
            }
        }
        fresh.insert(&[99, 9]);
        assert_eq!(c, fresh);
        assert_eq!(c.len(), fresh.len());
        assert_eq!(probe(&r, 0b01, &[7]).len(), 4, "the original is untouched");
        for row in fresh.iter() {
            assert!(c.contains(row));
        }
    }

    #[test]
    fn an_edited_index_lists_rows_in_row_order_as_a_new_one_would() {
        // Indexes copied and then edited by removals (the last row moving into the gap) and
        // inserts answer every probe with the rows a scan finds, in the same order.
        let mut r = Relation::new();
        for i in 0..300u32 {
            r.insert(&[i % 7, i % 11, i]);
        }
        r.ensure_index(0b001);
        r.ensure_index(0b011);
        let ordered = |r: &Relation, mask: Mask, key: &[u32]| {
            let mut hits: Vec<Vec<u32>> = Vec::new();
            r.probe(mask, key, |row| {
                hits.push(row.to_vec());
                true
            });
            hits
        };
        assert_eq!(ordered(&r, 0b001, &[3]).len(), 43); // builds the index to be copied
        assert_eq!(ordered(&r, 0b011, &[3, 3]).len(), 4);
        let mut c = r.clone();
        for i in [0u32, 299, 150, 3, 298, 77, 10, 11] {
            assert!(c.remove(&[i % 7, i % 11, i]));
        }
        assert!(c.insert(&[3, 3, 1_000]) && c.insert(&[6, 0, 1_001]));
        for mask in [0b001, 0b011] {
            for a in 0..7u32 {
                for b in 0..11u32 {
                    let key: Vec<u32> = if mask == 0b001 { vec![a] } else { vec![a, b] };
                    let scanned: Vec<Vec<u32>> = c
                        .iter()
                        .filter(|row| key_matches(row, mask, &key))
                        .map(<[u32]>::to_vec)
                        .collect();
                    assert_eq!(
                        ordered(&c, mask, &key),
                        scanned,
                        "mask {mask:b}, key {key:?}"
                    );
                }
            }
        }
        assert_eq!(
            ordered(&r, 0b001, &[0]).len(),
            43,
            "the original is untouched"
        );
    }
}
