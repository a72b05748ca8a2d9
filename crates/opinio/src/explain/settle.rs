//! Settle sets: the smallest sets of missing facts that would make an unknown answer true
//! (or false), each verified by evaluating again with the facts overridden.

use super::build::Leaf;
use super::types::{Explanation, FactValue};
use super::{Context, WhatIf, MAX_CANDIDATES, MAX_SETS, MAX_SET_SIZE};
use crate::program::{PredId, Sym, Tuple};
use crate::syntax::ast::Truth;

/// Finds the smallest sets of missing facts that settle the goal, each verified.
pub(super) fn settle_sets(
    cx: &Context,
    leaves: &[Leaf],
    what_if: WhatIf,
    pred: PredId,
    args: &[Sym],
    out: &mut Explanation,
) {
    let leaves: Vec<&Leaf> = leaves.iter().take(MAX_CANDIDATES).collect();
    let eval_with = |changes: &[(PredId, Tuple, Truth)]| -> Option<Truth> {
        what_if(changes).map(|m| m.value(pred, args))
    };
    for target in [Truth::True, Truth::False] {
        // The value each leaf should take to push the goal toward `target`.
        let options = |l: &&Leaf| -> Vec<Truth> {
            let mut v = Vec::new();
            let (toward, away) = match target {
                Truth::True => (Truth::True, Truth::False),
                _ => (Truth::False, Truth::True),
            };
            if l.positive {
                v.push(toward);
            }
            if l.negative {
                v.push(away);
            }
            v
        };
        // Everything pushed the right way at once: can facts alone get there?
        let all: Vec<(PredId, Tuple, Truth)> = leaves
            .iter()
            .filter_map(|l| options(l).first().map(|v| (l.pred, l.args.clone(), *v)))
            .collect();
        let reachable = eval_with(&all) == Some(target);
        if !reachable {
            // Try the opposite assignment for leaves met both ways before giving up.
            let alt: Vec<(PredId, Tuple, Truth)> = leaves
                .iter()
                .filter_map(|l| options(l).last().map(|v| (l.pred, l.args.clone(), *v)))
                .collect();
            if eval_with(&alt) != Some(target) {
                if out.unsettled_points.is_empty() {
                    // Stipulations, not the law, hold the answer where it is.
                    continue;
                }
                match target {
                    Truth::True => out.true_needs_settled_law = true,
                    _ => out.false_needs_settled_law = true,
                }
                continue;
            }
        }
        let mut found: Vec<Vec<(usize, Truth)>> = Vec::new();
        'size: for size in 1..=MAX_SET_SIZE.min(leaves.len()) {
            let mut combo: Vec<usize> = (0..size).collect();
            loop {
                // Skip supersets of sets already found.
                let is_superset = found
                    .iter()
                    .any(|f| f.iter().all(|(i, _)| combo.contains(i)));
                if !is_superset {
                    let choices: Vec<Vec<Truth>> = combo
                        .iter()
                        .map(|&i| leaves.get(i).map(options).unwrap_or_default())
                        .collect();
                    let mut pick = vec![0usize; size];
                    loop {
                        let changes: Vec<(PredId, Tuple, Truth)> = combo
                            .iter()
                            .zip(&pick)
                            .filter_map(|(&i, &c)| {
                                let l = leaves.get(i)?;
                                let v = choices.get(combo.iter().position(|x| *x == i)?)?.get(c)?;
                                Some((l.pred, l.args.clone(), *v))
                            })
                            .collect();
                        if changes.len() == size && eval_with(&changes) == Some(target) {
                            found.push(
                                combo
                                    .iter()
                                    .copied()
                                    .zip(changes.iter().map(|c| c.2))
                                    .collect(),
                            );
                            if found.len() >= MAX_SETS {
                                break 'size;
                            }
                            break;
                        }
                        // Next choice.
                        let mut k = size;
                        let mut advanced = false;
                        while k > 0 {
                            k -= 1;
                            let n = choices.get(k).map(|c| c.len()).unwrap_or(0);
                            if let Some(p) = pick.get_mut(k) {
                                if *p + 1 < n {
                                    *p += 1;
                                    advanced = true;
                                    break;
                                }
                                *p = 0;
                            }
                        }
                        if !advanced {
                            break;
                        }
                    }
                }
                // Next combination.
                let n = leaves.len();
                let mut k = size;
                let mut advanced = false;
                while k > 0 {
                    k -= 1;
                    if combo.get(k).copied().unwrap_or(n) < n - size + k {
                        if let Some(c) = combo.get_mut(k) {
                            *c += 1;
                        }
                        for j in k + 1..size {
                            let prev = combo.get(j - 1).copied().unwrap_or(0);
                            if let Some(c) = combo.get_mut(j) {
                                *c = prev + 1;
                            }
                        }
                        advanced = true;
                        break;
                    }
                }
                if !advanced {
                    break;
                }
            }
        }
        if found.is_empty() && reachable {
            // More facts are needed than the search tries: shrink the full assignment to
            // one where every fact matters.
            let mut set: Vec<(usize, Truth)> =
                all.iter().enumerate().map(|(i, c)| (i, c.2)).collect();
            let mut i = 0;
            while i < set.len() {
                let trial: Vec<(PredId, Tuple, Truth)> = set
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .filter_map(|(_, (k, v))| leaves.get(*k).map(|l| (l.pred, l.args.clone(), *v)))
                    .collect();
                if eval_with(&trial) == Some(target) {
                    set.remove(i);
                } else {
                    i += 1;
                }
            }
            found.push(set);
        }
        let sets: Vec<Vec<FactValue>> = found
            .into_iter()
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
            Truth::True => out.would_make_true = sets,
            _ => out.would_make_false = sets,
        }
    }
    out.cannot_be_settled_by_facts_alone =
        out.true_needs_settled_law && out.false_needs_settled_law;
}
