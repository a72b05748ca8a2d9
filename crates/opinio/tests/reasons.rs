//! Why an answer is unknown: missing facts, divided law or both (`Scenario::why_unknown`), and
//! the cheap classification for batches (`Scenario::classify_unknowns`), which must agree.

mod common;

use common::{bundled_scenarios, every_question};
use opinio::explain::{UnknownKind, UnknownReason};
use opinio::{KnowledgeBase, Scenario, Truth};

/// A small law whose answers can be worked out by hand: an operation is harmful if it did
/// damage, or if it intruded and the open point `below` is settled in favour; it violates the
/// rights of its target if some author is answerable for it and it is harmful.
const LAW: &str = r#"
source s "Test source".
type Op.
type Actor.
predicate intrusion(op: Op) means "the operation intruded".
predicate damage(op: Op) means "the operation did damage".
predicate author(op: Op, a: Actor) means "the actor is answerable for the operation".
predicate target(op: Op, a: Actor) means "the operation targeted the actor".
predicate harmful(op: Op) means "the operation is harmful".
predicate violates(op: Op, v: Actor) means "the operation violates the target's rights".

position majority default means "the default view" cites s "intro".
rule by_damage: harmful(O) if damage(O) cites s "1".
rule by_intrusion: harmful(O) if intrusion(O) and unsettled(below, "the experts split on mere intrusion") cites s "2".
rule violation: violates(O, V) if target(O, V) and author(O, A) and A != V and harmful(O) cites s "3".

position yes means "A State for which mere intrusion suffices" cites s "y" {
  settle below = true cites s "y2".
}
position no means "A State for which it does not" cites s "n" {
  settle below = false cites s "n2".
}
"#;

fn scenario(kb: &KnowledgeBase, facts: &str) -> Scenario {
    let mut s = Scenario::new(kb);
    s.add_text("case.opinio", facts).expect("facts load");
    s
}

fn reason(s: &Scenario, goal: &str) -> UnknownReason {
    let r = s.query(goal, None).expect("query");
    let a = r.answers.first().expect("an answer");
    assert_eq!(a.value, Truth::Unknown, "{goal}");
    let detailed = s.why_unknown(a).expect("why").expect("unknown");
    let cheap = s
        .classify_unknowns(&r.answers)
        .expect("classify")
        .remove(0)
        .expect("unknown");
    assert_eq!(
        cheap.kind, detailed.kind,
        "{goal}: cheap and detailed differ"
    );
    assert_eq!(
        cheap.points, detailed.points,
        "{goal}: cheap and detailed differ"
    );
    detailed
}

fn texts<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

#[test]
fn divided_law_lists_no_fact_that_cannot_change_the_answer() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law loads");
    // The known author makes it turn on the open point alone; whether `w` is also answerable
    // changes nothing, whatever the law.
    let s = scenario(
        &kb,
        "intrusion(op). not damage(op). target(op, v). author(op, x). unknown author(op, w).",
    );
    let why = reason(&s, "violates(op, v)");
    assert_eq!(why.kind, UnknownKind::DividedLaw);
    assert!(why.missing_facts.is_empty(), "{:?}", why.missing_facts);
    assert_eq!(why.points.len(), 1);
    assert_eq!(why.points[0].point, "below");
    assert_eq!(why.positions.true_under, ["yes"]);
    assert_eq!(why.positions.false_under, ["no"]);
    assert_eq!(why.positions.unknown_under, ["majority"]);
    // The explanation lists no missing fact either.
    let r = s.query("violates(op, v)", None).expect("query");
    let x = s.explain(&r.answers[0]).expect("explain");
    assert!(x.missing_facts.is_empty());
}

#[test]
fn missing_facts_alone() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law loads");
    // No intrusion: the open point is out of play; only damage matters.
    let s = scenario(&kb, "not intrusion(op). target(op, v). author(op, x).");
    let why = reason(&s, "violates(op, v)");
    assert_eq!(why.kind, UnknownKind::MissingFacts);
    assert_eq!(texts(&why.missing_facts), ["damage(op)"]);
    assert!(why.points.is_empty());
}

