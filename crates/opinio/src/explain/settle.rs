//! Settling sets: the smallest sets of missing facts that would make an unknown answer true
//! (or false), each verified by evaluating again with the facts overridden.
//!
//! The search is exact: sets are tried by increasing size, every combination of candidates
//! and values, skipping supersets of sets already found, so every set reported is minimal
//! and, when the search ran to its end, every minimal set was found. What cuts it short —
//! the number of candidates, of sets, of evaluations — is reported as data ([`Shown`]).

use super::build::Leaf;
use super::types::{Explanation, FactValue, SettlingLimits, Shown};
use super::{Context, ExplainOptions};
use crate::program::{PredId, Tuple};
use crate::syntax::ast::Truth;

/// Overrides of base facts: `(predicate, arguments, value)`.
type Changes = Vec<(PredId, Tuple, Truth)>;
/// The goal's value with some base facts overridden (`None`: the evaluation failed).
type ValueWith<'a> = &'a dyn Fn(&[(PredId, Tuple, Truth)]) -> Option<Truth>;

/// Finds the smallest sets of missing facts that settle the goal, each verified, among
/// `leaves` (the most relevant first; the first `options.max_candidates` are tried).
pub(super) fn settle_sets(
    cx: &Context,
    leaves: &[Leaf],
    eval_with: ValueWith,
    options: &ExplainOptions,
    out: &mut Explanation,
) {
    let cap = options.max_candidates.unwrap_or(usize::MAX);
    let total_candidates = leaves.len();
    let leaves: Vec<&Leaf> = leaves.iter().take(cap).collect();
    let mut limits = SettlingLimits {
        candidates: Shown {
            shown: leaves.len(),
            total: total_candidates,
            exact: true,
        },
        // A value facts cannot reach has no settling set: none is missing from the list.
        true_sets: Shown {
            shown: 0,
            total: 0,
            exact: true,
        },
        false_sets: Shown {
            shown: 0,
            total: 0,
            exact: true,
        },
    };
    for target in [Truth::True, Truth::False] {
        let (toward, away) = match target {
            Truth::True => (Truth::True, Truth::False),
            _ => (Truth::False, Truth::True),
        };
        // The values each leaf may take to push the goal toward `target`.
        let options_of = |l: &Leaf| -> Vec<Truth> {
            let mut v = Vec::new();
            if l.positive {
                v.push(toward);
            }
            if l.negative {
                v.push(away);
            }
            v
        };
        let choices: Vec<Vec<Truth>> = leaves.iter().map(|l| options_of(l)).collect();
        // Everything pushed the right way at once: can facts alone get there?
        let pushed = |last: bool| -> Changes {
            leaves
                .iter()
                .zip(&choices)
                .filter_map(|(l, c)| {
                    let v = if last { c.last() } else { c.first() };
                    v.map(|v| (l.pred, l.args.clone(), *v))
                })
                .collect()
        };
        let reachable =
            eval_with(&pushed(false)) == Some(target) || eval_with(&pushed(true)) == Some(target);
        if !reachable {
            if !out.unsettled_points.is_empty() {
                match target {
                    Truth::True => out.true_needs_settled_law = true,
                    _ => out.false_needs_settled_law = true,
                }
            }
            // Otherwise stipulations, not the law, hold the answer where it is.
            continue;
        }
        let search = Search {
            leaves: &leaves,
            choices: &choices,
            eval_with: &eval_with,
            target,
            budget: options.max_evaluations,
        };
        let (mut found, complete) = search.run();
        if found.is_empty() {
            // The budget ran out before any set was found: shrink the assignment that gets
            // there to one where every fact matters.
            let start = if eval_with(&pushed(false)) == Some(target) {
                pushed(false)
            } else {
                pushed(true)
            };
            let mut set: Vec<(usize, Truth)> = Vec::new();
            for (i, l) in leaves.iter().enumerate() {
                if let Some(c) = start.iter().find(|c| c.0 == l.pred && c.1 == l.args) {
                    set.push((i, c.2));
                }
            }
            let as_changes = |set: &[(usize, Truth)]| -> Changes {
                set.iter()
                    .filter_map(|(i, v)| leaves.get(*i).map(|l| (l.pred, l.args.clone(), *v)))
                    .collect()
            };
            let mut k = 0;
            while k < set.len() {
                let mut trial = set.clone();
                trial.remove(k);
                if eval_with(&as_changes(&trial)) == Some(target) {
                    set = trial;
                } else {
                    k += 1;
                }
            }
            found.push(set);
        }
        let shown_cap = options.max_sets.unwrap_or(usize::MAX);
        let count = Shown {
            shown: found.len().min(shown_cap),
            total: found.len(),
            exact: complete,
        };
        let sets: Vec<Vec<FactValue>> = found
            .into_iter()
            .take(shown_cap)
            .map(|set| {
                set.into_iter()
                    .filter_map(|(i, v)| {
                        leaves.get(i).map(|l| FactValue {
                            atom: cx.ground_atom(l.pred, &l.args),
                            value: v,
                        })
                    })
                    .collect()
            })
            .collect();
        match target {
            Truth::True => {
                out.would_make_true = sets;
                limits.true_sets = count;
            }
            _ => {
                out.would_make_false = sets;
                limits.false_sets = count;
            }
        }
    }
    out.cannot_be_settled_by_facts_alone =
        out.true_needs_settled_law && out.false_needs_settled_law;
    out.settling_limits = limits;
}

