//! # A deliberately naive reference evaluator: the oracle of `tests/differential.rs`
//!
//! This module computes what an Opinio program *means* straight from the contract
//! (`SEMANTICS.md`, the language's contract, kept beside the repository) and the language
//! guide (`docs/language.md`, sections 3 to 13), sharing nothing with the engine but the
//! parser: it reads the syntax tree built by `opinio::syntax` and uses the `opinio::Truth` type, and nothing else of the crate. A test
//! in `tests/differential.rs` reads this file and fails if it ever mentions the engine's
//! checking, graph, evaluation or explanation modules. A fault there can therefore show as a
//! disagreement instead of being copied into the expected answers.
//!
//! It is written to be obviously right, not fast: constants are strings, every alternative of
//! every rule is grounded over whole domains, fixpoints are reached by plain repetition. Three
//! shortcuts keep a debug build quick, each plainly harmless: an assignment is dropped as soon
//! as one literal of its conjunction is certainly `false`; ground bodies fold in the values
//! they already know (`false and x` is `false`, `true and x` is `x`, and so on); a negation
//! grounded once for given values of the variables it mentions is not grounded again.
//!
//! - **Positions** (§10) are resolved here: the default position (the one marked `default`,
//!   or an implicit one named `default`) holds the rules written outside any position, then
//!   the items of its own block; every other position starts from what the position it
//!   `extends` (by default, the default position) ends with, then applies its own items in
//!   order: `rule` adds (a name already in force is an error), `replace` swaps the rule in
//!   place, `withdraw` removes it (both: a name not in force is an error), `affirm` changes no
//!   value (it must name a rule in force or a predicate), `unverified` changes no value either
//!   (each of its names must be a rule in force, a predicate or a point some rule raises),
//!   `settle` decides a point (which some rule must raise). Settlements are inherited and may be
//!   overridden. A `dated` source or position changes nothing; its date must exist. Nor do
//!   the plain-language clauses (a predicate's `reads "…"`, `unsettled POINT titled "…".`):
//!   they are ignored here.
//! - **Derived predicates** (§7, §13) are those some rule concludes, under any position;
//!   under a position with no rule for one, its atoms are `false` (stipulations aside).
//! - **Base atoms** take their stated value; unstated ones are `false` for a `closed`
//!   predicate, `false` for a `functional` one whose other value in the last slot is stated
//!   `true`, `false` outside the domains, and `unknown` otherwise. `unknown p(a).` states
//!   `unknown` on purpose.
//! - **Domains** (§6, §13): an enumeration's values; for a type `from` a closed predicate,
//!   what that predicate is stated `true` of; for every other type, the constants the facts
//!   and the knowledge base name in slots of that type (facts of any value, atoms of any rule
//!   under any position, and constants compared with a variable of that type). An `expect`
//!   is a question, not a fact: it names no new thing (a constant nobody else names is an
//!   error, as in a question).
//! - **Dates** (§6): the type `Date` is built in (declaring it is declaring a type twice). Its
//!   values are the dates written in facts and rules (in slots, or compared with anything), not
//!   those after `dated`. A date goes only in a slot of the type `Date` or a comparison with
//!   one, and a name never does (both: `type_mismatch`); a date that does not exist, or is not
//!   written `YYYY-MM-DD`, is `bad_date`. This module reads dates itself ([`calendar_date`]).
//! - **Strata** (SEMANTICS, Evaluation): the predicate dependency graph of the rules in force,
//!   its transitive closure, components of mutual reachability, in an order where a component
//!   comes after those it reads. An edge read under at least one `not` (or in an `unless`) is
//!   negative, whatever the nesting (`not (not p)` included); a negative edge inside a
//!   component is recursion through negation, and the program is rejected.
//! - **Variables** (§8): `_` is a fresh variable at each occurrence. An `or` is a choice
//!   between alternatives, each read as a rule of its own (as in Soufflé, and as the safety
//!   rule of §8 reads it, "in every alternative of an or"): a body is spread out into its
//!   alternatives, conjunctions of atoms, comparisons, `unsettled` points and negations (strong
//!   Kleene logic is distributive, so this changes no value). A variable occurring in an
//!   alternative outside its negations is a variable of that alternative: the alternative's
//!   instances give it every value of its domain. A variable occurring in an alternative only
//!   inside negations is local to each negation it occurs in, read "there is some value" over
//!   its slot's domain, and the negated formula is read the same way, alternative by
//!   alternative; unless another alternative gives it a value outside its negations: the
//!   rule is then unsafe (`unsafe_variable`; in Soufflé too, which grounds each alternative
//!   as a clause), since one variable would mean a value here and "no value at all" there. Without `or` this is plain grounding of the rule, with each local variable
//!   quantified at the innermost negation holding all its occurrences; with `or`, a variable
//!   of one alternative only does not make the others depend on its domain being non-empty.
//! - **Values** (§3, §13): a ground body is evaluated in strong Kleene logic, `unless E`
//!   being `and not E`. Within a stratum, atoms of lower strata, base atoms and stipulated
//!   atoms have their final value; the `true` atoms are the least fixpoint of "some instance's
//!   body is `true`" (atoms of the stratum not yet found `true` counting as `false`), the
//!   *possibly true* atoms the least fixpoint of "some instance's body is not `false`" (atoms
//!   of the stratum not yet found possible counting as `false`, found ones as `true`). An atom
//!   is `true` if in the first set, `unknown` if only in the second, `false` otherwise; a
//!   stipulation replaces that for its atom. Without recursion this is exactly the completion
//!   of §13 (true if some instance is true, false if all are false, else unknown), and an atom
//!   that only supports itself is `false`.
//! - `unsettled(point, "why")` is `unknown` unless the position settles the point.
//! - Comparisons: `=` and `!=` compare names; `<`, `<=`, `>`, `>=` compare the ranks of the
//!   values of an ordered enumeration, and dates by (year, month, day). A variable that fills
//!   no slot takes as values the constants it is equated to (`K = low`).
//!
//! Where the contract can be read two ways, the reading taken is the one written above (the
//! `or` alternatives; `from` domains hold what is listed `true`, and a listing cannot be
//! `unknown`; an `expect` names no new thing): change it here, in one place, if the contract is
//! settled otherwise.

use opinio::syntax::ast::{self, CmpOp, PositionItem, Statement, TypeBody};
use opinio::syntax::{parse_file, span::FileId};
use opinio::Truth;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Why the reference refuses a program; `code` is the diagnostic code the engine should give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
}

fn reject<T>(code: &'static str, message: impl Into<String>) -> Result<T, Rejection> {
    Err(Rejection {
        code,
        message: message.into(),
    })
}

// ============================================================================ strong Kleene

pub fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::True, Truth::True) => Truth::True,
        _ => Truth::Unknown,
    }
}

pub fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::True, _) | (_, Truth::True) => Truth::True,
        (Truth::False, Truth::False) => Truth::False,
        _ => Truth::Unknown,
    }
}

