//! A scenario: the facts of an operation, stated on top of a knowledge base, and the
//! questions asked about it. This is the library's main entry point: the facade that
//! evaluates (caching each position's model) and hands the models to `explain` and `lint`.

mod questions;
mod shape;
mod stipulations;
mod time;

pub use questions::{LimitsRecord, Provenance};
pub use shape::Shape;
pub use time::AsOf;

use crate::check::{self, CheckedFacts};
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Bounds, Cancel, EvalError, FactSet, Limits, Model};
use crate::explain::StipulationNote;
use crate::kb::{KnowledgeBase, LoadError};
use crate::program::*;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{self, Truth};
use crate::syntax::{self};
use serde::Serialize;
use std::cell::OnceCell;
use std::sync::Arc;

/// The name a question's text is shown under in diagnostics.
pub(crate) const QUESTION: &str = "<question>";

/// Everything that can go wrong when asking a question.
///
/// `{}` is one line (the first problem); `{:?}` a few hundred bytes at most, never a source
/// text; [`Error::render`] shows every diagnostic with its lines. As a [`miette::Diagnostic`]
/// it has the code and help of what went wrong.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// Something the user wrote is wrong (with diagnostics to show).
    #[error("{0}")]
    #[diagnostic(transparent)]
    Input(#[from] LoadError),
    /// Evaluation hit a limit.
    #[error("{0}")]
    #[diagnostic(transparent)]
    Limit(#[from] EvalError),
}

impl Error {
    /// Colour-free text for the user.
    pub fn render(&self) -> String {
        match self {
            Error::Input(e) => e.render(),
            Error::Limit(EvalError::Cancelled) => {
                "error: the evaluation was cancelled before it finished; nothing was changed\n"
                    .to_string()
            }
            Error::Limit(e) => match miette::Diagnostic::help(e) {
                Some(help) => format!("error: {e}\n  help: {help}\n"),
                None => format!("error: {e}\n"),
            },
        }
    }
}

/// One answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The ground atom, e.g. `violates_sovereignty(notpetya, ukraine)`.
    pub atom: String,
    /// Its value under the position asked about.
    pub value: Truth,
    /// For questions with variables: each variable and its value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<(String, String)>,
    /// The atom's predicate (for [`Scenario::explain`]).
    #[serde(skip)]
    pub pred: PredId,
    /// The atom's constants, one per argument.
    #[serde(skip)]
    pub args: Tuple,
    /// The position the value is under: [`Scenario::explain`] explains it there.
    #[serde(skip)]
    pub position: PosId,
    /// The knowledge base that gave the answer: another one's answers are refused.
    #[serde(skip)]
    pub(crate) kb: u64,
}

/// The answers to one question under one position.
#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    /// The position's name.
    pub position: String,
    /// The question as checked, e.g. `attributable(op, S)`.
    pub goal: String,
    /// The answers, sorted by atom for questions with variables.
    pub answers: Vec<Answer>,
}

/// How one `expect` statement fared.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectationOutcome {
    /// The atom expected, ground.
    pub goal: String,
    /// The position it was evaluated under.
    pub position: String,
    /// The value the statement expects.
    pub expected: Truth,
    /// The value evaluated.
    pub got: Truth,
    /// Whether they agree.
    pub passed: bool,
    /// `file:line`.
    pub location: String,
}

/// One row of a comparison across positions.
#[derive(Debug, Clone, Serialize)]
pub struct PositionRow {
    /// The position's name.
    pub position: String,
    /// The answer's value under it.
    pub value: Truth,
    /// The rule (or fact) that decided the value at the top of the explanation, as text
    /// ([`Scenario::decided_by`] gives it typed).
    pub decided_by: String,
    /// Whether the position merely inherits this conclusion.
    pub inherited: bool,
    /// Whether the position's document speaks to it without having been verified: the default
    /// view is shown, and the position is not silent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// When the position was published, if the knowledge base dates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<crate::date::Date>,
    /// Whether the position was published after the operation in the question occurred
    /// (`None`: no operation of the question is dated, or the position is undated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_after_operation: Option<bool>,
    /// An element the value rests on that was published after the date asked as of (or after
    /// the operation), in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later_statement: Option<String>,
    /// For an unknown value: whether it rests on missing facts, divided law or both, with the
    /// open points ([`Scenario::classify_unknowns`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<crate::explain::UnknownClass>,
}

/// The facts of one case, evaluated lazily and cached per position.
///
/// A scenario may move to another thread (`Send`) but is not shared between threads (not
/// `Sync`: its caches fill on first use). To ask questions in parallel, give each thread its
/// own scenario — cloning one clones its facts, and every clone shares the knowledge base.
///
/// ```
/// use opinio::{KnowledgeBase, Scenario, Truth};
/// let kb = KnowledgeBase::bundled().unwrap();
/// let mut s = Scenario::new(&kb);
/// s.add_text("case.opinio", "
///     state(astoria). state(borduria).
///     operation(op). conducted_by(op, unit). organ_of(unit, borduria).
///     agents_present_in(op, astoria).
/// ").unwrap();
/// let r = s.query("violates_sovereignty(op, astoria)", None).unwrap();
/// assert_eq!(r.answers[0].value, Truth::True);
/// ```
#[derive(Debug, Clone)]
pub struct Scenario {
    kb: KnowledgeBase,
    sources: SourceMap,
    interner: Interner,
    facts: CheckedFacts,
    limits: Limits,
    max_file_size: u64,
    cancel: Option<Cancel>,
    factset: OnceCell<Arc<FactSet>>,
    base: OnceCell<Result<Arc<eval::BaseRelations>, EvalError>>,
    models: Vec<OnceCell<Result<Arc<Model>, EvalError>>>,
    /// Models of the cones of some predicates under a position (see [`Scenario::goal_model`]),
    /// by position and the sorted predicates.
    cone_models: ConeModels,
    /// The base relations of the predicates cone models have read so far.
    partial_base: std::cell::RefCell<Option<Arc<eval::BaseRelations>>>,
    /// When questions with constants are answered by the magic-set rewriting.
    magic_sets: eval::MagicSets,
    /// Questions answered by the magic-set rewriting (see [`Scenario::demand_model`]), by
    /// position, predicate and constants: the rewriting, its base relations and its model.
    demands: Demands,
    /// Per position: the stipulations that contradict the rules (see `stipulations`).
    stipulations: Vec<OnceCell<Vec<StipulationNote>>>,
    next_line: usize,
    /// The date questions are asked as of (see [`Scenario::set_as_of`]).
    as_of: Option<AsOf>,
}

