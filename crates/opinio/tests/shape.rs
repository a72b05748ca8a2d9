//! A scenario's shape (`Scenario::shape`): scenarios whose facts differ only in the names of
//! their own constants have equal shapes and answer every question alike under the renaming;
//! anything the evaluator reads besides numbers (dates, the knowledge base's constants,
//! settings) keeps shapes apart.

mod common;

use common::{bundled, scenario};
use opinio::{AsOf, KnowledgeBase, Scenario, Truth};
use std::collections::BTreeMap;

/// An operation by an organ of `s` against `v`, with its effects, some facts unknown, and a
/// date; `{op}`, `{unit}`, `{v}`, `{s}`, `{date}` are filled in.
const CASE: &str = "
    state({v}). state({s}). operation({op}).
    conducted_by({op}, {unit}). organ_of({unit}, {s}).
    targeted({op}, {v}). intruded_into({op}, {v}).
    effect_in({op}, {v}, loss_of_functionality).
    scale_of_effect({op}, {v}, loss_of_functionality, significant).
    unknown originated_from({op}, {s}).
    not coercive({op}, {v}).
    occurred_on({op}, {date}).
";

fn case(names: [&str; 5]) -> String {
    let [op, unit, v, s, date] = names;
    CASE.replace("{op}", op)
        .replace("{unit}", unit)
        .replace("{v}", v)
        .replace("{s}", s)
        .replace("{date}", date)
}

/// Every answer to every conclusion under every position, keyed by atom text.
fn answers(kb: &KnowledgeBase, s: &Scenario) -> BTreeMap<(String, String), Truth> {
    let mut out = BTreeMap::new();
    for position in kb.position_names() {
        for pred in [
            "violates_sovereignty",
            "attributable",
            "wrongful_act",
            "use_of_force",
        ] {
            let arity = kb
                .program()
                .predicates
                .iter()
                .find(|p| p.name == pred)
                .map(|p| p.arity())
                .unwrap_or_else(|| panic!("{pred} is in the vocabulary"));
            let vars: Vec<String> = (0..arity).map(|i| format!("X{i}")).collect();
            let goal = format!("{pred}({})", vars.join(", "));
            let r = s
                .query(&goal, Some(position))
                .unwrap_or_else(|e| panic!("{goal}: {}", e.render()));
            for a in r.answers {
                out.insert((position.to_string(), a.atom), a.value);
            }
        }
    }
    out
}

#[test]
fn renamed_constants_give_equal_shapes_and_renamed_answers() {
    let kb = bundled();
    let a = scenario(
        &kb,
        &case(["op", "unit", "astoria", "borduria", "2020-06-01"]),
    );
    // Other names, sorting the other way round.
    let b = scenario(
        &kb,
        &case(["zz_op", "a_unit", "zubrowka", "aland", "2020-06-01"]),
    );
    assert_eq!(a.shape(), b.shape());
    let rename = |text: &str| {
        text.replace("zz_op", "op")
            .replace("a_unit", "unit")
            .replace("zubrowka", "astoria")
            .replace("aland", "borduria")
    };
    let from_b: BTreeMap<_, _> = answers(&kb, &b)
        .into_iter()
        .map(|((p, atom), v)| ((p, rename(&atom)), v))
        .collect();
    let from_a = answers(&kb, &a);
    assert!(from_a.values().any(|v| *v == Truth::True), "{from_a:?}");
    assert!(from_a.values().any(|v| *v == Truth::Unknown), "{from_a:?}");
    assert_eq!(from_a, from_b);
}

#[test]
fn dates_constants_of_the_law_order_and_settings_keep_shapes_apart() {
    let kb = bundled();
    let names = ["op", "unit", "astoria", "borduria", "2020-06-01"];
    let base = scenario(&kb, &case(names)).shape();
    // A date on the other side of a position's publication (Germany's, 2021-03-31): asked
    // as of the operation, Germany's view exists for one and not the other.
    let later = scenario(
        &kb,
        &case(["op", "unit", "astoria", "borduria", "2021-06-01"]),
    );
    assert_ne!(base, later.shape());
    // A constant of the knowledge base is itself, not a number to rename.
    let effect = case(names).replace("loss_of_functionality", "physical_damage");
    assert_ne!(base, scenario(&kb, &effect).shape());
    // The same facts with constants first met in another order.
    let reordered = case(names).replacen(
        "state(astoria). state(borduria).",
        "state(borduria). state(astoria).",
        1,
    );
    assert_ne!(base, scenario(&kb, &reordered).shape());
    // One fact more or less, or another value.
    let more = format!("{} agents_present_in(op, astoria).", case(names));
    assert_ne!(base, scenario(&kb, &more).shape());
    let negated = case(names).replace("not coercive", "coercive");
    assert_ne!(base, scenario(&kb, &negated).shape());
    // Settings are part of the shape.
    let mut s = scenario(&kb, &case(names));
    s.set_as_of(Some(AsOf::Operation));
    assert_ne!(base, s.shape());
    // And the same text is the same shape.
    assert_eq!(base, scenario(&kb, &case(names)).shape());
}

/// `CASE` dated `occurred`, with a treaty in force for its author from `in_force`.
fn dated(kb: &KnowledgeBase, occurred: &str, in_force: &str) -> Scenario {
    let text = format!(
        "{} party_since(borduria, iccpr, {in_force}).",
        case(["op", "unit", "astoria", "borduria", occurred])
    );
    scenario(kb, &text)
}

#[test]
fn dates_in_the_same_order_among_themselves_and_the_law_s_dates_give_one_shape() {
    let kb = bundled();
    let bound = |s: &Scenario| {
        let r = s
            .query("party_at_time_of(borduria, iccpr, op)", None)
            .unwrap_or_else(|e| panic!("{}", e.render()));
        r.answers[0].value
    };
    // Both dates before every position's publication, the treaty in force first: one shape,
    // one value.
    let a = dated(&kb, "2001-03-01", "2000-01-01");
    let b = dated(&kb, "2005-07-09", "1999-12-31");
    assert_eq!(a.shape(), b.shape());
    assert_eq!((bound(&a), bound(&b)), (Truth::True, Truth::True));
    // The same dates, the treaty in force after the operation: another shape, another value.
    let c = dated(&kb, "2001-03-01", "2002-01-01");
    assert_ne!(a.shape(), c.shape());
    assert_eq!(bound(&c), Truth::False);
    // The same day: equal, neither before nor after.
    let d = dated(&kb, "2001-03-01", "2001-03-01");
    assert_ne!(a.shape(), d.shape());
    assert_ne!(c.shape(), d.shape());
    assert_eq!(bound(&d), Truth::True);
    // Between the same two publications, or across one: as of the operation, other
    // positions exist.
    let e = dated(&kb, "2018-06-01", "2000-01-01");
    let f = dated(&kb, "2018-07-01", "2000-01-01");
    assert_eq!(e.shape(), f.shape());
    assert_ne!(e.shape(), dated(&kb, "2019-10-01", "2000-01-01").shape());
    // On a publication day itself (the United Kingdom's, 2018-05-23): neither.
    assert_ne!(e.shape(), dated(&kb, "2018-05-23", "2000-01-01").shape());
    // A date asked as of is one more date to compare with.
    let (mut e, mut f) = (e, f);
    let june = "2018-06-15".parse().unwrap_or_else(|_| panic!("a date"));
    for s in [&mut e, &mut f] {
        s.set_as_of(Some(AsOf::Date(june)));
    }
    assert_ne!(e.shape(), f.shape());
}
