//! Calendar dates: the built-in type `Date` of the rule language.
//!
//! A date is written as an ISO 8601 calendar date, `2017-06-27` (four-digit year, two-digit month
//! and day, proleptic Gregorian calendar). Dates are totally ordered and support `=`, `!=`, `<`,
//! `<=`, `>` and `>=`; there is no arithmetic on them, so evaluation never invents a date that the
//! knowledge base or the scenario did not state (spec/VOCABULARY-2.md, "Types").

use std::fmt;
use std::str::FromStr;

/// A calendar date (year 0000–9999). Orders chronologically.
///
/// ```
/// use opinio::Date;
/// let notpetya: Date = "2017-06-27".parse().unwrap();
/// let egan: Date = "2016-11-10".parse().unwrap();
/// assert!(egan < notpetya);
/// assert_eq!(notpetya.to_string(), "2017-06-27");
/// assert!("2017-02-30".parse::<Date>().is_err());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct Date {
    // Field order gives the chronological order to the derived `Ord`.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date; the message is written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the shape `YYYY-MM-DD`.
    #[error("a date is written year-month-day with four, two and two digits, e.g. 2017-06-27")]
    Shape,
    /// The month is not 01–12.
    #[error("there is no month {0:02}: months run from 01 to 12")]
    Month(u8),
    /// The day does not exist in that month.
    #[error("{month_name} {year} has {days} days, so there is no day {day:02}")]
    Day {
        /// The year written.
        year: u16,
        /// The month's English name.
        month_name: &'static str,
        /// The number of days that month has.
        days: u8,
        /// The day written.
        day: u8,
    },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of a month (1–12).
fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date with these numbers, or why there is none.
    ///
    /// # Errors
    /// [`DateError::Month`] or [`DateError::Day`] when the month or day does not exist
    /// (`2017-02-30`); [`DateError::Shape`] for a year above 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if year > 9999 {
            return Err(DateError::Shape);
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let days = days_in(year, month);
        if day == 0 || day > days {
            return Err(DateError::Day {
                year,
                month_name: month_name(month),
                days,
                day,
            });
        }
        Ok(Date { year, month, day })
    }

    /// The year (0–9999).
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month (1–12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1–31).
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date in words for explanations: "27 June 2017".
    pub fn in_words(self) -> String {
        format!("{} {} {}", self.day, month_name(self.month), self.year)
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Reads `YYYY-MM-DD` exactly (no time, no time zone, no other separator).
    fn from_str(s: &str) -> Result<Date, DateError> {
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Shape);
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(DateError::Shape);
        }
        let num = |p: &str| p.parse::<u16>().map_err(|_| DateError::Shape);
        // Two digits fit in a u8.
        let small = |p: &str| p.parse::<u8>().map_err(|_| DateError::Shape);
        Date::new(num(y)?, small(m)?, small(d)?)
    }
}

impl fmt::Display for Date {
    /// The ISO form, `2017-06-27`, as written in the language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// Reads `YYYY-MM-DD`, as [`FromStr`] does (how a date is read back from JSON or a compiled
/// knowledge base).
impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(s: String) -> Result<Date, DateError> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_iso_form() {
        let d: Date = "2017-06-27".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2017, 6, 27));
        assert_eq!(d.to_string(), "2017-06-27");
        assert_eq!(d.in_words(), "27 June 2017");
    }

    #[test]
    fn refuses_days_and_months_that_do_not_exist() {
        assert!(matches!(
            "2017-02-30".parse::<Date>(),
            Err(DateError::Day { days: 28, .. })
        ));
        assert!("2016-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert_eq!("2017-13-01".parse::<Date>(), Err(DateError::Month(13)));
        assert_eq!("2017-00-01".parse::<Date>(), Err(DateError::Month(0)));
        assert!("2017-04-31".parse::<Date>().is_err());
        assert!("2017-04-00".parse::<Date>().is_err());
        for bad in [
            "2017-6-27",
            "17-06-27",
            "2017/06/27",
            "2017-06-27T00",
            "",
            "２017-06-27",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(DateError::Shape), "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let mut v: Vec<Date> = ["2022-05-19", "2012-09-18", "2018-05-23", "2018-01-31"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|d| d.to_string()).collect();
        assert_eq!(s, ["2012-09-18", "2018-01-31", "2018-05-23", "2022-05-19"]);
    }
}
