//! The checked program: every name resolved to an index, every rule typed and safe. This is
//! what the graph, the evaluator and the explainer read.

use crate::source::Span;
use crate::syntax::ast::{CmpOp, Truth};
use rustc_hash::FxHashMap;
use serde::Serialize;
use smallvec::SmallVec;

/// An interned constant.
pub type Sym = u32;
/// A ground tuple of constants.
pub type Tuple = SmallVec<[Sym; 4]>;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
            pub fn from_index(i: usize) -> Self {
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }
        }
    };
}
id_type!(TypeId);
id_type!(PredId);
id_type!(RuleId);
id_type!(PosId);
id_type!(SourceId);
id_type!(PointId);
id_type!(VarId);

/// Constants by name and back.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    map: FxHashMap<String, Sym>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(s.to_string());
        self.map.insert(s.to_string(), id);
        id
    }
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }
    pub fn name(&self, id: Sym) -> &str {
        self.names
            .get(id as usize)
            .map(|s| s.as_str())
            .unwrap_or("?")
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub key: String,
    pub title: String,
    pub span: Span,
}

/// A reference to a declared source with an optional pinpoint ("Rule 4, para. 11").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    pub source: SourceId,
    pub pinpoint: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// The domain is the constants stated in slots of this type.
    Open,
    /// A fixed list of values, ordered or not.
    Enumerated { values: Vec<Sym>, ordered: bool },
    /// The domain is what a closed one-slot predicate lists.
    From(PredId),
}

#[derive(Debug, Clone)]
pub struct TypeInfo {
    pub name: String,
    pub kind: TypeKind,
    pub span: Span,
}

impl TypeInfo {
    pub fn is_enumerated(&self) -> bool {
        matches!(self.kind, TypeKind::Enumerated { .. })
    }
    /// The rank of a value in an ordered enumeration.
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

#[derive(Debug, Clone)]
pub struct SlotInfo {
    pub name: String,
    pub ty: TypeId,
}

#[derive(Debug, Clone)]
pub struct PredInfo {
    pub name: String,
    pub slots: Vec<SlotInfo>,
    pub closed: bool,
    pub functional: bool,
    pub meaning: Option<String>,
    pub citations: Vec<Cite>,
    pub notes: Vec<String>,
    pub span: Span,
    /// Concluded by some rule in some position (otherwise a base predicate, stated by facts).
    pub derived: bool,
}

impl PredInfo {
    pub fn arity(&self) -> usize {
        self.slots.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    Var(VarId),
    Const(Sym),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub pred: PredId,
    pub args: Vec<Term>,
    pub span: Span,
}

impl Atom {
    /// The atom's constants, when it has no variable.
    pub fn ground_args(&self) -> Option<Tuple> {
        self.args
            .iter()
            .map(|t| match t {
                Term::Const(c) => Some(*c),
                Term::Var(_) => None,
            })
            .collect()
    }
}

/// A rule body after checking. `Not` carries the variables local to it ("there is some").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formula {
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Not(Box<Formula>, Vec<VarId>),
    /// `occurrence` numbers the atoms of one rule body, for semi-naive evaluation.
    Atom(Atom, u32),
    Compare {
        left: Term,
        op: CmpOp,
        right: Term,
        ty: Option<TypeId>,
        span: Span,
    },
    Unsettled {
        point: PointId,
        reason: String,
        span: Span,
    },
}

impl Formula {
    pub fn truth() -> Formula {
        Formula::And(Vec::new())
    }

    /// Every atom in the formula with whether it occurs under a negation (at any depth).
    pub fn atoms(&self, negated: bool, out: &mut Vec<(Atom, bool)>) {
        match self {
            Formula::And(v) | Formula::Or(v) => v.iter().for_each(|f| f.atoms(negated, out)),
            // Under any number of `not`s, `not (not p)` included: recursion through it has
            // no stratified meaning (SEMANTICS.md, "Recursion").
            Formula::Not(f, _) => f.atoms(true, out),
            Formula::Atom(a, _) => out.push((a.clone(), negated)),
            Formula::Compare { .. } | Formula::Unsettled { .. } => {}
        }
    }

