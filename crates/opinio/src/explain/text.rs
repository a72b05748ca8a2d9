//! Every English word of an explanation: labels, reasons, inheritance, withdrawals, notes,
//! the short "decided by" line and the headings of the text rendering. Changing a sentence
//! here changes what is printed, never what the program does: nothing branches on this text.

use super::reasons::{PositionSplit, UnknownClass, UnknownKind, UnknownReason};
use super::types::*;
use crate::syntax::ast::Truth;
use crate::syntax::quote_if_needed;
use serde::Serializer;
use std::fmt::{self, Display, Formatter};

/// Headings and fixed phrases of the text rendering.
pub(crate) mod words {
    /// Introduces the reason of the explanation's root.
    pub const BECAUSE: &str = "because";
    /// Heading of the missing facts.
    pub const MISSING_FACTS: &str = "Missing facts this answer rests on:";
    /// Heading of the open points.
    pub const OPEN_POINTS: &str = "Points of law left open:";
    /// Heading of the sets of facts that would make the answer true.
    pub const WOULD_MAKE_TRUE: &str = "Facts that would make it true:";
    /// Heading of the sets of facts that would make the answer false.
    pub const WOULD_MAKE_FALSE: &str = "Facts that would make it false:";
    /// Introduces what decided the answer, in the summary.
    pub const DECIDED_BY: &str = "decided by";
    /// Introduces why an answer is unknown, in the summary.
    pub const WHY_UNKNOWN: &str = "why unknown";
    /// Under a heading of sets, when only settled law could get there.
    pub const NEEDS_SETTLED_LAW: &str =
        "none: the open points of law would have to be settled first";
    /// When facts alone cannot settle the answer.
    pub const CANNOT_BE_SETTLED: &str =
        "This cannot be settled by facts alone: it turns on the open points of law above.";
    /// Introduces a stipulation note.
    pub const NOTE: &str = "Note";
    /// Introduces a note of the knowledge base.
    pub const NOTE_INLINE: &str = "note";
    /// Introduces a withdrawn rule.
    pub const NOT_IN_FORCE: &str = "not in force";
    /// Introduces a rule's citations.
    pub const CITES: &str = "cites";
    /// The label of a stipulation diagnostic.
    pub const STIPULATED_HERE: &str = "stipulated here";

    use super::super::types::Shown;

    /// `first 5 of 12` (or `of at least 12`), with the front end's hint for more.
    pub fn sets_cut(count: Shown, hint: Option<&str>) -> String {
        let mut s = if count.shown < count.total {
            format!(
                "first {} of {}{}",
                count.shown,
                if count.exact { "" } else { "at least " },
                count.total
            )
        } else {
            "the search stopped before it had tried every combination: there may be more"
                .to_string()
        };
        if let Some(h) = hint {
            s.push_str("; ");
            s.push_str(h);
        }
        s
    }

    /// When only some of the missing facts were tried in the search for settling sets.
    pub fn candidates_cut(count: Shown, hint: Option<&str>) -> String {
        let mut s = format!(
            "only {} of the {} missing facts were tried for these sets",
            count.shown, count.total
        );
        if let Some(h) = hint {
            s.push_str("; ");
            s.push_str(h);
        }
        s
    }

    /// Where the tree is cut at the depth asked for.
    pub fn deeper_left_out(lines: usize) -> String {
        if lines == 1 {
            "… 1 more line below, left out at this depth".to_string()
        } else {
            format!("… {lines} more lines below, left out at this depth")
        }
    }

    /// Ways of concluding a node that the tree does not show.
    pub fn ways_not_shown(n: usize) -> String {
        if n == 1 {
            "… 1 more way, not shown here (the missing facts below include what it rests on)"
                .to_string()
        } else {
            format!("… {n} more ways, not shown here (the missing facts below include what they rest on)")
        }
    }

    /// Alternatives folded into one line: the rule, and the part that tells each apart.
    pub fn folded_alternatives(rule: &str, through: &[String]) -> String {
        let shown: Vec<&str> = through
            .iter()
            .filter(|t| !t.is_empty())
            .map(String::as_str)
            .collect();
        let via = if shown.is_empty() {
            String::new()
        } else {
            format!(" (through: {})", shown.join("; "))
        };
        if through.len() == 1 {
            format!(
                "1 other way by rule {rule}{via} turns only on facts nobody stated, none of which can change the answer"
            )
        } else {
            format!(
                "{} other ways by rule {rule}{via} turn only on facts nobody stated, none of which can change the answer",
                through.len()
            )
        }
    }
}

