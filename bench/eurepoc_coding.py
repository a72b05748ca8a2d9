#!/usr/bin/env python3
"""EuRepoC's own legal coding beside Opinio's answers: a report, not a test.

    bench/eurepoc_coding.py GLOBAL.csv VERDICTS.jsonl [--positions tallinn2,france,uk]
    bench/eurepoc_coding.py --select GLOBAL.csv SCENARIOS.jsonl > CODED.jsonl

GLOBAL.csv is EuRepoC's global database; VERDICTS.jsonl is the output of

    opinio batch --all-positions --input eurepoc.jsonl --goals 'violates_sovereignty(O, V)' \
        'prohibited_intervention(O, V)' 'use_of_force(O, V)' \
        'breaches_due_diligence(S, O, V)' 'countermeasures_available(V, S)' 'attributable(O, S)'

on scenarios made by `opinio import eurepoc` (ids `eurepoc_<ID>`). For each of EuRepoC's legal
fields it prints, over the incidents its legal coders coded, how Opinio answered under a few
positions (a goal's value in an incident: true if some answer is true, else unknown if some is
unknown, else false). The categories do not map one to one (docs/datasets.md, "EuRepoC's legal
coding"): EuRepoC's IL_breach_indicator names the areas of law an incident engages, whoever the
author; Opinio's violates_sovereignty needs a State author and an effect that crosses the
position's threshold. Read the tables as a map of where the two readings part, not as errors.
The data is never part of the project: the script reads files given on its command line.
"""

import argparse
import collections
import csv
import json
import sys

GOALS = {
    "violates_sovereignty": "violates_sovereignty",
    "prohibited_intervention": "prohibited_intervention",
    "use_of_force": "use_of_force",
    "breaches_due_diligence": "breaches_due_diligence",
    "countermeasures_available": "countermeasures_available",
    "attributable": "attributable",
}


def values(record, position):
    """predicate -> the incident's value under the position."""
    answers = record.get("positions", {}).get(position)
    if answers is None:
        return None
    out = {}
    for a in answers:
        pred = a["atom"].split("(", 1)[0]
        v = a["value"]
        cur = out.get(pred, "false")
        if v == "true" or (v == "unknown" and cur == "false"):
            out[pred] = v
    return {p: out.get(p, "false") for p in GOALS}


def coded(row):
    """The legal coders' reading of the incident, field by field (None where not coded)."""
    il = [x.strip() for x in row["IL_breach_indicator"].split(";") if x.strip()]
    sub = [x.strip() for x in row["IL_breach_indicator_subcode"].split(";") if x.strip()]
    lr = row["legal_response_indicator"].strip()
    sr = row["state_responsibility_indicator"].strip()
    if not il or il == ["Not available"]:
        il_coded = None
    else:
        il_coded = il
    def flag(name):
        return None if il_coded is None else ("coded" if name in il_coded else "not coded")
    response = None
    if lr.startswith("Countermeasures"):
        response = "countermeasures justified"
    elif lr.startswith("Unfriendly acts"):
        response = "retorsion justified"
    elif lr.startswith("No response"):
        response = "no response justified"
    responsibility = None
    if sr.startswith("Direct"):
        responsibility = "direct"
    elif sr.startswith("Indirect"):
        responsibility = "indirect"
    elif sr.startswith("None"):
        responsibility = "none / negligent"
    return {
        "sovereignty": flag("Sovereignty"),
        "intervention": None if il_coded is None else (
            "coded" if "Prohibition of intervention" in sub else "not coded"),
        "international peace": flag("International peace"),
        "due diligence": flag("Due diligence"),
        "legal response": response,
        "state responsibility": responsibility,
    }


COMPARISONS = [
    ("sovereignty", "violates_sovereignty",
     "IL_breach_indicator 'Sovereignty' vs violates_sovereignty(O, V)"),
    ("intervention", "prohibited_intervention",
     "IL_breach_indicator_subcode 'Prohibition of intervention' vs prohibited_intervention(O, V)"),
    ("international peace", "use_of_force",
     "IL_breach_indicator 'International peace' vs use_of_force(O, V)"),
    ("due diligence", "breaches_due_diligence",
     "IL_breach_indicator 'Due diligence' vs breaches_due_diligence(S, O, V)"),
    ("legal response", "countermeasures_available",
     "legal_response_indicator vs countermeasures_available(V, S)"),
    ("state responsibility", "attributable",
     "state_responsibility_indicator vs attributable(O, S)"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("global_csv")
    ap.add_argument("verdicts")
    ap.add_argument("--positions", default="tallinn2,france,uk,united_states")
    ap.add_argument("--select", action="store_true",
                    help="read the second file as scenarios (opinio import eurepoc) and print "
                         "only those of the incidents the legal coders coded (a faster batch)")
    a = ap.parse_args()
    positions = [p for p in a.positions.split(",") if p]
    with open(a.global_csv, encoding="utf-8-sig", newline="") as f:
        rows = {r["ID"].strip(): r for r in csv.DictReader(f)}
    if a.select:
        legal = {i for i, r in rows.items()
                 if coded(r)["legal response"] or coded(r)["sovereignty"]}
        with open(a.verdicts, encoding="utf-8") as f:
            for line in f:
                ident = str(json.loads(line).get("id", ""))
                if ident.startswith("eurepoc_") and ident[len("eurepoc_"):] in legal:
                    sys.stdout.write(line)
        return 0
    records = {}
    with open(a.verdicts, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            ident = str(r.get("id", ""))
            if ident.startswith("eurepoc_") and "positions" in r:
                records[ident[len("eurepoc_"):]] = r
    legal = [i for i, r in rows.items() if coded(r)["legal response"] or coded(r)["sovereignty"]]
    both = [i for i in legal if i in records]
    print(f"EuRepoC incidents with legal coding: {len(legal)}; converted and evaluated: {len(both)}")
    for field, pred, title in COMPARISONS:
        print(f"\n## {title}")
        header = f"{'EuRepoC':<28} {'n':>4}  " + "  ".join(f"{p:>22}" for p in positions)
        print(header)
        print(f"{'':<28} {'':>4}  " + "  ".join(f"{'true/false/unknown':>22}" for _ in positions))
        groups = collections.defaultdict(list)
        for i in both:
            c = coded(rows[i])[field]
            if c is not None:
                groups[c].append(i)
        for c in sorted(groups):
            cells = []
            for p in positions:
                count = collections.Counter()
                for i in groups[c]:
                    v = values(records[i], p)
                    if v is not None:
                        count[v[pred]] += 1
                cells.append(f"{count['true']:>6}/{count['false']:>6}/{count['unknown']:>6}")
            print(f"{c:<28} {len(groups[c]):>4}  " + "  ".join(f"{x:>22}" for x in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
