//! Building the tree: from an atom down through the rule instances, conditions, negations
//! and open points that decided it, under one position.

use super::types::{self, *};
use super::{Context, MAX_DEPTH, MAX_INSTANCES};
use crate::eval::{plan_formula, Env, Mode};
use crate::program::{
    Affirmation, Atom, Cite, Formula, PosId, PredId, Rule, RuleId, Sym, Tuple, VarInfo, Withdrawal,
};
use crate::syntax::ast::Truth;
use rustc_hash::{FxHashMap, FxHashSet};

/// A missing fact met while explaining, with the polarity it was met in.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    pub pred: PredId,
    pub args: Tuple,
    /// Met under an even number of negations (true helps the goal).
    pub positive: bool,
    /// Met under an odd number of negations (false helps the goal).
    pub negative: bool,
}

/// The walk that builds one tree, and what it collects on the way.
pub(super) struct Explainer<'a> {
    pub cx: &'a Context<'a>,
    pub position: PosId,
    visited: FxHashSet<(PredId, Tuple)>,
    /// Predicates whose notes were already shown (each note appears once per explanation).
    noted: FxHashSet<PredId>,
    pub leaves: Vec<Leaf>,
    leaf_index: FxHashMap<(PredId, Tuple), usize>,
    pub points: Vec<UnsettledPoint>,
}

