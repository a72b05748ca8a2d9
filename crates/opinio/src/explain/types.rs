//! The data of an explanation: typed nodes, bases, atoms and notes. No English here: every
//! type prints (and serialises) through the words in [`super::text`].

use crate::date::Date;
use crate::program::{PredId, Tuple};
use crate::source::Span;
use crate::syntax::ast::{CmpOp, Truth};
use serde::Serialize;

/// A ground atom, with its ids (to state or evaluate it) and its names (to print it).
///
/// Prints as the language writes it (`coercive(op, 'a b')`); serialises as that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroundAtom {
    /// The predicate's id in the program.
    pub pred: PredId,
    /// The constants' ids, one per argument.
    pub args: Tuple,
    /// The predicate's name.
    pub predicate: String,
    /// The constants' names, unquoted, one per argument.
    pub names: Vec<String>,
    /// The atom as the language writes it, what `Display` prints: `pred(a, "b c")`, each
    /// constant quoted where the parser needs it to read it back (a name written like a date,
    /// `"2019-01-02"`, in a slot of another type than `Date` included).
    pub code: String,
    /// The atom in plain words, as the predicate's `reads` phrases it (the code form when it
    /// declares none).
    pub text: String,
}

impl GroundAtom {
    /// Whether this is the atom `pred(args)`.
    pub fn is(&self, pred: PredId, args: &[crate::program::Sym]) -> bool {
        self.pred == pred && self.args.as_slice() == args
    }
}

/// An argument of a pattern that is not fully ground: a constant or an unbound variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A constant's name, unquoted.
    Name(String),
    /// A variable's name as written in the rule.
    Variable(String),
}

/// What a node of the tree is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// A ground atom.
    Atom(GroundAtom),
    /// An atom with variables local to a negation (`p(X, b)`).
    Pattern {
        /// The predicate's name.
        predicate: String,
        /// The arguments.
        args: Vec<Term>,
    },
    /// `not ...`.
    Not(Box<Label>),
    /// An exception of a rule (`unless ...`), shown without the `not` the body wraps it in.
    Exception(Box<Label>),
    /// Parts joined by `and` (`or: false`) or `or` (`or: true`).
    Connective {
        /// Whether the parts are alternatives.
        or: bool,
        /// The parts' labels, in order.
        parts: Vec<Label>,
    },
    /// A comparison of two names (`S != V`).
    Comparison {
        /// The left side.
        left: Term,
        /// The operator.
        op: CmpOp,
        /// The right side.
        right: Term,
    },
    /// An open point of law, by name.
    OpenPoint(String),
    /// Alternative ways of concluding the parent, by one rule, folded into one line because
    /// they rest only on missing facts none of which can change the answer.
    Folded {
        /// The rule.
        rule: String,
        /// For each way folded, the reading of the part that tells it apart ("op is attributable
        /// to ukraine"); empty where no single atom does.
        through: Vec<String>,
    },
    /// One instance of a rule and the atom it would conclude (`None` if not ground).
    RuleInstance {
        /// The rule's name.
        rule: String,
        /// The conclusion, ground.
        head: Option<GroundAtom>,
    },
}

impl Label {
    /// For an exception (`unless X`): `X`, as written (`unless not X` gives `not X`).
    pub fn unless_part(&self) -> Option<&Label> {
        match self {
            Label::Exception(inner) => Some(inner),
            _ => None,
        }
    }
}

/// What decided a node's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Basis {
    /// Stated in the scenario (or the knowledge base).
    Stated,
    /// Not stated; the predicate is closed, so false.
    ClosedWorld,
    /// Not stated; another value of a functional predicate is stated.
    Functional {
        /// The value stated instead (serialised as `""` if none was found).
        #[serde(serialize_with = "super::text::serialize_optional_atom")]
        stated: Option<GroundAtom>,
    },
    /// Not stated, and about a constant outside a type taken from a closed predicate
    /// (`type Org from org.`): the scenario does not list it, so nothing holds of it.
    OutsideDomain {
        /// The constant, as written.
        constant: String,
        /// The listing that would bring it in, e.g. `org(o1)`.
        listing: String,
    },
    /// Not stated, and nothing makes it false: a missing fact.
    MissingFact,
    /// Stated as a premise for argument's sake, overriding the rules.
    Stipulated,
    /// A rule instance (or, for false, all the rules that could have concluded it).
    Rule {
        /// The rule's name.
        name: String,
        /// Its citations, each `source-key pinpoint`.
        citations: Vec<String>,
    },
    /// Every rule that could conclude it failed.
    AllRulesFail,
    /// No rule in force concludes it.
    NoRule {
        /// The predicate's citations.
        citations: Vec<String>,
    },
    /// A point of law the experts are divided on.
    UnsettledLaw {
        /// The point's name.
        point: String,
        /// Why it is open, as the knowledge base states it.
        reason: String,
    },
    /// An open point settled by a position.
    Settled {
        /// The point's name.
        point: String,
        /// The position that settled it.
        by: String,
        /// The settlement's citations.
        citations: Vec<String>,
    },
    /// A comparison of two names.
    Comparison,
    /// A negation (`not`, `unless`): the value of its part, reversed.
    Negation,
    /// Parts joined by `or` / `and`.
    Connective,
    /// Already explained higher up in the tree.
    SeeAbove,
    /// Ways that cannot change the answer, folded (see [`Label::Folded`]).
    Folded,
    /// Not expanded further (depth limit).
    Elided,
}