/// Names as a list: the first `n`, then how many others.
fn name_list(names: &[String], n: usize) -> String {
    if names.len() <= n {
        return names.join(", ");
    }
    let shown = names.get(..n).unwrap_or(names).join(", ");
    format!("{shown} and {} others", names.len() - n)
}

/// Open points by title, joined.
fn point_list(points: &[UnsettledPoint]) -> String {
    let names: Vec<String> = points.iter().map(|p| p.title.clone()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Display for PositionSplit {
    /// `yes: france; no: uk, us_dod_2020` (empty sides left out).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.true_under.is_empty() {
            parts.push(format!("yes: {}", name_list(&self.true_under, 6)));
        }
        if !self.false_under.is_empty() {
            parts.push(format!("no: {}", name_list(&self.false_under, 6)));
        }
        f.write_str(&parts.join("; "))
    }
}

impl Display for UnknownReason {
    /// One line: what the unknown rests on (`the law is divided on P (positions answering the
    /// question yes: …; no: …)`,
    /// `missing facts: a, b and 3 more`, or both).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let facts: Vec<String> = self
            .missing_facts
            .iter()
            .map(|a| format!("{}{}", a.text, self.stated_unknown_mark(a)))
            .collect();
        let facts = || {
            let shown = facts.get(..3).unwrap_or(&facts).join(", ");
            let more = if facts.len() > 3 {
                format!("{shown} and {} more", facts.len() - 3)
            } else {
                shown
            };
            // A bounded search lists what it found, not every fact that matters.
            if self.more_missing_facts_possible {
                format!("{more} (found by a bounded search: others may matter too)")
            } else {
                more
            }
        };
        let law = || {
            let split = self.positions.to_string();
            if split.is_empty() {
                format!("the law is divided on {}", point_list(&self.points))
            } else {
                // The split is of the question, not of the point: a position may answer the
                // question yes by another route while it leaves the point open.
                format!(
                    "the law is divided on {} (positions answering the question {split})",
                    point_list(&self.points)
                )
            }
        };
        match self.kind {
            UnknownKind::MissingFacts => write!(f, "missing facts: {}", facts()),
            UnknownKind::DividedLaw => f.write_str(&law()),
            UnknownKind::Both => write!(f, "missing facts: {}; and {}", facts(), law()),
            UnknownKind::Stipulated => {
                f.write_str("stipulated unknown: neither facts nor law can change it")
            }
        }
    }
}

impl Display for UnknownClass {
    /// One line: `missing facts`, `the law is divided on P`, or both.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.kind {
            UnknownKind::MissingFacts => f.write_str("missing facts"),
            UnknownKind::DividedLaw => {
                write!(f, "the law is divided on {}", point_list(&self.points))
            }
            UnknownKind::Both => write!(
                f,
                "missing facts, and the law is divided on {}",
                point_list(&self.points)
            ),
            UnknownKind::Stipulated => f.write_str("stipulated unknown"),
        }
    }
}

/// An atom in plain words, with its code form after it when the two differ.
pub fn plain(a: &GroundAtom) -> String {
    let code = a.to_string();
    if a.text == code {
        code
    } else {
        format!("{} ({code})", a.text)
    }
}

