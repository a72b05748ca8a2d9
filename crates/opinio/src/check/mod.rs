//! Check: resolve every name, type every slot and variable, enforce safety, build positions.
//!
//! The checker never stops at the first problem: it reports everything it can find in one
//! pass, and still returns the best program it could build (callers refuse to evaluate a
//! program with errors).

pub mod program;
pub mod suggest;

use crate::diagnostic::Diagnostic;
use crate::graph;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Statement, Truth, TypeBody};
use program::*;
use rustc_hash::{FxHashMap, FxHashSet};
use suggest::help_with;

/// The name given to the default position when a program declares none.
pub const IMPLICIT_DEFAULT: &str = "default";

/// The most slots a predicate may have: the evaluator marks a probe's bound slots in the bits
/// of a `u32` (`eval::relation::Mask`).
pub const MAX_SLOTS: usize = 32;

/// Most conditions (statements, comparisons and open points, exceptions included) one rule
/// may have. Evaluation searches a rule's conditions one inside the other, so the stack a
/// search needs grows with their number; 256 run on a 2 MiB thread (the size of
/// `opinio batch`'s workers) even in a debug build, and no rule of law needs more.
pub const MAX_CONDITIONS: usize = 256;

/// Checks the files of a knowledge base together (declarations are global to it).
pub fn check_program(files: &[(FileId, ast::File)]) -> (Program, Vec<Diagnostic>) {
    let mut c = Checker::default();
    c.run(files);
    (c.program, c.diags)
}

/// Facts and expectations checked against a program.
#[derive(Debug, Clone, Default)]
pub struct CheckedFacts {
    pub facts: Vec<GroundFact>,
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
    let mut fc = FactChecker {
        program,
        interner,
        diags: Vec::new(),
        out: CheckedFacts::default(),
        known,
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
                        "declarations, rules and positions belong in the knowledge base; load them with `--kb DIR`",
                    ),
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

// ============================================================================ program checker

#[derive(Default)]
struct Checker {
    program: Program,
    diags: Vec<Diagnostic>,
}

struct PendingPosition<'a> {
    decl: &'a ast::PositionDecl,
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
        // 5. Positions and rules.
        let positions: Vec<PendingPosition> = statements
            .iter()
            .filter_map(|st| match st {
                Statement::Position(p) => Some(PendingPosition { decl: p }),
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

    fn declare_source(&mut self, s: &ast::SourceDecl) {
        if let Some(&prev) = self.program.source_index.get(&s.name.text) {
            let prev_span = self.program.source(prev).span;
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::DuplicateSource,
                    format!("the source `{}` is declared twice", s.name.text),
                )
                .with_label(s.name.span, "declared again here")
                .with_label(prev_span, "first declared here")
                .with_help(
                    "declare each source once and cite it with a pinpoint wherever it is used",
                ),
            );
            return;
        }
        let id = SourceId::from_index(self.program.sources.len());
        self.program.sources.push(SourceInfo {
            key: s.name.text.clone(),
            title: s.title.value.clone(),
            span: s.span,
        });
        self.program.source_index.insert(s.name.text.clone(), id);
    }