/// Why a node has its value, for a reader; printed by the `text` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Nothing to add to the basis.
    None,
    /// Stipulated with this value.
    Stipulated(Truth),
    /// Stated with this value (true or false).
    Stated(Truth),
    /// Stated as unknown.
    StatedUnknown,
    /// Not stated, and the predicate is closed.
    ClosedWorld,
    /// Another value of a functional predicate is stated (`None`: none was found).
    Functional(Option<GroundAtom>),
    /// About a constant the scenario does not list among a type's values: the constant,
    /// the type, and the listing that would bring it in (`org(o1)`).
    OutsideDomain(String, String, String),
    /// Nobody stated it.
    MissingFact,
    /// Explained higher up.
    SeeAbove,
    /// The depth limit was reached.
    Elided,
    /// No rule in force concludes it.
    NoRuleInForce,
    /// The rules that would conclude it are withdrawn.
    RulesWithdrawn,
    /// This rule concludes it.
    Rule(String),
    /// This rule could conclude it but cannot yet be applied or excluded.
    RuleUndecided(String),
    /// This many rule instances could conclude it; none is certain.
    Ways(usize),
    /// No rule that could conclude it applies.
    NoRuleApplies,
    /// A pattern without a matching case.
    NoSuchCase,
    /// A pattern with a (possible) matching case.
    SomeCase,
    /// A negation; the value of the negation.
    Negation(Truth),
    /// An `or`: one part suffices.
    OneSuffices,
    /// An `and`: every part is needed.
    AllNeeded,
    /// An open point settled by a position.
    Settled {
        /// Settled in favour (true) or against.
        in_favour: bool,
        /// The position that settled it.
        by: String,
    },
    /// An open point of law, with why it is open.
    UnsettledLaw(String),
    /// The rule's conclusion cannot match these names.
    NotForTheseNames,
    /// The rule's first condition fails.
    FirstConditionFails,
    /// One of the rule's exceptions applies.
    ExceptionApplies,
    /// One of the rule's conditions fails.
    ConditionFails,
    /// The rule does not apply.
    DoesNotApply,
}

/// Why a position's conclusion is not its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inherited {
    /// The position says nothing here; the default position's view applies.
    Silent {
        /// The position asked about.
        position: String,
        /// The default position.
        default: String,
    },
    /// The position takes a rule over from another (non-default) position.
    TakenOver {
        /// The position asked about.
        position: String,
        /// The position the rule comes from.
        from: String,
    },
    /// Inherited, found without expanding the node (compact answers).
    Unexpanded,
    /// The position's document speaks to this point, but what it says has not been verified,
    /// so nothing of it is encoded (`unverified`): the default view is shown. Never "silent".
    Unverified {
        /// The position asked about.
        position: String,
        /// The position whose `unverified` statement this is (itself or one it extends).
        by: String,
        /// The default position.
        default: String,
        /// Where the document speaks to it.
        citations: Vec<String>,
    },
}

/// An element of a position (a rule, a settlement) that rests only on a document published
/// after the reference date: the date asked as of, or the operation's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterStatement {
    /// The earliest publication date among the element's cited documents.
    pub published: Date,
    /// That document's source key.
    pub source: String,
    /// The reference date it is later than.
    pub reference: Date,
    /// Whether the reference is the date asked as of (`true`) or the operation's date.
    pub as_of: bool,
}

