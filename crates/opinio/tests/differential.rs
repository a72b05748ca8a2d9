//! Property tests of the whole engine on generated programs:
//! - **differential**: for every generated program, every position and every ground atom over
//!   the domains, the engine's answer (asked through the public API, as a table and atom by
//!   atom) equals the answer of a deliberately naive reference evaluator,
//!   [`reference`](reference/mod.rs), which shares nothing with the engine but the parser:
//!   it resolves positions, computes domains, stratifies, grounds and iterates strong Kleene
//!   logic on its own. Both must also agree on which programs are rejected (recursion through
//!   negation, edits of rules not in force, ...), and on every `expect` statement;
//! - **coverage**: over 1,000 generated programs, every construct of the grammar (and every
//!   semantic situation listed in `CONSTRUCTS`) appears at least once;
//! - knowledge monotonicity: replacing an `unknown` base fact by `true` or `false` never flips
//!   another atom between `true` and `false`;
//! - determinism: the same input gives the same answers in the same order;
//! - explanations: every "would settle it" set really settles the goal.
//!
//! The programs come from a generator driven by a list of numbers (each decision reads the
//! next one; 0, and running out, mean "the simplest choice"): proptest shrinks the numbers,
//! then `minimize` cuts the program down statement by statement, conjunct by conjunct, as long
//! as the disagreement stays the same. The report prints the program in full (its files, each
//! after a `----- NAME` line), each position, atom and both values; save it in a file F and
//! `OPINIO_PROGRAM=F cargo test --test differential replay -- --ignored --nocapture` replays
//! it.
//!
//! The CI share is 256 programs (about 15 s in a debug build). The long run, 10,000 programs
//! (about a minute in a release build), is
//!
//! ```text
//! cargo test --release --test differential -- --ignored
//! ```
//!
//! with `OPINIO_DIFFERENTIAL_CASES=N` for another number, and `OPINIO_DIFFERENTIAL_SURVEY=1`
//! to go on past the first disagreement and print every distinct one, cut down.

mod reference;

use opinio::program::{PosId, PredId, Program, Term, Tuple, TypeKind};
use opinio::syntax::ast;
use opinio::{KnowledgeBase, Scenario, Truth};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use reference::{atom_text, Reference};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

// ============================================================================ choices

/// The generator's source of decisions. Every decision reads one number; when the numbers run
/// out every decision is 0, the simplest choice, so shrinking the list simplifies the program.
struct Choices<'a> {
    data: &'a [u16],
    at: usize,
}

impl Choices<'_> {
    fn next(&mut self) -> u32 {
        let v = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        u32::from(v)
    }

    /// A number in `0..n` (0 for n <= 1).
    fn below(&mut self, n: usize) -> usize {
        let v = self.next() as usize;
        if n <= 1 {
            0
        } else {
            v % n
        }
    }

    /// `true` with the given percentage (never on a 0).
    fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 >= 100 - percent
    }

    /// An index, with the given weights (0 on a 0).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.next() % total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        unreachable!()
    }

    fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.below(items.len())]
    }
}

fn choices() -> impl Strategy<Value = Vec<u16>> {
    proptest::collection::vec(any::<u16>(), 0..1500)
}

// ============================================================================ vocabulary

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ty {
    Thing,
    Org,
    Level,
    Color,
    Date,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Thing => "Thing",
            Ty::Org => "Org",
            Ty::Level => "Level",
            Ty::Color => "Color",
            Ty::Date => "Date",
        }
    }

    /// Named variables of this type used outside negations (and inside them).
    fn vars(self) -> &'static [&'static str] {
        match self {
            Ty::Thing => &["X", "Y", "Z"],
            Ty::Org => &["O"],
            Ty::Level => &["L"],
            Ty::Color => &["K"],
            Ty::Date => &["D", "E"],
        }
    }

    /// A variable name used only inside negations: local to them.
    fn local(self) -> &'static str {
        match self {
            Ty::Thing => "W",
            Ty::Org => "Q",
            Ty::Level => "N",
            Ty::Color => "J",
            Ty::Date => "F",
        }
    }

    fn of_var(v: &str) -> Ty {
        match v {
            "X" | "Y" | "Z" | "W" => Ty::Thing,
            "O" | "Q" => Ty::Org,
            "L" | "N" => Ty::Level,
            "D" | "E" | "F" => Ty::Date,
            _ => Ty::Color,
        }
    }
}

/// Up to six things; `"Big Co"` needs quotes, `low` is also a value of two enumerations.
const THINGS: [&str; 6] = ["c0", "c1", "c2", "c3", "Big Co", "low"];
const ORGS: [&str; 3] = ["o1", "o2", "o3"];
const LEVELS: [&str; 3] = ["low", "mid", "high"];
const COLORS: [&str; 3] = ["red", "green", "low"];
const POINTS: [&str; 2] = ["pt0", "pt1"];
/// The dates facts state: different years and months, two in one year.
const DATES: [&str; 4] = ["2016-11-10", "2017-02-28", "2017-06-27", "2022-05-19"];
/// Dates only rules write (a day before a stated one, a leap day): they join the domain too.
const RULE_DATES: [&str; 2] = ["2017-06-26", "2020-02-29"];
/// Dates `dated` writes (sources, positions; the first two nowhere else): they name no value.
const DATED: [&str; 3] = ["2018-05-23", "2012-09-18", "2017-06-27"];
/// Dates that do not exist, or are written another way: rejected (`bad_date`).
const BAD_DATES: [&str; 4] = ["2017-02-30", "2019-13-01", "2021-02-29", "2017-6-27"];
/// Whether `unverified` may name a point that only a rule of a position raises. The engine once
/// checked such a name against the points met so far, refusing a point raised later in the block
/// or in a position checked later (see `small_programs_that_once_disagreed`); it now accepts any
/// point some rule raises, as `settle` does. `false` would restrict the generator to points of
/// top-level rules.
const UNVERIFIED_POINTS_RAISED_ANYWHERE: bool = true;

#[derive(Debug, Clone)]
struct Pred {
    name: String,
    slots: Vec<Ty>,
    derived: bool,
    /// Derived predicates: rules read positively the same or lower groups, negatively only
    /// lower ones, so that every mix of rules stratifies (wild programs break this on purpose).
    group: usize,
    closed: bool,
    functional: bool,
}

// ============================================================================ formulas

#[derive(Debug, Clone, PartialEq)]
enum GT {
    Var(String),
    Const(String, bool), // the name, and whether to write it quoted
}

