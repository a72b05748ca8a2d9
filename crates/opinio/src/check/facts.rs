//! Facts and expectations: ground atoms of the right shape and types, and no contradiction,
//! functional conflict or undeclared member across the files in force.

use super::help_with_names;
use super::types::{arity_error, article, two_types};
use super::CheckedFacts;
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{
    listed_members, quote_if_needed, Atom, Expectation, GroundFact, Interner, PredId, Program, Sym,
    Term, Tuple, TypeId, TypeKind,
};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Statement, Truth};
use crate::syntax::name_as_written;
use rustc_hash::{FxHashMap, FxHashSet};

/// Checks facts and `expect`s; see [`super::check_facts`].
pub(super) fn check(
    program: &Program,
    interner: &mut Interner,
    known: &CheckedFacts,
    files: &[(FileId, ast::File)],
    scenario_only: bool,
) -> (CheckedFacts, Vec<Diagnostic>) {
    let mut fc = FactChecker {
        program,
        interner,
        diags: Vec::new(),
        out: CheckedFacts::default(),
        known,
        expected: Vec::new(),
    };
    for (_, file) in files {
        for st in &file.statements {
            match st {
                Statement::Fact(f) => fc.fact(f),
                Statement::Expect(e) => fc.expect(e),
                other if scenario_only => fc.diags.push(
                    Diagnostic::error(
                        crate::diagnostic::Code::NotAScenarioStatement,
                        "a scenario holds only facts and expectations",
                    )
                    .with_label(other.span(), "this is a declaration")
                    .with_help(
                        "declarations, rules and positions belong in the knowledge base, not in a scenario",
                    )
                    .with_remedy(crate::diagnostic::Remedy::LoadAsKnowledgeBase),
                ),
                _ => {}
            }
        }
    }
    fc.finish();
    // Names that differ only by invisible characters, capitals or spacing: warnings. A
    // knowledge base's names (its rules' and its facts') are all compared with one another.
    let (out, mut diags, interner) = (fc.out, fc.diags, &*fc.interner);
    let of = |(s, (_, span)): (&Sym, &(TypeId, Span))| (interner.name(*s), *span);
    let old = program.constant_types.iter().chain(&known.constant_types);
    diags.extend(if scenario_only {
        crate::syntax::look_alike_names(old.map(of), out.constant_types.iter().map(of))
    } else {
        crate::syntax::look_alike_names(std::iter::empty(), old.chain(&out.constant_types).map(of))
    });
    (out, diags)
}

struct FactChecker<'a> {
    program: &'a Program,
    interner: &'a mut Interner,
    diags: Vec<Diagnostic>,
    out: CheckedFacts,
    known: &'a CheckedFacts,
    /// The constants the expectations name in slots of types whose domain is what the facts
    /// state, with the type and where each is written: checked once every fact is read.
    /// Constants of open and `from` types named by expectations: the constant, its slot's
    /// type, where, and whether the expectation is about the type's listing predicate itself.
    expected: Vec<(Sym, TypeId, Span, bool)>,
}

