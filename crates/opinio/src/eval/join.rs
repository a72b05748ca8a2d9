//! Rule bodies of one or two positive atoms (`path(X, Z) if edge(X, Y) and path(Y, Z)`), run
//! without the general search.
//!
//! The [`Solver`](super::Solver) binds variables in an environment, checks every argument of
//! every row it visits, and passes each solution through a chain of callbacks; for a body of
//! two atoms almost all of that work is per candidate row, and a transitive closure visits
//! tens of millions of them. A [`Join`] is worked out once from such a plan: which positions of
//! the first atom's row make the key of the second atom's probe, and where each constant of
//! the conclusion comes from. Running it writes each conclusion straight from the two rows.
//! Rows are visited in the same order as the search visits them, so the conclusions come in
//! the same order (`join::tests` holds the two to each other).

use super::limits::Deadline;
use super::model::{Mode, Model};
use super::plan::Plan;
use super::relation::{self, Mask, Relation};
use super::solve::Focus;
use crate::program::{Atom, PredId, Sym, Term, Tuple, VarId};
use smallvec::SmallVec;

/// Where a constant of a key or of the conclusion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Const(Sym),
    /// A position of the first atom's row.
    First(usize),
    /// A position of the second atom's row.
    Second(usize),
}

/// One atom of the body, scanned with the positions `mask` bound to `key`.
#[derive(Debug, Clone)]
struct Side {
    pred: PredId,
    occurrence: u32,
    mask: Mask,
    key: SmallVec<[Source; 4]>,
}

/// A rule body of one or two positive atoms, each variable bound once (by the first atom,
/// or by a position of the second the first does not bind), with the conclusion's constants
/// read off the rows.
#[derive(Debug, Clone)]
pub(crate) struct Join {
    first: Side,
    second: Option<Side>,
    head: SmallVec<[Source; 4]>,
}

impl Join {
    /// The join that runs `plan` for a rule concluding `head`, when the plan is one scan or a
    /// sequence of two, neither needs a check beyond its probe's key (no variable repeated
    /// within the rows it binds), and the conclusion has no variable the body leaves
    /// unbound; `None` otherwise (the search runs the plan).
    pub(crate) fn of(plan: &Plan, head: &Atom) -> Option<Join> {
        let mut scans: SmallVec<[&Plan; 2]> = SmallVec::new();
        if !flatten(plan, &mut scans) || scans.is_empty() || scans.len() > 2 {
            return None;
        }
        // Where each variable is bound: (side, position).
        let mut bound: SmallVec<[(VarId, Source); 8]> = SmallVec::new();
        let find = |bound: &[(VarId, Source)], v: VarId| {
            bound.iter().find(|(x, _)| *x == v).map(|(_, s)| *s)
        };
        let mut sides: SmallVec<[Side; 2]> = SmallVec::new();
        for (n, scan) in scans.iter().enumerate() {
            let Plan::Scan {
                pred,
                args,
                mask,
                occurrence,
            } = scan
            else {
                return None;
            };
            if args.len() > Mask::BITS as usize {
                return None;
            }
            let mut key = SmallVec::new();
            let mut binds: SmallVec<[(VarId, Source); 4]> = SmallVec::new();
            for (i, t) in args.iter().enumerate() {
                let in_key = mask & (1 << i) != 0;
                match (t, in_key) {
                    (Term::Const(c), true) => key.push(Source::Const(*c)),
                    (Term::Var(v), true) => key.push(find(&bound, *v)?),
                    (Term::Var(v), false) => {
                        // A variable bound earlier, or twice in this row, needs a check.
                        if find(&bound, *v).is_some() || binds.iter().any(|(x, _)| x == v) {
                            return None;
                        }
                        let at = if n == 0 {
                            Source::First(i)
                        } else {
                            Source::Second(i)
                        };
                        binds.push((*v, at));
                    }
                    (Term::Const(_), false) => return None,
                }
            }
            bound.extend(binds);
            sides.push(Side {
                pred: *pred,
                occurrence: *occurrence,
                mask: *mask,
                key,
            });
        }
        let mut head_from = SmallVec::new();
        for t in &head.args {
            head_from.push(match t {
                Term::Const(c) => Source::Const(*c),
                Term::Var(v) => find(&bound, *v)?,
            });
        }
        let mut sides = sides.into_iter();
        let first = sides.next()?;
        // The first atom is probed before anything is bound: its key holds constants only.
        if first.key.iter().any(|s| !matches!(s, Source::Const(_))) {
            return None;
        }
        Some(Join {
            first,
            second: sides.next(),
            head: head_from,
        })
    }

