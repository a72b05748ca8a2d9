#!/usr/bin/env python3
"""May the victim take countermeasures on the evidence? EuRepoC attribution rows -> Opinio claims.

Reads attribution rows in the column layout of EuRepoC's attribution table
(EuRepoC_Attribution_dataset_1.1.csv), turns them into the claims of knowledge/evidence.opinio,
writes a scenario to a temporary file and runs `opinio explain` on

    may_respond_on_evidence(VICTIM, op_ID, ACCUSED, countermeasures)

after a short summary (the strongest standard the claims meet, whether the evidence is enough for
countermeasures and for self-defence).

    bench/evidence.py                              # the synthetic incident (bench/evidence/)
    bench/evidence.py --real 1032                  # a real incident, from ../shared/data
    bench/evidence.py --real 1032 --position france --weight 8652=clear_and_convincing
    bench/evidence.py --weights none               # leave every weight unstated (unknown)

With `--real`, the rows come from EuRepoC_Attribution_dataset_1.1.csv and the facts of the
operation (victims, effects) from the prototype conversion eurepoc_strict.jsonl (attribution left
unknown there), both in ../shared/data/eurepoc/ (or $EUREPOC_DIR). When the data is absent the
script prints a skip message and exits 0: the data is never part of the project.

Mapping (one claim per `attribution_ID`, named c_<ID>; the operation is op_<incident_ID>):
  attribution_ID          -> claim c_ID; rows sharing an ID (EuRepoC repeats a row for every
                             attributing country and every initiator) are one claim: several
                             attributing States make it a joint claim
  attribution_date        -> claim_date (when it is a valid YYYY-MM-DD date)
  attribution_type        -> claim_form (a combined type gives several forms); a technical report
                             also gives claim_basis technical_indicators, legal action
                             legal_proceedings, a self-declaration self_attribution
  attribution_basis       -> claim_source: "Attacker confirms" attacker; "IT-security community
                             attributes attacker" security_company; "Attribution by receiver
                             government / state entity" government; "Attribution by third-party"
                             government when the attributing country is a State, other_source
                             otherwise; "Media-based attribution" media; "Receiver attributes
                             attacker" private_victim; EU institution or international organisation
                             international_organization; anything else other_source
  attributing_actor,
  attribution_it_company  -> claim_by(c, actor_<slug>) (skipped when "Not available" or empty)
  attributing_country     -> claim_by_state(c, <slug>) for a government claim, and
                             publicly_attributed(<slug>, op, accused) when it attributes to a State
                             (LAW-2's vocabulary, so that jointly_attributed answers too); regions
                             ("EU (region)"), "Unknown" and "Not available" are not States
  attributed_initiator    -> claim_names_actor(c, op, actor_<slug>)
  attributed_initiator_country and _category:
      "State"                                        -> claim_attributes(c, op, <slug>)
      "Non-state actor, state-affiliation suggested" -> claim_suggests_affiliation(c, op, <slug>)
      "Non-state-group", "Individual hacker(s)"      -> claim_places_author_in(c, op, <slug>)
      "Unknown - not attributed", "Not available"    -> nothing
Country names become Opinio names as in eurepoc_strict.jsonl: lower case, other characters
replaced by "_", with a few aliases ("Iran, Islamic Republic of" -> iran, "Korea, Democratic
People's Republic of" -> north_korea, "Korea, Republic of" -> south_korea, "Russian Federation" ->
russia).

Weights. EuRepoC records who said what, not how strong the evidence was. `claim_weight` is left
unstated with `--weights none` (every answer then turns on missing facts). The default,
`--weights presumed`, applies this working presumption to the claims that attribute to a State -
an assessor's convention for the benchmark, NOT a rule of law:
  government or international organisation, in a political statement, legal action, technical
  report or named statement                                                   -> reasonable
  anything else (security companies, media, anonymous officials, the attacker) -> prima_facie
`--weight ID=STANDARD` (repeatable) overrides the weight of one claim (ID = attribution_ID).

The victim is the first targeted State of the operation (--victim to choose), the accused the
State most often named with category "State" (--accused to choose). --responded-on DATE adds
responded_on(victim, op, DATE): only the claims made by then count. The answer is given under the
default position (tallinn2) unless --position says otherwise.
"""

