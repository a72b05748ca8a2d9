//! Snapshots of `opinio fmt` on representative texts. The inputs are copies (written loosely on
//! purpose) of parts of the bundled knowledge base and of a scenario, kept here so that edits
//! to the knowledge base do not move these snapshots.

use opinio::fmt::format_source;

fn fmt(text: &str) -> String {
    match format_source(text) {
        Ok(out) => {
            assert_eq!(
                format_source(&out).ok().as_deref(),
                Some(out.as_str()),
                "not idempotent"
            );
            out
        }
        Err(e) => format!("error: {}", e.diagnostic.message),
    }
}

const KNOWLEDGE_FILE: &str = r#"# Sovereignty: when does a cyber operation violate the sovereignty of another State? (T2 Rule 4)
#
# `sovereignty_basis(Op, V)` holds the objective bases of a violation.

source tm2 "Tallinn Manual 2.0 on the International Law Applicable to Cyber Operations (2017)".
source arsiwa "ILC, Articles on Responsibility of States for Internationally Wrongful Acts (2001)".
type State from state.   # the States a scenario declares
type Operation.  # the operations under analysis
type Effect = death_or_injury | physical_damage | loss_of_functionality | reinstallation_required | temporary_loss_of_functionality | data_alteration | malware_emplacement | data_exfiltration | economic_loss.
type Scale = minor<significant<grave.

predicate state(state: State) closed means "the entity is a State".
predicate violates_sovereignty(op: Operation, victim: State) means "the operation violates the sovereignty of the State" reads   "{op} violates the sovereignty of {victim}"  cites tm2 "Rule 4 and commentary".
predicate at_war() reads"a \"state\" of war" .
unsettled   sovereignty_below_threshold
   titled "remote operations below the damage threshold" .  # short title

rule sovereignty_violation_by_state:
  violates_sovereignty(Op, V) if attributable(Op, S) and sovereignty_basis(Op, V) and S != V unless consented(V, Op)
  cites tm2 "Rule 4 and commentary; Rule 19, commentary", arsiwa "Art. 20 (consent), with the commentary to Chapter V of Part One"
  note "Only a State can violate sovereignty.".



# ------------------------------------------------ territorial integrity
rule sovereignty_territorial_integrity: sovereignty_basis(Op, V) if effect_in(Op, V, E) and (E = death_or_injury or E = physical_damage or E = loss_of_functionality) cites tm2 "Rule 4, commentary paras 11-12".

rule sovereignty_remote_intrusion:
  sovereignty_basis(Op, V) if intruded_into(Op, V)
    and unsettled(sovereignty_below_threshold, "The experts split on whether a \"mere\" intrusion violates sovereignty")
  cites tm2 "Rule 4, commentary paras 13-14".

rule force_basis_scale:
  force_basis(Op, V) if physical_effect(Op, V, E) and scale_of_effect(Op, V, E, L) and L >= significant
    or effect_in(Op, V, loss_of_functionality) and not (consented(V, Op) or precluded_by(Op, C))
  cites tm2 "Rule 69".

rule with_a_comment_inside:
  attributable(Op, S) if conducted_by(Op, A)
      and organ_of(A, S)   # ARSIWA Art. 4: any organ, whatever its place
  cites arsiwa "Art. 4".
"#;

const POSITION: &str = r#"# United States: State Department Legal Advisers Koh (2012) and Egan (2016).

position united_states extends tallinn2
  means "the published view of the United States State Department"
  cites us_koh_2012 "International Law in Cyberspace, 18 September 2012", us_egan_2016 "International Law and Stability in Cyberspace, 10 November 2016" {

  replace sovereignty_remote_intrusion:
    sovereignty_basis(Op, V) if intruded_into(Op, V)
      and unsettled(sovereignty_remote_us, "The United States has said that the question is under study")
    cites us_egan_2016 "passage on sovereignty".
  replace due_diligence_failure:
    breaches_due_diligence(S, Op, V) if
      feasible_measures_available(S, Op) and S != V
      and (originated_from(Op, S) or transited(Op, S))
      and not took_feasible_measures(S, Op)
    cites us_koh_2012 "no statement on due diligence", us_egan_2016 "no statement on due diligence".

  withdraw armed_attack_grave_physical cites us_koh_2012 "passage on self-defence".   # no gap
  settle sovereignty_below_threshold = false cites us_egan_2016.
  affirm force_physical_effects.

  rule us_armed_attack_any_use_of_force:
    armed_attack(Op, V) if use_of_force(Op, V)
    cites us_koh_2012 "passage on self-defence", un_charter "Art. 51"
    note "No gap between a use of force and an armed attack.".
  # The rest is inherited from tallinn2.
}

position tallinn2 default means "the majority view of the Tallinn Manual 2.0 experts" cites tm2 "Introduction" {
}
"#;

const SCENARIO: &str = r#"# NotPetya (June 2017), loosely written.
state(russia). state(ukraine).   state( denmark ).
operation(notpetya).
conducted_by(notpetya, "gru_unit_74455"). organ_of(gru_unit_74455, russia).  # named by several governments
effect_in(notpetya, ukraine, reinstallation_required).   # ministries lost their systems
effect_in(notpetya, denmark, economic_loss).
not controlled_by(notpetya, russia).
unknown knew_of(ukraine, notpetya).
conducted_by(other_op, "Fancy Bear"). conducted_by(other_op, "a \"quoted\" \\ name").


expect violates_sovereignty(notpetya, ukraine) = true.
expect   under uk   violates_sovereignty(notpetya, ukraine) = false .
# expect: tallinn2 violates_sovereignty(notpetya, denmark) = unknown
"#;

#[test]
fn fmt_knowledge_file() {
    let out = fmt(KNOWLEDGE_FILE);
    insta::assert_snapshot!("fmt_knowledge_file", out);
}

#[test]
fn fmt_position() {
    let out = fmt(POSITION);
    insta::assert_snapshot!("fmt_position", out);
}

#[test]
fn fmt_scenario() {
    let out = fmt(SCENARIO);
    insta::assert_snapshot!("fmt_scenario", out);
}

#[test]
fn fmt_syntax_error() {
    let out = fmt("state(russia)\nstate(ukraine).\n");
    insta::assert_snapshot!("fmt_syntax_error", out);
}
