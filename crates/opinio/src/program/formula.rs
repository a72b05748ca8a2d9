//! Checked rules: terms, atoms, formulas (with the one walker over them) and rules.

use super::{Cite, PointId, PosId, PredId, Sym, Tuple, TypeId, VarId};
use crate::source::Span;
use crate::syntax::ast::CmpOp;

/// An argument: a variable of the rule, or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Term {
    /// A variable, indexing the rule's [`Rule::vars`].
    Var(VarId),
    /// A constant.
    Const(Sym),
}

impl Term {
    /// The variable, when the term is one.
    pub fn var(&self) -> Option<VarId> {
        match self {
            Term::Var(v) => Some(*v),
            Term::Const(_) => None,
        }
    }
}

/// A predicate applied to arguments, one per slot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Atom {
    /// The predicate.
    pub pred: PredId,
    /// The arguments, as many as the predicate has slots.
    pub args: Vec<Term>,
    /// The atom in the text.
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Formula {
    /// All of the parts hold (the empty conjunction is true).
    And(#[serde(deserialize_with = "nested")] Vec<Formula>),
    /// One of the parts holds.
    Or(#[serde(deserialize_with = "nested")] Vec<Formula>),
    /// The formula does not hold; the variables listed are local to it ("there is no …").
    Not(
        #[serde(deserialize_with = "nested")] Box<Formula>,
        Vec<VarId>,
    ),
    /// A statement. `occurrence` numbers the atoms of one rule body, for semi-naive evaluation.
    Atom(Atom, u32),
    /// `left op right`.
    Compare {
        /// The left side.
        left: Term,
        /// The comparison.
        op: CmpOp,
        /// The right side.
        right: Term,
        /// The type compared, when a side is a typed variable.
        ty: Option<TypeId>,
        /// The comparison in the text.
        span: Span,
    },
    /// `unsettled(point, "reason")`: unknown unless a position settles the point.
    Unsettled {
        /// The point.
        point: PointId,
        /// Why the law is open, as written here.
        reason: String,
        /// The condition in the text.
        span: Span,
    },
}

impl Formula {
    /// The formula that always holds (an empty conjunction).
    pub fn truth() -> Formula {
        Formula::And(Vec::new())
    }

    /// Whether the formula is a single condition (a statement, a comparison or an open
    /// point) rather than a combination of others.
    pub fn is_condition(&self) -> bool {
        matches!(
            self,
            Formula::Atom(..) | Formula::Compare { .. } | Formula::Unsettled { .. }
        )
    }

    /// Calls `visit` on this formula and on every formula inside it, each before its parts
    /// (pre-order, parts left to right), with the number of `not`s around it: 0 for this
    /// formula, 1 inside one `not` (an exception, once lowered into the body), and so on.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Formula, usize)) {
        self.walk_under(0, visit);
    }

    fn walk_under<'a>(&'a self, nots: usize, visit: &mut impl FnMut(&'a Formula, usize)) {
        visit(self, nots);
        match self {
            Formula::And(parts) | Formula::Or(parts) => {
                parts.iter().for_each(|p| p.walk_under(nots, visit));
            }
            Formula::Not(inner, _) => inner.walk_under(nots.saturating_add(1), visit),
            Formula::Atom(..) | Formula::Compare { .. } | Formula::Unsettled { .. } => {}
        }
    }

    /// Every atom in the formula with whether it occurs under a negation (at any depth), or
    /// `negated` is already set.
    pub fn atoms(&self, negated: bool, out: &mut Vec<(Atom, bool)>) {
        // Under any number of `not`s, `not (not p)` included: recursion through it has
        // no stratified meaning (SEMANTICS.md, "Recursion").
        self.walk(&mut |f, nots| {
            if let Formula::Atom(a, _) = f {
                out.push((a.clone(), negated || nots > 0));
            }
        });
    }

    /// The points the formula leaves open, in order of appearance (repeats included).
    pub fn unsettled_points(&self, out: &mut Vec<PointId>) {
        self.walk(&mut |f, _| {
            if let Formula::Unsettled { point, .. } = f {
                out.push(*point);
            }
        });
    }
}

/// The deepest formulas are read back (from a compiled knowledge base): a checked formula nests
/// at most [`MAX_NESTING`](crate::syntax::MAX_NESTING) parentheses and `not`s deep, plus the
/// `not` and conjunction that lowering an exception adds. Deeper bytes are damaged ones,
/// refused before they exhaust the stack.
const MAX_READ_DEPTH: usize = 4 * crate::syntax::MAX_NESTING;

thread_local! {
    /// How deep inside formulas the deserialiser of this thread is.
    static READ_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Reads the parts of a formula one level deeper, refusing more than [`MAX_READ_DEPTH`] levels.
fn nested<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let depth = READ_DEPTH.with(|c| {
        let depth = c.get().saturating_add(1);
        c.set(depth);
        depth
    });
    let out = if depth > MAX_READ_DEPTH {
        Err(serde::de::Error::custom(format!(
            "formulas nested more than {MAX_READ_DEPTH} deep"
        )))
    } else {
        T::deserialize(d)
    };
    READ_DEPTH.with(|c| c.set(c.get().saturating_sub(1)));
    out
}

/// A variable of a rule.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VarInfo {
    /// The name as written (`_` for each anonymous variable).
    pub name: String,
    /// The type of the slots it fills; `None` when it fills none (already reported).
    pub ty: Option<TypeId>,
}

