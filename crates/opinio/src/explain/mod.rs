//! Explanations: why an atom has its value, as data first (serde) and text second.
//!
//! A tree whose nodes are atoms (or the parts of a rule body: negations, comparisons,
//! unsettled points) with their values and what decided them. For `unknown` answers the
//! explanation also lists the missing facts and unsettled points the answer rests on, and the
//! smallest sets of facts that would settle it, each verified by evaluating again.

mod render;

pub use render::{paint, render_text};

use crate::check::program::*;
use crate::eval::{plan_formula, Env, Mode, Model, Solver};
use crate::syntax::ast::Truth;
use crate::Scenario;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// How many levels of the tree are expanded.
const MAX_DEPTH: usize = 14;
/// How many rule instances are shown for one atom.
const MAX_INSTANCES: usize = 4;
/// Settle sets: at most this many facts each, this many sets each way.
const MAX_SET_SIZE: usize = 3;
const MAX_SETS: usize = 5;
/// At most this many missing facts are tried when searching settle sets.
const MAX_CANDIDATES: usize = 14;

/// What decided a node's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Basis {
    /// Stated in the scenario (or the knowledge base).
    Stated,
    /// Not stated; the predicate is closed, so false.
    ClosedWorld,
    /// Not stated; another value of a functional predicate is stated.
    Functional { stated: String },
    /// Not stated, and nothing makes it false: a missing fact.
    MissingFact,
    /// Stated as a premise for argument's sake, overriding the rules.
    Stipulated,
    /// A rule instance (or, for false, all the rules that could have concluded it).
    Rule {
        name: String,
        citations: Vec<String>,
    },
    /// Every rule that could conclude it failed.
    AllRulesFail,
    /// No rule in force concludes it.
    NoRule { citations: Vec<String> },
    /// A point of law the experts are divided on.
    UnsettledLaw { point: String, reason: String },
    /// An open point settled by a position.
    Settled {
        point: String,
        by: String,
        citations: Vec<String>,
    },
    /// A comparison of two names.
    Comparison,
    /// A negation (`not`, `unless`): the value of its part, reversed.
    Negation,
    /// Parts joined by `or` / `and`.
    Connective,
    /// Already explained higher up in the tree.
    SeeAbove,
    /// Not expanded further (depth limit).
    Elided,
}

/// One node of an explanation tree.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// What the node is about: an atom, `not ...`, `S != V`, `unsettled: point`.
    pub label: String,
    pub value: Truth,
    pub basis: Basis,
    /// A short sentence saying why, for the text rendering.
    pub reason: String,
    /// Set when the position merely inherits this conclusion (the text to show).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited: Option<String>,
    /// Notes of the rule or predicate: limits, caveats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Rules the position withdrew that would otherwise conclude this.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<String>,
    /// Set when the position expressly endorses the inherited treatment (`affirm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsed: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// Whether the position's own words (its rules, withdrawals, settlements) decide this
    /// node or anything below it: such a conclusion is never "inherited".
    #[serde(skip)]
    pub touched: bool,
}

/// A base fact and a value for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FactValue {
    pub atom: String,
    pub value: Truth,
}

impl FactValue {
    /// The fact as the language states it (`coercive(op, v)`, `not knew_of(s, op)`).
    pub fn statement(&self) -> String {
        match self.value {
            Truth::True => self.atom.clone(),
            Truth::False => format!("not {}", self.atom),
            Truth::Unknown => format!("unknown {}", self.atom),
        }
    }
}

/// A set of facts as one line: `a and not b`.
pub fn fact_set_text(set: &[FactValue]) -> String {
    set.iter()
        .map(FactValue::statement)
        .collect::<Vec<_>>()
        .join(" and ")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsettledPoint {
    pub point: String,
    pub reason: String,
}

/// A whole explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub atom: String,
    pub value: Truth,
    pub position: String,
    pub tree: Node,
    /// For `unknown`: the base facts nobody stated that the answer rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_facts: Vec<String>,
    /// For `unknown`: the points of law left open on the way.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsettled_points: Vec<UnsettledPoint>,
    /// Smallest sets of missing facts that would make the answer true (verified).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_make_true: Vec<Vec<FactValue>>,
    /// Smallest sets of missing facts that would make the answer false (verified).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_make_false: Vec<Vec<FactValue>>,
    /// True when no assignment of the missing facts settles the answer: the law is open.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cannot_be_settled_by_facts_alone: bool,
    /// True when making the answer true needs the law settled, whatever the facts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub true_needs_settled_law: bool,
    /// True when making the answer false needs the law settled, whatever the facts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub false_needs_settled_law: bool,
    /// Notes on stipulations that contradict the rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stipulation_notes: Vec<String>,
}

