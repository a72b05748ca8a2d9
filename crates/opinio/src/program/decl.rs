//! What the declarations of a knowledge base resolve to: sources, types, predicates,
//! positions and unsettled points.

use super::{PointId, PosId, PredId, RuleId, SourceId, Sym, TypeId};
use crate::date::Date;
use crate::source::Span;
use rustc_hash::FxHashMap;

/// A declared source (`source tm2 "Tallinn Manual 2.0".`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceInfo {
    /// The key citations use (`tm2`).
    pub key: String,
    /// The full title of the document.
    pub title: String,
    /// When the document was published (`dated …`), if the knowledge base says.
    pub date: Option<Date>,
    /// The declaration.
    pub span: Span,
}

/// A reference to a declared source with an optional pinpoint ("Rule 4, para. 11").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cite {
    /// The source cited.
    pub source: SourceId,
    /// Where in the source, as written (`"Rule 4, para. 11"`).
    pub pinpoint: Option<String>,
    /// The citation in the text.
    pub span: Span,
}

/// What the values of a type are.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TypeKind {
    /// The domain is the constants stated in slots of this type.
    Open,
    /// A fixed list of values, ordered or not.
    Enumerated {
        /// The values, in the order declared (lowest first when ordered).
        values: Vec<Sym>,
        /// Declared with `<`: the values can be compared with `<`, `>=`, ….
        ordered: bool,
    },
    /// The domain is what a closed one-slot predicate lists (see
    /// [`listed_members`](super::listed_members)).
    From(PredId),
    /// The built-in type `Date`: calendar dates written `2017-06-27`, ordered in time. Its domain
    /// is the dates the knowledge base and the scenario state.
    Date,
}

/// A declared type.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeInfo {
    /// The type's name (`State`).
    pub name: String,
    /// Its values.
    pub kind: TypeKind,
    /// The declaration.
    pub span: Span,
}

impl TypeInfo {
    /// Whether the type lists its values.
    pub fn is_enumerated(&self) -> bool {
        matches!(self.kind, TypeKind::Enumerated { .. })
    }
    /// Whether values of the type can be ordered (`<`, `>=`, …).
    pub fn is_ordered(&self) -> bool {
        matches!(
            self.kind,
            TypeKind::Enumerated { ordered: true, .. } | TypeKind::Date
        )
    }
    /// Whether this is the built-in type `Date`.
    pub fn is_date(&self) -> bool {
        matches!(self.kind, TypeKind::Date)
    }
    /// The rank of a value in an ordered enumeration (0 for the lowest); `None` when the type
    /// is not ordered or does not list the value.
    pub fn rank(&self, value: Sym) -> Option<usize> {
        match &self.kind {
            TypeKind::Enumerated {
                values,
                ordered: true,
            } => values.iter().position(|v| *v == value),
            _ => None,
        }
    }
}

/// One slot of a predicate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SlotInfo {
    /// The slot's name (`x` in `p(x: T)`).
    pub name: String,
    /// Its type; `TypeId(u32::MAX)` when the type is not declared (already reported).
    pub ty: TypeId,
}

/// A declared predicate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PredInfo {
    /// The predicate's name.
    pub name: String,
    /// Its slots, in order.
    pub slots: Vec<SlotInfo>,
    /// Declared `closed`: what is not stated is false rather than unknown.
    pub closed: bool,
    /// Declared `functional`: at most one value in the last slot for each combination of
    /// the others.
    pub functional: bool,
    /// The `means "..."` text.
    pub meaning: Option<String>,
    /// The `reads "..."` template, checked: how a statement of the predicate reads in plain
    /// language (see [`Program::phrase`](super::Program::phrase)).
    pub reading: Option<Reading>,
    /// The `cites` of the declaration.
    pub citations: Vec<Cite>,
    /// The `note "..."` texts.
    pub notes: Vec<String>,
    /// The declaration.
    pub span: Span,
    /// Concluded by some rule in some position (otherwise a base predicate, stated by facts).
    pub derived: bool,
}

/// How a predicate's statements read in plain language: the checked `reads "…"` template,
/// words and slots in order (`"{op} violates the sovereignty of {victim}"` is the slot 0,
/// the words " violates the sovereignty of ", the slot 1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// The template as written (quotes removed, escapes resolved).
    pub template: String,
    /// The template cut into words and slots.
    pub parts: Vec<ReadingPart>,
}

