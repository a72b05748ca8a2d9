//! Explanations: why an atom has its value, as typed data first and text second.
//!
//! A tree whose nodes are atoms (or the parts of a rule body: negations, comparisons,
//! unsettled points) with their values and what decided them. For `unknown` answers the
//! explanation also lists the missing facts and unsettled points the answer rests on, and the
//! smallest sets of facts that would settle it, each verified by evaluating again.
//!
//! Explanations consume an evaluated [`Model`] and its [`Program`] through a `Context`:
//! they never reach back into the scenario. The nodes are typed ([`Label`], [`Basis`],
//! [`Reason`], [`GroundAtom`], …); all their English lives in `text`, so rewording a
//! sentence changes what is printed and nothing else. `render` lays the text out.

mod build;
mod reasons;
mod render;
mod residual;
mod search;
mod settle;
mod text;
mod types;

#[doc(hidden)]
pub use reasons::{residual_gave_up, set_residual_what_ifs};
pub use reasons::{PositionSplit, UnknownClass, UnknownKind, UnknownReason};
pub use render::{paint, render_text, render_text_with, RenderOptions};
pub use text::{answer_in_words, fact_set_text, plain};
pub use types::{
    Basis, Decider, Decision, Endorsement, Explanation, FactValue, GroundAtom, Inherited, Label,
    LaterStatement, Node, Reason, SettlingLimits, Shown, StipulationNote, Term, TimeContext,
    UnsettledPoint, Withdrawn,
};

pub(crate) use reasons::{Analysis, Hypothesis};
pub(crate) use text::{stipulation_help, words};

use crate::eval::{FactSet, Model};
use crate::program::{Interner, PredId, Program, Sym, Tuple};
use crate::syntax::ast::Truth;
use build::{propagate_touched, Explainer};

/// How many levels of the tree are expanded.
const MAX_DEPTH: usize = 14;
/// How many rule instances are shown for one atom.
const MAX_INSTANCES: usize = 6;

/// How far an explanation searches for the facts that would settle an unknown answer.
///
/// The search for settling sets is exact within these bounds: every set it reports is a
/// smallest one (no fact can be left out), and when nothing was cut
/// ([`SettlingLimits::is_complete`]) every such set was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ExplainOptions {
    /// At most this many sets are listed each way (`None`: all found).
    pub max_sets: Option<usize>,
    /// At most this many missing facts are tried, the most relevant first (`None`: all).
    pub max_candidates: Option<usize>,
    /// At most this many evaluations each way; the search stops there and says so.
    pub max_evaluations: usize,
}

impl Default for ExplainOptions {
    /// 5 sets each way, 14 facts tried, 2,000 evaluations each way.
    fn default() -> ExplainOptions {
        ExplainOptions {
            max_sets: Some(5),
            max_candidates: Some(14),
            max_evaluations: 2_000,
        }
    }
}

impl ExplainOptions {
    /// No cap on sets or facts tried, and 50,000 evaluations each way (`:missing --all`).
    pub fn all() -> ExplainOptions {
        ExplainOptions {
            max_sets: None,
            max_candidates: None,
            max_evaluations: 50_000,
        }
    }
}

/// What an explanation reads: the program, the names, the stated facts and the evaluated
/// model, all borrowed from whoever evaluated them.
pub(crate) struct Context<'a> {
    pub program: &'a Program,
    pub interner: &'a Interner,
    /// The stated facts the model was evaluated on.
    pub facts: &'a FactSet,
    /// The model under the position explained.
    pub model: &'a Model,
    /// The date the question is asked as of, if any: elements of the position resting on
    /// later documents are marked.
    pub as_of: Option<crate::date::Date>,
    /// The date the operation in the question occurred, if stated: without `as_of`, elements
    /// resting on documents published after it are marked.
    pub operation_date: Option<crate::date::Date>,
    /// Rule bodies planned with some variables bound (see [`Context::rule_plan`]): the
    /// knowledge base's, shared by every explanation and reason.
    pub plans: &'a crate::eval::RulePlans,
}

impl Context<'_> {
    /// The body of rule `rid` planned with the variables `env` binds bound (made once per
    /// knowledge base).
    pub(crate) fn rule_plan(
        &self,
        rid: crate::program::RuleId,
        env: &crate::eval::Env,
    ) -> std::sync::Arc<crate::eval::Plan> {
        let bound: smallvec::SmallVec<[u32; 8]> = env
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        self.plans.with_bound(self.program, rid, &bound)
    }

    /// A ground atom with its names.
    pub(crate) fn ground_atom(&self, pred: PredId, args: &[Sym]) -> GroundAtom {
        ground_atom(self.program, self.interner, pred, args)
    }
}

