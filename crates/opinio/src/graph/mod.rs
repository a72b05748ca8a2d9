//! The dependency graph of a position's rules: predicates are nodes, and an edge runs from a
//! predicate a rule reads to the predicate it concludes, marked negative when read under
//! `not`/`unless`. Strongly connected components in topological order are the strata; an
//! edge inside a component that is negative is recursion through negation, which has no
//! stable meaning and is rejected.

use crate::diagnostic::Diagnostic;
use crate::program::{Formula, PosId, PredId, Program, RuleId};
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// One edge's provenance: the rule that reads `from` to conclude `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    /// The rule.
    pub rule: RuleId,
    /// Whether the rule reads `from` under a `not` (or in an `unless`).
    pub negative: bool,
}

/// The dependency graph of the rules in force under a position.
pub struct DependencyGraph {
    /// One node per predicate of the program (derived or not); an edge from each predicate a
    /// rule reads to the predicate it concludes, one per rule and polarity.
    pub graph: DiGraph<PredId, Dependency>,
}

impl DependencyGraph {
    /// The graph of the rules in force under `pos` (no edges for a position `program` does
    /// not have).
    pub fn build(program: &Program, pos: PosId) -> DependencyGraph {
        let mut graph = DiGraph::new();
        let mut nodes = FxHashMap::default();
        for i in 0..program.predicates.len() {
            let p = PredId::from_index(i);
            nodes.insert(p, graph.add_node(p));
        }
        for &rid in &program.position(pos).rules {
            let rule = program.rule(rid);
            let Some(&to) = nodes.get(&rule.head.pred) else {
                continue;
            };
            // One edge per predicate read and polarity. Under any number of `not`s, `not (not
            // p)` included, an atom is read negatively: recursion through it has no
            // stratified meaning (SEMANTICS.md, "Recursion").
            let mut seen = FxHashSet::default();
            rule.body.walk(&mut |f, nots| {
                let Formula::Atom(atom, _) = f else { return };
                let negative = nots > 0;
                if !seen.insert((atom.pred, negative)) {
                    return;
                }
                if let Some(&from) = nodes.get(&atom.pred) {
                    graph.add_edge(
                        from,
                        to,
                        Dependency {
                            rule: rid,
                            negative,
                        },
                    );
                }
            });
        }
        DependencyGraph { graph }
    }
}

/// The strata of a position (derived predicates only, lowest first), or the negation cycles
/// (one error per cycle, [`Code::NegationCycle`](crate::diagnostic::Code::NegationCycle)).
pub(crate) fn stratify(program: &Program, pos: PosId) -> Result<Vec<Vec<PredId>>, Vec<Diagnostic>> {
    let dg = DependencyGraph::build(program, pos);
    // petgraph returns components in reverse topological order (a component comes before
    // those it depends on); strata must list dependencies first.
    let mut sccs = petgraph::algo::tarjan_scc(&dg.graph);
    sccs.reverse();
    let mut strata = Vec::new();
    let mut diags = Vec::new();
    for scc in sccs {
        let members: FxHashSet<NodeIndex> = scc.iter().copied().collect();
        for &n in &scc {
            for e in dg.graph.edges_directed(n, petgraph::Direction::Outgoing) {
                use petgraph::visit::EdgeRef;
                if e.weight().negative && members.contains(&e.target()) {
                    diags.push(negation_cycle(
                        program,
                        pos,
                        &dg,
                        e.source(),
                        e.target(),
                        *e.weight(),
                        &members,
                    ));
                }
            }
        }
        let mut preds: Vec<PredId> = scc
            .iter()
            .filter_map(|n| dg.graph.node_weight(*n).copied())
            .filter(|p| program.predicate(*p).derived)
            .collect();
        preds.sort();
        if !preds.is_empty() {
            strata.push(preds);
        }
    }
    if diags.is_empty() {
        Ok(strata)
    } else {
        // One report per cycle is enough: drop repeats over the same rules.
        let mut seen = FxHashSet::default();
        diags.retain(|d| {
            let mut spans: Vec<_> = d.labels.iter().map(|l| l.span).collect();
            spans.sort();
            seen.insert(spans)
        });
        Err(diags)
    }
}

