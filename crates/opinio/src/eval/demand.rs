//! Demand-driven evaluation of one question: the magic-set transformation.
//!
//! A question with constants in it (`attributable(op1, s5)`, `sg(n17, n4242)`, `path(n0, X)`)
//! needs only the atoms its constants reach. The rules in force under the position are
//! rewritten for it (Bancilhon, Maier, Sagiv and Ullman, "Magic sets and other strange ways
//! to implement logic programs", PODS 1986; Beeri and Ramakrishnan, "On the power of magic",
//! 1991):
//! - each derived predicate `p` asked with some arguments bound gets an *adorned* copy
//!   `p@bf…` (one letter per slot: bound or free) and a *magic* predicate `magic@p@bf…` over
//!   the bound slots, which holds the bindings `p` is asked with;
//! - each rule for `p` becomes a rule for `p@α` that first reads `magic@p@α` on the head's
//!   bound arguments, with its conditions in the order the evaluator runs them given those
//!   bindings (the sideways passing of bindings);
//! - each derived atom read positively in it, with some argument bound at that point, reads
//!   its adorned copy instead, and a *magic rule* passes the demand on: `magic@q@β` holds the
//!   bound arguments of `q` wherever `magic@p@α` and the conditions before `q` hold;
//! - the question seeds the magic predicate of its own adornment with its constants.
//!
//! Derived atoms read under `not` (or asked with nothing bound) keep their predicate and its
//! rules as they are, evaluated in full: the demand stops there, and the rewritten program is
//! stratified whenever the original is (a negated predicate never depends on a magic one).
//!
//! **Three values.** Each of the evaluator's two passes is the least model of a positive
//! program over fixed inputs (the base facts that count in that mode, and the negated lower
//! predicates read in the other mode): the definite pass over the true facts, the possible
//! pass over the true and unknown ones. The magic-set rewriting gives a question the same
//! answers as the least model of the original program over the same inputs, so it does in
//! each pass: magic atoms are themselves definite or possible, a demand that only unknown
//! facts raise reaching only the possible pass. The question's atoms therefore get the values
//! a whole evaluation gives them (tested against the whole evaluation on every public
//! scenario under every law, and against the naive reference evaluator on generated programs).
//! Stipulated derived atoms keep their stipulated values in the adorned copies.

use super::compile::{compile, CompiledPosition, Cone};
use super::plan::{alternatives, collect_masks, order_formula, plan_first, plan_first_and_last};
use super::relation::Mask;
use super::{BaseRelations, Bounds, EvalError, Model};
use crate::program::{
    Atom, Formula, PointId, PosId, PositionInfo, PredId, PredInfo, Program, Rule, RuleId, Sym,
    Term, VarId,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// When to answer a question with constants in it by the magic-set rewriting rather than by
/// evaluating its predicate's whole cone: see
/// [`Scenario::set_magic_sets`](crate::Scenario::set_magic_sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum MagicSets {
    /// When the scenario states more than a few facts (at least [`MagicSets::AUTO_FACTS`]):
    /// there, a question's cone over every constant costs more than the rewriting; on a
    /// scenario of a few dozen facts (one incident) the cone is cheaper.
    #[default]
    Auto,
    /// For every question with a constant in it.
    Always,
    /// Never: every question evaluates its predicate's cone.
    Never,
}

impl MagicSets {
    /// The number of stated facts from which [`MagicSets::Auto`] rewrites. Measured with
    /// `bench/gen_growth.py` (2026-12-01): an explanation costs about the same either way at
    /// 200 facts (20 States x 10 operations), and 2.8x (1,800 facts) to 4x (1,900) less
    /// rewritten above; NotPetya's fifty facts take 1-3 ms more rewritten.
    pub const AUTO_FACTS: usize = 200;

