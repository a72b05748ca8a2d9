//! The owned, spanned syntax tree. Nothing from pest appears here: the rest of the crate reads
//! these types only, so the parser could be swapped without touching the checker.

use crate::source::Span;
use serde::Serialize;

/// A whole file: the statements in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct File {
    /// Every statement, in source order.
    pub statements: Vec<Statement>,
}

/// A name as written (a predicate, source, position, rule or constant name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name as written, quotes removed and escapes resolved.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// A quoted text, with escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The text between the quotes, escapes resolved.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// One statement of a file, ended by a full stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Statement {
    /// `source tm2 "Tallinn Manual 2.0".`
    Source(SourceDecl),
    /// `type State from state.` and the other type forms.
    Type(TypeDecl),
    /// `predicate organ_of(actor: Actor, state: State) means "…" reads "…".`
    Predicate(PredicateDecl),
    /// `unsettled sovereignty_below_threshold titled "…".`
    PointTitle(PointTitleDecl),
    /// `rule name: head if condition unless exception cites source "pinpoint".`
    Rule(RuleDecl),
    /// `position uk extends tallinn2 means "…" cites … { … }` (or ending with `.` when empty).
    Position(PositionDecl),
    /// `import "other.opinio".`
    Import(ImportDecl),
    /// `state(norland).`, `not organ_of(a, b).`, `unknown consented(x, y).`
    Fact(Fact),
    /// `expect [under uk] violates_sovereignty(op, victim) = true.`
    Expect(Expect),
}

impl Statement {
    /// The whole statement's place, from its first word to its full stop.
    pub fn span(&self) -> Span {
        match self {
            Statement::Source(s) => s.span,
            Statement::Type(s) => s.span,
            Statement::Predicate(s) => s.span,
            Statement::PointTitle(s) => s.span,
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

/// `source NAME "TITLE".`: a legal instrument or State document that rules cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceDecl {
    /// The short name citations use (`tm2`, `arsiwa`).
    pub name: Name,
    /// The full title of the instrument.
    pub title: Text,
    /// `dated 2018-05-23`: when the document was published, as written (the checker reads it).
    pub date: Option<Name>,
    /// The whole statement.
    pub span: Span,
}

/// `import "PATH".`: another file of the same knowledge base this file builds on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportDecl {
    /// The path, relative to the importing file's folder.
    pub path: Text,
    /// The whole statement.
    pub span: Span,
}

/// Where a type's values come from.
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

/// `type NAME …`: a kind of value predicates take (`State`, `Operation`, `Effect`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDecl {
    /// The type's name, capitalised by convention.
    pub name: Name,
    /// Where its values come from.
    pub body: TypeBody,
    /// The whole statement.
    pub span: Span,
}

/// One argument place of a predicate: `victim: State`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// The slot's name, used in explanations and questions.
    pub name: Name,
    /// The type of its values.
    pub ty: Name,
}

/// `cites SOURCE "PINPOINT"`: the authority for a rule, predicate or position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The declared source's short name.
    pub source: Name,
    /// Where in the source: rule, article, commentary paragraph, section (`"Rule 4, para. 10"`).
    pub pinpoint: Option<Text>,
    /// The citation as written.
    pub span: Span,
}

/// `predicate NAME(SLOTS) [closed] [functional] [means "…"] [reads "…"] [cites …] [note "…"].`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredicateDecl {
    /// The predicate's name.
    pub name: Name,
    /// Its argument places, in order; the arity is their number.
    pub slots: Vec<Slot>,
    /// Where `closed` was written, if it was: what is not stated is false, not unknown.
    pub closed: Option<Span>,
    /// Where `functional` was written, if it was: the last slot has at most one value for the
    /// others.
    pub functional: Option<Span>,
    /// What the predicate means, in words, shown in explanations and questions.
    pub meaning: Option<Text>,
    /// `reads "{op} violates the sovereignty of {victim}"`: how its statements read in plain
    /// language.
    pub reading: Option<Reading>,
    /// Authorities for the predicate's meaning.
    pub citations: Vec<Citation>,
    /// Remarks shown with explanations (limits of the encoding, caveats).
    pub notes: Vec<Text>,
    /// The whole statement.
    pub span: Span,
}