/// When an explanation is set in time: the date asked as of, the operation's date, and the
/// positions that did not yet exist (LAW-2.md §8). Values never depend on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeContext {
    /// The date the question was asked as of (`--as-of`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The date the operation in the question occurred (`occurred_on`), if stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_date: Option<Date>,
    /// When the position explained was published, if the knowledge base dates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_published: Option<Date>,
    /// Positions published after the reference date (the date asked as of, or else the
    /// operation's date), by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_yet_published: Vec<String>,
}

/// A position's express endorsement of an inherited treatment (`affirm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endorsement {
    /// The endorsing position.
    pub by: String,
    /// Its citations.
    pub citations: Vec<String>,
}

/// Rules that concluded a node but are withdrawn by one position on one authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    /// The rules' names, sorted.
    pub rules: Vec<String>,
    /// The withdrawing position.
    pub by: String,
    /// The withdrawal's citations.
    pub citations: Vec<String>,
}

/// One node of an explanation tree.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// What the node is about: an atom, `not ...`, `S != V`, an open point, a rule instance.
    #[serde(serialize_with = "super::text::serialize_display")]
    pub label: Label,
    /// The node's value.
    pub value: Truth,
    /// What decided the value.
    pub basis: Basis,
    /// Why, for a reader (serialised as a sentence, `""` for none).
    #[serde(serialize_with = "super::text::serialize_display")]
    pub reason: Reason,
    /// Set when the position merely inherits this conclusion.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::text::serialize_optional"
    )]
    pub inherited: Option<Inherited>,
    /// Notes of the rule or predicate as the knowledge base states them: limits, caveats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Rules the position withdrew that would otherwise conclude this.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::text::serialize_all"
    )]
    pub withdrawn: Vec<Withdrawn>,
    /// Set when the position expressly endorses the inherited treatment (`affirm`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::text::serialize_optional"
    )]
    pub endorsed: Option<Endorsement>,
    /// Set when this element of the position rests only on a document published after the
    /// date the question is asked as of (or after the operation): LAW-2.md §8. Never changes
    /// the value.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::text::serialize_optional"
    )]
    pub later_statement: Option<LaterStatement>,
    /// The parts the value rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// Whether the position's own words (its rules, withdrawals, settlements) decide this
    /// node or anything below it: such a conclusion is never "inherited".
    #[serde(skip)]
    pub(crate) touched: bool,
}

impl Node {
    /// A leaf with a label, a value and a basis; everything else empty.
    pub(crate) fn new(label: Label, value: Truth, basis: Basis) -> Node {
        Node {
            label,
            value,
            basis,
            reason: Reason::None,
            inherited: None,
            notes: Vec::new(),
            withdrawn: Vec::new(),
            endorsed: None,
            later_statement: None,
            children: Vec::new(),
            touched: false,
        }
    }

    /// The rule of a rule-instance node (`by rule NAME: ...`), if it is one.
    pub fn rule_instance(&self) -> Option<&str> {
        match &self.label {
            Label::RuleInstance { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

/// A base fact and a value for it; prints as the language states it (`not p(a)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FactValue {
    /// The fact.
    #[serde(serialize_with = "super::text::serialize_display")]
    pub atom: GroundAtom,
    /// The value it would take.
    pub value: Truth,
}

/// A point of law left open on the way to an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsettledPoint {
    /// The point's name.
    pub point: String,
    /// Its short title (`titled`), or its name in words when it has none.
    pub title: String,
    /// Why it is open, as the knowledge base states it.
    pub reason: String,
}

/// A stipulation that contradicts what the rules derive from the stated facts alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StipulationNote {
    /// The stipulated atom.
    pub atom: GroundAtom,
    /// The value stipulated.
    pub stipulated: Truth,
    /// The value the rules derive without the stipulations (true or false).
    pub derived: Truth,
    /// Where the stipulation is stated.
    pub span: Span,
}

/// How much of a list is shown: `shown` items of `total`, and whether `total` is exact
/// (`false`: the search stopped early, so there are at least `total`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// How many items the list holds.
    pub shown: usize,
    /// How many there are (at least, when not `exact`).
    pub total: usize,
    /// Whether `total` is exact.
    pub exact: bool,
}

impl Shown {
    /// Whether the list holds everything there is.
    pub fn is_complete(&self) -> bool {
        self.exact && self.shown >= self.total
    }
}

/// What limited the search for settling sets: the missing facts tried, and the sets found
/// each way. Each front end words its own hint when a list is cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SettlingLimits {
    /// The missing facts tried, of those the answer rests on.
    pub candidates: Shown,
    /// The sets shown that make it true, of those found.
    pub true_sets: Shown,
    /// The sets shown that make it false, of those found.
    pub false_sets: Shown,
}