/// A missing fact met while explaining, with the polarity it was met in.
#[derive(Debug, Clone)]
struct Leaf {
    pred: PredId,
    args: Tuple,
    /// Met under an even number of negations (true helps the goal).
    positive: bool,
    negative: bool,
}

struct Explainer<'a> {
    scenario: &'a Scenario,
    program: &'a Program,
    model: &'a Model,
    position: PosId,
    visited: FxHashSet<(PredId, Tuple)>,
    /// Predicates whose notes were already shown (each note appears once per explanation).
    noted: FxHashSet<PredId>,
    leaves: Vec<Leaf>,
    leaf_index: FxHashMap<(PredId, Tuple), usize>,
    points: Vec<UnsettledPoint>,
}

/// Explains the value of a ground atom under the model's position.
pub fn explain(scenario: &Scenario, model: &Model, pred: PredId, args: &[Sym]) -> Explanation {
    let program = scenario.program();
    let mut ex = Explainer {
        scenario,
        program,
        model,
        position: model.position,
        visited: FxHashSet::default(),
        noted: FxHashSet::default(),
        leaves: Vec::new(),
        leaf_index: FxHashMap::default(),
        points: Vec::new(),
    };
    let mut tree = ex.atom(pred, args, 0, true);
    propagate_touched(&mut tree);
    let value = model.value(pred, args);
    let mut explanation = Explanation {
        atom: program.atom_text(pred, args, scenario.interner()),
        value,
        position: program.position(model.position).name.clone(),
        tree,
        missing_facts: Vec::new(),
        unsettled_points: Vec::new(),
        would_make_true: Vec::new(),
        would_make_false: Vec::new(),
        cannot_be_settled_by_facts_alone: false,
        true_needs_settled_law: false,
        false_needs_settled_law: false,
        stipulation_notes: scenario.stipulation_notes(model.position),
    };
    if value == Truth::Unknown {
        let mut missing: Vec<String> = ex
            .leaves
            .iter()
            .map(|l| program.atom_text(l.pred, &l.args, scenario.interner()))
            .collect();
        missing.sort();
        missing.dedup();
        explanation.missing_facts = missing;
        let mut points = ex.points.clone();
        points.sort_by(|a, b| a.point.cmp(&b.point));
        points.dedup_by(|a, b| a.point == b.point);
        explanation.unsettled_points = points;
        // A stipulated answer is the user's premise: no fact can change it.
        if model.is_stipulated(pred, args).is_none() {
            settle_sets(&ex, pred, args, &mut explanation);
        }
    }
    explanation
}

