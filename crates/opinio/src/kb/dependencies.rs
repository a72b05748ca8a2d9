//! A typed view of a position's dependency graph, for tools that draw or walk it: its edges,
//! each a rule reading one predicate to conclude another.

use super::KnowledgeBase;
use crate::graph::DependencyGraph;
use crate::program::{PosId, PredId, Program, RuleId};
use petgraph::visit::EdgeRef;

/// One edge of a position's dependency graph: the rule `rule` reads the predicate `from` to
/// conclude the predicate `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleDependency {
    /// The predicate the rule reads (in its body).
    pub from: PredId,
    /// The predicate the rule concludes (its head).
    pub to: PredId,
    /// The rule.
    pub rule: RuleId,
    /// The rule reads `from` under `not` or `unless` (at any depth).
    pub negated: bool,
}

impl KnowledgeBase {
    /// The edges of the dependency graph of the rules in force under `pos`; see
    /// [`dependencies`].
    pub fn dependencies(&self, pos: PosId) -> Vec<RuleDependency> {
        dependencies(self.program(), pos)
    }
}

/// The edges of the dependency graph of the rules in force under `pos`, in rule order: one
/// per rule, predicate read and polarity (a rule reading `p` both plainly and under `not`
/// gives two edges; reading it twice plainly, one). These are the edges the strata are
/// computed from.
pub fn dependencies(program: &Program, pos: PosId) -> Vec<RuleDependency> {
    // The graph the strata are computed from, so that a drawing never disagrees with them.
    let g = DependencyGraph::build(program, pos);
    g.graph
        .edge_references()
        .filter_map(|e| {
            Some(RuleDependency {
                from: *g.graph.node_weight(e.source())?,
                to: *g.graph.node_weight(e.target())?,
                rule: e.weight().rule,
                negated: e.weight().negative,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_run_from_what_a_rule_reads_to_what_it_concludes() {
        let kb = KnowledgeBase::from_strings([(
            "mini.opinio",
            r#"
            source law "A law".
            type Person.
            predicate citizen(p: Person) means "p is a citizen".
            predicate barred(p: Person) means "p is barred".
            predicate voter(p: Person) means "p may vote".
            rule citizens_vote: voter(P) if citizen(P) and citizen(P) unless barred(P) cites law "s. 1".
            "#,
        )])
        .unwrap_or_else(|e| panic!("{e}"));
        let program = kb.program();
        let pos = program.default_position_or_first().unwrap_or(PosId(0));
        let id = |n: &str| program.predicate_id(n).unwrap_or(PredId(0));
        let mut deps: Vec<(PredId, PredId, bool)> = kb
            .dependencies(pos)
            .iter()
            .map(|d| (d.from, d.to, d.negated))
            .collect();
        deps.sort();
        let mut want = vec![
            (id("citizen"), id("voter"), false),
            (id("barred"), id("voter"), true),
        ];
        want.sort();
        assert_eq!(deps, want, "one edge per predicate read and polarity");
    }
}