/// A ground atom with its names, from ids.
pub(crate) fn ground_atom(
    program: &Program,
    interner: &Interner,
    pred: PredId,
    args: &[Sym],
) -> GroundAtom {
    GroundAtom {
        pred,
        args: Tuple::from_slice(args),
        predicate: program.predicate(pred).name.clone(),
        names: args.iter().map(|a| interner.name(*a).to_string()).collect(),
        code: program.atom_text(pred, args, interner),
        text: program.phrase(pred, args, interner),
    }
}

/// Explains the value of a ground atom under the model's position. `hyp` re-evaluates with
/// facts overridden and open points settled for argument's sake, to find and verify the facts
/// that would settle an unknown answer and the facts and points it turns on;
/// `stipulation_notes` are the scenario's, for the same position. For an unknown answer the
/// detailed analysis of why comes back beside the explanation.
///
/// # Errors
/// An [`EvalError`] when one of the evaluations again stops at a limit or is cancelled.
pub(crate) fn explain(
    cx: &Context,
    hyp: Hypothesis,
    pred: PredId,
    args: &[Sym],
    stipulation_notes: Vec<StipulationNote>,
    options: &ExplainOptions,
) -> Result<(Explanation, Option<Analysis>), crate::eval::EvalError> {
    let model = cx.model;
    let mut ex = Explainer::new(cx);
    let mut tree = ex.atom(pred, args, 0, true);
    propagate_touched(&mut tree);
    let value = model.value(pred, args);
    let mut explanation = Explanation {
        atom: cx.ground_atom(pred, args),
        value,
        position: cx.program.position(model.position).name.clone(),
        tree,
        missing_facts: Vec::new(),
        unsettled_points: Vec::new(),
        would_make_true: Vec::new(),
        would_make_false: Vec::new(),
        cannot_be_settled_by_facts_alone: false,
        true_needs_settled_law: false,
        false_needs_settled_law: false,
        stipulation_notes,
        settling_limits: SettlingLimits::default(),
        unknown: None,
        time: None,
    };
    if value != Truth::Unknown {
        return Ok((explanation, None));
    }
    let support = reasons::support(cx, pred, args);
    // Every what-if of the analysis and of the settling sets asks for this one atom's value:
    // its residual program decides it (see `residual`), and the law is evaluated again only
    // for a what-if that program cannot decide.
    let residual = if reasons::residual_what_ifs() {
        residual::Residual::build(cx, &[(pred, Tuple::from_slice(args))])
    } else {
        None
    };
    let value_with = |changes: &[(PredId, Tuple, Truth)],
                      settled: &[(crate::program::PointId, bool)]|
     -> Result<Truth, crate::eval::EvalError> {
        if let Some(v) = residual
            .as_ref()
            .and_then(|r| r.value_with(cx, pred, args, changes, settled))
        {
            return Ok(v);
        }
        hyp(changes, settled).map(|m| m.value(pred, args))
    };
    let mut analysis = reasons::analyse(cx, &value_with, &support)?;
    explanation.unsettled_points = reasons::point_texts(cx, &analysis.points);
    // A stipulated answer is the user's premise: no fact can change it.
    if model.is_stipulated(pred, args).is_none() {
        // The facts found relevant are tried first.
        let mut candidates: Vec<build::Leaf> = support.leaves.clone();
        candidates.sort_by_key(|l| {
            !analysis
                .facts
                .iter()
                .any(|f| f.pred == l.pred && f.args == l.args)
        });
        let what_if = |changes: &[(PredId, Tuple, Truth)]| value_with(changes, &[]).ok();
        settle::settle_sets(cx, &candidates, &what_if, options, &mut explanation);
    }
    // A fact in a smallest settling set can change the answer.
    analysis.facts.extend(
        explanation
            .would_make_true
            .iter()
            .chain(&explanation.would_make_false)
            .flatten()
            .map(|f| f.atom.clone()),
    );
    analysis.facts.sort_by_cached_key(ToString::to_string);
    analysis.facts.dedup();
    explanation.missing_facts = analysis.facts.clone();
    let relevant: rustc_hash::FxHashSet<&GroundAtom> = analysis.facts.iter().collect();
    fold(&mut explanation.tree, &relevant);
    Ok((explanation, Some(analysis)))
}

