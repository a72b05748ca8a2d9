//! Stable codes of diagnostics: each names one kind of problem, e.g. `opinio::unknown_predicate`.
//!
//! The string names are a contract: scripts and test suites match on them, so a code is never
//! renamed, only added.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The kind of a [`Diagnostic`](super::Diagnostic). [`Code::as_str`] gives its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A date literal that is not a calendar date (`2017-02-30`, `2017-6-27`). `opinio::bad_date`.
    BadDate,
    /// A type takes its values from a predicate that cannot list them. `opinio::bad_type_source`.
    BadTypeSource,
    /// An evaluation was cancelled (Ctrl-C in the REPL, or its [`Cancel`](crate::Cancel) token). `opinio::cancelled`.
    Cancelled,
    /// A comparison across positions was asked for a goal with variables. `opinio::compare_needs_ground_goal`.
    CompareNeedsGroundGoal,
    /// One constant is used as a value of two different types. `opinio::constant_two_types`.
    ConstantTwoTypes,
    /// The same fact is stated both true and false. `opinio::contradictory_facts`.
    ContradictoryFacts,
    /// A functional date (`occurred_on`) is only excluded (`not occurred_on(op, 2017-06-28)`), never stated: the dates written elsewhere become the only candidates. `opinio::date_only_excluded`.
    DateOnlyExcluded,
    /// A treaty's entry into force for a State is dated (`party_since`) but the State is not stated a party (`party_to`). `opinio::dated_without_party`.
    DatedWithoutParty,
    /// The default position extends another position. `opinio::default_extends`.
    DefaultExtends,
    /// Two positions have the same name. `opinio::duplicate_position`.
    DuplicatePosition,
    /// A predicate is declared twice. `opinio::duplicate_predicate`.
    DuplicatePredicate,
    /// Two rules have the same name. `opinio::duplicate_rule`.
    DuplicateRule,
    /// A predicate declares the same slot name twice. `opinio::duplicate_slot`.
    DuplicateSlot,
    /// Two sources have the same name. `opinio::duplicate_source`.
    DuplicateSource,
    /// An open point of law is given a short title twice (`unsettled POINT titled "…".`). `opinio::duplicate_title`.
    DuplicateTitle,
    /// A type is declared twice. `opinio::duplicate_type`.
    DuplicateType,
    /// An enumerated type lists the same value twice. `opinio::duplicate_value`.
    DuplicateValue,
    /// A file is larger than the size cap. `opinio::file_too_large`.
    FileTooLarge,
    /// The formatter produced text that does not read back as the same program (a formatter bug). `opinio::fmt_internal`.
    FmtInternal,
    /// An operation stated to be a countermeasure is a use of force, which no
    /// countermeasure may involve (ARSIWA Art. 50(1)(a)). `opinio::forcible_countermeasure`.
    ForcibleCountermeasure,
    /// A functional predicate has two values for the same arguments. `opinio::functional_conflict`.
    FunctionalConflict,
    /// A predicate is declared functional but has no argument slot. `opinio::functional_without_slots`.
    FunctionalWithoutSlots,
    /// An `import` names a file that is not in the knowledge base. `opinio::import_not_found`.
    ImportNotFound,
    /// An `import` points outside the knowledge base's folder. `opinio::import_outside`.
    ImportOutside,
    /// A name or text holds an invisible or look-alike character. `opinio::invisible_character`.
    InvisibleCharacter,
    /// A file or folder could not be read or written. `opinio::io`.
    Io,
    /// A JSON scenario is not valid JSON or has the wrong shape. `opinio::json`.
    Json,
    /// One fact of a JSON scenario is malformed. `opinio::json_fact`.
    JsonFact,
    /// A knowledge-base folder is missing or unreadable. `opinio::kb_folder`.
    KbFolder,
    /// Two names differ only in ways a reader cannot see. `opinio::look_alike_names`.
    LookAlikeNames,
    /// `closed` or `functional` is declared on a predicate that rules conclude, where it has no
    /// effect. `opinio::marker_on_conclusion`.
    MarkerOnConclusion,
    /// Rules depend on themselves through negation (no stratification exists). `opinio::negation_cycle`.
    NegationCycle,
    /// No default position is declared. `opinio::no_position`.
    NoPosition,
    /// An operation has no conduct that could be attributed to any State. `opinio::no_possible_author`.
    NoPossibleAuthor,
    /// A path names a folder, pipe or device where a file was expected. `opinio::not_a_file`.
    NotAFile,
    /// A scenario holds a statement only knowledge bases may hold. `opinio::not_a_scenario_statement`.
    NotAScenarioStatement,
    /// A comparison is made on values that have no order. `opinio::not_ordered`.
    NotOrdered,
    /// Positions extend each other in a cycle. `opinio::position_cycle`.
    PositionCycle,
    /// A brace in a predicate's `reads` template opens or closes no `{slot}`. `opinio::reading_unbalanced_brace`.
    ReadingUnbalancedBrace,
    /// A `{name}` in a predicate's `reads` template is not one of its slots. `opinio::reading_unknown_slot`.
    ReadingUnknownSlot,
    /// A predicate's `reads` template never mentions one of its slots (a warning). `opinio::reading_unused_slot`.
    ReadingUnusedSlot,
    /// A rule has more conditions than the checker accepts. `opinio::rule_too_large`.
    RuleTooLarge,
    /// A file of a knowledge base holds only facts and expectations, as a scenario does (a
    /// warning: its facts hold in every scenario run on the knowledge base).
    /// `opinio::scenario_in_knowledge_base`.
    ScenarioInKnowledgeBase,
    /// A position settles an open point of law that no rule in force under it, or under a
    /// position extending it, raises (a warning: the settlement changes no answer).
    /// `opinio::settlement_without_effect`.
    SettlementWithoutEffect,
    /// A position settles one open point twice (an error when the answers differ).
    /// `opinio::settled_twice`.
    SettledTwice,
    /// A file in a folder was skipped (not an `.opinio` file, or unreadable). `opinio::skipped_file`.
    SkippedFile,
    /// A stated fact about a derived predicate contradicts what the rules derive. `opinio::stipulation_contradicts_rules`.
    StipulationContradictsRules,
    /// The text does not follow the grammar. `opinio::syntax`.
    Syntax,
    /// A tactic is described without the effect it implies (e.g. `data_encrypted` without a `data_alteration` effect). `opinio::tactic_without_effect`.
    TacticWithoutEffect,
    /// An evaluation ran past its time budget ([`Limits::time_budget`](crate::Limits::time_budget)). `opinio::time_budget`.
    TimeBudget,
    /// Parentheses or negations are nested too deeply. `opinio::too_deep`.
    TooDeep,
    /// An evaluation derived more atoms than its limit ([`Limits::max_atoms`](crate::Limits::max_atoms)). `opinio::too_many_atoms`.
    TooManyAtoms,
    /// A predicate has more argument slots than the evaluator supports. `opinio::too_many_slots`.
    TooManySlots,
    /// An evaluation's conclusions would exceed its memory budget ([`Limits::max_memory`](crate::Limits::max_memory)). `opinio::too_much_memory`.
    TooMuchMemory,
    /// Two positions are marked default. `opinio::two_defaults`.
    TwoDefaults,
    /// A value of one type is used where another type is expected. `opinio::type_mismatch`.
    TypeMismatch,
    /// A rule cites no source. `opinio::uncited_rule`.
    UncitedRule,
    /// A constant of a closed type is not declared. `opinio::undeclared_constant`.
    UndeclaredConstant,
    /// A question is asked as of a date under a position published after it, or "as of the operation" with no single dated operation. `opinio::unknown_as_of`.
    UnknownAsOf,
    /// A query or fact names a constant nothing else names. `opinio::unknown_constant`.
    UnknownConstant,
    /// A string holds an escape sequence the language does not define. `opinio::unknown_escape`.
    UnknownEscape,
    /// An `unknown` fact is stated for a predicate that lists a type's members. `opinio::unknown_membership`.
    UnknownMembership,
    /// A position settles, or a title names, an open point of law no rule raises. `opinio::unknown_point`.
    UnknownPoint,
    /// A position is named that does not exist. `opinio::unknown_position`.
    UnknownPosition,
    /// A predicate is used that is not declared. `opinio::unknown_predicate`.
    UnknownPredicate,
    /// A rule is named (in a position or `expect`) that does not exist. `opinio::unknown_rule`.
    UnknownRule,
    /// A rule cites a source that is not declared. `opinio::unknown_source`.
    UnknownSource,
    /// A type is used that is not declared. `opinio::unknown_type`.
    UnknownType,
    /// A variable of a conclusion or negation is not bound by a positive condition. `opinio::unsafe_variable`.
    UnsafeVariable,
    /// An open point of law gives no reason why the law is divided. `opinio::unsettled_without_reason`.
    UnsettledWithoutReason,
    /// A fact holds a variable. `opinio::variable_in_fact`.
    VariableInFact,
    /// A predicate is used with the wrong number of arguments. `opinio::wrong_arity`.
    WrongArity,
}

