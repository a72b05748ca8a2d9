//! The checked program: every name resolved to an id, every rule typed and safe. The checker
//! (`check`) builds it; the graph, the evaluator and the explainer read it.
//!
//! Ids ([`PredId`], [`RuleId`], …) index the lists of the [`Program`] that made them. The
//! accessors ([`Program::predicate`], …) never panic: an id from elsewhere reads as a
//! placeholder named `?`, so that a mistake shows in the output instead of crashing.

mod decl;
mod facts;
mod formula;
mod goal;
mod ids;

/// Most conditions (statements, comparisons and open points, exceptions included) one rule
/// may have; the checker refuses a larger rule. Evaluation searches a rule's conditions one
/// inside the other, so the stack a search needs grows with their number; 256 run on a 2 MiB
/// thread (the size of `opinio batch`'s workers) even in a debug build, and no rule of law
/// needs more.
pub const MAX_CONDITIONS: usize = 256;

pub use decl::{
    Affirmation, Cite, PointInfo, PositionInfo, PredInfo, Reading, ReadingPart, Settlement,
    SlotInfo, SourceInfo, TypeInfo, TypeKind, Unverified, Withdrawal,
};
pub use facts::{listed_members, Expectation, GroundFact};
pub use formula::{Atom, Formula, Rule, Term, VarInfo};
pub use goal::Goal;
pub use ids::{Interner, PointId, PosId, PredId, RuleId, SourceId, Sym, Tuple, TypeId, VarId};

/// Writes a constant as the language would read it back.
pub use crate::syntax::quote_if_needed;

use crate::source::Span;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// A checked knowledge base.
///
/// Its serde form is what [`KnowledgeBase::to_compiled`](crate::KnowledgeBase::to_compiled)
/// writes: it follows the types, so it is read back by the same version of Opinio only (not an
/// interchange format; maps are written sorted by key).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Program {
    /// The constants the program names.
    pub interner: Interner,
    /// Declared sources, indexed by [`SourceId`].
    pub sources: Vec<SourceInfo>,
    /// Declared types, indexed by [`TypeId`].
    pub types: Vec<TypeInfo>,
    /// Declared predicates, indexed by [`PredId`].
    pub predicates: Vec<PredInfo>,
    /// Every rule of every position, indexed by [`RuleId`].
    pub rules: Vec<Rule>,
    /// The positions, indexed by [`PosId`].
    pub positions: Vec<PositionInfo>,
    /// The unsettled points the rules raise, indexed by [`PointId`].
    pub points: Vec<PointInfo>,
    /// The default position (declared `default`, or the implicit one).
    pub default_position: Option<PosId>,
    /// Facts stated in knowledge files (rare: most facts come from scenarios).
    pub facts: Vec<GroundFact>,
    /// `expect` statements in knowledge files.
    pub expectations: Vec<Expectation>,
    /// Constants the program mentions in slots of open types, with their type.
    #[serde(serialize_with = "sorted_map")]
    pub constant_types: FxHashMap<Sym, (TypeId, Span)>,
    #[serde(serialize_with = "sorted_map")]
    pub(crate) pred_index: FxHashMap<String, PredId>,
    #[serde(serialize_with = "sorted_map")]
    pub(crate) type_index: FxHashMap<String, TypeId>,
    #[serde(serialize_with = "sorted_map")]
    pub(crate) source_index: FxHashMap<String, SourceId>,
    #[serde(serialize_with = "sorted_map")]
    pub(crate) position_index: FxHashMap<String, PosId>,
    #[serde(serialize_with = "sorted_map")]
    pub(crate) point_index: FxHashMap<String, PointId>,
}

/// Serialises a map with its entries sorted by key, so that the same map gives the same
/// bytes whatever order its hash table holds the entries in (a compiled knowledge base is the
/// same for the same texts). Read back as any map.
pub(crate) fn sorted_map<K, V, H, S>(
    map: &std::collections::HashMap<K, V, H>,
    s: S,
) -> Result<S::Ok, S::Error>
where
    K: Ord + serde::Serialize,
    V: serde::Serialize,
    S: serde::Serializer,
{
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    s.collect_map(entries)
}

/// What an id this program did not make reads as. A slot whose type is not declared has the
/// id `TypeId(u32::MAX)` while the checker goes on looking for more problems (the missing
/// type is already reported): it reads as an open type named `?`.
mod placeholder {
    use super::*;