/// One exact search for minimal settling sets toward one value.
struct Search<'a> {
    leaves: &'a [&'a Leaf],
    choices: &'a [Vec<Truth>],
    eval_with: ValueWith<'a>,
    target: Truth,
    /// At most this many evaluations.
    budget: usize,
}

impl Search<'_> {
    /// Every minimal set (indices into the leaves, with values), smallest first, and whether
    /// the search ran to its end within the budget.
    fn run(&self) -> (Vec<Vec<(usize, Truth)>>, bool) {
        let n = self.leaves.len();
        let mut found: Vec<Vec<(usize, Truth)>> = Vec::new();
        let mut evaluations = 0usize;
        for size in 1..=n {
            let mut combo: Vec<usize> = (0..size).collect();
            loop {
                // Supersets of sets already found are not minimal.
                let is_superset = found
                    .iter()
                    .any(|f| f.iter().all(|(i, _)| combo.contains(i)));
                if !is_superset {
                    let mut pick = vec![0usize; size];
                    loop {
                        let changes: Changes = combo
                            .iter()
                            .zip(&pick)
                            .filter_map(|(&i, &c)| {
                                let l = self.leaves.get(i)?;
                                let v = self.choices.get(i)?.get(c)?;
                                Some((l.pred, l.args.clone(), *v))
                            })
                            .collect();
                        if evaluations >= self.budget {
                            return (found, false);
                        }
                        evaluations += 1;
                        if changes.len() == size && (self.eval_with)(&changes) == Some(self.target)
                        {
                            found.push(
                                combo
                                    .iter()
                                    .copied()
                                    .zip(changes.iter().map(|c| c.2))
                                    .collect(),
                            );
                            break;
                        }
                        if !next_pick(&mut pick, &combo, self.choices) {
                            break;
                        }
                    }
                }
                if !next_combination(&mut combo, n) {
                    break;
                }
            }
        }
        (found, true)
    }
}

/// The next choice of values for a combination; `false` after the last.
fn next_pick(pick: &mut [usize], combo: &[usize], choices: &[Vec<Truth>]) -> bool {
    for k in (0..pick.len()).rev() {
        let n = combo
            .get(k)
            .and_then(|i| choices.get(*i))
            .map_or(0, Vec::len);
        if let Some(p) = pick.get_mut(k) {
            if *p + 1 < n {
                *p += 1;
                return true;
            }
            *p = 0;
        }
    }
    false
}

/// The next combination of `combo.len()` indices out of `n`, in lexicographic order; `false`
/// after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let size = combo.len();
    for k in (0..size).rev() {
        let here = combo.get(k).copied().unwrap_or(n);
        if here < n - size + k {
            for (j, c) in combo.iter_mut().enumerate().skip(k) {
                *c = here + 1 + (j - k);
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::next_combination;

    #[test]
    fn combinations_are_all_visited_once() {
        let mut seen = Vec::new();
        let mut c = vec![0, 1];
        loop {
            seen.push(c.clone());
            if !next_combination(&mut c, 4) {
                break;
            }
        }
        assert_eq!(
            seen,
            [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]].map(|a| a.to_vec())
        );
    }
}