#[test]
fn a_fact_asked_about_directly_rests_on_itself() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law");
    // `damage(op)` is stated by no one: stating it settles it (the batch classification
    // once called it stipulated, since no rule concludes it).
    let s = scenario(&kb, "target(op, v). unknown intrusion(op).");
    for goal in ["damage(op)", "intrusion(op)"] {
        let why = reason(&s, goal);
        assert_eq!(why.kind, UnknownKind::MissingFacts, "{goal}: {why:?}");
    }
}

#[test]
fn both_missing_facts_and_divided_law() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law loads");
    // Damage would settle it; failing that, the open point would.
    let s = scenario(&kb, "intrusion(op). target(op, v). author(op, x).");
    let why = reason(&s, "violates(op, v)");
    assert_eq!(why.kind, UnknownKind::Both);
    assert_eq!(texts(&why.missing_facts), ["damage(op)"]);
    assert_eq!(why.points[0].point, "below");
    // Whether anyone is answerable is open too: both facts matter, the point as well.
    let s = scenario(
        &kb,
        "intrusion(op). not damage(op). target(op, v). unknown author(op, y).",
    );
    let why = reason(&s, "violates(op, v)");
    assert_eq!(why.kind, UnknownKind::Both);
    assert_eq!(texts(&why.missing_facts), ["author(op, y)"]);
}

/// Two open points: an operation is grave if it was destructive and the first point is
/// settled in favour, or if both points are; a response is excessive if gravity is neither
/// excluded nor established (a shape that is unknown exactly while gravity is).
const MIXED: &str = r#"
source s "Test source".
type Op.
predicate op(o: Op) closed means "an operation".
predicate destructive(o: Op) means "the operation was destructive".
predicate grave(o: Op) means "the operation is grave".
predicate excessive(o: Op) means "a response to it is excessive".
rule by_effects: grave(O) if op(O) and destructive(O) and unsettled(effects, "effects suffice") cites s "1".
rule by_both: grave(O) if op(O) and unsettled(scale, "scale suffices") and unsettled(effects, "effects suffice") cites s "2".
rule undecided: excessive(O) if op(O) and not grave(O) and grave(O) cites s "3".
position majority default means "the default view" cites s "intro".
position mixed means "effects suffice, scale does not" cites s "m" {
  settle scale = false cites s "m1".
  settle effects = true cites s "m2".
}
"#;

#[test]
fn a_fact_that_matters_only_under_a_mixed_settlement_is_named() {
    // With both points settled the same way the answer is decided, whatever is destructive;
    // with `scale` against and `effects` in favour (the `mixed` position), it turns on
    // `destructive(op)`. Both routes must say the facts matter, and name that one.
    let kb = KnowledgeBase::from_strings([("law.opinio", MIXED)]).expect("law loads");
    let s = scenario(&kb, "op(o1).");
    let why = reason(&s, "excessive(o1)");
    assert_eq!(why.kind, UnknownKind::Both, "{why:?}");
    assert_eq!(texts(&why.missing_facts), ["destructive(o1)"]);
    let r = s.query("excessive(o1)", None).expect("query");
    let x = s.explain(&r.answers[0]).expect("explain");
    assert_eq!(texts(&x.missing_facts), ["destructive(o1)"]);
    // Under `mixed` it turns on the fact alone.
    let r = s.query("excessive(o1)", Some("mixed")).expect("query");
    let why = s.why_unknown(&r.answers[0]).expect("why").expect("unknown");
    assert_eq!(why.kind, UnknownKind::MissingFacts, "{why:?}");
}

#[test]
fn true_and_false_answers_have_no_reason() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law loads");
    let s = scenario(&kb, "damage(op). target(op, v). author(op, x).");
    let r = s.query("violates(op, v)", None).expect("query");
    assert_eq!(r.answers[0].value, Truth::True);
    assert!(s.why_unknown(&r.answers[0]).expect("why").is_none());
    assert_eq!(s.classify_unknowns(&r.answers).expect("classify"), [None]);
}

fn bundled(name: &str) -> (KnowledgeBase, Scenario) {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut s = Scenario::new(&kb);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(format!("{name}.opinio"));
    s.load_file(&path).expect("scenario loads");
    (kb, s)
}