    pub(super) static TYPE: LazyLock<TypeInfo> = LazyLock::new(|| TypeInfo {
        name: "?".to_string(),
        kind: TypeKind::Open,
        span: Span::default(),
    });
    pub(super) static PREDICATE: LazyLock<PredInfo> = LazyLock::new(|| PredInfo {
        name: "?".to_string(),
        slots: Vec::new(),
        closed: false,
        functional: false,
        meaning: None,
        reading: None,
        citations: Vec::new(),
        notes: Vec::new(),
        span: Span::default(),
        derived: false,
    });
    pub(super) static RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
        name: "?".to_string(),
        origin: PosId(u32::MAX),
        head: Atom {
            pred: PredId(u32::MAX),
            args: Vec::new(),
            span: Span::default(),
        },
        condition: Formula::truth(),
        exceptions: Vec::new(),
        body: Formula::truth(),
        citations: Vec::new(),
        notes: Vec::new(),
        vars: Vec::new(),
        span: Span::default(),
        name_span: Span::default(),
    });
    pub(super) static POSITION: LazyLock<PositionInfo> =
        LazyLock::new(|| PositionInfo::named("?".to_string(), Span::default()));
    pub(super) static SOURCE: LazyLock<SourceInfo> = LazyLock::new(|| SourceInfo {
        date: None,
        key: "?".to_string(),
        title: String::new(),
        span: Span::default(),
    });
    pub(super) static POINT: LazyLock<PointInfo> = LazyLock::new(|| PointInfo {
        name: "?".to_string(),
        reason: String::new(),
        title: None,
        span: Span::default(),
    });
}

