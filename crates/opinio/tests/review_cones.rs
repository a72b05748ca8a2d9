//! Review of the goal-directed evaluation on a law of its own: recursive predicates (through
//! `or` and a cycle of two), stipulated derived atoms inside a cycle, exceptions, open points
//! settled differently, positions that withdraw, replace or add rules (also for a predicate
//! that is a base fact under the default position) and `unverified` elements. Each question
//! asked alone (its cone), all questions at once (the whole model) and the same questions asked
//! again after a fact is retracted on the same scenario (no stale cone) must agree, answers
//! and explanations alike.

use opinio::{KnowledgeBase, Scenario, Truth};

const LAW: &str = r#"source law "A model statute".
source law2 "A later statute" dated 2020-01-01.

type State from state.
type Org.
type Operation.

predicate state(s: State) closed means "a State".
predicate controls(a: Org, b: Org) closed means "a controls b".
predicate linked(a: Org, b: Org) means "a linked b (open)".
predicate reach(a: Org, b: Org) means "a reaches b".
predicate mutual(a: Org, b: Org) means "mutual".
predicate conducted_by(op: Operation, a: Org) closed means "conducted".
predicate organ_of(a: Org, s: State) functional means "organ".
predicate attributable(op: Operation, s: State) means "attr".
predicate harm(op: Operation, s: State) closed means "harm".
predicate consented(s: State, op: Operation) means "consent".
predicate violation(op: Operation, s: State) means "violation".
predicate wrongful(op: Operation, s: State) means "wrongful".
predicate excused(op: Operation) means "excused".
predicate lonely(a: Org) means "lonely".
predicate cycle_a(a: Org) means "ca".
predicate cycle_b(a: Org) means "cb".
predicate seed(a: Org) means "seed".

rule r_direct: reach(A, B) if controls(A, B) cites law "1".
rule r_link: reach(A, B) if linked(A, B) cites law "1a".
rule r_trans: reach(A, C) if reach(A, B) and reach(B, C) cites law "2".
rule r_mutual: mutual(A, B) if reach(A, B) and reach(B, A) cites law "3".
rule r_attr: attributable(Op, S) if conducted_by(Op, A) and organ_of(B, S) and reach(B, A) cites law "4".
rule r_attr_direct: attributable(Op, S) if conducted_by(Op, A) and organ_of(A, S) cites law "4a".
rule r_viol: violation(Op, V) if attributable(Op, S) and harm(Op, V) and S != V unless consented(V, Op) cites law "5".
rule r_viol_remote: violation(Op, V) if attributable(Op, S) and state(V) and S != V and unsettled(remote, "split on remote ops") and not harm(Op, V) cites law "5a".
rule r_wrong: wrongful(Op, V) if violation(Op, V) and not excused(Op) cites law "6".
rule r_exc: excused(Op) if conducted_by(Op, A) and unsettled(necessity, "split on necessity") cites law "7".
rule r_lonely: lonely(A) if conducted_by(_, A) and not reach(A, _) cites law "8".
rule r_ca: cycle_a(A) if cycle_b(A) cites law "9".
rule r_cb: cycle_b(A) if cycle_a(A) or seed(A) cites law "9".
rule r_seed: seed(A) if linked(A, A) cites law "10".

position base default means "base" cites law "x".
position p_settle extends base means "settles remote true" cites law "y" {
  settle remote = true cites law "z".
}
position p_settle2 extends base means "settles remote true too, later" cites law2 "y" dated 2020-01-01 {
  settle remote = true cites law2 "z".
}
position p_withdraw extends base means "withdraws transitivity" cites law "y" {
  withdraw r_trans cites law "w".
}
position p_withdraw2 extends p_withdraw means "also affirm" cites law "y" {
  affirm r_viol cites law "w".
  settle necessity = false cites law "n".
}
position p_replace extends base means "replace viol" cites law "y" {
  replace r_viol: violation(Op, V) if attributable(Op, S) and harm(Op, V) cites law "5r".
}
position p_noattr extends base means "no attribution rules at all" cites law "y" {
  withdraw r_attr cites law "w".
  withdraw r_attr_direct cites law "w".
}
position p_unver extends base means "unverified" cites law "y" {
  unverified r_viol, remote.
}
position p_add extends base means "adds a rule for a base predicate" cites law "y" {
  rule r_cons: consented(S, Op) if conducted_by(Op, A) and organ_of(A, S) cites law "c".
  rule r_harm: harm(Op, S) if conducted_by(Op, A) and organ_of(A, S) cites law "h".
}
"#;

const S1: &str = r#"state(arland). state(borduria). state(cordia).
controls(a, b). controls(b, c). controls(c, a). controls(d, e).
linked(e, f).
unknown linked(f, g).
conducted_by(op1, c). conducted_by(op2, g). conducted_by(op3, x).
organ_of(a, borduria). organ_of(d, cordia).
harm(op1, arland). harm(op2, arland).
consented(arland, op2).
seed(zz).
"#;

