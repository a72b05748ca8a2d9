//! Check: resolve every name, type every slot and variable, enforce safety, build positions.
//!
//! [`check_program`] turns the syntax trees of a knowledge base into a [`Program`], in this
//! order (each step relies on the ones before it):
//!
//! 1. declarations (`declare.rs`): sources, type names, predicates, then type bodies (a
//!    `from` type needs its predicate), then which predicates rules conclude;
//!    Predicates' `reads` templates are checked with them (`readings.rs`);
//! 2. positions (`positions.rs`): names, `extends`, then each position's rules, parents
//!    first. Each rule is lowered (`rules.rs`): names resolved, slots, variables and
//!    constants typed (`types.rs`), then variable safety and the locals of every `not`
//!    (`safety.rs`); then the short titles of the points the rules raise (`readings.rs`);
//! 3. facts and expectations in knowledge files (`facts.rs`, as for a scenario);
//! 4. every position's strata ([`crate::graph`]).
//!
//! [`check_facts`] checks a scenario's facts against a checked program, and [`check_goal`] a
//! question.
//!
//! The checker never stops at the first problem: it reports everything it can find in one
//! pass, and still returns the best program it could build (callers refuse to evaluate a
//! program with errors).

mod declare;
mod facts;
mod goal;
mod positions;
mod readings;
mod rules;
mod safety;

#[cfg(test)]
mod tests;
mod types;

/// The checked program, which lives in [`crate::program`]; re-exported under its old path.
pub(crate) use safety::binds;

use crate::diagnostic::Diagnostic;
use crate::graph;
use crate::program::{Expectation, GroundFact, Interner, PosId, Program, Sym, TypeId};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Statement};
use rustc_hash::FxHashMap;

/// The name given to the default position when a program declares none.
pub(crate) const IMPLICIT_DEFAULT: &str = "default";

/// The most slots a predicate may have: the evaluator marks a probe's bound slots in the bits
/// of a `u32` (`eval::relation::Mask`).
pub(crate) const MAX_SLOTS: usize = 32;

/// Checks the files of a knowledge base together (declarations are global to it).
pub fn check_program(files: &[(FileId, ast::File)]) -> (Program, Vec<Diagnostic>) {
    let mut c = Checker::default();
    c.run(files);
    (c.program, c.diags)
}

/// Facts and expectations checked against a program.
#[derive(Debug, Clone, Default)]
pub struct CheckedFacts {
    /// The facts, in the order stated.
    pub facts: Vec<GroundFact>,
    /// The `expect` statements, in the order stated.
    pub expectations: Vec<Expectation>,
    /// Constants of open types introduced by these facts.
    pub constant_types: FxHashMap<Sym, (TypeId, Span)>,
}

/// Checks scenario statements (facts and `expect`s) against a checked program. `known` holds
/// the facts already in force (the knowledge base's and earlier scenario files'), so that
/// contradictions across files are found. New constants are added to `interner`.
pub fn check_facts(
    program: &Program,
    interner: &mut Interner,
    known: &CheckedFacts,
    files: &[(FileId, ast::File)],
    scenario_only: bool,
) -> (CheckedFacts, Vec<Diagnostic>) {
    facts::check(program, interner, known, files, scenario_only)
}

/// Checks a goal (question) against the program; variables are allowed (each `_` is a
/// variable of its own). Returns the goal: its atom and the names of its variables, indexed by
/// [`VarId`](crate::program::VarId); constants must be known to the program or to
/// `known_constants` (the scenario's) with the slot's type. With `members` (per type, indexed
/// by [`TypeId`], the sorted members the facts give it, as
/// [`FactSet::domains`](crate::eval::FactSet) holds them), a constant of a `from` type must
/// also be one its predicate lists.
///
/// # Errors
///
/// An unknown predicate, a wrong number of arguments, or an unknown constant (with a "did
/// you mean"); with `members`, a constant of a `from` type no fact lists (a name only a rule
/// writes counts as a member only in a scenario that lists it).
pub fn check_goal(
    program: &Program,
    interner: &Interner,
    known_constants: &FxHashMap<Sym, (TypeId, Span)>,
    members: Option<&[Vec<Sym>]>,
    a: &ast::Atom,
) -> Result<crate::program::Goal, Diagnostic> {
    goal::check_goal(program, interner, known_constants, members, a)
}