    fn declare_type_name(&mut self, t: &ast::TypeDecl) {
        if let Some(&prev) = self.program.type_index.get(&t.name.text) {
            let prev_span = self.program.type_info(prev).span;
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::DuplicateType,
                    format!("the type `{}` is declared twice", t.name.text),
                )
                .with_label(t.name.span, "declared again here")
                .with_label(prev_span, "first declared here")
                .with_help("give each type one declaration listing all its values"),
            );
            return;
        }
        let id = TypeId::from_index(self.program.types.len());
        self.program.types.push(TypeInfo {
            name: t.name.text.clone(),
            kind: TypeKind::Open,
            span: t.span,
        });
        self.program.type_index.insert(t.name.text.clone(), id);
    }

    fn resolve_type_body(&mut self, t: &ast::TypeDecl) {
        let Some(id) = self.program.type_id(&t.name.text) else {
            return;
        };
        if self.program.type_info(id).span != t.span {
            return; // a duplicate, already reported
        }
        let kind = match &t.body {
            TypeBody::Open => TypeKind::Open,
            TypeBody::Ordered(values) | TypeBody::Enumerated(values) => {
                let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
                let mut syms = Vec::new();
                for v in values {
                    if let Some(prev) = seen.insert(&v.text, v.span) {
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::DuplicateValue,
                                format!(
                                    "`{}` is listed twice in the type `{}`",
                                    v.text, t.name.text
                                ),
                            )
                            .with_label(v.span, "listed again here")
                            .with_label(prev, "first listed here")
                            .with_help("list each value once"),
                        );
                        continue;
                    }
                    syms.push(self.program.interner.intern(&v.text));
                }
                TypeKind::Enumerated {
                    values: syms,
                    ordered: matches!(t.body, TypeBody::Ordered(_)),
                }
            }
            TypeBody::From(pred) => match self.program.predicate_id(&pred.text) {
                Some(p) => {
                    let info = self.program.predicate(p);
                    if info.slots.len() != 1 || info.slots.first().map(|s| s.ty) != Some(id) {
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::BadTypeSource,
                                format!(
                                    "the type `{}` cannot take its values from `{}`",
                                    t.name.text, pred.text
                                ),
                            )
                            .with_label(pred.span, "this predicate must have one slot of this type")
                            .with_help(format!(
                                "declare it as `predicate {}(x: {}) closed.`",
                                pred.text, t.name.text
                            )),
                        );
                        TypeKind::Open
                    } else if !info.closed {
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::BadTypeSource,
                                format!(
                                    "the type `{}` takes its values from `{}`, which is not closed",
                                    t.name.text, pred.text
                                ),
                            )
                            .with_label(pred.span, "not a closed predicate")
                            .with_help("mark the predicate `closed`, so that what it does not list is not a value"),
                        );
                        TypeKind::Open
                    } else {
                        TypeKind::From(p)
                    }
                }
                None => {
                    let help = help_with(
                        &pred.text,
                        self.program.predicates.iter().map(|p| p.name.as_str()),
                        "declare the predicate that lists the values, e.g. `predicate state(s: State) closed.`",
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownPredicate,
                            format!("no predicate is named `{}`", pred.text),
                        )
                        .with_label(pred.span, "unknown predicate")
                        .with_help(help),
                    );
                    TypeKind::Open
                }
            },
        };
        if let Some(t) = self.program.types.get_mut(id.index()) {
            t.kind = kind;
        }
    }

    fn resolve_type(&mut self, ty: &ast::Name) -> Option<TypeId> {
        if let Some(id) = self.program.type_id(&ty.text) {
            return Some(id);
        }
        let help = help_with(
            &ty.text,
            self.program.types.iter().map(|t| t.name.as_str()),
            format!("declare it with `type {}.`", ty.text),
        );
        self.err(
            Diagnostic::error(
                crate::diagnostic::Code::UnknownType,
                format!("no type is named `{}`", ty.text),
            )
            .with_label(ty.span, "unknown type")
            .with_help(help),
        );
        None
    }

    fn resolve_citations(&mut self, cites: &[ast::Citation]) -> Vec<Cite> {
        let mut out = Vec::new();
        for c in cites {
            match self.program.source_id(&c.source.text) {
                Some(source) => out.push(Cite {
                    source,
                    pinpoint: c.pinpoint.as_ref().map(|p| p.value.clone()),
                    span: c.span,
                }),
                None => {
                    let help = help_with(
                        &c.source.text,
                        self.program.sources.iter().map(|s| s.key.as_str()),
                        format!(
                            "declare it once with `source {} \"full title of the document\".`",
                            c.source.text
                        ),
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownSource,
                            format!("no source is named `{}`", c.source.text),
                        )
                        .with_label(c.source.span, "cited but never declared")
                        .with_help(help),
                    );
                }
            }
        }
        out
    }

    fn declare_predicate(&mut self, p: &ast::PredicateDecl) {
        if let Some(prev) = self.program.predicate_id(&p.name.text) {
            let prev_span = self.program.predicate(prev).span;
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::DuplicatePredicate,
                    format!("the predicate `{}` is declared twice", p.name.text),
                )
                .with_label(p.name.span, "declared again here")
                .with_label(prev_span, "first declared here")
                .with_help(
                    "keep one declaration; a predicate has one meaning and one list of slots",
                ),
            );
            return;
        }
        let mut slots = Vec::new();
        let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
        for s in &p.slots {
            if let Some(prev) = seen.insert(&s.name.text, s.name.span) {
                self.err(
                    Diagnostic::error(
                        crate::diagnostic::Code::DuplicateSlot,
                        format!("two slots of `{}` are named `{}`", p.name.text, s.name.text),
                    )
                    .with_label(s.name.span, "named again here")
                    .with_label(prev, "first named here")
                    .with_help("give each slot its own name"),
                );
            }
            let ty = self.resolve_type(&s.ty).unwrap_or(TypeId(u32::MAX));
            slots.push(SlotInfo {
                name: s.name.text.clone(),
                ty,
            });
        }
        if slots.len() > MAX_SLOTS {
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::TooManySlots,
                    format!(
                        "`{}` has {} slots; a predicate has at most {MAX_SLOTS}",
                        p.name.text,
                        slots.len()
                    ),
                )
                .with_label(p.name.span, "too many slots")
                .with_help("split it into several predicates, each about a part of the relation"),
            );
        }
        if p.functional.is_some() && slots.is_empty() {
            if let Some(span) = p.functional {
                self.err(
                    Diagnostic::error(
                        crate::diagnostic::Code::FunctionalWithoutSlots,
                        format!("`{}` has no slot to be functional in", p.name.text),
                    )
                    .with_label(span, "needs at least one slot")
                    .with_help("`functional` means: at most one value in the last slot for each combination of the others"),
                );
            }
        }
        let citations = self.resolve_citations(&p.citations);
        let id = PredId::from_index(self.program.predicates.len());
        self.program.predicates.push(PredInfo {
            name: p.name.text.clone(),
            slots,
            closed: p.closed.is_some(),
            functional: p.functional.is_some(),
            meaning: p.meaning.as_ref().map(|m| m.value.clone()),
            citations,
            notes: p.notes.iter().map(|n| n.value.clone()).collect(),
            span: p.span,
            derived: false,
        });
        self.program.pred_index.insert(p.name.text.clone(), id);
    }

    fn mark_derived(&mut self, head: &ast::Atom) {
        if let Some(id) = self.program.predicate_id(&head.predicate.text) {
            if let Some(p) = self.program.predicates.get_mut(id.index()) {
                p.derived = true;
            }
        }
    }

    // ------------------------------------------------------------------ positions

    fn build_positions(&mut self, decls: &[PendingPosition], top_rules: &[&ast::RuleDecl]) {
        // Declare every position (names first, so `extends` can point forward).
        let mut default: Option<PosId> = None;
        for p in decls {
            let d = p.decl;
            if let Some(&prev) = self.program.position_index.get(&d.name.text) {
                let prev_span = self.program.position(prev).span;
                self.err(
                    Diagnostic::error(
                        crate::diagnostic::Code::DuplicatePosition,
                        format!("the position `{}` is declared twice", d.name.text),
                    )
                    .with_label(d.name.span, "declared again here")
                    .with_label(prev_span, "first declared here")
                    .with_help("put everything the position says in one block"),
                );
                continue;
            }
            let id = PosId::from_index(self.program.positions.len());
            let citations = self.resolve_citations(&d.citations);
            if let Some(span) = d.is_default {
                if let Some(prev) = default {
                    let prev_span = self.program.position(prev).span;
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::TwoDefaults,
                            "two positions are marked `default`",
                        )
                        .with_label(span, "a second default")
                        .with_label(prev_span, "the first default")
                        .with_help("one position is the starting point of all the others; mark only it `default`"),
                    );
                } else {
                    default = Some(id);
                }
                if let Some(ext) = &d.extends {
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::DefaultExtends,
                            "the default position cannot extend another position",
                        )
                        .with_label(ext.span, "remove this")
                        .with_help(
                            "the default position is the one every other position starts from",
                        ),
                    );
                }
            }
            self.program.positions.push(PositionInfo {
                name: d.name.text.clone(),
                parent: None,
                is_default: d.is_default.is_some(),
                meaning: d.meaning.as_ref().map(|m| m.value.clone()),
                citations,
                span: d.span,
                rules: Vec::new(),
                settlements: FxHashMap::default(),
                withdrawals: FxHashMap::default(),
                affirmations: FxHashMap::default(),
                strata: Vec::new(),
            });
            self.program.position_index.insert(d.name.text.clone(), id);
        }
        let default = match default {
            Some(d) => d,
            None => {
                let id = PosId::from_index(self.program.positions.len());
                self.program.positions.push(PositionInfo {
                    name: IMPLICIT_DEFAULT.to_string(),
                    parent: None,
                    is_default: true,
                    meaning: Some("the rules stated outside any position".to_string()),
                    citations: Vec::new(),
                    span: Span::default(),
                    rules: Vec::new(),
                    settlements: FxHashMap::default(),
                    withdrawals: FxHashMap::default(),
                    affirmations: FxHashMap::default(),
                    strata: Vec::new(),
                });
                self.program
                    .position_index
                    .insert(IMPLICIT_DEFAULT.to_string(), id);
                id
            }
        };
        self.program.default_position = Some(default);

        // Parents.
        let mut decl_of: FxHashMap<PosId, &ast::PositionDecl> = FxHashMap::default();
        for p in decls {
            let Some(id) = self.program.position_id(&p.decl.name.text) else {
                continue;
            };
            if self.program.position(id).span != p.decl.span {
                continue; // duplicate
            }
            decl_of.insert(id, p.decl);
            if id == default {
                continue;
            }
            let parent = match &p.decl.extends {
                Some(ext) => match self.program.position_id(&ext.text) {
                    Some(par) => Some(par),
                    None => {
                        let help = help_with(
                            &ext.text,
                            self.program.positions.iter().map(|p| p.name.as_str()),
                            "declare that position, or remove `extends`",
                        );
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownPosition,
                                format!("no position is named `{}`", ext.text),
                            )
                            .with_label(ext.span, "unknown position")
                            .with_help(help),
                        );
                        Some(default)
                    }
                },
                None => Some(default),
            };
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.parent = parent;
            }
        }
        // Cycles in `extends`.
        let n = self.program.positions.len();
        for start in 0..n {
            let mut seen = FxHashSet::default();
            let mut cur = PosId::from_index(start);
            while let Some(par) = self.program.position(cur).parent {
                if !seen.insert(cur) {
                    break;
                }
                if par == PosId::from_index(start) {
                    let span = self.program.position(par).span;
                    let name = self.program.position(par).name.clone();
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::PositionCycle,
                            format!(
                                "the position `{name}` extends itself through a chain of `extends`"
                            ),
                        )
                        .with_label(span, "part of the chain")
                        .with_help("a position must build on a position that does not build on it"),
                    );
                    if let Some(p) = self.program.positions.get_mut(start) {
                        p.parent = Some(default);
                    }
                    break;
                }
                cur = par;
            }
        }

        // The default position's rules: top-level rules and any in its block.
        let mut default_rules: Vec<RuleId> = Vec::new();
        let mut names: FxHashMap<String, RuleId> = FxHashMap::default();
        for r in top_rules {
            self.add_rule(r, default, &mut default_rules, &mut names);
        }
        if let Some(d) = decl_of.get(&default).copied() {
            self.apply_items(d, default, &mut default_rules, &mut names);
        }
        if let Some(p) = self.program.positions.get_mut(default.index()) {
            p.rules = default_rules;
        }

        // Other positions, parents first.
        let mut done: FxHashSet<PosId> = FxHashSet::default();
        done.insert(default);
        let order = self.position_order(default);
        for id in order {
            if done.contains(&id) {
                continue;
            }
            done.insert(id);
            let parent = self.program.position(id).parent.unwrap_or(default);
            let mut rules = self.program.position(parent).rules.clone();
            let settlements = self.program.position(parent).settlements.clone();
            let withdrawals = self.program.position(parent).withdrawals.clone();
            let affirmations = self.program.position(parent).affirmations.clone();
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.settlements = settlements;
                p.withdrawals = withdrawals;
                p.affirmations = affirmations;
            }
            let mut names: FxHashMap<String, RuleId> = rules
                .iter()
                .map(|r| (self.program.rule(*r).name.clone(), *r))
                .collect();
            if let Some(d) = decl_of.get(&id).copied() {
                self.apply_items(d, id, &mut rules, &mut names);
            }
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.rules = rules;
            }
        }
        // Settlements must name a point some rule raises.
        self.check_settled_points(&decl_of);
    }

    /// Positions in an order where each comes after the one it extends.
    fn position_order(&self, default: PosId) -> Vec<PosId> {
        let n = self.program.positions.len();
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        if let Some(p) = placed.get_mut(default.index()) {
            *p = true;
        }
        order.push(default);
        for _ in 0..n {
            for i in 0..n {
                if placed.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let parent = self
                    .program
                    .positions
                    .get(i)
                    .and_then(|p| p.parent)
                    .unwrap_or(default);
                if placed.get(parent.index()).copied().unwrap_or(false) {
                    if let Some(x) = placed.get_mut(i) {
                        *x = true;
                    }
                    order.push(PosId::from_index(i));
                }
            }
        }
        order
    }

    fn apply_items(
        &mut self,
        d: &ast::PositionDecl,
        pos: PosId,
        rules: &mut Vec<RuleId>,
        names: &mut FxHashMap<String, RuleId>,
    ) {
        for item in &d.items {
            match item {
                ast::PositionItem::Add(r) => self.add_rule(r, pos, rules, names),
                ast::PositionItem::Replace(r) => {
                    let Some(old) = names.get(&r.name.text).copied() else {
                        let help = help_with(
                            &r.name.text,
                            names.keys().map(|s| s.as_str()),
                            "to add a new rule, write `rule NAME: ...` instead of `replace`",
                        );
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownRule,
                                format!(
                                    "there is no rule `{}` for the position `{}` to replace",
                                    r.name.text, d.name.text
                                ),
                            )
                            .with_label(r.name.span, "no rule by this name is in force")
                            .with_help(help),
                        );
                        continue;
                    };
                    if let Some(id) = self.lower_rule(r, pos) {
                        if let Some(slot) = rules.iter_mut().find(|x| **x == old) {
                            *slot = id;
                        }
                        names.insert(r.name.text.clone(), id);
                    }
                }
                ast::PositionItem::Withdraw {
                    rule,
                    citations,
                    span,
                } => {
                    let cites = self.resolve_citations(citations);
                    match names.remove(&rule.text) {
                        Some(old) => {
                            rules.retain(|x| *x != old);
                            self.position_mut(pos).withdrawals.insert(
                                rule.text.clone(),
                                Withdrawal {
                                    rule: old,
                                    by: pos,
                                    citations: cites,
                                    span: *span,
                                },
                            );
                        }
                        None => {
                            let help = help_with(
                                &rule.text,
                                names.keys().map(|s| s.as_str()),
                                "withdraw names a rule the position would otherwise take over",
                            );
                            self.err(
                                Diagnostic::error(
                                    crate::diagnostic::Code::UnknownRule,
                                    format!(
                                        "there is no rule `{}` for the position `{}` to withdraw",
                                        rule.text, d.name.text
                                    ),
                                )
                                .with_label(rule.span, "no rule by this name is in force")
                                .with_help(help),
                            );
                        }
                    }
                }
                ast::PositionItem::Affirm {
                    target, citations, ..
                } => {
                    let cites = self.resolve_citations(citations);
                    if names.contains_key(&target.text)
                        || self.program.predicate_id(&target.text).is_some()
                    {
                        self.position_mut(pos).affirmations.insert(
                            target.text.clone(),
                            Affirmation {
                                by: pos,
                                citations: cites,
                            },
                        );
                    } else {
                        let help = help_with(
                            &target.text,
                            names
                                .keys()
                                .map(|s| s.as_str())
                                .chain(self.program.predicates.iter().map(|p| p.name.as_str())),
                            "`affirm` names a rule in force or a predicate",
                        );
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownRule,
                                format!(
                                    "there is no rule or predicate `{}` to affirm",
                                    target.text
                                ),
                            )
                            .with_label(target.span, "unknown name")
                            .with_help(help),
                        );
                    }
                }
                ast::PositionItem::Settle {
                    point,
                    value,
                    citations,
                    span,
                } => {
                    let cites = self.resolve_citations(citations);
                    let id = self.point(&point.text, "", point.span);
                    self.position_mut(pos).settlements.insert(
                        id,
                        Settlement {
                            value: *value,
                            by: pos,
                            citations: cites,
                            span: *span,
                        },
                    );
                }
            }
        }
    }

    fn check_settled_points(&mut self, decl_of: &FxHashMap<PosId, &ast::PositionDecl>) {
        let mut raised: FxHashSet<PointId> = FxHashSet::default();
        for r in &self.program.rules {
            let mut pts = Vec::new();
            r.body.unsettled_points(&mut pts);
            raised.extend(pts);
        }
        let raised_names: Vec<String> = raised
            .iter()
            .map(|p| self.program.point(*p).name.clone())
            .collect();
        let mut diags = Vec::new();
        let mut ids: Vec<&PosId> = decl_of.keys().collect();
        ids.sort();
        for id in ids {
            let Some(d) = decl_of.get(id) else { continue };
            for item in &d.items {
                if let ast::PositionItem::Settle { point, .. } = item {
                    let pid = self.program.point_id(&point.text);
                    if pid.is_none_or(|p| !raised.contains(&p)) {
                        let help = help_with(
                            &point.text,
                            raised_names.iter().map(|s| s.as_str()),
                            "a position settles a point that some rule leaves open with `unsettled(point, \"why\")`",
                        );
                        diags.push(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownPoint,
                                format!("no rule leaves the point `{}` unsettled", point.text),
                            )
                            .with_label(point.span, "nothing to settle")
                            .with_help(help),
                        );
                    }
                }
            }
        }
        self.diags.extend(diags);
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "position ids are created by this checker for this program"
    )]
    fn position_mut(&mut self, pos: PosId) -> &mut PositionInfo {
        &mut self.program.positions[pos.index()]
    }

    fn point(&mut self, name: &str, reason: &str, span: Span) -> PointId {
        if let Some(id) = self.program.point_id(name) {
            if let Some(p) = self.program.points.get_mut(id.index()) {
                if p.reason.is_empty() && !reason.is_empty() {
                    p.reason = reason.to_string();
                    p.span = span;
                }
            }
            return id;
        }
        let id = PointId::from_index(self.program.points.len());
        self.program.points.push(PointInfo {
            name: name.to_string(),
            reason: reason.to_string(),
            span,
        });
        self.program.point_index.insert(name.to_string(), id);
        id
    }

    fn add_rule(
        &mut self,
        r: &ast::RuleDecl,
        pos: PosId,
        rules: &mut Vec<RuleId>,
        names: &mut FxHashMap<String, RuleId>,
    ) {
        if let Some(prev) = names.get(&r.name.text).copied() {
            let prev_rule = self.program.rule(prev);
            let prev_span = prev_rule.name_span;
            let inherited = prev_rule.origin != pos;
            let help = if inherited {
                format!(
                    "the position already takes over `{}`; write `replace {}: ...` to change it",
                    r.name.text, r.name.text
                )
            } else {
                "give each rule a name of its own that says what it does".to_string()
            };
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::DuplicateRule,
                    format!("two rules are named `{}`", r.name.text),
                )
                .with_label(r.name.span, "named again here")
                .with_label(prev_span, "first named here")
                .with_help(help),
            );
            return;
        }
        if let Some(id) = self.lower_rule(r, pos) {
            rules.push(id);
            names.insert(r.name.text.clone(), id);
        }
    }

    // ------------------------------------------------------------------ rules

    fn lower_rule(&mut self, r: &ast::RuleDecl, origin: PosId) -> Option<RuleId> {
        let mut lw = RuleLowering {
            vars: Vec::new(),
            var_index: FxHashMap::default(),
            var_first_type_span: Vec::new(),
            occurrence: 0,
            compares: Vec::new(),
            ok: true,
        };
        let head = self.lower_atom(&mut lw, &r.body.head, true);
        let condition = match &r.body.condition {
            Some(f) => self.lower_formula(&mut lw, f),
            None => Formula::truth(),
        };
        let exceptions: Vec<Formula> = r
            .body
            .exceptions
            .iter()
            .map(|e| self.lower_formula(&mut lw, e))
            .collect();
        self.check_compares(&mut lw);
        let citations = self.resolve_citations(&r.body.citations);
        if r.body.citations.is_empty() {
            self.err(
                Diagnostic::warning(
                    crate::diagnostic::Code::UncitedRule,
                    format!("the rule `{}` cites no source", r.name.text),
                )
                .with_label(r.name.span, "no `cites`")
                .with_help(
                    "say where the rule comes from, e.g. `cites tm2 \"Rule 4, para. 11\"`: a reader must be able to check it",
                ),
            );
        }
        let head = head?;
        if !lw.ok {
            // Names or types are already wrong; safety messages would only repeat that.
            return None;
        }
        // Body: the condition's conjuncts, then one `not` per exception.
        let mut parts = match condition.clone() {
            Formula::And(v) => v,
            other => vec![other],
        };
        for e in &exceptions {
            parts.push(Formula::Not(Box::new(e.clone()), Vec::new()));
        }
        let mut body = Formula::And(parts);
        let conditions = count_conditions(&body);
        if conditions > MAX_CONDITIONS {
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::RuleTooLarge,
                    format!(
                        "the rule `{}` has {conditions} conditions; a rule has at most {MAX_CONDITIONS}",
                        r.name.text
                    ),
                )
                .with_label(r.name.span, "this rule")
                .with_help(
                    "split it: give a group of its conditions a rule and a predicate of their own, and use that predicate here",
                ),
            );
            return None;
        }
        // Safety: head variables bound by positive conditions; locals computed for `not`.
        let bound = bound_by(&body);
        for (i, arg) in head.args.iter().enumerate() {
            if let Term::Var(v) = arg {
                if !bound.contains(v) {
                    let name = lw.var_name(*v);
                    let span = r.body.head.args.get(i).map(|t| t.span()).unwrap_or(r.span);
                    if name == "_" {
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnsafeVariable,
                                format!("the conclusion of `{}` uses `_`, which stands for no value in particular", r.name.text),
                            )
                            .with_label(span, "a conclusion must name what it is about")
                            .with_help("`_` means \"some value, whichever\" and only fits a condition; name a variable here and give it a value in a condition, e.g. `p(X) if q(X)`"),
                        );
                        lw.ok = false;
                        continue;
                    }
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnsafeVariable,
                            format!("the variable `{name}` in the conclusion of `{}` is never given a value", r.name.text),
                        )
                        .with_label(span, "not bound by any condition")
                        .with_help(format!(
                            "use `{name}` in a condition that is not negated, e.g. `... if state({name}) and ...`, or equate it to a value (`{name} = some_value`); a variable that appears only under `not`, `unless` or in a comparison other than `=` has no value to carry into the conclusion"
                        )),
                    );
                    lw.ok = false;
                }
            }
        }
        let mut unsafe_vars = Vec::new();
        settle_locals(
            &mut body,
            &FxHashSet::default(),
            &FxHashSet::default(),
            &mut unsafe_vars,
        );
        for (v, span) in unsafe_vars {
            let name = lw.var_name(v);
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::UnsafeVariable,
                    format!("the variable `{name}` in `{}` is compared before it has a value", r.name.text),
                )
                .with_label(span, "no condition gives it a value")
                .with_help(format!(
                    "put `{name}` in a condition that is not negated (e.g. `effect_in(Op, V, {name})`) in the same part of the rule"
                )),
            );
            lw.ok = false;
        }
        if !lw.ok {
            return None;
        }
        // Rewrite the exceptions with their locals for display.
        let exceptions = match &body {
            Formula::And(parts) => parts
                .iter()
                .rev()
                .take(exceptions.len())
                .rev()
                .map(|f| match f {
                    Formula::Not(inner, _) => (**inner).clone(),
                    other => other.clone(),
                })
                .collect(),
            _ => exceptions,
        };
        let id = RuleId::from_index(self.program.rules.len());
        self.program.rules.push(Rule {
            name: r.name.text.clone(),
            origin,
            head,
            condition,
            exceptions,
            body,
            citations,
            notes: r.body.notes.iter().map(|n| n.value.clone()).collect(),
            vars: lw.vars,
            span: r.span,
            name_span: r.name.span,
        });
        Some(id)
    }

    fn lower_formula(&mut self, lw: &mut RuleLowering, f: &ast::Formula) -> Formula {
        match f {
            ast::Formula::And(parts, _) => {
                Formula::And(parts.iter().map(|p| self.lower_formula(lw, p)).collect())
            }
            ast::Formula::Or(parts, _) => {
                Formula::Or(parts.iter().map(|p| self.lower_formula(lw, p)).collect())
            }
            ast::Formula::Not(inner, _) => {
                Formula::Not(Box::new(self.lower_formula(lw, inner)), Vec::new())
            }
            ast::Formula::Atom(a) => match self.lower_atom(lw, a, false) {
                Some(atom) => {
                    let occ = lw.occurrence;
                    lw.occurrence += 1;
                    Formula::Atom(atom, occ)
                }
                None => {
                    lw.ok = false;
                    Formula::truth()
                }
            },
            ast::Formula::Compare {
                left,
                op,
                right,
                span,
            } => {
                let l = self.lower_term(lw, left, None);
                let r = self.lower_term(lw, right, None);
                lw.compares
                    .push((l, *op, r, *span, left.clone(), right.clone()));
                Formula::Compare {
                    left: l,
                    op: *op,
                    right: r,
                    ty: None,
                    span: *span,
                }
            }
            ast::Formula::Unsettled {
                point,
                reason,
                span,
            } => {
                if reason.value.trim().is_empty() {
                    self.err(
                        Diagnostic::warning(
                            crate::diagnostic::Code::UnsettledWithoutReason,
                            format!("the unsettled point `{}` gives no reason", point.text),
                        )
                        .with_label(reason.span, "empty")
                        .with_help("say who disagrees about what, so that a reader sees why the law is open"),
                    );
                }
                let id = self.point(&point.text, &reason.value, *span);
                Formula::Unsettled {
                    point: id,
                    reason: reason.value.clone(),
                    span: *span,
                }
            }
        }
    }

    fn lower_term(&mut self, lw: &mut RuleLowering, t: &ast::Term, ty: Option<TypeId>) -> Term {
        match t {
            ast::Term::Variable(n) => {
                // `_` is anonymous: every occurrence is a variable of its own, shared with no
                // other (as in every Datalog and Prolog).
                let named = if n.text == "_" {
                    None
                } else {
                    lw.var_index.get(&n.text).copied()
                };
                let id = match named {
                    Some(id) => id,
                    None => {
                        let id = VarId::from_index(lw.vars.len());
                        lw.vars.push(VarInfo {
                            name: n.text.clone(),
                            ty: None,
                        });
                        lw.var_first_type_span.push(None);
                        if n.text != "_" {
                            lw.var_index.insert(n.text.clone(), id);
                        }
                        id
                    }
                };
                if let Some(ty) = ty {
                    let current = lw.vars.get(id.index()).and_then(|v| v.ty);
                    match current {
                        None => {
                            if let Some(info) = lw.vars.get_mut(id.index()) {
                                info.ty = Some(ty);
                            }
                            if let Some(f) = lw.var_first_type_span.get_mut(id.index()) {
                                *f = Some(n.span);
                            }
                        }
                        Some(prev) if prev != ty => {
                            let first = lw
                                .var_first_type_span
                                .get(id.index())
                                .copied()
                                .flatten()
                                .unwrap_or(n.span);
                            let (pn, tn) = (
                                self.program.type_info(prev).name.clone(),
                                self.program.type_info(ty).name.clone(),
                            );
                            self.err(
                                Diagnostic::error(
                                    crate::diagnostic::Code::TypeMismatch,
                                    format!("the variable `{}` stands for {} in one place and {} in another", n.text, article(&pn), article(&tn)),
                                )
                                .with_label(n.span, format!("{} here", article(&tn)))
                                .with_label(first, format!("{} here", article(&pn)))
                                .with_help("use two variables, and relate them with a predicate if they are connected (e.g. `organ_of(Actor, State)`)"),
                            );
                            lw.ok = false;
                        }
                        Some(_) => {}
                    }
                }
                Term::Var(id)
            }
            ast::Term::Constant(n) => {
                if let Some(ty) = ty {
                    self.check_rule_constant(n, ty);
                }
                Term::Const(self.program.interner.intern(&n.text))
            }
        }
    }

    fn check_rule_constant(&mut self, n: &ast::Name, ty: TypeId) {
        let info = self.program.type_info(ty).clone();
        match &info.kind {
            TypeKind::Enumerated { values, .. } => {
                let sym = self.program.interner.intern(&n.text);
                if !values.contains(&sym) {
                    let names: Vec<String> = values
                        .iter()
                        .map(|v| self.program.interner.name(*v).to_string())
                        .collect();
                    let help = help_with(
                        &n.text,
                        names.iter().map(|s| s.as_str()),
                        format!("the values of {} are: {}", info.name, names.join(", ")),
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!("`{}` is not a value of the type {}", n.text, info.name),
                        )
                        .with_label(n.span, format!("not {}", article(&info.name)))
                        .with_help(help),
                    );
                }
            }
            TypeKind::Open | TypeKind::From(_) => {
                let sym = self.program.interner.intern(&n.text);
                match self.program.constant_types.get(&sym) {
                    Some((prev, prev_span)) if *prev != ty => {
                        let d = two_types(&self.program, &n.text, *prev, *prev_span, ty, n.span);
                        self.err(d);
                    }
                    Some(_) => {}
                    None => {
                        self.program.constant_types.insert(sym, (ty, n.span));
                    }
                }
            }
        }
    }

    fn lower_atom(&mut self, lw: &mut RuleLowering, a: &ast::Atom, is_head: bool) -> Option<Atom> {
        let Some(pred) = self.program.predicate_id(&a.predicate.text) else {
            let help = help_with(
                &a.predicate.text,
                self.program.predicates.iter().map(|p| p.name.as_str()),
                format!(
                    "declare it first, e.g. `predicate {}(...) means \"...\".`",
                    a.predicate.text
                ),
            );
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownPredicate,
                    format!("no predicate is named `{}`", a.predicate.text),
                )
                .with_label(a.predicate.span, "unknown predicate")
                .with_help(help),
            );
            lw.ok = false;
            // Still register variables so that later messages stay sensible.
            for t in &a.args {
                self.lower_term(lw, t, None);
            }
            return None;
        };
        let info = self.program.predicate(pred).clone();
        if info.arity() != a.args.len() {
            self.err(arity_error(&info, a));
            lw.ok = false;
            return None;
        }
        if is_head && !info.derived {
            // Cannot happen: heads mark their predicate derived. Kept for clarity.
            lw.ok = false;
        }
        let args = a
            .args
            .iter()
            .zip(&info.slots)
            .map(|(t, s)| {
                let ty = (s.ty.0 != u32::MAX).then_some(s.ty);
                self.lower_term(lw, t, ty)
            })
            .collect();
        Some(Atom {
            pred,
            args,
            span: a.span,
        })
    }

    fn check_compares(&mut self, lw: &mut RuleLowering) {
        let compares = std::mem::take(&mut lw.compares);
        for (l, op, r, span, lt, rt) in compares {
            let ty_of = |t: Term, lw: &RuleLowering| match t {
                Term::Var(v) => lw.vars.get(v.index()).and_then(|i| i.ty),
                Term::Const(_) => None,
            };
            let (ltype, rtype) = (ty_of(l, lw), ty_of(r, lw));
            let ty = ltype.or(rtype);
            if let (Some(a), Some(b)) = (ltype, rtype) {
                if a != b {
                    let (an, bn) = (
                        self.program.type_info(a).name.clone(),
                        self.program.type_info(b).name.clone(),
                    );
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::TypeMismatch,
                            format!("this compares {} with {}", article(&an), article(&bn)),
                        )
                        .with_label(span, "different types")
                        .with_help("only things of the same type can be equal or ordered"),
                    );
                    lw.ok = false;
                    continue;
                }
            }
            // Constants compared with a typed variable must belong to its type.
            if let Some(ty) = ty {
                for (term, ast_term) in [(l, &lt), (r, &rt)] {
                    if let (Term::Const(_), ast::Term::Constant(n)) = (term, ast_term) {
                        self.check_rule_constant(n, ty);
                    }
                }
            }
            let untyped_variable = [l, r]
                .iter()
                .any(|t| matches!(t, Term::Var(v) if lw.vars.get(v.index()).is_none_or(|i| i.ty.is_none())));
            if untyped_variable {
                // A variable no condition gives a value: the safety check says so.
                continue;
            }
            if !matches!(op, ast::CmpOp::Eq | ast::CmpOp::Ne) {
                let ordered = ty.is_some_and(|t| self.program.type_info(t).rank_capable());
                if !ordered {
                    let tn = ty
                        .map(|t| self.program.type_info(t).name.clone())
                        .unwrap_or_else(|| "these values".to_string());
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::NotOrdered,
                            format!("{tn} has no order, so `{}` cannot compare it", op.symbol()),
                        )
                        .with_label(span, "needs an ordered type")
                        .with_help("declare the type with `<` between its values (e.g. `type Scale = minor < significant < grave.`), or compare with `=` / `!=`"),
                    );
                    lw.ok = false;
                }
            }
        }
    }
}