/// `reads "TEMPLATE"`: how a predicate's statements read in plain language. The template is
/// words with `{slot}` placeholders, each replaced by that slot's value (`"{op} violates the
/// sovereignty of {victim}"`). Braces do nothing else: a text cannot hold a brace of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// The template as written (quotes removed, escapes resolved).
    pub text: Text,
    /// The template cut into words and placeholders, in order.
    pub parts: Vec<ReadingPart>,
    /// Braces that open or close no placeholder (`"{op violates"`, `"op} violates"`), each
    /// with its place in the file.
    pub stray_braces: Vec<Span>,
}

/// A piece of a [`Reading`]'s template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReadingPart {
    /// Words shown as they are (escapes resolved).
    Words(String),
    /// `{slot}`: the name between the braces as written, and the place of the placeholder
    /// in the file, braces included.
    Slot(Name),
}

/// `unsettled POINT titled "TITLE".`: the short title of an open point of law, shown where its
/// full reason would be too long (a summary line, a memo's heading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointTitleDecl {
    /// The point, as some rule raises it with `unsettled(POINT, "…")`.
    pub point: Name,
    /// The short title ("sovereignty below the damage threshold").
    pub title: Text,
    /// The whole statement.
    pub span: Span,
}

/// `rule NAME: BODY.` at the top level, or inside a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleDecl {
    /// The rule's name, unique in the knowledge base; positions withdraw or replace by it.
    pub name: Name,
    /// What the rule concludes, when, and on whose authority.
    pub body: RuleBody,
    /// The whole statement.
    pub span: Span,
}

/// `HEAD [if CONDITION] [unless EXCEPTION]… cites … [note "…"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBody {
    /// The conclusion.
    pub head: Atom,
    /// The condition after `if`; none for a rule that always holds.
    pub condition: Option<Formula>,
    /// The formulas after each `unless`: the rule does not apply when one of them holds.
    pub exceptions: Vec<Formula>,
    /// The rule's authorities.
    pub citations: Vec<Citation>,
    /// Remarks shown with explanations.
    pub notes: Vec<Text>,
}

/// A comparison between two terms. `<`, `<=`, `>`, `>=` need an ordered type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum CmpOp {
    /// `=`: the same constant (binds a variable from the other side).
    Eq,
    /// `!=`: different constants.
    Ne,
    /// `<`: earlier in the ordered type's order.
    Lt,
    /// `<=`: earlier or the same.
    Le,
    /// `>`: later in the order.
    Gt,
    /// `>=`: later or the same.
    Ge,
}

impl CmpOp {
    /// The operator as written: `=`, `!=`, `<`, `<=`, `>`, `>=`.
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

/// A condition of a rule, in three values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Formula {
    /// `a and b and …`: true if all parts are, false if one is.
    And(Vec<Formula>, Span),
    /// `a or b or …`: true if one part is, false if all are.
    Or(Vec<Formula>, Span),
    /// `not a`: the part's value reversed (unknown stays unknown).
    Not(Box<Formula>, Span),
    /// A predicate applied to terms.
    Atom(Atom),
    /// `LEFT OP RIGHT`, e.g. `S != V` or `Gravity >= significant`.
    Compare {
        /// The left term.
        left: Term,
        /// The operator.
        op: CmpOp,
        /// The right term.
        right: Term,
        /// The whole comparison.
        span: Span,
    },
    /// `unsettled(POINT, "REASON")`: an open point of law, unknown unless a position
    /// settles it.
    Unsettled {
        /// The point's name, which positions settle by.
        point: Name,
        /// Why the law is divided, in words.
        reason: Text,
        /// The whole formula.
        span: Span,
    },
}

impl Formula {
    /// The formula's place in its file.
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

/// `predicate(term, …)`: a predicate applied to arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Atom {
    /// The predicate's name.
    pub predicate: Name,
    /// The arguments, one per slot.
    pub args: Vec<Term>,
    /// The whole atom.
    pub span: Span,
}