    /// Calls `emit` with the conclusion of every solution of the body in `mode` that
    /// `known` does not hold, in the search's order; the scan `focus` names reads only its
    /// rows. Stops, returning `false`, when `emit` does or the deadline passes.
    pub(crate) fn run(
        &self,
        model: &Model,
        mode: Mode,
        focus: Option<Focus<'_>>,
        known: &Relation,
        deadline: Option<&Deadline>,
        emit: &mut dyn FnMut(&[Sym]) -> bool,
    ) -> bool {
        let mut out: Tuple = self.head.iter().map(|_| Sym::default()).collect();
        let mut key: Tuple = Tuple::new();
        let mut first_key: Tuple = Tuple::new();
        fill(&mut first_key, &self.first.key, &[], &[]);
        let step = || deadline.is_none_or(Deadline::step);
        match &self.second {
            None => each_row(model, mode, &self.first, focus, &first_key, |row| {
                step() && {
                    fill_into(&mut out, &self.head, row, &[]);
                    known.contains(&out) || emit(&out)
                }
            }),
            Some(second) => each_row(model, mode, &self.first, focus, &first_key, |a| {
                if !step() {
                    return false;
                }
                key.clear();
                fill(&mut key, &second.key, a, &[]);
                each_row(model, mode, second, focus, &key, |b| {
                    step() && {
                        fill_into(&mut out, &self.head, a, b);
                        known.contains(&out) || emit(&out)
                    }
                })
            }),
        }
    }
}

/// The scans of a plan that is nothing but scans in sequence, in order; `false` when it holds
/// anything else.
fn flatten<'a>(plan: &'a Plan, out: &mut SmallVec<[&'a Plan; 2]>) -> bool {
    match plan {
        Plan::Scan { .. } => {
            out.push(plan);
            true
        }
        Plan::Seq(items) => items.iter().all(|p| flatten(p, out)),
        Plan::Alt(_) | Plan::Any(_) | Plan::Neg(_) | Plan::Cmp { .. } | Plan::Unsettled(_) => false,
    }
}

fn value(s: Source, a: &[Sym], b: &[Sym]) -> Sym {
    match s {
        Source::Const(c) => c,
        Source::First(i) => a.get(i).copied().unwrap_or_default(),
        Source::Second(i) => b.get(i).copied().unwrap_or_default(),
    }
}

fn fill(out: &mut Tuple, from: &[Source], a: &[Sym], b: &[Sym]) {
    out.extend(from.iter().map(|s| value(*s, a, b)));
}

fn fill_into(out: &mut Tuple, from: &[Source], a: &[Sym], b: &[Sym]) {
    for (o, s) in out.iter_mut().zip(from) {
        *o = value(*s, a, b);
    }
}