#[derive(Debug, Clone)]
enum GF {
    And(Vec<GF>),
    Or(Vec<GF>),
    Not(Box<GF>),
    Group(Box<GF>),
    Atom(String, Vec<GT>),
    Cmp(GT, &'static str, GT),
    Unsettled(&'static str),
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Top,
    And,
    Or,
    Not,
}

fn term_text(t: &GT) -> String {
    match t {
        GT::Var(v) => v.clone(),
        GT::Const(c, true) => format!("\"{c}\""),
        GT::Const(c, false) => reference::constant_text(c),
    }
}

fn render(f: &GF, ctx: Ctx) -> String {
    match f {
        GF::And(parts) => {
            let s = parts
                .iter()
                .map(|p| render(p, Ctx::And))
                .collect::<Vec<_>>()
                .join(" and ");
            if ctx == Ctx::Not {
                format!("({s})")
            } else {
                s
            }
        }
        GF::Or(parts) => {
            let s = parts
                .iter()
                .map(|p| render(p, Ctx::Or))
                .collect::<Vec<_>>()
                .join(" or ");
            if matches!(ctx, Ctx::And | Ctx::Not | Ctx::Or) {
                format!("({s})")
            } else {
                s
            }
        }
        GF::Not(inner) => format!("not {}", render(inner, Ctx::Not)),
        GF::Group(inner) => format!("({})", render(inner, Ctx::Top)),
        GF::Atom(p, args) => {
            let a: Vec<String> = args.iter().map(term_text).collect();
            format!("{p}({})", a.join(", "))
        }
        GF::Cmp(l, op, r) => format!("{} {op} {}", term_text(l), term_text(r)),
        GF::Unsettled(pt) => format!("unsettled({pt}, \"the experts split on {pt}\")"),
    }
}

/// The named variables a formula binds when it holds (docs/language.md §8).
fn bound(f: &GF) -> BTreeSet<String> {
    match f {
        GF::Atom(_, args) => args
            .iter()
            .filter_map(|t| match t {
                GT::Var(v) if v != "_" => Some(v.clone()),
                _ => None,
            })
            .collect(),
        GF::Cmp(GT::Var(v), "=", GT::Const(..)) => BTreeSet::from([v.clone()]),
        GF::And(parts) => {
            let mut s: BTreeSet<String> = parts.iter().flat_map(bound).collect();
            loop {
                let mut grew = false;
                for p in parts {
                    if let GF::Cmp(GT::Var(a), "=", GT::Var(b)) = p {
                        if s.contains(a) && s.insert(b.clone())
                            || s.contains(b) && s.insert(a.clone())
                        {
                            grew = true;
                        }
                    }
                }
                if !grew {
                    break s;
                }
            }
        }
        GF::Or(parts) => {
            let mut it = parts.iter().map(bound);
            let first = it.next().unwrap_or_default();
            it.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
        }
        GF::Group(inner) => bound(inner),
        GF::Cmp(..) | GF::Not(_) | GF::Unsettled(_) => BTreeSet::new(),
    }
}

/// How many alternatives a formula spreads into (negations count as one literal).
fn alternatives(f: &GF) -> usize {
    match f {
        GF::And(v) => v.iter().map(alternatives).product(),
        GF::Or(v) => v.iter().map(alternatives).sum(),
        GF::Group(x) => alternatives(x),
        GF::Not(_) | GF::Atom(..) | GF::Cmp(..) | GF::Unsettled(_) => 1,
    }
}

/// The alternatives of a formula (`and` and `or` spread out): conjunctions of atoms,
/// comparisons, points and negations.
fn spread(f: &GF) -> Vec<Vec<&GF>> {
    match f {
        GF::Or(parts) => parts.iter().flat_map(spread).collect(),
        GF::And(parts) => parts.iter().fold(vec![Vec::new()], |acc, p| {
            let tails = spread(p);
            acc.iter()
                .flat_map(|a| {
                    tails.iter().map(move |b| {
                        let mut c = a.clone();
                        c.extend(b.iter().copied());
                        c
                    })
                })
                .collect()
        }),
        GF::Group(x) => spread(x),
        literal => vec![vec![literal]],
    }
}

/// Every named variable of a formula.
fn named_vars(f: &GF, out: &mut BTreeSet<String>) {
    let mut term = |t: &GT| {
        if let GT::Var(v) = t {
            if v != "_" {
                out.insert(v.clone());
            }
        }
    };
    match f {
        GF::And(v) | GF::Or(v) => v.iter().for_each(|x| named_vars(x, out)),
        GF::Not(x) | GF::Group(x) => named_vars(x, out),
        GF::Atom(_, args) => args.iter().for_each(term),
        GF::Cmp(l, _, r) => {
            term(l);
            term(r);
        }
        GF::Unsettled(_) => {}
    }
}

/// Whether a variable not `bound` from outside is given a value by one alternative (outside
/// its negations) and read only inside negations by another, here or inside a negation: a
/// rule the checker rejects (`unsafe_variable`), as the reference does.
fn mixed(alternatives: &[Vec<&GF>], bound: &BTreeSet<String>) -> bool {
    let split = |alt: &[&GF]| {
        let (mut outside, mut negated) = (BTreeSet::new(), BTreeSet::new());
        for literal in alt {
            match literal {
                GF::Not(_) => named_vars(literal, &mut negated),
                other => named_vars(other, &mut outside),
            }
        }
        (outside, negated)
    };
    let splits: Vec<_> = alternatives.iter().map(|a| split(a)).collect();
    let mut all = BTreeSet::new();
    for (o, n) in &splits {
        all.extend(o.iter().cloned());
        all.extend(n.iter().cloned());
    }
    let clash = all.difference(bound).any(|v| {
        splits.iter().any(|(o, _)| o.contains(v))
            && splits.iter().any(|(o, n)| n.contains(v) && !o.contains(v))
    });
    clash
        || alternatives.iter().zip(&splits).any(|(alt, (outside, _))| {
            let mut inner_bound = bound.clone();
            inner_bound.extend(outside.iter().cloned());
            alt.iter().any(|literal| match literal {
                GF::Not(inner) => mixed(&spread(inner), &inner_bound),
                _ => false,
            })
        })
}

fn points_of(f: &GF, out: &mut BTreeSet<&'static str>) {
    match f {
        GF::And(v) | GF::Or(v) => v.iter().for_each(|x| points_of(x, out)),
        GF::Not(x) | GF::Group(x) => points_of(x, out),
        GF::Unsettled(p) => {
            out.insert(p);
        }
        GF::Atom(..) | GF::Cmp(..) => {}
    }
}

// ============================================================================ the generator

/// A generated program: knowledge base files and a scenario.
#[derive(Debug, Clone)]
struct Generated {
    kb: Vec<(String, String)>,
    scenario: String,
}

impl Generated {
    /// Everything, file by file, to reproduce a failure.
    fn text(&self) -> String {
        let mut s = String::new();
        for (name, text) in self
            .kb
            .iter()
            .chain([&("scenario.opinio".to_string(), self.scenario.clone())])
        {
            let _ = writeln!(s, "----- {name}\n{text}");
        }
        s
    }

    fn all_files(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .kb
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        v.push(("scenario.opinio", self.scenario.as_str()));
        v
    }
}

/// One rule's text after `rule NAME:` (or `replace NAME:`), with what the generator needs.
#[derive(Debug, Clone)]
struct RuleGen {
    name: String,
    head: usize,
    text: String,
    points: BTreeSet<&'static str>,
    /// Whether the checker rejects it for a variable of some alternatives read under `not`
    /// in others (see [`mixed`]).
    mixed: bool,
}

#[derive(Debug, Clone)]
enum Item {
    Add(RuleGen),
    Replace(RuleGen),
    Withdraw(String, bool),
    Affirm(String),
    Settle(&'static str, bool),
    Unverified {
        names: Vec<String>,
        cites: bool,
        note: bool,
    },
}

#[derive(Debug, Clone)]
struct PosGen {
    name: String,
    is_default: bool,
    /// Index into the extra positions; `None`: the default position.
    parent: Option<usize>,
    write_extends: bool,
    dated: Option<&'static str>,
    meaning: bool,
    cites: bool,
    items: Vec<Item>,
    body: bool,
}

struct Gen<'c, 'd> {
    c: &'c mut Choices<'d>,
    preds: Vec<Pred>,
    things: Vec<&'static str>,
    orgs: Vec<&'static str>,
    /// Wild programs may read a predicate of the same stratum under a negation (and are then
    /// usually rejected, by both evaluators).
    wild: bool,
    /// Programs with slips write now and then a date in a slot of another type, a name in a
    /// Date slot or a date that does not exist (rejected, by both).
    slips: bool,
    rule_count: usize,
}

/// Per-rule state: which variables every instance enumerates, to keep grounding small.
struct RuleState {
    head_group: usize,
    rule_level: BTreeSet<String>,
    anonymous: Vec<Ty>,
}

/// The most assignments of a rule's variables (the reference grounds every one).
const BUDGET: usize = 700;
/// The most alternatives a condition spreads into (the reference grounds each).
const ALTERNATIVES: usize = 12;

impl Gen<'_, '_> {
    fn dom_size(&self, ty: Ty) -> usize {
        match ty {
            Ty::Thing => self.things.len(),
            Ty::Org => self.orgs.len().max(1),
            Ty::Level | Ty::Color => 3,
            Ty::Date => DATES.len() + 1,
        }
    }

    fn cost(&self, st: &RuleState) -> usize {
        st.rule_level
            .iter()
            .map(|v| Ty::of_var(v))
            .chain(st.anonymous.iter().copied())
            .map(|t| self.dom_size(t))
            .product()
    }

    /// A constant of a rule: of the type, or now and then a slip.
    fn constant(&mut self, ty: Ty) -> Option<GT> {
        self.constant_in(ty, true)
    }

    /// A constant of the type; `in_rule`: a date may also be one no fact states.
    fn constant_in(&mut self, ty: Ty, in_rule: bool) -> Option<GT> {
        if self.slips && self.c.chance(5) {
            return Some(self.slip(ty));
        }
        let name = match ty {
            Ty::Date if in_rule && self.c.chance(10) => *self.c.pick(&RULE_DATES),
            Ty::Date => *self.c.pick(&DATES),
            Ty::Thing => *self.c.pick(&self.things),
            Ty::Org => {
                if self.orgs.is_empty() {
                    return None;
                }
                *self.c.pick(&self.orgs)
            }
            Ty::Level => *self.c.pick(&LEVELS),
            Ty::Color => *self.c.pick(&COLORS),
        };
        let quoted = opinio::syntax::is_plain_name(name) && self.c.chance(10);
        Some(GT::Const(name.to_string(), quoted))
    }

    /// A constant that does not fit a slot of `ty`: a name (or a quoted date, which is a name)
    /// in a Date slot, a date in a slot of another type, or a date that does not exist.
    fn slip(&mut self, ty: Ty) -> GT {
        match (ty, self.c.below(3)) {
            (Ty::Date, 0) => GT::Const(self.c.pick(&DATES).to_string(), true),
            (Ty::Date, 1) => GT::Const(self.c.pick(&self.things).to_string(), false),
            (_, 2) => GT::Const(self.c.pick(&BAD_DATES).to_string(), false),
            _ => GT::Const(self.c.pick(&DATES).to_string(), false),
        }
    }

    /// The date after `dated`, if the source or position has one.
    fn dated(&mut self, percent: u32) -> Option<&'static str> {
        if !self.c.chance(percent) {
            None
        } else if self.slips && self.c.chance(30) {
            Some(*self.c.pick(&BAD_DATES))
        } else {
            Some(*self.c.pick(&DATED))
        }
    }

    fn term(&mut self, st: &mut RuleState, ty: Ty, negated: bool) -> GT {
        let kind = self.c.weighted(&[60, 10, 15, if negated { 20 } else { 0 }]);
        let over = |g: &Self, st: &RuleState| g.cost(st) * g.dom_size(ty) > BUDGET;
        match kind {
            0 => {
                let v = self.c.pick(ty.vars()).to_string();
                if !negated && !st.rule_level.contains(&v) && over(self, st) {
                    return self.fallback(st, ty);
                }
                if !negated {
                    st.rule_level.insert(v.clone());
                }
                GT::Var(v)
            }
            1 => {
                if !negated {
                    if over(self, st) {
                        return self.fallback(st, ty);
                    }
                    st.anonymous.push(ty);
                }
                GT::Var("_".to_string())
            }
            2 => match self.constant(ty) {
                Some(c) => c,
                None => self.fallback(st, ty),
            },
            _ => GT::Var(ty.local().to_string()),
        }
    }

    /// A term that adds no variable to the rule, where possible.
    fn fallback(&mut self, st: &mut RuleState, ty: Ty) -> GT {
        if let Some(v) = st.rule_level.iter().find(|v| Ty::of_var(v) == ty) {
            return GT::Var(v.clone());
        }
        if let Some(c) = self.constant(ty) {
            return c;
        }
        let v = ty.vars()[0].to_string();
        st.rule_level.insert(v.clone());
        GT::Var(v)
    }

    fn atom(&mut self, st: &mut RuleState, negated: bool) -> GF {
        let wild = self.wild && self.c.chance(15);
        let weights: Vec<u32> = self
            .preds
            .iter()
            .map(|p| {
                if !p.derived {
                    match p.name.as_str() {
                        "flag" | "org" => 1,
                        _ => 3,
                    }
                } else if wild || p.group < st.head_group {
                    3
                } else if p.group == st.head_group && !negated {
                    5
                } else {
                    0
                }
            })
            .collect();
        let i = self.c.weighted(&weights);
        self.atom_of(st, i, negated)
    }

    fn atom_of(&mut self, st: &mut RuleState, i: usize, negated: bool) -> GF {
        let slots = self.preds[i].slots.clone();
        let args = slots.iter().map(|t| self.term(st, *t, negated)).collect();
        GF::Atom(self.preds[i].name.clone(), args)
    }

    fn formula(&mut self, st: &mut RuleState, depth: usize, negated: bool) -> GF {
        let kind = if depth == 0 {
            0
        } else {
            self.c.weighted(&[6, 3, 3, 3, 1, 1])
        };
        match kind {
            0 => self.atom(st, negated),
            1 => {
                let n = 2 + self.c.below(2);
                let mut parts: Vec<GF> = (0..n)
                    .map(|_| self.formula(st, depth - 1, negated))
                    .collect();
                if self.c.chance(35) {
                    self.comparisons(st, &mut parts);
                }
                GF::And(parts)
            }
            2 => {
                let n = 2 + self.c.below(2);
                GF::Or(
                    (0..n)
                        .map(|_| self.formula(st, depth - 1, negated))
                        .collect(),
                )
            }
            3 => {
                let inner = self.formula(st, depth - 1, true);
                if matches!(inner, GF::Not(_)) && self.c.chance(50) {
                    GF::Not(Box::new(GF::Group(Box::new(inner))))
                } else {
                    GF::Not(Box::new(inner))
                }
            }
            4 => GF::Unsettled(POINTS[self.c.below(POINTS.len())]),
            _ => GF::Group(Box::new(self.formula(st, depth - 1, negated))),
        }
    }

    /// Appends one or two comparisons on variables the conjunction binds.
    fn comparisons(&mut self, _st: &mut RuleState, parts: &mut Vec<GF>) {
        let b: Vec<String> = bound(&GF::And(parts.clone())).into_iter().collect();
        if b.is_empty() {
            return;
        }
        let n = 1 + self.c.below(2);
        for _ in 0..n {
            // Prefer the enumerations and dates, whose comparisons are the interesting ones.
            let weights: Vec<u32> = b
                .iter()
                .map(|v| match Ty::of_var(v) {
                    Ty::Level | Ty::Color | Ty::Date => 4,
                    _ => 1,
                })
                .collect();
            let v = b[self.c.weighted(&weights)].clone();
            let ty = Ty::of_var(&v);
            let op = if matches!(ty, Ty::Level | Ty::Date) {
                *self.c.pick(&["=", "!=", "<", "<=", ">", ">="])
            } else {
                *self.c.pick(&["=", "!="])
            };
            let same: Vec<&String> = b
                .iter()
                .filter(|w| **w != v && Ty::of_var(w) == ty)
                .collect();
            // Two dates are compared as often with each other as with a date written out.
            let var_percent = if ty == Ty::Date { 50 } else { 30 };
            let right = if !same.is_empty() && self.c.chance(var_percent) {
                GT::Var(self.c.pick(&same).to_string())
            } else {
                match self.constant(ty) {
                    Some(c) => c,
                    None => continue,
                }
            };
            parts.push(GF::Cmp(GT::Var(v), op, right));
        }
    }

    /// Something that binds `v` for the conclusion.
    fn binder(&mut self, st: &mut RuleState, v: &str, bound_now: &BTreeSet<String>) -> GF {
        let ty = Ty::of_var(v);
        let same: Vec<&String> = bound_now.iter().filter(|w| Ty::of_var(w) == ty).collect();
        match self
            .c
            .weighted(&[4, 2, if same.is_empty() { 0 } else { 1 }, 1])
        {
            0 => self.binding_atom(st, v),
            1 => match self.constant(ty) {
                Some(c) => GF::Cmp(GT::Var(v.to_string()), "=", c),
                None => self.binding_atom(st, v),
            },
            2 => {
                let w = self.c.pick(&same).to_string();
                if self.c.chance(50) {
                    GF::Cmp(GT::Var(v.to_string()), "=", GT::Var(w))
                } else {
                    GF::Cmp(GT::Var(w), "=", GT::Var(v.to_string()))
                }
            }
            _ => {
                let a = self.binding_atom(st, v);
                let b = match self.constant(ty) {
                    Some(c) if self.c.chance(50) => GF::Cmp(GT::Var(v.to_string()), "=", c),
                    _ => self.binding_atom(st, v),
                };
                GF::Or(vec![a, b])
            }
        }
    }

    /// A positive atom with `v` in a slot of its type (other slots as usual).
    fn binding_atom(&mut self, st: &mut RuleState, v: &str) -> GF {
        let ty = Ty::of_var(v);
        let options: Vec<(usize, usize)> = self
            .preds
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.derived || p.group <= st.head_group)
            .flat_map(|(i, p)| {
                p.slots
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| **t == ty)
                    .map(move |(j, _)| (i, j))
            })
            .collect();
        let (i, j) = *self.c.pick(&options);
        let slots = self.preds[i].slots.clone();
        st.rule_level.insert(v.to_string());
        let args = slots
            .iter()
            .enumerate()
            .map(|(k, t)| {
                if k == j {
                    GT::Var(v.to_string())
                } else {
                    self.term(st, *t, false)
                }
            })
            .collect();
        GF::Atom(self.preds[i].name.clone(), args)
    }

    /// A rule; one the checker would reject for a variable some alternatives give a value
    /// and others read only under `not` is mostly drawn again (such rules come often, and
    /// both sides rejecting them compares nothing more).
    fn rule(&mut self, name: String, head: usize) -> RuleGen {
        for _ in 0..4 {
            let r = self.rule_once(name.clone(), head);
            if !r.mixed || self.c.chance(10) {
                return r;
            }
        }
        self.rule_once(name, head)
    }