/// A piece of a [`Reading`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReadingPart {
    /// Words shown as they are.
    Words(String),
    /// The value of the slot with this index (0 for the first slot).
    Slot(usize),
}

impl PredInfo {
    /// The number of slots.
    pub fn arity(&self) -> usize {
        self.slots.len()
    }
}

/// A position's answer to an unsettled point.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Settlement {
    /// Whether the point holds under the position.
    pub value: bool,
    /// The position that settled it (itself or one it extends).
    pub by: PosId,
    /// The authorities the position relies on.
    pub citations: Vec<Cite>,
    /// The `settle` item.
    pub span: Span,
}

/// A rule a position does not take over from the one it extends.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Withdrawal {
    /// The rule withdrawn.
    pub rule: RuleId,
    /// The position that withdrew it (itself or one it extends).
    pub by: PosId,
    /// The authorities the position relies on.
    pub citations: Vec<Cite>,
    /// The `withdraw` item.
    pub span: Span,
}

/// A position's explicit endorsement of an inherited rule or predicate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Affirmation {
    /// The position that affirmed it (itself or one it extends).
    pub by: PosId,
    /// The authorities the position relies on.
    pub citations: Vec<Cite>,
}

/// A passage of a position's document that speaks to a rule, predicate or point but was not
/// verified, so nothing of it is encoded (`unverified NAME cites … note "…".`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Unverified {
    /// The position that says so (itself or one it extends).
    pub by: PosId,
    /// Where the document speaks to it.
    pub citations: Vec<Cite>,
    /// What is known of the passage.
    pub notes: Vec<String>,
}

/// A position: a reading of the law, with the rules in force under it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PositionInfo {
    /// The position's name.
    pub name: String,
    /// The position it extends; `None` for the default position.
    pub parent: Option<PosId>,
    /// Whether this is the default position.
    pub is_default: bool,
    /// The `means "..."` text.
    pub meaning: Option<String>,
    /// When the position was published (`dated …`): used to say which positions existed on a
    /// date (`--as-of`), never to change a value (LAW-2.md §8).
    pub date: Option<Date>,
    /// The `cites` of the declaration.
    pub citations: Vec<Cite>,
    /// The declaration (empty for the implicit default position).
    pub span: Span,
    /// The rules in force under this position, inherited ones included.
    pub rules: Vec<RuleId>,
    /// Unsettled points settled by this position or one it extends.
    #[serde(serialize_with = "super::sorted_map")]
    pub settlements: FxHashMap<PointId, Settlement>,
    /// Rules this position (or one it extends) withdrew, by rule name.
    #[serde(serialize_with = "super::sorted_map")]
    pub withdrawals: FxHashMap<String, Withdrawal>,
    /// Rule or predicate names whose inherited treatment the position endorses.
    #[serde(serialize_with = "super::sorted_map")]
    pub affirmations: FxHashMap<String, Affirmation>,
    /// Rule, predicate or point names on which the position's document speaks but was not
    /// verified (`unverified …`): values are inherited, and explanations say "not verified".
    #[serde(serialize_with = "super::sorted_map")]
    pub unverified: FxHashMap<String, Unverified>,
    /// Predicates that depend, through the rules in force, on each other: the strata, lowest first.
    pub strata: Vec<Vec<PredId>>,
}

impl PositionInfo {
    /// A position named `name`, declared at `span`, that changes nothing yet: no parent, no
    /// rules, settlements, withdrawals or affirmations, not the default.
    pub(crate) fn named(name: String, span: Span) -> PositionInfo {
        PositionInfo {
            name,
            parent: None,
            is_default: false,
            meaning: None,
            citations: Vec::new(),
            span,
            rules: Vec::new(),
            settlements: FxHashMap::default(),
            withdrawals: FxHashMap::default(),
            affirmations: FxHashMap::default(),
            unverified: FxHashMap::default(),
            date: None,
            strata: Vec::new(),
        }
    }
}

/// A point of law some rule leaves open (`unsettled(point, "why")`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PointInfo {
    /// The point's name.
    pub name: String,
    /// The first place the point is raised, and its reason there.
    pub reason: String,
    /// Its short title (`unsettled POINT titled "…".`), if the knowledge base gives one.
    pub title: Option<String>,
    /// Where the reason is given.
    pub span: Span,
}