/// Calls `f` on every row of `side` whose bound positions hold `key`, as the search's scan
/// does: from the focused rows (through their index) when `focus` names this scan, else by
/// probing the relation.
fn each_row(
    model: &Model,
    mode: Mode,
    side: &Side,
    focus: Option<Focus<'_>>,
    key: &[Sym],
    mut f: impl FnMut(&[Sym]) -> bool,
) -> bool {
    match focus.filter(|x| x.occurrence == side.occurrence) {
        None => model.relation(side.pred, mode).probe(side.mask, key, f),
        Some(Focus {
            rows,
            index: Some(index),
            ..
        }) => index.get(key).is_none_or(|ids| {
            ids.iter()
                .filter_map(|id| rows.get(*id as usize))
                .all(&mut f)
        }),
        Some(Focus { rows, .. }) => rows
            .iter()
            .all(|row| !relation::key_matches(row, side.mask, key) || f(row)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::compile::{compile, CompiledPosition, Joins};
    use crate::eval::{evaluate_with_base, prepare_base, Limits, Model};
    use crate::program::PosId;
    use crate::{KnowledgeBase, Scenario};
    use std::sync::Arc;

    /// The position compiled without joins: every plan run by the search.
    fn without_joins(compiled: &CompiledPosition) -> CompiledPosition {
        let mut c = compiled.clone();
        for r in &mut c.rules {
            r.joins = Joins::default();
        }
        c
    }

    fn joins_made(compiled: &CompiledPosition) -> usize {
        compiled
            .rules
            .iter()
            .map(|r| {
                usize::from(r.joins.plan.is_some())
                    + r.joins.recursive.iter().flatten().count()
                    + r.joins.inputs.iter().flatten().count()
            })
            .sum()
    }

    /// Every derived relation of `a` and `b` holds the same rows in the same order, in both
    /// modes (the order of the rows is what explanations and answers are read in).
    fn same_rows(kb: &KnowledgeBase, a: &Model, b: &Model, what: &str) {
        for (j, info) in kb.program().predicates.iter().enumerate() {
            let pred = PredId::from_index(j);
            let rows = |m: &Model, mode| {
                m.relation(pred, mode)
                    .iter()
                    .map(Tuple::from_slice)
                    .collect::<Vec<_>>()
            };
            for mode in [Mode::Definite, Mode::Possible] {
                assert_eq!(
                    rows(a, mode),
                    rows(b, mode),
                    "{what}: `{}` ({mode:?})",
                    info.name
                );
            }
        }
    }

    const SHAPES: &str = r#"
source s "S".
type Node.
predicate edge(a: Node, b: Node) means "e".
predicate mark(a: Node) means "m".
predicate path(a: Node, b: Node) means "p".
predicate back(a: Node, b: Node) means "b".
predicate from_n0(b: Node) means "f".
predicate loop(a: Node) means "l".
predicate pair(a: Node, b: Node) means "pr".
predicate tagged(a: Node, b: Node) means "t".
predicate marked_edge(a: Node, b: Node) means "me".
rule p1: path(X, Y) if edge(X, Y) cites s.
rule p2: path(X, Z) if edge(X, Y) and path(Y, Z) cites s.
rule b1: back(X, Y) if edge(Y, X) cites s.
rule b2: back(X, Z) if back(X, Y) and back(Y, Z) cites s.
rule f1: from_n0(Y) if path(n0, Y) cites s.
rule l1: loop(X) if path(X, X) cites s.
rule pr: pair(X, Y) if mark(X) and mark(Y) cites s.
rule t1: tagged(n1, Y) if from_n0(Y) cites s.
rule me: marked_edge(X, Y) if edge(X, Y) and mark(Y) cites s.
"#;

    /// Random graphs, some edges and marks unknown: the joins give every relation the rows,
    /// in the order, that the search gives it (linear and non-linear recursion, constants in
    /// the body and the conclusion, a repeated variable, a cross product).
    #[test]
    fn joins_derive_what_the_search_derives_in_its_order() {
        let kb =
            KnowledgeBase::from_strings([("shapes.opinio", SHAPES)]).expect("the program checks");
        let program = kb.program();
        let compiled = compile(program, PosId::from_index(0));
        assert!(joins_made(&compiled) >= 8, "the two-atom bodies are joins");
        let plain = without_joins(&compiled);
        let path = program.predicate_id("path").expect("declared");
        assert_eq!(joins_made(&plain), 0);
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut evaluated = 0;
        for case in 0..40 {
            let nodes = 2 + next(12);
            // Each atom stated once (a second statement of it is refused).
            let mut stated = std::collections::BTreeSet::new();
            let mut text = String::new();
            for _ in 0..next(30) {
                let (a, b) = (next(nodes), next(nodes));
                if stated.insert(format!("edge(n{a}, n{b})")) {
                    let prefix = if next(4) == 0 { "unknown " } else { "" };
                    text.push_str(&format!("{prefix}edge(n{a}, n{b}).\n"));
                }
            }
            for _ in 0..next(4) {
                let a = next(nodes);
                if stated.insert(format!("mark(n{a})")) {
                    let prefix = if next(3) == 0 { "unknown " } else { "" };
                    text.push_str(&format!("{prefix}mark(n{a}).\n"));
                }
            }
            let mut s = Scenario::new(&kb);
            if let Err(e) = s.add_text("case", &text) {
                panic!("case {case} does not check: {}\n{text}", e.render());
            }
            let fs = s.fact_set();
            let base = Arc::new(
                prepare_base(program, &fs, &compiled.masks, Limits::default()).expect("base"),
            );
            let joined = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            let searched =
                evaluate_with_base(program, &plain, base, Limits::default()).expect("evaluates");
            same_rows(&kb, &joined, &searched, &format!("case {case}:\n{text}"));
            evaluated += usize::from(!joined.definite(path).is_empty());
        }
        assert!(evaluated > 20, "most cases derive some path");
    }

    /// The bundled law on NotPetya under every position: the same rows in the same order with
    /// joins as without.
    #[test]
    fn joins_change_nothing_in_the_bundled_law() {
        let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let s = crate::eval::compile::cone_tests::notpetya(&kb);
        let program = kb.program();
        let fs = s.fact_set();
        let base =
            Arc::new(prepare_base(program, &fs, kb.masks(), Limits::default()).expect("base"));
        let mut made = 0;
        for i in 0..program.positions.len() {
            let compiled = compile(program, PosId::from_index(i));
            made += joins_made(&compiled);
            let joined = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            let searched = evaluate_with_base(
                program,
                &without_joins(&compiled),
                base.clone(),
                Limits::default(),
            )
            .expect("evaluates");
            same_rows(
                &kb,
                &joined,
                &searched,
                program.position(compiled.position).name.as_str(),
            );
        }
        assert!(made > 0, "some rules of the law are joins");
    }
}