/// The rule (or fact) that decided an atom, and whether the position merely inherits it.
pub fn decided_by(
    scenario: &Scenario,
    model: &Model,
    pred: PredId,
    args: &[Sym],
) -> (String, bool) {
    let mut ex = Explainer {
        scenario,
        program: scenario.program(),
        model,
        position: model.position,
        visited: FxHashSet::default(),
        noted: FxHashSet::default(),
        leaves: Vec::new(),
        leaf_index: FxHashMap::default(),
        points: Vec::new(),
    };
    let mut node = ex.atom(pred, args, 0, true);
    propagate_touched(&mut node);
    let rule_names = |node: &Node| -> String {
        let mut names: Vec<String> = node
            .children
            .iter()
            .filter_map(|c| match &c.basis {
                Basis::Rule { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect();
        names.dedup();
        if names.len() > 3 {
            names.truncate(3);
            names.push("…".to_string());
        }
        names.join(", ")
    };
    let mut what = match &node.basis {
        Basis::Rule { name, .. } => format!("rule {name}"),
        Basis::Connective => {
            let names = rule_names(&node);
            if names.contains(", ") {
                format!("rules {names} (none yet certain)")
            } else {
                format!("rule {names} (not yet certain either way)")
            }
        }
        Basis::AllRulesFail => {
            if node.withdrawn.is_empty() {
                let names = rule_names(&node);
                if names.contains(", ") {
                    format!("rules {names} do not apply")
                } else {
                    format!("rule {names} does not apply")
                }
            } else {
                format!("withdrawn: {}", node.withdrawn.join(", "))
            }
        }
        Basis::NoRule { .. } => "no rule in force".to_string(),
        Basis::Stated => "stated".to_string(),
        Basis::Stipulated => "stipulated".to_string(),
        Basis::ClosedWorld => "not stated (closed)".to_string(),
        Basis::MissingFact => "missing fact".to_string(),
        _ => node.reason.clone(),
    };
    if let Some(e) = &node.endorsed {
        what.push_str(&format!(" ({e})"));
    }
    (what, node.inherited.is_some())
}

impl Explainer<'_> {
    fn interner(&self) -> &Interner {
        self.scenario.interner()
    }

    fn atom_text(&self, pred: PredId, args: &[Sym]) -> String {
        self.program.atom_text(pred, args, self.interner())
    }

    fn cites(&self, cites: &[Cite]) -> Vec<String> {
        cites.iter().map(|c| self.program.cite_text(c)).collect()
    }

    fn position_name(&self, p: PosId) -> &str {
        &self.program.position(p).name
    }

    /// Text saying the position inherits a rule's conclusion, if it does.
    fn inherited_text(&self, rule: &Rule) -> Option<String> {
        let pos = self.program.position(self.position);
        if rule.origin == self.position {
            return None;
        }
        let pred_name = &self.program.predicate(rule.head.pred).name;
        if pos.affirmations.contains_key(&rule.name) || pos.affirmations.contains_key(pred_name) {
            return None;
        }
        let me = self.position_name(self.position).to_string();
        let origin = self.position_name(rule.origin).to_string();
        Some(if self.program.position(rule.origin).is_default {
            format!("the {me} position is silent here; the {origin} view applies")
        } else {
            format!("the {me} position takes this over from {origin}")
        })
    }

    /// The rules in force under the position that conclude `pred`.
    fn rules_for(&self, pred: PredId) -> Vec<RuleId> {
        self.program
            .position(self.position)
            .rules
            .iter()
            .copied()
            .filter(|r| self.program.rule(*r).head.pred == pred)
            .collect()
    }

    /// Whether a rule comes from a position other than the default one.
    fn is_own(&self, rule: &Rule) -> bool {
        !self.program.position(rule.origin).is_default
    }

    /// The position's express endorsement of an inherited rule, with its citations.
    fn endorsement(&self, rule: &Rule) -> Option<String> {
        let pos = self.program.position(self.position);
        let pred = &self.program.predicate(rule.head.pred).name;
        let a = pos
            .affirmations
            .get(&rule.name)
            .or_else(|| pos.affirmations.get(pred))?;
        Some(self.endorsement_text(a))
    }

    fn predicate_endorsement(&self, pred: PredId) -> Option<String> {
        let pos = self.program.position(self.position);
        let a = pos.affirmations.get(&self.program.predicate(pred).name)?;
        Some(self.endorsement_text(a))
    }

    fn endorsement_text(&self, a: &Affirmation) -> String {
        let cites = self.cites(&a.citations);
        let by = self.position_name(a.by);
        if cites.is_empty() {
            format!("the {by} position expressly takes this view")
        } else {
            format!(
                "the {by} position expressly takes this view: {}",
                cites.join("; ")
            )
        }
    }

    fn note_leaf(&mut self, pred: PredId, args: &[Sym], positive: bool) {
        let key = (pred, Tuple::from_slice(args));
        match self.leaf_index.get(&key) {
            Some(&i) => {
                if let Some(l) = self.leaves.get_mut(i) {
                    if positive {
                        l.positive = true;
                    } else {
                        l.negative = true;
                    }
                }
            }
            None => {
                self.leaf_index.insert(key, self.leaves.len());
                self.leaves.push(Leaf {
                    pred,
                    args: Tuple::from_slice(args),
                    positive,
                    negative: !positive,
                });
            }
        }
    }

    /// Explains a ground atom. `positive`: met under an even number of negations.
    fn atom(&mut self, pred: PredId, args: &[Sym], depth: usize, positive: bool) -> Node {
        let value = self.model.value(pred, args);
        let label = self.atom_text(pred, args);
        let info = self.program.predicate(pred);
        let notes = if self.noted.insert(pred) {
            info.notes.clone()
        } else {
            Vec::new()
        };
        let mut node = Node {
            label,
            value,
            basis: Basis::Elided,
            reason: String::new(),
            inherited: None,
            notes,
            withdrawn: Vec::new(),
            endorsed: None,
            touched: false,
            children: Vec::new(),
        };
        let facts = self.scenario.fact_set();
        if let Some(v) = self.model.is_stipulated(pred, args) {
            node.basis = Basis::Stipulated;
            node.reason = format!(
                "stipulated {} for argument's sake (the rules are set aside for it)",
                v.as_str()
            );
            return node;
        }
        if !info.derived {
            match facts.stated_value(pred, args) {
                Some(Truth::Unknown) => {
                    node.basis = Basis::MissingFact;
                    node.reason = "stated as unknown".to_string();
                    if value == Truth::Unknown {
                        self.note_leaf(pred, args, positive);
                    }
                }
                Some(v) => {
                    node.basis = Basis::Stated;
                    node.reason = format!("stated {}", v.as_str());
                }
                None => {
                    if info.closed {
                        node.basis = Basis::ClosedWorld;
                        node.reason =
                            "not stated, and what is not stated here is false".to_string();
                    } else if value == Truth::False {
                        let stated = self.functional_value(pred, args).unwrap_or_default();
                        node.basis = Basis::Functional {
                            stated: stated.clone(),
                        };
                        node.reason = format!(
                            "another value is stated ({stated}), and there can be only one"
                        );
                    } else {
                        node.basis = Basis::MissingFact;
                        node.reason = "nobody stated it: a missing fact".to_string();
                        self.note_leaf(pred, args, positive);
                    }
                }
            }
            return node;
        }
        // A derived atom.
        let key = (pred, Tuple::from_slice(args));
        if self.visited.contains(&key) {
            node.basis = Basis::SeeAbove;
            node.reason = "explained above".to_string();
            // The leaves under it were collected the first time.
            return node;
        }
        if depth >= MAX_DEPTH {
            node.basis = Basis::Elided;
            node.reason = "not expanded further".to_string();
            self.fill_decider(&mut node, pred, args);
            return node;
        }
        self.visited.insert(key.clone());
        let rules = self.rules_for(pred);
        node.withdrawn = self.withdrawn_for(pred);
        node.touched = !node.withdrawn.is_empty();
        if rules.is_empty() {
            node.endorsed = self.predicate_endorsement(pred);
            node.basis = Basis::NoRule {
                citations: self.cites(&info.citations),
            };
            node.reason = if node.withdrawn.is_empty() {
                "no rule in force concludes this".to_string()
            } else {
                "the rules that would conclude this are withdrawn by this position".to_string()
            };
            if node.withdrawn.is_empty() && !self.program.position(self.position).is_default {
                let pos = self.program.position(self.position);
                if node.endorsed.is_none() {
                    let default = self
                        .program
                        .default_position
                        .map(|d| self.position_name(d).to_string())
                        .unwrap_or_default();
                    node.inherited = Some(format!(
                        "the {} position is silent here; the {default} view applies",
                        pos.name
                    ));
                }
            }
            return node;
        }
        match value {
            Truth::True => {
                if let Some((rid, env)) = self.true_instance(&rules, pred, args) {
                    let rule = self.program.rule(rid).clone();
                    node.basis = Basis::Rule {
                        name: rule.name.clone(),
                        citations: self.cites(&rule.citations),
                    };
                    node.reason = format!("rule {}", rule.name);
                    node.inherited = self.inherited_text(&rule);
                    node.touched = self.is_own(&rule);
                    node.endorsed = self.endorsement(&rule);
                    node.notes.extend(rule.notes.iter().cloned());
                    node.children = self.body_parts(&rule, &env, depth, positive);
                }
            }
            Truth::Unknown => {
                let instances = self.instances(&rules, pred, args, Mode::Possible);
                if let [(rid, env)] = instances.as_slice() {
                    let rule = self.program.rule(*rid).clone();
                    node.basis = Basis::Rule {
                        name: rule.name.clone(),
                        citations: self.cites(&rule.citations),
                    };
                    node.reason = format!(
                        "rule {}, which cannot yet be applied or excluded",
                        rule.name
                    );
                    node.inherited = self.inherited_text(&rule);
                    node.notes.extend(rule.notes.iter().cloned());
                    node.children = self.body_parts(&rule, env, depth, positive);
                } else {
                    node.basis = Basis::Connective;
                    node.reason = format!(
                        "{} ways could conclude it; none is certain",
                        instances.len()
                    );
                    let mut inherited_all = true;
                    for (rid, env) in instances.iter().take(MAX_INSTANCES) {
                        let rule = self.program.rule(*rid).clone();
                        let inh = self.inherited_text(&rule);
                        inherited_all &= inh.is_some();
                        let child =
                            self.rule_node(&rule, env, Truth::Unknown, depth, positive, inh);
                        node.children.push(child);
                    }
                    if inherited_all {
                        if let Some(first) = node.children.first() {
                            node.inherited = first.inherited.clone();
                        }
                    }
                }
            }
            Truth::False => {
                node.basis = Basis::AllRulesFail;
                node.reason = "no rule that could conclude it applies".to_string();
                let mut inherited_all = true;
                for rid in &rules {
                    let rule = self.program.rule(*rid).clone();
                    let inh = self.inherited_text(&rule);
                    inherited_all &= inh.is_some();
                    let child = self.failed_rule(&rule, args, depth, positive, inh);
                    node.children.push(child);
                }
                if inherited_all && node.withdrawn.is_empty() {
                    if let Some(first) = node.children.first() {
                        node.inherited = first.inherited.clone();
                    }
                }
            }
        }
        node
    }

    /// For compact answers (compare tables): what decided the atom, without children.
    fn fill_decider(&mut self, node: &mut Node, pred: PredId, args: &[Sym]) {
        let rules = self.rules_for(pred);
        node.withdrawn = self.withdrawn_for(pred);
        node.touched = !node.withdrawn.is_empty();
        if rules.is_empty() {
            node.endorsed = self.predicate_endorsement(pred);
            node.basis = Basis::NoRule {
                citations: Vec::new(),
            };
            let pos = self.program.position(self.position);
            if node.withdrawn.is_empty()
                && !pos.is_default
                && !pos
                    .affirmations
                    .contains_key(&self.program.predicate(pred).name)
            {
                node.inherited = Some("inherited".to_string());
            }
            return;
        }
        let inst = match node.value {
            Truth::True => self.true_instance(&rules, pred, args),
            Truth::Unknown => self
                .instances(&rules, pred, args, Mode::Possible)
                .into_iter()
                .next(),
            Truth::False => None,
        };
        match inst {
            Some((rid, _)) => {
                let rule = self.program.rule(rid).clone();
                node.basis = Basis::Rule {
                    name: rule.name.clone(),
                    citations: Vec::new(),
                };
                node.inherited = self.inherited_text(&rule);
            }
            None => {
                node.basis = Basis::AllRulesFail;
                let all_inherited = rules
                    .iter()
                    .all(|r| self.inherited_text(self.program.rule(*r)).is_some());
                if all_inherited && node.withdrawn.is_empty() {
                    node.inherited = Some("inherited".to_string());
                }
            }
        }
    }

    fn functional_value(&self, pred: PredId, args: &[Sym]) -> Option<String> {
        let (_, prefix) = args.split_last()?;
        let facts = self.scenario.fact_set();
        let m = facts.stated.get(pred.index())?;
        let mut found: Vec<String> = m
            .iter()
            .filter(|(t, v)| **v == Truth::True && t.get(..prefix.len()) == Some(prefix))
            .map(|(t, _)| self.atom_text(pred, t))
            .collect();
        found.sort();
        found.into_iter().next()
    }

    /// The rules concluding `pred` that the position withdrew, grouped by who withdrew them
    /// and on what authority: "a, b (withdrawn by uk: cites)".
    fn withdrawn_for(&self, pred: PredId) -> Vec<String> {
        let pos = self.program.position(self.position);
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        let mut ws: Vec<&Withdrawal> = pos
            .withdrawals
            .values()
            .filter(|w| self.program.rule(w.rule).head.pred == pred)
            .collect();
        ws.sort_by(|a, b| {
            self.program
                .rule(a.rule)
                .name
                .cmp(&self.program.rule(b.rule).name)
        });
        for w in ws {
            let cites = self.cites(&w.citations);
            let by = self.position_name(w.by);
            let why = if cites.is_empty() {
                format!("withdrawn by {by}")
            } else {
                format!("withdrawn by {by}: {}", cites.join("; "))
            };
            let name = self.program.rule(w.rule).name.clone();
            match groups.iter_mut().find(|(g, _)| *g == why) {
                Some((_, names)) => names.push(name),
                None => groups.push((why, vec![name])),
            }
        }
        groups
            .into_iter()
            .map(|(why, names)| format!("{} ({why})", names.join(", ")))
            .collect()
    }

    /// Binds a rule's head to a ground atom; `None` if they cannot match.
    fn bind_head(&self, rule: &Rule, args: &[Sym]) -> Option<Env> {
        let mut env: Env = vec![None; rule.vars.len()];
        for (t, a) in rule.head.args.iter().zip(args) {
            match t {
                Term::Const(c) if c != a => return None,
                Term::Const(_) => {}
                Term::Var(v) => match env.get_mut(v.index()) {
                    Some(slot @ None) => *slot = Some(*a),
                    Some(Some(b)) if b != a => return None,
                    _ => {}
                },
            }
        }
        Some(env)
    }

    /// Every instance of the rules (full bindings of the body's positive part) possible in `mode`.
    fn instances(
        &self,
        rules: &[RuleId],
        _pred: PredId,
        args: &[Sym],
        mode: Mode,
    ) -> Vec<(RuleId, Env)> {
        let mut out = Vec::new();
        for &rid in rules {
            let rule = self.program.rule(rid);
            let Some(env0) = self.bind_head(rule, args) else {
                continue;
            };
            let bound: FxHashSet<VarId> = env0
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_some())
                .map(|(i, _)| VarId::from_index(i))
                .collect();
            let plan = plan_formula(&rule.body, &bound);
            let solver = Solver {
                program: self.program,
                model: self.model,
                focus: None,
                deadline: None,
            };
            let mut env = env0.clone();
            let mut seen: FxHashSet<Env> = FxHashSet::default();
            solver.solve(&plan, mode, &mut env, &mut |e| {
                if seen.insert(e.clone()) {
                    out.push((rid, e.clone()));
                }
                seen.len() < 64
            });
        }
        out
    }

    /// An instance that makes the atom definitely true, preferring supports derived earlier
    /// (so that recursive proofs do not go in circles).
    fn true_instance(&self, rules: &[RuleId], pred: PredId, args: &[Sym]) -> Option<(RuleId, Env)> {
        let my_round = self
            .model
            .round(pred, args, Mode::Definite)
            .unwrap_or(u32::MAX);
        let candidates = self.instances(rules, pred, args, Mode::Definite);
        let earlier = candidates.iter().find(|(rid, env)| {
            let rule = self.program.rule(*rid);
            let mut atoms = Vec::new();
            rule.condition.atoms(false, &mut atoms);
            atoms.iter().filter(|(_, neg)| !neg).all(|(a, _)| {
                let Some(t) = ground(&a.args, env) else {
                    return true;
                };
                a.pred != pred
                    || self
                        .model
                        .round(a.pred, &t, Mode::Definite)
                        .is_none_or(|r| r < my_round)
            })
        });
        earlier.or(candidates.first()).cloned()
    }

    fn rule_node(
        &mut self,
        rule: &Rule,
        env: &Env,
        value: Truth,
        depth: usize,
        positive: bool,
        inherited: Option<String>,
    ) -> Node {
        let head = ground(&rule.head.args, env)
            .map(|t| self.atom_text(rule.head.pred, &t))
            .unwrap_or_default();
        let children = self.body_parts(rule, env, depth, positive);
        let touched = self.is_own(rule);
        let endorsed = self.endorsement(rule);
        Node {
            label: format!("by rule {}: {head}", rule.name),
            value,
            basis: Basis::Rule {
                name: rule.name.clone(),
                citations: self.cites(&rule.citations),
            },
            reason: format!("rule {}", rule.name),
            inherited,
            notes: rule.notes.clone(),
            withdrawn: Vec::new(),
            endorsed,
            touched,
            children,
        }
    }

    /// The parts of a rule body under full bindings, each with its value.
    fn body_parts(&mut self, rule: &Rule, env: &Env, depth: usize, positive: bool) -> Vec<Node> {
        let mut parts: Vec<&Formula> = match &rule.condition {
            Formula::And(v) => v.iter().collect(),
            other => vec![other],
        };
        let exceptions: Vec<Formula> = rule.body_exceptions().into_iter().collect();
        let mut out = Vec::new();
        for p in parts.drain(..) {
            out.push(self.formula(p, env, &rule.vars, depth + 1, positive));
        }
        for e in &exceptions {
            let mut n = self.formula(e, env, &rule.vars, depth + 1, positive);
            n.label = format!("unless {}", n.label.trim_start_matches("not "));
            out.push(n);
        }
        out
    }

    fn value_of(&self, f: &Formula, env: &Env) -> Truth {
        let bound: FxHashSet<VarId> = env
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .map(|(i, _)| VarId::from_index(i))
            .collect();
        let plan = plan_formula(f, &bound);
        let solver = Solver {
            program: self.program,
            model: self.model,
            focus: None,
            deadline: None,
        };
        let exists = |mode: Mode| {
            let mut found = false;
            let mut e = env.clone();
            solver.solve(&plan, mode, &mut e, &mut |_| {
                found = true;
                false
            });
            found
        };
        if exists(Mode::Definite) {
            Truth::True
        } else if exists(Mode::Possible) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    fn formula(
        &mut self,
        f: &Formula,
        env: &Env,
        vars: &[VarInfo],
        depth: usize,
        positive: bool,
    ) -> Node {
        match f {
            Formula::Atom(a, _) => match ground(&a.args, env) {
                Some(t) => self.atom(a.pred, &t, depth, positive),
                None => {
                    // Variables local to a negation: show the instances that could hold.
                    let value = self.value_of(f, env);
                    let label = self.pattern_text(a, env, vars);
                    let mut node = Node {
                        label,
                        value,
                        basis: Basis::Connective,
                        reason: match value {
                            Truth::False => "no such case".to_string(),
                            _ => "some case".to_string(),
                        },
                        inherited: None,
                        notes: Vec::new(),
                        withdrawn: Vec::new(),
                        endorsed: None,
                        touched: false,
                        children: Vec::new(),
                    };
                    for t in self
                        .matching(a, env, Mode::Possible)
                        .into_iter()
                        .take(MAX_INSTANCES)
                    {
                        let child = self.atom(a.pred, &t, depth + 1, positive);
                        node.children.push(child);
                    }
                    node
                }
            },
            Formula::Not(inner, _) => {
                let inner_node = self.formula(inner, env, vars, depth, !positive);
                let value = match inner_node.value {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                };
                Node {
                    label: format!("not {}", inner_node.label),
                    value,
                    basis: Basis::Negation,
                    reason: match value {
                        Truth::True => "it does not hold".to_string(),
                        Truth::False => "it holds".to_string(),
                        Truth::Unknown => "it may or may not hold".to_string(),
                    },
                    inherited: None,
                    notes: Vec::new(),
                    withdrawn: Vec::new(),
                    endorsed: None,
                    touched: false,
                    children: vec![inner_node],
                }
            }
            Formula::And(parts) | Formula::Or(parts) => {
                let is_or = matches!(f, Formula::Or(_));
                let mut children: Vec<Node> = parts
                    .iter()
                    .map(|p| self.formula(p, env, vars, depth + 1, positive))
                    .collect();
                let value = self.value_of(f, env);
                let labels: Vec<String> = children.iter().map(|c| c.label.clone()).collect();
                // For an `or` that holds, the branches that hold are the reason: the others
                // are noise to a reader.
                if is_or && value == Truth::True {
                    children.retain(|c| c.value == Truth::True);
                }
                Node {
                    label: labels.join(if is_or { " or " } else { " and " }),
                    value,
                    basis: Basis::Connective,
                    reason: if is_or {
                        "one of these suffices".to_string()
                    } else {
                        "all of these are needed".to_string()
                    },
                    inherited: None,
                    notes: Vec::new(),
                    withdrawn: Vec::new(),
                    endorsed: None,
                    touched: false,
                    children,
                }
            }
            Formula::Compare {
                left, op, right, ..
            } => {
                let value = self.value_of(f, env);
                let l = self.term_text(left, env, vars);
                let r = self.term_text(right, env, vars);
                Node {
                    label: format!("{l} {} {r}", op.symbol()),
                    value,
                    basis: Basis::Comparison,
                    reason: String::new(),
                    inherited: None,
                    notes: Vec::new(),
                    withdrawn: Vec::new(),
                    endorsed: None,
                    touched: false,
                    children: Vec::new(),
                }
            }
            Formula::Unsettled { point, reason, .. } => {
                let info = self.program.point(*point);
                let pos = self.program.position(self.position);
                match pos.settlements.get(point) {
                    Some(s) => {
                        let by = self.position_name(s.by).to_string();
                        let citations = self.cites(&s.citations);
                        Node {
                            label: format!("open point of law: {}", info.name),
                            value: if s.value { Truth::True } else { Truth::False },
                            basis: Basis::Settled {
                                point: info.name.clone(),
                                by: by.clone(),
                                citations,
                            },
                            reason: format!(
                                "settled {} by {by}",
                                if s.value { "in favour" } else { "against" }
                            ),
                            inherited: None,
                            notes: Vec::new(),
                            withdrawn: Vec::new(),
                            endorsed: None,
                            touched: !self.program.position(s.by).is_default,
                            children: Vec::new(),
                        }
                    }
                    None => {
                        self.points.push(UnsettledPoint {
                            point: info.name.clone(),
                            reason: reason.clone(),
                        });
                        Node {
                            label: format!("open point of law: {}", info.name),
                            value: Truth::Unknown,
                            basis: Basis::UnsettledLaw {
                                point: info.name.clone(),
                                reason: reason.clone(),
                            },
                            reason: format!("the law is unsettled: {reason}"),
                            inherited: None,
                            notes: Vec::new(),
                            withdrawn: Vec::new(),
                            endorsed: None,
                            touched: false,
                            children: Vec::new(),
                        }
                    }
                }
            }
        }
    }

    fn matching(&self, a: &Atom, env: &Env, mode: Mode) -> Vec<Tuple> {
        let rel = self.model.relation(a.pred, mode);
        let mut out: Vec<Tuple> = rel
            .iter()
            .filter(|row| {
                a.args.iter().zip(row.iter()).all(|(t, v)| match t {
                    Term::Const(c) => c == v,
                    Term::Var(x) => env
                        .get(x.index())
                        .copied()
                        .flatten()
                        .is_none_or(|b| b == *v),
                })
            })
            .map(Tuple::from_slice)
            .collect();
        out.sort();
        out
    }

    fn term_text(&self, t: &Term, env: &Env, vars: &[VarInfo]) -> String {
        match t {
            Term::Const(c) => quote_if_needed(self.interner().name(*c)),
            Term::Var(v) => match env.get(v.index()).copied().flatten() {
                Some(s) => quote_if_needed(self.interner().name(s)),
                None => vars
                    .get(v.index())
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| "_".to_string()),
            },
        }
    }

    fn pattern_text(&self, a: &Atom, env: &Env, vars: &[VarInfo]) -> String {
        let args: Vec<String> = a
            .args
            .iter()
            .map(|t| self.term_text(t, env, vars))
            .collect();
        format!(
            "{}({})",
            self.program.predicate(a.pred).name,
            args.join(", ")
        )
    }

    /// For a false atom: where one rule fails.
    fn failed_rule(
        &mut self,
        rule: &Rule,
        args: &[Sym],
        depth: usize,
        positive: bool,
        inherited: Option<String>,
    ) -> Node {
        let head = self.atom_text(rule.head.pred, args);
        let mut node = Node {
            label: format!("by rule {}: {head}", rule.name),
            value: Truth::False,
            basis: Basis::Rule {
                name: rule.name.clone(),
                citations: self.cites(&rule.citations),
            },
            reason: String::new(),
            inherited,
            notes: Vec::new(),
            withdrawn: Vec::new(),
            endorsed: None,
            touched: false,
            children: Vec::new(),
        };
        node.touched = self.is_own(rule);
        node.endorsed = self.endorsement(rule);
        let Some(env0) = self.bind_head(rule, args) else {
            node.reason = "does not apply to these names".to_string();
            return node;
        };
        // Walk the conditions in the order written; stop at the first that fails for every
        // way of meeting the earlier ones.
        let mut conjuncts: Vec<(Formula, bool)> = match &rule.condition {
            Formula::And(v) => v.iter().map(|f| (f.clone(), false)).collect(),
            other => vec![(other.clone(), false)],
        };
        for e in rule.body_exceptions() {
            conjuncts.push((Formula::Not(Box::new(e), Vec::new()), true));
        }
        let mut envs: Vec<Env> = vec![env0];
        for (i, (c, is_exception)) in conjuncts.iter().enumerate() {
            let mut next: Vec<Env> = Vec::new();
            for env in &envs {
                let bound: FxHashSet<VarId> = env
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_some())
                    .map(|(i, _)| VarId::from_index(i))
                    .collect();
                let plan = plan_formula(c, &bound);
                let solver = Solver {
                    program: self.program,
                    model: self.model,
                    focus: None,
                    deadline: None,
                };
                let mut e = env.clone();
                solver.solve(&plan, Mode::Possible, &mut e, &mut |x| {
                    next.push(x.clone());
                    next.len() < 64
                });
            }
            if next.is_empty() {
                // This condition fails everywhere.
                let shown: Vec<Env> = envs.iter().take(MAX_INSTANCES).cloned().collect();
                for env in shown {
                    let mut child = self.formula(c, &env, &rule.vars, depth + 1, positive);
                    if *is_exception {
                        child.label = format!("unless {}", child.label.trim_start_matches("not "));
                    }
                    // Different ways of meeting the earlier conditions can fail at the very
                    // same point: show it once.
                    if !node.children.iter().any(|c| c.label == child.label) {
                        node.children.push(child);
                    }
                }
                node.reason = if i == 0 && envs.len() == 1 {
                    "its first condition fails".to_string()
                } else if *is_exception {
                    "an exception applies".to_string()
                } else {
                    "a condition fails".to_string()
                };
                return node;
            }
            envs = next;
        }
        node.reason = "does not apply".to_string();
        node
    }
}