impl TypeInfo {
    fn rank_capable(&self) -> bool {
        matches!(self.kind, TypeKind::Enumerated { ordered: true, .. })
    }
}

impl RuleLowering {
    fn var_name(&self, v: VarId) -> String {
        self.vars
            .get(v.index())
            .map(|i| i.name.clone())
            .unwrap_or_default()
    }
}

struct RuleLowering {
    vars: Vec<VarInfo>,
    var_index: FxHashMap<String, VarId>,
    var_first_type_span: Vec<Option<Span>>,
    occurrence: u32,
    compares: Vec<(Term, ast::CmpOp, Term, Span, ast::Term, ast::Term)>,
    ok: bool,
}

/// The statements, comparisons and open points in a formula.
fn count_conditions(f: &Formula) -> usize {
    match f {
        Formula::And(parts) | Formula::Or(parts) => parts.iter().map(count_conditions).sum(),
        Formula::Not(inner, _) => count_conditions(inner),
        Formula::Atom(..) | Formula::Compare { .. } | Formula::Unsettled { .. } => 1,
    }
}

/// Variables a formula certainly binds when it holds, given those bound on entry
/// (SEMANTICS.md, "Rules"): a positive atom binds its variables; `X = c` binds `X`; `X = Y`
/// binds one side once the other is bound; an `or` binds what every alternative binds;
/// `not`, `unless` and the other comparisons bind nothing.
pub(crate) fn binds(f: &Formula, entry: &FxHashSet<VarId>) -> FxHashSet<VarId> {
    let mut s = entry.clone();
    bind_into(f, &mut s);
    s
}