/// A checked rule.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    /// The rule's name.
    pub name: String,
    /// The position that wrote this rule (the default position for top-level rules).
    pub origin: PosId,
    /// The conclusion.
    pub head: Atom,
    /// The `if` part (`Formula::truth()` when there is none).
    pub condition: Formula,
    /// The `unless` parts, with their local variables settled.
    pub exceptions: Vec<Formula>,
    /// `condition and not exception1 and not exception2 ...`, what the evaluator runs.
    pub body: Formula,
    /// The `cites` of the rule.
    pub citations: Vec<Cite>,
    /// The `note "..."` texts.
    pub notes: Vec<String>,
    /// The rule's variables, indexed by [`VarId`].
    pub vars: Vec<VarInfo>,
    /// The whole rule.
    pub span: Span,
    /// The span of the rule's name, for diagnostics.
    pub name_span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(pred: u32) -> Formula {
        Formula::Atom(
            Atom {
                pred: PredId(pred),
                args: Vec::new(),
                span: Span::default(),
            },
            pred,
        )
    }

    #[test]
    fn walk_goes_outside_in_and_counts_nots() {
        // p0 and (p1 or not not p2)
        let f = Formula::And(vec![
            atom(0),
            Formula::Or(vec![
                atom(1),
                Formula::Not(
                    Box::new(Formula::Not(Box::new(atom(2)), Vec::new())),
                    Vec::new(),
                ),
            ]),
        ]);
        let mut seen = Vec::new();
        f.walk(&mut |g, nots| {
            let what = match g {
                Formula::And(_) => "and".to_string(),
                Formula::Or(_) => "or".to_string(),
                Formula::Not(..) => "not".to_string(),
                Formula::Atom(a, _) => format!("p{}", a.pred.0),
                Formula::Compare { .. } | Formula::Unsettled { .. } => "?".to_string(),
            };
            seen.push(format!("{what}@{nots}"));
        });
        assert_eq!(
            seen,
            ["and@0", "p0@0", "or@0", "p1@0", "not@0", "not@1", "p2@2"]
        );
        let mut atoms = Vec::new();
        f.atoms(false, &mut atoms);
        let negated: Vec<bool> = atoms.iter().map(|(_, n)| *n).collect();
        assert_eq!(negated, [false, false, true]);
    }

    /// `not not … p0`, `depth` times, alternating with one-part conjunctions.
    fn deep(depth: usize) -> Formula {
        let mut f = atom(0);
        for i in 0..depth {
            f = if i % 2 == 0 {
                Formula::Not(Box::new(f), Vec::new())
            } else {
                Formula::And(vec![f])
            };
        }
        f
    }

    #[test]
    fn formulas_read_back_up_to_a_depth() {
        let bytes = |f: &Formula| postcard::to_allocvec(f).unwrap_or_else(|e| panic!("{e}"));
        let f = deep(MAX_READ_DEPTH);
        assert_eq!(postcard::from_bytes::<Formula>(&bytes(&f)).ok(), Some(f));
        let too_deep = bytes(&deep(MAX_READ_DEPTH + 1));
        let err = postcard::from_bytes::<Formula>(&too_deep).err();
        assert!(err.is_some());
        // The depth is counted back down: a formula read after a refused one reads.
        assert!(postcard::from_bytes::<Formula>(&bytes(&deep(3))).is_ok());
    }
}