fn negation_cycle(
    program: &Program,
    pos: PosId,
    dg: &DependencyGraph,
    from: NodeIndex,
    to: NodeIndex,
    dep: Dependency,
    members: &FxHashSet<NodeIndex>,
) -> Diagnostic {
    // Path back from `to` to `from` inside the component (breadth first, shortest).
    let mut prev: FxHashMap<NodeIndex, (NodeIndex, Dependency)> = FxHashMap::default();
    let mut queue = VecDeque::from([to]);
    let mut visited = FxHashSet::from_iter([to]);
    while let Some(n) = queue.pop_front() {
        if n == from {
            break;
        }
        use petgraph::visit::EdgeRef;
        for e in dg.graph.edges_directed(n, petgraph::Direction::Outgoing) {
            if members.contains(&e.target()) && visited.insert(e.target()) {
                prev.insert(e.target(), (n, *e.weight()));
                queue.push_back(e.target());
            }
        }
    }
    // The cycle as edges (from, to, dependency), starting with the negative one.
    let mut steps: Vec<(NodeIndex, NodeIndex, Dependency)> = vec![(from, to, dep)];
    let mut back: Vec<(NodeIndex, NodeIndex, Dependency)> = Vec::new();
    let mut cur = from;
    while cur != to {
        match prev.get(&cur) {
            Some((p, d)) => {
                back.push((*p, cur, *d));
                cur = *p;
            }
            None => break,
        }
    }
    back.reverse();
    steps.extend(back);
    let name = |n: NodeIndex| {
        dg.graph
            .node_weight(n)
            .map(|p| program.predicate(*p).name.clone())
            .unwrap_or_default()
    };
    let mut rules: Vec<String> = steps
        .iter()
        .map(|(_, _, d)| program.rule(d.rule).name.clone())
        .collect();
    rules.dedup();
    let position = &program.position(pos).name;
    let mut d = Diagnostic::error(
        crate::diagnostic::Code::NegationCycle,
        format!(
            "under the position `{position}`, `{}` depends on its own negation through the rules {}",
            name(to),
            rules
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" → ")
        ),
    );
    for (f, t, s) in &steps {
        let rule = program.rule(s.rule);
        let text = if s.negative {
            format!(
                "`{}` concludes `{}` from `{}` under a `not` or an `unless`",
                rule.name,
                name(*t),
                name(*f)
            )
        } else {
            format!(
                "`{}` concludes `{}` from `{}`",
                rule.name,
                name(*t),
                name(*f)
            )
        };
        d = d.with_label(rule.span, text);
    }
    d.with_help("a conclusion cannot rest on its own absence; break the cycle, e.g. by stating the negated condition as a fact of the scenario")
}

#[cfg(test)]
mod tests {
    use crate::KnowledgeBase;

    fn program(text: &str) -> Result<KnowledgeBase, String> {
        KnowledgeBase::from_strings([("t.opinio", text)]).map_err(|e| e.render())
    }

    const HEADER: &str = "source s \"S\".\ntype T.\npredicate b(x: T) means \"b\".\npredicate p(x: T) means \"p\".\npredicate q(x: T) means \"q\".\npredicate r(x: T) means \"r\".\n";

    fn strata(kb: &KnowledgeBase) -> Vec<Vec<String>> {
        let p = kb.program();
        p.position(crate::program::PosId(0))
            .strata
            .iter()
            .map(|s| s.iter().map(|x| p.predicate(*x).name.clone()).collect())
            .collect()
    }

    #[test]
    fn strata_put_dependencies_first() {
        let kb = program(&format!(
            "{HEADER}rule r1: r(X) if q(X) cites s.\nrule r2: q(X) if p(X) cites s.\nrule r3: p(X) if b(X) cites s.\n"
        ))
        .expect("loads");
        assert_eq!(strata(&kb), vec![vec!["p"], vec!["q"], vec!["r"]]);
    }

    #[test]
    fn mutual_recursion_is_one_stratum() {
        let kb = program(&format!(
            "{HEADER}rule r1: p(X) if q(X) cites s.\nrule r2: q(X) if p(X) cites s.\nrule r3: p(X) if b(X) cites s.\nrule r4: r(X) if b(X) and not p(X) cites s.\n"
        ))
        .expect("loads");
        assert_eq!(strata(&kb), vec![vec!["p", "q"], vec!["r"]]);
    }

    #[test]
    fn negation_through_a_self_loop_is_rejected() {
        let err = program(&format!(
            "{HEADER}rule odd: p(X) if b(X) and not p(X) cites s.\n"
        ))
        .expect_err("a negative self-loop");
        assert!(err.contains("depends on its own negation"), "{err}");
        assert!(err.contains("`odd`"), "{err}");
    }

    #[test]
    fn edges_run_from_what_a_rule_reads_to_what_it_concludes() {
        let kb = program(&format!(
            "{HEADER}rule r1: r(X) if q(X) cites s.\nrule r2: q(X) if b(X) and not p(X) cites s.\n"
        ))
        .expect("loads");
        let p = kb.program();
        let g = super::DependencyGraph::build(p, crate::program::PosId(0));
        let name = |n| {
            g.graph
                .node_weight(n)
                .map(|id| p.predicate(*id).name.clone())
                .unwrap_or_default()
        };
        let mut edges: Vec<(String, String, bool)> = g
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (from, to) = g.graph.edge_endpoints(e)?;
                Some((name(from), name(to), g.graph.edge_weight(e)?.negative))
            })
            .collect();
        edges.sort();
        let expected = [("b", "q", false), ("p", "q", true), ("q", "r", false)]
            .map(|(a, b, n)| (a.to_string(), b.to_string(), n));
        assert_eq!(edges, expected);
    }
}