    /// The name the command line reads: `auto`, `always` or `never`.
    pub fn as_str(self) -> &'static str {
        match self {
            MagicSets::Auto => "auto",
            MagicSets::Always => "always",
            MagicSets::Never => "never",
        }
    }

    /// Reads `auto`, `always` or `never`; `None` for anything else.
    pub fn from_name(name: &str) -> Option<MagicSets> {
        [MagicSets::Auto, MagicSets::Always, MagicSets::Never]
            .into_iter()
            .find(|m| m.as_str() == name)
    }

    /// Whether a question about a scenario stating `facts` facts is rewritten.
    pub fn applies(self, facts: usize) -> bool {
        match self {
            MagicSets::Auto => facts >= MagicSets::AUTO_FACTS,
            MagicSets::Always => true,
            MagicSets::Never => false,
        }
    }
}

/// A position's rules rewritten for one question, compiled, with the cone of the question.
#[derive(Debug)]
pub(crate) struct Demand {
    /// The original program's types and predicates, the adorned and magic predicates after
    /// them, and only the rules the question needs, under one position (`PosId(0)`).
    program: Program,
    compiled: CompiledPosition,
    /// The question's adorned predicate.
    goal: PredId,
    cone: Cone,
    /// Per predicate added: the original predicate whose stipulations it shares (an adorned
    /// copy), or `None` (a magic predicate).
    added: Vec<Option<PredId>>,
    /// How many predicates the original program has.
    original: usize,
}

impl Demand {
    /// The rewriting of `position`'s rules for the question `pred(args)` (`None` for a
    /// variable), or `None` when it has nothing to gain: no argument is a constant, `pred` is
    /// not derived under the position, or the rewritten rules would not stratify (they always
    /// do when the original ones do; this is a guard, not a case).
    pub(crate) fn new(
        program: &Program,
        position: PosId,
        pred: PredId,
        args: &[Option<Sym>],
    ) -> Option<Demand> {
        let pinfo = program.position(position);
        let mut rules_of: FxHashMap<PredId, Vec<RuleId>> = FxHashMap::default();
        for &rid in &pinfo.rules {
            rules_of
                .entry(program.rule(rid).head.pred)
                .or_default()
                .push(rid);
        }
        let derived: FxHashSet<PredId> = pinfo.strata.iter().flatten().copied().collect();
        if !derived.contains(&pred) || args.len() != program.predicate(pred).arity() {
            return None;
        }
        let mask = args
            .iter()
            .enumerate()
            .filter(|(i, a)| a.is_some() && *i < 32)
            .fold(0 as Mask, |m, (i, _)| m | (1 << i));
        if mask == 0 {
            return None;
        }
        let mut w = Rewriter {
            program,
            rules_of,
            derived,
            predicates: program.predicates.clone(),
            added: Vec::new(),
            adorned: FxHashMap::default(),
            todo: Vec::new(),
            full: FxHashSet::default(),
            full_todo: Vec::new(),
            rules: Vec::new(),
            magic_first: Vec::new(),
        };
        let (goal, magic) = w.adorn(pred, mask);
        // The seed: the question's constants are asked.
        let seed_args: Vec<Term> = args.iter().flatten().map(|c| Term::Const(*c)).collect();
        w.push_rule(
            Rule {
                name: "question".to_string(),
                origin: PosId::from_index(0),
                head: Atom {
                    pred: magic,
                    args: seed_args,
                    span: Default::default(),
                },
                condition: Formula::truth(),
                exceptions: Vec::new(),
                body: Formula::truth(),
                citations: Vec::new(),
                notes: Vec::new(),
                vars: Vec::new(),
                span: Default::default(),
                name_span: Default::default(),
            },
            false,
        );
        while let Some((p, m)) = w.todo.pop() {
            w.rewrite_rules_of(p, m);
        }
        while let Some(p) = w.full_todo.pop() {
            for rid in w.rules_of.get(&p).cloned().unwrap_or_default() {
                let rule = program.rule(rid);
                let mut reads = Vec::new();
                rule.body.walk(&mut |f, _| {
                    if let Formula::Atom(a, _) = f {
                        reads.push(a.pred);
                    }
                });
                for q in reads {
                    w.need_full(q);
                }
                w.push_rule(rule.clone(), false);
            }
        }
        let mut position_info = PositionInfo::named(pinfo.name.clone(), pinfo.span);
        position_info.settlements = pinfo.settlements.clone();
        position_info.rules = (0..w.rules.len()).map(RuleId::from_index).collect();
        let mut rewritten = Program {
            types: program.types.clone(),
            predicates: w.predicates,
            rules: w.rules,
            points: program.points.clone(),
            positions: vec![position_info],
            default_position: Some(PosId::from_index(0)),
            ..Program::default()
        };
        let strata = crate::graph::stratify(&rewritten, PosId::from_index(0)).ok()?;
        if let Some(p) = rewritten.positions.get_mut(0) {
            p.strata = strata;
        }
        let mut compiled = compile(&rewritten, PosId::from_index(0));
        // A rewritten rule reads its magic atom first, so that each pass derives only what is
        // asked; and its possible pass starts afresh rather than from the definite fixpoint
        // (which would follow every unknown input atom, asked or not: in a large scenario, the
        // whole open world of the predicates it reads).
        for (i, cr) in compiled.rules.iter_mut().enumerate() {
            if !w.magic_first.get(i).copied().unwrap_or(false) {
                continue;
            }
            if let Some(rule) = rewritten.rules.get(i) {
                cr.plan = Arc::new(plan_first(&rule.body, 0));
                // From a delta row, the magic atom is read last (see `plan_first_and_last`).
                cr.recursive_plans = cr
                    .recursive_occurrences
                    .iter()
                    .map(|(occ, _)| Arc::new(plan_first_and_last(&rule.body, *occ, Some(0))))
                    .collect();
                cr.simple = false;
                cr.input_plans.clear();
                cr.refresh_joins();
            }
        }
        let mut masks = FxHashMap::default();
        for cr in &compiled.rules {
            collect_masks(&cr.plan, &mut masks);
            for (_, _, p) in &cr.input_plans {
                collect_masks(p, &mut masks);
            }
            for p in &cr.recursive_plans {
                collect_masks(p, &mut masks);
            }
        }
        compiled.masks = masks;
        let cone = std::sync::Arc::unwrap_or_clone(compiled.cone_of(&[goal]));
        Some(Demand {
            program: rewritten,
            compiled,
            goal,
            cone,
            added: w.added,
            original: program.predicates.len(),
        })
    }

