//! Plain language in the bundled knowledge base: every predicate says how its statements read
//! (`reads "…"`), every open point raised has a short title, and the sentences come out as a
//! lawyer would write them.

use opinio::{KnowledgeBase, Scenario};

#[test]
fn every_bundled_predicate_reads_in_plain_language() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let program = kb.program();
    let missing: Vec<&str> = program
        .predicates
        .iter()
        .filter(|p| p.reading.is_none())
        .map(|p| p.name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "predicates without `reads`: {missing:?}"
    );
    for p in &program.predicates {
        let Some(r) = &p.reading else { continue };
        assert!(
            !r.template.ends_with('.') && !r.template.trim().is_empty(),
            "`{}` reads {:?}: a clause, without a final full stop",
            p.name,
            r.template
        );
    }
}

#[test]
fn every_raised_point_has_a_short_title() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let program = kb.program();
    assert!(
        program.points.len() >= 19,
        "{} points",
        program.points.len()
    );
    for p in &program.points {
        let title = p
            .title
            .as_deref()
            .unwrap_or_else(|| panic!("the point `{}` has no `titled`", p.name));
        assert!(
            title.len() <= 80 && !title.ends_with('.'),
            "`{}`: a title is short and has no full stop: {title:?}",
            p.name
        );
        assert!(
            title.len() < p.reason.len(),
            "`{}`: the title is shorter than the reason",
            p.name
        );
    }
}

#[test]
fn notpetya_in_plain_language() {
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let mut case = Scenario::new(&kb);
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/notpetya.opinio");
    case.load_file(&path).expect("the scenario loads");
    let phrase = |goal: &str| {
        let result = case.query(goal, None).expect("answers");
        let a = &result.answers[0];
        case.program().phrase(a.pred, &a.args, case.interner())
    };
    assert_eq!(
        phrase("violates_sovereignty(notpetya, denmark)"),
        "notpetya violates the sovereignty of denmark"
    );
    assert_eq!(
        phrase("attributable(notpetya, russia)"),
        "notpetya is attributable to russia"
    );
    assert_eq!(
        phrase("breaches_due_diligence(russia, notpetya, ukraine)"),
        "russia breached its duty of due diligence toward ukraine with respect to notpetya"
    );
    let program = case.program();
    let point = program
        .point_id("sovereignty_below_threshold")
        .expect("raised");
    assert_eq!(
        program.point_title(point),
        "sovereignty below the damage threshold"
    );
}

#[test]
fn notes_name_the_tallinn_manual_in_full() {
    // Citations give the source's key (`tm2 "Rule 15"`); prose names the Manual in full.
    let kb = KnowledgeBase::bundled().unwrap_or_else(|e| panic!("{}", e.render()));
    let program = kb.program();
    let texts = program
        .rules
        .iter()
        .flat_map(|r| r.notes.iter())
        .chain(program.predicates.iter().flat_map(|p| p.notes.iter()))
        .chain(program.predicates.iter().filter_map(|p| p.meaning.as_ref()))
        .chain(program.points.iter().map(|p| &p.reason));
    for t in texts {
        for short in ["T2 Rule", "tm2 Rule", "TM2 Rule"] {
            assert!(!t.contains(short), "write \"Tallinn Manual 2.0 Rule\": {t}");
        }
    }
}
