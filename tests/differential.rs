//! Property tests of the evaluator on generated programs and scenarios:
//! - differential: the evaluator agrees on every atom with a deliberately naive reference
//!   evaluator (below), which grounds every rule over the whole domain and iterates strong
//!   Kleene logic to a fixpoint, stratum by stratum;
//! - knowledge monotonicity: replacing an `unknown` base fact by `true` or `false` never flips
//!   another atom between `true` and `false`;
//! - determinism: the same input gives the same answers in the same order;
//! - explanations: every "would settle it" set really settles the goal.

use opinio::check::program::*;
use opinio::{KnowledgeBase, Scenario, Truth};
use proptest::prelude::*;
use std::collections::HashMap;

// ============================================================================ the reference

fn kleene_and(a: Truth, b: Truth) -> Truth {
    use Truth::*;
    match (a, b) {
        (False, _) | (_, False) => False,
        (True, True) => True,
        _ => Unknown,
    }
}

fn kleene_or(a: Truth, b: Truth) -> Truth {
    use Truth::*;
    match (a, b) {
        (True, _) | (_, True) => True,
        (False, False) => False,
        _ => Unknown,
    }
}

fn kleene_not(a: Truth) -> Truth {
    match a {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

fn rank(v: Truth) -> u8 {
    match v {
        Truth::False => 0,
        Truth::Unknown => 1,
        Truth::True => 2,
    }
}

/// A naive three-valued evaluator: ground everything, iterate to a fixpoint.
struct Reference<'a> {
    program: &'a Program,
    position: PosId,
    domains: Vec<Vec<Sym>>,
    stated: HashMap<(PredId, Vec<Sym>), Truth>,
    derived: HashMap<(PredId, Vec<Sym>), Truth>,
}

impl<'a> Reference<'a> {
    fn new(
        program: &'a Program,
        position: PosId,
        facts: &[GroundFact],
        scenario_types: &[(Sym, TypeId)],
    ) -> Self {
        let mut stated = HashMap::new();
        for f in program.facts.iter().chain(facts) {
            stated.insert((f.pred, f.args.to_vec()), f.value);
        }
        let mut domains = vec![Vec::new(); program.types.len()];
        for (i, t) in program.types.iter().enumerate() {
            domains[i] = match &t.kind {
                TypeKind::Enumerated { values, .. } => values.clone(),
                TypeKind::Open => {
                    let mut d: Vec<Sym> = program
                        .constant_types
                        .iter()
                        .map(|(s, (ty, _))| (*s, *ty))
                        .chain(scenario_types.iter().copied())
                        .filter(|(_, ty)| ty.index() == i)
                        .map(|(s, _)| s)
                        .collect();
                    d.sort();
                    d.dedup();
                    d
                }
                TypeKind::From(p) => {
                    let mut d: Vec<Sym> = stated
                        .iter()
                        .filter(|((q, _), v)| q == p && **v == Truth::True)
                        .filter_map(|((_, args), _)| args.first().copied())
                        .collect();
                    d.sort();
                    d.dedup();
                    d
                }
            };
        }
        Reference {
            program,
            position,
            domains,
            stated,
            derived: HashMap::new(),
        }
    }

    fn base_value(&self, pred: PredId, args: &[Sym]) -> Truth {
        if let Some(v) = self.stated.get(&(pred, args.to_vec())) {
            return *v;
        }
        let info = self.program.predicate(pred);
        if info.closed {
            return Truth::False;
        }
        if info.functional {
            let n = args.len();
            let pinned = self.stated.iter().any(|((q, a), v)| {
                *q == pred && *v == Truth::True && a.len() == n && a[..n - 1] == args[..n - 1]
            });
            if pinned {
                return Truth::False;
            }
        }
        Truth::Unknown
    }

    fn value(&self, pred: PredId, args: &[Sym]) -> Truth {
        let info = self.program.predicate(pred);
        if info.derived {
            if let Some(v) = self.stated.get(&(pred, args.to_vec())) {
                return *v; // a stipulation
            }
            self.derived
                .get(&(pred, args.to_vec()))
                .copied()
                .unwrap_or(Truth::False)
        } else {
            self.base_value(pred, args)
        }
    }

    fn term(&self, t: &Term, env: &HashMap<VarId, Sym>) -> Sym {
        match t {
            Term::Const(c) => *c,
            Term::Var(v) => env[v],
        }
    }

    /// Every assignment of `vars` over their domains.
    fn assignments(
        &self,
        vars: &[(VarId, TypeId)],
        env: &HashMap<VarId, Sym>,
        f: &mut dyn FnMut(&HashMap<VarId, Sym>),
    ) {
        match vars.split_first() {
            None => f(env),
            Some(((v, ty), rest)) => {
                for c in &self.domains[ty.index()] {
                    let mut e = env.clone();
                    e.insert(*v, *c);
                    self.assignments(rest, &e, f);
                }
            }
        }
    }

    fn kleene(&self, f: &Formula, env: &HashMap<VarId, Sym>, rule: &Rule) -> Truth {
        match f {
            Formula::And(parts) => parts.iter().fold(Truth::True, |acc, p| {
                kleene_and(acc, self.kleene(p, env, rule))
            }),
            Formula::Or(parts) => parts.iter().fold(Truth::False, |acc, p| {
                kleene_or(acc, self.kleene(p, env, rule))
            }),
            Formula::Not(inner, locals) => {
                let vars: Vec<(VarId, TypeId)> = locals
                    .iter()
                    .map(|v| (*v, rule.vars[v.index()].ty.expect("typed")))
                    .collect();
                let mut some = Truth::False;
                self.assignments(&vars, env, &mut |e| {
                    some = kleene_or(some, self.kleene(inner, e, rule));
                });
                kleene_not(some)
            }
            Formula::Atom(a, _) => {
                let args: Vec<Sym> = a.args.iter().map(|t| self.term(t, env)).collect();
                self.value(a.pred, &args)
            }
            Formula::Compare {
                left, op, right, ..
            } => {
                let (l, r) = (self.term(left, env), self.term(right, env));
                let holds = match op {
                    opinio::syntax::ast::CmpOp::Eq => l == r,
                    opinio::syntax::ast::CmpOp::Ne => l != r,
                    other => {
                        let rk = |s: Sym| self.program.types.iter().find_map(|t| t.rank(s));
                        let (a, b) = (rk(l).expect("ordered"), rk(r).expect("ordered"));
                        match other {
                            opinio::syntax::ast::CmpOp::Lt => a < b,
                            opinio::syntax::ast::CmpOp::Le => a <= b,
                            opinio::syntax::ast::CmpOp::Gt => a > b,
                            _ => a >= b,
                        }
                    }
                };
                if holds {
                    Truth::True
                } else {
                    Truth::False
                }
            }
            Formula::Unsettled { point, .. } => {
                match self.program.position(self.position).settlements.get(point) {
                    Some(s) if s.value => Truth::True,
                    Some(_) => Truth::False,
                    None => Truth::Unknown,
                }
            }
        }
    }

    fn run(&mut self) {
        let pos = self.program.position(self.position);
        for stratum in &pos.strata {
            loop {
                let mut changed = false;
                for rid in &pos.rules {
                    let rule = self.program.rule(*rid);
                    if !stratum.contains(&rule.head.pred) {
                        continue;
                    }
                    // Variables outside every `not`: the rest are enumerated inside.
                    let mut locals = Vec::new();
                    collect_locals(&rule.body, &mut locals);
                    let vars: Vec<(VarId, TypeId)> = (0..rule.vars.len())
                        .map(VarId::from_index)
                        .filter(|v| !locals.contains(v))
                        .map(|v| (v, rule.vars[v.index()].ty.expect("typed")))
                        .collect();
                    let mut updates = Vec::new();
                    self.assignments(&vars, &HashMap::new(), &mut |env| {
                        let v = self.kleene(&rule.body, env, rule);
                        if v != Truth::False {
                            let head: Vec<Sym> =
                                rule.head.args.iter().map(|t| self.term(t, env)).collect();
                            updates.push((head, v));
                        }
                    });
                    for (head, v) in updates {
                        let key = (rule.head.pred, head);
                        if self.stated.contains_key(&key) {
                            continue;
                        }
                        let old = self.derived.get(&key).copied().unwrap_or(Truth::False);
                        if rank(v) > rank(old) {
                            self.derived.insert(key, v);
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
        }
    }
}

fn collect_locals(f: &Formula, out: &mut Vec<VarId>) {
    match f {
        Formula::And(v) | Formula::Or(v) => v.iter().for_each(|x| collect_locals(x, out)),
        Formula::Not(inner, locals) => {
            out.extend(locals.iter().copied());
            collect_locals(inner, out);
        }
        _ => {}
    }
}

// ============================================================================ generators

const HEADER: &str = r#"
source s "A source".
type Thing.
type Level = low < mid < high.
"#;

#[derive(Debug, Clone)]
struct Generated {
    program: String,
    scenario: String,
}

fn thing_term() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop_oneof![Just("X"), Just("Y"), Just("Z")].prop_map(String::from),
        1 => (0..4u8).prop_map(|i| format!("c{i}")),
    ]
}

/// A positive atom usable in the body of a rule for derived predicate `level`.
fn positive_atom(level: usize) -> BoxedStrategy<String> {
    let mut options: Vec<BoxedStrategy<String>> = vec![
        thing_term().prop_map(|a| format!("b0({a})")).boxed(),
        (thing_term(), thing_term())
            .prop_map(|(a, b)| format!("b1({a}, {b})"))
            .boxed(),
        thing_term().prop_map(|a| format!("b2({a}, L)")).boxed(),
    ];
    for j in 0..=level {
        options.push(match j % 2 {
            0 => thing_term().prop_map(move |a| format!("d{j}({a})")).boxed(),
            _ => (thing_term(), thing_term())
                .prop_map(move |(a, b)| format!("d{j}({a}, {b})"))
                .boxed(),
        });
    }
    proptest::strategy::Union::new(options).boxed()
}

/// A literal for a negation: base predicates or strictly lower derived ones; `W` is local.
fn negated_atom(level: usize) -> BoxedStrategy<String> {
    let t = || prop_oneof![thing_term(), Just("W".to_string())];
    let mut options: Vec<BoxedStrategy<String>> = vec![
        t().prop_map(|a| format!("b0({a})")).boxed(),
        (t(), t())
            .prop_map(|(a, b)| format!("b1({a}, {b})"))
            .boxed(),
    ];
    for j in 0..level {
        options.push(match j % 2 {
            0 => t().prop_map(move |a| format!("d{j}({a})")).boxed(),
            _ => (t(), t())
                .prop_map(move |(a, b)| format!("d{j}({a}, {b})"))
                .boxed(),
        });
    }
    proptest::strategy::Union::new(options).boxed()
}

fn vars_of(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| matches!(*w, "X" | "Y" | "Z" | "L"))
        .map(String::from)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn rule(level: usize, index: usize) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(positive_atom(level), 1..=3),
        proptest::collection::vec(negated_atom(level), 0..=2),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(negated_atom(level)),
        any::<bool>(),
    )
        .prop_map(move |(pos, negs, ne, cmp, unsettled, unless, or_branch)| {
            let positive = pos.join(" and ");
            let bound = vars_of(&positive);
            let things: Vec<&String> = bound.iter().filter(|v| v.as_str() != "L").collect();
            let arg = |i: usize| -> String {
                things
                    .get(i % things.len().max(1))
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "c0".to_string())
            };
            let head = if level % 2 == 0 {
                format!("d{level}({})", arg(0))
            } else {
                format!("d{level}({}, {})", arg(0), arg(1))
            };
            // Negated literals may only use bound variables or the local `W`.
            let ok_neg = |n: &String| vars_of(n).iter().all(|v| bound.contains(v));
            let mut body = positive.clone();
            for n in negs.iter().filter(|n| ok_neg(n)) {
                body.push_str(&format!(" and not {n}"));
            }
            if ne && things.len() >= 2 {
                body.push_str(&format!(" and {} != {}", things[0], things[1]));
            }
            if cmp && bound.iter().any(|v| v == "L") {
                body.push_str(" and L >= mid");
            }
            if unsettled {
                body.push_str(" and unsettled(pt, \"the experts split\")");
            }
            if or_branch {
                // A second way to the same head: the same positive part with a twist.
                body = format!("({body}) or ({positive} and b0(c1))");
            }
            let mut text = format!("rule r{level}_{index}: {head} if {body}");
            if let Some(u) = unless.filter(ok_neg) {
                text.push_str(&format!(" unless {u}"));
            }
            text.push_str(" cites s.\n");
            text
        })
}