    fn rule_once(&mut self, name: String, head: usize) -> RuleGen {
        let mut st = RuleState {
            head_group: self.preds[head].group,
            rule_level: BTreeSet::new(),
            anonymous: Vec::new(),
        };
        let slots = self.preds[head].slots.clone();
        let no_condition = self.c.chance(5);
        let head_args: Vec<GT> = slots
            .iter()
            .map(|t| {
                let constant = no_condition || self.c.chance(8);
                match if constant { self.constant(*t) } else { None } {
                    Some(c) => c,
                    None => {
                        let v = self.c.pick(t.vars()).to_string();
                        st.rule_level.insert(v.clone());
                        GT::Var(v)
                    }
                }
            })
            .collect();
        let head_vars: BTreeSet<String> = head_args
            .iter()
            .filter_map(|t| match t {
                GT::Var(v) => Some(v.clone()),
                GT::Const(..) => None,
            })
            .collect();
        let mut condition = None;
        if !no_condition || !head_vars.is_empty() {
            let n = 1 + self.c.below(3);
            let mut parts: Vec<GF> = (0..n)
                .map(|_| {
                    let depth = 1 + self.c.below(3);
                    self.formula(&mut st, depth, false)
                })
                .collect();
            while parts.len() > 1 && alternatives(&GF::And(parts.clone())) > ALTERNATIVES {
                parts.pop();
            }
            if self.wild && self.c.chance(20) {
                // Recursion through a double negation: rejected.
                let inner = self.atom_of(&mut st, head, true);
                parts.push(GF::Not(Box::new(GF::Group(Box::new(GF::Not(Box::new(
                    inner,
                )))))));
            }
            if self.c.chance(40) {
                self.comparisons(&mut st, &mut parts);
            }
            let mut b = bound(&GF::And(parts.clone()));
            for v in &head_vars {
                if !b.contains(v) {
                    let binder = self.binder(&mut st, v, &b);
                    parts.push(binder);
                    b = bound(&GF::And(parts.clone()));
                }
            }
            condition = Some(if parts.len() == 1 {
                parts.pop().expect("one part")
            } else {
                GF::And(parts)
            });
        }
        let exceptions: Vec<GF> = (0..self.c.weighted(&[6, 3, 1]))
            .map(|_| {
                let depth = self.c.below(3);
                self.formula(&mut st, depth, true)
            })
            .collect();
        let mut body: Vec<GF> = condition.iter().cloned().collect();
        body.extend(exceptions.iter().map(|e| GF::Not(Box::new(e.clone()))));
        let mixed = mixed(&spread(&GF::And(body)), &BTreeSet::new());
        let mut points = BTreeSet::new();
        let mut text = format!(
            "{}({})",
            self.preds[head].name,
            head_args
                .iter()
                .map(term_text)
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(c) = &condition {
            points_of(c, &mut points);
            let _ = write!(text, "\n  if {}", render(c, Ctx::Top));
        }
        for e in &exceptions {
            points_of(e, &mut points);
            let _ = write!(text, "\n  unless {}", render(e, Ctx::Top));
        }
        text.push_str(match self.c.weighted(&[5, 2, 1, 1]) {
            0 => "\n  cites s \"para. 1\"",
            1 => "\n  cites s",
            2 => "\n  cites s \"para. 2\", t \"p. 3\"",
            _ => "",
        });
        if self.c.chance(10) {
            text.push_str("\n  note \"a \\\"noted\\\" rule\"");
        }
        RuleGen {
            name,
            head,
            text,
            points,
            mixed,
        }
    }

    fn fresh_rule_name(&mut self, prefix: &str) -> String {
        self.rule_count += 1;
        format!("{prefix}{}", self.rule_count)
    }

    fn derived_index(&mut self) -> usize {
        let derived: Vec<usize> = (0..self.preds.len())
            .filter(|i| self.preds[*i].derived)
            .collect();
        *self.c.pick(&derived)
    }
}

fn render_rule(kw: &str, r: &RuleGen) -> String {
    format!("{kw} {}: {}.\n", r.name, r.text)
}

fn generate(data: &[u16]) -> Generated {
    let mut c = Choices { data, at: 0 };
    let things: Vec<&'static str> = THINGS[..1 + c.weighted(&[1, 3, 3, 3, 2, 2])].to_vec();
    let listed = c.weighted(&[1, 2, 2, 2]);
    let orgs: Vec<&'static str> = ORGS[..listed].to_vec();
    let wild = c.chance(8);
    let wild_edits = c.chance(3);
    let slips = c.chance(3);

    // Predicates.
    let mut preds: Vec<Pred> = Vec::new();
    let base: [(&str, Vec<Ty>); 7] = [
        ("org", vec![Ty::Org]),
        ("b0", vec![Ty::Thing]),
        ("b1", vec![Ty::Thing, Ty::Thing]),
        ("b2", vec![Ty::Thing, Ty::Level]),
        ("b3", vec![Ty::Org, Ty::Color]),
        ("flag", vec![]),
        ("when", vec![Ty::Thing, Ty::Date]),
    ];
    for (name, slots) in base {
        let (closed, functional) = if name == "org" {
            (true, false)
        } else if name == "when" {
            (c.chance(20), c.chance(45))
        } else {
            (c.chance(30), !slots.is_empty() && c.chance(25))
        };
        preds.push(Pred {
            name: name.to_string(),
            slots,
            derived: false,
            group: 0,
            closed,
            functional,
        });
    }
    let signatures: [Vec<Ty>; 8] = [
        vec![Ty::Thing],
        vec![Ty::Thing, Ty::Thing],
        vec![Ty::Thing, Ty::Level],
        vec![Ty::Org],
        vec![],
        vec![Ty::Thing, Ty::Org],
        vec![Ty::Color],
        vec![Ty::Thing, Ty::Date],
    ];
    let n_derived = 1 + c.weighted(&[2, 3, 3, 2]);
    let mut group = 0;
    for i in 0..n_derived {
        if i > 0 && c.chance(40) {
            group += 1;
        }
        let slots = signatures[c.weighted(&[4, 4, 2, 1, 1, 1, 1, 1])].clone();
        let functional = !slots.is_empty() && c.chance(4);
        preds.push(Pred {
            name: format!("d{i}"),
            slots,
            derived: true,
            group,
            closed: c.chance(4),
            functional,
        });
    }
    let mut g = Gen {
        c: &mut c,
        preds,
        things,
        orgs,
        wild,
        slips,
        rule_count: 0,
    };

    // Top-level rules: most derived predicates get one to three.
    let mut top: Vec<RuleGen> = Vec::new();
    for i in 0..g.preds.len() {
        if !g.preds[i].derived {
            continue;
        }
        let n = g.c.weighted(&[1, 5, 3, 2]);
        for _ in 0..n {
            let name = g.fresh_rule_name("r");
            let rule = g.rule(name, i);
            top.push(rule);
        }
    }

    // Positions.
    let declared_default = g.c.chance(60);
    let mut default = PosGen {
        name: "base".to_string(),
        is_default: true,
        parent: None,
        write_extends: false,
        dated: g.dated(30),
        meaning: g.c.chance(50),
        cites: g.c.chance(70),
        items: Vec::new(),
        body: false,
    };
    let heads: BTreeMap<String, usize> = top.iter().map(|r| (r.name.clone(), r.head)).collect();
    let mut all_names: Vec<String> = top.iter().map(|r| r.name.clone()).collect();
    let mut heads = heads;
    let mut in_force_default: Vec<String> = all_names.clone();
    if declared_default && g.c.chance(30) {
        let n = 1 + g.c.below(2);
        default.items = items(
            &mut g,
            n,
            &mut in_force_default,
            &mut heads,
            &mut all_names,
            "base_",
            wild_edits,
        );
        default.body = true;
    }
    let n_extra = g.c.weighted(&[3, 3, 2, 2]);
    let mut extra: Vec<PosGen> = Vec::new();
    let mut in_force: Vec<Vec<String>> = Vec::new();
    for i in 0..n_extra {
        let parent = match g.c.below(i + 1) {
            0 => None,
            j => Some(j - 1),
        };
        let mut names = match parent {
            None => in_force_default.clone(),
            Some(j) => in_force[j].clone(),
        };
        let n = g.c.weighted(&[2, 3, 3, 2, 1]);
        let prefix = format!("p{}_", i + 1);
        let its = items(
            &mut g,
            n,
            &mut names,
            &mut heads,
            &mut all_names,
            &prefix,
            wild_edits,
        );
        let body = !its.is_empty() || g.c.chance(30);
        extra.push(PosGen {
            name: format!("p{}", i + 1),
            is_default: false,
            parent,
            write_extends: parent.is_some() || (declared_default && g.c.chance(50)),
            dated: g.dated(30),
            meaning: g.c.chance(50),
            cites: g.c.chance(60),
            items: its,
            body,
        });
        in_force.push(names);
    }
    // Settle only points some rule raises (wild edits keep the others: rejected).
    let mut raised: BTreeSet<&'static str> =
        top.iter().flat_map(|r| r.points.iter().copied()).collect();
    // Points `unverified` may name: see UNVERIFIED_POINTS_RAISED_ANYWHERE.
    let raised_at_top = raised.clone();
    for p in std::iter::once(&default).chain(&extra) {
        for it in &p.items {
            if let Item::Add(r) | Item::Replace(r) = it {
                raised.extend(r.points.iter().copied());
            }
        }
    }
    for p in std::iter::once(&mut default).chain(extra.iter_mut()) {
        p.items.retain_mut(|it| match it {
            Item::Settle(pt, _) => wild_edits || raised.contains(pt),
            Item::Unverified { names, .. } => {
                let known = if UNVERIFIED_POINTS_RAISED_ANYWHERE {
                    &raised
                } else {
                    &raised_at_top
                };
                // Wild edits keep the points no rule raises: rejected.
                names.retain(|n| {
                    !POINTS.contains(&n.as_str())
                        || known.contains(n.as_str())
                        || (wild_edits && !raised.contains(n.as_str()))
                });
                !names.is_empty()
            }
            _ => true,
        });
    }
    let reversed = g.c.chance(30);

    // Facts.
    let mut facts: Vec<(usize, Vec<String>, Truth)> = Vec::new();
    let mut seen: BTreeSet<(usize, Vec<String>)> = BTreeSet::new();
    let mut pinned: BTreeSet<(usize, Vec<String>)> = BTreeSet::new();
    let org_index = 0;
    for o in &g.orgs {
        facts.push((org_index, vec![o.to_string()], Truth::True));
        seen.insert((org_index, vec![o.to_string()]));
    }
    for o in &ORGS[g.orgs.len()..] {
        if g.c.chance(30) {
            let v = if g.c.chance(50) {
                Truth::False
            } else {
                Truth::Unknown
            };
            facts.push((org_index, vec![o.to_string()], v));
            seen.insert((org_index, vec![o.to_string()]));
        }
    }
    let n_listed_facts = facts.len();
    let mut fact_about = |g: &mut Gen, i: usize| {
        let slots = g.preds[i].slots.clone();
        let mut args = Vec::new();
        for t in slots {
            match g.constant_in(t, false) {
                Some(GT::Const(name, _)) => args.push(name),
                _ => return,
            }
        }
        let mut value = [Truth::True, Truth::False, Truth::Unknown][g.c.weighted(&[5, 2, 2])];
        if !seen.insert((i, args.clone())) {
            return;
        }
        if g.preds[i].functional && value == Truth::True {
            let prefix = args[..args.len() - 1].to_vec();
            if !pinned.insert((i, prefix)) {
                value = Truth::Unknown;
            }
        }
        facts.push((i, args, value));
    };
    for (i, n) in [(1, 5), (2, 7), (3, 5), (4, 4), (5, 2), (6, 5)] {
        let k = g.c.below(n);
        for _ in 0..k {
            fact_about(&mut g, i);
        }
    }
    let stipulations = g.c.weighted(&[5, 3, 2]);
    for _ in 0..stipulations {
        let i = g.derived_index();
        fact_about(&mut g, i);
    }

    // Texts.
    let mut vocab = String::new();
    if g.c.chance(30) {
        vocab.push_str("# Generated by tests/differential.rs\n");
    }
    for (name, title) in [("s", "A source"), ("t", "Another source")] {
        let _ = write!(vocab, "source {name} \"{title}\"");
        if let Some(d) = g.dated(25) {
            let _ = write!(vocab, " dated {d}");
        }
        vocab.push_str(".\n");
    }
    vocab.push_str("type Thing.\ntype Org from org.\ntype Level = low < mid < high.\ntype Color = red | green | low.\n");
    if g.slips && g.c.chance(25) {
        // `Date` is built in: declaring it is declaring a type twice.
        vocab.push_str("type Date.\n");
    }
    // Where each predicate's `reads` may go (decided last, so that adding it changed no
    // earlier choice: the programs of stored seeds stay what they were).
    let mut reading_at: Vec<(usize, usize)> = Vec::new();
    for (pi, p) in g.preds.iter().enumerate() {
        let slots: Vec<String> = p
            .slots
            .iter()
            .enumerate()
            .map(|(i, t)| format!("a{i}: {}", t.name()))
            .collect();
        let _ = write!(vocab, "predicate {}({})", p.name, slots.join(", "));
        if p.closed {
            vocab.push_str(" closed");
        }
        if p.functional {
            vocab.push_str(" functional");
        }
        match g.c.weighted(&[6, 1, 1]) {
            0 => {
                let _ = write!(vocab, " means \"{} holds\"", p.name);
                reading_at.push((pi, vocab.len()));
            }
            1 => {
                let _ = write!(vocab, " means \"the \\\"{}\\\" relation\"", p.name);
                reading_at.push((pi, vocab.len()));
                vocab.push_str(" cites t \"s. 2\"");
            }
            _ => reading_at.push((pi, vocab.len())),
        }
        if g.c.chance(10) {
            vocab.push_str(" note \"a note\"");
        }
        vocab.push_str(".\n");
    }
    let mut rules = String::new();
    if g.c.chance(50) {
        rules.push_str("import \"vocab.opinio\".\n");
    }
    let mut scenario = String::new();
    for (k, (i, args, v)) in facts.iter().enumerate() {
        // Membership of a `from` type cannot be unknown (both refuse it): keep that rare, so
        // that most programs are compared.
        let lister = g.preds[*i].name == "org";
        let prefix = match v {
            Truth::True => "",
            Truth::False => "not ",
            Truth::Unknown if lister && !g.c.chance(10) => "not ",
            Truth::Unknown => "unknown ",
        };
        let line = format!("{prefix}{}.\n", atom_text(&g.preds[*i].name, args));
        let place = if k < n_listed_facts {
            0
        } else {
            g.c.weighted(&[2, 1, 3])
        };
        match place {
            0 => vocab.push_str(&line),
            1 => rules.push_str(&line),
            _ => scenario.push_str(&line),
        }
    }
    for r in &top {
        if g.c.chance(5) {
            rules.push_str("# the next rule\n");
        }
        rules.push_str(&render_rule("rule", r));
    }
    let mut positions = vec![];
    if declared_default {
        positions.push(render_position(&default, &extra, "base"));
    }
    for p in &extra {
        positions.push(render_position(p, &extra, "base"));
    }
    if reversed {
        positions.reverse();
    }
    for p in positions {
        rules.push_str(&p);
    }
    // Expectations about stated atoms.
    let names: Vec<String> = declared_default
        .then(|| "base".to_string())
        .into_iter()
        .chain(extra.iter().map(|p| p.name.clone()))
        .collect();
    for _ in 0..g.c.below(3) {
        if facts.is_empty() {
            break;
        }
        let (i, args, _) = g.c.pick(&facts).clone();
        let under = if !names.is_empty() && g.c.chance(50) {
            format!("under {} ", g.c.pick(&names))
        } else {
            String::new()
        };
        let value = *g.c.pick(&["true", "false", "unknown"]);
        let line = format!(
            "expect {under}{} = {value}.\n",
            atom_text(&g.preds[i].name, &args)
        );
        if g.c.chance(50) {
            rules.push_str(&line);
        } else {
            scenario.push_str(&line);
        }
    }
    // Plain language, which changes no value: `reads` on some predicates (inserted from the
    // last place backwards, so that the earlier places stay right) and short titles of some
    // raised points.
    for &(pi, at) in reading_at.iter().rev() {
        if !g.c.chance(40) {
            continue;
        }
        let p = &g.preds[pi];
        let text = match p.slots.len() {
            0 => format!("{} holds", p.name),
            1 => format!("{{a0}} is \\\"{}\\\"", p.name),
            n => {
                let slots: Vec<String> = (0..n).map(|i| format!("{{a{i}}}")).collect();
                format!("{} stand in the relation {}", slots.join(" and "), p.name)
            }
        };
        vocab.insert_str(at, &format!(" reads \"{text}\""));
    }
    for pt in POINTS {
        if raised.contains(pt) && g.c.chance(50) {
            let _ = writeln!(rules, "unsettled {pt} titled \"the open point {pt}\".");
        }
    }
    Generated {
        kb: vec![
            ("vocab.opinio".to_string(), vocab),
            ("rules.opinio".to_string(), rules),
        ],
        scenario,
    }
}

/// A position's edits, keeping `names` (the rules in force) up to date.
fn items(
    g: &mut Gen,
    n: usize,
    names: &mut Vec<String>,
    heads: &mut BTreeMap<String, usize>,
    all_names: &mut Vec<String>,
    prefix: &str,
    wild_edits: bool,
) -> Vec<Item> {
    let mut out = Vec::new();
    for _ in 0..n {
        let kind = g.c.weighted(&[3, 2, 2, 1, 2, 1]);
        if wild_edits && g.c.chance(30) {
            // An edit of a rule that is not in force: rejected.
            let gone: Vec<&String> = all_names.iter().filter(|x| !names.contains(x)).collect();
            let name = if gone.is_empty() {
                "ghost".to_string()
            } else {
                g.c.pick(&gone).to_string()
            };
            out.push(Item::Withdraw(name, false));
            continue;
        }
        match kind {
            1..=3 if names.is_empty() => {}
            1 => {
                let name = g.c.pick(names).clone();
                let head = if g.c.chance(80) {
                    heads[&name]
                } else {
                    g.derived_index()
                };
                let r = g.rule(name.clone(), head);
                heads.insert(name, head);
                out.push(Item::Replace(r));
                continue;
            }
            2 => {
                let i = g.c.below(names.len());
                let name = names.remove(i);
                let cites = g.c.chance(50);
                out.push(Item::Withdraw(name, cites));
                continue;
            }
            3 => {
                let target = if g.c.chance(70) {
                    g.c.pick(names).clone()
                } else {
                    let i = g.c.below(g.preds.len());
                    g.preds[i].name.clone()
                };
                out.push(Item::Affirm(target));
                continue;
            }
            4 => {
                out.push(Item::Settle(
                    POINTS[g.c.below(POINTS.len())],
                    g.c.chance(50),
                ));
                continue;
            }
            5 => {
                // Rules in force, predicates, points (those no rule raises are dropped later,
                // unless edits are wild), or a name that is none of them.
                let n = 1 + g.c.weighted(&[3, 2, 1]);
                let mut targets: Vec<String> = Vec::new();
                for _ in 0..n {
                    let weights = [
                        if names.is_empty() { 0 } else { 3 },
                        2,
                        2,
                        u32::from(wild_edits),
                    ];
                    let t = match g.c.weighted(&weights) {
                        0 => g.c.pick(names).clone(),
                        1 => {
                            let i = g.c.below(g.preds.len());
                            g.preds[i].name.clone()
                        }
                        2 => POINTS[g.c.below(POINTS.len())].to_string(),
                        _ => "ghost".to_string(),
                    };
                    if !targets.contains(&t) {
                        targets.push(t);
                    }
                }
                out.push(Item::Unverified {
                    names: targets,
                    cites: g.c.chance(60),
                    note: g.c.chance(40),
                });
                continue;
            }
            _ => {}
        }
        let name = g.fresh_rule_name(prefix);
        let head = g.derived_index();
        let r = g.rule(name.clone(), head);
        names.push(name.clone());
        all_names.push(name.clone());
        heads.insert(name, head);
        out.push(Item::Add(r));
    }
    out
}

fn render_position(p: &PosGen, extra: &[PosGen], default_name: &str) -> String {
    let mut s = format!("position {}", p.name);
    if p.is_default {
        s.push_str(" default");
    }
    if p.write_extends {
        let parent = p
            .parent
            .map(|j| extra[j].name.as_str())
            .unwrap_or(default_name);
        let _ = write!(s, " extends {parent}");
    }
    if let Some(d) = p.dated {
        let _ = write!(s, " dated {d}");
    }
    if p.meaning {
        let _ = write!(s, "\n  means \"the view called {}\"", p.name);
    }
    if p.cites {
        s.push_str("\n  cites s \"a statement\"");
    }
    if !p.body {
        s.push_str(".\n");
        return s;
    }
    s.push_str(" {\n");
    for it in &p.items {
        match it {
            Item::Add(r) => s.push_str(&render_rule("  rule", r)),
            Item::Replace(r) => s.push_str(&render_rule("  replace", r)),
            Item::Withdraw(name, cites) => {
                let _ = writeln!(
                    s,
                    "  withdraw {name}{}.",
                    if *cites { " cites s \"p. 9\"" } else { "" }
                );
            }
            Item::Affirm(name) => {
                let _ = writeln!(s, "  affirm {name} cites t.");
            }
            Item::Settle(pt, v) => {
                let _ = writeln!(s, "  settle {pt} = {v} cites s \"p. 4\".");
            }
            Item::Unverified { names, cites, note } => {
                let _ = writeln!(
                    s,
                    "  unverified {}{}{}.",
                    names.join(", "),
                    if *cites { " cites t \"p. 7\"" } else { "" },
                    if *note {
                        " note \"the passage is not verified\""
                    } else {
                        ""
                    }
                );
            }
        }
    }
    s.push_str("}\n");
    s
}

// ============================================================================ the comparison

/// Rejection codes the reference models: if the engine rejects a program for one of these
/// reasons, the reference must reject it too.
const MODELLED: &[&str] = &[
    "opinio::negation_cycle",
    "opinio::unknown_rule",
    "opinio::duplicate_rule",
    "opinio::unknown_point",
    "opinio::contradictory_facts",
    "opinio::functional_conflict",
    "opinio::position_cycle",
    "opinio::unknown_position",
    "opinio::two_defaults",
    "opinio::unknown_membership",
    "opinio::type_mismatch",
    "opinio::bad_date",
    "opinio::duplicate_type",
];

#[derive(Debug)]
enum Verdict {
    /// Both accept; this many atom values were compared.
    Agree(usize),
    /// Both reject, for this reason.
    BothReject(&'static str),
    /// The engine rejects for a reason the reference does not model (a generator slip).
    Skipped(String),
}

fn load_engine(g: &Generated) -> Result<(KnowledgeBase, Scenario), (Vec<&'static str>, String)> {
    let kb = KnowledgeBase::from_strings(g.kb.clone())
        .map_err(|e| (e.errors().map(|d| d.code.as_str()).collect(), e.render()))?;
    let mut s = Scenario::new(&kb);
    if !g.scenario.trim().is_empty() {
        s.add_text("scenario.opinio", &g.scenario)
            .map_err(|e| (e.errors().map(|d| d.code.as_str()).collect(), e.render()))?;
    }
    Ok((kb, s))
}

/// Asks `pred(args)`, and `pred` with only its first argument given, of a scenario that
/// answers both by the magic-set rewriting; every answer must be the reference's.
fn magic_sets_agree(
    magic: &Scenario,
    pos: &str,
    pred: &str,
    args: &[String],
    atoms: &[Vec<String>],
    model: &reference::Model<'_>,
    mismatches: &mut Vec<String>,
) {
    let text = atom_text(pred, args);
    match magic.query(&text, Some(pos)) {
        Ok(a) if a.answers.len() == 1 => {
            let (got, want) = (a.answers[0].value, model.value(pred, args));
            if got != want {
                mismatches.push(format!(
                    "under {pos}: {text} = {} (engine, by magic sets), {} (reference)",
                    truth(got),
                    truth(want)
                ));
            }
        }
        Ok(a) => mismatches.push(format!(
            "under {pos}: `{text}` has {} answers by magic sets",
            a.answers.len()
        )),
        Err(e) => mismatches.push(format!(
            "under {pos}: `{text}` fails by magic sets: {}",
            e.render()
        )),
    }
    if args.len() < 2 {
        return;
    }
    let mut parts = vec![reference::constant_text(&args[0])];
    parts.extend((1..args.len()).map(|i| format!("V{i}")));
    let goal = format!("{pred}({})", parts.join(", "));
    let answers = match magic.query(&goal, Some(pos)) {
        Ok(a) => a.answers,
        Err(e) => {
            mismatches.push(format!(
                "under {pos}: `{goal}` fails by magic sets: {}",
                e.render()
            ));
            return;
        }
    };
    let mut got: HashMap<Vec<String>, Truth> = HashMap::new();
    for a in &answers {
        let mut row = vec![args[0].clone()];
        row.extend(a.bindings.iter().map(|(_, v)| unquote(v)));
        got.insert(row, a.value);
    }
    for row in atoms.iter().filter(|r| r.first() == args.first()) {
        let want = model.value(pred, row);
        let value = got.get(row).copied().unwrap_or(Truth::False);
        if value != want {
            mismatches.push(format!(
                "under {pos}: {} = {} (engine, asked `{goal}` by magic sets), {} (reference)",
                atom_text(pred, row),
                truth(value),
                truth(want)
            ));
        }
    }
}

fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => s.to_string(),
    }
}