/// Folds, under every node concluded in several ways, the ways that rest only on missing
/// facts none of which can change the answer (`relevant` holds those that can) into one node
/// per rule ([`Label::Folded`]).
fn fold(n: &mut Node, relevant: &rustc_hash::FxHashSet<&GroundAtom>) {
    if matches!(n.basis, Basis::Connective) && n.value == Truth::Unknown {
        let mut kept = Vec::with_capacity(n.children.len());
        let mut folded: Vec<(String, Vec<String>)> = Vec::new();
        for c in std::mem::take(&mut n.children) {
            let rule = match &c.label {
                Label::RuleInstance { rule, .. } if cannot_change(&c, relevant) => rule.clone(),
                _ => {
                    kept.push(c);
                    continue;
                }
            };
            let through = c
                .children
                .iter()
                .find_map(|x| match &x.label {
                    // The reading, not the code: this line is for a lawyer.
                    Label::Atom(a) if x.value == Truth::Unknown => Some(a.text.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            match folded.iter_mut().find(|(r, _)| *r == rule) {
                Some((_, v)) => v.push(through),
                None => folded.push((rule, vec![through])),
            }
        }
        for (rule, through) in folded {
            let node = Node::new(
                Label::Folded { rule, through },
                Truth::Unknown,
                Basis::Folded,
            );
            kept.push(node);
        }
        n.children = kept;
    }
    for c in &mut n.children {
        fold(c, relevant);
    }
}

/// Whether an unknown part rests only on missing facts, none of which can change the answer.
fn cannot_change(n: &Node, relevant: &rustc_hash::FxHashSet<&GroundAtom>) -> bool {
    fn leaves<'a>(n: &'a Node, out: &mut Vec<&'a GroundAtom>) {
        if let (Basis::MissingFact, Label::Atom(a)) = (&n.basis, &n.label) {
            out.push(a);
        }
        for c in &n.children {
            leaves(c, out);
        }
    }
    if n.value != Truth::Unknown {
        return false;
    }
    let mut found = Vec::new();
    leaves(n, &mut found);
    !found.is_empty() && found.iter().all(|a| !relevant.contains(a))
}

/// The cheap classification of every unknown answer among `answers` (ground atoms of any
/// predicates, under one position; see `reasons::classify`).
pub(crate) fn classify(
    cx: &Context,
    hyp: reasons::HypothesisOver,
    answers: &[(PredId, Tuple)],
) -> Result<Vec<Option<UnknownClass>>, crate::eval::EvalError> {
    reasons::classify(cx, hyp, answers)
}

/// The rule (or fact) that decided an atom under the model's position, and whether the
/// position merely inherits it. Evaluates nothing.
pub(crate) fn decided_by(cx: &Context, pred: PredId, args: &[Sym]) -> Decision {
    let mut ex = Explainer::new(cx);
    let mut node = ex.atom(pred, args, 0, true);
    propagate_touched(&mut node);
    let rules = |node: &Node| -> (Vec<String>, bool) {
        let mut names: Vec<String> = node
            .children
            .iter()
            .filter_map(|c| match &c.basis {
                Basis::Rule { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect();
        names.dedup();
        let more = names.len() > 3;
        names.truncate(3);
        (names, more)
    };
    let decider = match &node.basis {
        Basis::Rule { name, .. } => Decider::Rule(name.clone()),
        Basis::Connective => {
            let (rules, more) = rules(&node);
            Decider::Undecided { rules, more }
        }
        Basis::AllRulesFail if node.withdrawn.is_empty() => {
            let (rules, more) = rules(&node);
            Decider::NoneApplies { rules, more }
        }
        Basis::AllRulesFail => Decider::Withdrawn(node.withdrawn.clone()),
        Basis::NoRule { .. } => Decider::NoRule,
        Basis::Stated => Decider::Stated,
        Basis::Stipulated => Decider::Stipulated,
        Basis::ClosedWorld => Decider::ClosedWorld,
        Basis::MissingFact => Decider::MissingFact,
        _ => Decider::Other(node.reason.clone()),
    };
    Decision {
        decider,
        endorsed: node.endorsed.clone(),
        inherited: node.inherited.is_some(),
        unverified: any_unverified(&node),
        later_statement: first_later_statement(&node),
    }
}

/// The first element (depth first) marked as resting on a later statement.
fn first_later_statement(n: &Node) -> Option<LaterStatement> {
    n.later_statement
        .clone()
        .or_else(|| n.children.iter().find_map(first_later_statement))
}

/// Whether the answer rests anywhere on a point the position's document speaks to without
/// having been verified.
fn any_unverified(n: &Node) -> bool {
    matches!(n.inherited, Some(Inherited::Unverified { .. }))
        || n.children.iter().any(any_unverified)
}
