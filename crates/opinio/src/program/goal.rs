//! A question put to a scenario: a checked atom whose arguments are constants or variables.

use super::formula::{Atom, Term};
use super::ids::{PredId, VarId};
use super::Program;
use crate::source::Span;

/// A checked question, such as `violates_sovereignty(Op, ukraine)`: its atom (predicate and
/// arguments resolved to ids) and the names of its variables as written, in order of first
/// appearance. [`Scenario::parse_goal`](crate::Scenario::parse_goal) makes one from text;
/// [`Goal::every_instance`] asks for every instance of a predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    atom: Atom,
    variables: Vec<String>,
}

impl Goal {
    /// A goal from a checked atom and the names of its variables (variable `i` of the atom is
    /// named `variables[i]`).
    pub(crate) fn new(atom: Atom, variables: Vec<String>) -> Goal {
        Goal { atom, variables }
    }

    /// The question `pred(X0, …, Xn-1)`, every argument a variable named by its slot number:
    /// it asks for every instance of `pred`. A predicate with no slots gives the ground goal
    /// `pred`.
    pub fn every_instance(program: &Program, pred: PredId) -> Goal {
        let arity = program.predicate(pred).arity();
        let atom = Atom {
            pred,
            args: (0..arity)
                .map(|v| Term::Var(VarId::from_index(v)))
                .collect(),
            span: Span::default(),
        };
        Goal::new(atom, (0..arity).map(|v| format!("X{v}")).collect())
    }

    /// The checked atom.
    pub fn atom(&self) -> &Atom {
        &self.atom
    }

    /// The predicate asked about.
    pub fn predicate(&self) -> PredId {
        self.atom.pred
    }

    /// The variables' names, as written (`Op`), in order of first appearance.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Whether the goal has no variable: it asks for one atom's value.
    pub fn is_ground(&self) -> bool {
        self.variables.is_empty()
    }
}