fn truth(v: Truth) -> &'static str {
    v.as_str()
}

/// How the engine and the reference disagree on a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Both reject it, for different reasons.
    Reasons,
    /// Only the reference rejects it.
    ReferenceRejects,
    /// Only the engine rejects it.
    EngineRejects,
    /// They have different positions.
    Positions,
    /// Values (of atoms or of expectations).
    Values,
}

#[derive(Debug)]
struct Failure {
    kind: Kind,
    /// What a smaller program must still show to count as the same failure: the reasons
    /// for a rejection.
    reasons: Vec<String>,
    report: String,
}

/// Compares the engine with the reference on one program; a failure carries a full report.
fn differential(g: &Generated, ground_queries: usize) -> Result<Verdict, Failure> {
    let report = |kind: Kind, reasons: Vec<String>, what: String| Failure {
        kind,
        reasons,
        report: format!("{what}\n\nthe program:\n{}", g.text()),
    };
    // Like the engine, the knowledge base first, then with the scenario: when the knowledge
    // base is refused, the scenario is not read.
    let kb: Vec<(&str, &str)> = g.kb.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let reference =
        Reference::check_knowledge_base(&kb).and_then(|()| Reference::load(&g.all_files()));
    let engine = load_engine(g);
    let (r, (_kb, s)) = match (reference, engine) {
        (Err(rej), Err((codes, text))) => {
            let code = format!("opinio::{}", rej.code);
            return if codes.contains(&code.as_str()) || rej.code == "parse" {
                Ok(Verdict::BothReject(rej.code))
            } else if !codes.iter().any(|c| MODELLED.contains(c)) {
                // The engine stops first for a reason the reference does not model (as when
                // it alone rejects, below): e.g. an `expect` in a knowledge-base file naming
                // a constant only the scenario names, read before the scenario.
                Ok(Verdict::Skipped(codes.join(", ")))
            } else {
                Err(report(Kind::Reasons, vec![rej.code.to_string()], format!(
                    "the reference rejects the program ({}: {}), the engine for other reasons:\n{text}",
                    rej.code, rej.message
                )))
            };
        }
        (Err(rej), Ok(_)) => {
            return Err(report(
                Kind::ReferenceRejects,
                vec![rej.code.to_string()],
                format!(
                    "the reference rejects the program ({}: {}), the engine accepts it",
                    rej.code, rej.message
                ),
            ))
        }
        (Ok(_), Err((codes, text))) => {
            let mut modelled: Vec<String> = codes
                .iter()
                .filter(|c| MODELLED.contains(c))
                .map(|c| c.to_string())
                .collect();
            modelled.sort();
            modelled.dedup();
            return if !modelled.is_empty() {
                Err(report(
                    Kind::EngineRejects,
                    modelled,
                    format!("the engine rejects the program, the reference accepts it:\n{text}"),
                ))
            } else {
                Ok(Verdict::Skipped(codes.join(", ")))
            };
        }
        (Ok(r), Ok(e)) => (r, e),
    };
    // The same facts with every question that has a constant answered by the magic-set
    // rewriting of the rules (by default only large scenarios are).
    let mut magic = s.clone();
    magic.set_magic_sets(opinio::MagicSets::Always);
    let mut mismatches: Vec<String> = Vec::new();
    let mut compared = 0;
    let mut ref_names = r.position_names();
    let mut eng_names: Vec<String> = s
        .knowledge_base()
        .position_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    ref_names.sort();
    eng_names.sort();
    if ref_names != eng_names {
        return Err(report(
            Kind::Positions,
            Vec::new(),
            format!("positions: the engine has {eng_names:?}, the reference {ref_names:?}"),
        ));
    }
    let models: BTreeMap<String, reference::Model> = r
        .position_names()
        .into_iter()
        .map(|p| {
            let m = r.evaluate(&p);
            (p, m)
        })
        .collect();
    for (pos, model) in &models {
        for pred in r.predicates() {
            let atoms = r.atoms(&pred.name);
            let arity = pred.slots.len();
            let vars: Vec<String> = (0..arity).map(|i| format!("V{i}")).collect();
            let goal = format!("{}({})", pred.name, vars.join(", "));
            let answers = match s.query(&goal, Some(pos)) {
                Ok(a) => a.answers,
                Err(e) => {
                    return Err(report(
                        Kind::Values,
                        Vec::new(),
                        format!("under {pos}: `{goal}` fails:\n{}", e.render()),
                    ));
                }
            };
            let mut table: HashMap<Vec<String>, Truth> = HashMap::new();
            for a in &answers {
                let args: Vec<String> = if arity == 0 {
                    Vec::new()
                } else {
                    a.bindings.iter().map(|(_, v)| unquote(v)).collect()
                };
                if !atoms.contains(&args) {
                    // Outside the domains: only a stated atom may have a value other than false.
                    let want = model.value(&pred.name, &args);
                    if a.value != want {
                        mismatches.push(format!(
                            "under {pos}: {} = {} (engine, asked `{goal}`; outside the reference's domains), {} (reference)",
                            atom_text(&pred.name, &args),
                            truth(a.value),
                            truth(want)
                        ));
                    }
                }
                table.insert(args, a.value);
            }
            for args in &atoms {
                let want = model.value(&pred.name, args);
                let got = table.get(args).copied().unwrap_or(Truth::False);
                compared += 1;
                if got != want {
                    mismatches.push(format!(
                        "under {pos}: {} = {} (engine, asked `{goal}`), {} (reference)",
                        atom_text(&pred.name, args),
                        truth(got),
                        truth(want)
                    ));
                }
                if arity > 0 {
                    magic_sets_agree(
                        &magic,
                        pos,
                        &pred.name,
                        args,
                        &atoms,
                        model,
                        &mut mismatches,
                    );
                }
                if ground_queries > 0 && compared % ground_queries == 0 {
                    let text = atom_text(&pred.name, args);
                    match s.query(&text, Some(pos)) {
                        Ok(a) if a.answers.len() == 1 => {
                            let got = a.answers[0].value;
                            if got != want {
                                mismatches.push(format!(
                                    "under {pos}: {text} = {} (engine, asked alone), {} (reference)",
                                    truth(got),
                                    truth(want)
                                ));
                            }
                        }
                        Ok(a) => mismatches.push(format!(
                            "under {pos}: `{text}` has {} answers",
                            a.answers.len()
                        )),
                        Err(e) => {
                            mismatches.push(format!("under {pos}: `{text}` fails: {}", e.render()))
                        }
                    }
                }
            }
        }
    }
    // Expectations: the engine's verdicts agree with the reference's values.
    match s.run_expectations() {
        Ok(outcomes) => {
            for o in outcomes {
                let atom = opinio::syntax::parse_query(opinio::syntax::span::FileId(0), &o.goal)
                    .map_err(|_| {
                        report(
                            Kind::Values,
                            Vec::new(),
                            format!("cannot read back `{}`", o.goal),
                        )
                    })?;
                let args: Vec<String> = atom
                    .args
                    .iter()
                    .map(|t| match t {
                        ast::Term::Constant(n) | ast::Term::Date(n) => n.text.clone(),
                        ast::Term::Variable(n) => n.text.clone(),
                    })
                    .collect();
                let want = models[&o.position].value(&atom.predicate.text, &args);
                if o.got != want || o.passed != (o.got == o.expected) {
                    mismatches.push(format!(
                        "expect under {}: {} got {} (reference {}), expected {}, passed {}",
                        o.position,
                        o.goal,
                        truth(o.got),
                        truth(want),
                        truth(o.expected),
                        o.passed
                    ));
                }
            }
        }
        Err(e) => mismatches.push(format!("expectations fail: {}", e.render())),
    }
    if mismatches.is_empty() {
        Ok(Verdict::Agree(compared))
    } else {
        let shown = mismatches.len().min(12);
        Err(report(
            Kind::Values,
            Vec::new(),
            format!(
                "{} disagreement(s) between the engine and the reference:\n  {}{}",
                mismatches.len(),
                mismatches[..shown].join("\n  "),
                if shown < mismatches.len() {
                    "\n  ..."
                } else {
                    ""
                }
            ),
        ))
    }
}

