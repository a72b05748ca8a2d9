//! Snapshots of explanation trees, as text and as JSON, on the bundled knowledge base.

mod common;

use opinio::{KnowledgeBase, Scenario};

fn explain(scenario: &str, position: &str, goal: &str) -> (String, String) {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut s = Scenario::new(&kb);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(format!("{scenario}.opinio"));
    s.load_file(&path).expect("scenario loads");
    let r = s.query(goal, Some(position)).expect("query");
    let answer = r.answers.first().expect("one answer");
    let x = s.explain(answer).expect("explanation");
    let mut json = serde_json::to_value(&x).expect("json");
    if let Some(tree) = json.get_mut("tree") {
        prune(tree, 0);
    }
    let mut shown = String::new();
    pretty(&json, 0, &mut shown);
    (opinio::explain::render_text(&x, false), shown)
}

/// How many levels of the JSON tree a snapshot keeps: deeper `children` are replaced by
/// their count, so that each snapshot stays short enough to review (the text snapshot shows
/// the whole tree).
const JSON_DEPTH: usize = 1;

fn prune(node: &mut serde_json::Value, depth: usize) {
    let Some(children) = node.get_mut("children") else {
        return;
    };
    if depth >= JSON_DEPTH {
        let n = children.as_array().map_or(0, Vec::len);
        *children = serde_json::Value::String(format!("({n} nodes left out of this snapshot)"));
        return;
    }
    if let Some(list) = children.as_array_mut() {
        for c in list {
            prune(c, depth + 1);
        }
    }
}

/// Pretty JSON with lists of plain values on one line.
fn pretty(v: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let pad = "  ".repeat(indent + 1);
    match v {
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push_str(&serde_json::to_string(v).expect("json"));
        }
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                pretty(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (k, item)) in map.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).expect("json"));
                out.push_str(": ");
                pretty(item, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).expect("json")),
    }
}

macro_rules! case {
    ($name:ident, $scenario:expr, $position:expr, $goal:expr) => {
        #[test]
        fn $name() {
            let (text, json) = explain($scenario, $position, $goal);
            insta::assert_snapshot!(concat!(stringify!($name), "_text"), text);
            insta::assert_snapshot!(concat!(stringify!($name), "_json"), json);
        }
    };
}

// unknown: intervention hinges on two missing facts; force on unsettled law
case!(
    notpetya_wrongful_act_uk,
    "notpetya",
    "uk",
    "wrongful_act(russia, notpetya)"
);
// false: the UK withdrew the remote sovereignty bases
case!(
    election_sovereignty_uk,
    "election_tally",
    "uk",
    "violates_sovereignty(tally_swap, norland)"
);
// true under a stipulation, with the limits of self-defence stated
case!(
    stuxnet_self_defence_us,
    "stuxnet_attributed",
    "united_states",
    "self_defence_available(iran, stuxnet)"
);
// true only under Estonia's position; the limits of countermeasures stated
case!(
    collective_countermeasures_estonia,
    "collective_response",
    "estonia",
    "collective_countermeasures_available(celesta, borduria, astoria)"
);
// unknown because the law is divided: facts alone cannot settle it
case!(
    espionage_sovereignty_tallinn,
    "remote_espionage",
    "tallinn2",
    "violates_sovereignty(mailbox_read, astoria)"
);
// due diligence met by a territorial State that knew and did nothing
case!(
    ransomware_due_diligence,
    "ransomware_haven",
    "tallinn2",
    "breaches_due_diligence(borduria, hospital_ransomware, astoria)"
);