#[test]
fn notpetya_in_denmark_turns_on_divided_law_alone() {
    let (_kb, s) = bundled("notpetya");
    let goal = "violates_sovereignty(notpetya, denmark)";
    let why = reason(&s, goal);
    assert_eq!(why.kind, UnknownKind::DividedLaw);
    assert!(why.missing_facts.is_empty(), "{:?}", why.missing_facts);
    let points: Vec<&str> = why.points.iter().map(|p| p.point.as_str()).collect();
    assert_eq!(points, ["sovereignty_below_threshold"]);
    assert!(why.positions.true_under.iter().any(|p| p == "france"));
    assert!(why.positions.false_under.iter().any(|p| p == "uk"));
    assert!(why.positions.unknown_under.iter().any(|p| p == "tallinn2"));
    // Nowhere in the explanation is a fact about Ukraine or Denmark authoring NotPetya.
    let r = s.query(goal, None).expect("query");
    let x = s.explain(&r.answers[0]).expect("explain");
    assert!(x.missing_facts.is_empty(), "{:?}", x.missing_facts);
    let text = opinio::explain::render_text(&x, false);
    let listed = text
        .split("\n\n")
        .filter(|part| part.starts_with("Missing facts"))
        .count();
    assert_eq!(listed, 0, "{text}");
}

/// On every bundled scenario, every `expect`ed question that is unknown (under its position
/// and under the default): the cheap classification agrees with the detailed one, and what
/// the detailed one lists is consistent with its kind.
#[test]
fn cheap_and_detailed_agree_on_the_bundled_scenarios() {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for path in bundled_scenarios() {
        let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
        let mut s = Scenario::new(&kb);
        s.load_file(&path).expect("scenario loads");
        let mut asked = std::collections::BTreeSet::new();
        for o in s.run_expectations().expect("expectations") {
            for position in [o.position.as_str(), "tallinn2"] {
                if !asked.insert((o.goal.clone(), position.to_string())) {
                    continue;
                }
                let r = s.query(&o.goal, Some(position)).expect("query");
                let classes = s.classify_unknowns(&r.answers).expect("classify");
                for (a, c) in r.answers.iter().zip(classes) {
                    let detailed = s.why_unknown(a).expect("why");
                    let here = format!("{} under {position} in {}", a.atom, path.display());
                    match (c, detailed) {
                        (None, None) => assert_ne!(a.value, Truth::Unknown, "{here}"),
                        (Some(c), Some(d)) => {
                            assert_eq!(c.kind, d.kind, "{here}: {d:?}");
                            assert_eq!(c.points, d.points, "{here}");
                            assert_eq!(d.kind.facts_matter(), !d.missing_facts.is_empty());
                            assert_eq!(d.kind.law_matters(), !d.points.is_empty());
                            *seen.entry(format!("{:?}", d.kind)).or_default() += 1;
                        }
                        (c, d) => panic!("{here}: cheap {c:?}, detailed {d:?}"),
                    }
                }
            }
        }
    }
    // The scenarios exercise each kind, so the agreement is not vacuous.
    for kind in ["MissingFacts", "DividedLaw", "Both"] {
        assert!(seen.get(kind).is_some_and(|n| *n > 0), "{seen:?}");
    }
}