impl Program {
    /// The predicate's declaration (a placeholder named `?` for a foreign id).
    pub fn predicate(&self, id: PredId) -> &PredInfo {
        self.predicates
            .get(id.index())
            .unwrap_or(&placeholder::PREDICATE)
    }
    /// The type's declaration; an undeclared type (`TypeId(u32::MAX)`) reads as an open type
    /// named `?`.
    pub fn type_info(&self, id: TypeId) -> &TypeInfo {
        self.types.get(id.index()).unwrap_or(&placeholder::TYPE)
    }
    /// Whether slot `i` of the predicate `info` holds dates (false past its last slot).
    pub(crate) fn slot_is_date(&self, info: &PredInfo, i: usize) -> bool {
        info.slots
            .get(i)
            .is_some_and(|slot| self.type_info(slot.ty).is_date())
    }
    /// The rule (a placeholder named `?` for a foreign id).
    pub fn rule(&self, id: RuleId) -> &Rule {
        self.rules.get(id.index()).unwrap_or(&placeholder::RULE)
    }
    /// The position (a placeholder named `?` for a foreign id).
    pub fn position(&self, id: PosId) -> &PositionInfo {
        self.positions
            .get(id.index())
            .unwrap_or(&placeholder::POSITION)
    }
    /// The source (a placeholder keyed `?` for a foreign id).
    pub fn source(&self, id: SourceId) -> &SourceInfo {
        self.sources.get(id.index()).unwrap_or(&placeholder::SOURCE)
    }
    /// The unsettled point (a placeholder named `?` for a foreign id).
    pub fn point(&self, id: PointId) -> &PointInfo {
        self.points.get(id.index()).unwrap_or(&placeholder::POINT)
    }
    /// The predicate declared with this name.
    pub fn predicate_id(&self, name: &str) -> Option<PredId> {
        self.pred_index.get(name).copied()
    }
    /// The type declared with this name.
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        self.type_index.get(name).copied()
    }
    /// The position with this name.
    pub fn position_id(&self, name: &str) -> Option<PosId> {
        self.position_index.get(name).copied()
    }
    /// The source declared with this key.
    pub fn source_id(&self, name: &str) -> Option<SourceId> {
        self.source_index.get(name).copied()
    }
    /// The unsettled point with this name.
    pub fn point_id(&self, name: &str) -> Option<PointId> {
        self.point_index.get(name).copied()
    }

    /// The default position, or the first one, or none when the program declares none.
    pub fn default_position_or_first(&self) -> Option<PosId> {
        self.default_position
            .or_else(|| (!self.positions.is_empty()).then_some(PosId(0)))
    }

    /// Renders a citation as `tm2 Rule 4, para. 11`.
    pub fn cite_text(&self, c: &Cite) -> String {
        let key = &self.source(c.source).key;
        match &c.pinpoint {
            Some(p) => format!("{key} {p}"),
            None => key.clone(),
        }
    }

    /// Renders a ground atom as `pred(a, b)`, with constants named by `interner` (the
    /// scenario's, which extends the program's).
    pub fn atom_text(&self, pred: PredId, args: &[Sym], interner: &Interner) -> String {
        let info = self.predicate(pred);
        let name = &info.name;
        let mut out = String::with_capacity(name.len() + 2 + args.len() * 12);
        out.push_str(name);
        out.push('(');
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            crate::syntax::push_slot_value(&mut out, interner.name(*a), self.slot_is_date(info, i));
        }
        out.push(')');
        out
    }

    /// A ground atom in plain language, through its predicate's `reads` template: each
    /// `{slot}` replaced by the value in that slot, as written (a quoted constant without its
    /// quotes, a date as `2017-06-27`; a value of an enumeration with spaces for its
    /// underscores: `reinstallation required`). A predicate without `reads` gives the code form of
    /// [`Program::atom_text`] (`pred(a, b)`), and so does an atom whose number of arguments is
    /// not the predicate's. Constants are named by `interner` (the scenario's, which extends the
    /// program's).
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario};
    ///
    /// let kb = KnowledgeBase::from_strings([(
    ///     "law.opinio",
    ///     "type Operation. type State.\n\
    ///      predicate targeted(op: Operation, victim: State)\n\
    ///        means \"the operation was directed against the State\"\n\
    ///        reads \"{op} was directed against {victim}\".\n\
    ///      predicate organ_of(op: Operation, state: State).\n",
    /// )])?;
    /// let mut case = Scenario::new(&kb);
    /// case.add_text("case.opinio", "targeted(notpetya, \"Kingdom of Denmark\"). organ_of(x, y).")?;
    /// let program = case.program();
    /// let fact = &case.facts()[0];
    /// assert_eq!(
    ///     program.phrase(fact.pred, &fact.args, case.interner()),
    ///     "notpetya was directed against Kingdom of Denmark"
    /// );
    /// // Without `reads`, the code form.
    /// let fact = &case.facts()[1];
    /// assert_eq!(program.phrase(fact.pred, &fact.args, case.interner()), "organ_of(x, y)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn phrase(&self, pred: PredId, args: &[Sym], interner: &Interner) -> String {
        let info = self.predicate(pred);
        let Some(reading) = info.reading.as_ref().filter(|_| args.len() == info.arity()) else {
            return self.atom_text(pred, args, interner);
        };
        let mut out = String::with_capacity(reading.template.len() + 16);
        for part in &reading.parts {
            match part {
                ReadingPart::Words(w) => out.push_str(w),
                ReadingPart::Slot(i) => {
                    if let Some(a) = args.get(*i) {
                        let name = interner.name(*a);
                        // A value of an enumeration is a word of the law's own vocabulary
                        // (`reinstallation_required`, `budapest_convention`): in a sentence it
                        // reads with spaces. Names of things (`fancy_bear`) are kept as the
                        // scenario writes them, so that a reader finds them in it.
                        let enumerated = info.slots.get(*i).is_some_and(|slot| {
                            matches!(self.type_info(slot.ty).kind, TypeKind::Enumerated { .. })
                        });
                        if enumerated {
                            out.extend(name.chars().map(|c| if c == '_' { ' ' } else { c }));
                        } else if name
                            .chars()
                            .any(|c| c.is_control() || crate::diagnostic::is_invisible(c))
                        {
                            // A sentence is printed as it is, on one line: a line break, a
                            // tab or an invisible character of a name (a direction override
                            // would reorder the rest of the line) is shown escaped instead.
                            out.push_str(&crate::diagnostic::escaped_on_one_line(name.chars()));
                        } else {
                            out.push_str(name);
                        }
                    }
                }
            }
        }
        out
    }

    /// The short title of an open point (`unsettled POINT titled "…".`), or, when the
    /// knowledge base gives none, its name with spaces for underscores
    /// (`sovereignty below threshold`).
    pub fn point_title(&self, id: PointId) -> String {
        let p = self.point(id);
        match &p.title {
            Some(t) => t.clone(),
            None => p.name.replace('_', " "),
        }
    }
}