/// What decided the explanation's answer, for its summary: the rule and its sources, or
/// what stands in for one.
pub(crate) fn decisive(e: &Explanation) -> String {
    let t = &e.tree;
    let cited = |name: &str, citations: &[String]| {
        if citations.is_empty() {
            format!("rule {name}")
        } else {
            format!("rule {name} ({})", citations.join("; "))
        }
    };
    match (&t.basis, &t.reason) {
        (Basis::Rule { name, citations }, Reason::RuleUndecided(_)) => format!(
            "{}, which cannot yet be applied or excluded",
            cited(name, citations)
        ),
        (Basis::Rule { name, citations }, _) => cited(name, citations),
        (Basis::Connective, _) | (Basis::AllRulesFail, _) => {
            let mut rules: Vec<(String, Vec<String>)> = Vec::new();
            for c in &t.children {
                if let Basis::Rule { name, citations } = &c.basis {
                    if !rules.iter().any(|(n, _)| n == name) {
                        rules.push((name.clone(), citations.clone()));
                    }
                }
            }
            let listed: Vec<String> = rules.iter().map(|(n, c)| cited(n, c)).collect();
            let failed = matches!(t.basis, Basis::AllRulesFail);
            match (listed.as_slice(), failed) {
                ([], true) if !t.withdrawn.is_empty() => {
                    format!("withdrawn: {}", join(&t.withdrawn, ", "))
                }
                ([], _) => t.reason.to_string(),
                ([one], false) => format!("{one}, not yet certain either way"),
                ([one], true) => format!("{one}, which does not apply"),
                (more, false) => format!("{}; none yet certain", more.join("; ")),
                (more, true) => format!("none applies of {}", more.join("; ")),
            }
        }
        (Basis::NoRule { citations }, _) if !citations.is_empty() => {
            format!("{} ({})", t.reason, citations.join("; "))
        }
        _ => t.reason.to_string(),
    }
}

/// The root line: `ATOM is VALUE under POSITION (in words: …)`, with the value already
/// painted. The words say the answer, not the claim: after "is false" a bare reading would
/// read as the claim that it holds.
pub(crate) fn headline(e: &Explanation, value: &str) -> String {
    let code = e.atom.to_string();
    if e.atom.text == code {
        format!("{code} is {value} under {}", e.position)
    } else {
        format!(
            "{code} is {value} under {} (in words: {})",
            e.position,
            answer_in_words(&e.atom.text, e.value)
        )
    }
}

/// An answer in words, from the reading of its atom: the reading itself when true, "it is not
/// the case that …" when false, "open whether …" when unknown.
pub fn answer_in_words(reading: &str, value: Truth) -> String {
    match value {
        Truth::True => reading.to_string(),
        Truth::False => format!("it is not the case that {reading}"),
        Truth::Unknown => format!("open whether {reading}"),
    }
}

/// The help of a stipulation diagnostic.
pub(crate) fn stipulation_help(position: &str) -> String {
    format!(
        "a stipulation sets the rules aside for argument's sake (under {position}); remove it to see what the facts alone support"
    )
}

impl Display for GroundAtom {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Term::Name(n) => f.write_str(&quote_if_needed(n)),
            Term::Variable(v) => f.write_str(v),
        }
    }
}