/// Seven ways to make it true, each one fact: the default lists five and says there are seven;
/// without caps all seven are listed.
#[test]
fn settling_sets_say_what_the_cap_cut() {
    let law = r#"
source s "Test source".
type Op.
type Ground = a | b | c | d | e | f | g.
predicate ground(op: Op, k: Ground) means "the operation meets the ground".
predicate wrongful(op: Op) means "the operation is wrongful".
rule any_ground: wrongful(O) if ground(O, K) cites s "1".
"#;
    let kb = KnowledgeBase::from_strings([("law.opinio", law)]).expect("law loads");
    let mut s = Scenario::new(&kb);
    s.add_text("case.opinio", "unknown ground(op, a).")
        .expect("facts");
    let r = s.query("wrongful(op)", None).expect("query");
    let x = s.explain(&r.answers[0]).expect("explain");
    assert_eq!(x.would_make_true.len(), 5);
    let limits = x.settling_limits;
    assert_eq!((limits.true_sets.shown, limits.true_sets.total), (5, 7));
    assert!(limits.true_sets.exact);
    assert!(!limits.is_complete());
    // One set makes it false: all seven grounds absent.
    assert_eq!(x.would_make_false.len(), 1);
    assert_eq!(x.would_make_false[0].len(), 7);
    let all = s
        .explain_with(&r.answers[0], &opinio::explain::ExplainOptions::all())
        .expect("explain");
    assert_eq!(all.would_make_true.len(), 7);
    assert!(all.settling_limits.is_complete());
    // Fewer facts tried: the cut is reported.
    let few = opinio::explain::ExplainOptions {
        max_candidates: Some(3),
        ..opinio::explain::ExplainOptions::default()
    };
    let x = s.explain_with(&r.answers[0], &few).expect("explain");
    assert_eq!(
        (
            x.settling_limits.candidates.shown,
            x.settling_limits.candidates.total
        ),
        (3, 7)
    );
}

/// Due diligence needs four facts at once: the search is exact beyond three facts, so both
/// routes — the State knew, or should have known — are listed.
#[test]
fn due_diligence_shows_actual_and_constructive_knowledge() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut s = Scenario::new(&kb);
    s.add_text(
        "blackout.opinio",
        "state(arcadia). state(borduria). operation(blackout).
         conducted_by(blackout, unknown_group). originated_from(blackout, arcadia).
         effect_in(blackout, borduria, physical_damage).",
    )
    .expect("facts");
    let r = s
        .query("breaches_due_diligence(arcadia, blackout, borduria)", None)
        .expect("query");
    let x = s.explain(&r.answers[0]).expect("explain");
    let sets: Vec<String> = x
        .would_make_true
        .iter()
        .map(|set| opinio::explain::fact_set_text(set))
        .collect();
    assert!(
        sets.iter()
            .any(|t| t.contains("knew_of(arcadia, blackout)")),
        "{sets:#?}"
    );
    assert!(
        sets.iter()
            .any(|t| t.contains("should_have_known(arcadia, blackout)")),
        "{sets:#?}"
    );
    // Each set is smallest: leaving any fact out no longer makes it true.
    for set in &x.would_make_true {
        assert!(set.len() >= 4, "{sets:#?}");
    }
}

/// Batches classify every unknown answer of a scenario under a position at once, whatever
/// their questions: on every bundled scenario, the classification of all the answers of all
/// derived predicates together is, answer by answer, the classification of that answer alone.
#[test]
fn classifying_all_answers_at_once_is_classifying_each_alone() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut compared = 0;
    for path in bundled_scenarios() {
        let mut s = Scenario::new(&kb);
        s.load_file(&path).expect("scenario loads");
        for position in ["tallinn2", "uk"] {
            let mut answers = Vec::new();
            for goal in every_question(&kb) {
                let r = s.query(&goal, Some(position)).expect("query");
                answers.extend(r.answers);
            }
            let together = s.classify_unknowns(&answers).expect("classify");
            for (a, c) in answers.iter().zip(together) {
                let alone = s
                    .classify_unknowns(std::slice::from_ref(a))
                    .expect("classify");
                assert_eq!(
                    alone,
                    [c],
                    "{} under {position} in {}",
                    a.atom,
                    path.display()
                );
                compared += usize::from(a.value == Truth::Unknown);
            }
        }
    }
    assert!(compared > 100, "only {compared} unknown answers compared");
}

/// The classification of `answers` by evaluating the law for every what-if and on the
/// residual programs, after checking that the residual program was built (`here` says where).
fn classified_both_ways(
    s: &Scenario,
    answers: &[opinio::Answer],
    here: &str,
) -> (
    Vec<Option<opinio::explain::UnknownClass>>,
    Vec<Option<opinio::explain::UnknownClass>>,
) {
    opinio::explain::set_residual_what_ifs(false);
    let by_law = s.classify_unknowns(answers);
    opinio::explain::set_residual_what_ifs(true);
    let by_law = by_law.expect("classify by the law");
    let gave_up = opinio::explain::residual_gave_up();
    let residual = s.classify_unknowns(answers).expect("classify");
    assert_eq!(
        opinio::explain::residual_gave_up(),
        gave_up,
        "the residual program was not built {here}"
    );
    (by_law, residual)
}