/// Adds to `s` what `f` binds when it holds, given `s` bound on entry (see [`binds`]).
fn bind_into(f: &Formula, s: &mut FxHashSet<VarId>) {
    match f {
        Formula::Atom(a, _) => s.extend(a.args.iter().filter_map(|t| match t {
            Term::Var(v) => Some(*v),
            Term::Const(_) => None,
        })),
        Formula::And(parts) => {
            // Conjuncts may be written in any order: go over them again while an `X = Y` or
            // an `or` can still bind more.
            loop {
                let before = s.len();
                for p in parts {
                    bind_into(p, s);
                }
                if s.len() == before || !parts.iter().any(binds_conditionally) {
                    return;
                }
            }
        }
        Formula::Or(parts) => {
            let mut common: Option<FxHashSet<VarId>> = None;
            for p in parts {
                let mut b = s.clone();
                bind_into(p, &mut b);
                common = Some(match common {
                    None => b,
                    Some(c) => c.intersection(&b).copied().collect(),
                });
            }
            if let Some(c) = common {
                *s = c;
            }
        }
        Formula::Compare {
            left,
            op: ast::CmpOp::Eq,
            right,
            ..
        } => {
            let known = |t: &Term, s: &FxHashSet<VarId>| match t {
                Term::Const(_) => true,
                Term::Var(v) => s.contains(v),
            };
            match (left, right) {
                (Term::Var(v), other) | (other, Term::Var(v)) if known(other, s) => {
                    s.insert(*v);
                }
                _ => {}
            }
        }
        Formula::Compare { .. } | Formula::Not(..) | Formula::Unsettled { .. } => {}
    }
}