impl Display for Label {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Label::Atom(a) => a.fmt(f),
            Label::Pattern { predicate, args } => {
                write!(f, "{predicate}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_str(")")
            }
            // A connective under `not` or inside another is written in parentheses:
            // `not (a and b)` is not `not a and b`.
            Label::Not(inner) if matches!(**inner, Label::Connective { .. }) => {
                write!(f, "not ({inner})")
            }
            Label::Not(inner) => write!(f, "not {inner}"),
            Label::Exception(inner) => write!(f, "unless {inner}"),
            Label::Connective { or, parts } => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if *or { " or " } else { " and " })?;
                    }
                    match p {
                        Label::Connective { or: inner, .. } if inner != or => write!(f, "({p})")?,
                        _ => p.fmt(f)?,
                    }
                }
                Ok(())
            }
            Label::Comparison { left, op, right } => write!(f, "{left} {} {right}", op.symbol()),
            Label::OpenPoint(p) => write!(f, "open point of law: {p}"),
            Label::Folded { rule, through } => {
                f.write_str(&words::folded_alternatives(rule, through))
            }
            Label::RuleInstance { rule, head } => {
                write!(f, "by rule {rule}: ")?;
                match head {
                    Some(h) => h.fmt(f),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Display for Reason {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Reason::None => Ok(()),
            Reason::Stipulated(v) => write!(
                f,
                "stipulated {} for argument's sake (the rules are set aside for it)",
                v.as_str()
            ),
            Reason::Stated(v) => write!(f, "stated {}", v.as_str()),
            Reason::StatedUnknown => f.write_str("stated as unknown"),
            Reason::ClosedWorld => f.write_str("not stated, and what is not stated here is false"),
            Reason::OutsideDomain(constant, ty, listing) => write!(
                f,
                "`{constant}` is not among this scenario's values of {ty} (`{listing}` is not stated), so nothing holds of it"
            ),
            Reason::Functional(stated) => {
                f.write_str("another value is stated (")?;
                if let Some(s) = stated {
                    s.fmt(f)?;
                }
                f.write_str("), and there can be only one")
            }
            Reason::MissingFact => f.write_str("nobody stated it: a missing fact"),
            Reason::SeeAbove => f.write_str("explained above"),
            Reason::Elided => f.write_str("not expanded further"),
            Reason::NoRuleInForce => f.write_str("no rule in force concludes this"),
            Reason::RulesWithdrawn => {
                f.write_str("the rules that would conclude this are withdrawn by this position")
            }
            Reason::Rule(name) => write!(f, "rule {name}"),
            Reason::RuleUndecided(name) => {
                write!(f, "rule {name}, which cannot yet be applied or excluded")
            }
            Reason::Ways(n) => write!(f, "{n} ways could conclude it; none is certain"),
            Reason::NoRuleApplies => f.write_str("no rule that could conclude it applies"),
            Reason::NoSuchCase => f.write_str("no such case"),
            Reason::SomeCase => f.write_str("some case"),
            // Said of the condition after `not`, by name: "it" read as the negation itself
            // ("not X: false — it holds") said the opposite of what is meant.
            Reason::Negation(Truth::True) => f.write_str("the condition after `not` does not hold"),
            Reason::Negation(Truth::False) => f.write_str("the condition after `not` holds"),
            Reason::Negation(Truth::Unknown) => {
                f.write_str("the condition after `not` may or may not hold")
            }
            Reason::OneSuffices => f.write_str("one of these suffices"),
            Reason::AllNeeded => f.write_str("all of these are needed"),
            Reason::Settled { in_favour, by } => write!(
                f,
                "settled {} by {by}",
                if *in_favour { "in favour" } else { "against" }
            ),
            Reason::UnsettledLaw(why) => write!(f, "the law is unsettled: {why}"),
            Reason::NotForTheseNames => f.write_str("does not apply to these names"),
            Reason::FirstConditionFails => f.write_str("its first condition fails"),
            Reason::ExceptionApplies => f.write_str("an exception applies"),
            Reason::ConditionFails => f.write_str("a condition fails"),
            Reason::DoesNotApply => f.write_str("does not apply"),
        }
    }
}

impl Display for Inherited {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Inherited::Silent { position, default } => write!(
                f,
                "the {position} position is silent here; the {default} view applies"
            ),
            Inherited::TakenOver { position, from } => {
                write!(f, "the {position} position takes this over from {from}")
            }
            Inherited::Unexpanded => f.write_str("inherited"),
            Inherited::Unverified {
                by,
                default,
                citations,
                ..
            } => {
                write!(
                    f,
                    "not encoded: the {by} statement on this point has not been verified; the {default} view is shown"
                )?;
                if !citations.is_empty() {
                    write!(f, " (see {})", citations.join("; "))?;
                }
                Ok(())
            }
        }
    }
}

impl Display for LaterStatement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this element rests on a statement of {} ({}), made after {}",
            self.published.in_words(),
            self.source,
            if self.as_of {
                format!("{}, the date asked", self.reference.in_words())
            } else {
                format!("the operation ({})", self.reference.in_words())
            }
        )
    }
}

impl Display for TimeContext {
    /// One or two lines: the date asked as of, and which positions did not exist yet.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = self.as_of {
            parts.push(format!("As of {}.", d.in_words()));
        }
        if let Some(d) = self.operation_date {
            parts.push(format!("The operation occurred on {}.", d.in_words()));
            if let Some(p) = self.position_published.filter(|p| *p > d) {
                parts.push(format!(
                    "This position was published on {}, after the operation; its reading of the law is shown all the same (a later statement changes no value).",
                    p.in_words()
                ));
            }
        }
        if !self.not_yet_published.is_empty() {
            parts.push(format!(
                "Not yet published then: {}.",
                self.not_yet_published.join(", ")
            ));
        }
        f.write_str(&parts.join(" "))
    }
}