fn fact_value() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just("not "), Just("unknown ")]
}

fn generated() -> impl Strategy<Value = Generated> {
    let markers = (any::<bool>(), any::<bool>());
    let rules = (
        proptest::collection::vec(rule(0, 0), 1..=2),
        proptest::collection::vec(rule(1, 0), 1..=2),
        proptest::collection::vec(rule(2, 0), 1..=2),
    );
    let facts = (
        proptest::collection::vec((fact_value(), 0..4u8), 0..6),
        proptest::collection::vec((fact_value(), 0..4u8, 0..4u8), 0..8),
        proptest::collection::vec((0..4u8, 0..3u8, any::<bool>()), 0..4),
        proptest::option::of((fact_value(), 0..4u8)),
    );
    (markers, rules, facts, any::<bool>()).prop_map(
        |((b0_closed, b1_closed), (r0, r1, r2), (f0, f1, f2, stip), settle)| {
            let mut p = String::from(HEADER);
            p.push_str(&format!(
                "predicate b0(x: Thing){} means \"b0\".\n",
                if b0_closed { " closed" } else { "" }
            ));
            p.push_str(&format!(
                "predicate b1(x: Thing, y: Thing){} means \"b1\".\n",
                if b1_closed { " closed" } else { "" }
            ));
            p.push_str("predicate b2(x: Thing, l: Level) functional means \"b2\".\n");
            p.push_str("predicate d0(x: Thing) means \"d0\".\n");
            p.push_str("predicate d1(x: Thing, y: Thing) means \"d1\".\n");
            p.push_str("predicate d2(x: Thing) means \"d2\".\n");
            p.push_str("position base default cites s.\n");
            let all_rules: Vec<String> = r0
                .into_iter()
                .chain(r1)
                .chain(r2)
                .enumerate()
                .map(|(i, r)| r.replacen(": ", &format!("_{i}: "), 1))
                .collect();
            for r in &all_rules {
                p.push_str(r);
            }
            let pt_used = all_rules.iter().any(|r| r.contains("unsettled"));
            if pt_used {
                p.push_str(&format!(
                    "position alt cites s {{ settle pt = {settle} cites s. }}\n"
                ));
            }
            // Every constant appears, so the domain is always c0..c3.
            let mut s = String::from("b1(c0, c1). b1(c2, c3).\n");
            let mut seen = std::collections::HashSet::new();
            seen.insert("b1(c0, c1)".to_string());
            seen.insert("b1(c2, c3)".to_string());
            for (v, a) in f0 {
                let atom = format!("b0(c{a})");
                if seen.insert(atom.clone()) {
                    s.push_str(&format!("{v}{atom}.\n"));
                }
            }
            for (v, a, b) in f1 {
                let atom = format!("b1(c{a}, c{b})");
                if seen.insert(atom.clone()) {
                    s.push_str(&format!("{v}{atom}.\n"));
                }
            }
            let levels = ["low", "mid", "high"];
            let mut pinned = std::collections::HashSet::new();
            for (a, l, unknown) in f2 {
                if unknown {
                    let atom = format!("b2(c{a}, {})", levels[l as usize]);
                    if seen.insert(atom.clone()) {
                        s.push_str(&format!("unknown {atom}.\n"));
                    }
                } else if pinned.insert(a) {
                    let atom = format!("b2(c{a}, {})", levels[l as usize]);
                    if seen.insert(atom.clone()) {
                        s.push_str(&format!("{atom}.\n"));
                    }
                }
            }
            if let Some((v, a)) = stip {
                s.push_str(&format!("{v}d0(c{a}).\n"));
            }
            Generated {
                program: p,
                scenario: s,
            }
        },
    )
}