/// An argument: a variable or a constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Term {
    /// A capitalised name (`Op`, `State`), or `_` for a fresh, unnamed variable.
    Variable(Name),
    /// A constant, bare (`russia`) or quoted (`"Fancy Bear"`); both name the same kind of thing.
    Constant(Name),
    /// A date literal (`2017-06-27`), as written; the checker reads it as a [`crate::Date`].
    Date(Name),
}

impl Term {
    /// Where the term was written.
    pub fn span(&self) -> Span {
        match self {
            Term::Variable(n) | Term::Constant(n) | Term::Date(n) => n.span,
        }
    }
}

/// `position NAME [default] [extends PARENT] [means "…"] [cites …] { ITEMS }`: a reading of the
/// law (a State's, a manual's) that adds, replaces, withdraws rules and settles open points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionDecl {
    /// The position's name (`tallinn2`, `uk`).
    pub name: Name,
    /// Where `default` was written, if it was: the position asked when none is named.
    pub is_default: Option<Span>,
    /// The position it starts from; by default, the default position.
    pub extends: Option<Name>,
    /// `dated 2018-05-23`: when the position was published, as written (the checker reads it).
    pub date: Option<Name>,
    /// Whose view this is, in words.
    pub meaning: Option<Text>,
    /// The documents stating the position.
    pub citations: Vec<Citation>,
    /// What the position changes, in order.
    pub items: Vec<PositionItem>,
    /// The whole statement.
    pub span: Span,
}

/// One change a position makes to the position it extends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PositionItem {
    /// `rule NAME: …` inside the position: a rule only this position holds.
    Add(RuleDecl),
    /// `replace NAME: …`: this position's version of an inherited rule of the same name.
    Replace(RuleDecl),
    /// `withdraw NAME cites …`: the position rejects an inherited rule.
    Withdraw {
        /// The rule withdrawn.
        rule: Name,
        /// Where the position says so.
        citations: Vec<Citation>,
        /// The whole item.
        span: Span,
    },
    /// `affirm NAME cites …`: the position expressly endorses an inherited rule or point.
    Affirm {
        /// The rule or point endorsed.
        target: Name,
        /// Where the position says so.
        citations: Vec<Citation>,
        /// The whole item.
        span: Span,
    },
    /// `unverified NAME, NAME cites … note "…".`: the position's document speaks to these rules,
    /// predicates or points, but what it says has not been verified, so nothing is encoded. Changes
    /// no value; explanations say "not encoded: not verified" instead of calling the State silent.
    Unverified {
        /// The rules, predicates or unsettled points concerned.
        names: Vec<Name>,
        /// Where the document speaks to them.
        citations: Vec<Citation>,
        /// What is known of the passage, in words.
        notes: Vec<Text>,
        /// The whole item.
        span: Span,
    },
    /// `settle POINT = true|false cites ….`: the position's answer to an open point of law.
    Settle {
        /// The open point settled.
        point: Name,
        /// The answer.
        value: bool,
        /// Where the position says so.
        citations: Vec<Citation>,
        /// The whole item.
        span: Span,
    },
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
/// A value in Opinio's three-valued logic (strong Kleene).
pub enum Truth {
    /// Established by the facts and the law.
    True,
    /// Excluded by the facts and the law.
    False,
    /// Neither: a fact is missing or a point of law is open.
    Unknown,
}

impl Truth {
    /// `"true"`, `"false"` or `"unknown"`, as written in the language and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

/// A stated fact: `atom.` (true), `not atom.` (false), `unknown atom.` (open on purpose).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The value stated.
    pub value: Truth,
    /// The fact, without variables.
    pub atom: Atom,
    /// The whole statement.
    pub span: Span,
}

/// `expect [under POSITION] GOAL = VALUE.`: a test case, checked by `Scenario::run_expectations` (and `opinio test`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expect {
    /// The position asked; the default position if none.
    pub position: Option<Name>,
    /// The goal, without variables.
    pub goal: Atom,
    /// The value expected.
    pub value: Truth,
    /// The whole statement.
    pub span: Span,
}