/// The program being built and the problems found so far; each pass adds to both.
#[derive(Default)]
struct Checker {
    program: Program,
    diags: Vec<Diagnostic>,
    /// The points some rule raises, wherever it is written (`unverified` may name them).
    raised_points: rustc_hash::FxHashSet<String>,
}

impl Checker {
    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self, files: &[(FileId, ast::File)]) {
        let statements: Vec<&Statement> = files.iter().flat_map(|(_, f)| &f.statements).collect();

        // 1. Sources.
        for st in &statements {
            if let Statement::Source(s) = st {
                self.declare_source(s);
            }
        }
        // 2. Types (two passes: names first, bodies once predicates are known).
        self.declare_built_in_types();
        for st in &statements {
            if let Statement::Type(t) = st {
                self.declare_type_name(t);
            }
        }
        // 3. Predicates.
        for st in &statements {
            if let Statement::Predicate(p) = st {
                self.declare_predicate(p);
            }
        }
        for st in &statements {
            if let Statement::Type(t) = st {
                self.resolve_type_body(t);
            }
        }
        // 4. Which predicates are concluded by rules anywhere (the others are base facts).
        for st in &statements {
            match st {
                Statement::Rule(r) => self.mark_derived(&r.body.head),
                Statement::Position(p) => {
                    for item in &p.items {
                        if let ast::PositionItem::Add(r) | ast::PositionItem::Replace(r) = item {
                            self.mark_derived(&r.body.head);
                        }
                    }
                }
                _ => {}
            }
        }
        // 4b. `closed` and `functional` say how unstated facts read; rules decide a
        // conclusion's atoms, so on a concluded predicate they would promise what nothing
        // enforces (two values derived, unknown atoms left unknown).
        for st in &statements {
            if let Statement::Predicate(p) = st {
                self.marker_on_conclusion(p);
            }
        }
        // 5. Positions and rules.
        let positions: Vec<&ast::PositionDecl> = statements
            .iter()
            .filter_map(|st| match st {
                Statement::Position(p) => Some(p),
                _ => None,
            })
            .collect();
        let top_rules: Vec<&ast::RuleDecl> = statements
            .iter()
            .filter_map(|st| match st {
                Statement::Rule(r) => Some(r),
                _ => None,
            })
            .collect();
        self.build_positions(&positions, &top_rules);
        // 5b. Short titles of the open points the rules raise.
        let titles: Vec<&ast::PointTitleDecl> = statements
            .iter()
            .filter_map(|st| match st {
                Statement::PointTitle(t) => Some(t),
                _ => None,
            })
            .collect();
        self.title_points(&titles);

        // 6. Facts and expectations in knowledge files.
        let fact_files: Vec<(FileId, ast::File)> = files
            .iter()
            .map(|(id, f)| {
                (
                    *id,
                    ast::File {
                        statements: f
                            .statements
                            .iter()
                            .filter(|s| s.is_scenario_statement())
                            .cloned()
                            .collect(),
                    },
                )
            })
            .collect();
        let mut interner = std::mem::take(&mut self.program.interner);
        let (facts, diags) = check_facts(
            &self.program,
            &mut interner,
            &CheckedFacts::default(),
            &fact_files,
            false,
        );
        self.program.interner = interner;
        self.diags.extend(diags);
        self.program.facts = facts.facts;
        self.program.expectations = facts.expectations;
        for (k, v) in facts.constant_types {
            self.program.constant_types.entry(k).or_insert(v);
        }

        // 7. Stratify every position on its own.
        for pos in 0..self.program.positions.len() {
            let pos = PosId::from_index(pos);
            match graph::stratify(&self.program, pos) {
                Ok(strata) => {
                    if let Some(p) = self.program.positions.get_mut(pos.index()) {
                        p.strata = strata;
                    }
                }
                Err(d) => self.diags.extend(d),
            }
        }
    }
}

/// [`help_with`](crate::diagnostic::suggest::help_with) for the names of things: the
/// suggestion written as in the language (`did you mean `"Fancy Bear"`?`, see
/// [`crate::syntax::name_as_written`]). Here rather than beside `help_with`, so that the
/// diagnostics never depend on the syntax (which depends on them).
pub(crate) fn help_with_names<'a, I>(
    name: &str,
    candidates: I,
    fallback: impl Into<String>,
) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match crate::diagnostic::suggest::did_you_mean(name, candidates) {
        Some(s) => format!("did you mean `{}`?", crate::syntax::name_as_written(&s)),
        None => fallback.into(),
    }
}