    /// The question's adorned predicate: its atoms are atoms of the question's predicate, and
    /// every atom matching the question's constants is there with the value a whole
    /// evaluation gives it.
    pub(crate) fn goal(&self) -> PredId {
        self.goal
    }

    /// The base predicates the rewritten question reads (ids of the original program): a base
    /// prepared for these ([`prepare_base_for`](super::prepare_base_for)) is enough.
    pub(crate) fn base_predicates(&self) -> FxHashSet<PredId> {
        self.cone
            .preds
            .iter()
            .copied()
            .filter(|p| p.index() < self.original && !self.program.predicate(*p).derived)
            .collect()
    }

    /// How many rules the rewritten program has (for tests: the rewriting leaves out what the
    /// question does not need).
    #[cfg(test)]
    pub(crate) fn rule_count(&self) -> usize {
        self.program.rules.len()
    }

    /// `base` (base relations of the original program) made ready for the rewritten one: the
    /// added predicates, and the indexes the rewritten rules probe base relations with.
    pub(crate) fn base(&self, base: &BaseRelations) -> BaseRelations {
        base.with_added_predicates(&self.added, &self.compiled.masks)
    }

    /// The index masks the rewritten rules probe each predicate with (a base predicate rebuilt
    /// for a what-if needs them).
    pub(crate) fn masks(&self) -> &FxHashMap<PredId, FxHashSet<Mask>> {
        &self.compiled.masks
    }