const S2: &str = r#"state(arland). state(borduria).
controls(a, b). controls(b, a).
not linked(a, b). not linked(b, a). not linked(a, a). not linked(b, b).
conducted_by(op1, b).
organ_of(a, borduria).
harm(op1, arland).
not consented(arland, op1).
not consented(borduria, op1).
reach(b, zz).
unknown excused(op1).
cycle_a(a).
"#;

const QUESTIONS: &[&str] = &[
    "reach(X, Y)",
    "mutual(X, Y)",
    "attributable(O, S)",
    "violation(O, S)",
    "wrongful(O, S)",
    "excused(O)",
    "lonely(A)",
    "cycle_a(A)",
    "cycle_b(A)",
    "seed(A)",
    "consented(S, O)",
    "harm(O, S)",
];

fn kb() -> KnowledgeBase {
    KnowledgeBase::from_strings([("law.opinio", LAW)]).expect("the review law loads")
}

fn scenario(kb: &KnowledgeBase, text: &str) -> Scenario {
    let mut s = Scenario::new(kb);
    s.add_text("case.opinio", text).expect("the case loads");
    s
}

/// Answers of one question.
fn answers(s: &Scenario, q: &str, position: &str) -> Vec<(String, Truth)> {
    let r = s.query(q, Some(position)).expect("answers");
    r.answers
        .iter()
        .map(|a| (a.atom.clone(), a.value))
        .collect()
}

/// Answers and explanations of one question, the explanations as text.
fn explained(s: &Scenario, q: &str, position: &str) -> Vec<(String, Truth, String)> {
    let r = s.query(q, Some(position)).expect("answers");
    r.answers
        .iter()
        .take(2)
        .map(|a| {
            let e = s.explain(a).expect("explanation");
            (a.atom.clone(), a.value, format!("{e:?}"))
        })
        .collect()
}

/// Every question alone, on a fresh scenario, answers as the whole model does.
#[test]
fn each_question_alone_agrees_with_the_whole_model() {
    let kb = kb();
    let mut compared = 0;
    for text in [S1, S2] {
        for position in kb.position_names() {
            let pos = kb.program().position_id(position).expect("position");
            let whole = scenario(&kb, text);
            whole.model(pos).expect("whole model");
            for q in QUESTIONS {
                let alone = scenario(&kb, text);
                let got = answers(&alone, q, position);
                let expected = answers(&whole, q, position);
                assert_eq!(got, expected, "{q} under {position}");
                if ["base", "p_withdraw2", "p_add"].contains(&position) && text == S2 {
                    assert_eq!(
                        explained(&scenario(&kb, text), q, position),
                        explained(&whole, q, position),
                        "explanations of {q} under {position}"
                    );
                }
                compared += got.len();
            }
            // All at once.
            let fresh = scenario(&kb, text);
            let goals: Vec<_> = QUESTIONS
                .iter()
                .map(|q| fresh.parse_goal(q).expect("goal"))
                .collect();
            let all = fresh.query_goals(&goals, pos).expect("answers");
            for (q, r) in QUESTIONS.iter().zip(all) {
                let one = whole.query(q, Some(position)).expect("answers");
                let pairs = |r: &opinio::QueryResult| -> Vec<(String, Truth)> {
                    r.answers
                        .iter()
                        .map(|a| (a.atom.clone(), a.value))
                        .collect()
                };
                assert_eq!(pairs(&r), pairs(&one), "{q} under {position}, all at once");
            }
        }
    }
    assert!(compared > 300, "only {compared} answers compared");
}

/// Asking, retracting a fact and asking again on the same scenario gives what a fresh
/// scenario without the fact gives (the cone models are forgotten with the fact).
#[test]
fn a_retracted_fact_leaves_no_stale_cone() {
    let kb = kb();
    let retractable = [
        "controls(a, b)",
        "controls(c, a)",
        "linked(e, f)",
        "linked(f, g)",
        "seed(zz)",
        "harm(op1, arland)",
        "consented(arland, op2)",
        "organ_of(a, borduria)",
    ];
    for fact in retractable {
        for position in kb.position_names() {
            let mut s = scenario(&kb, S1);
            for q in QUESTIONS {
                answers(&s, q, position);
            }
            assert!(s.retract(fact).expect("retracts"), "{fact} was stated");
            let without: String = S1
                .split_inclusive('.')
                .filter(|st| {
                    let st = st.trim().trim_end_matches('.');
                    let st = st.strip_prefix("unknown ").unwrap_or(st);
                    st != fact
                })
                .collect();
            let fresh = scenario(&kb, &without);
            for q in QUESTIONS {
                assert_eq!(
                    answers(&s, q, position),
                    answers(&fresh, q, position),
                    "{q} under {position} after retracting {fact}"
                );
            }
        }
    }
}
