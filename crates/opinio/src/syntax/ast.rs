//! The owned, spanned syntax tree. Nothing from pest appears here: the rest of the crate reads
//! these types only, so the parser could be swapped without touching the checker.

use crate::source::Span;
use serde::Serialize;

/// A whole file: the statements in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct File {
    pub statements: Vec<Statement>,
}

/// A name as written (a predicate, source, position, rule or constant name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A quoted text, with escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Statement {
    Source(SourceDecl),
    Type(TypeDecl),
    Predicate(PredicateDecl),
    Rule(RuleDecl),
    Position(PositionDecl),
    Import(ImportDecl),
    Fact(Fact),
    Expect(Expect),
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Source(s) => s.span,
            Statement::Type(s) => s.span,
            Statement::Predicate(s) => s.span,
            Statement::Rule(s) => s.span,
            Statement::Position(s) => s.span,
            Statement::Import(s) => s.span,
            Statement::Fact(s) => s.span,
            Statement::Expect(s) => s.span,
        }
    }

    /// Whether a scenario file may hold this statement (facts, expectations).
    pub fn is_scenario_statement(&self) -> bool {
        matches!(self, Statement::Fact(_) | Statement::Expect(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceDecl {
    pub name: Name,
    pub title: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportDecl {
    pub path: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeBody {
    /// `type Actor.` — the domain is the constants stated in its slots.
    Open,
    /// `type Scale = minor < significant < grave.`
    Ordered(Vec<Name>),
    /// `type Effect = a | b | c.`
    Enumerated(Vec<Name>),
    /// `type State from state.` — the domain is what a closed predicate lists.
    From(Name),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDecl {
    pub name: Name,
    pub body: TypeBody,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub name: Name,
    pub ty: Name,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub source: Name,
    pub pinpoint: Option<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredicateDecl {
    pub name: Name,
    pub slots: Vec<Slot>,
    pub closed: Option<Span>,
    pub functional: Option<Span>,
    pub meaning: Option<Text>,
    pub citations: Vec<Citation>,
    pub notes: Vec<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleDecl {
    pub name: Name,
    pub body: RuleBody,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBody {
    pub head: Atom,
    pub condition: Option<Formula>,
    pub exceptions: Vec<Formula>,
    pub citations: Vec<Citation>,
    pub notes: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Formula {
    And(Vec<Formula>, Span),
    Or(Vec<Formula>, Span),
    Not(Box<Formula>, Span),
    Atom(Atom),
    Compare {
        left: Term,
        op: CmpOp,
        right: Term,
        span: Span,
    },
    Unsettled {
        point: Name,
        reason: Text,
        span: Span,
    },
}

impl Formula {
    pub fn span(&self) -> Span {
        match self {
            Formula::And(_, s) | Formula::Or(_, s) | Formula::Not(_, s) => *s,
            Formula::Atom(a) => a.span,
            Formula::Compare { span, .. } | Formula::Unsettled { span, .. } => *span,
        }
    }

    /// Calls `visit` on this formula and on every formula inside it, each before its parts
    /// (pre-order, parts left to right), with the number of `not`s around it (0 for this
    /// formula). The checked program's formulas have the same walker,
    /// [`program::Formula::walk`](crate::program::Formula::walk).
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Formula, usize)) {
        self.walk_under(0, visit);
    }

    fn walk_under<'a>(&'a self, nots: usize, visit: &mut impl FnMut(&'a Formula, usize)) {
        visit(self, nots);
        match self {
            Formula::And(parts, _) | Formula::Or(parts, _) => {
                parts.iter().for_each(|p| p.walk_under(nots, visit));
            }
            Formula::Not(inner, _) => inner.walk_under(nots.saturating_add(1), visit),
            Formula::Atom(_) | Formula::Compare { .. } | Formula::Unsettled { .. } => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Atom {
    pub predicate: Name,
    pub args: Vec<Term>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Term {
    Variable(Name),
    /// A constant, bare (`russia`) or quoted (`"Fancy Bear"`); both name the same kind of thing.
    Constant(Name),
}

impl Term {
    pub fn span(&self) -> Span {
        match self {
            Term::Variable(n) | Term::Constant(n) => n.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionDecl {
    pub name: Name,
    pub is_default: Option<Span>,
    pub extends: Option<Name>,
    pub meaning: Option<Text>,
    pub citations: Vec<Citation>,
    pub items: Vec<PositionItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PositionItem {
    Add(RuleDecl),
    Replace(RuleDecl),
    Withdraw {
        rule: Name,
        citations: Vec<Citation>,
        span: Span,
    },
    Affirm {
        target: Name,
        citations: Vec<Citation>,
        span: Span,
    },
    Settle {
        point: Name,
        value: bool,
        citations: Vec<Citation>,
        span: Span,
    },
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub value: Truth,
    pub atom: Atom,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expect {
    pub position: Option<Name>,
    pub goal: Atom,
    pub value: Truth,
    pub span: Span,
}
