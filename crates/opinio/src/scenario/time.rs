//! Time: questions asked as of a date (LAW-2.md §8). A position published after the date is
//! left out of comparisons and cannot be asked under; an element of a position that rests on a
//! later document is marked in explanations. No value ever changes with the date: a State's
//! later statement is still its view of the law.

use super::{Error, Scenario};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::kb::LoadError;
use crate::program::{PosId, Sym};
use crate::syntax::ast::Truth;

/// The predicate that dates an operation (spec/VOCABULARY-2.md, "Dates").
const OCCURRED_ON: &str = "occurred_on";

/// The date questions are asked as of (`--as-of` on the command line, `:as-of` in the REPL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AsOf {
    /// A calendar date.
    Date(Date),
    /// The date of the scenario's one dated operation (`occurred_on(op, date)`).
    Operation,
}

impl std::str::FromStr for AsOf {
    type Err = crate::date::DateError;

    /// `operation`, or a date written `2017-06-27`.
    fn from_str(s: &str) -> Result<AsOf, Self::Err> {
        match s.trim() {
            "operation" => Ok(AsOf::Operation),
            d => d.parse().map(AsOf::Date),
        }
    }
}

impl Scenario {
    /// Asks every later question as of a date (`None`: as of today, every position).
    pub fn set_as_of(&mut self, as_of: Option<AsOf>) {
        self.as_of = as_of;
    }

    /// The date questions are asked as of, as set.
    pub fn as_of(&self) -> Option<AsOf> {
        self.as_of
    }

    /// The date questions are asked as of, resolved: [`AsOf::Operation`] reads the scenario's
    /// `occurred_on` facts.
    ///
    /// # Errors
    /// [`Code::UnknownAsOf`] when "as of the operation" is asked and the scenario dates no
    /// operation, or several.
    pub fn as_of_date(&self) -> Result<Option<Date>, Error> {
        match self.as_of {
            None => Ok(None),
            Some(AsOf::Date(d)) => Ok(Some(d)),
            Some(AsOf::Operation) => {
                let dated = self.operation_dates();
                match dated.as_slice() {
                    [(_, d)] => Ok(Some(*d)),
                    [] => Err(self.as_of_error(
                        "the scenario dates no operation, so there is no operation's date to ask as of".to_string(),
                        "state when the operation occurred, e.g. `occurred_on(notpetya, 2017-06-27).`, or give a date: `--as-of 2017-06-27`",
                    )),
                    several => {
                        let list: Vec<String> = several
                            .iter()
                            .map(|(op, d)| format!("{op} ({d})"))
                            .collect();
                        Err(self.as_of_error(
                            format!(
                                "the scenario dates {} operations ({}), so \"as of the operation\" is ambiguous",
                                several.len(),
                                list.join(", ")
                            ),
                            "give the date itself: `--as-of 2017-06-27`",
                        ))
                    }
                }
            }
        }
    }

    /// When a position was published (`dated` in the knowledge base), if it says.
    pub fn position_published(&self, position: PosId) -> Option<Date> {
        self.kb.program().position(position).date
    }

    /// Whether a position existed on the date asked as of (undated positions always do).
    ///
    /// # Errors
    /// As [`Scenario::as_of_date`].
    pub fn position_existed(&self, position: PosId) -> Result<bool, Error> {
        Ok(
            match (self.as_of_date()?, self.position_published(position)) {
                (Some(as_of), Some(published)) => published <= as_of,
                _ => true,
            },
        )
    }

    /// The positions published after `date`, by name, in the knowledge base's order
    /// (undated positions never are).
    pub fn positions_published_after(&self, date: Date) -> Vec<String> {
        self.kb
            .program()
            .positions
            .iter()
            .filter(|p| p.date.is_some_and(|d| d > date))
            .map(|p| p.name.clone())
            .collect()
    }

    /// Refuses a question under a position published after the date asked as of: every
    /// question under `position` would fail so, which a caller asking many may check once.
    ///
    /// # Errors
    ///
    /// [`Error::Input`] with an `opinio::unknown_as_of` diagnostic when the position was
    /// published after the date asked as of, or when the date cannot be told (as of the
    /// operation, with no dated operation or several).
    pub fn check_position_as_of(&self, position: PosId) -> Result<(), Error> {
        let (Some(as_of), Some(published)) =
            (self.as_of_date()?, self.position_published(position))
        else {
            return Ok(());
        };
        if published <= as_of {
            return Ok(());
        }
        let name = &self.kb.program().position(position).name;
        Err(self.as_of_error(
            format!(
                "the position `{name}` was published on {}, after {}, the date asked",
                published.in_words(),
                as_of.in_words()
            ),
            "ask under a position that existed then (`compare` lists them), or ask as of a later date",
        ))
    }

    /// Every operation with a stated date, sorted by name: `(operation, date)`.
    pub fn operation_dates(&self) -> Vec<(String, Date)> {
        let mut out: Vec<(String, Date)> = self
            .dated_facts()
            .map(|(op, d)| (self.interner.name(op).to_string(), d))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The date of the operation among `args` that has one stated (the first, if several).
    pub(crate) fn operation_date_among(&self, args: &[Sym]) -> Option<Date> {
        let dated: Vec<(Sym, Date)> = self.dated_facts().collect();
        args.iter()
            .find_map(|a| dated.iter().find(|(op, _)| op == a).map(|(_, d)| *d))
    }

    fn dated_facts(&self) -> impl Iterator<Item = (Sym, Date)> + '_ {
        let program = self.kb.program();
        let pred = program.predicate_id(OCCURRED_ON);
        program
            .facts
            .iter()
            .chain(&self.facts.facts)
            .filter(move |f| Some(f.pred) == pred && f.value == Truth::True)
            .filter_map(|f| match f.args.as_slice() {
                [op, d] => Some((*op, self.interner.name(*d).parse().ok()?)),
                _ => None,
            })
    }

    fn as_of_error(&self, message: String, help: &str) -> Error {
        Error::Input(LoadError::new(
            vec![Diagnostic::error(Code::UnknownAsOf, message).with_help(help)],
            self.sources.clone(),
        ))
    }
}
