//! Settling sets: the smallest sets of missing facts that would make an unknown answer true
//! (or false), each verified by evaluating again with the facts overridden.
//!
//! The search is exact: sets are tried by increasing size, every combination of candidates
//! and values, skipping supersets of sets already found, so every set reported is minimal
//! and, when the search ran to its end, every minimal set was found. What cuts it short —
//! the number of candidates, of sets, of evaluations — is reported as data ([`Shown`]).
//!
//! A fact of a `functional` predicate (SEMANTICS: at most one value in the last slot for
//! each combination of the others) is stated as the scenario would state it: stating one
//! value true makes every other unstated value false. So a set never holds two values of one
//! functional predicate for the same other arguments, nor a value where the scenario already
//! states another one true. Where the answer rests on two values or more of one functional
//! predicate (for the same other arguments), a value the answer does not read (the first of
//! its type's domain) is a candidate of its own, standing for "any other value": stating it
//! true is how a scenario rules out at once all the values the answer rests on. Where the
//! answer reads every value of the type, stating each of them true is tried instead, for
//! either answer, since it also rules the others out. (Where the answer rests on one value
//! only, ruling it out is just stating it false: the same set's size, and the plainer
//! reading.)

use super::build::Leaf;
use super::types::{Explanation, FactValue, SettlingLimits, Shown};
use super::{Context, ExplainOptions};
use crate::program::{PredId, Sym, Tuple};
use crate::syntax::ast::Truth;

/// Overrides of base facts: `(predicate, arguments, value)`.
type Changes = Vec<(PredId, Tuple, Truth)>;
/// The goal's value with some base facts overridden (`None`: the evaluation failed).
type ValueWith<'a> = &'a dyn Fn(&[(PredId, Tuple, Truth)]) -> Option<Truth>;
/// A set of facts: indices into the candidates, with the values stated.
type Set = [(usize, Truth)];
/// Whether stating a set settles the goal.
type Reaches<'a> = &'a dyn Fn(&Set) -> bool;

/// A missing fact the search may state.
#[derive(Debug, Clone)]
struct Candidate {
    pred: PredId,
    args: Tuple,
    /// The values tried toward a true answer, then toward a false one. The first
    /// `polar` of each follow the fact's place in the answer (true where it helps, false
    /// where its absence helps); where the answer reads every value of a functional slot,
    /// `true` is added after them.
    values: [Vec<Truth>; 2],
    /// How many of `values` follow the fact's place in the answer.
    polar: [usize; 2],
    /// Of a functional predicate: stating two values true for the same other arguments is a
    /// contradiction the scenario would reject.
    functional: bool,
    /// Stating it true rules out other values of its predicate that the answer rests on.
    rules_out: bool,
}

impl Candidate {
    /// Whether `self` and `other` are values of one functional predicate for the same other
    /// arguments.
    fn same_slot(&self, other: &Candidate) -> bool {
        self.functional && one_slot((self.pred, &self.args), (other.pred, &other.args))
    }
}

/// Whether two atoms differ at most in their last argument: values of one slot, for a
/// functional predicate.
fn one_slot((p, a): (PredId, &[Sym]), (q, b): (PredId, &[Sym])) -> bool {
    p == q && a.len() == b.len() && a.split_last().map(|(_, x)| x) == b.split_last().map(|(_, x)| x)
}

