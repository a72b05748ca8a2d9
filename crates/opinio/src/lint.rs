//! Checks that need the knowledge base's vocabulary: warnings, never errors. They read an
//! evaluated model handed to them and evaluate nothing themselves.

use crate::diagnostic::Diagnostic;
use crate::eval::{FactSet, Model};
use crate::program::{GroundFact, Interner, PredId, Program, Tuple};
use crate::syntax::ast::Truth;
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// Warns when an operation has an actor but no declared State, other than the States it
/// affects, could be its author (SEMANTICS.md, "Types and domains"). Only runs when the
/// knowledge base has the vocabulary (`conducted_by`, `state`, `affected`). `facts` are the
/// scenario's stated facts, `fact_set` those and the knowledge base's; `model` gives the
/// a model under the default position giving the predicate passed its values (asked for
/// only when the vocabulary is there).
pub(crate) fn author_warnings(
    program: &Program,
    interner: &Interner,
    facts: &[GroundFact],
    fact_set: &FactSet,
    model: impl FnOnce(PredId) -> Option<Arc<Model>>,
) -> Vec<Diagnostic> {
    let (Some(conducted), Some(state), Some(affected)) = (
        program.predicate_id("conducted_by"),
        program.predicate_id("state"),
        program.predicate_id("affected"),
    ) else {
        return Vec::new();
    };
    let Some(model) = model(affected) else {
        return Vec::new();
    };
    let states: Vec<u32> = fact_set
        .stated
        .get(state.index())
        .map(|m| {
            m.iter()
                .filter(|(_, v)| **v == Truth::True)
                .filter_map(|(t, _)| t.first().copied())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut ops: Vec<(u32, crate::source::Span)> = facts
        .iter()
        .filter(|f| f.pred == conducted && f.value == Truth::True)
        .filter_map(|f| f.args.first().map(|o| (*o, f.span)))
        .collect();
    ops.sort();
    ops.dedup_by_key(|(o, _)| *o);
    for (op, span) in ops {
        let possible_author = states.iter().any(|st| {
            let t: Tuple = [op, *st].into_iter().collect();
            model.value(affected, &t) == Truth::False
        });
        if !possible_author {
            let name = interner.name(op).to_string();
            out.push(
                Diagnostic::warning(
                    crate::diagnostic::Code::NoPossibleAuthor,
                    format!("no declared State could be the author of `{name}`"),
                )
                .with_label(span, "the operation's actor is stated here")
                .with_help(format!(
                    "every declared State is affected by `{name}`; to leave the author open, declare the suspected State or a placeholder such as `state(unidentified_state).`"
                )),
            );
        }
    }
    out
}

/// A tactic fact and the effect it implies (LAW-2.md §6): `tactic(Op, …)` is stated, so
/// `effect_in(Op, V, effect)` should be too, with V the tactic's second argument when
/// `same_state` (else any State).
struct TacticEffect {
    tactic: &'static str,
    effect: &'static str,
    same_state: bool,
    why: &'static str,
}

const TACTIC_EFFECTS: &[TacticEffect] = &[
    TacticEffect {
        tactic: "data_encrypted",
        effect: "data_alteration",
        same_state: true,
        why: "encrypting data alters it",
    },
    TacticEffect {
        tactic: "recovery_impossible",
        effect: "data_alteration",
        same_state: false,
        why: "data that cannot be restored were altered or destroyed",
    },
    TacticEffect {
        tactic: "ransom_paid",
        effect: "economic_loss",
        same_state: false,
        why: "a ransom paid is an economic loss",
    },
    TacticEffect {
        tactic: "published_exfiltrated_data",
        effect: "data_exfiltration",
        same_state: false,
        why: "publishing data taken in the operation presupposes their exfiltration",
    },
];

/// Warns about facts that describe less than they imply, changing no value (LAW-2.md §6, §8):
/// a tactic stated without the effect it implies (the rules read effects, not tactics), and a
/// dated entry into force (`party_since`) for a State not stated a party (`party_to`). Only
/// runs on the predicates the knowledge base declares.
pub(crate) fn description_warnings(
    program: &Program,
    interner: &Interner,
    facts: &[GroundFact],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let stated_true = |pred: crate::program::PredId| {
        facts
            .iter()
            .filter(move |f| f.pred == pred && f.value == Truth::True)
    };
    if let Some(effect_in) = program.predicate_id("effect_in") {
        // The effects stated, once: `(operation, State, effect)`, and `(operation, effect)`.
        let mut in_state: FxHashSet<(u32, u32, u32)> = FxHashSet::default();
        let mut anywhere: FxHashSet<(u32, u32)> = FxHashSet::default();
        for e in stated_true(effect_in) {
            if let [o, v, ef] = e.args.as_slice() {
                in_state.insert((*o, *v, *ef));
                anywhere.insert((*o, *ef));
            }
        }
        for t in TACTIC_EFFECTS {
            let (Some(tactic), Some(effect)) =
                (program.predicate_id(t.tactic), interner.get(t.effect))
            else {
                continue;
            };
            for f in stated_true(tactic) {
                let (Some(&op), state) = (f.args.first(), f.args.get(1).copied()) else {
                    continue;
                };
                let found = match (t.same_state, state) {
                    (true, Some(v)) => in_state.contains(&(op, v, effect)),
                    (true, None) => false,
                    (false, _) => anywhere.contains(&(op, effect)),
                };
                if found {
                    continue;
                }
                let op_name = interner.name(op);
                let victim = match (t.same_state, state) {
                    (true, Some(v)) => interner.name(v).to_string(),
                    _ => "V".to_string(),
                };
                out.push(
                    Diagnostic::warning(
                        crate::diagnostic::Code::TacticWithoutEffect,
                        format!(
                            "`{}` is stated for `{op_name}` without the effect it implies",
                            t.tactic
                        ),
                    )
                    .with_label(f.span, format!("{}, but no `{}` effect is stated", t.why, t.effect))
                    .with_help(format!(
                        "the rules read effects, not tactics: state `effect_in({op_name}, {victim}, {}).` as well",
                        t.effect
                    )),
                );
            }
        }
    }
    // A functional predicate whose last slot is a date (`occurred_on`): a subject whose dates
    // are only excluded keeps as candidates only the other dates written (the domain of Date).
    for (i, info) in program.predicates.iter().enumerate() {
        let pred = crate::program::PredId::from_index(i);
        let last_is_date = info
            .slots
            .last()
            .is_some_and(|s| program.type_info(s.ty).is_date());
        if !(info.functional && last_is_date) || info.derived {
            continue;
        }
        // The arguments before the date: what is dated (the operation).
        let subject = |f: &GroundFact| f.args.split_last().map(|(_, rest)| rest.to_vec());
        let dated: FxHashSet<Vec<u32>> = facts
            .iter()
            .filter(|f| f.pred == pred && f.value != Truth::False)
            .filter_map(subject)
            .collect();
        let mut warned: FxHashSet<Vec<u32>> = FxHashSet::default();
        for f in facts
            .iter()
            .filter(|f| f.pred == pred && f.value == Truth::False)
        {
            let Some(key) = subject(f) else { continue };
            if dated.contains(&key) || !warned.insert(key) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    crate::diagnostic::Code::DateOnlyExcluded,
                    format!(
                        "`{}` excludes a date but states none: only the other dates written in the case remain possible",
                        info.name
                    ),
                )
                .with_label(f.span, "a date excluded, none stated")
                .with_help("Opinio knows only the dates written; state the date if it is known, or leave it unstated (unknown) rather than excluding one"),
            );
        }
    }
    if let (Some(since), Some(party)) = (
        program.predicate_id("party_since"),
        program.predicate_id("party_to"),
    ) {
        let parties: FxHashSet<&[u32]> = stated_true(party).map(|p| p.args.as_slice()).collect();
        for f in stated_true(since) {
            let [s, t, _] = f.args.as_slice() else {
                continue;
            };
            if !parties.contains([*s, *t].as_slice()) {
                let (s, t) = (interner.name(*s), interner.name(*t));
                out.push(
                    Diagnostic::warning(
                        crate::diagnostic::Code::DatedWithoutParty,
                        format!("`{s}` is given a date of entry into force of `{t}` but is not stated a party to it"),
                    )
                    .with_label(f.span, "dated here")
                    .with_help(format!(
                        "state `party_to({s}, {t}).` too if the State is still a party; questions of cooperation read `party_to`"
                    )),
                );
            }
        }
    }
    out
}