/// Asserts that the explanation (as JSON) and the detailed reason of `a` are the same by
/// evaluating the law for every what-if and on the residual program.
fn explained_alike(s: &Scenario, a: &opinio::Answer, here: &str) {
    opinio::explain::set_residual_what_ifs(false);
    let by_law = (s.explain(a), s.why_unknown(a));
    opinio::explain::set_residual_what_ifs(true);
    let json = |e: &opinio::explain::Explanation| serde_json::to_string(e).expect("json");
    assert_eq!(
        json(&s.explain(a).expect("explain")),
        json(&by_law.0.expect("explain by the law")),
        "{here}"
    );
    assert_eq!(
        s.why_unknown(a).expect("why"),
        by_law.1.expect("why by the law"),
        "{here}"
    );
}

/// The cheap classification decides its what-ifs on the residual program of the unknown
/// answers (their ground rule instances, simplified against the model) instead of evaluating
/// the law again: on every bundled scenario, under every position, it classifies every
/// answer of every derived predicate exactly as evaluating the law does.
#[test]
fn what_ifs_on_the_residual_program_agree_with_evaluating_the_law() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let (mut compared, mut both) = (0, 0);
    for path in bundled_scenarios() {
        let mut s = Scenario::new(&kb);
        s.load_file(&path).expect("scenario loads");
        for position in kb.position_names() {
            let mut answers = Vec::new();
            for goal in every_question(&kb) {
                let r = s.query(&goal, Some(position)).expect("query");
                answers.extend(r.answers);
            }
            let here = format!("under {position} in {}", path.display());
            let (by_law, residual) = classified_both_ways(&s, &answers, &here);
            for ((a, l), r) in answers.iter().zip(&by_law).zip(&residual) {
                assert_eq!(l, r, "{} under {position} in {}", a.atom, path.display());
                compared += usize::from(l.is_some());
                both += usize::from(l.as_ref().is_some_and(|c| c.kind == UnknownKind::Both));
            }
        }
    }
    assert!(compared > 1_000, "only {compared} unknown answers compared");
    assert!(both > 50, "only {both} answers resting on both compared");
}

/// The residual program grounds what the bundled law barely uses: recursion over missing
/// facts (`reaches`), a negation with a variable of its own ("links to nothing"), an `or`
/// with a comparison and an open point, an exception, a stipulated unknown atom, and a
/// position that settles the point. Every answer is classified exactly as evaluating the law
/// classifies it, and the program is built every time.
#[test]
fn the_residual_program_handles_recursion_negation_and_stipulations() {
    let law = r#"
source law "A test law".
type Node from node.
predicate node(n: Node) closed
  means "n is a node".
predicate link(a: Node, b: Node)
  means "a links to b".
predicate blocked(n: Node)
  means "n is blocked".
predicate reaches(a: Node, b: Node)
  means "a reaches b".
predicate isolated(n: Node)
  means "n is isolated".
predicate exposed(n: Node)
  means "n is exposed".
rule direct:
  reaches(A, B) if link(A, B)
  cites law "s. 1".
rule onward:
  reaches(A, C) if link(A, B) and reaches(B, C)
  cites law "s. 2".
rule lonely:
  isolated(N) if node(N) and not link(N, _)
  cites law "s. 3".
rule exposure:
  exposed(N) if node(N)
    and (reaches(N, M) and M != N or unsettled(exposure_open, "Whether a node alone is exposed is disputed"))
  unless blocked(N)
  cites law "s. 4".
position strict
  means "nodes alone are exposed"
  cites law "s. 5" {
  settle exposure_open = true.
}
"#;
    let kb = KnowledgeBase::from_strings([("law.opinio", law)]).expect("test law loads");
    let mut s = Scenario::new(&kb);
    s.add_text(
        "s.opinio",
        "node(a). node(b). node(c). node(d).
         link(a, b). not link(b, a). not link(d, a). not link(d, b). not link(d, c). not link(d, d).
         unknown reaches(c, a).
         not blocked(a).",
    )
    .expect("scenario loads");
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for position in kb.position_names() {
        let mut answers = Vec::new();
        for goal in ["reaches(X, Y)", "isolated(X)", "exposed(X)"] {
            answers.extend(s.query(goal, Some(position)).expect("query").answers);
        }
        let (by_law, residual) = classified_both_ways(&s, &answers, &format!("under {position}"));
        for ((a, l), r) in answers.iter().zip(&by_law).zip(&residual) {
            assert_eq!(l, r, "{} under {position}", a.atom);
            if let Some(c) = r {
                *kinds.entry(format!("{:?}", c.kind)).or_default() += 1;
            }
        }
    }
    // Each kind occurs, so the comparison is not vacuous.
    for kind in ["MissingFacts", "Both", "Stipulated"] {
        assert!(kinds.get(kind).is_some_and(|n| *n > 0), "{kinds:?}");
    }
}