import argparse
import collections
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SYNTHETIC = os.path.join(HERE, "evidence", "synthetic_incident.csv")
DATA_DIR = os.path.normpath(os.environ.get("EUREPOC_DIR", os.path.join(REPO, "..", "shared", "data", "eurepoc")))
REAL_ROWS = "EuRepoC_Attribution_dataset_1.1.csv"
REAL_FACTS = "eurepoc_strict.jsonl"
COLUMNS = ["incident_ID", "attribution_ID", "attribution_date", "attribution_type",
           "attribution_basis", "attributing_actor", "attribution_it_company",
           "attributing_country", "attributed_initiator", "attributed_initiator_country",
           "attributed_initiator_category"]
STANDARDS = ["prima_facie", "reasonable", "clear_and_convincing", "fully_conclusive"]

# The facts of the synthetic operation (EuRepoC's attribution table holds no effects): Bordurian
# military intelligence disables part of Arland's power grid for days.
SYNTHETIC_FACTS = """\
state(arland).
state(borduria).
state(carpathia).
state(dorvia).
operation(op_900001).
conducted_by(op_900001, actor_sun_wolves).
targeted(op_900001, arland).
intruded_into(op_900001, arland).
effect_in(op_900001, arland, loss_of_functionality).
scale_of_effect(op_900001, arland, loss_of_functionality, significant).
critical_infrastructure_affected(op_900001, arland).
"""

ALIASES = {
    "iran, islamic republic of": "iran",
    "korea, democratic people's republic of": "north_korea",
    "korea, republic of": "south_korea",
    "russian federation": "russia",
}
NOT_STATES = {"", "not available", "unknown", "n/a"}


def slug(text):
    t = text.strip().lower()
    if t in ALIASES:
        return ALIASES[t]
    s = re.sub(r"[^a-z0-9]+", "_", t).strip("_")
    if not s:
        return ""
    if not s[0].isalpha():
        s = "x_" + s
    return s


def state_name(country):
    c = country.strip()
    if c.lower() in NOT_STATES or "(region)" in c.lower():
        return None
    return slug(c) or None


def actor_name(name):
    n = name.strip()
    if n.lower() in NOT_STATES:
        return None
    s = slug(n)
    return "actor_" + s if s else None


def claim_id(attribution_id):
    a = attribution_id.strip()
    if a.endswith(".0"):
        a = a[:-2]
    return "c_" + re.sub(r"[^0-9A-Za-z]+", "_", a)


def forms_of(kind):
    k = kind.strip()
    forms, bases = [], []
    if k.startswith("Technical report"):
        forms = ["technical_report"]
    elif k.startswith("Self-attribution"):
        forms = ["self_declaration"]
    elif k.startswith("Direct statement in media report"):
        forms = ["media_statement"]
    elif k.startswith("Anonymous statement"):
        forms = ["anonymous_statement"]
    elif k.startswith("Attribution given, type unclear"):
        forms = ["form_unclear"]
    elif k.startswith("Political statement / report"):
        forms = ["political_statement"]
    elif k.startswith("Domestic legal action"):
        forms = ["legal_action"]
    elif k.startswith("Media report"):
        forms = ["media_report"]
    elif k.startswith("Statement in media report and political statement/technical report"):
        forms = ["media_statement", "political_statement", "technical_report"]
    elif k.startswith("Political statement/report and indictment"):
        forms = ["political_statement", "legal_action"]
    elif k.startswith("Statement in media report and indictment"):
        forms = ["media_statement", "legal_action"]
    if "technical_report" in forms:
        bases.append("technical_indicators")
    if "legal_action" in forms:
        bases.append("legal_proceedings")
    if "self_declaration" in forms:
        bases.append("self_attribution")
    return forms, bases