impl<'a> Explainer<'a> {
    pub(super) fn new(cx: &'a Context<'a>) -> Explainer<'a> {
        Explainer {
            cx,
            position: cx.model.position,
            visited: FxHashSet::default(),
            noted: FxHashSet::default(),
            leaves: Vec::new(),
            leaf_index: FxHashMap::default(),
            points: Vec::new(),
        }
    }

    fn cites(&self, cites: &[Cite]) -> Vec<String> {
        cites.iter().map(|c| self.cx.program.cite_text(c)).collect()
    }

    fn position_name(&self, p: PosId) -> String {
        self.cx.program.position(p).name.clone()
    }

    /// How the position inherits a rule's conclusion, if it does.
    fn inherited(&self, rule: &Rule) -> Option<Inherited> {
        let program = self.cx.program;
        let pos = program.position(self.position);
        if rule.origin == self.position {
            return None;
        }
        let pred_name = &program.predicate(rule.head.pred).name;
        if pos.affirmations.contains_key(&rule.name) || pos.affirmations.contains_key(pred_name) {
            return None;
        }
        let position = self.position_name(self.position);
        let origin = self.position_name(rule.origin);
        Some(if program.position(rule.origin).is_default {
            match pos
                .unverified
                .get(&rule.name)
                .or_else(|| pos.unverified.get(pred_name))
            {
                Some(u) => self.unverified(u),
                None => Inherited::Silent {
                    position,
                    default: origin,
                },
            }
        } else {
            Inherited::TakenOver {
                position,
                from: origin,
            }
        })
    }

    /// The note for a conclusion the position's document speaks to without having been
    /// verified (`unverified`): the default view is shown, and the position is not called silent.
    fn unverified(&self, u: &crate::program::Unverified) -> Inherited {
        Inherited::Unverified {
            position: self.position_name(self.position),
            by: self.position_name(u.by),
            default: self.default_name(),
            citations: self.cites(&u.citations),
        }
    }

    /// The default position's name (empty if there is none).
    fn default_name(&self) -> String {
        self.cx
            .program
            .default_position
            .map(|d| self.position_name(d))
            .unwrap_or_default()
    }

    /// The mark for an element of a non-default position (a rule, a settlement) whose cited
    /// documents were all published after the reference date: the date asked as of, or else the
    /// operation's date (LAW-2.md §8). `None` when nothing is later or nothing is dated.
    fn later_statement(&self, cites: &[Cite], origin: PosId) -> Option<LaterStatement> {
        let program = self.cx.program;
        if program.position(origin).is_default {
            return None;
        }
        let (reference, as_of) = match (self.cx.as_of, self.cx.operation_date) {
            (Some(d), _) => (d, true),
            (None, Some(d)) => (d, false),
            (None, None) => return None,
        };
        let (published, source) = cites
            .iter()
            .filter_map(|c| {
                let s = program.source(c.source);
                Some((s.date?, s.key.clone()))
            })
            .min()?;
        (published > reference).then_some(LaterStatement {
            published,
            source,
            reference,
            as_of,
        })
    }

    /// The rules in force under the position that conclude `pred`.
    pub(super) fn rules_for(&self, pred: PredId) -> Vec<RuleId> {
        let program = self.cx.program;
        program
            .position(self.position)
            .rules
            .iter()
            .copied()
            .filter(|r| program.rule(*r).head.pred == pred)
            .collect()
    }

    /// Whether a rule comes from a position other than the default one.
    fn is_own(&self, rule: &Rule) -> bool {
        !self.cx.program.position(rule.origin).is_default
    }

    /// The position's express endorsement of an inherited rule, with its citations.
    fn endorsement(&self, rule: &Rule) -> Option<Endorsement> {
        let program = self.cx.program;
        let pos = program.position(self.position);
        let pred = &program.predicate(rule.head.pred).name;
        let a = pos
            .affirmations
            .get(&rule.name)
            .or_else(|| pos.affirmations.get(pred))?;
        Some(self.endorsement_of(a))
    }

    fn predicate_endorsement(&self, pred: PredId) -> Option<Endorsement> {
        let program = self.cx.program;
        let pos = program.position(self.position);
        let a = pos.affirmations.get(&program.predicate(pred).name)?;
        Some(self.endorsement_of(a))
    }

    fn endorsement_of(&self, a: &Affirmation) -> Endorsement {
        Endorsement {
            by: self.position_name(a.by),
            citations: self.cites(&a.citations),
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
    pub(super) fn atom(
        &mut self,
        pred: PredId,
        args: &[Sym],
        depth: usize,
        positive: bool,
    ) -> Node {
        let cx = self.cx;
        let program = cx.program;
        let value = cx.model.value(pred, args);
        let info = program.predicate(pred);
        let mut node = Node::new(
            Label::Atom(cx.ground_atom(pred, args)),
            value,
            Basis::Elided,
        );
        if self.noted.insert(pred) {
            node.notes = info.notes.clone();
        }
        if let Some(v) = cx.model.is_stipulated(pred, args) {
            node.basis = Basis::Stipulated;
            node.reason = Reason::Stipulated(v);
            return node;
        }
        if !info.derived {
            match cx.facts.stated_value(pred, args) {
                Some(Truth::Unknown) => {
                    node.basis = Basis::MissingFact;
                    node.reason = Reason::StatedUnknown;
                    if value == Truth::Unknown {
                        self.note_leaf(pred, args, positive);
                    }
                }
                Some(v) => {
                    node.basis = Basis::Stated;
                    node.reason = Reason::Stated(v);
                }
                None => {
                    if info.closed {
                        node.basis = Basis::ClosedWorld;
                        node.reason = Reason::ClosedWorld;
                    } else if let Some((constant, ty, listing)) = self.outside_domain(pred, args) {
                        node.basis = Basis::OutsideDomain {
                            constant: constant.clone(),
                            listing: listing.clone(),
                        };
                        node.reason = Reason::OutsideDomain(constant, ty, listing);
                    } else if value == Truth::False {
                        let stated = self.functional_value(pred, args);
                        node.basis = Basis::Functional {
                            stated: stated.clone(),
                        };
                        node.reason = Reason::Functional(stated);
                    } else {
                        node.basis = Basis::MissingFact;
                        node.reason = Reason::MissingFact;
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
            node.reason = Reason::SeeAbove;
            // The leaves under it were collected the first time.
            return node;
        }
        if depth >= MAX_DEPTH {
            node.basis = Basis::Elided;
            node.reason = Reason::Elided;
            self.fill_decider(&mut node, pred, args);
            return node;
        }
        self.visited.insert(key);
        let rules = self.rules_for(pred);
        node.withdrawn = self.withdrawn_for(pred);
        node.touched = !node.withdrawn.is_empty();
        if rules.is_empty() {
            node.endorsed = self.predicate_endorsement(pred);
            node.basis = Basis::NoRule {
                citations: self.cites(&info.citations),
            };
            node.reason = if node.withdrawn.is_empty() {
                Reason::NoRuleInForce
            } else {
                Reason::RulesWithdrawn
            };
            let pos = program.position(self.position);
            if node.withdrawn.is_empty() && !pos.is_default && node.endorsed.is_none() {
                node.inherited = Some(match pos.unverified.get(&program.predicate(pred).name) {
                    Some(u) => self.unverified(u),
                    None => Inherited::Silent {
                        position: pos.name.clone(),
                        default: self.default_name(),
                    },
                });
            }
            return node;
        }
        match value {
            Truth::True => {
                if let Some((rid, env)) = self.true_instance(&rules, pred, args) {
                    let rule = program.rule(rid);
                    node.basis = Basis::Rule {
                        name: rule.name.clone(),
                        citations: self.cites(&rule.citations),
                    };
                    node.reason = Reason::Rule(rule.name.clone());
                    node.inherited = self.inherited(rule);
                    node.touched = self.is_own(rule);
                    node.endorsed = self.endorsement(rule);
                    node.later_statement = self.later_statement(&rule.citations, rule.origin);
                    node.notes.extend(rule.notes.iter().cloned());
                    node.children = self.body_parts(rule, &env, depth, positive);
                }
            }
            Truth::Unknown => {
                let instances = self.instances(&rules, args, Mode::Possible);
                if let [(rid, env)] = instances.as_slice() {
                    let rule = program.rule(*rid);
                    node.basis = Basis::Rule {
                        name: rule.name.clone(),
                        citations: self.cites(&rule.citations),
                    };
                    node.reason = Reason::RuleUndecided(rule.name.clone());
                    node.inherited = self.inherited(rule);
                    // The answer rests on this rule, undecided as it is: a position that
                    // affirms the rule says so here as on a true answer (LAW-2 §7).
                    node.endorsed = self.endorsement(rule);
                    node.later_statement = self.later_statement(&rule.citations, rule.origin);
                    node.notes.extend(rule.notes.iter().cloned());
                    node.children = self.body_parts(rule, env, depth, positive);
                } else {
                    node.basis = Basis::Connective;
                    node.reason = Reason::Ways(instances.len());
                    let mut inherited_all = true;
                    for (rid, env) in instances.iter().take(MAX_INSTANCES) {
                        let rule = program.rule(*rid);
                        let inh = self.inherited(rule);
                        inherited_all &= inh.is_some();
                        let child = self.rule_node(rule, env, Truth::Unknown, depth, positive, inh);
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
                node.reason = Reason::NoRuleApplies;
                let mut inherited_all = true;
                for rid in &rules {
                    let rule = program.rule(*rid);
                    let inh = self.inherited(rule);
                    inherited_all &= inh.is_some();
                    let child = self.failed_rule(rule, args, depth, positive, inh);
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
        let program = self.cx.program;
        let rules = self.rules_for(pred);
        node.withdrawn = self.withdrawn_for(pred);
        node.touched = !node.withdrawn.is_empty();
        if rules.is_empty() {
            node.endorsed = self.predicate_endorsement(pred);
            node.basis = Basis::NoRule {
                citations: Vec::new(),
            };
            let pos = program.position(self.position);
            if node.withdrawn.is_empty()
                && !pos.is_default
                && !pos.affirmations.contains_key(&program.predicate(pred).name)
            {
                node.inherited = Some(Inherited::Unexpanded);
            }
            return;
        }
        let inst = match node.value {
            Truth::True => self.true_instance(&rules, pred, args),
            Truth::Unknown => self
                .instances(&rules, args, Mode::Possible)
                .into_iter()
                .next(),
            Truth::False => None,
        };
        match inst {
            Some((rid, _)) => {
                let rule = program.rule(rid);
                node.basis = Basis::Rule {
                    name: rule.name.clone(),
                    citations: Vec::new(),
                };
                node.inherited = self.inherited(rule);
                // An unknown answer rests on the rule too: a position that affirms it says
                // so here as on a true answer (LAW-2 §7).
                node.endorsed = self.endorsement(rule);
            }
            None => {
                node.basis = Basis::AllRulesFail;
                let all_inherited = rules
                    .iter()
                    .all(|r| self.inherited(program.rule(*r)).is_some());
                if all_inherited && node.withdrawn.is_empty() {
                    node.inherited = Some(Inherited::Unexpanded);
                }
            }
        }
    }

    /// The first argument of `pred(args)` in a slot whose type is taken from a closed
    /// predicate that does not list it: the constant, the type's name and the listing that
    /// would bring it in (`org(o1)`). Only a rule can name such a constant (a scenario that
    /// does is refused), and the atom is then false: the domain holds only what is listed.
    fn outside_domain(&self, pred: PredId, args: &[Sym]) -> Option<(String, String, String)> {
        let program = self.cx.program;
        let info = program.predicate(pred);
        info.slots.iter().zip(args).find_map(|(slot, c)| {
            let ty = program.types.get(slot.ty.index())?;
            let crate::program::TypeKind::From(lister) = ty.kind else {
                return None;
            };
            let listed = self
                .cx
                .facts
                .domains
                .get(slot.ty.index())
                .is_some_and(|d| d.binary_search(c).is_ok());
            (!listed).then(|| {
                (
                    self.cx.interner.name(*c).to_string(),
                    ty.name.clone(),
                    self.cx.ground_atom(lister, &[*c]).code,
                )
            })
        })
    }

    /// The value stated for a functional predicate instead of `args`' last one.
    fn functional_value(&self, pred: PredId, args: &[Sym]) -> Option<GroundAtom> {
        let (_, prefix) = args.split_last()?;
        let m = self.cx.facts.stated.get(pred.index())?;
        let mut found: Vec<GroundAtom> = m
            .iter()
            .filter(|(t, v)| **v == Truth::True && t.get(..prefix.len()) == Some(prefix))
            .map(|(t, _)| self.cx.ground_atom(pred, t))
            .collect();
        found.sort_by_cached_key(ToString::to_string);
        found.into_iter().next()
    }

    /// The rules concluding `pred` that the position withdrew, grouped by who withdrew them
    /// and on what authority.
    fn withdrawn_for(&self, pred: PredId) -> Vec<Withdrawn> {
        let program = self.cx.program;
        let pos = program.position(self.position);
        let mut groups: Vec<Withdrawn> = Vec::new();
        let mut ws: Vec<&Withdrawal> = pos
            .withdrawals
            .values()
            .filter(|w| program.rule(w.rule).head.pred == pred)
            .collect();
        ws.sort_by(|a, b| program.rule(a.rule).name.cmp(&program.rule(b.rule).name));
        for w in ws {
            let by = self.position_name(w.by);
            let citations = self.cites(&w.citations);
            let name = program.rule(w.rule).name.clone();
            match groups
                .iter_mut()
                .find(|g| g.by == by && g.citations == citations)
            {
                Some(g) => g.rules.push(name),
                None => groups.push(Withdrawn {
                    rules: vec![name],
                    by,
                    citations,
                }),
            }
        }
        groups
    }

    fn rule_node(
        &mut self,
        rule: &Rule,
        env: &Env,
        value: Truth,
        depth: usize,
        positive: bool,
        inherited: Option<Inherited>,
    ) -> Node {
        let head = super::search::ground(&rule.head.args, env)
            .map(|t| self.cx.ground_atom(rule.head.pred, &t));
        let children = self.body_parts(rule, env, depth, positive);
        let mut node = Node::new(
            Label::RuleInstance {
                rule: rule.name.clone(),
                head,
            },
            value,
            Basis::Rule {
                name: rule.name.clone(),
                citations: self.cites(&rule.citations),
            },
        );
        node.reason = Reason::Rule(rule.name.clone());
        node.inherited = inherited;
        node.notes = rule.notes.clone();
        node.endorsed = self.endorsement(rule);
        node.touched = self.is_own(rule);
        node.children = children;
        node
    }

    /// The parts of a rule body under full bindings, each with its value.
    fn body_parts(&mut self, rule: &Rule, env: &Env, depth: usize, positive: bool) -> Vec<Node> {
        let parts: Vec<&Formula> = match &rule.condition {
            Formula::And(v) => v.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for p in parts {
            out.push(self.formula(p, env, &rule.vars, depth + 1, positive));
        }
        for e in &super::search::body_exceptions(rule) {
            let mut n = self.formula(e, env, &rule.vars, depth + 1, positive);
            n.label = Label::Exception(Box::new(n.label));
            out.push(n);
        }
        out
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
            Formula::Atom(a, _) => match super::search::ground(&a.args, env) {
                Some(t) => self.atom(a.pred, &t, depth, positive),
                None => {
                    // Variables local to a negation: show the instances that could hold.
                    let value = self.value_of(f, env);
                    let mut node = Node::new(self.pattern(a, env, vars), value, Basis::Connective);
                    node.reason = match value {
                        Truth::False => Reason::NoSuchCase,
                        _ => Reason::SomeCase,
                    };
                    // Rules the position withdrew may be why no case holds: say so, as for
                    // a ground atom, and the position is not silent above (found by a fresh
                    // tester: `unless att(O, S) and S != s2` under a position withdrawing the
                    // rule for `att` read "the position is silent here").
                    node.withdrawn = self.withdrawn_for(a.pred);
                    node.touched = !node.withdrawn.is_empty();
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
                let mut node = Node::new(
                    Label::Not(Box::new(inner_node.label.clone())),
                    value,
                    Basis::Negation,
                );
                node.reason = Reason::Negation(value);
                node.children = vec![inner_node];
                node
            }
            Formula::And(parts) if !parts.is_empty() => {
                // Variables of the conjunction's own (local to a negation): it holds through
                // one value at a time, so each case is shown whole (`act(op1, o1) and
                // big(o1)`), not each part true of some value of its own.
                match self.conjunction_bindings(parts, env, MAX_INSTANCES) {
                    Some((cases, _)) => {
                        let value = self.value_of(f, env);
                        let mut node =
                            Node::new(self.label_of(f, env, vars), value, Basis::Connective);
                        node.reason = match value {
                            Truth::False => Reason::NoSuchCase,
                            _ => Reason::SomeCase,
                        };
                        // As for one atom with a variable of its own (above): the rules the
                        // position withdrew for its atoms.
                        for part in parts {
                            if let Formula::Atom(a, _) = part {
                                for w in self.withdrawn_for(a.pred) {
                                    if !node.withdrawn.contains(&w) {
                                        node.withdrawn.push(w);
                                    }
                                }
                            }
                        }
                        node.touched = !node.withdrawn.is_empty();
                        node.children = cases
                            .iter()
                            .map(|b| self.connective(f, parts, b, vars, depth + 1, positive))
                            .collect();
                        node
                    }
                    None => self.connective(f, parts, env, vars, depth, positive),
                }
            }
            Formula::And(parts) | Formula::Or(parts) => {
                self.connective(f, parts, env, vars, depth, positive)
            }
            Formula::Compare {
                left, op, right, ..
            } => {
                let value = self.value_of(f, env);
                let label = Label::Comparison {
                    left: self.term(left, env, vars),
                    op: *op,
                    right: self.term(right, env, vars),
                };
                Node::new(label, value, Basis::Comparison)
            }
            Formula::Unsettled { point, reason, .. } => {
                let program = self.cx.program;
                let info = program.point(*point);
                let pos = program.position(self.position);
                let label = Label::OpenPoint(info.name.clone());
                match pos.settlements.get(point) {
                    Some(s) => {
                        let by = self.position_name(s.by);
                        let value = if s.value { Truth::True } else { Truth::False };
                        let mut node = Node::new(
                            label,
                            value,
                            Basis::Settled {
                                point: info.name.clone(),
                                by: by.clone(),
                                citations: self.cites(&s.citations),
                            },
                        );
                        node.reason = Reason::Settled {
                            in_favour: s.value,
                            by,
                        };
                        node.touched = !program.position(s.by).is_default;
                        node.later_statement = self.later_statement(&s.citations, s.by);
                        node
                    }
                    None => {
                        self.points.push(UnsettledPoint {
                            point: info.name.clone(),
                            title: program.point_title(*point),
                            reason: reason.clone(),
                        });
                        let mut node = Node::new(
                            label,
                            Truth::Unknown,
                            Basis::UnsettledLaw {
                                point: info.name.clone(),
                                reason: reason.clone(),
                            },
                        );
                        node.reason = Reason::UnsettledLaw(reason.clone());
                        if let Some(u) = pos.unverified.get(&info.name) {
                            node.inherited = Some(self.unverified(u));
                        }
                        node
                    }
                }
            }
        }
    }

    fn term(&self, t: &crate::program::Term, env: &Env, vars: &[VarInfo]) -> types::Term {
        use crate::program::Term as T;
        let name = |s: Sym| types::Term::Name(self.cx.interner.name(s).to_string());
        match t {
            T::Const(c) => name(*c),
            T::Var(v) => match env.get(v.index()).copied().flatten() {
                Some(s) => name(s),
                None => types::Term::Variable(
                    vars.get(v.index())
                        .map(|i| i.name.clone())
                        .unwrap_or_else(|| "_".to_string()),
                ),
            },
        }
    }

    fn pattern(&self, a: &Atom, env: &Env, vars: &[VarInfo]) -> Label {
        Label::Pattern {
            predicate: self.cx.program.predicate(a.pred).name.clone(),
            args: a.args.iter().map(|t| self.term(t, env, vars)).collect(),
        }
    }

    /// The label of a condition under `env`, as its node would show it (no node is built:
    /// building one marks the atoms below it as shown).
    fn label_of(&self, f: &Formula, env: &Env, vars: &[VarInfo]) -> Label {
        match f {
            Formula::Atom(a, _) => match super::search::ground(&a.args, env) {
                Some(t) => Label::Atom(self.cx.ground_atom(a.pred, &t)),
                None => self.pattern(a, env, vars),
            },
            Formula::Not(inner, _) => Label::Not(Box::new(self.label_of(inner, env, vars))),
            Formula::And(parts) | Formula::Or(parts) => Label::Connective {
                or: matches!(f, Formula::Or(_)),
                parts: parts.iter().map(|p| self.label_of(p, env, vars)).collect(),
            },
            Formula::Compare {
                left, op, right, ..
            } => Label::Comparison {
                left: self.term(left, env, vars),
                op: *op,
                right: self.term(right, env, vars),
            },
            Formula::Unsettled { point, .. } => {
                Label::OpenPoint(self.cx.program.point(*point).name.clone())
            }
        }
    }

    /// The node of a conjunction or disjunction `f` (whose parts are `parts`) under `env`,
    /// each part's node below it.
    fn connective(
        &mut self,
        f: &Formula,
        parts: &[Formula],
        env: &Env,
        vars: &[VarInfo],
        depth: usize,
        positive: bool,
    ) -> Node {
        let or = matches!(f, Formula::Or(_));
        let mut children: Vec<Node> = parts
            .iter()
            .map(|p| self.formula(p, env, vars, depth + 1, positive))
            .collect();
        let value = self.value_of(f, env);
        let labels: Vec<Label> = children.iter().map(|c| c.label.clone()).collect();
        // For an `or` that holds, the branches that hold are the reason: the others
        // are noise to a reader.
        if or && value == Truth::True {
            children.retain(|c| c.value == Truth::True);
        }
        let mut node = Node::new(
            Label::Connective { or, parts: labels },
            value,
            Basis::Connective,
        );
        node.reason = if or {
            Reason::OneSuffices
        } else {
            Reason::AllNeeded
        };
        node.children = children;
        node
    }

    /// For a false atom: where one rule fails.
    fn failed_rule(
        &mut self,
        rule: &Rule,
        args: &[Sym],
        depth: usize,
        positive: bool,
        inherited: Option<Inherited>,
    ) -> Node {
        let mut node = Node::new(
            Label::RuleInstance {
                rule: rule.name.clone(),
                head: Some(self.cx.ground_atom(rule.head.pred, args)),
            },
            Truth::False,
            Basis::Rule {
                name: rule.name.clone(),
                citations: self.cites(&rule.citations),
            },
        );
        node.inherited = inherited;
        node.touched = self.is_own(rule);
        node.endorsed = self.endorsement(rule);
        let Some(env0) = super::search::bind_head(rule, args) else {
            node.reason = Reason::NotForTheseNames;
            return node;
        };
        // Walk the conditions in the order written; stop at the first that fails for every
        // way of meeting the earlier ones.
        let mut conjuncts: Vec<(Formula, bool)> = match &rule.condition {
            Formula::And(v) => v.iter().map(|f| (f.clone(), false)).collect(),
            other => vec![(other.clone(), false)],
        };
        for e in super::search::body_exceptions(rule) {
            conjuncts.push((Formula::Not(Box::new(e), Vec::new()), true));
        }
        let mut envs: Vec<Env> = vec![env0];
        for (i, (c, is_exception)) in conjuncts.iter().enumerate() {
            let mut next: Vec<Env> = Vec::new();
            for env in &envs {
                let plan = plan_formula(c, &super::search::bound_vars(env));
                let mut e = env.clone();
                self.solver()
                    .solve(&plan, Mode::Possible, &mut e, &mut |x| {
                        next.push(x.clone());
                        next.len() < 64
                    });
            }
            if next.is_empty() {
                // This condition fails everywhere.
                let shown: Vec<Env> = envs.iter().take(MAX_INSTANCES).cloned().collect();
                for env in shown {
                    // An exception is shown as written, with its own value (true: it
                    // applies), as in a rule that holds; not as the `not` the body reads.
                    let child = match (c, *is_exception) {
                        (Formula::Not(exception, _), true) => {
                            let mut n =
                                self.formula(exception, &env, &rule.vars, depth + 1, positive);
                            n.label = Label::Exception(Box::new(n.label));
                            n
                        }
                        _ => self.formula(c, &env, &rule.vars, depth + 1, positive),
                    };
                    // Different ways of meeting the earlier conditions can fail at the very
                    // same point: show it once.
                    if !node.children.iter().any(|c| c.label == child.label) {
                        node.children.push(child);
                    }
                }
                node.reason = if i == 0 && envs.len() == 1 {
                    Reason::FirstConditionFails
                } else if *is_exception {
                    Reason::ExceptionApplies
                } else {
                    Reason::ConditionFails
                };
                return node;
            }
            envs = next;
        }
        // Every condition as written can hold: what fails is a constant of the rule that the
        // scenario does not list (a rule reads the listing of such a constant too).
        let mut unlisted: Vec<(PredId, Sym)> = Vec::new();
        rule.body.walk(&mut |f, _| {
            if let Formula::Atom(a, _) = f {
                if let [crate::program::Term::Const(c)] = a.args.as_slice() {
                    unlisted.push((a.pred, *c));
                }
            }
        });
        // A listing is the one-slot predicate a type is taken from (`org` for `Org`).
        let program = self.cx.program;
        let is_listing = |p: PredId| {
            program.predicate(p).slots.first().is_some_and(|slot| {
                program
                    .types
                    .get(slot.ty.index())
                    .is_some_and(|t| matches!(t.kind, crate::program::TypeKind::From(l) if l == p))
            })
        };
        let found = unlisted
            .into_iter()
            .filter(|(p, _)| is_listing(*p))
            .find_map(|(p, c)| self.outside_domain(p, &[c]).map(|o| (p, c, o)));
        if let Some((p, c, (constant, ty, listing))) = found {
            let mut child = Node::new(
                Label::Atom(self.cx.ground_atom(p, &[c])),
                Truth::False,
                Basis::OutsideDomain {
                    constant: constant.clone(),
                    listing: listing.clone(),
                },
            );
            child.reason = Reason::OutsideDomain(constant, ty, listing);
            node.children.push(child);
            node.reason = Reason::ConditionFails;
            return node;
        }
        node.reason = Reason::DoesNotApply;
        node
    }
}

/// Marks nodes whose subtree contains the position's own words, and withdraws the "silent
/// here" remark from them: a conclusion that rests on something the position said is not
/// merely inherited, even if the rule at its top is.
pub(super) fn propagate_touched(n: &mut Node) -> bool {
    let mut below = false;
    for c in &mut n.children {
        below |= propagate_touched(c);
    }
    n.touched |= below || n.endorsed.is_some();
    if n.touched && matches!(n.inherited, Some(Inherited::Silent { .. })) {
        n.inherited = None;
    }
    n.touched
}
