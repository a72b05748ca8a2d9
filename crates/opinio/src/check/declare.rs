//! Declarations: sources, types, predicates and citations, each name declared once and
//! every name a declaration uses resolved.

use super::{Checker, MAX_SLOTS};
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{
    Cite, PredId, PredInfo, SlotInfo, SourceId, SourceInfo, TypeId, TypeInfo, TypeKind,
};
use crate::source::Span;
use crate::syntax::ast::{self, TypeBody};
use rustc_hash::FxHashMap;

impl Checker {
    /// Declares a source (once per key).
    pub(super) fn declare_source(&mut self, s: &ast::SourceDecl) {
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
        let date = self.optional_date(s.date.as_ref());
        self.program.sources.push(SourceInfo {
            key: s.name.text.clone(),
            title: s.title.value.clone(),
            date,
            span: s.span,
        });
        self.program.source_index.insert(s.name.text.clone(), id);
    }

    /// Declares a type's name; its body waits for the predicates ([`Self::resolve_type_body`]).
    /// Declares the built-in type `Date` (spec/VOCABULARY-2.md): every knowledge base has it.
    pub(super) fn declare_built_in_types(&mut self) {
        let id = TypeId::from_index(self.program.types.len());
        self.program.types.push(TypeInfo {
            name: "Date".to_string(),
            kind: TypeKind::Date,
            span: Span::default(),
        });
        self.program.type_index.insert("Date".to_string(), id);
    }

    pub(super) fn declare_type_name(&mut self, t: &ast::TypeDecl) {
        if let Some(&prev) = self.program.type_index.get(&t.name.text) {
            if self.program.type_info(prev).is_date() {
                self.err(
                    Diagnostic::error(
                        crate::diagnostic::Code::DuplicateType,
                        format!(
                            "`{}` is a built-in type and cannot be declared",
                            t.name.text
                        ),
                    )
                    .with_label(t.name.span, "built in")
                    .with_help(
                        "use `Date` in slots as it is: its values are dates written 2017-06-27",
                    ),
                );
                return;
            }
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

    /// Resolves a type's values: listed, open, or `from` a closed one-slot predicate.
    pub(super) fn resolve_type_body(&mut self, t: &ast::TypeDecl) {
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

    /// The type named, or an error with a "did you mean".
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

    /// The citations whose source is declared (the others are reported).
    pub(super) fn resolve_citations(&mut self, cites: &[ast::Citation]) -> Vec<Cite> {
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

    /// Declares a predicate: its slots typed, at most [`MAX_SLOTS`] of them.
    pub(super) fn declare_predicate(&mut self, p: &ast::PredicateDecl) {
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
        let reading = p.reading.as_ref().map(|r| self.check_reading(p, r));
        let id = PredId::from_index(self.program.predicates.len());
        self.program.predicates.push(PredInfo {
            name: p.name.text.clone(),
            slots,
            closed: p.closed.is_some(),
            functional: p.functional.is_some(),
            meaning: p.meaning.as_ref().map(|m| m.value.clone()),
            reading,
            citations,
            notes: p.notes.iter().map(|n| n.value.clone()).collect(),
            span: p.span,
            derived: false,
        });
        self.program.pred_index.insert(p.name.text.clone(), id);
    }

    /// Warns of `closed` or `functional` on a predicate that rules conclude (see
    /// [`Code::MarkerOnConclusion`](crate::diagnostic::Code::MarkerOnConclusion)).
    pub(super) fn marker_on_conclusion(&mut self, p: &ast::PredicateDecl) {
        let derived = self
            .program
            .predicate_id(&p.name.text)
            .is_some_and(|id| self.program.predicate(id).derived);
        if !derived {
            return;
        }
        for (span, marker, promise) in [
            (
                p.closed,
                "closed",
                "does not make false what its rules leave unknown",
            ),
            (
                p.functional,
                "functional",
                "does not keep its rules from concluding two values",
            ),
        ] {
            let Some(span) = span else { continue };
            self.err(
                Diagnostic::warning(
                    crate::diagnostic::Code::MarkerOnConclusion,
                    format!("`{marker}` on `{}` {promise}", p.name.text),
                )
                .with_label(span, "rules conclude this predicate")
                .with_help(format!(
                    "`{marker}` says how the facts stated about a predicate read; a conclusion's values come from its rules: remove `{marker}`, or write the rules so that they say it"
                )),
            );
        }
    }

    /// Marks the predicate of a rule's conclusion as derived.
    pub(super) fn mark_derived(&mut self, head: &ast::Atom) {
        if let Some(id) = self.program.predicate_id(&head.predicate.text) {
            if let Some(p) = self.program.predicates.get_mut(id.index()) {
                p.derived = true;
            }
        }
    }
}