#[derive(Debug, Default)]
struct Stats {
    programs: usize,
    agreed: usize,
    atoms: usize,
    both_reject: BTreeMap<&'static str, usize>,
    skipped: BTreeMap<String, usize>,
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        source_file: Some(file!()),
        // Next to this file: tests/differential.proptest-regressions.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

fn run_differential(cases: u32, ground_queries: usize) {
    let stats = RefCell::new(Stats::default());
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&choices(), |data| {
        let g = generate(&data);
        let verdict =
            differential(&g, ground_queries).map_err(|e| TestCaseError::fail(e.report))?;
        let mut st = stats.borrow_mut();
        st.programs += 1;
        match verdict {
            Verdict::Agree(n) => {
                st.agreed += 1;
                st.atoms += n;
            }
            Verdict::BothReject(code) => *st.both_reject.entry(code).or_default() += 1,
            Verdict::Skipped(codes) => *st.skipped.entry(codes).or_default() += 1,
        }
        Ok(())
    });
    if let Err(e) = result {
        // Proptest shrinks the choices; the program is then cut down statement by statement.
        if let proptest::test_runner::TestError::Fail(reason, data) = &e {
            let g = generate(data);
            let small = minimize(&g, ground_queries);
            let report = differential(&small, ground_queries)
                .expect_err("still fails")
                .report;
            panic!(
                "{report}\n\n(replay: save the program above, from its first `-----` line, in a file F and run\n OPINIO_PROGRAM=F cargo test --test differential replay -- --ignored --nocapture)\n\nbefore the cut, proptest's smallest case: {reason}"
            );
        }
        panic!("{e}");
    }
    let st = stats.into_inner();
    eprintln!(
        "{} programs: {} compared ({} atom values), rejected by both: {:?}, skipped (engine rejects, reference does not model why): {:?}",
        st.programs, st.agreed, st.atoms, st.both_reject, st.skipped
    );
    let skipped: usize = st.skipped.values().sum();
    // The seed is random: about 1.2% of programs name a constant the reference does not
    // model (three or so of 266 in a run, counts of 6 seen), so a 2% bound failed about one
    // run in ten. 5% (13 of 266) still fails if the generator's share of such programs grows
    // a few times over.
    assert!(
        skipped * 100 <= st.programs * 5,
        "too many programs skipped: {:?}",
        st.skipped
    );
    assert!(
        st.agreed * 100 >= st.programs * 80,
        "too few programs compared: {} of {}",
        st.agreed,
        st.programs
    );
}

#[test]
fn evaluator_agrees_with_the_naive_reference() {
    run_differential(256, 3);
}

