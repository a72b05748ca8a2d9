#!/usr/bin/env python3
"""Writes N random scenarios, one JSON object a line, for `opinio batch` (fixed seed).

Each scenario uses the public vocabulary of the bundled knowledge base
(/work/shared/spec/VOCABULARY.md): a few States, one or two operations, the actors that
conducted them and what is known of their links to States, targets, intrusions, effects and
their scale, knowledge and measures for due diligence, treaty membership, and now and then a
stipulation about a derived predicate. Every line is a valid scenario unless --bad-every asks
for broken ones.

    gen_scenarios.py 100000 > scenarios.jsonl
    gen_scenarios.py 1000 --seed 7 --bad-every 50 > with_errors.jsonl
"""

import argparse
import json
import random
import sys

STATES = [
    "astoria", "borduria", "carpania", "dorvania", "elbonia", "freedonia", "genovia",
    "latveria", "molvania", "norland", "orsinia", "pottsylvania", "qurac", "ruritania",
    "syldavia", "tomainia", "urkesh", "vesta", "wadiya", "zubrowka",
]
EFFECTS = [
    "death_or_injury", "physical_damage", "loss_of_functionality", "reinstallation_required",
    "temporary_loss_of_functionality", "data_alteration", "malware_emplacement",
    "data_exfiltration", "economic_loss",
]
SCALES = ["minor", "significant", "grave"]
CIRCUMSTANCES = ["countermeasure", "necessity", "self_defence", "distress", "force_majeure"]
ACTOR_KINDS = ["unit", "agency", "group", "company", "contractor", "directorate"]


def scenario(rng, n):
    facts, negative, unknown = [], [], []

    def say(atom, p_true, p_false=0.0, p_unknown=0.0):
        """States `atom` true, false or unknown with these chances (else says nothing)."""
        r = rng.random()
        if r < p_true:
            facts.append(atom)
        elif r < p_true + p_false:
            negative.append(atom)
        elif r < p_true + p_false + p_unknown:
            unknown.append(atom)

    states = rng.sample(STATES, rng.randint(2, 4))
    for s in states:
        facts.append(f"state({s})")
    victim, author = states[0], states[1]
    others = states[2:]
    ops = [f"op_{n}_{k}" for k in range(rng.randint(1, 2))]
    for k, op in enumerate(ops):
        facts.append(f"operation({op})")
        actor = f"{rng.choice(ACTOR_KINDS)}_{n}_{k}"
        facts.append(f"conducted_by({op}, {actor})")
        # The actor's link to a State (organ_of and empowered_by are functional).
        r = rng.random()
        if r < 0.45:
            facts.append(f"organ_of({actor}, {author})")
        elif r < 0.6:
            unknown.append(f"organ_of({actor}, {author})")
        elif r < 0.7:
            facts.append(f"empowered_by({actor}, {author})")
        for s in [author] + others:
            say(f"instructed_by({op}, {s})", 0.1, 0.2, 0.1)
            say(f"controlled_by({op}, {s})", 0.1, 0.2, 0.1)
            say(f"adopted_by({op}, {s})", 0.05, 0.1)
            say(f"from_government_infrastructure({op}, {s})", 0.15)
            say(f"originated_from({op}, {s})", 0.4)
        victims = [victim] + [s for s in others if rng.random() < 0.4]
        for v in victims:
            say(f"targeted({op}, {v})", 0.8)
            say(f"intruded_into({op}, {v})", 0.6)
            for e in rng.sample(EFFECTS, rng.randint(0, 3)):
                facts.append(f"effect_in({op}, {v}, {e})")
                r = rng.random()
                if r < 0.8:
                    facts.append(f"scale_of_effect({op}, {v}, {e}, {rng.choice(SCALES)})")
                elif r < 0.9:
                    unknown.append(f"scale_of_effect({op}, {v}, {e}, grave)")
            say(f"agents_present_in({op}, {v})", 0.1)
            say(f"interferes_with_governmental_function({op}, {v})", 0.3)
            say(f"usurps_governmental_function({op}, {v})", 0.05)
            say(f"consented({v}, {op})", 0.03)
            say(f"bears_on_domaine_reserve({op}, {v})", 0.2, 0.2, 0.1)
            say(f"coercive({op}, {v})", 0.2, 0.2, 0.1)
            say(f"serious_adverse_consequences({op}, {v})", 0.3, 0.1, 0.1)
            say(f"critical_infrastructure_affected({op}, {v})", 0.2)
            say(f"csirt_affected({op}, {v})", 0.05)
        for s in others:
            say(f"transited({op}, {s})", 0.2)
            say(f"knew_of({s}, {op})", 0.2, 0.2, 0.1)
            say(f"should_have_known({s}, {op})", 0.2, 0.2)
            say(f"feasible_measures_available({s}, {op})", 0.2, 0.1)
            say(f"took_feasible_measures({s}, {op})", 0.1, 0.2)
        say(f"intercepted_without_right({op})", 0.2)
        say(f"authorized_by_security_council({op})", 0.01)
        say(f"ceased_and_repaired({author}, {op})", 0.05)
        if rng.random() < 0.05:
            facts.append(f"precluded_by({op}, {rng.choice(CIRCUMSTANCES)})")
        # Now and then a stipulation: a fact about a derived predicate.
        if rng.random() < 0.05:
            facts.append(f"attributable({op}, {author})")
    for s in states:
        say(f"party_to({s}, budapest_convention)", 0.5)
    for h in others:
        say(f"requested_assistance({victim}, {h})", 0.1)
    return {"id": f"s{n}", "facts": facts, "negative_facts": negative, "unknown_facts": unknown}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--bad-every", type=int, default=0, help="make every Nth line broken")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout
    buf = []
    for n in range(1, a.count + 1):
        if a.bad_every and n % a.bad_every == 0:
            line = '{"id": "broken", "facts": ["state(' if n % 2 else json.dumps(
                {"id": f"s{n}", "facts": ["operation(op)", "conducted_by(op, unknown_state)", "organ_of(x, nowhere)"]})
        else:
            line = json.dumps(scenario(rng, n), separators=(",", ":"))
        buf.append(line)
        if len(buf) >= 1000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