def source_of(basis, country_is_state):
    b = basis.strip()
    if b == "Attacker confirms":
        return "attacker"
    if b == "IT-security community attributes attacker":
        return "security_company"
    if b.startswith("Attribution by receiver government"):
        return "government"
    if b == "Attribution by third-party":
        return "government" if country_is_state else "other_source"
    if b == "Media-based attribution":
        return "media"
    if b == "Receiver attributes attacker":
        return "private_victim"
    if b in ("Attribution by EU institution/agency", "Attribution by international organization"):
        return "international_organization"
    return "other_source"


def presumed_weight(claim):
    official = claim["source"] in ("government", "international_organization")
    public_form = bool(set(claim["forms"]) & {"political_statement", "legal_action",
                                                "technical_report", "media_statement"})
    return "reasonable" if official and public_form else "prima_facie"


def valid_date(d):
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.strip()))


def build_claims(rows, op):
    claims = collections.OrderedDict()
    for r in rows:
        cid = claim_id(r["attribution_ID"])
        country = state_name(r["attributing_country"])
        c = claims.setdefault(cid, {
            "id": r["attribution_ID"].strip(), "date": None, "source": None, "forms": [],
            "bases": [], "by": set(), "by_state": set(), "attributes": set(),
            "suggests": set(), "places": set(), "names": set()})
        if c["date"] is None and valid_date(r["attribution_date"]):
            c["date"] = r["attribution_date"].strip()
        src = source_of(r["attribution_basis"], country is not None)
        if c["source"] is None or (c["source"] == "other_source" and src != "other_source"):
            c["source"] = src
        forms, bases = forms_of(r["attribution_type"])
        for f in forms:
            if f not in c["forms"]:
                c["forms"].append(f)
        for b in bases:
            if b not in c["bases"]:
                c["bases"].append(b)
        for who in (r["attributing_actor"], r["attribution_it_company"]):
            a = actor_name(who)
            if a:
                c["by"].add(a)
        if src in ("government", "international_organization") and country:
            c["by_state"].add(country)
        target = state_name(r["attributed_initiator_country"])
        category = r["attributed_initiator_category"].strip()
        if target:
            if category == "State":
                c["attributes"].add(target)
            elif category.startswith("Non-state actor, state-affiliation suggested"):
                c["suggests"].add(target)
            elif category in ("Non-state-group", "Individual hacker(s)"):
                c["places"].add(target)
        a = actor_name(r["attributed_initiator"])
        if a:
            c["names"].add(a)
    return claims


def claim_facts(claims, op, weights):
    lines = []
    states = set()
    for cid, c in claims.items():
        lines.append(f"# EuRepoC attribution {c['id']}")
        if c["date"]:
            lines.append(f"claim_date({cid}, {c['date']}).")
        lines.append(f"claim_source({cid}, {c['source']}).")
        lines += [f"claim_form({cid}, {f})." for f in c["forms"]]
        lines += [f"claim_basis({cid}, {b})." for b in c["bases"]]
        lines += [f"claim_by({cid}, {a})." for a in sorted(c["by"])]
        for s in sorted(c["by_state"]):
            states.add(s)
            lines.append(f"claim_by_state({cid}, {s}).")
        for s in sorted(c["attributes"]):
            states.add(s)
            lines.append(f"claim_attributes({cid}, {op}, {s}).")
            for r in sorted(c["by_state"]):
                if r != s:
                    lines.append(f"publicly_attributed({r}, {op}, {s}).")
        for s in sorted(c["suggests"]):
            states.add(s)
            lines.append(f"claim_suggests_affiliation({cid}, {op}, {s}).")
        for s in sorted(c["places"]):
            states.add(s)
            lines.append(f"claim_places_author_in({cid}, {op}, {s}).")
        lines += [f"claim_names_actor({cid}, {op}, {a})." for a in sorted(c["names"])]
        if cid in weights:
            lines.append(f"claim_weight({cid}, {weights[cid][0]}).  # {weights[cid][1]}")
    return lines, states