/// The long run: `cargo test --release --test differential -- --ignored`.
#[test]
#[ignore = "long: 10,000 programs; run with `cargo test --release --test differential -- --ignored`"]
fn evaluator_agrees_with_the_naive_reference_on_ten_thousand_programs() {
    let cases = std::env::var("OPINIO_DIFFERENTIAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let start = std::time::Instant::now();
    if std::env::var_os("OPINIO_DIFFERENTIAL_SURVEY").is_some() {
        survey(cases);
        return;
    }
    run_differential(cases, 1);
    eprintln!("{cases} programs in {:.1?}", start.elapsed());
}

/// With `OPINIO_DIFFERENTIAL_SURVEY` set, the long run does not stop at the first
/// disagreement: it cuts every failing program down and prints each distinct one.
fn survey(cases: u32) {
    let mut runner = TestRunner::new(config(cases));
    let strategy = choices();
    let mut distinct: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut failing = 0;
    for _ in 0..cases {
        let data = strategy.new_tree(&mut runner).expect("a value").current();
        let g = generate(&data);
        if differential(&g, 0).is_ok() {
            continue;
        }
        failing += 1;
        let small = minimize(&g, 0);
        let report = differential(&small, 0).expect_err("still fails").report;
        let key = small.text();
        let entry = distinct.entry(key).or_insert((0, report));
        entry.0 += 1;
    }
    for (n, report) in distinct.values() {
        eprintln!("==================== seen {n} time(s)\n{report}\n");
    }
    assert_eq!(
        failing,
        0,
        "{failing} of {cases} programs disagree ({} distinct, cut down)",
        distinct.len()
    );
}

/// Small programs on which the engine and the reference once disagreed (most found by the
/// comparison itself): they must agree on each, or both reject it.
#[test]
fn small_programs_that_once_disagreed() {
    let cases = [
        // An `or` between the recursive atom and the way in.
        (
            "predicate seed(a0: Thing). predicate b(a0: Thing).\n\
             rule rb: b(P) if b(P) or seed(P) cites s.\nseed(y).\n",
            None,
        ),
        // `_` is a fresh variable at each occurrence.
        (
            "predicate e(a0: Thing, a1: Thing). predicate b(a0: Thing).\n\
             rule rb: b(P) if e(P, _) and e(_, P) cites s.\ne(x, y). e(z, x).\n",
            None,
        ),
        // Recursion through a double negation.
        (
            "predicate seed(a0: Thing). predicate b(a0: Thing).\n\
             rule rb: b(P) if seed(P) and not (not b(P)) cites s.\nseed(y).\n",
            Some("negation_cycle"),
        ),
        // `Y` occurs outside the `not` in one alternative of the `or` only: it is not local
        // to the `not`, and where `L = low` holds nothing gives it a value for the `not` to
        // read. Both sides once read it as "no `Y` at all" there (one variable, two meanings);
        // both reject it now. Bound in every alternative, the rule is compared: with Y = c0,
        // not b0(c0) is unknown and b2(c0, high) true, so d0(c1, high) is unknown.
        (
            "type Level = low < mid < high.\npredicate b0(a0: Thing).\n\
             predicate b2(a0: Thing, a1: Level) closed.\npredicate d0(a0: Thing, a1: Level).\n\
             rule r1: d0(Z, L) if not b0(Y) and (b2(Y, L) or L = low) and Z = c1 cites s.\n\
             b0(c1). b2(c0, high).\n",
            Some("unsafe_variable"),
        ),
        (
            "type Level = low < mid < high.\npredicate b0(a0: Thing).\n\
             predicate b2(a0: Thing, a1: Level) closed.\npredicate d0(a0: Thing, a1: Level).\n\
             rule r1: d0(Z, L) if not b0(Y) and (b2(Y, L) or b2(Y, L) and L = low) and Z = c1 \
             cites s.\n\
             b0(c1). b2(c0, high).\n",
            None,
        ),
        // The Orgs are what `org` lists as true, so a listing cannot be left unknown (the
        // engine read `unknown org(o2)` as a possible Org and answered `unknown`, though o2 is
        // not an Org): both refuse it.
        (
            "type Org from org.\ntype Color = red | green.\npredicate org(a0: Org) closed.\n\
             predicate d0(a0: Color).\nrule r1: d0(red) unless org(O) cites s.\n\
             unknown org(o2).\n",
            Some("unknown_membership"),
        ),
        (
            "type Org from org.\npredicate org(a0: Org) closed.\npredicate d(a0: Org).\n\
             rule r: d(O) if org(O) cites s.\nunknown org(o1).\n",
            Some("unknown_membership"),
        ),
        // With no Org listed, "unless some Org" holds: d0(red) is true.
        (
            "type Org from org.\ntype Color = red | green.\npredicate org(a0: Org) closed.\n\
             predicate d0(a0: Color).\nrule r1: d0(red) unless org(O) cites s.\n\
             not org(o2).\n",
            None,
        ),
        // An open proposition (no slots) that nobody stated is unknown, and so is what
        // follows from it (the possible pass lost its one row of no constants).
        (
            "predicate d1(a0: Thing).\npredicate d2().\nrule r3: d1(c0) if d2() cites s.\n",
            None,
        ),
        // `K = low` gives K, which fills no slot, its value.
        (
            "type Level = low < mid < high.\npredicate b2(a0: Thing, a1: Level).\n\
             predicate d(a0: Thing).\nrule r: d(Z) if K = low and b2(Z, mid) cites s.\n\
             b2(c1, mid).\n",
            None,
        ),
        // `unverified` may name a point some rule raises, wherever that rule is written (as
        // `settle` may): here the rule comes after it in the block. The engine refused it
        // (`unknown_rule`: it knew only the points of the rules checked so far); written
        // after the rule, it accepted it.
        (
            "predicate b0(a0: Thing). predicate d(a0: Thing).\n\
             position p {\n  unverified pt.\n\
             rule r: d(X) if b0(X) and unsettled(pt, \"open\") cites s.\n}\nb0(c).\n",
            None,
        ),
        // An Org is only what `org` lists: `O = o1` gives O no value when o1 is not listed
        // (the engine bound it anyway and answered d0(o1) = unknown; the reference grounds O
        // over the empty domain and answers false). Listed, it is an Org like any other.
        (
            "type Org from org.\npredicate org(a0: Org) closed.\npredicate b0(a0: Thing).\n\
             predicate d0(a0: Org).\nrule r2: d0(O) if b0(\"Big Co\") and O = o1 cites s.\n",
            None,
        ),
        (
            "type Org from org.\npredicate org(a0: Org) closed.\npredicate b0(a0: Thing).\n\
             predicate d0(a0: Org).\nrule r2: d0(O) if b0(c) and O = o1 cites s.\n\
             org(o1).\n",
            None,
        ),
        // The same for a constant in the conclusion, and for an equation inside a `not`.
        (
            "type Org from org.\npredicate org(a0: Org) closed.\npredicate b0(a0: Thing).\n\
             predicate d0(a0: Org).\nrule r2: d0(o1) if b0(c) cites s.\norg(o2).\n",
            None,
        ),
        (
            "type Org from org.\npredicate org(a0: Org) closed.\npredicate b0(a0: Thing).\n\
             predicate b1(a0: Org).\npredicate d0(a0: Thing).\n\
             rule r2: d0(T) if b0(T) and not (O = o1 and not b1(O)) cites s.\nb0(c).\n",
            None,
        ),
        // Rewritten by magic sets, `r5`'s demand on d1 reads `d0@b(red)` from its delta (the
        // magic predicates and d0@b are one component) and its magic atom last: `Y != c0`
        // came before anything gave Y a value, and d1(c1, 2017-06-27) was false, not unknown.
        (
            "type Color = red | green.\npredicate b1(a0: Thing, a1: Thing).\n\
             predicate when(a0: Thing, a1: Date).\npredicate d0(a0: Color).\n\
             predicate d1(a0: Thing, a1: Date).\npredicate d2(a0: Thing).\n\
             rule r1: d0(K) if K = red cites s.\n\
             rule r3: d1(Z, D) if b1(Z, X) and D = 2016-11-10 cites s.\n\
             rule r4: d1(X, D) if d1(c0, D) and d2(X) cites s.\n\
             rule r5: d1(Y, D) if d1(Y, E) and d0(red) and Y != c0 and when(X, D) cites s.\n\
             when(c0, 2017-06-27). not d1(c1, 2022-05-19).\n",
            None,
        ),
        // `Y` gets its value from `Z = Y`, outside the conjunction holding the `not`: planned
        // as a unit, that conjunction ran `not b2(Y, N)` before `Y` had a value.
        (
            "type Level = low < mid < high.\npredicate b2(a0: Thing, a1: Level).\n\
             predicate when(a0: Thing, a1: Date).\npredicate d2(a0: Thing).\n\
             rule r4: d2(Y) if (not b2(Y, N) and (b2(Z, L))) and Z = Y cites s.\n\
             b2(c0, low). when(c1, 2016-11-10).\n",
            None,
        ),
        // The same, with an equation of two variables: planned after the delta of `d0@b`,
        // `X = Z` counted as binding both though it ran with neither bound, and the magic
        // atom went last; the demand for d2(c2, c0) was lost.
        (
            "predicate b0(a0: Thing). predicate b1(a0: Thing, a1: Thing).\n\
             predicate d0(a0: Thing). predicate d2(a0: Thing, a1: Thing).\n\
             rule r3: d0(Z) if b1(Z, X) cites s.\n\
             rule r5: d2(Z, Y) if d0(Y) and d2(c2, X) and X = Z cites s.\n\
             rule r6: d2(X, X) if (b0(X) or X = c0) cites s.\n\
             b1(c0, c2).\n",
            None,
        ),
    ];
    let mut failures = Vec::new();
    for (text, rejected) in cases {
        let g = Generated {
            kb: vec![(
                "k.opinio".to_string(),
                format!("source s \"S\".\ntype Thing.\n{text}"),
            )],
            scenario: String::new(),
        };
        match (differential(&g, 1), rejected) {
            (Ok(Verdict::Agree(_)), None) => {}
            (Ok(Verdict::BothReject(code)), Some(want)) if code == want => {}
            (Ok(v), _) => failures.push(format!("{v:?}\n{}", g.text())),
            (Err(f), _) => failures.push(f.report),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Cuts a failing program down: deletes statements, position items, exceptions, conjuncts and
/// alternatives one at a time, as long as the engine and the reference still disagree.
fn minimize(g: &Generated, ground_queries: usize) -> Generated {
    let Err(first) = differential(g, ground_queries) else {
        return g.clone();
    };
    let fails = |g: &Generated| {
        differential(g, ground_queries)
            .is_err_and(|f| f.kind == first.kind && f.reasons == first.reasons)
    };
    let mut g = g.clone();
    loop {
        let mut progress = false;
        let files: Vec<String> =
            g.kb.iter()
                .map(|(_, t)| t.clone())
                .chain([g.scenario.clone()])
                .collect();
        'files: for (i, text) in files.iter().enumerate() {
            let Ok(file) = opinio::syntax::parse_file(opinio::syntax::span::FileId(0), text) else {
                continue;
            };
            let mut cuts: Vec<(usize, usize)> = Vec::new();
            for st in &file.statements {
                let span = st.span();
                cuts.push((span.start as usize, span.end as usize));
                let mut rules: Vec<&ast::RuleBody> = Vec::new();
                match st {
                    ast::Statement::Rule(r) => rules.push(&r.body),
                    ast::Statement::Position(p) => {
                        for it in &p.items {
                            let sp = match it {
                                ast::PositionItem::Add(r) | ast::PositionItem::Replace(r) => {
                                    rules.push(&r.body);
                                    r.span
                                }
                                ast::PositionItem::Withdraw { span, .. }
                                | ast::PositionItem::Affirm { span, .. }
                                | ast::PositionItem::Unverified { span, .. }
                                | ast::PositionItem::Settle { span, .. } => *span,
                            };
                            cuts.push((sp.start as usize, sp.end as usize));
                        }
                    }
                    _ => {}
                }
                for body in rules {
                    for e in &body.exceptions {
                        let end = e.span().end as usize;
                        if let Some(start) = text[..e.span().start as usize].rfind("unless") {
                            cuts.push((start, end));
                        }
                    }
                    for f in body.condition.iter().chain(&body.exceptions) {
                        formula_cuts(f, &mut cuts);
                    }
                }
            }
            // Longest cuts first: whole statements before their parts.
            cuts.sort_by_key(|(a, b)| std::cmp::Reverse(b - a));
            for (a, b) in cuts {
                let mut t = text.clone();
                t.replace_range(a..b, "");
                let mut candidate = g.clone();
                if i < candidate.kb.len() {
                    candidate.kb[i].1 = t;
                } else {
                    candidate.scenario = t;
                }
                if fails(&candidate) {
                    g = candidate;
                    progress = true;
                    break 'files;
                }
            }
        }
        if !progress {
            // Blank lines left by the cuts go too.
            let mut tidy = g.clone();
            for (_, t) in tidy.kb.iter_mut() {
                *t = compact(t);
            }
            tidy.scenario = compact(&tidy.scenario);
            return if fails(&tidy) { tidy } else { g };
        }
    }
}

fn compact(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Text ranges that remove one part of a conjunction or an alternative of an `or`, with the
/// word that joins it to its neighbour.
fn formula_cuts(f: &ast::Formula, cuts: &mut Vec<(usize, usize)>) {
    match f {
        ast::Formula::And(parts, _) | ast::Formula::Or(parts, _) => {
            for (k, p) in parts.iter().enumerate() {
                let cut = if k == 0 {
                    (p.span().start, parts[1].span().start)
                } else {
                    (parts[k - 1].span().end, p.span().end)
                };
                cuts.push((cut.0 as usize, cut.1 as usize));
                formula_cuts(p, cuts);
            }
        }
        ast::Formula::Not(inner, _) => formula_cuts(inner, cuts),
        _ => {}
    }
}

/// Replays a program printed by a failure (the files, each after its `----- NAME` line):
/// `OPINIO_PROGRAM=F cargo test --test differential replay -- --ignored --nocapture`.
#[test]
#[ignore = "replays the program in the file named by OPINIO_PROGRAM"]
fn replay() {
    let Ok(path) = std::env::var("OPINIO_PROGRAM") else {
        eprintln!("OPINIO_PROGRAM names no file: nothing to replay");
        return;
    };
    let text = std::fs::read_to_string(path).expect("readable");
    let mut g = Generated {
        kb: Vec::new(),
        scenario: String::new(),
    };
    let mut current: Option<(String, String)> = None;
    for line in text.lines().chain(["----- end"]) {
        if let Some(name) = line.strip_prefix("----- ") {
            if let Some((n, t)) = current.take() {
                if n == "scenario.opinio" {
                    g.scenario = t;
                } else {
                    g.kb.push((n, t));
                }
            }
            current = Some((name.trim().to_string(), String::new()));
        } else if let Some((_, t)) = current.as_mut() {
            t.push_str(line);
            t.push('\n');
        }
    }
    match differential(&g, 1) {
        Ok(v) => println!("agree: {v:?}"),
        Err(f) => panic!("{}", f.report),
    }
}

// ============================================================================ independence

#[test]
fn the_reference_imports_nothing_from_the_engine() {
    let text = include_str!("reference/mod.rs");
    for module in ["check", "graph", "eval", "explain"] {
        let path = format!("opinio::{module}");
        assert!(
            !text.contains(&path),
            "the reference evaluator must not use `{path}`"
        );
    }
    // Nor anything else of the crate but the parser and `Truth`, however it is written.
    for (at, _) in text.match_indices("opinio::") {
        let rest = &text[at + "opinio::".len()..];
        assert!(
            rest.starts_with("syntax") || rest.starts_with("Truth"),
            "the reference evaluator uses `opinio::{}`",
            rest.lines().next().unwrap_or_default()
        );
    }
    for name in ["KnowledgeBase", "Scenario", "use opinio::{"] {
        assert!(
            !text.contains(name),
            "the reference evaluator mentions `{name}`"
        );
    }
}

// ============================================================================ coverage

/// Every construct of the grammar (`grammar/opinio.pest`; the part before `:` is the grammar
/// rule's name) and every semantic situation the generator must produce.
const CONSTRUCTS: &[&str] = &[
    "COMMENT",
    "source_decl",
    "dated: on a source",
    "dated: on a position",
    "date: in a fact",
    "date: in a rule",
    "date: a leap day",
    "import_decl",
    "type_decl: open",
    "ordered_values",
    "enum_values",
    "enum_values: a value shared by two enumerations",
    "type_from",
    "predicate_decl",
    "slots: none (a predicate without arguments)",
    "slot",
    "slot: of the built-in type Date",
    "marker: closed",
    "marker: functional",
    "marker: on a derived predicate",
    "meaning",
    "reading",
    "reading: a sentence without slots",
    "reading: several slots",
    "point_title_decl",
    "citations: several",
    "citation: with a pinpoint",
    "citation: without a pinpoint",
    "note",
    "rule_decl",
    "rule_body: without `if`",
    "rule_body: without citation",
    "exception",
    "exception: several",
    "exception: with a local variable",
    "formula: or",
    "formula: or in a recursive rule",
    "formula: or nested inside and/not in a recursive rule",
    "formula: recursive atom inside an or",
    "conjunction: and",
    "conjunction: several recursive atoms in one alternative",
    "negation",
    "negation: grouped, not (a and b)",
    "negation: not (a or b)",
    "negation: double, not (not p)",
    "negation: double, not not p",
    "negation: of a derived predicate",
    "negation: with a named local variable",
    "negation: with `_` inside",
    "group",
    "unsettled",
    "unsettled: inside a negation",
    "comparison: on an ordered enumeration",
    "comparison: on an unordered enumeration",
    "comparison: on an open type",
    "comparison: on a type from a predicate",
    "comparison: between two variables",
    "comparison: a head variable bound by `= constant`",
    "comparison: inside a negation",
    "comparison: on dates",
    "comparison: on dates, ordering",
    "comparison: between two date variables",
    "comparison: a date variable and a date",
    "comparison: on dates inside a negation",
    "cmp_op: =",
    "cmp_op: !=",
    "cmp_op: <",
    "cmp_op: <=",
    "cmp_op: >",
    "cmp_op: >=",
    "atom",
    "atom: no argument",
    "term: variable",
    "term: name",
    "term: text (a quoted name)",
    "term: constant in a conclusion",
    "term: date",
    "name",
    "variable: named",
    "variable: anonymous `_`",
    "variable: repeated in a conclusion",
    "type_name",
    "text: with an escaped quote",
    "position_decl",
    "position_decl: without a body",
    "position_header: default",
    "position_header: none declared (implicit default)",
    "position_header: meaning",
    "position_header: citations",
    "extends",
    "extends: the default position, explicitly",
    "extends: a later position (forward reference)",
    "extends: a chain of positions",
    "position_body",
    "position_body: empty",
    "position_body: of the default position",
    "position_body: rule added",
    "position_body: rule for a predicate no top-level rule concludes",
    "replace_decl",
    "replace_decl: concluding another predicate",
    "withdraw_decl",
    "withdraw_decl: with citation",
    "affirm_decl: a rule",
    "affirm_decl: a predicate",
    "settle_decl",
    "unverified_decl",
    "unverified_decl: a rule",
    "unverified_decl: a predicate",
    "unverified_decl: an unsettled point",
    "unverified_decl: several names",
    "truth: true",
    "truth: false",
    "fact_stmt: true",
    "fact_stmt: not",
    "fact_stmt: unknown",
    "fact_stmt: unknown on a closed predicate",
    "fact_stmt: true on a functional predicate",
    "fact_stmt: stipulation (about a derived predicate)",
    "fact_stmt: unknown stipulation",
    "fact_stmt: in the knowledge base",
    "fact_stmt: in a scenario",
    "expect_stmt",
    "expect_stmt: under a position",
    "value: true",
    "value: false",
    "value: unknown",
    "recursion: a recursive rule",
    "recursion: mutual (several predicates in one stratum)",
    "recursion: through negation (rejected)",
    "recursion: through not (not p) (rejected)",
    "rejected: an edit of a rule not in force",
    "rejected: a date that does not exist (bad_date)",
    "rejected: a date or a name in the wrong slot (type_mismatch)",
    "rejected: `type Date` declared (duplicate_type)",
    "domain: six constants of one type",
    "domain: an empty type",
    "domain: a thing named only by a rule",
    "domain: a thing named like a value of an enumeration",
    "domain: a date named only by a rule",
];

/// Grammar rules that are not constructs of their own: the file and statement wrappers, a
/// choice among alternatives counted one by one, words and punctuation, and `query` and
/// `question` (with its `qmark`), which programs do not contain (the comparison asks
/// questions with them, about every atom).
const NOT_CONSTRUCTS: &[&str] = &[
    "WHITESPACE",
    "file",
    "query",
    "question",
    "qmark",
    "statement",
    "unary",
    "ident_char",
    "text_inner",
    "keyword",
    "dot",
    "comma",
    "colon",
    "equals",
    "less",
    "bar",
    "lparen",
    "rparen",
    "lbrace",
    "rbrace",
];

#[derive(Default)]
struct Seen(BTreeSet<&'static str>);

impl Seen {
    fn add(&mut self, name: &'static str) {
        assert!(CONSTRUCTS.contains(&name), "`{name}` is not in CONSTRUCTS");
        self.0.insert(name);
    }
}

/// The constructs one program contains, read from its syntax tree (and, for strata and
/// domains, from the reference).
fn constructs(g: &Generated) -> BTreeSet<&'static str> {
    let mut seen = Seen::default();
    let files = g.all_files();
    let mut statements: Vec<(usize, ast::Statement)> = Vec::new();
    let mut parsed = Vec::new();
    for (i, (_, text)) in files.iter().enumerate() {
        if text.contains('#') {
            seen.add("COMMENT");
        }
        if text.contains("\\\"") {
            seen.add("text: with an escaped quote");
        }
        let f = opinio::syntax::parse_file(opinio::syntax::span::FileId(i as u32), text)
            .expect("generated programs parse");
        statements.extend(f.statements.iter().cloned().map(|s| (i, s)));
        parsed.push(f);
    }
    let snippet = |file: usize, span: opinio::syntax::span::Span| -> &str {
        &files[file].1[span.start as usize..span.end as usize]
    };
    let is_scenario = |file: usize| file == files.len() - 1;
    // Declarations.
    let mut slot_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut enums: Vec<Vec<String>> = Vec::new();
    for (_, st) in &statements {
        match st {
            ast::Statement::Source(s) => {
                seen.add("source_decl");
                if s.date.is_some() {
                    seen.add("dated: on a source");
                }
            }
            ast::Statement::Import(_) => seen.add("import_decl"),
            ast::Statement::PointTitle(_) => seen.add("point_title_decl"),
            ast::Statement::Type(t) => {
                seen.add("type_name");
                match &t.body {
                    ast::TypeBody::Open => seen.add("type_decl: open"),
                    ast::TypeBody::Ordered(v) => {
                        seen.add("ordered_values");
                        enums.push(v.iter().map(|n| n.text.clone()).collect());
                    }
                    ast::TypeBody::Enumerated(v) => {
                        seen.add("enum_values");
                        enums.push(v.iter().map(|n| n.text.clone()).collect());
                    }
                    ast::TypeBody::From(_) => seen.add("type_from"),
                }
            }
            ast::Statement::Predicate(p) => {
                seen.add("predicate_decl");
                if p.slots.is_empty() {
                    seen.add("slots: none (a predicate without arguments)");
                } else {
                    seen.add("slot");
                }
                if p.slots.iter().any(|s| s.ty.text == "Date") {
                    seen.add("slot: of the built-in type Date");
                }
                slot_types.insert(
                    p.name.text.clone(),
                    p.slots.iter().map(|s| s.ty.text.clone()).collect(),
                );
                if p.closed.is_some() {
                    seen.add("marker: closed");
                }
                if p.functional.is_some() {
                    seen.add("marker: functional");
                }
                if p.meaning.is_some() {
                    seen.add("meaning");
                }
                if let Some(r) = &p.reading {
                    seen.add("reading");
                    if p.slots.is_empty() {
                        seen.add("reading: a sentence without slots");
                    }
                    if r.parts
                        .iter()
                        .filter(|x| matches!(x, ast::ReadingPart::Slot(_)))
                        .count()
                        > 1
                    {
                        seen.add("reading: several slots");
                    }
                }
                citations(&p.citations, &mut seen);
                if !p.notes.is_empty() {
                    seen.add("note");
                }
            }
            _ => {}
        }
    }
    // Rules, wherever they are.
    let mut rules: Vec<(&ast::RuleDecl, bool)> = Vec::new(); // (rule, top-level)
    for (_, st) in &statements {
        match st {
            ast::Statement::Rule(r) => rules.push((r, true)),
            ast::Statement::Position(p) => {
                for it in &p.items {
                    if let ast::PositionItem::Add(r) | ast::PositionItem::Replace(r) = it {
                        rules.push((r, false));
                    }
                }
            }
            _ => {}
        }
    }
    let derived: BTreeSet<String> = rules
        .iter()
        .map(|(r, _)| r.body.head.predicate.text.clone())
        .collect();
    let top_heads: BTreeSet<String> = rules
        .iter()
        .filter(|(_, top)| *top)
        .map(|(r, _)| r.body.head.predicate.text.clone())
        .collect();
    // The union of all dependency graphs, for "recursive".
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for (r, _) in &rules {
        let mut atoms = Vec::new();
        for f in r.body.condition.iter().chain(&r.body.exceptions) {
            formula_atoms(f, 0, &mut atoms);
        }
        for (a, _) in atoms {
            edges.insert((a.predicate.text.clone(), r.body.head.predicate.text.clone()));
        }
    }
    // Its transitive closure.
    let mut reach = edges.clone();
    loop {
        let more: Vec<(String, String)> = reach
            .iter()
            .flat_map(|(a, b)| {
                reach
                    .iter()
                    .filter(move |(c, _)| c == b)
                    .map(move |(_, d)| (a.clone(), d.clone()))
            })
            .filter(|e| !reach.contains(e))
            .collect();
        if more.is_empty() {
            break;
        }
        reach.extend(more);
    }
    let reaches = |a: &str, b: &str| reach.contains(&(a.to_string(), b.to_string()));
    let same_scc = |a: &str, b: &str| reaches(a, b) && reaches(b, a);
    for (r, _) in &rules {
        seen.add("rule_decl");
        seen.add("name");
        let head = &r.body.head.predicate.text;
        if slot_types[head].is_empty() {
            seen.add("atom: no argument");
        }
        if r.body.condition.is_none() {
            seen.add("rule_body: without `if`");
        }
        if r.body.citations.is_empty() {
            seen.add("rule_body: without citation");
        }
        citations(&r.body.citations, &mut seen);
        if !r.body.notes.is_empty() {
            seen.add("note");
        }
        let mut head_vars = Vec::new();
        for t in &r.body.head.args {
            match t {
                ast::Term::Variable(n) => {
                    if head_vars.contains(&n.text) {
                        seen.add("variable: repeated in a conclusion");
                    }
                    head_vars.push(n.text.clone());
                }
                ast::Term::Constant(_) => seen.add("term: constant in a conclusion"),
                ast::Term::Date(d) => {
                    seen.add("term: constant in a conclusion");
                    seen.add("date: in a rule");
                    date_seen(&d.text, &mut seen);
                }
            }
        }
        if !r.body.exceptions.is_empty() {
            seen.add("exception");
        }
        if r.body.exceptions.len() > 1 {
            seen.add("exception: several");
        }
        // Variables outside every negation.
        let mut outside: BTreeSet<String> = head_vars.iter().cloned().collect();
        if let Some(c) = &r.body.condition {
            vars_outside(c, &mut outside);
        }
        for e in &r.body.exceptions {
            let mut inside = BTreeSet::new();
            formula_vars(e, &mut inside);
            if inside.iter().any(|v| v != "_" && !outside.contains(v)) {
                seen.add("exception: with a local variable");
            }
        }
        let recursive = {
            let mut atoms = Vec::new();
            for f in r.body.condition.iter().chain(&r.body.exceptions) {
                formula_atoms(f, 0, &mut atoms);
            }
            atoms.iter().any(|(a, _)| same_scc(&a.predicate.text, head))
        };
        if recursive {
            seen.add("recursion: a recursive rule");
        }
        let in_scc = |p: &str| same_scc(p, head);
        let var_type = |v: &str| -> Option<String> {
            let mut atoms = Vec::new();
            for f in r.body.condition.iter().chain(&r.body.exceptions) {
                formula_atoms(f, 0, &mut atoms);
            }
            atoms.push((&r.body.head, 0));
            atoms.iter().find_map(|(a, _)| {
                a.args
                    .iter()
                    .position(|t| matches!(t, ast::Term::Variable(n) if n.text == v))
                    .map(|i| slot_types[&a.predicate.text][i].clone())
            })
        };
        let mut walk = Walk {
            seen: &mut seen,
            recursive,
            in_scc: &in_scc,
            var_type: &var_type,
            head_vars: &head_vars,
            outside: &outside,
            files: &files,
            slot_types: &slot_types,
            derived: &derived,
        };
        if let Some(c) = &r.body.condition {
            walk.formula(c, 0, 0, false);
        }
        for e in &r.body.exceptions {
            walk.formula(e, 0, 1, false);
        }
    }
    // Positions.
    let positions: Vec<&ast::PositionDecl> = statements
        .iter()
        .filter_map(|(_, s)| match s {
            ast::Statement::Position(p) => Some(p),
            _ => None,
        })
        .collect();
    if !positions.iter().any(|p| p.is_default.is_some()) {
        seen.add("position_header: none declared (implicit default)");
    }
    for (k, p) in positions.iter().enumerate() {
        seen.add("position_decl");
        let text = snippet(p.span.file.0 as usize, p.span);
        if !text.contains('{') {
            seen.add("position_decl: without a body");
        } else if p.items.is_empty() {
            seen.add("position_body: empty");
        }
        if p.is_default.is_some() {
            seen.add("position_header: default");
            if !p.items.is_empty() {
                seen.add("position_body: of the default position");
            }
        }
        if p.meaning.is_some() {
            seen.add("position_header: meaning");
        }
        if !p.citations.is_empty() {
            seen.add("position_header: citations");
        }
        citations(&p.citations, &mut seen);
        if p.date.is_some() {
            seen.add("dated: on a position");
        }
        if let Some(e) = &p.extends {
            seen.add("extends");
            match positions.iter().position(|q| q.name.text == e.text) {
                Some(j) if positions[j].is_default.is_some() => {
                    seen.add("extends: the default position, explicitly")
                }
                Some(j) => {
                    seen.add("extends: a chain of positions");
                    if j > k {
                        seen.add("extends: a later position (forward reference)");
                    }
                }
                None => {}
            }
        }
        if !p.items.is_empty() {
            seen.add("position_body");
        }
        for it in &p.items {
            match it {
                ast::PositionItem::Add(r) => {
                    seen.add("position_body: rule added");
                    if !top_heads.contains(&r.body.head.predicate.text) {
                        seen.add("position_body: rule for a predicate no top-level rule concludes");
                    }
                }
                ast::PositionItem::Replace(r) => {
                    seen.add("replace_decl");
                    let old = rules
                        .iter()
                        .find(|(x, top)| *top && x.name.text == r.name.text)
                        .map(|(x, _)| x.body.head.predicate.text.clone());
                    if old.is_some_and(|o| o != r.body.head.predicate.text) {
                        seen.add("replace_decl: concluding another predicate");
                    }
                    if !top_heads.contains(&r.body.head.predicate.text) {
                        seen.add("position_body: rule for a predicate no top-level rule concludes");
                    }
                }
                ast::PositionItem::Unverified {
                    names,
                    citations: c,
                    notes,
                    ..
                } => {
                    seen.add("unverified_decl");
                    citations(c, &mut seen);
                    if !notes.is_empty() {
                        seen.add("note");
                    }
                    if names.len() > 1 {
                        seen.add("unverified_decl: several names");
                    }
                    for n in names {
                        seen.add(if slot_types.contains_key(&n.text) {
                            "unverified_decl: a predicate"
                        } else if POINTS.contains(&n.text.as_str()) {
                            "unverified_decl: an unsettled point"
                        } else {
                            "unverified_decl: a rule"
                        });
                    }
                }
                ast::PositionItem::Withdraw { citations: c, .. } => {
                    seen.add("withdraw_decl");
                    if !c.is_empty() {
                        seen.add("withdraw_decl: with citation");
                    }
                }
                ast::PositionItem::Affirm { target, .. } => {
                    if slot_types.contains_key(&target.text) {
                        seen.add("affirm_decl: a predicate");
                    } else {
                        seen.add("affirm_decl: a rule");
                    }
                }
                ast::PositionItem::Settle { value, .. } => {
                    seen.add("settle_decl");
                    seen.add(if *value {
                        "truth: true"
                    } else {
                        "truth: false"
                    });
                }
            }
        }
    }
    // Facts and expectations.
    let mut closed = BTreeSet::new();
    let mut functional = BTreeSet::new();
    for (_, st) in &statements {
        if let ast::Statement::Predicate(p) = st {
            if p.closed.is_some() {
                closed.insert(p.name.text.clone());
            }
            if p.functional.is_some() {
                functional.insert(p.name.text.clone());
                if derived.contains(&p.name.text) {
                    seen.add("marker: on a derived predicate");
                }
            }
            if p.closed.is_some() && derived.contains(&p.name.text) {
                seen.add("marker: on a derived predicate");
            }
        }
    }
    for (file, st) in &statements {
        match st {
            ast::Statement::Fact(f) => {
                let pred = &f.atom.predicate.text;
                seen.add(match f.value {
                    Truth::True => "fact_stmt: true",
                    Truth::False => "fact_stmt: not",
                    Truth::Unknown => "fact_stmt: unknown",
                });
                if f.value == Truth::Unknown && closed.contains(pred) {
                    seen.add("fact_stmt: unknown on a closed predicate");
                }
                if f.value == Truth::True && functional.contains(pred) {
                    seen.add("fact_stmt: true on a functional predicate");
                }
                if derived.contains(pred) {
                    seen.add("fact_stmt: stipulation (about a derived predicate)");
                    if f.value == Truth::Unknown {
                        seen.add("fact_stmt: unknown stipulation");
                    }
                }
                seen.add(if is_scenario(*file) {
                    "fact_stmt: in a scenario"
                } else {
                    "fact_stmt: in the knowledge base"
                });
                if f.atom.args.is_empty() {
                    seen.add("atom: no argument");
                }
                for t in &f.atom.args {
                    if let ast::Term::Date(d) = t {
                        seen.add("date: in a fact");
                        date_seen(&d.text, &mut seen);
                    }
                }
            }
            ast::Statement::Expect(e) => {
                seen.add("expect_stmt");
                if e.position.is_some() {
                    seen.add("expect_stmt: under a position");
                }
                seen.add(match e.value {
                    Truth::True => "value: true",
                    Truth::False => "value: false",
                    Truth::Unknown => "value: unknown",
                });
            }
            _ => {}
        }
    }
    for (i, a) in enums.iter().enumerate() {
        for b in &enums[i + 1..] {
            if a.iter().any(|v| b.contains(v)) {
                seen.add("enum_values: a value shared by two enumerations");
            }
        }
    }
    // Strata, rejections and domains, from the reference.
    match Reference::from_syntax(&parsed) {
        Ok(r) => {
            for pos in r.position_names() {
                if r.strata(&pos).iter().any(|s| s.len() > 1) {
                    seen.add("recursion: mutual (several predicates in one stratum)");
                }
            }
            for ty in ["Thing", "Org"] {
                match r.domain(ty).len() {
                    0 => seen.add("domain: an empty type"),
                    6 => seen.add("domain: six constants of one type"),
                    _ => {}
                }
            }
            let in_facts: BTreeSet<String> = statements
                .iter()
                .filter_map(|(_, s)| match s {
                    ast::Statement::Fact(f) => Some(f),
                    _ => None,
                })
                .flat_map(|f| {
                    f.atom.args.iter().filter_map(|t| match t {
                        ast::Term::Constant(n) | ast::Term::Date(n) => Some(n.text.clone()),
                        ast::Term::Variable(_) => None,
                    })
                })
                .collect();
            if r.domain("Thing")
                .iter()
                .any(|c| enums.iter().flatten().any(|v| v == c))
            {
                seen.add("domain: a thing named like a value of an enumeration");
            }
            if r.domain("Thing").iter().any(|c| !in_facts.contains(c)) {
                seen.add("domain: a thing named only by a rule");
            }
            if r.domain("Date").iter().any(|c| !in_facts.contains(c)) {
                seen.add("domain: a date named only by a rule");
            }
        }
        Err(rej) if rej.code == "negation_cycle" => {
            seen.add("recursion: through negation (rejected)");
            let double = rules.iter().any(|(r, _)| {
                let mut atoms = Vec::new();
                for f in r.body.condition.iter() {
                    formula_atoms(f, 0, &mut atoms);
                }
                atoms.iter().any(|(a, nots)| {
                    *nots >= 2 && same_scc(&a.predicate.text, &r.body.head.predicate.text)
                })
            });
            if double {
                seen.add("recursion: through not (not p) (rejected)");
            }
        }
        Err(rej) if rej.code == "unknown_rule" => {
            seen.add("rejected: an edit of a rule not in force")
        }
        Err(rej) if rej.code == "bad_date" => {
            seen.add("rejected: a date that does not exist (bad_date)")
        }
        Err(rej) if rej.code == "type_mismatch" => {
            seen.add("rejected: a date or a name in the wrong slot (type_mismatch)")
        }
        Err(rej) if rej.code == "duplicate_type" => {
            seen.add("rejected: `type Date` declared (duplicate_type)")
        }
        Err(_) => {}
    }
    seen.0
}

/// What a date literal shows: a leap day.
fn date_seen(text: &str, seen: &mut Seen) {
    if text.ends_with("-02-29") && reference::calendar_date(text).is_some() {
        seen.add("date: a leap day");
    }
}

fn citations(c: &[ast::Citation], seen: &mut Seen) {
    if c.len() > 1 {
        seen.add("citations: several");
    }
    for x in c {
        seen.add(if x.pinpoint.is_some() {
            "citation: with a pinpoint"
        } else {
            "citation: without a pinpoint"
        });
    }
}

fn formula_atoms<'a>(f: &'a ast::Formula, nots: usize, out: &mut Vec<(&'a ast::Atom, usize)>) {
    match f {
        ast::Formula::And(v, _) | ast::Formula::Or(v, _) => {
            v.iter().for_each(|x| formula_atoms(x, nots, out))
        }
        ast::Formula::Not(x, _) => formula_atoms(x, nots + 1, out),
        ast::Formula::Atom(a) => out.push((a, nots)),
        ast::Formula::Compare { .. } | ast::Formula::Unsettled { .. } => {}
    }
}

fn term_var(t: &ast::Term) -> Option<&str> {
    match t {
        ast::Term::Variable(n) => Some(&n.text),
        ast::Term::Constant(_) | ast::Term::Date(_) => None,
    }
}

fn formula_vars(f: &ast::Formula, out: &mut BTreeSet<String>) {
    match f {
        ast::Formula::And(v, _) | ast::Formula::Or(v, _) => {
            v.iter().for_each(|x| formula_vars(x, out))
        }
        ast::Formula::Not(x, _) => formula_vars(x, out),
        ast::Formula::Atom(a) => out.extend(a.args.iter().filter_map(term_var).map(String::from)),
        ast::Formula::Compare { left, right, .. } => out.extend(
            [left, right]
                .into_iter()
                .filter_map(term_var)
                .map(String::from),
        ),
        ast::Formula::Unsettled { .. } => {}
    }
}

fn vars_outside(f: &ast::Formula, out: &mut BTreeSet<String>) {
    match f {
        ast::Formula::And(v, _) | ast::Formula::Or(v, _) => {
            v.iter().for_each(|x| vars_outside(x, out))
        }
        ast::Formula::Not(..) => {}
        other => formula_vars(other, out),
    }
}

struct Walk<'a> {
    seen: &'a mut Seen,
    recursive: bool,
    in_scc: &'a dyn Fn(&str) -> bool,
    var_type: &'a dyn Fn(&str) -> Option<String>,
    head_vars: &'a [String],
    outside: &'a BTreeSet<String>,
    files: &'a [(&'a str, &'a str)],
    slot_types: &'a BTreeMap<String, Vec<String>>,
    derived: &'a BTreeSet<String>,
}

impl Walk<'_> {
    fn snippet(&self, span: opinio::syntax::span::Span) -> &str {
        &self.files[span.file.0 as usize].1[span.start as usize..span.end as usize]
    }

    /// `depth`: connectives above; `nots`: negations above (an `unless` counts one).
    fn formula(&mut self, f: &ast::Formula, depth: usize, nots: usize, under_or: bool) {
        match f {
            ast::Formula::Or(parts, _) => {
                self.seen.add("formula: or");
                if self.recursive {
                    self.seen.add("formula: or in a recursive rule");
                    if depth > 0 {
                        self.seen
                            .add("formula: or nested inside and/not in a recursive rule");
                    }
                }
                for p in parts {
                    self.formula(p, depth + 1, nots, true);
                }
            }
            ast::Formula::And(parts, _) => {
                self.seen.add("conjunction: and");
                if parts.iter().any(|p| matches!(p, ast::Formula::Or(..))) {
                    self.seen.add("group");
                }
                let recursive_atoms = parts
                    .iter()
                    .filter(
                        |p| matches!(p, ast::Formula::Atom(a) if (self.in_scc)(&a.predicate.text)),
                    )
                    .count();
                if recursive_atoms >= 2 && nots == 0 {
                    self.seen
                        .add("conjunction: several recursive atoms in one alternative");
                }
                for p in parts {
                    self.formula(p, depth + 1, nots, under_or);
                }
            }
            ast::Formula::Not(inner, span) => {
                self.seen.add("negation");
                match &**inner {
                    ast::Formula::And(..) => {
                        self.seen.add("negation: grouped, not (a and b)");
                        self.seen.add("group");
                    }
                    ast::Formula::Or(..) => {
                        self.seen.add("negation: not (a or b)");
                        self.seen.add("group");
                    }
                    ast::Formula::Not(..) => {
                        let text = self.snippet(*span);
                        let rest = text.trim_start_matches("not").trim_start();
                        self.seen.add(if rest.starts_with('(') {
                            "negation: double, not (not p)"
                        } else {
                            "negation: double, not not p"
                        });
                    }
                    _ => {}
                }
                let mut vars = BTreeSet::new();
                formula_vars(inner, &mut vars);
                if vars.contains("_") {
                    self.seen.add("negation: with `_` inside");
                }
                if vars.iter().any(|v| v != "_" && !self.outside.contains(v)) {
                    self.seen.add("negation: with a named local variable");
                }
                self.formula(inner, depth + 1, nots + 1, under_or);
            }
            ast::Formula::Atom(a) => {
                self.seen.add("atom");
                if nots > 0 && self.derived.contains(&a.predicate.text) {
                    self.seen.add("negation: of a derived predicate");
                }
                if under_or && nots == 0 && (self.in_scc)(&a.predicate.text) {
                    self.seen.add("formula: recursive atom inside an or");
                }
                if self.slot_types[&a.predicate.text].is_empty() {
                    self.seen.add("atom: no argument");
                }
                for t in &a.args {
                    match t {
                        ast::Term::Variable(n) if n.text == "_" => {
                            self.seen.add("term: variable");
                            self.seen.add("variable: anonymous `_`");
                        }
                        ast::Term::Variable(_) => {
                            self.seen.add("term: variable");
                            self.seen.add("variable: named");
                        }
                        ast::Term::Date(d) => {
                            self.seen.add("term: date");
                            self.seen.add("date: in a rule");
                            date_seen(&d.text, self.seen);
                        }
                        ast::Term::Constant(n) => {
                            if self.snippet(n.span).starts_with('"') {
                                self.seen.add("term: text (a quoted name)");
                            } else {
                                self.seen.add("term: name");
                            }
                        }
                    }
                }
            }
            ast::Formula::Compare {
                left, op, right, ..
            } => {
                self.seen.add(match op {
                    ast::CmpOp::Eq => "cmp_op: =",
                    ast::CmpOp::Ne => "cmp_op: !=",
                    ast::CmpOp::Lt => "cmp_op: <",
                    ast::CmpOp::Le => "cmp_op: <=",
                    ast::CmpOp::Gt => "cmp_op: >",
                    ast::CmpOp::Ge => "cmp_op: >=",
                });
                if nots > 0 {
                    self.seen.add("comparison: inside a negation");
                }
                let ty = [left, right]
                    .into_iter()
                    .filter_map(term_var)
                    .find_map(|v| (self.var_type)(v));
                match ty.as_deref() {
                    Some("Level") => self.seen.add("comparison: on an ordered enumeration"),
                    Some("Color") => self.seen.add("comparison: on an unordered enumeration"),
                    Some("Thing") => self.seen.add("comparison: on an open type"),
                    Some("Org") => self.seen.add("comparison: on a type from a predicate"),
                    Some("Date") => {
                        self.seen.add("comparison: on dates");
                        if !matches!(op, ast::CmpOp::Eq | ast::CmpOp::Ne) {
                            self.seen.add("comparison: on dates, ordering");
                        }
                        if term_var(left).is_some() && term_var(right).is_some() {
                            self.seen.add("comparison: between two date variables");
                        }
                        if nots > 0 {
                            self.seen.add("comparison: on dates inside a negation");
                        }
                    }
                    _ => {}
                }
                for t in [left, right] {
                    if let ast::Term::Date(d) = t {
                        self.seen.add("date: in a rule");
                        date_seen(&d.text, self.seen);
                        if ty.as_deref() == Some("Date") {
                            self.seen.add("comparison: a date variable and a date");
                        }
                    }
                }
                if term_var(left).is_some() && term_var(right).is_some() {
                    self.seen.add("comparison: between two variables");
                }
                if *op == ast::CmpOp::Eq {
                    let bound_head = [left, right]
                        .into_iter()
                        .filter_map(term_var)
                        .any(|v| self.head_vars.iter().any(|h| h == v));
                    let constant = [left, right]
                        .iter()
                        .any(|t| matches!(t, ast::Term::Constant(_)));
                    if bound_head && constant {
                        self.seen
                            .add("comparison: a head variable bound by `= constant`");
                    }
                }
            }
            ast::Formula::Unsettled { .. } => {
                self.seen.add("unsettled");
                if nots > 0 {
                    self.seen.add("unsettled: inside a negation");
                }
            }
        }
    }
}

#[test]
fn the_generator_covers_the_language() {
    // The list of constructs names every rule of the grammar.
    let grammar = include_str!("../grammar/opinio.pest");
    let rules: Vec<&str> = grammar
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (name, rest) = l.split_once('=')?;
            let name = name.trim();
            (!name.is_empty()
                && !name.starts_with("//")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && rest.trim_start().starts_with(['{', '_', '@', '$']))
            .then_some(name)
        })
        .collect();
    assert!(rules.len() > 40, "read the grammar's rules: {rules:?}");
    for rule in &rules {
        if rule.starts_with("k_") || NOT_CONSTRUCTS.contains(rule) {
            continue;
        }
        assert!(
            CONSTRUCTS
                .iter()
                .any(|c| c.split(':').next() == Some(*rule)),
            "the grammar rule `{rule}` has no construct in CONSTRUCTS"
        );
    }
    // Over 1,000 programs, every construct appears.
    let mut counts: BTreeMap<&str, usize> = CONSTRUCTS.iter().map(|c| (*c, 0)).collect();
    let mut runner = TestRunner::deterministic();
    let strategy = choices();
    for _ in 0..1000 {
        let data = strategy.new_tree(&mut runner).expect("a value").current();
        for c in constructs(&generate(&data)) {
            *counts.get_mut(c).expect("listed") += 1;
        }
    }
    let mut table = String::new();
    for (c, n) in &counts {
        let _ = writeln!(table, "{n:>5}  {c}");
    }
    eprintln!("constructs in 1,000 generated programs:\n{table}");
    let missing: Vec<&&str> = counts
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(c, _)| c)
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}\n{table}");
}