pub fn not(a: Truth) -> Truth {
    match a {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

// ============================================================================ the program

#[derive(Debug, Clone)]
enum Kind {
    Open,
    Enumerated {
        values: Vec<String>,
        ordered: bool,
    },
    From(String),
    /// The built-in type `Date`: its values are the dates written in facts and rules.
    Date,
}

/// A declared predicate: its name and the type of each slot.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub name: String,
    pub slots: Vec<String>,
    closed: bool,
    functional: bool,
}

#[derive(Debug, Clone)]
struct NamedRule {
    name: String,
    body: ast::RuleBody,
}

#[derive(Debug, Clone)]
struct Position {
    name: String,
    rules: Vec<NamedRule>,
    settled: BTreeMap<String, bool>,
    /// Derived predicates with a rule in force, one component after another, lowest first.
    strata: Vec<Vec<String>>,
}

/// A loaded program: declarations, stated facts, domains and resolved positions.
#[derive(Debug, Clone)]
pub struct Reference {
    types: BTreeMap<String, Kind>,
    predicates: Vec<Predicate>,
    derived: BTreeSet<String>,
    stated: BTreeMap<(String, Vec<String>), Truth>,
    domains: BTreeMap<String, BTreeSet<String>>,
    positions: Vec<Position>,
}

type Key = (String, Vec<String>);

impl Reference {
    /// Parses and resolves the texts of a program (knowledge base files and scenarios alike:
    /// a scenario only adds facts and expectations).
    pub fn load(files: &[(&str, &str)]) -> Result<Reference, Rejection> {
        let mut parsed = Vec::new();
        for (i, (name, text)) in files.iter().enumerate() {
            let id = FileId(u32::try_from(i).expect("few files"));
            match parse_file(id, text) {
                Ok(f) => parsed.push(f),
                Err(e) => return reject("parse", format!("{name}: {}", e.diagnostic.message)),
            }
        }
        Reference::from_syntax(&parsed)
    }

    /// Why the knowledge base alone is refused, if it is: the engine reads a scenario only on
    /// a knowledge base it accepts. Its expectations are left out: they may name things only
    /// the scenario states.
    pub fn check_knowledge_base(files: &[(&str, &str)]) -> Result<(), Rejection> {
        let mut parsed = Vec::new();
        for (i, (name, text)) in files.iter().enumerate() {
            let id = FileId(u32::try_from(i).expect("few files"));
            match parse_file(id, text) {
                Ok(mut f) => {
                    f.statements.retain(|s| !matches!(s, Statement::Expect(_)));
                    parsed.push(f);
                }
                Err(e) => return reject("parse", format!("{name}: {}", e.diagnostic.message)),
            }
        }
        Reference::from_syntax(&parsed).map(|_| ())
    }

    /// [`Reference::load`] on files already parsed.
    pub fn from_syntax(files: &[ast::File]) -> Result<Reference, Rejection> {
        let statements: Vec<Statement> = files
            .iter()
            .flat_map(|f| f.statements.iter().cloned())
            .collect();
        let mut r = Reference {
            types: BTreeMap::new(),
            predicates: Vec::new(),
            derived: BTreeSet::new(),
            stated: BTreeMap::new(),
            domains: BTreeMap::new(),
            positions: Vec::new(),
        };
        // Dates written after `dated` (they name no value of the type `Date`).
        for st in &statements {
            let dated = match st {
                Statement::Source(s) => s.date.as_ref(),
                Statement::Position(p) => p.date.as_ref(),
                _ => None,
            };
            if let Some(d) = dated {
                if calendar_date(&d.text).is_none() {
                    return reject("bad_date", &d.text);
                }
            }
        }
        // Types and predicates; `Date` is built in, and declaring it is declaring it twice.
        r.types.insert("Date".to_string(), Kind::Date);
        for st in &statements {
            match st {
                Statement::Type(t) => {
                    let kind = match &t.body {
                        TypeBody::Open => Kind::Open,
                        TypeBody::Ordered(v) | TypeBody::Enumerated(v) => Kind::Enumerated {
                            values: v.iter().map(|n| n.text.clone()).collect(),
                            ordered: matches!(t.body, TypeBody::Ordered(_)),
                        },
                        TypeBody::From(p) => Kind::From(p.text.clone()),
                    };
                    if r.types.insert(t.name.text.clone(), kind).is_some() {
                        return reject("duplicate_type", &t.name.text);
                    }
                }
                Statement::Predicate(p) => {
                    if r.predicate(&p.name.text).is_some() {
                        return reject("duplicate_predicate", &p.name.text);
                    }
                    r.predicates.push(Predicate {
                        name: p.name.text.clone(),
                        slots: p.slots.iter().map(|s| s.ty.text.clone()).collect(),
                        closed: p.closed.is_some(),
                        functional: p.functional.is_some(),
                    });
                }
                _ => {}
            }
        }
        for p in &r.predicates {
            for ty in &p.slots {
                if !r.types.contains_key(ty) {
                    return reject("unknown_type", ty);
                }
            }
        }
        // Every rule written anywhere: it makes its conclusion derived, names constants and
        // may raise points.
        let mut all_rules: Vec<&ast::RuleBody> = Vec::new();
        for st in &statements {
            match st {
                Statement::Rule(d) => all_rules.push(&d.body),
                Statement::Position(p) => {
                    for item in &p.items {
                        if let PositionItem::Add(d) | PositionItem::Replace(d) = item {
                            all_rules.push(&d.body);
                        }
                    }
                }
                _ => {}
            }
        }
        for body in &all_rules {
            r.derived.insert(body.head.predicate.text.clone());
        }
        // Facts.
        for st in &statements {
            if let Statement::Fact(f) = st {
                let key = r.ground_atom(&f.atom)?;
                match r.stated.get(&key) {
                    Some(v) if *v != f.value => {
                        return reject("contradictory_facts", atom_text(&key.0, &key.1));
                    }
                    _ => {
                        r.stated.insert(key, f.value);
                    }
                }
            }
        }
        // Whether a thing is a member of a `from` type cannot be left open: its members are
        // what the predicate lists as true (SEMANTICS.md, "Types and domains").
        for ((p, args), v) in &r.stated {
            let lists_a_type = r
                .types
                .values()
                .any(|k| matches!(k, Kind::From(lister) if lister == p));
            if lists_a_type && *v == Truth::Unknown {
                return reject("unknown_membership", atom_text(p, args));
            }
        }
        for ((p, args), v) in &r.stated {
            let info = r.predicate(p).expect("checked");
            if info.functional && *v == Truth::True {
                let (last, prefix) = args.split_last().expect("functional has a slot");
                let clash = r.stated.iter().any(|((q, b), w)| {
                    q == p
                        && *w == Truth::True
                        && b[..b.len() - 1] == *prefix
                        && b.last() != Some(last)
                });
                if clash {
                    return reject("functional_conflict", atom_text(p, args));
                }
            }
        }
        // Domains.
        for (name, kind) in &r.types {
            let d: BTreeSet<String> = match kind {
                Kind::Enumerated { values, .. } => values.iter().cloned().collect(),
                Kind::From(lister) => r
                    .stated
                    .iter()
                    .filter(|((p, _), v)| p == lister && **v == Truth::True)
                    .filter_map(|((_, args), _)| args.first().cloned())
                    .collect(),
                Kind::Open | Kind::Date => BTreeSet::new(),
            };
            r.domains.insert(name.clone(), d);
        }
        let mut named: Vec<(String, String)> = Vec::new(); // (type, constant)
        for (p, args) in r.stated.keys() {
            let info = r.predicate(p).expect("checked");
            for (a, ty) in args.iter().zip(&info.slots) {
                named.push((ty.clone(), a.clone()));
            }
        }
        for body in &all_rules {
            let lowered = r.lower(body)?;
            lowered.constants(&r, &mut named);
        }
        for (ty, c) in &named {
            if matches!(r.types.get(ty), Some(Kind::Open | Kind::Date)) {
                r.domains.get_mut(ty).expect("every type").insert(c.clone());
            }
        }
        // Positions.
        let raised: BTreeSet<String> = all_rules
            .iter()
            .flat_map(|b| {
                let mut pts = Vec::new();
                for f in b.condition.iter().chain(&b.exceptions) {
                    points(f, &mut pts);
                }
                pts
            })
            .collect();
        r.positions = r.resolve_positions(&statements, &raised)?;
        for i in 0..r.positions.len() {
            let strata = r.stratify(&r.positions[i].rules)?;
            r.positions[i].strata = strata;
        }
        // An expectation is a question with its answer: it names a position that exists and
        // only things the facts and the knowledge base name (SEMANTICS, Types and domains).
        for st in &statements {
            if let Statement::Expect(e) = st {
                if let Some(p) = &e.position {
                    if !r.positions.iter().any(|x| x.name == p.text) {
                        return reject("unknown_position", &p.text);
                    }
                }
                let (pred, args) = r.ground_atom(&e.goal)?;
                let info = r.predicate(&pred).expect("checked");
                for (a, ty) in args.iter().zip(&info.slots) {
                    let known = matches!(r.types[ty], Kind::Enumerated { .. })
                        || named.iter().any(|(t, c)| t == ty && c == a);
                    if !known {
                        return reject("unknown_constant", format!("`{a}` in an expectation"));
                    }
                }
            }
        }
        Ok(r)
    }

    fn predicate(&self, name: &str) -> Option<&Predicate> {
        self.predicates.iter().find(|p| p.name == name)
    }

    /// The declared predicates, in declaration order.
    pub fn predicates(&self) -> &[Predicate] {
        &self.predicates
    }

    /// The names of the positions, the default first.
    pub fn position_names(&self) -> Vec<String> {
        self.positions.iter().map(|p| p.name.clone()).collect()
    }

    /// The domain of a type, sorted.
    pub fn domain(&self, ty: &str) -> Vec<String> {
        self.domains
            .get(ty)
            .map(|d| d.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Every ground atom of a predicate over the domains of its slots.
    pub fn atoms(&self, pred: &str) -> Vec<Vec<String>> {
        let info = self.predicate(pred).expect("a declared predicate");
        let mut out = vec![Vec::new()];
        for ty in &info.slots {
            let d = self.domain(ty);
            out = out
                .into_iter()
                .flat_map(|t| {
                    d.iter().map(move |c| {
                        let mut t = t.clone();
                        t.push(c.clone());
                        t
                    })
                })
                .collect();
        }
        out
    }

    /// The strata of a position (derived predicates with a rule in force), lowest first.
    pub fn strata(&self, position: &str) -> Vec<Vec<String>> {
        self.position(position).strata.clone()
    }

    fn position(&self, name: &str) -> &Position {
        self.positions
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no position `{name}`"))
    }

    fn ground_atom(&self, a: &ast::Atom) -> Result<Key, Rejection> {
        let Some(info) = self.predicate(&a.predicate.text) else {
            return reject("unknown_predicate", &a.predicate.text);
        };
        if info.slots.len() != a.args.len() {
            return reject("wrong_arity", &a.predicate.text);
        }
        let mut args = Vec::new();
        for (t, ty) in a.args.iter().zip(&info.slots) {
            match t {
                ast::Term::Constant(n) => {
                    match self.types.get(ty) {
                        Some(Kind::Enumerated { values, .. }) if !values.contains(&n.text) => {
                            return reject("unknown_constant", &n.text);
                        }
                        Some(Kind::Date) => {
                            return reject("type_mismatch", format!("`{}` in a Date slot", n.text))
                        }
                        _ => {}
                    }
                    args.push(n.text.clone());
                }
                ast::Term::Variable(n) => return reject("variable_in_fact", &n.text),
                ast::Term::Date(n) => {
                    if calendar_date(&n.text).is_none() {
                        return reject("bad_date", &n.text);
                    }
                    if !matches!(self.types.get(ty), Some(Kind::Date)) {
                        return reject(
                            "type_mismatch",
                            format!("the date {} in a {ty} slot", n.text),
                        );
                    }
                    args.push(n.text.clone());
                }
            }
        }
        Ok((a.predicate.text.clone(), args))
    }

    // ------------------------------------------------------------------------ positions

    fn resolve_positions(
        &self,
        statements: &[Statement],
        raised: &BTreeSet<String>,
    ) -> Result<Vec<Position>, Rejection> {
        let decls: Vec<&ast::PositionDecl> = statements
            .iter()
            .filter_map(|s| match s {
                Statement::Position(p) => Some(p),
                _ => None,
            })
            .collect();
        let mut names = BTreeSet::new();
        for d in &decls {
            if !names.insert(d.name.text.clone()) {
                return reject("duplicate_position", &d.name.text);
            }
        }
        let defaults: Vec<&&ast::PositionDecl> =
            decls.iter().filter(|d| d.is_default.is_some()).collect();
        if defaults.len() > 1 {
            return reject("two_defaults", &defaults[1].name.text);
        }
        let default_name = match defaults.first() {
            Some(d) if d.extends.is_some() => return reject("default_extends", &d.name.text),
            Some(d) => d.name.text.clone(),
            None => "default".to_string(),
        };
        let parent_of = |d: &ast::PositionDecl| -> Option<String> {
            if d.name.text == default_name {
                None
            } else {
                Some(
                    d.extends
                        .as_ref()
                        .map(|e| e.text.clone())
                        .unwrap_or_else(|| default_name.clone()),
                )
            }
        };
        for d in &decls {
            if let Some(p) = parent_of(d) {
                if p != default_name && !names.contains(&p) {
                    return reject("unknown_position", p);
                }
            }
        }
        // The chain of each position up to the default; a chain that never gets there is a
        // cycle of `extends`.
        let mut chains: Vec<(String, Vec<String>)> = vec![(default_name.clone(), Vec::new())];
        for d in &decls {
            if d.name.text == default_name {
                continue;
            }
            let mut chain = vec![d.name.text.clone()];
            let mut cur = parent_of(d);
            while let Some(p) = cur {
                if p == default_name {
                    break;
                }
                if chain.contains(&p) {
                    return reject("position_cycle", &d.name.text);
                }
                chain.push(p.clone());
                cur = decls
                    .iter()
                    .find(|x| x.name.text == p)
                    .and_then(|x| parent_of(x));
            }
            chain.reverse(); // from the first position after the default down to this one
            chains.push((d.name.text.clone(), chain));
        }
        // The default: the rules outside positions, then its own block.
        let mut base = Position {
            name: default_name.clone(),
            rules: Vec::new(),
            settled: BTreeMap::new(),
            strata: Vec::new(),
        };
        for st in statements {
            if let Statement::Rule(d) = st {
                if base.rules.iter().any(|r| r.name == d.name.text) {
                    return reject("duplicate_rule", &d.name.text);
                }
                base.rules.push(NamedRule {
                    name: d.name.text.clone(),
                    body: d.body.clone(),
                });
            }
        }
        if let Some(d) = decls.iter().find(|d| d.name.text == default_name) {
            self.apply(&mut base, d, raised)?;
        }
        let mut out = Vec::new();
        for (name, chain) in &chains {
            let mut p = base.clone();
            p.name = name.clone();
            for link in chain {
                let d = decls
                    .iter()
                    .find(|d| d.name.text == *link)
                    .expect("declared");
                self.apply(&mut p, d, raised)?;
            }
            out.push(p);
        }
        Ok(out)
    }

    fn apply(
        &self,
        p: &mut Position,
        d: &ast::PositionDecl,
        raised: &BTreeSet<String>,
    ) -> Result<(), Rejection> {
        for item in &d.items {
            match item {
                PositionItem::Add(r) => {
                    if p.rules.iter().any(|x| x.name == r.name.text) {
                        return reject("duplicate_rule", &r.name.text);
                    }
                    p.rules.push(NamedRule {
                        name: r.name.text.clone(),
                        body: r.body.clone(),
                    });
                }
                PositionItem::Replace(r) => {
                    match p.rules.iter_mut().find(|x| x.name == r.name.text) {
                        Some(x) => x.body = r.body.clone(),
                        None => return reject("unknown_rule", format!("replace {}", r.name.text)),
                    }
                }
                PositionItem::Withdraw { rule, .. } => {
                    let before = p.rules.len();
                    p.rules.retain(|x| x.name != rule.text);
                    if p.rules.len() == before {
                        return reject("unknown_rule", format!("withdraw {}", rule.text));
                    }
                }
                PositionItem::Affirm { target, .. } => {
                    let known = p.rules.iter().any(|x| x.name == target.text)
                        || self.predicate(&target.text).is_some();
                    if !known {
                        return reject("unknown_rule", format!("affirm {}", target.text));
                    }
                }
                PositionItem::Unverified { names, .. } => {
                    for n in names {
                        let known = p.rules.iter().any(|x| x.name == n.text)
                            || self.predicate(&n.text).is_some()
                            || raised.contains(&n.text);
                        if !known {
                            return reject("unknown_rule", format!("unverified {}", n.text));
                        }
                    }
                }
                PositionItem::Settle { point, value, .. } => {
                    if !raised.contains(&point.text) {
                        return reject("unknown_point", &point.text);
                    }
                    p.settled.insert(point.text.clone(), *value);
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ strata

    #[expect(
        clippy::needless_range_loop,
        reason = "Warshall's closure reads best with indices"
    )]
    fn stratify(&self, rules: &[NamedRule]) -> Result<Vec<Vec<String>>, Rejection> {
        let names: Vec<&str> = self.predicates.iter().map(|p| p.name.as_str()).collect();
        let n = names.len();
        let ix = |p: &str| names.iter().position(|x| *x == p).expect("declared");
        let mut edges: Vec<(usize, usize, bool, &str)> = Vec::new();
        for r in rules {
            let head = ix(&r.body.head.predicate.text);
            let mut atoms = Vec::new();
            if let Some(c) = &r.body.condition {
                body_atoms(c, 0, &mut atoms);
            }
            for e in &r.body.exceptions {
                body_atoms(e, 1, &mut atoms);
            }
            for (pred, nots) in atoms {
                edges.push((ix(&pred), head, nots > 0, &r.name));
            }
        }
        // reach[u][v]: a path of at least one edge from u to v.
        let mut reach = vec![vec![false; n]; n];
        for &(u, v, _, _) in &edges {
            reach[u][v] = true;
        }
        for k in 0..n {
            for i in 0..n {
                if reach[i][k] {
                    for j in 0..n {
                        if reach[k][j] {
                            reach[i][j] = true;
                        }
                    }
                }
            }
        }
        for &(u, v, negative, rule) in &edges {
            if negative && (u == v || reach[v][u]) {
                return reject(
                    "negation_cycle",
                    format!(
                        "rule {rule}: {} depends on not {}, which depends on it",
                        names[v], names[u]
                    ),
                );
            }
        }
        let heads: BTreeSet<usize> = rules
            .iter()
            .map(|r| ix(&r.body.head.predicate.text))
            .collect();
        let mut components: Vec<BTreeSet<usize>> = Vec::new();
        for &h in &heads {
            let c: BTreeSet<usize> = heads
                .iter()
                .copied()
                .filter(|&q| q == h || (reach[h][q] && reach[q][h]))
                .collect();
            if !components.contains(&c) {
                components.push(c);
            }
        }
        // A component comes once every component it reads is done.
        let mut order: Vec<Vec<String>> = Vec::new();
        let mut done: BTreeSet<usize> = BTreeSet::new();
        while order.len() < components.len() {
            let next = components
                .iter()
                .find(|c| {
                    !c.iter().all(|p| done.contains(p))
                        && edges.iter().all(|&(u, v, _, _)| {
                            !c.contains(&v)
                                || c.contains(&u)
                                || !heads.contains(&u)
                                || done.contains(&u)
                        })
                })
                .expect("the components form no cycle")
                .clone();
            done.extend(next.iter().copied());
            order.push(next.iter().map(|&i| names[i].to_string()).collect());
        }
        Ok(order)
    }

    // ------------------------------------------------------------------------ values

    fn base_value(&self, pred: &str, args: &[String]) -> Truth {
        if let Some(v) = self.stated.get(&(pred.to_string(), args.to_vec())) {
            return *v;
        }
        let info = self.predicate(pred).expect("declared");
        if info.closed {
            return Truth::False;
        }
        if info.functional {
            let (_, prefix) = args.split_last().expect("functional has a slot");
            let pinned = self
                .stated
                .iter()
                .any(|((q, b), v)| q == pred && *v == Truth::True && b[..b.len() - 1] == *prefix);
            if pinned {
                return Truth::False;
            }
        }
        let in_domains = args
            .iter()
            .zip(&info.slots)
            .all(|(a, ty)| self.domains[ty].contains(a));
        if in_domains {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// Evaluates every derived atom under a position.
    pub fn evaluate(&self, position: &str) -> Model<'_> {
        let pos = self.position(position);
        let mut values: HashMap<Key, Truth> = HashMap::new();
        for stratum in &pos.strata {
            // Ground every rule of the stratum; atoms of the stratum stay open.
            let mut ids: HashMap<Key, usize> = HashMap::new();
            let mut keys: Vec<Key> = Vec::new();
            let mut instances: Vec<(usize, Ground)> = Vec::new();
            let mut open = |key: Key| -> Ground {
                if !self.derived.contains(&key.0) {
                    return Ground::Value(self.base_value(&key.0, &key.1));
                }
                if let Some(v) = self.stated.get(&key) {
                    return Ground::Value(*v);
                }
                if stratum.contains(&key.0) {
                    let next = keys.len();
                    let id = *ids.entry(key.clone()).or_insert(next);
                    if id == next {
                        keys.push(key);
                    }
                    return Ground::Atom(id);
                }
                Ground::Value(values.get(&key).copied().unwrap_or(Truth::False))
            };
            for rule in pos
                .rules
                .iter()
                .filter(|r| stratum.contains(&r.body.head.predicate.text))
            {
                let lowered = self.lower(&rule.body).expect("checked when loaded");
                for alternative in dnf(&lowered.body) {
                    // The variables of the alternative: the conclusion's, and those outside
                    // its negations.
                    let mut vars: BTreeSet<String> = BTreeSet::new();
                    for t in &lowered.head.1 {
                        t.vars(&mut vars);
                    }
                    for literal in &alternative {
                        if !matches!(literal, F::Not(_)) {
                            literal.vars(&mut vars);
                        }
                    }
                    let mut found = Vec::new();
                    let mut grounder = Grounder {
                        r: self,
                        rule: &lowered,
                        pos,
                        open: &mut open,
                        memo: HashMap::new(),
                    };
                    grounder.enumerate(&alternative, &vars, &mut BTreeMap::new(), &mut found);
                    for (env, body) in found {
                        let head: Key = (
                            lowered.head.0.clone(),
                            lowered.head.1.iter().map(|t| t.value(&env)).collect(),
                        );
                        if self.stated.contains_key(&head) {
                            continue; // a stipulation replaces derivation
                        }
                        let Ground::Atom(h) = open(head) else {
                            unreachable!("an unstipulated conclusion of the stratum")
                        };
                        instances.push((h, body));
                    }
                }
            }
            // The true atoms: least fixpoint where only `true` counts.
            let mut t = vec![false; keys.len()];
            loop {
                let mut changed = false;
                for (h, body) in &instances {
                    if !t[*h]
                        && body.eval(&|i| if t[i] { Truth::True } else { Truth::False })
                            == Truth::True
                    {
                        t[*h] = true;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            // The possibly true atoms: least fixpoint where `unknown` counts as `true`.
            let mut p = vec![false; keys.len()];
            loop {
                let mut changed = false;
                for (h, body) in &instances {
                    if !p[*h]
                        && body.eval(&|i| if p[i] { Truth::True } else { Truth::False })
                            != Truth::False
                    {
                        p[*h] = true;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            for (i, key) in keys.into_iter().enumerate() {
                assert!(!t[i] || p[i], "a true atom is possibly true");
                let v = if t[i] {
                    Truth::True
                } else if p[i] {
                    Truth::Unknown
                } else {
                    Truth::False
                };
                values.insert(key, v);
            }
        }
        Model {
            reference: self,
            derived: values,
        }
    }

    // ------------------------------------------------------------------------ rules

    /// A rule with `_` made fresh, exceptions turned into negations, every variable typed.
    fn lower(&self, body: &ast::RuleBody) -> Result<Lowered, Rejection> {
        let mut fresh = 0usize;
        let head = match lower_formula(&ast::Formula::Atom(body.head.clone()), &mut fresh) {
            F::Atom(p, args) => (p, args),
            _ => unreachable!(),
        };
        if head
            .1
            .iter()
            .any(|t| matches!(t, T::Var(v) if v.starts_with("_#")))
        {
            return reject("unsafe_variable", "`_` in a conclusion");
        }
        let mut parts = Vec::new();
        if let Some(c) = &body.condition {
            parts.push(lower_formula(c, &mut fresh));
        }
        for e in &body.exceptions {
            parts.push(F::Not(Box::new(lower_formula(e, &mut fresh))));
        }
        let body_f = F::And(parts);
        // Types, from the slots the variables fill, then through comparisons.
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        let mut atoms: Vec<(&str, &[T])> = vec![(head.0.as_str(), head.1.as_slice())];
        body_f.atoms(&mut atoms);
        for (pred, args) in atoms {
            let Some(info) = self.predicate(pred) else {
                return reject("unknown_predicate", pred);
            };
            if info.slots.len() != args.len() {
                return reject("wrong_arity", pred);
            }
            for (t, ty) in args.iter().zip(&info.slots) {
                match t {
                    T::Var(v) => {
                        if let Some(prev) = types.insert(v.clone(), ty.clone()) {
                            if prev != *ty {
                                return reject("type_mismatch", v);
                            }
                        }
                    }
                    T::Const(c) => match self.types.get(ty) {
                        Some(Kind::Enumerated { values, .. }) if !values.contains(c) => {
                            return reject("unknown_constant", c);
                        }
                        Some(Kind::Date) => {
                            return reject("type_mismatch", format!("`{c}` in a Date slot"));
                        }
                        _ => {}
                    },
                    T::Date(d) => {
                        if calendar_date(d).is_none() {
                            return reject("bad_date", d);
                        }
                        if !matches!(self.types.get(ty), Some(Kind::Date)) {
                            return reject("type_mismatch", format!("the date {d} in a {ty} slot"));
                        }
                    }
                }
            }
        }
        let mut cmps = Vec::new();
        body_f.comparisons(&mut cmps);
        loop {
            let mut grew = false;
            for (l, _, r) in &cmps {
                if let (T::Var(a), T::Var(b)) = (l, r) {
                    match (types.get(a).cloned(), types.get(b).cloned()) {
                        (Some(x), None) => {
                            types.insert(b.clone(), x);
                            grew = true;
                        }
                        (None, Some(y)) => {
                            types.insert(a.clone(), y);
                            grew = true;
                        }
                        (Some(x), Some(y)) if x != y => return reject("type_mismatch", a),
                        _ => {}
                    }
                }
            }
            if !grew {
                break;
            }
        }
        for (l, op, r) in &cmps {
            for t in [l, r] {
                if let T::Date(d) = t {
                    if calendar_date(d).is_none() {
                        return reject("bad_date", d);
                    }
                }
            }
            // The type compared: a variable's, or `Date` for a date written out.
            let date = "Date".to_string();
            let sides: Vec<Option<&String>> = [l, r]
                .iter()
                .map(|t| match t {
                    T::Var(v) => types.get(v),
                    T::Date(_) => Some(&date),
                    T::Const(_) => None,
                })
                .collect();
            if let [Some(a), Some(b)] = sides[..] {
                if a != b {
                    return reject("type_mismatch", format!("a {a} compared with a {b}"));
                }
            }
            let ty = sides.iter().flatten().next().copied();
            if ty.is_some_and(|ty| ty == "Date") && [l, r].iter().any(|t| matches!(t, T::Const(_)))
            {
                return reject("type_mismatch", "a name compared with a date");
            }
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                let ordered = ty.is_some_and(|ty| {
                    matches!(
                        self.types.get(ty),
                        Some(Kind::Enumerated { ordered: true, .. } | Kind::Date)
                    )
                });
                if !ordered {
                    return reject("not_ordered", "an order on values without one");
                }
            }
            if let Some(Some(Kind::Enumerated { values, .. })) = ty.map(|ty| self.types.get(ty)) {
                for t in [l, r] {
                    if let T::Const(c) = t {
                        if !values.contains(c) {
                            return reject("unknown_constant", c);
                        }
                    }
                }
            }
        }
        let mut vars = BTreeSet::new();
        for t in &head.1 {
            t.vars(&mut vars);
        }
        body_f.vars(&mut vars);
        // §8: a variable is local to a negation only if it occurs nowhere else. One that an
        // alternative gives a value (outside its negations) but another reads only inside
        // its negations would mean "some value" in one and "no value at all" in the other:
        // unsafe, as in Soufflé, which grounds each alternative as a clause. The same holds
        // inside a negation for its own variables.
        if let Some(v) = mixed_variable(&dnf(&body_f), &BTreeSet::new()) {
            return reject(
                "unsafe_variable",
                format!("`{v}` is read under `not` in an alternative that gives it no value"),
            );
        }
        // A variable that fills no slot takes the constants it is equated to (§8: `X = c`
        // gives `X` a value); with none, nothing gives it a value.
        let mut untyped: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for v in &vars {
            if !types.contains_key(v) {
                let values: Vec<String> = cmps
                    .iter()
                    .filter(|(_, op, _)| *op == CmpOp::Eq)
                    .filter_map(|(l, _, r)| match (l, r) {
                        (T::Var(x), c) | (c, T::Var(x)) if x == v => c.constant().cloned(),
                        _ => None,
                    })
                    .collect();
                if values.is_empty() {
                    return reject("unsafe_variable", format!("nothing gives `{v}` a value"));
                }
                untyped.insert(v.clone(), values);
            }
        }
        // Safety of the conclusion (§8): each of its variables bound by the body.
        let bound = body_f.bound();
        for t in &head.1 {
            if let T::Var(v) = t {
                if !bound.contains(v) {
                    return reject(
                        "unsafe_variable",
                        format!("`{v}` in the conclusion is never given a value"),
                    );
                }
            }
        }
        Ok(Lowered {
            head,
            body: body_f,
            types,
            untyped,
        })
    }
}

/// Grounds the alternatives of one rule, under a position, while one stratum is computed.
struct Grounder<'a> {
    r: &'a Reference,
    rule: &'a Lowered,
    pos: &'a Position,
    /// The value of a ground atom, or its number if it belongs to the stratum.
    open: &'a mut dyn FnMut(Key) -> Ground,
    /// Negations already grounded, by the values of the variables they mention (a negation
    /// reads nothing else).
    memo: HashMap<(usize, Vec<String>), Ground>,
}

impl Grounder<'_> {
    /// Every assignment of the variables of `vars` that `env` leaves open, each over its
    /// domain, with the alternative grounded under it (the conjunction of its literals). Each
    /// literal is grounded once its variables among `vars` have values (its other variables
    /// are local to its negations); an assignment under which one is certainly `false` is left
    /// out there and then: the conjunction is `false` whatever the rest.
    fn enumerate(
        &mut self,
        alternative: &[&F],
        vars: &BTreeSet<String>,
        env: &mut BTreeMap<String, String>,
        out: &mut Vec<(BTreeMap<String, String>, Ground)>,
    ) {
        let needed: Vec<BTreeSet<String>> = alternative
            .iter()
            .map(|l| {
                let mut m = BTreeSet::new();
                l.vars(&mut m);
                m.retain(|v| vars.contains(v));
                m
            })
            .collect();
        // Variables in the order the literals mention them, atoms first: any order gives the
        // same assignments; this one leaves out more of them early.
        let mut order: Vec<String> = Vec::new();
        let atoms_first = alternative
            .iter()
            .zip(&needed)
            .filter(|(l, _)| matches!(l, F::Atom(..)));
        let others = alternative
            .iter()
            .zip(&needed)
            .filter(|(l, _)| !matches!(l, F::Atom(..)));
        for (_, n) in atoms_first.chain(others) {
            for v in n {
                if !env.contains_key(v) && !order.contains(v) {
                    order.push(v.clone());
                }
            }
        }
        let mut done = Vec::new();
        self.level(alternative, &needed, &order, 0, env, &mut done, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn level(
        &mut self,
        alternative: &[&F],
        needed: &[BTreeSet<String>],
        order: &[String],
        k: usize,
        env: &mut BTreeMap<String, String>,
        done: &mut Vec<Ground>,
        out: &mut Vec<(BTreeMap<String, String>, Ground)>,
    ) {
        let mark = done.len();
        for (literal, n) in alternative.iter().zip(needed) {
            // Ready now, and not at the level above.
            let ready = n.iter().all(|v| env.contains_key(v));
            let now = k == 0 || n.contains(&order[k - 1]);
            if ready && now {
                let g = self.literal(literal, env);
                if g == Ground::Value(Truth::False) {
                    done.truncate(mark);
                    return;
                }
                done.push(g);
            }
        }
        if k == order.len() {
            out.push((env.clone(), Ground::and(done.clone())));
        } else {
            let v = &order[k];
            for c in self.rule.domain(self.r, v) {
                env.insert(v.clone(), c);
                self.level(alternative, needed, order, k + 1, env, done, out);
            }
            env.remove(v);
        }
        done.truncate(mark);
    }

    /// "There is some value" of the variables of `f` that `env` leaves open, alternative by
    /// alternative.
    fn exists(&mut self, f: &F, env: &BTreeMap<String, String>) -> Ground {
        let mut some = Vec::new();
        for alternative in dnf(f) {
            let mut vars: BTreeSet<String> = env.keys().cloned().collect();
            for literal in &alternative {
                if !matches!(literal, F::Not(_)) {
                    literal.vars(&mut vars);
                }
            }
            let mut found = Vec::new();
            self.enumerate(&alternative, &vars, &mut env.clone(), &mut found);
            some.extend(found.into_iter().map(|(_, g)| g));
        }
        Ground::or(some)
    }

    fn literal(&mut self, f: &F, env: &BTreeMap<String, String>) -> Ground {
        match f {
            F::And(_) | F::Or(_) => unreachable!("alternatives hold literals only"),
            F::Not(inner) => {
                let mut mentioned = BTreeSet::new();
                f.vars(&mut mentioned);
                let values: Vec<String> = mentioned
                    .iter()
                    .map(|v| env.get(v).cloned().unwrap_or_default())
                    .collect();
                let key = (f as *const F as usize, values);
                if let Some(g) = self.memo.get(&key) {
                    return g.clone();
                }
                let g = Ground::not(self.exists(inner, env));
                self.memo.insert(key, g.clone());
                g
            }
            F::Atom(pred, args) => {
                (self.open)((pred.clone(), args.iter().map(|t| t.value(env)).collect()))
            }
            F::Cmp(l, op, r) => {
                let (a, b) = (l.value(env), r.value(env));
                let holds = match op {
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                    _ => {
                        let ty = [l, r]
                            .iter()
                            .find_map(|t| match t {
                                T::Var(v) => self.rule.types.get(v).map(String::as_str),
                                T::Date(_) => Some("Date"),
                                T::Const(_) => None,
                            })
                            .expect("checked when loaded");
                        // Each value's place in the order: its rank in an ordered enumeration,
                        // or (year, month, day) for a date.
                        let place = |x: &String| -> (u32, u32, u32) {
                            match self.r.types.get(ty) {
                                Some(Kind::Enumerated {
                                    values,
                                    ordered: true,
                                }) => {
                                    let rank = values.iter().position(|v| v == x).expect("a value");
                                    (u32::try_from(rank).expect("few values"), 0, 0)
                                }
                                Some(Kind::Date) => calendar_date(x).expect("checked when loaded"),
                                _ => unreachable!("checked when loaded"),
                            }
                        };
                        let (a, b) = (place(&a), place(&b));
                        match op {
                            CmpOp::Lt => a < b,
                            CmpOp::Le => a <= b,
                            CmpOp::Gt => a > b,
                            _ => a >= b,
                        }
                    }
                };
                Ground::Value(if holds { Truth::True } else { Truth::False })
            }
            F::Unsettled(point) => Ground::Value(match self.pos.settled.get(point) {
                Some(true) => Truth::True,
                Some(false) => Truth::False,
                None => Truth::Unknown,
            }),
        }
    }
}

/// The derived atoms' values under one position (and the base atoms', through the program).
pub struct Model<'a> {
    reference: &'a Reference,
    derived: HashMap<Key, Truth>,
}

impl Model<'_> {
    pub fn value(&self, pred: &str, args: &[String]) -> Truth {
        let r = self.reference;
        let key = (pred.to_string(), args.to_vec());
        if !r.derived.contains(pred) {
            return r.base_value(pred, args);
        }
        if let Some(v) = r.stated.get(&key) {
            return *v;
        }
        self.derived.get(&key).copied().unwrap_or(Truth::False)
    }
}

// ============================================================================ formulas

#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    Var(String),
    /// A name (bare or quoted).
    Const(String),
    /// A date written out, `2017-06-27`.
    Date(String),
}

impl T {
    /// The constant written, a name or a date.
    fn constant(&self) -> Option<&String> {
        match self {
            T::Var(_) => None,
            T::Const(c) | T::Date(c) => Some(c),
        }
    }

    fn vars(&self, out: &mut BTreeSet<String>) {
        if let T::Var(v) = self {
            out.insert(v.clone());
        }
    }

    fn value(&self, env: &BTreeMap<String, String>) -> String {
        match self {
            T::Var(v) => env
                .get(v)
                .unwrap_or_else(|| panic!("`{v}` has a value"))
                .clone(),
            T::Const(c) | T::Date(c) => c.clone(),
        }
    }
}

/// A rule body with `_` made fresh.
#[derive(Debug, Clone)]
enum F {
    And(Vec<F>),
    Or(Vec<F>),
    Not(Box<F>),
    Atom(String, Vec<T>),
    Cmp(T, CmpOp, T),
    Unsettled(String),
}

struct Lowered {
    head: (String, Vec<T>),
    body: F,
    /// The type of each variable that fills a slot (or is compared with one that does).
    types: BTreeMap<String, String>,
    /// The values of each other variable: the constants it is equated to.
    untyped: BTreeMap<String, Vec<String>>,
}

impl Lowered {
    /// The values a variable of the rule ranges over.
    fn domain(&self, r: &Reference, v: &str) -> Vec<String> {
        match self.types.get(v) {
            Some(ty) => r.domain(ty),
            None => self.untyped[v].clone(),
        }
    }

    /// (type, constant) for every constant the rule names in a slot, or compares with a
    /// variable.
    fn constants(&self, r: &Reference, out: &mut Vec<(String, String)>) {
        let mut atoms: Vec<(&str, &[T])> = vec![(self.head.0.as_str(), self.head.1.as_slice())];
        self.body.atoms(&mut atoms);
        for (pred, args) in atoms {
            let info = r.predicate(pred).expect("checked");
            for (t, ty) in args.iter().zip(&info.slots) {
                if let Some(c) = t.constant() {
                    out.push((ty.clone(), c.clone()));
                }
            }
        }
        let mut cmps = Vec::new();
        self.body.comparisons(&mut cmps);
        for (l, _, rt) in cmps {
            for (a, b) in [(l, rt), (rt, l)] {
                match (a, b) {
                    (T::Var(v), T::Const(c)) => {
                        if let Some(ty) = self.types.get(v) {
                            out.push((ty.clone(), c.clone()));
                        }
                    }
                    // A date is a date, whatever it is compared with.
                    (_, T::Date(d)) => out.push(("Date".to_string(), d.clone())),
                    _ => {}
                }
            }
        }
    }
}

fn lower_formula(f: &ast::Formula, fresh: &mut usize) -> F {
    let term = |t: &ast::Term, fresh: &mut usize| match t {
        ast::Term::Variable(n) if n.text == "_" => {
            *fresh += 1;
            T::Var(format!("_#{fresh}"))
        }
        ast::Term::Variable(n) => T::Var(n.text.clone()),
        ast::Term::Constant(n) => T::Const(n.text.clone()),
        ast::Term::Date(n) => T::Date(n.text.clone()),
    };
    match f {
        ast::Formula::And(parts, _) => {
            F::And(parts.iter().map(|p| lower_formula(p, fresh)).collect())
        }
        ast::Formula::Or(parts, _) => {
            F::Or(parts.iter().map(|p| lower_formula(p, fresh)).collect())
        }
        ast::Formula::Not(inner, _) => F::Not(Box::new(lower_formula(inner, fresh))),
        ast::Formula::Atom(a) => F::Atom(
            a.predicate.text.clone(),
            a.args.iter().map(|t| term(t, fresh)).collect(),
        ),
        ast::Formula::Compare {
            left, op, right, ..
        } => {
            let l = term(left, fresh);
            F::Cmp(l, *op, term(right, fresh))
        }
        ast::Formula::Unsettled { point, .. } => F::Unsettled(point.text.clone()),
    }
}

impl F {
    fn atoms<'a>(&'a self, out: &mut Vec<(&'a str, &'a [T])>) {
        match self {
            F::And(v) | F::Or(v) => v.iter().for_each(|x| x.atoms(out)),
            F::Not(x) => x.atoms(out),
            F::Atom(p, args) => out.push((p.as_str(), args.as_slice())),
            F::Cmp(..) | F::Unsettled(_) => {}
        }
    }

    fn comparisons<'a>(&'a self, out: &mut Vec<(&'a T, CmpOp, &'a T)>) {
        match self {
            F::And(v) | F::Or(v) => v.iter().for_each(|x| x.comparisons(out)),
            F::Not(x) => x.comparisons(out),
            F::Cmp(l, op, r) => out.push((l, *op, r)),
            F::Atom(..) | F::Unsettled(_) => {}
        }
    }

    /// Every variable the formula mentions.
    fn vars(&self, out: &mut BTreeSet<String>) {
        match self {
            F::And(v) | F::Or(v) => v.iter().for_each(|x| x.vars(out)),
            F::Not(x) => x.vars(out),
            F::Atom(_, args) => args.iter().for_each(|t| t.vars(out)),
            F::Cmp(l, _, r) => {
                l.vars(out);
                r.vars(out);
            }
            F::Unsettled(_) => {}
        }
    }

    /// The variables the formula certainly binds when it holds (§8): those of its positive
    /// atoms, those equated to a constant or to a bound variable; an `or` binds what every
    /// alternative binds.
    fn bound(&self) -> BTreeSet<String> {
        match self {
            F::Atom(_, args) => args
                .iter()
                .filter_map(|t| match t {
                    T::Var(v) => Some(v.clone()),
                    T::Const(_) | T::Date(_) => None,
                })
                .collect(),
            F::Cmp(T::Var(v), CmpOp::Eq, c) | F::Cmp(c, CmpOp::Eq, T::Var(v))
                if c.constant().is_some() =>
            {
                BTreeSet::from([v.clone()])
            }
            F::And(parts) => {
                let mut s: BTreeSet<String> = parts.iter().flat_map(|p| p.bound()).collect();
                loop {
                    let mut grew = false;
                    for p in parts {
                        if let F::Cmp(T::Var(a), CmpOp::Eq, T::Var(b)) = p {
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
            F::Or(parts) => {
                let mut it = parts.iter().map(|p| p.bound());
                let first = it.next().unwrap_or_default();
                it.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
            }
            F::Cmp(..) | F::Not(..) | F::Unsettled(_) => BTreeSet::new(),
        }
    }
}

/// Predicates read by a formula, with the number of negations around each reading.
fn body_atoms(f: &ast::Formula, nots: usize, out: &mut Vec<(String, usize)>) {
    match f {
        ast::Formula::And(v, _) | ast::Formula::Or(v, _) => {
            v.iter().for_each(|x| body_atoms(x, nots, out))
        }
        ast::Formula::Not(x, _) => body_atoms(x, nots + 1, out),
        ast::Formula::Atom(a) => out.push((a.predicate.text.clone(), nots)),
        ast::Formula::Compare { .. } | ast::Formula::Unsettled { .. } => {}
    }
}

fn points(f: &ast::Formula, out: &mut Vec<String>) {
    match f {
        ast::Formula::And(v, _) | ast::Formula::Or(v, _) => v.iter().for_each(|x| points(x, out)),
        ast::Formula::Not(x, _) => points(x, out),
        ast::Formula::Unsettled { point, .. } => out.push(point.text.clone()),
        ast::Formula::Atom(_) | ast::Formula::Compare { .. } => {}
    }
}

/// The variables of an alternative outside its negations.
fn outside_negations(alternative: &[&F]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for literal in alternative.iter().filter(|l| !matches!(l, F::Not(_))) {
        literal.vars(&mut out);
    }
    out
}

/// A variable, not `bound` from outside, that one of `alternatives` gives a value (outside its
/// negations) and another reads only inside its negations; looked for inside each negation
/// too, with what its alternative binds bound.
fn mixed_variable(alternatives: &[Vec<&F>], bound: &BTreeSet<String>) -> Option<String> {
    let mut vars = BTreeSet::new();
    for alternative in alternatives {
        for literal in alternative {
            literal.vars(&mut vars);
        }
    }
    for v in vars.difference(bound) {
        let somewhere = alternatives
            .iter()
            .any(|alt| outside_negations(alt).contains(v));
        let only_negated = alternatives.iter().any(|alt| {
            let mut negated = BTreeSet::new();
            for literal in alt.iter().filter(|l| matches!(l, F::Not(_))) {
                literal.vars(&mut negated);
            }
            negated.contains(v) && !outside_negations(alt).contains(v)
        });
        if somewhere && only_negated {
            return Some(v.clone());
        }
    }
    for alternative in alternatives {
        let mut inner_bound = bound.clone();
        inner_bound.extend(outside_negations(alternative));
        for literal in alternative {
            if let F::Not(inner) = literal {
                if let Some(v) = mixed_variable(&dnf(inner), &inner_bound) {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// The alternatives of a formula: `and` and `or` spread out (strong Kleene logic is
/// distributive), leaving conjunctions of atoms, comparisons, points and negations.
fn dnf(f: &F) -> Vec<Vec<&F>> {
    match f {
        F::Or(parts) => parts.iter().flat_map(dnf).collect(),
        F::And(parts) => {
            let mut out: Vec<Vec<&F>> = vec![Vec::new()];
            for p in parts {
                let alternatives = dnf(p);
                out = out
                    .iter()
                    .flat_map(|a| {
                        alternatives.iter().map(move |b| {
                            let mut c = a.clone();
                            c.extend(b.iter().copied());
                            c
                        })
                    })
                    .collect();
            }
            out
        }
        literal => vec![vec![literal]],
    }
}

/// A ground body: atoms of the stratum being computed are open, everything else has a value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ground {
    Value(Truth),
    Atom(usize),
    And(Vec<Ground>),
    Or(Vec<Ground>),
    Not(Box<Ground>),
}

impl Ground {
    /// A conjunction, values folded in: `false` decides it, `true` drops out.
    fn and(parts: Vec<Ground>) -> Ground {
        let mut kept = Vec::new();
        for p in parts {
            match p {
                Ground::Value(Truth::False) => return Ground::Value(Truth::False),
                Ground::Value(Truth::True) => {}
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => Ground::Value(Truth::True),
            1 => kept.pop().expect("one"),
            _ => Ground::And(kept),
        }
    }

    /// A disjunction, values folded in: `true` decides it, `false` drops out.
    fn or(parts: Vec<Ground>) -> Ground {
        let mut kept = Vec::new();
        for p in parts {
            match p {
                Ground::Value(Truth::True) => return Ground::Value(Truth::True),
                Ground::Value(Truth::False) => {}
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => Ground::Value(Truth::False),
            1 => kept.pop().expect("one"),
            _ => Ground::Or(kept),
        }
    }

    fn not(g: Ground) -> Ground {
        match g {
            Ground::Value(v) => Ground::Value(not(v)),
            other => Ground::Not(Box::new(other)),
        }
    }

    fn eval(&self, atom: &dyn Fn(usize) -> Truth) -> Truth {
        match self {
            Ground::Value(v) => *v,
            Ground::Atom(i) => atom(*i),
            Ground::And(v) => v.iter().fold(Truth::True, |acc, g| and(acc, g.eval(atom))),
            Ground::Or(v) => v.iter().fold(Truth::False, |acc, g| or(acc, g.eval(atom))),
            Ground::Not(g) => not(g.eval(atom)),
        }
    }
}

/// `p(a, b)`, with names quoted where the language needs it.
pub fn atom_text(pred: &str, args: &[String]) -> String {
    let args: Vec<String> = args.iter().map(|a| constant_text(a)).collect();
    format!("{pred}({})", args.join(", "))
}

pub fn constant_text(c: &str) -> String {
    // What starts with a digit is read as a date (a date that does not exist included).
    let date = c.starts_with(|x: char| x.is_ascii_digit())
        && c.chars().all(|x| x.is_ascii_digit() || x == '-');
    if opinio::syntax::is_plain_name(c) || date {
        c.to_string()
    } else {
        format!("\"{}\"", c.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `(year, month, day)` of a date written `YYYY-MM-DD` (four digits, two, two), if that day
/// exists in the proleptic Gregorian calendar; read here, not by the engine's `Date`.
pub fn calendar_date(text: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}