#[test]
fn inherited_conclusions_say_the_position_is_silent() {
    let (text, _) = explain(
        "notpetya",
        "germany",
        "violates_sovereignty(notpetya, ukraine)",
    );
    assert!(
        text.contains("the germany position is silent here; the tallinn2 view applies"),
        "{text}"
    );
    let (text, json) = explain(
        "notpetya",
        "france",
        "violates_sovereignty(notpetya, denmark)",
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(
        v["tree"]["inherited"].is_null(),
        "France settled the point itself:\n{text}"
    );
}

/// An unknown answer resting on a rule a position affirms says so in `compare`, as a true
/// one does (LAW-2 §7): Japan affirms due diligence; Estonia is silent on it.
#[test]
fn an_unknown_answer_on_an_affirmed_rule_says_the_position_takes_that_view() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut s = Scenario::new(&kb);
    s.add_text(
        "haven.opinio",
        "state(arcadia). state(borduria). operation(blackout).
         conducted_by(blackout, unknown_group). originated_from(blackout, arcadia).
         effect_in(blackout, borduria, physical_damage).
         scale_of_effect(blackout, borduria, physical_damage, significant).
         serious_adverse_consequences(blackout, borduria).
         knew_of(arcadia, blackout). feasible_measures_available(arcadia, blackout).",
    )
    .expect("the scenario loads");
    let rows = s
        .compare("breaches_due_diligence(arcadia, blackout, borduria)")
        .expect("compared");
    let row = |p: &str| rows.iter().find(|r| r.position == p).expect("a row");
    assert_eq!(row("japan").value, opinio::Truth::Unknown);
    assert!(
        row("japan")
            .decided_by
            .contains("the japan position expressly takes this view"),
        "{}",
        row("japan").decided_by
    );
    assert!(
        !row("estonia").decided_by.contains("expressly"),
        "{}",
        row("estonia").decided_by
    );
}

/// A position whose own rules lie below an inherited rule has spoken, even when it answers as
/// the default does: `compare` does not call it silent. The United States replaces the
/// Tallinn experts' rule on remote intrusion with its own open point, below the inherited
/// rule on sovereignty; Australia inherits the whole of that law. (A fresh tester found the
/// United States row saying "the position is silent here".)
#[test]
fn a_position_with_its_own_rules_below_an_inherited_one_is_not_called_silent() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut s = Scenario::new(&kb);
    s.add_text(
        "intrusion.opinio",
        "state(a). state(b). operation(op). conducted_by(op, x). organ_of(x, b).
         intruded_into(op, a).",
    )
    .expect("the scenario loads");
    let rows = s.compare("violates_sovereignty(op, a)").expect("compared");
    let row = |p: &str| rows.iter().find(|r| r.position == p).expect("a row");
    let us = row("united_states");
    assert_eq!(us.value, opinio::Truth::Unknown);
    assert_eq!(us.value, row("tallinn2").value);
    assert!(!us.inherited, "{}", us.decided_by);
    assert!(
        us.decided_by
            .contains("the position's own rules or settlements lie further down"),
        "{}",
        us.decided_by
    );
    let australia = row("australia");
    assert!(australia.inherited, "{}", australia.decided_by);
    assert!(
        !australia.decided_by.contains("own rules"),
        "{}",
        australia.decided_by
    );
}