    pub fn unsettled_points(&self, out: &mut Vec<PointId>) {
        match self {
            Formula::And(v) | Formula::Or(v) => v.iter().for_each(|f| f.unsettled_points(out)),
            Formula::Not(f, _) => f.unsettled_points(out),
            Formula::Unsettled { point, .. } => out.push(*point),
            Formula::Atom(..) | Formula::Compare { .. } => {}
        }
    }
}

#[derive(Debug, Clone)]
pub struct VarInfo {
    pub name: String,
    pub ty: Option<TypeId>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    /// The position that wrote this rule (the default position for top-level rules).
    pub origin: PosId,
    pub head: Atom,
    pub condition: Formula,
    pub exceptions: Vec<Formula>,
    /// `condition and not exception1 and not exception2 ...`, what the evaluator runs.
    pub body: Formula,
    pub citations: Vec<Cite>,
    pub notes: Vec<String>,
    pub vars: Vec<VarInfo>,
    pub span: Span,
    /// The span of the rule's name, for diagnostics.
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub struct Settlement {
    pub value: bool,
    pub by: PosId,
    pub citations: Vec<Cite>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub rule: RuleId,
    pub by: PosId,
    pub citations: Vec<Cite>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Affirmation {
    pub by: PosId,
    pub citations: Vec<Cite>,
}

#[derive(Debug, Clone)]
pub struct PositionInfo {
    pub name: String,
    pub parent: Option<PosId>,
    pub is_default: bool,
    pub meaning: Option<String>,
    pub citations: Vec<Cite>,
    pub span: Span,
    /// The rules in force under this position, inherited ones included.
    pub rules: Vec<RuleId>,
    /// Unsettled points settled by this position or one it extends.
    pub settlements: FxHashMap<PointId, Settlement>,
    /// Rules this position (or one it extends) withdrew, by rule name.
    pub withdrawals: FxHashMap<String, Withdrawal>,
    /// Rule or predicate names whose inherited treatment the position endorses.
    pub affirmations: FxHashMap<String, Affirmation>,
    /// Predicates that depend, through the rules in force, on each other: the strata, lowest first.
    pub strata: Vec<Vec<PredId>>,
}

#[derive(Debug, Clone)]
pub struct PointInfo {
    pub name: String,
    /// The first place the point is raised, and its reason there.
    pub reason: String,
    pub span: Span,
}

/// A fact with its constants resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroundFact {
    pub pred: PredId,
    pub args: Tuple,
    pub value: Truth,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    pub position: Option<PosId>,
    pub goal: Atom,
    pub value: Truth,
    pub span: Span,
    /// The goal as the user wrote it.
    pub text: String,
}

/// A checked knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub interner: Interner,
    pub sources: Vec<SourceInfo>,
    pub types: Vec<TypeInfo>,
    pub predicates: Vec<PredInfo>,
    pub rules: Vec<Rule>,
    pub positions: Vec<PositionInfo>,
    pub points: Vec<PointInfo>,
    pub default_position: Option<PosId>,
    /// Facts stated in knowledge files (rare: most facts come from scenarios).
    pub facts: Vec<GroundFact>,
    pub expectations: Vec<Expectation>,
    /// Constants the program mentions in slots of open types, with their type.
    pub constant_types: FxHashMap<Sym, (TypeId, Span)>,
    pub(crate) pred_index: FxHashMap<String, PredId>,
    pub(crate) type_index: FxHashMap<String, TypeId>,
    pub(crate) source_index: FxHashMap<String, SourceId>,
    pub(crate) position_index: FxHashMap<String, PosId>,
    pub(crate) point_index: FxHashMap<String, PointId>,
}

// Ids are created by the checker for the program they index: an id from another program is
// a programming error, not something user input can cause.
#[expect(
    clippy::indexing_slicing,
    reason = "ids are created by the checker and always index the program they came from"
)]
impl Program {
    pub fn predicate(&self, id: PredId) -> &PredInfo {
        &self.predicates[id.index()]
    }
    /// The type's declaration. A slot whose type is not declared has the id
    /// `TypeId(u32::MAX)` while the checker goes on looking for more problems (the missing
    /// type is already reported): it reads as an open type named `?`.
    pub fn type_info(&self, id: TypeId) -> &TypeInfo {
        static UNDECLARED: std::sync::LazyLock<TypeInfo> = std::sync::LazyLock::new(|| TypeInfo {
            name: "?".to_string(),
            kind: TypeKind::Open,
            span: Span::default(),
        });
        self.types.get(id.index()).unwrap_or(&UNDECLARED)
    }
    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.rules[id.index()]
    }
    pub fn position(&self, id: PosId) -> &PositionInfo {
        &self.positions[id.index()]
    }
    pub fn source(&self, id: SourceId) -> &SourceInfo {
        &self.sources[id.index()]
    }
    pub fn point(&self, id: PointId) -> &PointInfo {
        &self.points[id.index()]
    }
    pub fn predicate_id(&self, name: &str) -> Option<PredId> {
        self.pred_index.get(name).copied()
    }
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        self.type_index.get(name).copied()
    }
    pub fn position_id(&self, name: &str) -> Option<PosId> {
        self.position_index.get(name).copied()
    }
    pub fn source_id(&self, name: &str) -> Option<SourceId> {
        self.source_index.get(name).copied()
    }
    pub fn point_id(&self, name: &str) -> Option<PointId> {
        self.point_index.get(name).copied()
    }

    /// The default position, or the first one, or none when the program declares none.
    pub fn default_position_or_first(&self) -> Option<PosId> {
        self.default_position
            .or_else(|| (!self.positions.is_empty()).then_some(PosId(0)))
    }

    /// Renders a citation as `tm2, Rule 4, para. 11`.
    pub fn cite_text(&self, c: &Cite) -> String {
        let key = &self.source(c.source).key;
        match &c.pinpoint {
            Some(p) => format!("{key} {p}"),
            None => key.clone(),
        }
    }

    /// Renders a ground atom.
    pub fn atom_text(&self, pred: PredId, args: &[Sym], interner: &Interner) -> String {
        let args: Vec<String> = args
            .iter()
            .map(|a| quote_if_needed(interner.name(*a)))
            .collect();
        format!("{}({})", self.predicate(pred).name, args.join(", "))
    }
}

/// Writes a constant as the language would read it back.
pub use crate::syntax::quote_if_needed;