    /// Evaluates the question over `base` (base relations of the original program holding at
    /// least [`Demand::base_predicates`]), with open points settled as in `settled` on top of
    /// the position's settlements. Read the answers from [`Demand::goal`] in the model.
    ///
    /// # Errors
    /// As [`evaluate_with_base`](super::evaluate_with_base).
    #[cfg(test)]
    pub(crate) fn evaluate(
        &self,
        base: &BaseRelations,
        settled: &[(PointId, bool)],
        bounds: impl Into<Bounds>,
    ) -> Result<Model, EvalError> {
        self.evaluate_over(Arc::new(self.base(base)), settled, bounds)
    }

    /// [`Demand::evaluate`] over base relations made ready by [`Demand::base`].
    ///
    /// # Errors
    /// As [`evaluate_with_base`](super::evaluate_with_base).
    pub(crate) fn evaluate_over(
        &self,
        base: Arc<BaseRelations>,
        settled: &[(PointId, bool)],
        bounds: impl Into<Bounds>,
    ) -> Result<Model, EvalError> {
        super::evaluate_cone(
            &self.program,
            &self.compiled,
            base,
            settled,
            bounds,
            Some(&self.cone.strata),
        )
    }
}

/// The state of one rewriting.
struct Rewriter<'a> {
    program: &'a Program,
    rules_of: FxHashMap<PredId, Vec<RuleId>>,
    /// The derived predicates under the position (those its strata list).
    derived: FxHashSet<PredId>,
    /// The original predicates, then the added ones.
    predicates: Vec<PredInfo>,
    added: Vec<Option<PredId>>,
    /// Per (predicate, adornment): its adorned copy and its magic predicate.
    adorned: FxHashMap<(PredId, Mask), (PredId, PredId)>,
    todo: Vec<(PredId, Mask)>,
    /// Original predicates evaluated in full (read under `not`, or with nothing bound).
    full: FxHashSet<PredId>,
    full_todo: Vec<PredId>,
    rules: Vec<Rule>,
    /// Per rule: whether it is a rewritten rule or a magic rule (its body starts with a magic
    /// atom, which its plan reads first).
    magic_first: Vec<bool>,
}

