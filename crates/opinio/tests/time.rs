//! Time in the library: dates in facts and rules, questions asked as of a date (LAW-2.md §8),
//! elements resting on later statements, and the checker's warnings about descriptions that
//! say less than they imply.

mod common;

use common::{bundled, scenario};
use opinio::{AsOf, Date, Scenario, Truth};

fn date(text: &str) -> Date {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

const ESSENTIAL_SERVICES: &str = "
    state(v). state(s). operation(op).
    conducted_by(op, unit). organ_of(unit, s).
    targeted(op, v). essential_service_disrupted(op, v, financial_system).
    occurred_on(op, 2020-06-01).
";

#[test]
fn comparisons_as_of_a_date_leave_out_later_positions_and_never_change_a_value() {
    let kb = bundled();
    let mut s = scenario(&kb, ESSENTIAL_SERVICES);
    let goal = "prohibited_intervention(op, v)";
    let today = s.compare(goal).expect("compared");
    assert_eq!(today.len(), kb.position_names().len());

    s.set_as_of(Some(AsOf::Date(date("2017-06-27"))));
    let then = s.compare(goal).expect("compared");
    let names: Vec<&str> = then.iter().map(|r| r.position.as_str()).collect();
    assert_eq!(names, ["tallinn2", "united_states"]);
    for row in &then {
        let now = today
            .iter()
            .find(|r| r.position == row.position)
            .expect("the same position today");
        assert_eq!(row.value, now.value, "a value never changes with the date");
    }

    // As of 1 June 2020 the UK had spoken (2018), but its essential-services element rests on
    // the Attorney General's speech of 19 May 2022: the row is marked, the value is the UK's.
    s.set_as_of(Some(AsOf::Date(date("2020-06-01"))));
    let rows = s.compare(goal).expect("compared");
    let uk = rows
        .iter()
        .find(|r| r.position == "uk")
        .expect("uk existed");
    assert_eq!(uk.value, Truth::True);
    assert_eq!(uk.published, Some(date("2018-05-23")));
    let later = uk.later_statement.as_deref().unwrap_or_default();
    assert!(
        later.contains("19 May 2022") && later.contains("uk_ag_2022"),
        "{later}"
    );
    assert!(!rows.iter().any(|r| r.position == "us_2021"));
}

#[test]
fn as_of_the_operation_reads_its_date_and_refuses_ambiguity() {
    let kb = bundled();
    let mut s = scenario(&kb, ESSENTIAL_SERVICES);
    s.set_as_of(Some(AsOf::Operation));
    assert_eq!(
        s.as_of_date().expect("one dated operation"),
        Some(date("2020-06-01"))
    );
    // Under a position published later, the question is refused with its date.
    let e = s
        .query("prohibited_intervention(op, v)", Some("canada"))
        .expect_err("Canada spoke in 2022");
    assert!(e.to_string().contains("30 April 2022"), "{e}");

    s.add_text(
        "more.opinio",
        "operation(op2). occurred_on(op2, 2021-01-01).",
    )
    .expect("a second operation");
    let e = s.as_of_date().expect_err("two dated operations");
    assert!(e.to_string().contains("2 operations"), "{e}");

    let mut undated = scenario(&kb, "state(v). operation(op).");
    undated.set_as_of(Some(AsOf::Operation));
    assert!(undated.as_of_date().is_err(), "no dated operation");
}

#[test]
fn explanations_say_when_they_are_given_and_mark_later_elements() {
    let kb = bundled();
    let mut s = scenario(&kb, ESSENTIAL_SERVICES);
    let r = s
        .query("prohibited_intervention(op, v)", Some("uk"))
        .expect("asked");
    // Without as-of, the operation's own date is the reference.
    let why = s.explain(&r.answers[0]).expect("explained");
    let time = why.time.clone().expect("the operation is dated");
    assert_eq!(time.operation_date, Some(date("2020-06-01")));
    assert!(time.not_yet_published.iter().any(|p| p == "canada"));
    let text = opinio::explain::render_text(&why, false);
    assert!(
        text.contains("rests on a statement of 19 May 2022 (uk_ag_2022), made after the operation (1 June 2020)"),
        "{text}"
    );

    s.set_as_of(Some(AsOf::Date(date("2019-01-01"))));
    let why = s.explain(&r.answers[0]).expect("explained");
    let text = opinio::explain::render_text(&why, false);
    assert!(text.contains("As of 1 January 2019."), "{text}");
    assert!(text.contains("Not yet published then:"), "{text}");
}

#[test]
fn party_at_the_time_compares_entry_into_force_with_the_operation() {
    let kb = bundled();
    let s = scenario(
        &kb,
        "state(s). operation(early). operation(late). operation(undated).
         occurred_on(early, 1970-01-01). occurred_on(late, 2017-06-27).
         party_to(s, iccpr). party_since(s, iccpr, 1976-03-23).",
    );
    let value = |g: &str| s.query(g, None).expect("asked").answers[0].value;
    assert_eq!(value("party_at_time_of(s, iccpr, late)"), Truth::True);
    assert_eq!(value("party_at_time_of(s, iccpr, early)"), Truth::False);
    assert_eq!(value("party_at_time_of(s, iccpr, undated)"), Truth::Unknown);
    // A date nobody stated is not a date the scenario knows.
    assert!(s.query("occurred_on(late, 2017-06-28)", None).is_err());
    assert_eq!(value("occurred_on(late, 2017-06-27)"), Truth::True);
}

#[test]
fn descriptions_that_say_less_than_they_imply_are_warned_about() {
    let kb = bundled();
    let s = scenario(
        &kb,
        "state(v). state(s). operation(op).
         data_encrypted(op, v). extortion_demand(op). ransom_paid(op).
         party_since(s, iccpr, 1976-03-23).",
    );
    let codes: Vec<&str> = s.lint().iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "opinio::tactic_without_effect")
            .count(),
        2,
        "encryption without data_alteration, a ransom without economic_loss: {codes:?}"
    );
    assert!(codes.contains(&"opinio::dated_without_party"), "{codes:?}");

    // An operation whose date is only excluded: the other dates written become the only ones.
    let excluded = scenario(
        &kb,
        "state(s). operation(op). not occurred_on(op, 2017-06-28).
         party_to(s, iccpr). party_since(s, iccpr, 2017-06-28).",
    );
    let codes: Vec<&str> = excluded.lint().iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"opinio::date_only_excluded"), "{codes:?}");

    let complete = scenario(
        &kb,
        "state(v). state(s). operation(op).
         data_encrypted(op, v). effect_in(op, v, data_alteration).
         ransom_paid(op). effect_in(op, v, economic_loss).
         party_to(s, iccpr). party_since(s, iccpr, 1976-03-23).",
    );
    let codes: Vec<&str> = complete.lint().iter().map(|d| d.code.as_str()).collect();
    assert!(
        !codes.contains(&"opinio::tactic_without_effect")
            && !codes.contains(&"opinio::dated_without_party"),
        "{codes:?}"
    );
}

#[test]
fn dates_that_do_not_exist_are_diagnosed_with_their_span() {
    let kb = bundled();
    let mut s = Scenario::new(&kb);
    let e = s
        .add_text("bad.opinio", "operation(op). occurred_on(op, 2017-02-30).")
        .expect_err("no 30 February");
    let d = &e.diagnostics[0];
    assert_eq!(d.code.as_str(), "opinio::bad_date");
    assert!(
        d.message.contains("February 2017 has 28 days"),
        "{}",
        d.message
    );
    assert!(!d.labels.is_empty() && d.help.is_some());
    assert!(s.facts().is_empty(), "nothing of a rejected text is kept");
}