/// Cone models by (position, sorted predicates): a few per scenario, searched in order.
type ConeModels = std::cell::RefCell<Vec<ConeModel>>;

/// The model of the cones of some predicates under a position (see [`Scenario::goal_model`]).
#[derive(Debug, Clone)]
struct ConeModel {
    position: PosId,
    /// The predicates asked about (sorted).
    asked: Vec<PredId>,
    /// The strata evaluated and the predicates they hold.
    cone: Arc<eval::Cone>,
    model: Result<Arc<Model>, EvalError>,
}

/// A question's constants (`None` for a variable).
type Pattern = Vec<Option<crate::program::Sym>>;

/// One question answered by the magic-set rewriting, each part made on first use.
#[derive(Debug, Clone)]
struct DemandEntry {
    /// The rewriting (`None`: the question has none).
    demand: Option<Arc<eval::Demand>>,
    /// The scenario's base relations made ready for it.
    base: Option<Arc<eval::BaseRelations>>,
    /// Its model, with the predicate to read the answers from (the question's adorned copy).
    model: Option<Result<(Arc<Model>, PredId), EvalError>>,
}

/// Rewritten questions by (position, predicate, constants): a few per scenario, searched in
/// order.
type Demands = std::cell::RefCell<Vec<((PosId, PredId, Pattern), DemandEntry)>>;

impl Scenario {
    /// An empty scenario on a knowledge base (which is shared, not copied), with the
    /// default limits and no cancellation token.
    pub fn new(kb: &KnowledgeBase) -> Scenario {
        Scenario {
            kb: kb.clone(),
            sources: kb.sources().clone(),
            interner: kb.program().interner.clone(),
            facts: CheckedFacts::default(),
            limits: Limits::default(),
            max_file_size: crate::kb::DEFAULT_MAX_FILE_SIZE,
            cancel: None,
            factset: OnceCell::new(),
            base: OnceCell::new(),
            models: (0..kb.program().positions.len())
                .map(|_| OnceCell::new())
                .collect(),
            cone_models: ConeModels::default(),
            partial_base: std::cell::RefCell::new(None),
            magic_sets: eval::MagicSets::default(),
            demands: Demands::default(),
            stipulations: (0..kb.program().positions.len())
                .map(|_| OnceCell::new())
                .collect(),
            next_line: 1,
            as_of: None,
        }
    }

    /// The knowledge base the facts are stated on.
    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The knowledge base's checked program.
    pub fn program(&self) -> &Program {
        self.kb.program()
    }

    /// The names of the constants, the knowledge base's and the scenario's.
    pub fn interner(&self) -> &Interner {
        &self.interner
    }