/// Whether what `f` binds depends on what is bound before it (an `X = Y`, or an `or` or `and`
/// holding one): only then can a second pass over a conjunction bind more.
fn binds_conditionally(f: &Formula) -> bool {
    match f {
        Formula::Compare {
            op: ast::CmpOp::Eq, ..
        } => true,
        Formula::And(parts) | Formula::Or(parts) => parts.iter().any(binds_conditionally),
        _ => false,
    }
}

/// Variables a formula certainly binds when it holds, with nothing bound on entry.
pub(crate) fn bound_by(f: &Formula) -> FxHashSet<VarId> {
    binds(f, &FxHashSet::default())
}

fn vars_in(f: &Formula, out: &mut FxHashSet<VarId>) {
    let term = |t: &Term, out: &mut FxHashSet<VarId>| {
        if let Term::Var(v) = t {
            out.insert(*v);
        }
    };
    match f {
        Formula::And(v) | Formula::Or(v) => v.iter().for_each(|x| vars_in(x, out)),
        Formula::Not(x, _) => vars_in(x, out),
        Formula::Atom(a, _) => a.args.iter().for_each(|t| term(t, out)),
        Formula::Compare { left, right, .. } => {
            term(left, out);
            term(right, out);
        }
        Formula::Unsettled { .. } => {}
    }
}