fn load(g: &Generated) -> (KnowledgeBase, Scenario) {
    let kb = match KnowledgeBase::from_strings([("gen.opinio", g.program.clone())]) {
        Ok(kb) => kb,
        Err(e) => panic!("generated program rejected:\n{}\n{}", g.program, e.render()),
    };
    let mut s = Scenario::new(&kb);
    if let Err(e) = s.add_text("gen-scenario.opinio", &g.scenario) {
        panic!(
            "generated scenario rejected:\n{}\n{}",
            g.scenario,
            e.render()
        );
    }
    (kb, s)
}

/// Every ground atom of every predicate, over the scenario's domains.
fn all_atoms(program: &Program, s: &Scenario) -> Vec<(PredId, Tuple)> {
    let fs = s.fact_set();
    let mut out = Vec::new();
    for (i, p) in program.predicates.iter().enumerate() {
        let mut tuples: Vec<Tuple> = vec![Tuple::new()];
        for slot in &p.slots {
            let dom = &fs.domains[slot.ty.index()];
            tuples = tuples
                .into_iter()
                .flat_map(|t| {
                    dom.iter().map(move |c| {
                        let mut t2 = t.clone();
                        t2.push(*c);
                        t2
                    })
                })
                .collect();
        }
        for t in tuples {
            out.push((PredId::from_index(i), t));
        }
    }
    out
}