impl Rule {
    /// The exceptions as written (without the `not` the body wraps them in).
    pub fn body_exceptions(&self) -> Vec<Formula> {
        match &self.body {
            Formula::And(parts) => parts
                .iter()
                .rev()
                .take(self.exceptions.len())
                .rev()
                .map(|f| match f {
                    Formula::Not(inner, _) => (**inner).clone(),
                    other => other.clone(),
                })
                .collect(),
            _ => self.exceptions.clone(),
        }
    }
}

/// Marks nodes whose subtree contains the position's own words, and withdraws the "silent
/// here" remark from them: a conclusion that rests on something the position said is not
/// merely inherited, even if the rule at its top is.
fn propagate_touched(n: &mut Node) -> bool {
    let mut below = false;
    for c in &mut n.children {
        below |= propagate_touched(c);
    }
    n.touched |= below || n.endorsed.is_some();
    if n.touched
        && n.inherited
            .as_deref()
            .is_some_and(|i| i.ends_with("view applies"))
    {
        n.inherited = None;
    }
    n.touched
}

fn ground(args: &[Term], env: &Env) -> Option<Tuple> {
    args.iter()
        .map(|t| match t {
            Term::Const(c) => Some(*c),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
        })
        .collect()
}

/// Finds the smallest sets of missing facts that settle the goal, each verified.
fn settle_sets(ex: &Explainer, pred: PredId, args: &[Sym], out: &mut Explanation) {
    let scenario = ex.scenario;
    let position = ex.position;
    let mut leaves: Vec<Leaf> = ex.leaves.clone();
    leaves.truncate(MAX_CANDIDATES);
    let text = |l: &Leaf| ex.atom_text(l.pred, &l.args);
    let eval_with = |changes: &[(PredId, Tuple, Truth)]| -> Option<Truth> {
        scenario
            .what_if(position, changes)
            .ok()
            .map(|m| m.value(pred, args))
    };
    for target in [Truth::True, Truth::False] {
        // The value each leaf should take to push the goal toward `target`.
        let options = |l: &Leaf| -> Vec<Truth> {
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
                            atom: text(l),
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