/// Fills in the local variables of every `not`, and reports comparisons whose variables no
/// positive condition binds.
///
/// A variable is local to a `not` when nothing outside it can give it a value. One that some
/// alternative of an `or` binds is not local: where that alternative holds, the `not` speaks
/// of its value, and elsewhere of "some value" — exactly as if each alternative were a rule
/// of its own (the evaluator reads the `not` after the `or` then, with or without the value).
fn settle_locals(
    f: &mut Formula,
    outer: &FxHashSet<VarId>,
    outer_maybe: &FxHashSet<VarId>,
    unsafe_vars: &mut Vec<(VarId, Span)>,
) {
    let (bound, maybe) = match f {
        Formula::And(parts) => {
            let whole = Formula::And(parts.clone());
            (binds(&whole, outer), may_bind(&whole, outer_maybe))
        }
        Formula::Not(..)
        | Formula::Or(_)
        | Formula::Atom(..)
        | Formula::Compare { .. }
        | Formula::Unsettled { .. } => (binds(f, outer), may_bind(f, outer_maybe)),
    };
    match f {
        Formula::And(parts) => {
            for p in parts.iter_mut() {
                settle_child(p, &bound, &maybe, unsafe_vars);
            }
        }
        other => settle_child(other, &bound, &maybe, unsafe_vars),
    }
}