/// Warns when an operation stated to be a countermeasure (`precluded_by(Op, countermeasure)`)
/// is a use of force (true, not unknown) against some State under one of the models given (one
/// a position, named): a countermeasure
/// may not involve force (ARSIWA Art. 50(1)(a); Tallinn Manual 2.0 Rule 22, commentary), yet
/// the statement, taken as the user's, precludes the wrongfulness of the use of force
/// (LAW.md §6 reads "unless `precluded_by(Op, C)` for some C"). The model is asked for only
/// when such a statement exists and the knowledge base has the vocabulary.
pub(crate) fn forcible_countermeasure_warnings(
    program: &Program,
    interner: &Interner,
    facts: &[GroundFact],
    models: impl FnOnce(PredId) -> Vec<(String, Arc<Model>)>,
) -> Vec<Diagnostic> {
    let (Some(precluded), Some(force), Some(countermeasure)) = (
        program.predicate_id("precluded_by"),
        program.predicate_id("use_of_force"),
        interner.get("countermeasure"),
    ) else {
        return Vec::new();
    };
    let mut stated: Vec<(u32, crate::source::Span)> = facts
        .iter()
        .filter(|f| f.pred == precluded && f.value == Truth::True)
        .filter(|f| f.args.get(1) == Some(&countermeasure))
        .filter_map(|f| f.args.first().map(|o| (*o, f.span)))
        .collect();
    if stated.is_empty() {
        return Vec::new();
    }
    stated.sort();
    stated.dedup_by_key(|(o, _)| *o);
    let models = models(force);
    let mut out = Vec::new();
    for (op, span) in stated {
        // Only a use of force the facts establish: with the scale of an effect left open,
        // almost any operation may be one, and every countermeasure would be warned about.
        // Positions differ on what is force (France: grave economic loss), so each is read.
        let mut against: Vec<String> = Vec::new();
        let mut under: Vec<&str> = Vec::new();
        for (position, model) in &models {
            let victims: Vec<String> = model
                .definite(force)
                .iter()
                .filter(|row| row.first() == Some(&op))
                .filter_map(|row| row.get(1).map(|v| interner.name(*v).to_string()))
                .collect();
            if !victims.is_empty() {
                under.push(position);
                against.extend(victims);
            }
        }
        against.sort();
        against.dedup();
        let Some(victim) = against.first() else {
            continue;
        };
        let positions = if under.len() == models.len() {
            String::new()
        } else {
            format!(" (under {})", under.join(", "))
        };
        let name = interner.name(op).to_string();
        out.push(
            Diagnostic::warning(
                crate::diagnostic::Code::ForcibleCountermeasure,
                format!(
                    "`{name}` is stated to be a countermeasure, but it is a use of force against `{victim}`{positions}: a countermeasure may not involve force (ARSIWA Art. 50(1)(a)), yet the statement precludes the wrongfulness of that use of force"
                ),
            )
            .with_label(span, "the operation is said to be a countermeasure here")
            .with_help(format!(
                "if `{name}` is a use of force, it is no lawful countermeasure: remove `precluded_by({name}, countermeasure)` (or state `precluded_by({name}, self_defence)` if the claim is self-defence)"
            )),
        );
    }
    out
}