impl Rewriter<'_> {
    fn push_rule(&mut self, rule: Rule, magic_first: bool) {
        self.rules.push(rule);
        self.magic_first.push(magic_first);
    }

    /// The adorned copy and the magic predicate of `pred` asked with the slots of `mask`
    /// bound, added (and its rules queued for rewriting) the first time.
    fn adorn(&mut self, pred: PredId, mask: Mask) -> (PredId, PredId) {
        if let Some(found) = self.adorned.get(&(pred, mask)) {
            return *found;
        }
        let info = self.program.predicate(pred);
        let pattern: String = (0..info.arity())
            .map(|i| if bound_at(mask, i) { 'b' } else { 'f' })
            .collect();
        let adorned = PredId::from_index(self.predicates.len());
        self.predicates.push(PredInfo {
            name: format!("{}@{pattern}", info.name),
            derived: true,
            closed: false,
            functional: false,
            reading: None,
            ..info.clone()
        });
        self.added.push(Some(pred));
        let magic = PredId::from_index(self.predicates.len());
        self.predicates.push(PredInfo {
            name: format!("magic@{}@{pattern}", info.name),
            slots: info
                .slots
                .iter()
                .enumerate()
                .filter(|(i, _)| bound_at(mask, *i))
                .map(|(_, s)| s.clone())
                .collect(),
            derived: true,
            closed: false,
            functional: false,
            reading: None,
            ..info.clone()
        });
        self.added.push(None);
        self.adorned.insert((pred, mask), (adorned, magic));
        self.todo.push((pred, mask));
        (adorned, magic)
    }

    /// Marks an original derived predicate as evaluated in full, with its own rules.
    fn need_full(&mut self, pred: PredId) {
        if self.derived.contains(&pred) && self.full.insert(pred) {
            self.full_todo.push(pred);
        }
    }

    /// The rules for `pred` asked with `mask` bound, rewritten, with their magic rules.
    fn rewrite_rules_of(&mut self, pred: PredId, mask: Mask) {
        let Some(&(adorned, magic)) = self.adorned.get(&(pred, mask)) else {
            return;
        };
        for rid in self.rules_of.get(&pred).cloned().unwrap_or_default() {
            let rule = self.program.rule(rid);
            let magic_atom = Formula::Atom(
                Atom {
                    pred: magic,
                    args: bound_args(&rule.head.args, mask),
                    span: rule.head.span,
                },
                0,
            );
            let mut bound: FxHashSet<VarId> = rule
                .head
                .args
                .iter()
                .enumerate()
                .filter(|(i, _)| bound_at(mask, *i))
                .filter_map(|(_, t)| t.var())
                .collect();
            let ordered = order_formula(&rule.body, &mut bound.clone());
            let mut prefix = vec![magic_atom.clone()];
            let body = self.rewrite(&ordered, rule, &mut bound, &mut prefix);
            let mut body = Formula::And(vec![magic_atom, body]);
            renumber(&mut body);
            self.push_rule(
                Rule {
                    name: format!("{}@{}", rule.name, self.predicates_name(adorned)),
                    head: Atom {
                        pred: adorned,
                        args: rule.head.args.clone(),
                        span: rule.head.span,
                    },
                    condition: body.clone(),
                    exceptions: Vec::new(),
                    body,
                    ..rule.clone()
                },
                true,
            );
        }
    }

    fn predicates_name(&self, pred: PredId) -> &str {
        self.predicates
            .get(pred.index())
            .map_or("?", |p| p.name.as_str())
    }

    /// `f` (a part of `rule`'s body, in evaluation order) with the derived atoms read
    /// positively replaced by their adorned copies, given `bound` bound and `prefix` (the
    /// conditions before it, the magic atom first) holding; `f` is added to `prefix` and what
    /// it binds to `bound`. Emits the magic rules of the atoms replaced.
    fn rewrite(
        &mut self,
        f: &Formula,
        rule: &Rule,
        bound: &mut FxHashSet<VarId>,
        prefix: &mut Vec<Formula>,
    ) -> Formula {
        match f {
            Formula::And(parts) => Formula::And(
                parts
                    .iter()
                    .map(|p| self.rewrite(p, rule, bound, prefix))
                    .collect(),
            ),
            Formula::Or(parts) => {
                // Each alternative sees the conditions before the `or`, not the others.
                let alts = alternatives(parts, bound, |p, b| {
                    let mut pre = prefix.clone();
                    self.rewrite(p, rule, b, &mut pre)
                });
                let out = Formula::Or(alts);
                prefix.push(out.clone());
                out
            }
            Formula::Not(inner, _) => {
                inner.walk(&mut |g, _| {
                    if let Formula::Atom(a, _) = g {
                        self.need_full(a.pred);
                    }
                });
                prefix.push(f.clone());
                f.clone()
            }
            Formula::Atom(a, occ) => {
                let mask = a
                    .args
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| *i < 32 && t.var().is_none_or(|v| bound.contains(&v)))
                    .fold(0 as Mask, |m, (i, _)| m | (1 << i));
                let out = if !self.derived.contains(&a.pred) {
                    f.clone()
                } else if mask == 0 {
                    self.need_full(a.pred);
                    f.clone()
                } else {
                    let (adorned, magic) = self.adorn(a.pred, mask);
                    let mut body = Formula::And(prefix.clone());
                    renumber(&mut body);
                    self.push_rule(
                        Rule {
                            name: format!("{}@{}", rule.name, self.predicates_name(magic)),
                            head: Atom {
                                pred: magic,
                                args: bound_args(&a.args, mask),
                                span: a.span,
                            },
                            condition: body.clone(),
                            exceptions: Vec::new(),
                            body,
                            ..rule.clone()
                        },
                        true,
                    );
                    Formula::Atom(
                        Atom {
                            pred: adorned,
                            args: a.args.clone(),
                            span: a.span,
                        },
                        *occ,
                    )
                };
                bound.extend(a.args.iter().filter_map(Term::var));
                prefix.push(out.clone());
                out
            }
            Formula::Compare { .. } => {
                *bound = crate::check::binds(f, bound);
                prefix.push(f.clone());
                f.clone()
            }
            Formula::Unsettled { .. } => {
                prefix.push(f.clone());
                f.clone()
            }
        }
    }
}