impl SettlingLimits {
    /// Whether no search was made.
    pub fn is_empty(&self) -> bool {
        *self == SettlingLimits::default()
    }

    /// Whether nothing was cut.
    pub fn is_complete(&self) -> bool {
        self.candidates.is_complete()
            && (self.true_sets.total == 0 || self.true_sets.is_complete())
            && (self.false_sets.total == 0 || self.false_sets.is_complete())
    }
}

/// A whole explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The atom explained.
    #[serde(serialize_with = "super::text::serialize_display")]
    pub atom: GroundAtom,
    /// Its value.
    pub value: Truth,
    /// The position it is explained under.
    pub position: String,
    /// Why, as a tree.
    pub tree: Node,
    /// For `unknown`: the base facts nobody stated that the answer rests on, sorted by text.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::text::serialize_all"
    )]
    pub missing_facts: Vec<GroundAtom>,
    /// For `unknown`: the points of law left open on the way.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsettled_points: Vec<UnsettledPoint>,
    /// Smallest sets of missing facts that would make the answer true (verified).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_make_true: Vec<Vec<FactValue>>,
    /// Smallest sets of missing facts that would make the answer false (verified).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_make_false: Vec<Vec<FactValue>>,
    /// True when no assignment of the missing facts settles the answer: the law is open.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cannot_be_settled_by_facts_alone: bool,
    /// True when making the answer true needs the law settled, whatever the facts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub true_needs_settled_law: bool,
    /// True when making the answer false needs the law settled, whatever the facts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub false_needs_settled_law: bool,
    /// What limited the search for settling sets (all zero when there was none).
    #[serde(skip_serializing_if = "SettlingLimits::is_empty")]
    pub settling_limits: SettlingLimits,
    /// For `unknown`: why, in short — missing facts, divided law or both, the facts and points
    /// that can change the answer, and how every position answers (set by the scenario).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<super::UnknownReason>,
    /// The dates the answer was given as of, when any are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeContext>,
    /// Stipulations that contradict the rules.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::text::serialize_all"
    )]
    pub stipulation_notes: Vec<StipulationNote>,
}

impl Explanation {
    /// Whether a missing fact of this explanation is stated `unknown` on purpose in the
    /// scenario (`unknown p(a).`) rather than stated by nobody.
    pub fn is_stated_unknown(&self, fact: &GroundAtom) -> bool {
        self.unknown
            .as_ref()
            .is_some_and(|u| u.stated_unknown.contains(fact))
    }

    /// What follows a missing fact in a list for a reader: ` (stated unknown)` for one
    /// [`Explanation::is_stated_unknown`], nothing otherwise.
    pub fn stated_unknown_mark(&self, fact: &GroundAtom) -> &'static str {
        self.unknown
            .as_ref()
            .map_or("", |u| u.stated_unknown_mark(fact))
    }
}

/// What decided an answer, in short (for comparison tables and one-line reasons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decider {
    /// One rule.
    Rule(String),
    /// Rules that could conclude it, none certain yet; `more`: further rules not listed.
    Undecided {
        /// The rules' names (at most three).
        rules: Vec<String>,
        /// Whether more rules were left off.
        more: bool,
    },
    /// Rules that could have concluded it, none applying; `more`: further rules not listed.
    NoneApplies {
        /// The rules' names (at most three).
        rules: Vec<String>,
        /// Whether more rules were left off.
        more: bool,
    },
    /// The rules that would conclude it are withdrawn.
    Withdrawn(Vec<Withdrawn>),
    /// No rule in force concludes it.
    NoRule,
    /// Stated.
    Stated,
    /// Stipulated.
    Stipulated,
    /// Not stated, and the predicate is closed.
    ClosedWorld,
    /// A missing fact.
    MissingFact,
    /// Anything else, by the top node's reason.
    Other(Reason),
}

/// What decided an answer under a position, and whether the position merely inherits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The rule, fact or absence that decided it.
    pub decider: Decider,
    /// The position's express endorsement, if any.
    pub endorsed: Option<Endorsement>,
    /// Whether the position merely inherits the conclusion.
    pub inherited: bool,
    /// Whether the position's document speaks to it without having been verified (`unverified`).
    pub unverified: bool,
    /// An element the answer rests on that was published after the reference date, if any.
    pub later_statement: Option<LaterStatement>,
}