/// A rule's constant the scenario does not list among a type's values (`type Org from org`)
/// gives the rule nothing to conclude; an explanation that reaches it says so, where before
/// it showed the rule "does not apply" with every condition it shows holding, or called an
/// unstated fact about the constant false because "another value is stated ()" (found by a
/// fresh tester). Asked about directly, the constant is an error, as a name the scenario
/// does not know is (found by a later tester: the question answered `false` silently).
#[test]
fn a_constant_the_scenario_does_not_list_is_named_as_the_cause() {
    let kb = KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source s "Test source".
        type Org from org.
        type Op.
        predicate org(o: Org) closed means "the entity is an organisation".
        predicate flag(op: Op) means "the operation is flagged".
        predicate link(a: Org, b: Org) means "a is linked to b".
        predicate d(o: Org) means "d holds of the organisation".
        predicate near(a: Org, b: Org) means "a is near b".
        predicate e(o: Org) means "e holds of the organisation".
        predicate reach(o: Org) means "o1 is near the organisation".
        rule r_d: d(o1) if flag(X) cites s "1".
        rule r_near: near(A, B) if link(A, B) cites s "2".
        rule r_e: e(O) if org(O) and d(o1) cites s "3".
        rule r_reach: reach(B) if org(B) and near(o1, B) cites s "4".
        "#,
    )])
    .expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "org(o2). flag(op1).")
        .expect("facts load");
    let text = |goal: &str| {
        let r = s.query(goal, None).expect("query");
        let answer = r.answers.first().expect("one answer");
        assert_eq!(answer.value, opinio::Truth::False, "{goal}");
        opinio::explain::render_text(&s.explain(answer).expect("explanation"), false)
    };
    let why = "`o1` is not among this scenario's values of Org (`org(o1)` is not stated)";
    let d = text("e(o2)");
    assert!(d.contains(&format!("org(o1): false — {why}")), "{d}");
    let near = text("reach(o2)");
    assert!(
        near.contains(&format!("link(o1, o2): false — {why}")),
        "{near}"
    );
    assert!(!near.contains("another value is stated"), "{near}");
    for goal in ["d(o1)", "near(o1, o2)"] {
        let shown = match s.query(goal, None) {
            Err(opinio::Error::Input(e)) => e.render(),
            other => panic!("{goal}: o1 is not an Org here, but got {other:?}"),
        };
        assert!(
            shown.contains("`o1` is not an Org in this scenario"),
            "{shown}"
        );
        assert!(shown.contains("add `org(o1).` to the scenario"), "{shown}");
    }
    // Asking the listing predicate asks just whether it lists the name.
    let r = s.query("org(o1)", None).expect("a question about the list");
    assert_eq!(
        r.answers.first().map(|a| a.value),
        Some(opinio::Truth::False)
    );
}

/// A negated conjunction with a variable of its own holds through one value at a time: the
/// tree shows each case whole (`act(op1, o1) and big(o1)`), where it showed each part true
/// of some value of its own, which no reader could follow (found by a fresh tester).
#[test]
fn a_negated_conjunction_shows_each_case_whole() {
    let kb = common::quiet_law();
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "flag(op1). act(op1, o2). big(o1).")
        .expect("facts load");
    let r = s.query("quiet(op1)", None).expect("query");
    let answer = r.answers.first().expect("one answer");
    let text = opinio::explain::render_text(&s.explain(answer).expect("explanation"), false);
    assert!(
        text.contains("act(op1, O) and big(O): unknown — some case"),
        "{text}"
    );
    assert!(
        text.contains("act(op1, o1) and big(o1): unknown — all of these are needed"),
        "{text}"
    );
    assert!(!text.contains("big(O): true"), "{text}");
}

/// An exception that applies is shown as written, with its own value: `unless consented(…):
/// true`, the reason the rule does not apply. (It was once shown as the `not` the rule's body
/// reads: "unless consented(…): false — the condition after `not` holds", the very line of a
/// rule whose exception does not apply.) One that does not apply reads `false`.
#[test]
fn an_exception_that_applies_reads_true() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let facts = "state(norland). state(vesta). operation(blackout).
        conducted_by(blackout, vesta_gru). organ_of(vesta_gru, vesta).
        effect_in(blackout, norland, physical_damage).";
    for (consent, value, line) in [
        (
            "consented(norland, blackout).",
            "false",
            "unless consented(norland, blackout): true — stated true",
        ),
        (
            "not consented(norland, blackout).",
            "true",
            "unless consented(norland, blackout): false — stated false",
        ),
    ] {
        let mut s = Scenario::new(&kb);
        s.add_text("blackout.opinio", &format!("{facts}\n{consent}"))
            .expect("scenario loads");
        let r = s
            .query("violates_sovereignty(blackout, norland)", Some("tallinn2"))
            .expect("query");
        let answer = r.answers.first().expect("one answer");
        assert_eq!(answer.value.as_str(), value);
        let text = opinio::explain::render_text(&s.explain(answer).expect("explain"), false);
        assert!(text.contains(line), "{text}");
        assert!(!text.contains("the condition after `not`"), "{text}");
    }
}