impl Code {
    /// Every code, in alphabetical order of its name.
    pub const ALL: &[Code] = &[
        Code::BadDate,
        Code::BadTypeSource,
        Code::Cancelled,
        Code::CompareNeedsGroundGoal,
        Code::ConstantTwoTypes,
        Code::ContradictoryFacts,
        Code::DateOnlyExcluded,
        Code::DatedWithoutParty,
        Code::DefaultExtends,
        Code::DuplicatePosition,
        Code::DuplicatePredicate,
        Code::DuplicateRule,
        Code::DuplicateSlot,
        Code::DuplicateSource,
        Code::DuplicateTitle,
        Code::DuplicateType,
        Code::DuplicateValue,
        Code::FileTooLarge,
        Code::FmtInternal,
        Code::ForcibleCountermeasure,
        Code::FunctionalConflict,
        Code::FunctionalWithoutSlots,
        Code::ImportNotFound,
        Code::ImportOutside,
        Code::InvisibleCharacter,
        Code::Io,
        Code::Json,
        Code::JsonFact,
        Code::KbFolder,
        Code::LookAlikeNames,
        Code::MarkerOnConclusion,
        Code::NegationCycle,
        Code::NoPosition,
        Code::NoPossibleAuthor,
        Code::NotAFile,
        Code::NotAScenarioStatement,
        Code::NotOrdered,
        Code::PositionCycle,
        Code::ReadingUnbalancedBrace,
        Code::ReadingUnknownSlot,
        Code::ReadingUnusedSlot,
        Code::RuleTooLarge,
        Code::ScenarioInKnowledgeBase,
        Code::SettledTwice,
        Code::SettlementWithoutEffect,
        Code::SkippedFile,
        Code::StipulationContradictsRules,
        Code::Syntax,
        Code::TacticWithoutEffect,
        Code::TimeBudget,
        Code::TooDeep,
        Code::TooManyAtoms,
        Code::TooManySlots,
        Code::TooMuchMemory,
        Code::TwoDefaults,
        Code::TypeMismatch,
        Code::UncitedRule,
        Code::UndeclaredConstant,
        Code::UnknownAsOf,
        Code::UnknownConstant,
        Code::UnknownEscape,
        Code::UnknownMembership,
        Code::UnknownPoint,
        Code::UnknownPosition,
        Code::UnknownPredicate,
        Code::UnknownRule,
        Code::UnknownSource,
        Code::UnknownType,
        Code::UnsafeVariable,
        Code::UnsettledWithoutReason,
        Code::VariableInFact,
        Code::WrongArity,
    ];

