#!/usr/bin/env python3
"""Writes one large scenario in the NotPetya pattern, for the growth curve of bench/targets.sh.

S States and N operations; operation i is conducted by its own unit, an organ of State
i mod S, targets State i+1 and intrudes into States i+1 and i+2 (mod S), with NotPetya's
effects, scales and circumstances in both. Every other base atom is left to the open world, so
an engine that enumerates the open world over whole domains pays for S x N x ... atoms here.

    gen_growth.py 200 100 > growth.opinio      # 200 States, 100 operations
"""

import sys


def main():
    states, ops = int(sys.argv[1]), int(sys.argv[2])
    out = []
    for s in range(states):
        out.append(f"state(s{s}).")
    for i in range(ops):
        op, unit = f"op{i}", f"unit{i}"
        author = f"s{i % states}"
        victim, bystander = f"s{(i + 1) % states}", f"s{(i + 2) % states}"
        out.append(f"operation({op}).")
        out.append(f"conducted_by({op}, {unit}).")
        out.append(f"organ_of({unit}, {author}).")
        out.append(f"targeted({op}, {victim}).")
        for where in (victim, bystander):
            out.append(f"intruded_into({op}, {where}).")
            for effect in ("reinstallation_required", "economic_loss"):
                out.append(f"effect_in({op}, {where}, {effect}).")
                out.append(f"scale_of_effect({op}, {where}, {effect}, significant).")
            out.append(f"serious_adverse_consequences({op}, {where}).")
        out.append(f"interferes_with_governmental_function({op}, {victim}).")
        out.append(f"critical_infrastructure_affected({op}, {victim}).")
    for s in range(0, states, 2):
        out.append(f"party_to(s{s}, budapest_convention).")
    print("\n".join(out))


if __name__ == "__main__":
    main()