def find_opinio(explicit):
    for cand in (explicit, os.environ.get("OPINIO"), shutil.which("opinio"),
                 os.path.join(REPO, "target", "release", "opinio"),
                 os.path.join(REPO, "target", "debug", "opinio")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    sys.exit("evidence.py: no opinio binary found (use --opinio PATH or $OPINIO, or build it)")


def run(opinio, kb, args):
    out = subprocess.run([opinio, *args, "--kb", kb], capture_output=True, text=True)
    if out.returncode not in (0, 1) or (out.stderr.strip() and not out.stdout.strip()):
        sys.exit(f"evidence.py: opinio {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def value_of(opinio, kb, scenario, position, goal):
    out = run(opinio, kb, ["query", "-s", scenario, "-p", position, goal])
    for line in out.splitlines():
        if line.startswith(goal):
            return line.split("=", 1)[1].strip()
    return "false"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", default=SYNTHETIC,
                    help="attribution rows in EuRepoC's layout (default: the synthetic incident)")
    ap.add_argument("--real", metavar="INCIDENT_ID",
                    help="a real EuRepoC incident, read from ../shared/data/eurepoc when present")
    ap.add_argument("--victim", help="the responding State (default: the first targeted State)")
    ap.add_argument("--accused", help="the State accused (default: the one most often named as 'State')")
    ap.add_argument("--position", default="tallinn2")
    ap.add_argument("--weights", choices=["presumed", "none"], default="presumed")
    ap.add_argument("--weight", action="append", default=[], metavar="ID=STANDARD",
                    help="the weight of one claim (ID = attribution_ID), e.g. 990006=clear_and_convincing")
    ap.add_argument("--responded-on", metavar="YYYY-MM-DD")
    ap.add_argument("--opinio", help="the opinio binary (default: $OPINIO, opinio on PATH, target/)")
    ap.add_argument("--kb", default=os.path.join(REPO, "crates", "opinio", "knowledge"))
    ap.add_argument("--keep", action="store_true", help="keep the scenario file and print its path")
    a = ap.parse_args()
    if a.responded_on:
        try:
            import datetime
            datetime.date.fromisoformat(a.responded_on)
        except ValueError:
            ap.error(f"--responded-on {a.responded_on}: not a calendar date written YYYY-MM-DD")

    if a.real:
        rows_path = os.path.join(DATA_DIR, REAL_ROWS)
        facts_path = os.path.join(DATA_DIR, REAL_FACTS)
        if not (os.path.isfile(rows_path) and os.path.isfile(facts_path)):
            print(f"evidence.py: skipped: the EuRepoC data is not present ({DATA_DIR})")
            return 0
        incident = a.real.strip()
        with open(rows_path, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["incident_ID"].strip() == incident]
        facts = None
        with open(facts_path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("id") == f"eurepoc_{incident}":
                    facts = rec
                    break
        if not rows or facts is None:
            # The data is there: an incident it does not hold is a mistake, not a skip.
            sys.exit(f"evidence.py: incident {incident!r} has no attribution rows or no "
                     f"converted facts in {DATA_DIR}; give an incident_ID of the attribution table")
        base = [f + "." for f in facts["facts"]]
        base += ["not " + f + "." for f in facts.get("negative_facts", [])]
        base += ["unknown " + f + "." for f in facts.get("unknown_facts", [])]
        label = f"EuRepoC incident {incident}"
    else:
        with open(a.csv, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != COLUMNS:
                sys.exit(f"evidence.py: {a.csv} is not in EuRepoC's attribution layout")
            rows = list(reader)
        incident = rows[0]["incident_ID"].strip()
        base = SYNTHETIC_FACTS.splitlines() if os.path.abspath(a.csv) == SYNTHETIC else []
        label = f"incident {incident} ({os.path.relpath(a.csv, REPO)})"
    op = f"op_{incident}"

    claims = build_claims(rows, op)
    accused_count = collections.Counter(s for c in claims.values() for s in c["attributes"])
    accused = a.accused or (accused_count.most_common(1)[0][0] if accused_count else None)
    targeted = [re.match(r"targeted\(\w+, (\w+)\)", f).group(1)
                for f in base if f.startswith("targeted(")]
    victim = a.victim or (targeted[0] if targeted else None)
    if not accused or not victim:
        print(f"evidence.py: {label}: no State {'accused' if not accused else 'victim'} to ask about")
        return 0

    weights = {}
    if a.weights == "presumed":
        for cid, c in claims.items():
            if c["attributes"]:
                weights[cid] = (presumed_weight(c), "presumed: a bench convention, not law")
    for w in a.weight:
        ident, _, std = w.partition("=")
        if std not in STANDARDS:
            sys.exit(f"evidence.py: --weight {w}: the standard must be one of {', '.join(STANDARDS)}")
        weights[claim_id(ident)] = (std, "given with --weight")

    lines, states = claim_facts(claims, op, weights)
    declared = {m.group(1) for f in base for m in [re.match(r"state\((\w+)\)\.", f)] if m}
    extra = [f"state({s})." for s in sorted(states | {victim, accused}) if s not in declared]
    if a.responded_on:
        lines.append(f"responded_on({victim}, {op}, {a.responded_on}).")
    text = "\n".join([f"# {label}: facts of the operation", *base, *extra,
                      "# attribution claims", *lines]) + "\n"

    fd, path = tempfile.mkstemp(prefix=f"evidence_{incident}_", suffix=".opinio")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        opinio = find_opinio(a.opinio)
        p = a.position
        print(f"{label}: {len(rows)} attribution rows, {len(claims)} claims; "
              f"victim {victim}, accused {accused}, position {p}")
        for cid, c in claims.items():
            what = []
            if c["attributes"]:
                what.append("attributes to " + ", ".join(sorted(c["attributes"])))
            if c["suggests"]:
                what.append("suggests affiliation with " + ", ".join(sorted(c["suggests"])))
            if c["places"]:
                what.append("places the author in " + ", ".join(sorted(c["places"])))
            by = ", ".join(sorted(c["by_state"])) or ", ".join(sorted(c["by"])) or "-"
            w = f"  [weight {weights[cid][0]}, {weights[cid][1]}]" if cid in weights else ""
            print(f"  {cid:<12} {c['date'] or 'undated':<10}  {c['source']:<18} by {by}: "
                  f"{'; '.join(what) or 'names no State'}{w}")
        strongest = [s for s in STANDARDS
                     if value_of(opinio, a.kb, path, p, f"strongest_standard_met({op}, {accused}, {s})") == "true"]
        established = {s: value_of(opinio, a.kb, path, p, f"attribution_established_for({victim}, {op}, {accused}, {s})")
                       for s in STANDARDS}
        met = [s for s in STANDARDS if established[s] == "true"]
        missed = [s for s in STANDARDS if established[s] == "false"]
        open_ = [s for s in STANDARDS if established[s] == "unknown"]
        summary = []
        if met:
            summary.append("meets " + met[-1].replace("_", " "))
        if missed:
            summary.append("not " + missed[0].replace("_", " "))
        if open_:
            summary.append("unknown from " + open_[0].replace("_", " ") + " (weights not stated)")
        print(f"  the evidence {victim} has against {accused}: {', '.join(summary) or 'nothing'}"
              + (f"; all claims on record: strongest standard met {strongest[0]}" if strongest else ""))
        for k in ("countermeasures", "self_defence", "icj_claim"):
            v = value_of(opinio, a.kb, path, p, f"evidence_sufficient_for({victim}, {op}, {accused}, {k})")
            print(f"  evidence enough for {k.replace('_', ' ')}: {v}")
        joint = value_of(opinio, a.kb, path, p, f"jointly_attributed({op}, {accused})")
        print(f"  jointly attributed (two or more States, LAW-2): {joint}")
        print()
        print(run(opinio, a.kb, ["explain", "-s", path, "-p", p,
                                 f"may_respond_on_evidence({victim}, {op}, {accused}, countermeasures)"]),
              end="")
        if a.keep:
            print(f"\nscenario kept: {path}")
    finally:
        if not a.keep:
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