/// What [`binds`] gives with an `or` binding what *any* alternative binds: the variables that
/// can have a value when a formula holds.
fn may_bind(f: &Formula, entry: &FxHashSet<VarId>) -> FxHashSet<VarId> {
    match f {
        Formula::Or(parts) => {
            let mut s = entry.clone();
            for p in parts {
                s.extend(may_bind(p, entry));
            }
            s
        }
        Formula::And(parts) => {
            let mut s = entry.clone();
            loop {
                let before = s.len();
                for p in parts {
                    s = may_bind(p, &s);
                }
                if s.len() == before {
                    return s;
                }
            }
        }
        other => binds(other, entry),
    }
}

fn settle_child(
    f: &mut Formula,
    bound: &FxHashSet<VarId>,
    maybe: &FxHashSet<VarId>,
    unsafe_vars: &mut Vec<(VarId, Span)>,
) {
    match f {
        Formula::Not(inner, locals) => {
            let mut vs = FxHashSet::default();
            vars_in(inner, &mut vs);
            let mut l: Vec<VarId> = vs.difference(maybe).copied().collect();
            l.sort();
            *locals = l;
            // A `not` inside this one sees the same outer values (`not (not p(Z))` after an
            // `or` that may bind `Z`).
            settle_locals(inner, bound, maybe, unsafe_vars);
        }
        Formula::Or(parts) => {
            for p in parts.iter_mut() {
                settle_locals(p, bound, maybe, unsafe_vars);
            }
        }
        Formula::And(_) => settle_locals(f, bound, maybe, unsafe_vars),
        Formula::Compare {
            left, right, span, ..
        } => {
            for t in [*left, *right] {
                if let Term::Var(v) = t {
                    if !bound.contains(&v) && !unsafe_vars.iter().any(|(x, _)| *x == v) {
                        unsafe_vars.push((v, *span));
                    }
                }
            }
        }
        Formula::Atom(..) | Formula::Unsettled { .. } => {}
    }
}

/// "a State", "an Actor".
pub(crate) fn article(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

fn arity_error(info: &PredInfo, a: &ast::Atom) -> Diagnostic {
    let sig: Vec<String> = info.slots.iter().map(|s| s.name.clone()).collect();
    Diagnostic::error(
        crate::diagnostic::Code::WrongArity,
        format!(
            "`{}` takes {} {}, but {} {} given",
            info.name,
            info.arity(),
            if info.arity() == 1 {
                "argument"
            } else {
                "arguments"
            },
            a.args.len(),
            if a.args.len() == 1 { "is" } else { "are" }
        ),
    )
    .with_label(a.span, format!("{} given", a.args.len()))
    .with_help(format!("write it as `{}({})`", info.name, sig.join(", ")))
}

fn two_types(
    program: &Program,
    constant: &str,
    first: TypeId,
    first_span: Span,
    second: TypeId,
    second_span: Span,
) -> Diagnostic {
    let (a, b) = (
        program.type_info(first).name.clone(),
        program.type_info(second).name.clone(),
    );
    let state_actor =
        [a.as_str(), b.as_str()].contains(&"State") && [a.as_str(), b.as_str()].contains(&"Actor");
    let help = if state_actor {
        format!(
            "a State is never itself the actor: name the body that acted (e.g. `{constant}_army`) in the actor's slot and state `organ_of({constant}_army, {constant}).`"
        )
    } else {
        format!("a name stands for one kind of thing; use a different name for the {b}")
    };
    Diagnostic::error(
        crate::diagnostic::Code::ConstantTwoTypes,
        format!(
            "`{constant}` is used as {} and as {}",
            article(&a),
            article(&b)
        ),
    )
    .with_label(second_span, format!("used as {} here", article(&b)))
    .with_label(first_span, format!("used as {} here", article(&a)))
    .with_help(help)
}

// ============================================================================ facts

struct FactChecker<'a> {
    program: &'a Program,
    interner: &'a mut Interner,
    diags: Vec<Diagnostic>,
    out: CheckedFacts,
    known: &'a CheckedFacts,
}