// ============================================================================ other properties

fn load(g: &Generated) -> Option<(KnowledgeBase, Scenario)> {
    load_engine(g).ok()
}

/// Every ground atom of every predicate, over the engine's domains.
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

/// Whether a predicate lists the values of a type (changing it changes a domain).
fn lists_a_type(program: &Program, pred: PredId) -> bool {
    program
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::From(p) if p == pred))
}

proptest! {
    #![proptest_config(config(100))]

    #[test]
    fn knowing_more_never_flips_true_and_false(data in choices(), pick in any::<prop::sample::Index>(), to_true in any::<bool>()) {
        let g = generate(&data);
        let Some((kb, s)) = load(&g) else { return Ok(()) };
        let program = kb.program();
        let pos = PosId::from_index(0);
        let before = s.model(pos).expect("evaluates");
        // A base atom whose change leaves the domains alone (a `from` type's lister would).
        let unknown_base: Vec<(PredId, Tuple)> = all_atoms(program, &s)
            .into_iter()
            .filter(|(p, a)| !program.predicate(*p).derived && before.value(*p, a) == Truth::Unknown && !lists_a_type(program, *p))
            .collect();
        prop_assume!(!unknown_base.is_empty());
        let (pred, args) = pick.get(&unknown_base).clone();
        let v = if to_true { Truth::True } else { Truth::False };
        let after = s.what_if(pos, &[(pred, args.clone(), v)]).expect("evaluates");
        for (p, a) in all_atoms(program, &s) {
            let (x, y) = (before.value(p, &a), after.value(p, &a));
            if x != Truth::Unknown {
                prop_assert_eq!(x, y, "{} flipped after setting {} to {:?}\n{}",
                    program.atom_text(p, &a, s.interner()),
                    program.atom_text(pred, &args, s.interner()), v, g.text());
            }
        }
    }

    #[test]
    fn answers_are_deterministic(data in choices()) {
        let g = generate(&data);
        let (Some((kb, s1)), Some((_, s2))) = (load(&g), load(&g)) else { return Ok(()) };
        for pos in kb.position_names() {
            for p in &kb.program().predicates {
                let vars: Vec<String> = (0..p.slots.len()).map(|i| format!("V{i}")).collect();
                let goal = format!("{}({})", p.name, vars.join(", "));
                let a = s1.query(&goal, Some(pos)).expect("answers");
                let b = s2.query(&goal, Some(pos)).expect("answers");
                prop_assert_eq!(
                    serde_json::to_string(&a.answers).expect("json"),
                    serde_json::to_string(&b.answers).expect("json")
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn settle_sets_really_settle(data in choices()) {
        let g = generate(&data);
        let Some((kb, s)) = load(&g) else { return Ok(()) };
        let program = kb.program();
        let pos = PosId::from_index(0);
        let model = s.model(pos).expect("evaluates");
        let unknown: Vec<(PredId, Tuple)> = all_atoms(program, &s)
            .into_iter()
            .filter(|(p, a)| program.predicate(*p).derived && model.value(*p, a) == Truth::Unknown)
            .take(6)
            .collect();
        for (pred, args) in unknown {
            let ex = s.explain_atom(pos, pred, &args).expect("explains");
            for (sets, want) in [(&ex.would_make_true, Truth::True), (&ex.would_make_false, Truth::False)] {
                for set in sets {
                    let changes: Vec<(PredId, Tuple, Truth)> = set
                        .iter()
                        .map(|fv| {
                            let goal = s.parse_goal(&fv.atom.to_string()).expect("a ground atom");
                            let a = goal.atom();
                            let t: Tuple = a.args.iter().map(|t| match t { Term::Const(c) => *c, Term::Var(_) => unreachable!() }).collect();
                            (a.pred, t, fv.value)
                        })
                        .collect();
                    let m = s.what_if(pos, &changes).expect("evaluates");
                    prop_assert_eq!(m.value(pred, &args), want, "{:?} does not settle {}\n{}", set, ex.atom, g.text());
                }
            }
            if ex.cannot_be_settled_by_facts_alone {
                prop_assert!(!ex.unsettled_points.is_empty(), "no open point, yet facts cannot settle {}", ex.atom);
            }
        }
    }
}

/// How many generated programs `residual_what_ifs_agree_with_evaluating_the_law` tries
/// (`OPINIO_RESIDUAL_CASES` for a longer run).
fn residual_cases() -> u32 {
    std::env::var("OPINIO_RESIDUAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(config(residual_cases()))]

    /// The reasons and explanations decide their what-ifs on residual programs (the unknown
    /// atoms' ground rule instances): on generated programs (`or`s that bind variables the
    /// rest of a body reads, negations with variables of their own, functional predicates,
    /// dates, stipulations), every classification, explanation and detailed reason is the
    /// one evaluating the law again, with the same supports, gives.
    #[test]
    fn residual_what_ifs_agree_with_evaluating_the_law(data in choices()) {
        let g = generate(&data);
        let Some((kb, s)) = load(&g) else { return Ok(()) };
        let program = kb.program();
        let pos = PosId::from_index(0);
        let goals: Vec<opinio::program::Goal> = (0..program.predicates.len())
            .map(PredId::from_index)
            .filter(|p| program.predicate(*p).derived)
            .map(|p| opinio::program::Goal::every_instance(program, p))
            .collect();
        let answers: Vec<opinio::Answer> = s
            .query_goals(&goals, pos)
            .expect("evaluates")
            .into_iter()
            .flat_map(|r| r.answers)
            .collect();
        opinio::explain::set_residual_what_ifs(false);
        let by_law = s.classify_unknowns(&answers).expect("classifies");
        let explained: Vec<_> = answers
            .iter()
            .filter(|a| a.value == Truth::Unknown)
            .take(6)
            .map(|a| (s.explain(a).expect("explains"), s.why_unknown(a).expect("reasons")))
            .collect();
        opinio::explain::set_residual_what_ifs(true);
        let residual = s.classify_unknowns(&answers).expect("classifies");
        prop_assert_eq!(&residual, &by_law, "classification\n{}", g.text());
        for (a, (e, r)) in answers.iter().filter(|a| a.value == Truth::Unknown).zip(&explained) {
            let here = s.explain(a).expect("explains");
            prop_assert_eq!(
                serde_json::to_string(&here).expect("json"),
                serde_json::to_string(e).expect("json"),
                "explanation of {}\n{}", a.atom, g.text()
            );
            prop_assert_eq!(&s.why_unknown(a).expect("reasons"), r, "reason for {}\n{}", a.atom, g.text());
        }
    }
}