/// The candidates for `leaves` (the missing facts the answer rests on, most relevant first):
/// one per leaf, and after the last leaf of each functional slot whose values the answer
/// rests on one value the answer does not read (see the module's notes).
fn candidates(cx: &Context, leaves: &[Leaf]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(leaves.len());
    for l in leaves {
        let functional = cx.program.predicate(l.pred).functional && !l.args.is_empty();
        // Where the scenario states another value true, this one cannot be stated true.
        let taken = functional && stated_other_true(cx, l.pred, &l.args);
        // Stating this value true rules out others the answer rests on (none of which is
        // taken either: a value stated true for the slot would be this one, a leaf).
        let rules_out = functional
            && !taken
            && leaves
                .iter()
                .any(|o| o.args != l.args && one_slot((o.pred, &o.args), (l.pred, &l.args)));
        let mut values: [Vec<Truth>; 2] = [Vec::new(), Vec::new()];
        let mut polar = [0; 2];
        for (k, (toward, away)) in [(Truth::True, Truth::False), (Truth::False, Truth::True)]
            .into_iter()
            .enumerate()
        {
            let Some(v) = values.get_mut(k) else { continue };
            if l.positive {
                v.push(toward);
            }
            if l.negative {
                v.push(away);
            }
            if taken {
                v.retain(|x| *x != Truth::True);
            }
            if let Some(p) = polar.get_mut(k) {
                *p = v.len();
            }
        }
        out.push(Candidate {
            pred: l.pred,
            args: l.args.clone(),
            values,
            polar,
            functional,
            rules_out,
        });
    }
    // Per functional slot with values to rule out: one value that no leaf is, stating which
    // true rules out every value the answer reads; or, where the answer reads every value of
    // the type, each of them true (ruling the others out). Stating a value the answer reads
    // true is never a better way to make it false where it reads it as true (nor the other
    // way round) than stating an unread one, so only one of the two is tried: the sets
    // found are the same sizes, and fewer.
    let mut i = 0;
    while i < out.len() {
        let Some(c) = out.get(i) else { break };
        let last_of_slot = c.rules_out && !out.iter().skip(i + 1).any(|d| d.same_slot(c));
        if last_of_slot {
            match unread_value(cx, c, &out) {
                Some(other) => {
                    out.insert(i + 1, other);
                    i += 1;
                }
                None => {
                    let c = c.clone();
                    for d in out.iter_mut().filter(|d| d.rules_out && d.same_slot(&c)) {
                        for v in &mut d.values {
                            if !v.contains(&Truth::True) {
                                v.push(Truth::True);
                            }
                        }
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// Whether the scenario states true a value of functional `pred` other than `args`' last one
/// for `args`' other arguments.
fn stated_other_true(cx: &Context, pred: PredId, args: &[Sym]) -> bool {
    let Some((_, prefix)) = args.split_last() else {
        return false;
    };
    cx.facts.stated.get(pred.index()).is_some_and(|m| {
        m.iter().any(|(t, v)| {
            *v == Truth::True
                && t.len() == args.len()
                && t.as_slice() != args
                && t.starts_with(prefix)
        })
    })
}

/// The first value of `c`'s last slot, in its type's domain, that no candidate of the same
/// slot is and the scenario does not state: a fact standing for every value the answer does
/// not read.
fn unread_value(cx: &Context, c: &Candidate, all: &[Candidate]) -> Option<Candidate> {
    let (_, prefix) = c.args.split_last()?;
    let slot = cx.program.predicate(c.pred).slots.last()?;
    let domain = cx.facts.domains.get(slot.ty.index())?;
    let value = domain.iter().find(|v| {
        let mut t = Tuple::from_slice(prefix);
        t.push(**v);
        !all.iter().any(|d| d.same_slot(c) && d.args == t)
            && cx.facts.stated_value(c.pred, &t).is_none()
    })?;
    let mut args = Tuple::from_slice(prefix);
    args.push(*value);
    Some(Candidate {
        pred: c.pred,
        args,
        values: [vec![Truth::True], vec![Truth::True]],
        polar: [0, 0],
        functional: true,
        rules_out: true,
    })
}

/// Whether stating every change in `set` at once is something a scenario could do: no two
/// values of one functional slot true.
fn consistent(cands: &[Candidate], set: &[(usize, Truth)]) -> bool {
    !pairs_in_one_slot(cands, set, |_, v, _, w| {
        v == Truth::True && w == Truth::True
    })
}

/// Whether `set` holds a value of a functional slot stated false that the scenario leaves
/// unstated next to another value of the slot stated true: the false one adds nothing
/// (stating the other true already makes it false), so `set` is not a smallest set.
fn redundant(cx: &Context, cands: &[Candidate], set: &[(usize, Truth)]) -> bool {
    pairs_in_one_slot(cands, set, |_, v, b, w| pins(cx, v, b, w))
}

/// Whether stating a value of a functional slot `v` makes another value of it, `b`, take
/// the value `w`: `true` pins every other value the scenario leaves unstated to `false`.
fn pins(cx: &Context, v: Truth, b: &Candidate, w: Truth) -> bool {
    v == Truth::True && w == Truth::False && cx.facts.stated_value(b.pred, &b.args).is_none()
}

/// Whether two changes of `set`, of the same functional slot, meet `test` (given the first's
/// value, the second candidate and its value).
fn pairs_in_one_slot(
    cands: &[Candidate],
    set: &[(usize, Truth)],
    test: impl Fn(&Candidate, Truth, &Candidate, Truth) -> bool,
) -> bool {
    set.iter().any(|(i, v)| {
        set.iter().any(|(j, w)| {
            i != j
                && match (cands.get(*i), cands.get(*j)) {
                    (Some(a), Some(b)) => a.same_slot(b) && test(a, *v, b, *w),
                    _ => false,
                }
        })
    })
}

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
    let mut cands = candidates(cx, leaves);
    let total_candidates = cands.len();
    cands.truncate(cap);
    let mut limits = SettlingLimits {
        candidates: Shown {
            shown: cands.len(),
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
    let as_changes = |set: &[(usize, Truth)]| -> Changes {
        set.iter()
            .filter_map(|(i, v)| cands.get(*i).map(|c| (c.pred, c.args.clone(), *v)))
            .collect()
    };
    for (k, target) in [Truth::True, Truth::False].into_iter().enumerate() {
        let choices: Vec<&[Truth]> = cands
            .iter()
            .map(|c| c.values.get(k).map_or(&[][..], Vec::as_slice))
            .collect();
        // Every fact pushed the right way at once: can facts alone get there? The answer can
        // only move toward `target` as a fact that counts one way moves its way, whatever the
        // others are, so with those pushed, trying each value of the facts that count both
        // ways (for the answer in one rule, against it in another, through `not` or
        // `unless`) is the most any set can do: a value none of these reaches no set
        // reaches. Past `MAX_BOTH_WAYS` such facts the search itself decides.
        const MAX_BOTH_WAYS: usize = 8;
        let both_ways: Vec<usize> = (0..cands.len())
            .filter(|i| {
                cands
                    .get(*i)
                    .is_some_and(|c| c.polar.get(k).copied().unwrap_or(0) >= 2)
            })
            .collect();
        let pushed = |mask: usize| -> Vec<(usize, Truth)> {
            cands
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let n = c.polar.get(k).copied().unwrap_or(0);
                    let v = c.values.get(k)?;
                    let pick = match both_ways.iter().position(|b| *b == i) {
                        Some(bit) if mask & (1 << bit) != 0 => v.get(n.checked_sub(1)?),
                        _ => v.first(),
                    };
                    (n > 0).then_some(()).and(pick).map(|v| (i, *v))
                })
                .collect()
        };
        let reaches = |set: &[(usize, Truth)]| eval_with(&as_changes(set)) == Some(target);
        let bounded = both_ways.len() <= MAX_BOTH_WAYS;
        let start = if bounded {
            (0..1usize << both_ways.len())
                .map(pushed)
                .find(|set| reaches(set))
        } else {
            [pushed(0), pushed(usize::MAX)]
                .into_iter()
                .find(|set| reaches(set))
        };
        let found_and_complete = (start.is_some() || !bounded).then(|| {
            let search = Search {
                cx,
                cands: &cands,
                choices: &choices,
                reaches: &reaches,
                budget: options.max_evaluations,
            };
            let (mut found, complete) = search.run();
            if let Some(start) = start
                .as_ref()
                .filter(|s| found.is_empty() && !complete && consistent(&cands, s))
            {
                // The budget ran out before any set was found: shrink the assignment that
                // gets there to one where every fact matters.
                let mut set = start.clone();
                let mut j = 0;
                while j < set.len() {
                    let mut trial = set.clone();
                    trial.remove(j);
                    if reaches(&trial) {
                        set = trial;
                    } else {
                        j += 1;
                    }
                }
                found.push(set);
            }
            (found, complete)
        });
        let (found, complete) = match found_and_complete {
            Some((found, complete)) if !found.is_empty() || !complete => (found, complete),
            // No consistent set of facts gets there.
            _ => {
                if !out.unsettled_points.is_empty() {
                    match target {
                        Truth::True => out.true_needs_settled_law = true,
                        _ => out.false_needs_settled_law = true,
                    }
                }
                // Otherwise stipulations or the law itself hold the answer where it is.
                continue;
            }
        };
        let found = without_stronger(cx, &cands, found);
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
                        cands.get(i).map(|c| FactValue {
                            atom: cx.ground_atom(c.pred, &c.args),
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

/// `found` without each set that says more than another set of no more facts: stating a
/// value of a functional predicate true says its other unstated values are false, so of
/// `not g0(o1) and f3(o1, no)` and `not g0(o1) and not f3(o1, yes)` (where `f3` has the
/// values `yes` and `no`) only the second, which commits to less, is kept. A set of fewer
/// facts is kept even where it says more (`scale_of(o5, minor)` beside `not scale_of(o5,
/// significant) and not scale_of(o5, grave)`): fewer facts to establish is the point.
fn without_stronger(
    cx: &Context,
    cands: &[Candidate],
    found: Vec<Vec<(usize, Truth)>>,
) -> Vec<Vec<(usize, Truth)>> {
    // Whether stating `a` states everything `b` states.
    let implies = |a: &Set, b: &Set| {
        b.iter().all(|(j, w)| {
            a.contains(&(*j, *w))
                || a.iter().any(|(i, v)| {
                    i != j
                        && matches!((cands.get(*i), cands.get(*j)),
                            (Some(x), Some(y)) if x.same_slot(y) && pins(cx, *v, y, *w))
                })
        })
    };
    let keep: Vec<bool> = found
        .iter()
        .enumerate()
        .map(|(k, a)| {
            !found
                .iter()
                .enumerate()
                .any(|(m, b)| m != k && b.len() <= a.len() && implies(a, b) && !implies(b, a))
        })
        .collect();
    found
        .into_iter()
        .zip(keep)
        .filter_map(|(set, keep)| keep.then_some(set))
        .collect()
}

/// One exact search for minimal settling sets toward one value.
struct Search<'a> {
    cx: &'a Context<'a>,
    cands: &'a [Candidate],
    /// Per candidate, the values tried.
    choices: &'a [&'a [Truth]],
    /// Whether a set (indices into the candidates, with values) settles the goal.
    reaches: Reaches<'a>,
    /// At most this many evaluations.
    budget: usize,
}

impl Search<'_> {
    /// Every minimal set (indices into the candidates, with values), smallest first, and
    /// whether the search ran to its end within the budget.
    fn run(&self) -> (Vec<Vec<(usize, Truth)>>, bool) {
        let n = self.cands.len();
        let mut found: Vec<Vec<(usize, Truth)>> = Vec::new();
        let mut evaluations = 0usize;
        let mut pick: Vec<usize> = Vec::new();
        let mut set: Vec<(usize, Truth)> = Vec::new();
        for size in 1..=n {
            let mut combo: Vec<usize> = (0..size).collect();
            loop {
                // Every value of this combination holds a set already found (the common
                // case: one value per fact): nothing here is minimal.
                let covered = found.iter().any(|f| {
                    f.iter().all(|(i, _)| {
                        combo.contains(i) && self.choices.get(*i).is_some_and(|c| c.len() == 1)
                    })
                });
                let tried = !covered
                    && combo
                        .iter()
                        .all(|i| self.choices.get(*i).is_some_and(|c| !c.is_empty()));
                pick.clear();
                pick.resize(size, 0);
                let mut more = tried;
                while more {
                    set.clear();
                    set.extend(
                        combo
                            .iter()
                            .zip(&pick)
                            .filter_map(|(&i, &c)| Some((i, *self.choices.get(i)?.get(c)?))),
                    );
                    // Supersets of sets already found are not minimal.
                    let is_superset = found.iter().any(|f| f.iter().all(|x| set.contains(x)));
                    if !is_superset
                        && consistent(self.cands, &set)
                        && !redundant(self.cx, self.cands, &set)
                    {
                        if evaluations >= self.budget {
                            return (found, false);
                        }
                        evaluations += 1;
                        if set.len() == size && (self.reaches)(&set) {
                            found.push(set.clone());
                        }
                    }
                    more = next_pick(&mut pick, &combo, self.choices);
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
fn next_pick(pick: &mut [usize], combo: &[usize], choices: &[&[Truth]]) -> bool {
    for k in (0..pick.len()).rev() {
        let n = combo
            .get(k)
            .and_then(|i| choices.get(*i))
            .map_or(0, |c| c.len());
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