impl FactChecker<'_> {
    /// Resolves a ground atom; `None` (with diagnostics) when it is not well formed.
    fn ground(&mut self, a: &ast::Atom, what: &str) -> Option<(PredId, Tuple)> {
        let Some(pred) = self.program.predicate_id(&a.predicate.text) else {
            let help = help_with(
                &a.predicate.text,
                self.program.predicates.iter().map(|p| p.name.as_str()),
                "see `:rules` or the vocabulary for the predicates the knowledge base knows",
            );
            self.diags.push(
                Diagnostic::error(
                    crate::diagnostic::Code::UnknownPredicate,
                    format!("no predicate is named `{}`", a.predicate.text),
                )
                .with_label(a.predicate.span, "unknown predicate")
                .with_help(help),
            );
            return None;
        };
        let info = self.program.predicate(pred);
        if info.arity() != a.args.len() {
            self.diags.push(arity_error(info, a));
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
            }
        }
        ok.then_some((pred, args))
    }

    fn constant(&mut self, n: &ast::Name, ty: TypeId) -> Option<Sym> {
        let info = self.program.type_info(ty);
        match &info.kind {
            TypeKind::Enumerated { values, .. } => {
                let found = self.interner.get(&n.text).filter(|s| values.contains(s));
                if found.is_none() {
                    let names: Vec<&str> = values.iter().map(|v| self.interner.name(*v)).collect();
                    let help = help_with(
                        &n.text,
                        names.iter().copied(),
                        format!("the values of {} are: {}", info.name, names.join(", ")),
                    );
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!("`{}` is not a value of the type {}", n.text, info.name),
                        )
                        .with_label(n.span, format!("not {}", article(&info.name)))
                        .with_help(help),
                    );
                }
                found
            }
            TypeKind::Open | TypeKind::From(_) => {
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
                        "see `opinio compare` or `:positions` for the positions available",
                    );
                    self.diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownPosition,
                            format!("no position is named `{}`", p.text),
                        )
                        .with_label(p.span, "unknown position")
                        .with_help(help),
                    );
                    return;
                }
            },
            None => None,
        };
        if let Some((pred, args)) = self.ground(&e.goal, "an expectation") {
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

    /// Contradictions, functional conflicts, and constants missing from `from` types.
    fn finish(&mut self) {
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
                                "`{}` is functional: keep one, or state `unknown` for both if it is disputed",
                                info.name
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
        // Constants of `from` types must be listed by their predicate.
        let mut listed: FxHashMap<PredId, FxHashSet<Sym>> = FxHashMap::default();
        for f in &all {
            if f.value == Truth::True {
                if let Some(a) = f.args.first() {
                    listed.entry(f.pred).or_default().insert(*a);
                }
            }
        }
        let new_facts: Vec<GroundFact> = all.get(first_new..).unwrap_or(&[]).to_vec();
        let mut reported: FxHashSet<Sym> = FxHashSet::default();
        // The members of a `from` type are what its predicate lists as true: whether something
        // is a member cannot be left open (the engine never reasons over unnamed members).
        let listers: FxHashSet<PredId> = self
            .program
            .types
            .iter()
            .filter_map(|t| match t.kind {
                TypeKind::From(p) => Some(p),
                _ => None,
            })
            .collect();
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
                let is_listed = listed.get(&lister).is_some_and(|s| s.contains(a));
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

/// Checks a goal (question) against the program; variables are allowed.
/// Returns the atom and the names of its variables.
pub fn check_goal(
    program: &Program,
    interner: &Interner,
    known_constants: &FxHashMap<Sym, (TypeId, Span)>,
    a: &ast::Atom,
) -> Result<(Atom, Vec<String>), Diagnostic> {
    let Some(pred) = program.predicate_id(&a.predicate.text) else {
        let help = help_with(
            &a.predicate.text,
            program.predicates.iter().map(|p| p.name.as_str()),
            "ask about a predicate of the knowledge base (`:rules` lists them)",
        );
        return Err(Diagnostic::error(
            crate::diagnostic::Code::UnknownPredicate,
            format!("no predicate is named `{}`", a.predicate.text),
        )
        .with_label(a.predicate.span, "unknown predicate")
        .with_help(help));
    };
    let info = program.predicate(pred);
    if info.arity() != a.args.len() {
        return Err(arity_error(info, a));
    }
    let mut vars: Vec<String> = Vec::new();
    let mut args = Vec::new();
    for (t, slot) in a.args.iter().zip(&info.slots) {
        match t {
            ast::Term::Variable(n) => {
                let idx = match vars.iter().position(|v| *v == n.text || n.text == "_") {
                    Some(i) if n.text != "_" => i,
                    _ => {
                        vars.push(n.text.clone());
                        vars.len() - 1
                    }
                };
                args.push(Term::Var(VarId::from_index(idx)));
            }
            ast::Term::Constant(n) => {
                let ty = program.type_info(slot.ty);
                let sym = interner.get(&n.text);
                let ok = match (&ty.kind, sym) {
                    (_, None) => false,
                    (TypeKind::Enumerated { values, .. }, Some(s)) => values.contains(&s),
                    (_, Some(s)) => known_constants
                        .get(&s)
                        .or_else(|| program.constant_types.get(&s))
                        .is_some_and(|(t, _)| *t == slot.ty),
                };
                match (ok, sym) {
                    (true, Some(s)) => args.push(Term::Const(s)),
                    _ => {
                        let candidates: Vec<String> = match &ty.kind {
                            TypeKind::Enumerated { values, .. } => values
                                .iter()
                                .map(|v| interner.name(*v).to_string())
                                .collect(),
                            _ => known_constants
                                .iter()
                                .chain(&program.constant_types)
                                .filter(|(_, (t, _))| *t == slot.ty)
                                .map(|(s, _)| interner.name(*s).to_string())
                                .collect(),
                        };
                        let mut sorted = candidates.clone();
                        sorted.sort();
                        sorted.dedup();
                        let fallback = if sorted.is_empty() {
                            format!("the scenario names no {} yet", ty.name)
                        } else {
                            format!("the {} values known here: {}", ty.name, sorted.join(", "))
                        };
                        let help = help_with(&n.text, sorted.iter().map(|s| s.as_str()), fallback);
                        return Err(Diagnostic::error(
                            crate::diagnostic::Code::UnknownConstant,
                            format!(
                                "`{}` is not {} the scenario or knowledge base knows",
                                n.text,
                                article(&ty.name)
                            ),
                        )
                        .with_label(n.span, format!("unknown {}", ty.name))
                        .with_help(help));
                    }
                }
            }
        }
    }
    Ok((
        Atom {
            pred,
            args,
            span: a.span,
        },
        vars,
    ))
}

#[cfg(test)]
mod tests {
    use crate::KnowledgeBase;

    const HEADER: &str = "source s \"S\".\ntype T.\ntype Level = low < high.\npredicate b(x: T, l: Level) means \"b\".\npredicate c(x: T, y: T) means \"c\".\npredicate p(x: T) means \"p\".\n";

    fn load(rules: &str) -> Result<KnowledgeBase, String> {
        KnowledgeBase::from_strings([("t.opinio", format!("{HEADER}{rules}"))])
            .map_err(|e| e.render())
    }

    #[test]
    fn variables_only_under_not_are_local() {
        // `Y` occurs only in the exception: "unless some c(X, Y)".
        let kb = load("rule r: p(X) if b(X, L) unless c(X, Y) cites s.\n").expect("safe");
        let rule = &kb.program().rules[0];
        let super::Formula::And(parts) = &rule.body else {
            panic!("a conjunction")
        };
        let locals: Vec<&str> = parts
            .iter()
            .filter_map(|f| match f {
                super::Formula::Not(_, l) => Some(l),
                _ => None,
            })
            .flatten()
            .map(|v| rule.vars[v.index()].name.as_str())
            .collect();
        assert_eq!(locals, ["Y"]);
    }

    #[test]
    fn comparisons_need_bound_variables_and_ordered_types() {
        assert!(load("rule r: p(X) if b(X, L) and L >= low cites s.\n").is_ok());
        let e = load("rule r: p(X) if b(X, L) and M >= low cites s.\n").expect_err("unbound");
        assert!(e.contains("compared before it has a value"), "{e}");
        let e = load("rule r: p(X) if c(X, Y) and Y > X cites s.\n").expect_err("not ordered");
        assert!(e.contains("has no order"), "{e}");
    }

    #[test]
    fn an_or_binds_only_what_every_branch_binds() {
        let e = load("rule r: p(X) if c(X, Y) or b(Z, L) cites s.\n").expect_err("unsafe");
        assert!(
            e.contains("`X` in the conclusion of `r` is never given a value"),
            "{e}"
        );
        assert!(load("rule r: p(X) if c(X, Y) or b(X, L) cites s.\n").is_ok());
    }

    #[test]
    fn a_variable_has_one_type() {
        let e = load("rule r: p(X) if b(X, L) and c(L, X) cites s.\n").expect_err("two types");
        assert!(
            e.contains("stands for a Level in one place and a T in another"),
            "{e}"
        );
    }

    #[test]
    fn enumeration_values_belong_to_their_type() {
        let e = load("rule r: p(X) if b(X, medium) cites s.\n").expect_err("not a Level");
        assert!(
            e.contains("`medium` is not a value of the type Level"),
            "{e}"
        );
    }
}