/// Every what-if of an explanation (the detailed reasons, the search for settling sets)
/// asks for one atom's value: its residual program decides it. On every bundled scenario,
/// for the unknown answers of every question under three positions, the explanation and the
/// detailed reason are exactly those evaluating the law again gives.
#[test]
fn explanations_on_the_residual_program_are_those_of_evaluating_the_law() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let mut compared = 0;
    for path in bundled_scenarios() {
        let mut s = Scenario::new(&kb);
        s.load_file(&path).expect("scenario loads");
        for position in ["tallinn2", "uk", "france"] {
            let mut unknown = Vec::new();
            for goal in every_question(&kb) {
                let r = s.query(&goal, Some(position)).expect("query");
                unknown.extend(r.answers.into_iter().filter(|a| a.value == Truth::Unknown));
            }
            // A spread of answers, not all of them: each explanation is a search.
            let step = (unknown.len() / 12).max(1);
            for a in unknown.iter().step_by(step) {
                let here = format!("{} under {position} in {}", a.atom, path.display());
                explained_alike(&s, a, &here);
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} explanations compared");
}

/// A functional predicate: stating one value of its last slot makes the other values
/// false. A what-if that states one (a settling set, a fact tried alone) must do the same on
/// the residual program, or it would call a fact decisive that is not.
#[test]
fn residual_what_ifs_pin_the_other_values_of_a_functional_fact() {
    let law = r#"
source law "A test law".
type Item from item.
type Grade = low < mid < high.
predicate item(i: Item) closed
  means "i is an item".
predicate grade(i: Item, g: Grade) functional
  means "i has grade g".
predicate flagged(i: Item)
  means "i is flagged".
predicate fine(i: Item)
  means "i is fine".
predicate reviewed(i: Item)
  means "i is reviewed".
predicate lowest(i: Item)
  means "i has the lowest grade".
rule not_low:
  fine(I) if item(I) and not grade(I, low) and not flagged(I)
  cites law "s. 1".
rule review:
  reviewed(I) if grade(I, high) or grade(I, mid) and unsettled(mid_counts, "Whether a middle grade calls for review is disputed")
  cites law "s. 2".
rule lowest_grade:
  lowest(I) if grade(I, low) and not grade(I, mid)
  cites law "s. 3".
"#;
    let kb = KnowledgeBase::from_strings([("law.opinio", law)]).expect("test law loads");
    let mut s = Scenario::new(&kb);
    // `y`'s middle grade is stated unknown: stating another grade does not make it false.
    s.add_text(
        "s.opinio",
        "item(x). item(y). not flagged(y). unknown grade(y, mid).",
    )
    .expect("scenario loads");
    let mut compared = 0;
    for goal in ["fine(I)", "reviewed(I)", "lowest(I)"] {
        for a in s.query(goal, None).expect("query").answers {
            if a.value != Truth::Unknown {
                continue;
            }
            explained_alike(&s, &a, &a.atom);
            compared += 1;
        }
    }
    assert!(compared >= 3, "only {compared} answers compared");
    // Stating the grade low settles "lowest" alone: the grade cannot also be middle.
    let lowest = s.query("lowest(x)", None).expect("query").answers;
    let e = s.explain(&lowest[0]).expect("explain");
    assert!(
        e.would_make_true.iter().any(|set| set.len() == 1),
        "{:?}",
        e.would_make_true
    );
}

/// When the search for settling facts stops at its bounds, the reason says that its list of
/// missing facts is what the search found, not all that matter. Here two facts together
/// settle the answer (where someone lives and a place visited, not the same), among forty
/// places: far more than the fourteen facts the search tries. With a few places, nothing is
/// cut and nothing is said. (A fresh tester read "and 3 more" as a complete count.)
#[test]
fn a_bounded_search_says_its_missing_facts_are_what_it_found() {
    let law = r#"
        source s "Test source".
        type Person.
        type Place.
        predicate person(p: Person) closed means "p is a person".
        predicate place(c: Place) closed means "c is a place".
        predicate lives_in(p: Person, c: Place) means "p lives in c".
        predicate visited(p: Person, c: Place) means "p visited c".
        predicate traveller(p: Person) means "p has been somewhere other than home".
        position only default means "the only view" cites s "intro".
        rule travelling: traveller(P) if person(P) and lives_in(P, C) and visited(P, D) and C != D cites s "1".
    "#;
    let kb = KnowledgeBase::from_strings([("travel.opinio", law)]).expect("loads");
    for (places, bounded) in [(40, true), (2, false)] {
        let mut facts = String::from("person(ann).\n");
        for i in 0..places {
            facts.push_str(&format!("place(c{i}).\n"));
        }
        let s = scenario(&kb, &facts);
        let r = reason(&s, "traveller(ann)");
        assert_eq!(r.kind, UnknownKind::MissingFacts);
        assert_eq!(
            r.more_missing_facts_possible, bounded,
            "{places} places: {r}"
        );
        assert_eq!(
            r.to_string().contains("found by a bounded search"),
            bounded,
            "{places} places: {r}"
        );
    }
}

#[test]
fn a_fact_stated_unknown_is_told_apart_from_one_nobody_stated() {
    let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("law loads");
    // `damage(op)` is stated unknown on purpose; `author(op, x)` nobody stated.
    let s = scenario(
        &kb,
        "unknown damage(op). not intrusion(op). target(op, v). not target(op, x).",
    );
    let why = reason(&s, "violates(op, v)");
    assert_eq!(why.kind, UnknownKind::MissingFacts);
    assert!(texts(&why.missing_facts).contains(&"damage(op)".to_string()));
    assert_eq!(texts(&why.stated_unknown), ["damage(op)"]);
    let line = why.to_string();
    assert!(line.contains("damage(op) (stated unknown)"), "{line}");
    assert!(line.contains("author(op, x)"), "{line}");
    assert!(!line.contains("author(op, x) (stated unknown)"), "{line}");
    let json = serde_json::to_value(&why).expect("json");
    assert_eq!(json["stated_unknown"], serde_json::json!(["damage(op)"]));
    // Nothing stated unknown: the field is left out of the JSON.
    let s = scenario(&kb, "not intrusion(op). target(op, v). not target(op, x).");
    let why = reason(&s, "violates(op, v)");
    assert!(why.stated_unknown.is_empty());
    let json = serde_json::to_value(&why).expect("json");
    assert!(json.get("stated_unknown").is_none(), "{json}");
}

/// A `not` over a conjunction whose variable is its own ("there is no O that the operation
/// acts on and that is big") holds through one value of O at a time: the missing fact is
/// `act(op1, o1)`, the one case where both parts may hold. Read part by part, each part was
/// true of some O, the search found no fact, and the reason said "stipulated unknown:
/// neither facts nor law can change it" though nothing was stipulated (found by a fresh
/// tester).
#[test]
fn a_negated_conjunction_is_read_one_value_of_its_variable_at_a_time() {
    let kb = common::quiet_law();
    let s = scenario(&kb, "flag(op1). act(op1, o2). big(o1).");
    let why = reason(&s, "quiet(op1)");
    assert_eq!(why.kind, UnknownKind::MissingFacts);
    assert_eq!(texts(&why.missing_facts), ["act(op1, o1)"]);
}
