//! A set of ground tuples with hash indexes on bound argument positions.

use crate::check::program::{Sym, Tuple};
use rustc_hash::{FxHashMap, FxHashSet};

/// A bit set of argument positions that are bound when a relation is probed.
pub type Mask = u32;

type Index = FxHashMap<Tuple, Vec<u32>>;

#[derive(Debug, Clone, Default)]
pub struct Relation {
    rows: Vec<Tuple>,
    set: FxHashSet<Tuple>,
    indexes: FxHashMap<Mask, Index>,
}

fn key_of(row: &[Sym], mask: Mask) -> Tuple {
    row.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect()
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
        self.set.contains(t)
    }

    pub fn rows(&self) -> &[Tuple] {
        &self.rows
    }

    /// Adds a tuple; `false` if it was already there.
    pub fn insert(&mut self, t: Tuple) -> bool {
        if self.set.contains(&t) {
            return false;
        }
        let id = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        for (mask, index) in self.indexes.iter_mut() {
            index.entry(key_of(&t, *mask)).or_default().push(id);
        }
        self.set.insert(t.clone());
        self.rows.push(t);
        true
    }

    /// Makes sure probes with `mask` are answered from an index.
    pub fn ensure_index(&mut self, mask: Mask) {
        if mask == 0 || self.indexes.contains_key(&mask) {
            return;
        }
        let mut index: Index = FxHashMap::default();
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
            for row in &self.rows {
                if !f(row) {
                    return false;
                }
            }
            return true;
        }
        let full = self.rows.first().map(|r| r.len()).unwrap_or(0);
        if full > 0 && mask.count_ones() as usize == full {
            // Every position bound: a membership test.
            return match self.set.get(key) {
                Some(row) => f(row),
                None => true,
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
        self.set == other.set
    }
}