fn scenario_types(s: &Scenario) -> Vec<(Sym, TypeId)> {
    let program = s.program();
    let mut out = Vec::new();
    for f in s.facts() {
        for (a, slot) in f.args.iter().zip(&program.predicate(f.pred).slots) {
            if matches!(
                program.type_info(slot.ty).kind,
                TypeKind::Open | TypeKind::From(_)
            ) {
                out.push((*a, slot.ty));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn evaluator_agrees_with_the_naive_reference(g in generated()) {
        let (kb, s) = load(&g);
        let program = kb.program();
        for (i, _) in program.positions.iter().enumerate() {
            let pos = PosId::from_index(i);
            let model = s.model(pos).expect("evaluates");
            let mut reference = Reference::new(program, pos, s.facts(), &scenario_types(&s));
            reference.run();
            for (pred, args) in all_atoms(program, &s) {
                let got = model.value(pred, &args);
                let want = reference.value(pred, &args);
                prop_assert_eq!(
                    got, want,
                    "{} under {}\nprogram:\n{}\nscenario:\n{}",
                    program.atom_text(pred, &args, s.interner()),
                    program.position(pos).name, g.program, g.scenario
                );
            }
        }
    }

    #[test]
    fn knowing_more_never_flips_true_and_false(g in generated(), pick in any::<prop::sample::Index>(), to_true in any::<bool>()) {
        let (kb, s) = load(&g);
        let program = kb.program();
        let pos = PosId::from_index(0);
        let before = s.model(pos).expect("evaluates");
        let unknown_base: Vec<(PredId, Tuple)> = all_atoms(program, &s)
            .into_iter()
            .filter(|(p, a)| !program.predicate(*p).derived && before.value(*p, a) == Truth::Unknown)
            .collect();
        prop_assume!(!unknown_base.is_empty());
        let (pred, args) = pick.get(&unknown_base).clone();
        let v = if to_true { Truth::True } else { Truth::False };
        // Functional predicates: a new true value must not clash with a stated one.
        let after = s.what_if(pos, &[(pred, args.clone(), v)]).expect("evaluates");
        for (p, a) in all_atoms(program, &s) {
            let (x, y) = (before.value(p, &a), after.value(p, &a));
            if x != Truth::Unknown {
                prop_assert_eq!(x, y, "{} flipped after setting {} to {:?}\n{}\n{}",
                    program.atom_text(p, &a, s.interner()),
                    program.atom_text(pred, &args, s.interner()), v, g.program, g.scenario);
            }
        }
    }

    #[test]
    fn answers_are_deterministic(g in generated()) {
        let (_, s1) = load(&g);
        let (_, s2) = load(&g);
        for goal in ["d0(X)", "d1(X, Y)", "d2(X)", "b1(X, Y)"] {
            let a = s1.query(goal, None).expect("answers");
            let b = s2.query(goal, None).expect("answers");
            prop_assert_eq!(
                serde_json::to_string(&a.answers).expect("json"),
                serde_json::to_string(&b.answers).expect("json")
            );
        }
    }

    #[test]
    fn settle_sets_really_settle(g in generated()) {
        let (kb, s) = load(&g);
        let program = kb.program();
        let pos = PosId::from_index(0);
        let model = s.model(pos).expect("evaluates");
        for (pred, args) in all_atoms(program, &s) {
            if !program.predicate(pred).derived || model.value(pred, &args) != Truth::Unknown {
                continue;
            }
            let ex = opinio::explain::explain(&s, &model, pred, &args);
            for (sets, want) in [(&ex.would_make_true, Truth::True), (&ex.would_make_false, Truth::False)] {
                for set in sets {
                    let changes: Vec<(PredId, Tuple, Truth)> = set
                        .iter()
                        .map(|fv| {
                            let (a, _) = s.parse_goal(&fv.atom).expect("a ground atom");
                            let t: Tuple = a.args.iter().map(|t| match t { Term::Const(c) => *c, Term::Var(_) => unreachable!() }).collect();
                            (a.pred, t, fv.value)
                        })
                        .collect();
                    let m = s.what_if(pos, &changes).expect("evaluates");
                    prop_assert_eq!(m.value(pred, &args), want, "{:?} does not settle {}", set, ex.atom);
                }
            }
            if ex.cannot_be_settled_by_facts_alone {
                prop_assert!(!ex.unsettled_points.is_empty(), "no open point, yet facts cannot settle {}", ex.atom);
            }
        }
    }
}