    /// The stable name, e.g. `"opinio::unknown_predicate"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadDate => "opinio::bad_date",
            Code::BadTypeSource => "opinio::bad_type_source",
            Code::Cancelled => "opinio::cancelled",
            Code::CompareNeedsGroundGoal => "opinio::compare_needs_ground_goal",
            Code::ConstantTwoTypes => "opinio::constant_two_types",
            Code::ContradictoryFacts => "opinio::contradictory_facts",
            Code::DateOnlyExcluded => "opinio::date_only_excluded",
            Code::DatedWithoutParty => "opinio::dated_without_party",
            Code::DefaultExtends => "opinio::default_extends",
            Code::DuplicatePosition => "opinio::duplicate_position",
            Code::DuplicatePredicate => "opinio::duplicate_predicate",
            Code::DuplicateRule => "opinio::duplicate_rule",
            Code::DuplicateSlot => "opinio::duplicate_slot",
            Code::DuplicateSource => "opinio::duplicate_source",
            Code::DuplicateTitle => "opinio::duplicate_title",
            Code::DuplicateType => "opinio::duplicate_type",
            Code::DuplicateValue => "opinio::duplicate_value",
            Code::FileTooLarge => "opinio::file_too_large",
            Code::FmtInternal => "opinio::fmt_internal",
            Code::ForcibleCountermeasure => "opinio::forcible_countermeasure",
            Code::FunctionalConflict => "opinio::functional_conflict",
            Code::FunctionalWithoutSlots => "opinio::functional_without_slots",
            Code::ImportNotFound => "opinio::import_not_found",
            Code::ImportOutside => "opinio::import_outside",
            Code::InvisibleCharacter => "opinio::invisible_character",
            Code::Io => "opinio::io",
            Code::Json => "opinio::json",
            Code::JsonFact => "opinio::json_fact",
            Code::KbFolder => "opinio::kb_folder",
            Code::LookAlikeNames => "opinio::look_alike_names",
            Code::MarkerOnConclusion => "opinio::marker_on_conclusion",
            Code::NegationCycle => "opinio::negation_cycle",
            Code::NoPosition => "opinio::no_position",
            Code::NoPossibleAuthor => "opinio::no_possible_author",
            Code::NotAFile => "opinio::not_a_file",
            Code::NotAScenarioStatement => "opinio::not_a_scenario_statement",
            Code::NotOrdered => "opinio::not_ordered",
            Code::PositionCycle => "opinio::position_cycle",
            Code::ReadingUnbalancedBrace => "opinio::reading_unbalanced_brace",
            Code::ReadingUnknownSlot => "opinio::reading_unknown_slot",
            Code::ReadingUnusedSlot => "opinio::reading_unused_slot",
            Code::RuleTooLarge => "opinio::rule_too_large",
            Code::ScenarioInKnowledgeBase => "opinio::scenario_in_knowledge_base",
            Code::SettledTwice => "opinio::settled_twice",
            Code::SettlementWithoutEffect => "opinio::settlement_without_effect",
            Code::SkippedFile => "opinio::skipped_file",
            Code::StipulationContradictsRules => "opinio::stipulation_contradicts_rules",
            Code::Syntax => "opinio::syntax",
            Code::TacticWithoutEffect => "opinio::tactic_without_effect",
            Code::TimeBudget => "opinio::time_budget",
            Code::TooDeep => "opinio::too_deep",
            Code::TooManyAtoms => "opinio::too_many_atoms",
            Code::TooManySlots => "opinio::too_many_slots",
            Code::TooMuchMemory => "opinio::too_much_memory",
            Code::TwoDefaults => "opinio::two_defaults",
            Code::TypeMismatch => "opinio::type_mismatch",
            Code::UncitedRule => "opinio::uncited_rule",
            Code::UndeclaredConstant => "opinio::undeclared_constant",
            Code::UnknownAsOf => "opinio::unknown_as_of",
            Code::UnknownConstant => "opinio::unknown_constant",
            Code::UnknownEscape => "opinio::unknown_escape",
            Code::UnknownMembership => "opinio::unknown_membership",
            Code::UnknownPoint => "opinio::unknown_point",
            Code::UnknownPosition => "opinio::unknown_position",
            Code::UnknownPredicate => "opinio::unknown_predicate",
            Code::UnknownRule => "opinio::unknown_rule",
            Code::UnknownSource => "opinio::unknown_source",
            Code::UnknownType => "opinio::unknown_type",
            Code::UnsafeVariable => "opinio::unsafe_variable",
            Code::UnsettledWithoutReason => "opinio::unsettled_without_reason",
            Code::VariableInFact => "opinio::variable_in_fact",
            Code::WrongArity => "opinio::wrong_arity",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Reads a code's stable name ([`Code::as_str`]); another name is an error.
impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let name = String::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("no diagnostic code `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn names_are_unique_and_sorted() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert!(names.iter().all(|n| n.starts_with("opinio::")));
    }
}
