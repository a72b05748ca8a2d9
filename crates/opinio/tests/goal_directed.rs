//! A question evaluates what its predicate depends on (its cone), not the whole law: the
//! answers are those of the whole evaluation, and a scenario too large to evaluate whole
//! within the limits can still be asked about.

mod common;

use common::{bundled_scenarios, every_question};
use opinio::{KnowledgeBase, Limits, Scenario, Truth};

/// On every bundled scenario, under three positions: each question asked alone of a fresh
/// scenario (its cone only, over the base predicates the cone reads) gets the answers the
/// position's whole model gives.
#[test]
fn a_question_alone_gets_the_whole_evaluations_answers() {
    let files = bundled_scenarios();
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let questions = every_question(&kb);
    let mut compared = 0;
    for path in &files {
        let mut whole = Scenario::new(&kb);
        whole.load_file(path).expect("scenario loads");
        for position in ["tallinn2", "uk", "france"] {
            let pos = kb.program().position_id(position).expect("position");
            let goals: Vec<_> = questions
                .iter()
                .map(|q| whole.parse_goal(q).expect("goal"))
                .collect();
            // All the questions at once: the whole model.
            let all = whole.query_goals(&goals, pos).expect("answers");
            for (q, expected) in questions.iter().zip(all) {
                let mut alone = Scenario::new(&kb);
                alone.load_file(path).expect("scenario loads");
                let got = alone.query(q, Some(position)).expect("answers");
                let pairs = |r: &opinio::QueryResult| -> Vec<(String, Truth)> {
                    r.answers
                        .iter()
                        .map(|a| (a.atom.clone(), a.value))
                        .collect()
                };
                assert_eq!(
                    pairs(&got),
                    pairs(&expected),
                    "{q} under {position} in {}",
                    path.display()
                );
                compared += got.answers.len();
            }
        }
    }
    assert!(compared > 1000, "only {compared} answers compared");
}

/// A scenario in the NotPetya pattern with `states` States and `ops` operations, each by a
/// unit of its own State against the next one.
fn many_states(states: usize, ops: usize) -> String {
    let mut out = String::new();
    for s in 0..states {
        out.push_str(&format!("state(s{s}).\n"));
    }
    for o in 0..ops {
        let (author, victim) = (o % states, (o + 1) % states);
        out.push_str(&format!(
            "operation(op{o}).\nconducted_by(op{o}, unit{o}).\norgan_of(unit{o}, s{author}).\n\
             targeted(op{o}, s{victim}).\nintruded_into(op{o}, s{victim}).\n\
             effect_in(op{o}, s{victim}, reinstallation_required).\n\
             scale_of_effect(op{o}, s{victim}, reinstallation_required, significant).\n\
             serious_adverse_consequences(op{o}, s{victim}).\n"
        ));
    }
    out
}

/// With an atom limit the whole evaluation exceeds (the open world of every predicate over
/// 60 States and 40 operations), a question about sovereignty is still answered, and as the
/// whole evaluation (with a limit large enough) answers it.
#[test]
fn a_question_needs_only_what_it_depends_on() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let facts = many_states(60, 40);
    let tight = Limits {
        max_atoms: 200_000,
        ..Limits::default()
    };
    let goal = "violates_sovereignty(op1, s2)";

    let mut whole = Scenario::new(&kb);
    whole.set_limits(tight);
    whole.add_text("many.opinio", &facts).expect("facts");
    let goals = every_question(&kb)
        .iter()
        .map(|q| whole.parse_goal(q).expect("goal"))
        .collect::<Vec<_>>();
    let pos = kb.program().position_id("tallinn2").expect("position");
    assert!(
        whole.query_goals(&goals, pos).is_err(),
        "the whole evaluation should exceed {} atoms",
        tight.max_atoms
    );

    let mut asked = Scenario::new(&kb);
    asked.set_limits(tight);
    asked.add_text("many.opinio", &facts).expect("facts");
    let r = asked
        .query(goal, Some("tallinn2"))
        .expect("answered within the limit");
    // Asked after the whole evaluation stopped at the limit, the question is answered all the
    // same: the answer does not depend on what was asked before.
    let after = whole
        .query(goal, Some("tallinn2"))
        .expect("answered after the whole evaluation failed");
    assert_eq!(after.answers[0].value, r.answers[0].value);

    let mut roomy = Scenario::new(&kb);
    roomy.add_text("many.opinio", &facts).expect("facts");
    let all = roomy.query_goals(&goals, pos).expect("whole evaluation");
    let expected = roomy.query(goal, Some("tallinn2")).expect("answer");
    assert!(!all.is_empty());
    assert_eq!(r.answers[0].value, expected.answers[0].value);
}

/// Positions with the same law for a predicate (`Scenario::law_signature`) answer every
/// question about it alike, on every bundled scenario; and the signature tells positions
/// apart where their law differs (sovereignty below the damage threshold).
#[test]
fn positions_with_the_same_law_answer_alike() {
    let files = bundled_scenarios();
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let program = kb.program();
    let positions: Vec<_> = kb
        .position_names()
        .into_iter()
        .map(|n| program.position_id(n).expect("position"))
        .collect();
    let mut shared = 0;
    for path in &files {
        let mut s = Scenario::new(&kb);
        s.load_file(path).expect("scenario loads");
        for q in every_question(&kb) {
            let goal = s.parse_goal(&q).expect("goal");
            let pred = goal.atom().pred;
            let mut seen: Vec<(opinio::eval::LawSignature, Vec<(String, Truth)>)> = Vec::new();
            for &pos in &positions {
                let law = s.law_signature(pos, &[pred]).expect("signature");
                let r = s.query_goal(&goal, pos).expect("answers");
                let got: Vec<(String, Truth)> = r
                    .answers
                    .iter()
                    .map(|a| (a.atom.clone(), a.value))
                    .collect();
                match seen.iter().find(|(l, _)| *l == law) {
                    Some((_, earlier)) => {
                        assert_eq!(&got, earlier, "{q} in {}", path.display());
                        shared += 1;
                    }
                    None => seen.push((law, got)),
                }
            }
        }
    }
    assert!(shared > 1000, "only {shared} answers shared a law");
    let s = Scenario::new(&kb);
    let pred = program
        .predicate_id("violates_sovereignty")
        .expect("predicate");
    let law = |name: &str| {
        let pos = program.position_id(name).expect("position");
        s.law_signature(pos, &[pred]).expect("signature")
    };
    assert_ne!(law("france"), law("uk"));
}