/// The sets of facts that would settle an answer treat a `functional` predicate as a
/// scenario must: never two values stated true for the same other arguments (the engine
/// rejects that), never a value where the scenario states another one true, and one value
/// stated true where that alone rules out the values the answer rests on (found by a fresh
/// tester: the sets proposed two scales for one operation, missed `scale_of(o5, minor)`
/// alone, and proposed stating `f(c2, mid)` next to a stated `f(c2, high)`).
#[test]
fn settling_sets_respect_functional_predicates() {
    let kb = KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source law "A model statute".
        type Op.
        type Scale = minor < significant < grave.
        predicate op(o: Op) closed means "op".
        predicate scale_of(o: Op, s: Scale) functional means "the scale of the operation".
        predicate marked(o: Op, s: Scale) functional means "the mark of the operation".
        predicate ambiguous(o: Op) means "two scales".
        predicate serious(o: Op) means "serious".
        predicate unmarked(o: Op) means "not marked significant".
        rule ra: ambiguous(O) if scale_of(O, A) and scale_of(O, B) and A != B cites law "1".
        rule rs: serious(O) if op(O) and scale_of(O, S) and S >= significant cites law "2".
        rule ru: unmarked(O) if op(O) and not marked(O, significant) cites law "3".
        "#,
    )])
    .expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text(
        "case.opinio",
        "op(o5). op(o6). marked(o6, grave). unknown marked(o6, significant).",
    )
    .expect("facts load");
    let sets = |goal: &str| {
        let r = s.query(goal, None).expect("query");
        let answer = r.answers.first().expect("one answer");
        assert_eq!(answer.value, opinio::Truth::Unknown, "{goal}");
        let e = s.explain(answer).expect("explanation");
        let show = |sets: &[Vec<opinio::explain::FactValue>]| -> Vec<String> {
            sets.iter()
                .map(|set| {
                    set.iter()
                        .map(|f| match f.value {
                            opinio::Truth::False => format!("not {}", f.atom),
                            _ => f.atom.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect()
        };
        (show(&e.would_make_true), show(&e.would_make_false))
    };
    let (to_true, to_false) = sets("serious(o5)");
    assert_eq!(
        to_true,
        ["scale_of(o5, significant)", "scale_of(o5, grave)"]
    );
    assert_eq!(
        to_false,
        [
            "scale_of(o5, minor)",
            "not scale_of(o5, significant) and not scale_of(o5, grave)"
        ]
    );
    // No two scales can be stated for one operation, so nothing makes it true; any one
    // scale stated makes it false.
    let (to_true, to_false) = sets("ambiguous(o5)");
    assert!(to_true.is_empty(), "{to_true:?}");
    assert_eq!(
        &to_false[..3],
        [
            "scale_of(o5, minor)",
            "scale_of(o5, significant)",
            "scale_of(o5, grave)"
        ]
    );
    // `marked(o6, grave)` is stated: `marked(o6, significant)` cannot be stated true.
    let (to_true, to_false) = sets("unmarked(o6)");
    assert_eq!(to_true, ["not marked(o6, significant)"]);
    assert!(to_false.is_empty(), "{to_false:?}");
}

/// A fact that counts for the answer in one rule and against it in another (here `g3`, a
/// condition of `b` and its exception; `g0`, read by `c` and negated by `b`) may have to take
/// one value where a quick test pushes every fact the same way: the sets are still found
/// (found by a fresh tester: "would make it false" was missing, though `not g0(o1)` and
/// `g3(o1)` make it false).
#[test]
fn a_fact_that_counts_both_ways_still_gets_its_settling_sets() {
    let kb = KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source law "A model statute".
        type Op.
        predicate op(o: Op) closed means "op".
        predicate g0(o: Op) means "g0".
        predicate g3(o: Op) means "g3".
        predicate goal(o: Op) means "goal".
        rule b: goal(O) if op(O) and (g3(O) or not g0(O)) unless g3(O) cites law "1".
        rule c: goal(O) if op(O) and g0(O) cites law "2".
        "#,
    )])
    .expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "op(o1).").expect("facts load");
    let r = s.query("goal(o1)", None).expect("query");
    let answer = r.answers.first().expect("one answer");
    assert_eq!(answer.value, opinio::Truth::Unknown);
    let e = s.explain(answer).expect("explanation");
    let sets: Vec<Vec<(String, opinio::Truth)>> = e
        .would_make_false
        .iter()
        .map(|set| set.iter().map(|f| (f.atom.to_string(), f.value)).collect())
        .collect();
    assert_eq!(
        sets,
        [vec![
            ("g0(o1)".to_string(), opinio::Truth::False),
            ("g3(o1)".to_string(), opinio::Truth::True)
        ]]
    );
    assert!(!e.cannot_be_settled_by_facts_alone);
}