impl Display for Endorsement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "the {} position expressly takes this view", self.by)?;
        if !self.citations.is_empty() {
            write!(f, ": {}", self.citations.join("; "))?;
        }
        Ok(())
    }
}

impl Display for Withdrawn {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} (withdrawn by {}", self.rules.join(", "), self.by)?;
        if !self.citations.is_empty() {
            write!(f, ": {}", self.citations.join("; "))?;
        }
        f.write_str(")")
    }
}

impl Display for StipulationNote {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is stipulated {}, but the rules would conclude {} from the stated facts alone (every stipulation set aside)",
            self.atom,
            self.stipulated.as_str(),
            self.derived.as_str()
        )
    }
}

impl Display for FactValue {
    /// The fact as the language states it (`coercive(op, v)`, `not knew_of(s, op)`).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.value {
            Truth::True => {}
            Truth::False => f.write_str("not ")?,
            Truth::Unknown => f.write_str("unknown ")?,
        }
        self.atom.fmt(f)
    }
}

/// A set of facts as one line: `a and not b`.
pub fn fact_set_text(set: &[FactValue]) -> String {
    set.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Rule names as a list, `…` standing for those left off.
fn rule_list(rules: &[String], more: bool) -> String {
    let mut s = rules.join(", ");
    if more {
        s.push_str(", …");
    }
    s
}

impl Display for Decider {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let plural = |rules: &[String], more: bool| rules.len() + usize::from(more) > 1;
        match self {
            Decider::Rule(name) => write!(f, "rule {name}"),
            Decider::Undecided { rules, more } if plural(rules, *more) => {
                write!(f, "rules {} (none yet certain)", rule_list(rules, *more))
            }
            Decider::Undecided { rules, more } => write!(
                f,
                "rule {} (not yet certain either way)",
                rule_list(rules, *more)
            ),
            Decider::NoneApplies { rules, more } if plural(rules, *more) => {
                write!(f, "rules {} do not apply", rule_list(rules, *more))
            }
            Decider::NoneApplies { rules, more } => {
                write!(f, "rule {} does not apply", rule_list(rules, *more))
            }
            Decider::Withdrawn(w) => write!(f, "withdrawn: {}", join(w, ", ")),
            Decider::NoRule => f.write_str("no rule in force"),
            Decider::Stated => f.write_str("stated"),
            Decider::Stipulated => f.write_str("stipulated"),
            Decider::ClosedWorld => {
                f.write_str("not stated, so false (what is not stated here did not happen)")
            }
            Decider::MissingFact => f.write_str("missing fact"),
            Decider::Other(r) => r.fmt(f),
        }
    }
}

impl Display for Decision {
    /// What decided the answer, with the endorsement; inheritance is left to the caller.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.decider.fmt(f)?;
        if let Some(e) = &self.endorsed {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

/// Items joined by a separator, each printed.
pub(crate) fn join<T: Display>(items: &[T], sep: &str) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(sep)
}

/// The reason printed after a node's label, by its basis (`rule r [cites]`, `unsettled law:
/// ...`), or its reason.
pub(crate) fn basis_text(n: &Node) -> String {
    match &n.basis {
        Basis::Rule { name, citations } => {
            if citations.is_empty() {
                format!("rule {name}")
            } else {
                format!("rule {name} [{}]", citations.join("; "))
            }
        }
        Basis::NoRule { citations } if !citations.is_empty() => {
            format!("{} [{}]", n.reason, citations.join("; "))
        }
        Basis::Settled {
            by,
            citations,
            point,
        } => {
            if citations.is_empty() {
                format!("{point}: settled by {by}")
            } else {
                format!("{point}: settled by {by} [{}]", citations.join("; "))
            }
        }
        Basis::UnsettledLaw { reason, .. } => format!("unsettled law: {reason}"),
        _ => n.reason.to_string(),
    }
}

/// Serialises anything printable as its text.
pub(crate) fn serialize_display<T: Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Serialises an optional printable as its text (only called when present).
pub(crate) fn serialize_optional<T: Display, S: Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// Serialises an optional atom as its text, or `""`.
pub(crate) fn serialize_optional_atom<S: Serializer>(
    v: &Option<GroundAtom>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_str(""),
    }
}

/// Serialises a list of printables as a list of texts.
pub(crate) fn serialize_all<T: Display, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(ToString::to_string))
}
