//! A set of ground tuples in insertion order, with hash indexes on bound argument positions.
//!
//! Rows are stored flat (one `Vec` of constants, `arity` per row) and never removed during a
//! fixpoint, so the rows added in one round are a contiguous range: semi-naive evaluation
//! reads "the delta" as that range, with no copy. (A what-if copies a base relation and
//! removes a few rows from the copy, [`Relation::remove`].) An index is built the first time
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
/// entry is small and a lookup touches little memory.
#[derive(Debug, Clone, Default)]
enum Members {
    #[default]
    Empty,
    Narrow(FastSet<u64>),
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
            0..=2 => Members::Narrow(FastSet::default()),
            3..=4 => Members::Packed(FastSet::default()),
            _ => Members::Wide(FastSet::default()),
        }
    }

    fn contains(&self, t: &[Sym]) -> bool {
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.contains(&pack64(t)),
            Members::Packed(s) => s.contains(&pack128(t)),
            Members::Wide(s) => s.contains(t),
        }
    }

    fn remove(&mut self, t: &[Sym]) -> bool {
        match self {
            Members::Empty => false,
            Members::Narrow(s) => s.remove(&pack64(t)),
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
            Members::Narrow(s) => table(s.capacity(), size_of::<u64>()),
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

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many constants a row has (0 while empty, as no row has fixed it yet).
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Whether the row `t` is held.
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

    /// Makes sure probes with `mask` are answered from an index (built on the first such
    /// probe).
    pub(crate) fn ensure_index(&mut self, mask: Mask) {
        if mask == 0 {
            return;
        }
        self.indexes.entry(mask).or_default();
    }

    /// A copy of the rows (in the same order, with the same rounds) with the same indexes
    /// asked for, none built: what a what-if edits ([`Relation::remove`], inserts) at the cost
    /// of copying the rows and the membership table.
    pub(crate) fn copy_rows(&self) -> Relation {
        Relation {
            arity: self.arity,
            len: self.len,
            data: self.data.clone(),
            members: self.members.clone(),
            rounds: self.rounds.clone(),
            indexes: self
                .indexes
                .keys()
                .map(|m| (*m, std::sync::OnceLock::new()))
                .collect(),
        }
    }

    /// Removes the row `t`; `false` if it was not there. The last row takes its place (the
    /// order of the rows changes), and built indexes are dropped, to be built again on the
    /// next probe. Only for relations no fixpoint is adding to.
    pub(crate) fn remove(&mut self, t: &[Sym]) -> bool {
        if !self.contains(t) {
            return false;
        }
        let Some(i) = self.iter().position(|r| r == t) else {
            return false;
        };
        self.members.remove(t);
        let (last, a) = (self.len - 1, self.arity);
        if i != last {
            self.data.copy_within(last * a..(last + 1) * a, i * a);
            self.rounds.swap(i, last);
        }
        self.data.truncate(last * a);
        self.rounds.truncate(last);
        self.len = last;
        for cell in self.indexes.values_mut() {
            *cell = std::sync::OnceLock::new();
        }
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
        match self.indexes.get(&mask) {
            Some(cell) => match cell.get_or_init(|| index_rows(rows, mask)).get(key) {
                Some(ids) => ids.iter().filter_map(|id| rows.get(*id as usize)).all(f),
                None => true,
            },
            None => {
                for row in rows.iter() {
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
        self.len() == other.len() && self.iter().all(|r| other.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut c = r.copy_rows();
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
}