impl FactChecker<'_> {
    /// Resolves a ground atom; `None` (with diagnostics) when it is not well formed.
    fn ground(&mut self, a: &ast::Atom, what: &str) -> Option<(PredId, Tuple)> {
        let Some(pred) = self.program.predicate_id(&a.predicate.text) else {
            let help = help_with(
                &a.predicate.text,
                self.program.predicates.iter().map(|p| p.name.as_str()),
                "see the vocabulary for the predicates the knowledge base knows",
            );
            self.diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownPredicate,
                    format!("no predicate is named `{}`", a.predicate.text),
                )
                .with_label(a.predicate.span, "unknown predicate")
                .with_help(help)
                .with_remedy(crate::diagnostic::Remedy::ListPredicates),
            );
            return None;
        };
        let info = self.program.predicate(pred);
        if info.arity() != a.args.len() {
            self.diags.push(arity_error(self.program, info, a));
            return None;
        }
        let mut args = Tuple::new();
        let mut ok = true;
        for (t, slot) in a.args.iter().zip(&info.slots) {
            match t {
                ast::Term::Variable(n) => {
                    let lower = n.text.to_lowercase();
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::VariableInFact,
                            format!("{what} must name things, but `{}` is a variable", n.text),
                        )
                        .with_label(n.span, "capitalised words are variables")
                        .with_help(format!("write names of things in lower case: `{lower}`")),
                    );
                    ok = false;
                }
                ast::Term::Constant(n) => match self.constant(n, slot.ty) {
                    Some(sym) => args.push(sym),
                    None => ok = false,
                },
                ast::Term::Date(n) => match self.date(n, slot.ty) {
                    Some(sym) => args.push(sym),
                    None => ok = false,
                },
            }
        }
        ok.then_some((pred, args))
    }

    /// A date in a slot: a calendar date, in a slot of the type `Date`; it joins that type's domain.
    fn date(&mut self, n: &ast::Name, ty: TypeId) -> Option<Sym> {
        let info = self.program.type_info(ty);
        // A bare number (`123`) is no date at all: say what the slot takes. Something shaped
        // like a date is checked as one first (`2017-02-30` is a bad date wherever it is).
        if !info.is_date() && !n.text.contains('-') {
            self.diags.push(super::types::number_where_other_expected(
                n,
                info,
                self.interner,
            ));
            return None;
        }
        if let Err(d) = super::types::date_literal(n) {
            self.diags.push(d);
            return None;
        }
        if !info.is_date() {
            self.diags
                .push(super::types::date_where_other_expected(n, &info.name));
            return None;
        }
        self.open_constant(n, ty)
    }

    fn constant(&mut self, n: &ast::Name, ty: TypeId) -> Option<Sym> {
        let info = self.program.type_info(ty);
        match &info.kind {
            TypeKind::Date => {
                self.diags.push(super::types::not_a_date(n));
                None
            }
            TypeKind::Enumerated { values, .. } => {
                let found = self.interner.get(&n.text).filter(|s| values.contains(s));
                if found.is_none() {
                    let names: Vec<&str> = values.iter().map(|v| self.interner.name(*v)).collect();
                    let help = help_with_names(
                        &n.text,
                        names.iter().copied(),
                        format!("the values of {} are: {}", info.name, names.join(", ")),
                    );
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!(
                                "`{}` is not a value of the type {}",
                                name_as_written(&n.text),
                                info.name
                            ),
                        )
                        .with_label(n.span, format!("not {}", article(&info.name)))
                        .with_help(help),
                    );
                }
                found
            }
            TypeKind::Open | TypeKind::From(_) => self.open_constant(n, ty),
        }
    }

    /// A constant of a type whose domain is what is stated (open, `from` a predicate, or
    /// `Date`): it takes the type of its first use, and a use as another type is an error.
    fn open_constant(&mut self, n: &ast::Name, ty: TypeId) -> Option<Sym> {
        let sym = self.interner.intern(&n.text);
        let prev = self
            .program
            .constant_types
            .get(&sym)
            .or_else(|| self.known.constant_types.get(&sym))
            .or_else(|| self.out.constant_types.get(&sym))
            .copied();
        match prev {
            Some((t, span)) if t != ty => {
                self.diags
                    .push(two_types(self.program, &n.text, t, span, ty, n.span));
                None
            }
            Some(_) => Some(sym),
            None => {
                self.out.constant_types.insert(sym, (ty, n.span));
                Some(sym)
            }
        }
    }

    fn fact(&mut self, f: &ast::Fact) {
        if let Some((pred, args)) = self.ground(&f.atom, "a fact") {
            self.out.facts.push(GroundFact {
                pred,
                args,
                value: f.value,
                span: f.span,
            });
        }
    }

    fn expect(&mut self, e: &ast::Expect) {
        let position = match &e.position {
            Some(p) => match self.program.position_id(&p.text) {
                Some(id) => Some(id),
                None => {
                    let help = help_with(
                        &p.text,
                        self.program.positions.iter().map(|p| p.name.as_str()),
                        "name one of the knowledge base's positions",
                    );
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownPosition,
                            format!("no position is named `{}`", p.text),
                        )
                        .with_label(p.span, "unknown position")
                        .with_help(help)
                        .with_remedy(crate::diagnostic::Remedy::ListPositions),
                    );
                    return;
                }
            },
            None => None,
        };
        if let Some((pred, args)) = self.ground(&e.goal, "an expectation") {
            let info = self.program.predicate(pred);
            for ((sym, slot), term) in args.iter().zip(&info.slots).zip(&e.goal.args) {
                let open = matches!(
                    self.program.type_info(slot.ty).kind,
                    TypeKind::Open | TypeKind::From(_)
                );
                if let (true, ast::Term::Constant(n)) = (open, term) {
                    let lister_itself = matches!(
                        self.program.type_info(slot.ty).kind,
                        TypeKind::From(l) if l == pred
                    );
                    self.expected.push((*sym, slot.ty, n.span, lister_itself));
                }
            }
            self.out.expectations.push(Expectation {
                position,
                goal: Atom {
                    pred,
                    args: args.into_iter().map(Term::Const).collect(),
                    span: e.goal.span,
                },
                value: e.value,
                span: e.span,
                text: crate::syntax::dump_atom(&e.goal),
            });
        }
    }

    /// An expectation is a question with its answer written down: like a question, it may
    /// name only what the scenario or the knowledge base knows, so that a misspelt name is an
    /// error rather than an expectation that passes because nothing is concluded about it. A
    /// constant is known in a type when a fact states it in a slot of that type (in any file
    /// in force, before or after the expectation) or the knowledge base uses it so.
    fn unknown_in_expectations(&mut self) {
        if self.expected.is_empty() {
            return;
        }
        let mut stated: FxHashSet<(Sym, TypeId)> = FxHashSet::default();
        for f in self
            .program
            .facts
            .iter()
            .chain(&self.known.facts)
            .chain(&self.out.facts)
        {
            let info = self.program.predicate(f.pred);
            stated.extend(f.args.iter().zip(&info.slots).map(|(a, s)| (*a, s.ty)));
        }
        stated.extend(
            self.program
                .constant_types
                .iter()
                .map(|(s, (t, _))| (*s, *t)),
        );
        // The members of each `from` type: what its predicate lists.
        // Listed once per type, not once per constant an expectation names.
        let mut listed: FxHashMap<PredId, Vec<Sym>> = FxHashMap::default();
        let mut members = |lister: PredId| -> Vec<Sym> {
            listed
                .entry(lister)
                .or_insert_with(|| {
                    listed_members(
                        self.program
                            .facts
                            .iter()
                            .chain(&self.known.facts)
                            .chain(&self.out.facts)
                            .filter(|f| f.pred == lister)
                            .map(|f| (f.args.as_slice(), f.value)),
                    )
                })
                .clone()
        };
        let mut reported: FxHashSet<Span> = FxHashSet::default();
        for (sym, ty, span, lister_itself) in std::mem::take(&mut self.expected) {
            let lister = match self.program.type_info(ty).kind {
                TypeKind::From(l) => Some(l),
                _ => None,
            };
            // A name of a `from` type counts only where its predicate lists it, as in a
            // question: a name only a rule writes is not one of the scenario's.
            if let Some(lister) = lister.filter(|_| !lister_itself) {
                if stated.contains(&(sym, ty)) && !members(lister).contains(&sym) {
                    if reported.insert(span) {
                        let tname = self.program.type_info(ty).name.clone();
                        let name = self.interner.name(sym).to_string();
                        self.diags.push(super::goal::not_listed(
                            self.program,
                            lister,
                            &tname,
                            &name,
                            span,
                        ));
                    }
                    continue;
                }
            }
            if stated.contains(&(sym, ty)) || !reported.insert(span) {
                continue;
            }
            let info = self.program.type_info(ty);
            let mut names: Vec<&str> = match lister {
                Some(l) => members(l).iter().map(|s| self.interner.name(*s)).collect(),
                None => stated
                    .iter()
                    .filter(|(_, t)| *t == ty)
                    .map(|(s, _)| self.interner.name(*s))
                    .collect(),
            };
            names.sort_unstable();
            names.dedup();
            let name = self.interner.name(sym);
            let fallback = if names.is_empty() {
                format!(
                    "no fact names {} yet: state the facts the expectation is about",
                    article(&info.name)
                )
            } else {
                let written: Vec<String> = names.iter().map(|n| name_as_written(n)).collect();
                format!(
                    "the {} values the facts name: {}",
                    info.name,
                    written.join(", ")
                )
            };
            let help = help_with_names(name, names.iter().copied(), fallback);
            self.diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownConstant,
                    format!(
                        "`{}` is not {} the scenario or knowledge base knows",
                        name_as_written(name),
                        article(&info.name)
                    ),
                )
                .with_label(span, format!("unknown {}", info.name))
                .with_help(help),
            );
        }
    }

    /// Contradictions, functional conflicts, constants missing from `from` types, and
    /// expectations about things no fact names.
    fn finish(&mut self) {
        self.unknown_in_expectations();
        let mut seen: FxHashMap<(PredId, Tuple), (Truth, Span)> = FxHashMap::default();
        let mut functional: FxHashMap<(PredId, Tuple), (Sym, Span)> = FxHashMap::default();
        let all: Vec<GroundFact> = self
            .program
            .facts
            .iter()
            .chain(&self.known.facts)
            .chain(&self.out.facts)
            .cloned()
            .collect();
        let first_new = self.program.facts.len() + self.known.facts.len();
        for (i, f) in all.iter().enumerate() {
            let is_new = i >= first_new;
            let key = (f.pred, f.args.clone());
            if let Some((prev, prev_span)) = seen.get(&key).copied() {
                if prev != f.value && is_new {
                    let atom = self.program.atom_text(f.pred, &f.args, self.interner);
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::ContradictoryFacts,
                            format!("`{atom}` is stated {} and {}", prev.as_str(), f.value.as_str()),
                        )
                        .with_label(f.span, format!("stated {} here", f.value.as_str()))
                        .with_label(prev_span, format!("stated {} here", prev.as_str()))
                        .with_help("keep the statement that reflects the facts; use `unknown ...` if they are disputed"),
                    );
                }
                continue;
            }
            seen.insert(key, (f.value, f.span));
            let info = self.program.predicate(f.pred);
            if info.functional && f.value == Truth::True {
                let Some((last, prefix)) = f.args.split_last() else {
                    continue;
                };
                let pkey = (f.pred, Tuple::from_slice(prefix));
                match functional.get(&pkey).copied() {
                    Some((other, other_span)) if other != *last && is_new => {
                        let (a, b) = (
                            self.interner.name(other).to_string(),
                            self.interner.name(*last).to_string(),
                        );
                        let slot = info
                            .slots
                            .last()
                            .map(|s| s.name.clone())
                            .unwrap_or_default();
                        self.diags.push(
                            Diagnostic::error(
                                crate::diagnostic::Code::FunctionalConflict,
                                format!("`{}` admits one {slot} only, but both `{a}` and `{b}` are stated", info.name),
                            )
                            .with_label(f.span, format!("`{b}` here"))
                            .with_label(other_span, format!("`{a}` here"))
                            .with_help(format!(
                                "`{}` is functional: it has one {slot} at most for each {}, so two cannot both be true; keep one, or state `unknown` for both if it is disputed",
                                info.name,
                                functional_key(&info.slots)
                            )),
                        );
                    }
                    Some(_) => {}
                    None => {
                        functional.insert(pkey, (*last, f.span));
                    }
                }
            }
        }
        // Constants of `from` types must be listed by their predicate. The members of a `from`
        // type are what its predicate lists as true: whether something is a member cannot be
        // left open (the engine never reasons over unnamed members).
        let listers: FxHashSet<PredId> = self
            .program
            .types
            .iter()
            .filter_map(|t| match t.kind {
                TypeKind::From(p) => Some(p),
                _ => None,
            })
            .collect();
        let listed: FxHashMap<PredId, Vec<Sym>> = listers
            .iter()
            .map(|&lister| {
                let stated = all.iter().filter(|f| f.pred == lister);
                (
                    lister,
                    listed_members(stated.map(|f| (f.args.as_slice(), f.value))),
                )
            })
            .collect();
        let new_facts: Vec<GroundFact> = all.get(first_new..).unwrap_or(&[]).to_vec();
        let mut reported: FxHashSet<Sym> = FxHashSet::default();
        for f in new_facts.iter().filter(|f| f.value == Truth::Unknown) {
            if !listers.contains(&f.pred) {
                continue;
            }
            let info = self.program.predicate(f.pred);
            let (pname, tname) = (
                info.name.clone(),
                info.slots
                    .first()
                    .map(|s| self.program.type_info(s.ty).name.clone())
                    .unwrap_or_default(),
            );
            let what = self.program.atom_text(f.pred, &f.args, self.interner);
            self.diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownMembership,
                    format!("`{what}` cannot be unknown: `{pname}` lists the {tname} values of the scenario"),
                )
                .with_label(f.span, "stated as unknown")
                .with_help(format!(
                    "state `{what}.` if it counts as {} here, or `not {what}.` if it does not; to compare both readings, run the case once with each",
                    article(&tname)
                )),
            );
        }
        for f in &new_facts {
            let info = self.program.predicate(f.pred);
            for (a, slot) in f.args.iter().zip(&info.slots) {
                let TypeKind::From(lister) = self.program.type_info(slot.ty).kind else {
                    continue;
                };
                if lister == f.pred {
                    continue;
                }
                let is_listed = listed
                    .get(&lister)
                    .is_some_and(|members| members.binary_search(a).is_ok());
                if !is_listed && reported.insert(*a) {
                    let name = self.interner.name(*a).to_string();
                    let lname = self.program.predicate(lister).name.clone();
                    let tname = self.program.type_info(slot.ty).name.clone();
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UndeclaredConstant,
                            format!("`{name}` is used as {} but is not declared as one", article(&tname)),
                        )
                        .with_label(f.span, format!("`{name}` appears here"))
                        .with_help(format!(
                            "add `{lname}({}).` to the scenario: only what `{lname}` lists counts as {}",
                            quote_if_needed(&name),
                            article(&tname)
                        )),
                    );
                }
            }
        }
    }
}

/// The slots before the last of a functional predicate, in words ("op, victim and effect"):
/// what the one value of the last slot is one value *for*.
fn functional_key(slots: &[crate::program::SlotInfo]) -> String {
    let names: Vec<&str> = slots
        .split_last()
        .map(|(_, before)| before.iter().map(|s| s.name.as_str()).collect())
        .unwrap_or_default();
    match names.as_slice() {
        [] => "case".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