/// A variable of one branch of an `or` is left unbound where the other branch holds; that
/// instance of the rule covers the one binding it, and the tree shows the rule once (found
/// by a fresh tester: "2 ways could conclude it" for one rule and one case).
#[test]
fn a_rule_with_a_variable_in_one_branch_is_one_way() {
    let kb = KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source law "A model statute".
        type Op.
        type Col = red | green | blue.
        predicate op(o: Op) closed means "op".
        predicate f(o: Op) means "f".
        predicate m(o: Op) means "m".
        predicate c(o: Op, x: Col) functional means "c".
        predicate goal(o: Op) means "goal".
        rule r4: goal(O) if op(O) and f(O) and ((c(O, V2) and V2 != red) or m(O)) cites law "r4".
        "#,
    )])
    .expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "op(o1). c(o1, blue).")
        .expect("facts load");
    let r = s.query("goal(o1)", None).expect("query");
    let answer = r.answers.first().expect("one answer");
    let text = opinio::explain::render_text(&s.explain(answer).expect("explanation"), false);
    assert!(!text.contains("ways could conclude"), "{text}");
    assert!(text.contains("because: rule r4 [law r4]"), "{text}");
    assert!(text.contains("c(o1, blue): true — stated true"), "{text}");
}

/// An exception with a variable of its own (`unless att(O, S) and S != s2`) that no case
/// meets because the position withdrew the rule concluding `att` names the withdrawal, as a
/// ground exception does, and the position is not said to be silent (found by a fresh
/// tester: "the p position is silent here; the base view applies", though only p's
/// withdrawal makes the answer true).
#[test]
fn a_withdrawal_behind_an_exception_with_a_variable_is_named() {
    let kb = KnowledgeBase::from_strings([(
        "law.opinio",
        r#"
        source law "A model statute".
        type Op.
        type State from state.
        predicate op(o: Op) closed means "op".
        predicate state(s: State) closed means "state".
        predicate g(o: Op) means "g".
        predicate h(o: Op, s: State) means "h".
        predicate att(o: Op, s: State) means "att".
        predicate goal(o: Op) means "goal".
        rule r_att: att(O, S) if op(O) and state(S) and h(O, S) cites law "a".
        rule r_goal: goal(O) if op(O) and g(O) unless att(O, S) and S != s2 cites law "g".
        position base default means "base" cites law "b".
        position p extends base means "p" cites law "p" { withdraw r_att cites law "p". }
        "#,
    )])
    .expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "op(o1). state(s1). state(s2). g(o1).")
        .expect("facts load");
    let r = s.query("goal(o1)", Some("p")).expect("query");
    let answer = r.answers.first().expect("one answer");
    assert_eq!(answer.value, opinio::Truth::True);
    let text = opinio::explain::render_text(&s.explain(answer).expect("explanation"), false);
    assert!(!text.contains("silent"), "{text}");
    assert!(
        text.contains("not in force: r_att (withdrawn by p: law p)"),
        "{text}"
    );
}