    /// Every text seen so far (the knowledge base's and the scenario's), for diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Sets the limits of every evaluation from now on (forgets the cached ones).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.invalidate();
    }

    /// The limits of each evaluation.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Lets `cancel` stop this scenario's evaluations (`None`: nothing stops them but the
    /// limits). A cancelled evaluation ends with [`EvalError::Cancelled`]; it changes nothing
    /// and is not cached, so the same question asked after [`Cancel::reset`] is answered.
    /// Clones of the scenario share the token.
    pub fn set_cancel(&mut self, cancel: Option<Cancel>) {
        self.cancel = cancel;
    }

    /// The token that can stop this scenario's evaluations, if one was set.
    pub fn cancel_token(&self) -> Option<&Cancel> {
        self.cancel.as_ref()
    }

    /// The limits and the cancellation token of one evaluation.
    fn bounds(&self) -> Bounds {
        Bounds {
            limits: self.limits,
            cancel: self.cancel.clone(),
        }
    }

    /// Sets the largest file [`load_file`](Scenario::load_file) reads, in bytes (default
    /// [`DEFAULT_MAX_FILE_SIZE`](crate::kb::DEFAULT_MAX_FILE_SIZE), 64 MiB); a larger file
    /// is refused with a diagnostic.
    pub fn set_max_file_size(&mut self, bytes: u64) {
        self.max_file_size = bytes;
    }

    /// The largest file [`load_file`](Scenario::load_file) reads, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// Sets when a question with a constant in it is answered by the magic-set rewriting of
    /// the rules ([`MagicSets`](crate::eval::MagicSets); default `Auto`: when the scenario
    /// states at least [`MagicSets::AUTO_FACTS`](crate::eval::MagicSets::AUTO_FACTS) facts).
    /// The answers are the same either way; the rewriting evaluates only what the question's
    /// constants reach, where the other way evaluates its predicate for every constant.
    pub fn set_magic_sets(&mut self, when: eval::MagicSets) {
        if when != self.magic_sets {
            // The cached rewritten models would otherwise go on answering the questions
            // they were made for.
            self.demands = Demands::default();
        }
        self.magic_sets = when;
    }

    /// When questions with constants are answered by the magic-set rewriting.
    pub fn magic_sets(&self) -> eval::MagicSets {
        self.magic_sets
    }

    fn invalidate(&mut self) {
        self.factset = OnceCell::new();
        self.base = OnceCell::new();
        for m in &mut self.models {
            *m = OnceCell::new();
        }
        self.cone_models = ConeModels::default();
        self.partial_base = std::cell::RefCell::new(None);
        self.demands = Demands::default();
        for s in &mut self.stipulations {
            *s = OnceCell::new();
        }
    }

    /// Adds a text of facts and expectations. All or nothing: on any error nothing is added.
    /// Returns the warnings.
    pub fn add_text(&mut self, name: &str, text: &str) -> Result<Vec<Diagnostic>, LoadError> {
        let before = self.sources.len();
        let id = self.sources.add(name, text);
        let added = match syntax::parse_file(id, text) {
            Ok(file) => self.add_parsed(id, file),
            Err(e) => Err(LoadError::new(vec![e.diagnostic], self.sources.clone())),
        };
        if added.is_err() {
            // The error keeps its own copy of the text; the scenario forgets it, so that
            // failed attempts do not pile up (every question copies the source map).
            self.sources.truncate(before);
        }
        added
    }

    /// Reads and adds a scenario file (`.json` files in Opinio's JSON format). A path that is
    /// not an ordinary file (a folder, a named pipe, a device) or a file larger than
    /// [`max_file_size`](Scenario::max_file_size) is refused with a diagnostic.
    pub fn load_file(&mut self, path: &std::path::Path) -> Result<Vec<Diagnostic>, LoadError> {
        let text = crate::kb::read_text_file(path, self.max_file_size)
            .map_err(|d| LoadError::new(vec![d], self.sources.clone()))?;
        let json = path.extension().is_some_and(|e| e == "json");
        self.load_source(&path.display().to_string(), &text, json)
    }

    /// Adds the text of a scenario read elsewhere (standard input, for example), in Opinio's
    /// JSON format if `json`, then lints it like [`load_file`](Scenario::load_file).
    pub fn load_source(
        &mut self,
        name: &str,
        text: &str,
        json: bool,
    ) -> Result<Vec<Diagnostic>, LoadError> {
        if json {
            let facts = crate::json::parse_scenario(text).map_err(|d| {
                let mut sources = self.sources.clone();
                let id = sources.add(name, text);
                let d = crate::json::locate(d, id, text);
                LoadError::new(vec![d], sources)
            })?;
            let mut w = self.add_text(name, &facts)?;
            w.extend(self.lint());
            return Ok(w);
        }
        let mut w = self.add_text(name, text)?;
        w.extend(self.lint());
        Ok(w)
    }

    /// Adds one line typed at the REPL (facts only), named `<line N>` in diagnostics.
    pub fn add_line(&mut self, text: &str) -> Result<Vec<Diagnostic>, LoadError> {
        let name = format!("<line {}>", self.next_line);
        self.next_line += 1;
        self.add_text(&name, text)
    }

    fn add_parsed(&mut self, id: FileId, file: ast::File) -> Result<Vec<Diagnostic>, LoadError> {
        let files = [(id, file)];
        let mut interner = self.interner.clone();
        let (checked, diags) =
            check::check_facts(self.kb.program(), &mut interner, &self.facts, &files, true);
        if diags.iter().any(|d| d.is_error()) {
            return Err(LoadError::new(diags, self.sources.clone()));
        }
        self.interner = interner;
        // A restatement of the same atom replaces the earlier one (same value: no change).
        let mut stated: rustc_hash::FxHashSet<(PredId, Tuple)> = self
            .facts
            .facts
            .iter()
            .map(|g| (g.pred, g.args.clone()))
            .collect();
        for f in checked.facts {
            if stated.insert((f.pred, f.args.clone())) {
                self.facts.facts.push(f);
            }
        }
        self.facts.expectations.extend(checked.expectations);
        self.facts.constant_types.extend(checked.constant_types);
        self.invalidate();
        Ok(diags)
    }

    /// States one fact built in code (all or nothing, checked like a typed fact).
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario, Truth};
    /// let kb = KnowledgeBase::bundled().unwrap();
    /// let mut s = Scenario::new(&kb);
    /// s.state("state", &["russia"], Truth::True).unwrap();
    /// s.state("operation", &["op"], Truth::True).unwrap();
    /// s.state("conducted_by", &["op", "gru"], Truth::True).unwrap();
    /// s.state("organ_of", &["gru", "russia"], Truth::True).unwrap();
    /// let r = s.query("attributable(op, russia)", None).unwrap();
    /// assert_eq!(r.answers[0].value, Truth::True);
    /// // A State is never itself an actor: the mistake is reported, nothing is stated.
    /// assert!(s.state("conducted_by", &["op", "russia"], Truth::True).is_err());
    /// // Only a predicate's name is taken as the predicate.
    /// assert!(s.state("state(x). operation", &["y"], Truth::True).is_err());
    /// ```
    pub fn state(&mut self, predicate: &str, args: &[&str], value: Truth) -> Result<(), LoadError> {
        // The predicate is spliced into a text: anything but a plain name (`p(x). q`) would
        // state something else than asked. (An unknown plain name is the checker's to report.)
        if !syntax::is_plain_name(predicate) {
            let help = crate::diagnostic::suggest::help_with(
                predicate,
                self.kb.program().predicates.iter().map(|p| p.name.as_str()),
                "name a predicate of the knowledge base",
            );
            return Err(LoadError::new(
                vec![Diagnostic::error(
                    crate::diagnostic::Code::UnknownPredicate,
                    format!("no predicate is named `{predicate}`"),
                )
                .with_help(help)
                .with_remedy(crate::diagnostic::Remedy::ListPredicates)],
                SourceMap::new(),
            ));
        }
        let args: Vec<String> = args.iter().map(|a| quote_if_needed(a)).collect();
        let prefix = match value {
            Truth::True => "",
            Truth::False => "not ",
            Truth::Unknown => "unknown ",
        };
        let text = format!("{prefix}{predicate}({}).", args.join(", "));
        self.add_text("<api>", &text).map(|_| ())
    }

    /// Removes a stated fact, given as text (`organ_of(gru, russia)`). `Ok(false)` if it was
    /// not stated.
    pub fn retract(&mut self, atom_text: &str) -> Result<bool, LoadError> {
        const RETRACT: &str = "<retract>";
        let goal = self.parse_goal_named(RETRACT, atom_text)?;
        if !goal.is_ground() {
            return Err(self.goal_error(
                RETRACT,
                atom_text,
                Diagnostic::error(
                    crate::diagnostic::Code::VariableInFact,
                    "name the fact to withdraw in full, without variables",
                )
                .with_label(goal.atom().span, "has variables")
                .with_help("name the fact as it was stated, with every argument")
                .with_remedy(crate::diagnostic::Remedy::ListFacts),
            ));
        }
        let args: Tuple = goal.atom().ground_args().unwrap_or_default();
        if let Some(d) = self.still_a_member(goal.predicate(), &args, goal.atom().span) {
            return Err(self.goal_error(RETRACT, atom_text, d));
        }
        let before = self.facts.facts.len();
        self.facts
            .facts
            .retain(|f| !(f.pred == goal.predicate() && f.args == args));
        let removed = self.facts.facts.len() != before;
        if removed {
            self.recompute_constant_types();
            self.invalidate();
        }
        Ok(removed)
    }

    /// Why the fact `pred(args)`, stated true, cannot be withdrawn alone: it lists a member
    /// of a type (`state(bb)`: `bb` is a State) that other facts still use as one. Without it
    /// they would name a State the scenario does not declare: the scenario could not be
    /// loaded again from what `:save` writes, and the open world would range over a member
    /// that is not one. `None` when nothing else uses it.
    fn still_a_member(&self, pred: PredId, args: &[Sym], at: Span) -> Option<Diagnostic> {
        let program = self.kb.program();
        let member = *args.first()?;
        let stated_true = self
            .facts
            .facts
            .iter()
            .any(|f| f.pred == pred && f.args.as_slice() == args && f.value == Truth::True);
        let listed: Vec<TypeId> = program
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, TypeKind::From(p) if p == pred))
            .map(|(i, _)| TypeId::from_index(i))
            .collect();
        if !stated_true || listed.is_empty() {
            return None;
        }
        let users: Vec<&GroundFact> = self
            .facts
            .facts
            .iter()
            .filter(|f| f.pred != pred)
            .filter(|f| {
                let slots = &program.predicate(f.pred).slots;
                f.args
                    .iter()
                    .zip(slots)
                    .any(|(a, slot)| *a == member && listed.contains(&slot.ty))
            })
            .collect();
        let first = users.first()?;
        let ty = listed
            .first()
            .map(|t| program.type_info(*t).name.clone())
            .unwrap_or_default();
        let name = syntax::quote_if_needed(self.interner.name(member));
        let shown: Vec<String> = users
            .iter()
            .take(3)
            .map(|f| format!("`{}`", self.fact_text(f).trim_end_matches('.')))
            .collect();
        let more = match users.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        let d = Diagnostic::error(
            crate::diagnostic::Code::UnknownMembership,
            format!(
                "`{name}` cannot stop being a {ty} while other facts name it as one: {}{more}",
                shown.join(", ")
            ),
        )
        .with_label(at, "still needed")
        .with_label(first.span, format!("`{name}` is a {ty} here"))
        .with_help(format!(
            "withdraw the facts that name `{name}` as a {ty} first (`:facts` lists them), then this one; or state `not {}` only once nothing else names it",
            program.atom_text(pred, args, &self.interner)
        ));
        Some(d)
    }

    /// Removes every fact and expectation, and with them the types their names were given.
    pub fn clear(&mut self) {
        self.facts = CheckedFacts::default();
        self.invalidate();
    }

    /// Gives the scenario's names the types that the facts and expectations still stated
    /// give them, so that a name a withdrawn fact made (say) an Actor may be stated a State.
    /// A name keeps the place it was first used at while that statement remains.
    fn recompute_constant_types(&mut self) {
        let program = self.kb.program();
        let old = std::mem::take(&mut self.facts.constant_types);
        let remaining: Vec<Span> = self
            .facts
            .facts
            .iter()
            .map(|f| f.span)
            .chain(self.facts.expectations.iter().map(|e| e.span))
            .collect();
        let within = |inner: Span| {
            remaining
                .iter()
                .any(|s| s.file == inner.file && s.start <= inner.start && inner.end <= s.end)
        };
        let uses = self
            .facts
            .facts
            .iter()
            .map(|f| (f.pred, f.args.clone(), f.span))
            .chain(self.facts.expectations.iter().map(|e| {
                let args: Tuple = e
                    .goal
                    .args
                    .iter()
                    .filter_map(|t| match t {
                        Term::Const(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                (e.goal.pred, args, e.span)
            }));
        let mut types: rustc_hash::FxHashMap<Sym, (TypeId, Span)> =
            rustc_hash::FxHashMap::default();
        for (pred, args, span) in uses {
            for (sym, slot) in args.iter().zip(&program.predicate(pred).slots) {
                let kind = &program.type_info(slot.ty).kind;
                if matches!(kind, TypeKind::Enumerated { .. }) {
                    continue;
                }
                if program.constant_types.contains_key(sym) {
                    continue;
                }
                types.entry(*sym).or_insert_with(|| match old.get(sym) {
                    Some(&(t, first)) if t == slot.ty && within(first) => (t, first),
                    _ => (slot.ty, span),
                });
            }
        }
        self.facts.constant_types = types;
    }

    /// The facts stated so far, in order.
    pub fn facts(&self) -> &[GroundFact] {
        &self.facts.facts
    }

    /// A fact as the language writes it (`not coercive(op, v).`).
    pub fn fact_text(&self, f: &GroundFact) -> String {
        let prefix = match f.value {
            Truth::True => "",
            Truth::False => "not ",
            Truth::Unknown => "unknown ",
        };
        format!(
            "{prefix}{}.",
            self.kb.program().atom_text(f.pred, &f.args, &self.interner)
        )
    }

    /// A ground atom in plain language, through its predicate's `reads` template, with the
    /// scenario's constants (see [`Program::phrase`](crate::program::Program::phrase)): for an
    /// answer `a`, `scenario.phrase(a.pred, &a.args)` gives "notpetya violates the sovereignty
    /// of denmark"; a predicate without `reads` gives the code form.
    pub fn phrase(&self, pred: crate::program::PredId, args: &[crate::program::Sym]) -> String {
        self.kb.program().phrase(pred, args, &self.interner)
    }

    /// The scenario as a file: its facts, then its expectations.
    pub fn to_text(&self) -> String {
        let mut out = String::from("# Saved by Opinio.\n");
        for f in &self.facts.facts {
            out.push_str(&self.fact_text(f));
            out.push('\n');
        }
        for e in &self.facts.expectations {
            out.push_str(&self.expectation_text(e));
            out.push('\n');
        }
        out
    }

    /// The scenario as a file written over the `.opinio` file it loaded under `name` (the
    /// name [`load_file`](Scenario::load_file) gave it: the path as written), so that saving
    /// keeps what the reader wrote there — the narrative in comments, the sources, the layout
    /// and the order. That file's statements are kept where they stand, except the facts no
    /// longer stated (withdrawn since), whose statements are removed; the facts and
    /// expectations stated elsewhere (typed, or from other files) follow at the end, under a
    /// comment. `None` when no `.opinio` text was loaded under `name` or it no longer parses
    /// (a JSON file, say): [`to_text`](Scenario::to_text) is then the file to write.
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario};
    /// let kb = KnowledgeBase::from_strings([("law.opinio", r#"
    ///     type Person.
    ///     predicate adult(p: Person) means "the person is an adult".
    /// "#)]).unwrap();
    /// let mut s = Scenario::new(&kb);
    /// s.add_text("case.opinio", "# Ann's case.\nadult(ann). # she is 40\nadult(bob).\n").unwrap();
    /// s.retract("adult(bob)").unwrap();
    /// s.add_line("adult(cy).").unwrap();
    /// let text = s.to_text_over("case.opinio").unwrap();
    /// assert_eq!(
    ///     text,
    ///     "# Ann's case.\nadult(ann). # she is 40\n\n# Stated in the Opinio session:\nadult(cy).\n"
    /// );
    /// ```
    pub fn to_text_over(&self, name: &str) -> Option<String> {
        let id = self.sources.find(name)?;
        let text = self.sources.get(id)?.text.clone();
        let parsed = syntax::parse_file(id, &text).ok()?;
        let kept: rustc_hash::FxHashSet<u32> = self
            .facts
            .facts
            .iter()
            .filter(|f| f.span.file == id)
            .map(|f| f.span.start)
            .chain(
                self.facts
                    .expectations
                    .iter()
                    .filter(|e| e.span.file == id)
                    .map(|e| e.span.start),
            )
            .collect();
        // The byte ranges of the statements withdrawn since, widened to their whole line
        // when nothing else stands on it (a trailing comment about the fact goes with it).
        let mut cut: Vec<(usize, usize)> = Vec::new();
        for st in &parsed.statements {
            let span = st.span();
            if !st.is_scenario_statement() || kept.contains(&span.start) {
                continue;
            }
            let (start, end) = (span.start as usize, span.end as usize);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            let before = &text[line_start..start];
            let after = text[end..line_end].trim_end_matches(['\n', '\r']);
            let after_blank = after.trim().is_empty() || after.trim_start().starts_with('#');
            if before.trim().is_empty() && after_blank {
                cut.push((line_start, line_end));
            } else {
                // Others share the line: take the statement and the spaces after it.
                let spaces = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
                cut.push((start, end + spaces));
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in cut {
            if start >= at {
                out.push_str(&text[at..start]);
                at = end;
            }
        }
        out.push_str(&text[at..]);
        let others: Vec<String> = self
            .facts
            .facts
            .iter()
            .filter(|f| f.span.file != id)
            .map(|f| self.fact_text(f))
            .chain(
                self.facts
                    .expectations
                    .iter()
                    .filter(|e| e.span.file != id)
                    .map(|e| self.expectation_text(e)),
            )
            .collect();
        if !others.is_empty() {
            // The file's own line ends: a file saved by Windows editors (most lines ending in
            // CRLF) gets CRLF after the facts added too, not a mix.
            let eol = crate::source::line_end(&text);
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(eol);
            out.push_str("# Stated in the Opinio session:");
            out.push_str(eol);
            for line in others {
                out.push_str(&line);
                out.push_str(eol);
            }
        }
        Some(out)
    }

    /// An expectation as the language writes it (`expect under uk p(a) = true.`).
    fn expectation_text(&self, e: &Expectation) -> String {
        let under = e
            .position
            .map(|p| format!("under {} ", self.kb.program().position(p).name))
            .unwrap_or_default();
        format!("expect {under}{} = {}.", e.text, e.value.as_str())
    }

    /// Whether anything has been stated.
    pub fn is_empty(&self) -> bool {
        self.facts.facts.is_empty() && self.facts.expectations.is_empty()
    }

    /// Every constant the knowledge base and the facts name, by the name of its type, each
    /// list sorted: the constants stated in slots of open types (`norland`) and the values of
    /// enumerated and ordered types (`physical_damage`). Names are written as the language
    /// reads them back (quoted when needed). For completion and for listing what a question
    /// may name.
    pub fn constants_by_type(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        use std::collections::{BTreeMap, BTreeSet};
        let program = self.kb.program();
        let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let stated = program
            .constant_types
            .iter()
            .chain(&self.facts.constant_types);
        for (&sym, &(ty, _)) in stated {
            by_type
                .entry(program.type_info(ty).name.clone())
                .or_default()
                .insert(quote_if_needed(self.interner.name(sym)));
        }
        for t in &program.types {
            if let TypeKind::Enumerated { values, .. } = &t.kind {
                let set = by_type.entry(t.name.clone()).or_default();
                for v in values {
                    set.insert(quote_if_needed(self.interner.name(*v)));
                }
            }
        }
        by_type
            .into_iter()
            .map(|(ty, names)| (ty, names.into_iter().collect()))
            .collect()
    }

    /// The prepared facts (the knowledge base's and the scenario's).
    pub fn fact_set(&self) -> Arc<FactSet> {
        self.factset
            .get_or_init(|| {
                Arc::new(FactSet::new(
                    self.kb.program(),
                    &self.interner,
                    self.kb.program().facts.iter().chain(&self.facts.facts),
                    self.facts.constant_types.iter().map(|(s, (t, _))| (*s, *t)),
                ))
            })
            .clone()
    }

    /// Resolves a position name (`None`: the default position).
    pub fn position_id(&self, name: Option<&str>) -> Result<PosId, Error> {
        let program = self.kb.program();
        match name {
            None => program.default_position_or_first().ok_or_else(|| {
                Error::Input(LoadError::new(
                    vec![Diagnostic::error(
                        crate::diagnostic::Code::NoPosition,
                        "the knowledge base has no position",
                    )],
                    self.sources.clone(),
                ))
            }),
            Some(n) => program.position_id(n).ok_or_else(|| {
                let help = crate::diagnostic::suggest::help_with(
                    n,
                    program.positions.iter().map(|p| p.name.as_str()),
                    format!("the positions are: {}", self.kb.position_names().join(", ")),
                );
                Error::Input(LoadError::new(
                    vec![Diagnostic::error(
                        crate::diagnostic::Code::UnknownPosition,
                        format!("no position is named `{}`", syntax::name_as_written(n)),
                    )
                    .with_help(help)],
                    self.sources.clone(),
                ))
            }),
        }
    }

    /// `Ok` if `position` is one of this knowledge base's positions; otherwise the
    /// `UnknownPosition` error (an id made for another knowledge base, or by hand).
    pub(crate) fn known_position(&self, position: PosId) -> Result<(), Error> {
        if position.index() < self.kb.program().positions.len() {
            return Ok(());
        }
        Err(Error::Input(LoadError::new(
            vec![Diagnostic::error(
                crate::diagnostic::Code::UnknownPosition,
                format!(
                    "position number {} is not one of this knowledge base's {} positions",
                    position.index(),
                    self.kb.program().positions.len()
                ),
            )
            .with_help(
                "take position ids from `Scenario::position_id` on the same knowledge base",
            )],
            SourceMap::new(),
        )))
    }

    /// Evaluates everything under a position (cached until the facts change). A position id
    /// of another knowledge base gives an empty model's error, `TooManyAtoms { limit: 0 }`:
    /// check ids with [`Scenario::position_id`].
    pub fn model(&self, position: PosId) -> Result<Arc<Model>, EvalError> {
        let Some(cell) = self.models.get(position.index()) else {
            return Err(EvalError::TooManyAtoms { limit: 0 });
        };
        if let Some(done) = cell.get() {
            return done.clone();
        }
        let compiled = self
            .kb
            .compiled(position)
            .ok_or(EvalError::TooManyAtoms { limit: 0 })?;
        // One base for every position of the scenario (built with the indexes of every
        // position's probes).
        let result = self
            .shared_base()
            .and_then(|base| self.evaluate_reusing(compiled, base, None))
            .map(Arc::new);
        // A cancelled evaluation is not an answer: the next question evaluates again.
        if !matches!(result, Err(EvalError::Cancelled)) {
            let _ = cell.set(result.clone());
        }
        result
    }

    /// A model giving the atoms of `preds` (sorted, deduplicated) under `position` their
    /// values: the position's whole model when it is evaluated already (and did not stop at
    /// a limit) or when the cones of `preds` cover every stratum, else a model of those cones
    /// alone, over the base predicates they read (cached until the facts change). A question about one predicate
    /// then costs what that predicate depends on: in a scenario of many States and
    /// operations, the open world of predicates it never reads is not built.
    /// (`eval::compile::cone_tests` checks that a cone gives the whole evaluation's values.)
    pub(crate) fn goal_model(
        &self,
        position: PosId,
        preds: &[PredId],
    ) -> Result<Arc<Model>, EvalError> {
        // A whole model that stopped at a limit is no answer here: the cone may fit.
        if let Some(Ok(done)) = self.models.get(position.index()).and_then(OnceCell::get) {
            return Ok(done.clone());
        }
        if let Some(found) = self
            .cone_models
            .borrow()
            .iter()
            .find(|c| c.position == position && preds.iter().all(|q| c.asked.contains(q)))
        {
            return found.model.clone();
        }
        // The whole position when it is compiled; else its cones of `preds` alone.
        let compiled = self
            .kb
            .compiled_for(position, preds)
            .ok_or(EvalError::TooManyAtoms { limit: 0 })?;
        let cone = compiled.cone_of(preds);
        if cone.strata.iter().all(|in_cone| *in_cone) {
            return self.model(position);
        }
        let result = self.cone_model(&compiled, &cone).map(Arc::new);
        if !matches!(result, Err(EvalError::Cancelled)) {
            self.cone_models.borrow_mut().push(ConeModel {
                position,
                asked: preds.to_vec(),
                cone,
                model: result.clone(),
            });
        }
        result
    }

    fn cone_model(
        &self,
        compiled: &eval::CompiledPosition,
        cone: &eval::Cone,
    ) -> Result<Model, EvalError> {
        let base = self.base_covering(&cone.preds)?;
        self.evaluate_reusing(compiled, base, Some(&cone.strata))
    }

    /// Evaluates the strata `only` marks (all for `None`) of a position, copying each stratum
    /// that a model already made for these facts, under any position, holds under the same
    /// law (see [`eval::Reuse::Positions`]): one line of a batch is answered under every
    /// position, and most of the law is the same under most of them.
    fn evaluate_reusing(
        &self,
        compiled: &eval::CompiledPosition,
        base: Arc<eval::BaseRelations>,
        only: Option<&[bool]>,
    ) -> Result<Model, EvalError> {
        let here = compiled.position;
        // The models made so far, each with the predicates it holds (`None`: all of them).
        let mut made: Vec<(PosId, Arc<Model>, Option<Arc<eval::Cone>>)> = Vec::new();
        for (i, cell) in self.models.iter().enumerate() {
            if let Some(Ok(m)) = cell.get() {
                made.push((PosId::from_index(i), m.clone(), None));
            }
        }
        for c in self.cone_models.borrow().iter() {
            if let Ok(m) = &c.model {
                made.push((c.position, m.clone(), Some(c.cone.clone())));
            }
        }
        let program = self.kb.program();
        let plans = self.kb.rule_plans();
        let tests: Vec<Box<dyn Fn(PredId) -> bool + '_>> = made
            .iter()
            .map(|(p, _, cone)| {
                let (p, cone) = (*p, cone.clone());
                Box::new(move |pred: PredId| {
                    cone.as_ref().is_none_or(|c| c.preds.contains(&pred))
                        && plans.same_law(program, here, p, pred)
                }) as Box<dyn Fn(PredId) -> bool + '_>
            })
            .collect();
        let earlier: Vec<eval::Earlier> = made
            .iter()
            .zip(&tests)
            .map(|((_, m, _), test)| eval::Earlier {
                model: m,
                same_law: test.as_ref(),
            })
            .collect();
        eval::evaluate_cone_reusing(
            program,
            compiled,
            base,
            &[],
            self.bounds(),
            only,
            (!earlier.is_empty()).then_some(eval::Reuse::Positions(&earlier)),
        )
    }

    /// Base relations holding at least the base predicates among `preds`: the whole base when
    /// it is built; else the base predicates built so far for other cones (one line of a batch
    /// asks under every position), with these added.
    fn base_covering(
        &self,
        preds: &rustc_hash::FxHashSet<PredId>,
    ) -> Result<Arc<eval::BaseRelations>, EvalError> {
        if let Some(shared) = self.base_if_built() {
            return Ok(shared);
        }
        let partial = self.partial_base.borrow().clone();
        match partial {
            Some(b) if b.covers(preds) => Ok(b),
            other => {
                let b = Arc::new(eval::prepare_base_for(
                    self.kb.program(),
                    &self.fact_set(),
                    self.kb.masks(),
                    self.bounds(),
                    Some(preds),
                    other.as_deref(),
                )?);
                *self.partial_base.borrow_mut() = Some(b.clone());
                Ok(b)
            }
        }
    }

    /// The model to read a question `pred(args)` (`None` for a variable) from when the
    /// magic-set rewriting answers it, with the predicate to read (the question's adorned
    /// copy), cached until the facts change; `None` when it does not: no constant in the
    /// question, [`Scenario::magic_sets`] says not for this scenario, or a model holding the
    /// predicate is evaluated already. Every atom of the model's predicate matching the
    /// constants has the value a whole evaluation gives it (`eval::demand` says why).
    pub(crate) fn demand_model(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Option<crate::program::Sym>],
    ) -> Option<Result<(Arc<Model>, PredId), EvalError>> {
        if args.iter().all(Option::is_none) {
            return None;
        }
        if let Some(found) = self.demand_part(position, pred, args, |e| e.model.clone()) {
            return Some(found);
        }
        if let Some(Ok(_)) = self.models.get(position.index()).and_then(OnceCell::get) {
            return None;
        }
        if self
            .cone_models
            .borrow()
            .iter()
            .any(|c| c.position == position && c.model.is_ok() && c.asked.contains(&pred))
        {
            return None;
        }
        let demand = self.demand(position, pred, args)?;
        let result = self
            .demand_base(position, pred, args, &demand)
            .and_then(|base| demand.evaluate_over(base, &[], self.bounds()))
            .map(|m| (Arc::new(m), demand.goal()));
        if !matches!(result, Err(EvalError::Cancelled)) {
            self.set_demand_part(position, pred, args, |e| e.model = Some(result.clone()));
        }
        Some(result)
    }

    /// What `part` reads of the cached entry of the question `pred(args)` under `position`,
    /// when there is an entry and `part` finds something in it.
    fn demand_part<R>(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Option<crate::program::Sym>],
        part: impl FnOnce(&DemandEntry) -> Option<R>,
    ) -> Option<R> {
        let demands = self.demands.borrow();
        let (_, entry) = demands
            .iter()
            .find(|((p, q, a), _)| *p == position && *q == pred && a.as_slice() == args)?;
        part(entry)
    }

    /// Changes the cached entry of the question `pred(args)` under `position` (made empty
    /// first if there is none).
    fn set_demand_part(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Option<crate::program::Sym>],
        set: impl FnOnce(&mut DemandEntry),
    ) {
        let mut demands = self.demands.borrow_mut();
        let found = demands
            .iter()
            .position(|((p, q, a), _)| *p == position && *q == pred && a.as_slice() == args);
        let i = found.unwrap_or_else(|| {
            demands.push((
                (position, pred, args.to_vec()),
                DemandEntry {
                    demand: None,
                    base: None,
                    model: None,
                },
            ));
            demands.len() - 1
        });
        if let Some((_, entry)) = demands.get_mut(i) {
            set(entry);
        }
    }

    /// The magic-set rewriting of the question `pred(args)` (`None` for a variable) when
    /// [`Scenario::magic_sets`] says to use it for this scenario and there is one (cached: it
    /// depends on the law and on which arguments are constants).
    pub(crate) fn demand(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Option<crate::program::Sym>],
    ) -> Option<Arc<eval::Demand>> {
        let stated: usize = self.fact_set().stated.iter().map(|m| m.len()).sum();
        if !self.magic_sets.applies(stated) {
            return None;
        }
        // Kept with the question (its constants seed it), so that a question whose rewriting
        // is `None` is not rewritten again either.
        if let Some(found) = self.demand_part(position, pred, args, |e| Some(e.demand.clone())) {
            return found;
        }
        let made = eval::Demand::new(self.kb.program(), position, pred, args).map(Arc::new);
        self.set_demand_part(position, pred, args, |e| e.demand = made.clone());
        made
    }

    /// The base relations made ready for `demand` (one of [`Scenario::demand`]'s, for the
    /// question `pred(args)` under `position`), cached until the facts change.
    fn demand_base(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Option<crate::program::Sym>],
        demand: &eval::Demand,
    ) -> Result<Arc<eval::BaseRelations>, EvalError> {
        if let Some(base) = self.demand_part(position, pred, args, |e| e.base.clone()) {
            return Ok(base);
        }
        let covering = self.base_covering(&demand.base_predicates())?;
        let ready = Arc::new(demand.base(&covering));
        self.set_demand_part(position, pred, args, |e| e.base = Some(ready.clone()));
        Ok(ready)
    }

    /// A what-if for the ground atom `pred(args)` alone ([`Scenario::hypothesis`]'s
    /// arguments) by the magic-set rewriting of the question, when [`Scenario::demand`] gives
    /// one: the model answers `pred(args)` (its other atoms are left out). `None` when the
    /// rewriting does not apply.
    pub(crate) fn demand_hypothesis(
        &self,
        position: PosId,
        pred: PredId,
        args: &[crate::program::Sym],
        changes: &[(PredId, crate::program::Tuple, crate::Truth)],
        settled: &[(crate::program::PointId, bool)],
    ) -> Option<Result<Model, EvalError>> {
        let pattern: Vec<Option<crate::program::Sym>> = args.iter().copied().map(Some).collect();
        let demand = self.demand(position, pred, &pattern)?;
        let run = || -> Result<Model, EvalError> {
            let shared = self.demand_base(position, pred, &pattern, &demand)?;
            let base = if changes.is_empty() {
                shared
            } else {
                let fs = self.fact_set();
                let changed = self.restated(changes);
                Arc::new(eval::rebase(
                    self.kb.program(),
                    &shared,
                    &fs,
                    &changed,
                    demand.masks(),
                    self.bounds(),
                )?)
            };
            let model = demand.evaluate_over(base, settled, self.bounds())?;
            Ok(model.answering_as(demand.goal(), pred))
        };
        Some(run())
    }

    /// Per predicate `changes` touch: its stated atoms with `changes` applied (what a what-if
    /// hands to `eval::rebase`).
    pub(crate) fn restated(
        &self,
        changes: &[(PredId, crate::program::Tuple, crate::Truth)],
    ) -> Vec<(
        PredId,
        rustc_hash::FxHashMap<crate::program::Tuple, crate::Truth>,
    )> {
        let fs = self.fact_set();
        let mut changed: Vec<(
            PredId,
            rustc_hash::FxHashMap<crate::program::Tuple, crate::Truth>,
        )> = Vec::new();
        for (p, t, v) in changes {
            let i = match changed.iter().position(|(q, _)| q == p) {
                Some(i) => i,
                None => {
                    let stated = fs.stated.get(p.index()).cloned().unwrap_or_default();
                    changed.push((*p, stated));
                    changed.len() - 1
                }
            };
            if let Some((_, m)) = changed.get_mut(i) {
                m.insert(t.clone(), *v);
            }
        }
        changed
    }

    /// The value of the ground atom `pred(args)` under `position`: from the magic-set
    /// rewriting of the question when it applies ([`Scenario::demand_model`]), else from the
    /// model of its predicate's cone.
    pub(crate) fn ground_value(
        &self,
        position: PosId,
        pred: PredId,
        args: &[crate::program::Sym],
    ) -> Result<crate::Truth, EvalError> {
        let pattern: Vec<Option<crate::program::Sym>> = args.iter().copied().map(Some).collect();
        match self.demand_model(position, pred, &pattern) {
            Some(found) => {
                let (model, read) = found?;
                Ok(model.value(read, args))
            }
            None => Ok(self.goal_model(position, &[pred])?.value(pred, args)),
        }
    }

    /// The base relations of the stated facts, if they are built already.
    pub(crate) fn base_if_built(&self) -> Option<Arc<eval::BaseRelations>> {
        match self.base.get() {
            Some(Ok(b)) => Some(b.clone()),
            _ => None,
        }
    }

    /// The base relations of the stated facts (cached until the facts change).
    pub(crate) fn shared_base(&self) -> Result<Arc<eval::BaseRelations>, EvalError> {
        if let Some(done) = self.base.get() {
            return done.clone();
        }
        let result = eval::prepare_base(
            self.kb.program(),
            &self.fact_set(),
            self.kb.masks(),
            self.bounds(),
        )
        .map(Arc::new);
        if !matches!(result, Err(EvalError::Cancelled)) {
            let _ = self.base.set(result.clone());
        }
        result
    }

    /// Parses and checks a question.
    pub fn parse_goal(&self, goal: &str) -> Result<Goal, Error> {
        Ok(self.parse_goal_named(QUESTION, goal)?)
    }

    /// Parses and checks a goal written in a text named `name` (`<question>`, `<retract>`).
    /// The text is not kept: its spans use the id it would get next ([`Scenario::goal_error`]
    /// adds it to a copy of the sources to show a problem).
    pub(crate) fn parse_goal_named(&self, name: &str, goal: &str) -> Result<Goal, LoadError> {
        let id = FileId(u32::try_from(self.sources.len()).unwrap_or(u32::MAX));
        // A question may end with `?` (`state(X)?`), as people write one; what is withdrawn
        // (`<retract>`) is a fact, written as a fact is.
        let parsed = if name == QUESTION {
            syntax::parse_question(id, goal)
        } else {
            syntax::parse_query(id, goal)
        };
        let atom = parsed.map_err(|e| self.goal_error(name, goal, e.diagnostic))?;
        check::check_goal(
            self.kb.program(),
            &self.interner,
            &self.facts.constant_types,
            Some(&self.fact_set().domains),
            &atom,
        )
        .map_err(|d| self.goal_error(name, goal, d))
    }

    /// A problem with a goal parsed by [`Scenario::parse_goal_named`], with the goal's text
    /// among the sources so that its labels can be shown.
    pub(crate) fn goal_error(&self, name: &str, goal: &str, d: Diagnostic) -> LoadError {
        let mut sources = self.sources.clone();
        sources.add(name, goal);
        LoadError::new(vec![d], sources)
    }

    /// Expectations stated in the scenario.
    pub fn expectations(&self) -> &[Expectation] {
        &self.facts.expectations
    }
}