fn bound_at(mask: Mask, i: usize) -> bool {
    i < 32 && mask & (1 << i) != 0
}

/// The arguments at the slots `mask` marks bound (a magic atom's arguments).
fn bound_args(args: &[Term], mask: Mask) -> Vec<Term> {
    args.iter()
        .enumerate()
        .filter(|(i, _)| bound_at(mask, *i))
        .map(|(_, t)| *t)
        .collect()
}

/// Numbers the atoms of a body afresh, in order (occurrences identify scans for semi-naive
/// evaluation, so each must be unique within a rule).
fn renumber(f: &mut Formula) {
    fn go(f: &mut Formula, next: &mut u32) {
        match f {
            Formula::And(parts) | Formula::Or(parts) => {
                parts.iter_mut().for_each(|p| go(p, next));
            }
            Formula::Not(inner, _) => go(inner, next),
            Formula::Atom(_, occ) => {
                *occ = *next;
                *next = next.saturating_add(1);
            }
            Formula::Compare { .. } | Formula::Unsettled { .. } => {}
        }
    }
    let mut next = 0;
    go(f, &mut next);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate_with_base, prepare_base, Limits};
    use crate::{KnowledgeBase, Scenario, Truth};
    use std::sync::Arc;

    /// Same generation on a binary tree: `sg(X, Y)` when X and Y are at the same depth.
    const SAME_GENERATION: &str = r#"
        source sg "Same generation".
        type Node.
        predicate parent(p: Node, c: Node) closed means "p is the parent of c".
        predicate sg(x: Node, y: Node) means "x and y are of the same generation".
        rule siblings: sg(X, Y) if parent(P, X) and parent(P, Y) cites sg.
        rule cousins: sg(X, Y) if parent(A, X) and sg(A, B) and parent(B, Y) cites sg.
    "#;

    /// A tree of `depth` levels below the root `n1` (heap numbering: n2 and n3 are n1's
    /// children), with the parent links from `unknown_from` on stated unknown.
    fn tree(depth: u32, unknown_from: usize) -> String {
        let mut facts = String::new();
        for c in 2..(1usize << (depth + 1)) {
            let value = if c >= unknown_from { "unknown " } else { "" };
            facts.push_str(&format!("{value}parent(n{}, n{c}).\n", c / 2));
        }
        facts
    }

    fn same_answers(program: &Program, whole: &Model, s: &Scenario, pos: PosId, pred: PredId) {
        let base = s.shared_base().expect("base");
        let rows: Vec<Vec<Sym>> = whole.possible(pred).iter().map(|r| r.to_vec()).collect();
        // Atoms true or unknown, and as many false ones (a true atom's arguments reversed or
        // shifted), each asked with every argument given and with only the first.
        let mut questions: Vec<Vec<Sym>> = rows.iter().take(4).cloned().collect();
        for r in rows.iter().take(4) {
            let mut shifted = r.clone();
            shifted.rotate_left(1);
            questions.push(shifted);
        }
        for q in questions {
            for bound in [q.len(), 1] {
                let pattern: Vec<Option<Sym>> = q
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i < bound).then_some(*c))
                    .collect();
                let Some(demand) = Demand::new(program, pos, pred, &pattern) else {
                    panic!("{} is rewritten", program.predicate(pred).name);
                };
                let m = demand
                    .evaluate(&base, &[], Limits::default())
                    .expect("evaluates");
                let matching = |r: &[Sym]| {
                    r.iter()
                        .zip(&pattern)
                        .all(|(c, p)| p.is_none_or(|p| p == *c))
                };
                for r in whole.possible(pred).iter().filter(|r| matching(r)) {
                    assert_eq!(
                        m.value(demand.goal(), r),
                        whole.value(pred, r),
                        "{}{r:?} under {}",
                        program.predicate(pred).name,
                        program.position(pos).name
                    );
                }
                for r in m.possible(demand.goal()).iter().filter(|r| matching(r)) {
                    assert_eq!(m.value(demand.goal(), r), whole.value(pred, r));
                }
                assert_eq!(m.value(demand.goal(), &q), whole.value(pred, &q));
            }
        }
    }

    /// A question answered by the rewriting reaches only what its constants reach, and gets
    /// the whole evaluation's values, with facts true and unknown.
    #[test]
    fn same_generation_by_magic_sets() {
        let kb = KnowledgeBase::from_strings([("sg.opinio", SAME_GENERATION)]).expect("loads");
        for unknown_from in [usize::MAX, 40] {
            let mut s = Scenario::new(&kb);
            s.add_text("tree.opinio", &tree(6, unknown_from))
                .expect("checks");
            let program = kb.program();
            let pos = s.position_id(None).expect("default");
            let sg = program.predicate_id("sg").expect("sg");
            let whole = s.model(pos).expect("evaluates");
            same_answers(program, &whole, &s, pos, sg);
            // Two leaves of one generation, far apart: the rewriting derives a few hundred
            // atoms where the whole evaluation derives every pair of every generation.
            let sym = |n: &str| s.interner().get(n).expect("a node");
            let (a, b) = (sym("n64"), sym("n127"));
            let demand = Demand::new(program, pos, sg, &[Some(a), Some(b)]).expect("rewritten");
            let base = s.shared_base().expect("base");
            let m = demand
                .evaluate(&base, &[], Limits::default())
                .expect("evaluates");
            let expected = if unknown_from == usize::MAX {
                Truth::True
            } else {
                Truth::Unknown
            };
            assert_eq!(m.value(demand.goal(), &[a, b]), expected);
            assert_eq!(whole.value(sg, &[a, b]), expected);
            assert!(
                m.size() * 10 < whole.size(),
                "{} atoms by magic sets, {} in all",
                m.size(),
                whole.size()
            );
        }
    }

    /// Reachability and paths along a chain, asked about its ends: the rewriting puts a
    /// rule's own body inside the conjunction that reads the magic atom first, and in the
    /// later rounds each recursive atom must still be read first from its delta, and the
    /// magic atom last, as a test of membership. A fresh tester found the plans scanning the
    /// whole magic relation every round instead: a question about the end of a chain of
    /// 10,000 links took 12 s rewritten (0.06 s not), one about a path of 6,000 links 1.1 s.
    #[test]
    fn a_rewritten_recursive_rule_reads_its_delta_first_and_its_magic_atom_last() {
        let kb = KnowledgeBase::from_strings([(
            "chain.opinio",
            r#"
            source law "L".
            type N.
            predicate start(x: N) closed means "x is where it starts".
            predicate edge(x: N, y: N) closed means "x leads to y".
            predicate reach(x: N) means "x is reached".
            predicate path(x: N, y: N) means "a path leads from x to y".
            rule from_start: reach(X) if start(X) cites law "1".
            rule onwards: reach(Y) if reach(X) and edge(X, Y) cites law "2".
            rule step: path(X, Y) if edge(X, Y) cites law "3".
            rule steps: path(X, Z) if edge(X, Y) and path(Y, Z) cites law "4".
            "#,
        )])
        .expect("loads");
        let mut facts = String::from("start(n0).\n");
        for i in 0..40 {
            facts.push_str(&format!("edge(n{i}, n{}).\n", i + 1));
        }
        let mut s = Scenario::new(&kb);
        s.add_text("chain.opinio", &facts).expect("checks");
        let program = kb.program();
        let pos = s.position_id(None).expect("default");
        let node = |n: &str| s.interner().get(n).expect("a node");
        let reach = program.predicate_id("reach").expect("reach");
        let path = program.predicate_id("path").expect("path");
        for (pred, args) in [
            (reach, vec![Some(node("n40"))]),
            (path, vec![Some(node("n0")), Some(node("n40"))]),
        ] {
            let demand = Demand::new(program, pos, pred, &args).expect("rewritten");
            let mut recursive = 0;
            for (i, cr) in demand.compiled.rules.iter().enumerate() {
                let name = &demand.program.predicate(cr.head.pred).name;
                // A rewritten rule (not a magic one) reads its magic atom as occurrence 0.
                let magic_arity = match &demand.program.rule(RuleId::from_index(i)).body {
                    Formula::And(parts) if !name.starts_with("magic@") => match parts.first() {
                        Some(Formula::Atom(a, 0)) => Some(a.args.len()),
                        other => panic!("{name} reads its magic atom first: {other:?}"),
                    },
                    _ => None,
                };
                for ((occ, _), plan) in cr.recursive_occurrences.iter().zip(&cr.recursive_plans) {
                    recursive += 1;
                    assert_eq!(
                        super::super::fixpoint::first_scan(plan).map(|(_, o)| o),
                        Some(*occ),
                        "the plan of {name} for its recursive atom {occ}: {plan:?}"
                    );
                    if let Some(arity) = magic_arity.filter(|_| *occ != 0) {
                        assert_eq!(
                            super::super::plan::scan_mask(plan, 0),
                            Some((1 << arity) - 1),
                            "{name} reads its magic atom last, every argument bound: {plan:?}"
                        );
                    }
                }
            }
            assert!(recursive >= 2, "{recursive} recursive atoms");
            let base = s.shared_base().expect("base");
            let m = demand
                .evaluate(&base, &[], Limits::default())
                .expect("evaluates");
            let ground: Vec<Sym> = args.iter().flatten().copied().collect();
            assert_eq!(m.value(demand.goal(), &ground), Truth::True);
        }
    }

    /// On NotPetya, under every law of the bundled knowledge base, every derived predicate's
    /// questions with constants get the whole evaluation's values by the rewriting.
    #[test]
    fn the_bundled_law_by_magic_sets_on_notpetya() {
        let kb = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
        let mut s = Scenario::new(&kb);
        s.add_text(
            "notpetya.opinio",
            include_str!("../../tests/scenarios/notpetya.opinio"),
        )
        .expect("the scenario checks");
        let program = kb.program();
        let base = Arc::new(
            prepare_base(program, &s.fact_set(), kb.masks(), Limits::default()).expect("base"),
        );
        let mut laws: FxHashSet<(PredId, crate::eval::LawSignature)> = FxHashSet::default();
        let mut rewritten = 0;
        for i in 0..program.positions.len() {
            let pos = PosId::from_index(i);
            let compiled = compile(program, pos);
            let whole = evaluate_with_base(program, &compiled, base.clone(), Limits::default())
                .expect("evaluates");
            for (j, info) in program.predicates.iter().enumerate() {
                let pred = PredId::from_index(j);
                if !info.derived || info.arity() == 0 || whole.possible(pred).is_empty() {
                    continue;
                }
                if !laws.insert((pred, crate::eval::law_signature(program, pos, &[pred]))) {
                    continue;
                }
                same_answers(program, &whole, &s, pos, pred);
                rewritten += 1;
            }
        }
        assert!(rewritten > 100, "{rewritten} predicates and laws asked");
        // The rewriting leaves out the rules a question does not reach.
        let pos = s.position_id(Some("tallinn2")).expect("tallinn2");
        let vs = program
            .predicate_id("violates_sovereignty")
            .expect("declared");
        let sym = |n: &str| s.interner().get(n).expect("a constant");
        let demand = Demand::new(
            program,
            pos,
            vs,
            &[Some(sym("notpetya")), Some(sym("ukraine"))],
        )
        .expect("rewritten");
        assert!(demand.rule_count() < program.position(pos).rules.len());
    }
}
