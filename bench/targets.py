#!/usr/bin/env python3
"""The performance targets of issue 13, each as a ratio measured in one run (see
docs/performance.md, "Where the targets stand"). Called by bench/targets.sh, which builds both binaries.

    targets.py --baseline OLD/opinio --current NEW/opinio [--runs 15] [--batch-n 2000]

CPU time is user + system time of the child process (os.wait4), peak memory its maximum
resident set; both binaries run interleaved, so a busy machine slows both alike.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

EUREPOC = os.path.join(ROOT, "..", "shared", "data", "eurepoc", "eurepoc_strict.jsonl")
EUREPOC_GOALS = [
    "attributable(O, S)",
    "violates_sovereignty(O, S)",
    "use_of_force(O, S)",
    "wrongful_act(S, O)",
    "countermeasures_available(V, S)",
]


class Run:
    """One finished (or stopped) process: CPU seconds, peak MB, exit status, wall seconds."""

    def __init__(self, cpu, peak_mb, rc, wall, timed_out, out):
        self.cpu, self.peak_mb, self.rc, self.wall = cpu, peak_mb, rc, wall
        self.timed_out, self.out = timed_out, out


def run(cmd, timeout=None, mem_mb=None, stdout_path=None):
    """Runs `cmd`, returns a Run; kills it after `timeout` s; caps its address space."""

    def limit():
        if mem_mb:
            b = mem_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (b, b))

    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = open(stdout_path + ".err", "wb") if stdout_path else subprocess.DEVNULL
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=limit)
    killed = []

    def kill():
        killed.append(True)
        p.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        timer.cancel()
    if stdout_path:
        out.close()
        err.close()
    return Run(ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, p.returncode,
               time.monotonic() - start, bool(killed), stdout_path)


def median_cpu(cmds, runs):
    """Median CPU seconds of each command, the commands interleaved run by run."""
    times = [[] for _ in cmds]
    for _ in range(runs):
        for i, c in enumerate(cmds):
            times[i].append(run(c).cpu)
    return [statistics.median(t) for t in times]


def notpetya(src):
    """The NotPetya scenario of a source tree (its knowledge base's own vocabulary)."""
    for rel in ("crates/opinio/tests/scenarios", "tests/scenarios"):
        path = os.path.join(src, rel, "notpetya.opinio")
        if os.path.exists(path):
            return path
    sys.exit(f"no tests/scenarios/notpetya.opinio under {src}")


def positions(binary, scenario):
    """The knowledge base's positions, from `opinio compare --format json`."""
    out = subprocess.run(
        [binary, "compare", "--scenario", scenario, "--format", "json",
         "violates_sovereignty(notpetya,ukraine)"],
        capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    rows = doc.get("rows") or doc.get("positions") or doc
    names = []
    for r in rows if isinstance(rows, list) else []:
        if isinstance(r, dict) and "position" in r:
            names.append(r["position"])
    return names


def answers(path):
    """Each output line of `opinio batch` without its provenance."""
    out = []
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            rec.pop("provenance", None)
            # Warnings are not answers (the current binary warns of a countermeasure that
            # is a use of force, which the baseline did not).
            rec.pop("warnings", None)
            # The baseline gives no `why`: answers are compared without it.
            for answer in rec.get("answers") or []:
                answer.pop("why", None)
            for answers_of in (rec.get("positions") or {}).values():
                for answer in answers_of:
                    answer.pop("why", None)
            out.append(rec)
    return out


def verdict(ok):
    return "MET" if ok else "not met"


def query_target(a, base, cur):
    print("\n## `opinio query` on NotPetya: CPU time against `opinio --version` (target <= 3x)")
    goal = "violates_sovereignty(notpetya,denmark)"
    sb, sc = notpetya(a.baseline_src), notpetya(ROOT)
    pos = [p for p in positions(cur, sc) if p in set(positions(base, sb))]
    version = median_cpu([[base, "--version"], [cur, "--version"]], a.runs)
    print(f"--version: baseline {version[0] * 1e3:.1f} ms, current {version[1] * 1e3:.1f} ms CPU")
    print(f"{'position':<14} {'baseline ms':>12} {'current ms':>11} {'base/--version':>15}"
          f" {'cur/--version':>14} {'speed-up':>9}")
    worst = 0.0
    for p in pos:
        q = ["-p", p, goal]
        b, c = median_cpu([[base, "query", "--scenario", sb] + q, [cur, "query", "--scenario", sc] + q], a.runs)
        worst = max(worst, c / version[1])
        print(f"{p:<14} {b * 1e3:>12.1f} {c * 1e3:>11.1f} {b / version[0]:>14.2f}x"
              f" {c / version[1]:>13.2f}x {b / c:>8.2f}x")
    print(f"worst position: {worst:.2f}x --version: {verdict(worst <= 3.0)}")


def batch_target(a, base, cur, work, name, path, extra, target):
    lines = sum(1 for line in open(path) if line.strip())
    print(f"\n## `opinio batch` on {name} ({lines} scenarios, 1 thread{', ' if extra else ''}"
          f"{' '.join(extra[:1])}): scenarios per CPU-second (target >= {target}x baseline)")
    # The current knowledge base is several times the baseline's, and the current output gives
    # every unknown answer a `why` (four more evaluations per question and position). Two more
    # rows measure the engine on equal work: the current binary on the baseline's knowledge
    # base, with and without the `why`s (`--answers-only`: the baseline's output).
    old_kb = ["--kb", os.path.join(a.baseline_src, "knowledge")]
    variants = [("baseline", base, [], []), ("current", cur, [], []),
                ("current, baseline's law", cur, old_kb, []),
                ("same, --answers-only", cur, old_kb, ["--answers-only"])]
    rows = []
    for label, binary, pre, post in variants:
        best = None
        for _ in range(a.batch_runs):
            out = os.path.join(work, f"{name}.{len(rows)}.jsonl")
            r = run([binary] + pre + ["batch", "--input", path, "--threads", "1"] + extra + post,
                    stdout_path=out)
            best = r if best is None or r.cpu < best.cpu else best
        rows.append((label, best))
        print(f"{label:<24} {best.cpu:8.2f} s CPU {lines / best.cpu:10.0f} scenarios/CPU-s"
              f" {best.peak_mb:8.1f} MB peak (exit {best.rc})")
    ratio = rows[0][1].cpu / rows[1][1].cpu
    same = answers(rows[0][1].out) == answers(rows[1][1].out)
    print(f"speed-up {ratio:.2f}x: {verdict(ratio >= target)}; answers "
          f"{'identical' if same else 'DIFFERENT (the knowledge base changed since the baseline)'}")
    for i in (2, 3):
        label, r = rows[i]
        same = answers(rows[0][1].out) == answers(r.out)
        print(f"{label}: {rows[0][1].cpu / r.cpu:.2f}x the baseline; answers"
              f" {'identical' if same else 'DIFFERENT'}")


def growth_target(a, base, cur, work):
    print("\n## Growth: one query on S States x N operations (NotPetya pattern), position tallinn2")
    goal = "violates_sovereignty(op1,s2)"
    print(f"{'S x N':<11} {'binary':<9} {'CPU s':>8} {'peak MB':>9} result")
    results = {}
    for states, ops in a.growth:
        path = os.path.join(work, f"growth_{states}_{ops}.opinio")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_growth.py"), str(states),
                            str(ops)], stdout=f, check=True)
        for label, binary in (("baseline", base), ("current", cur)):
            big = ops >= 1000
            timeout = a.growth_timeout_big if big else a.growth_timeout
            r = run([binary, "query", "--scenario", path, "-p", "tallinn2", goal],
                    timeout=timeout, mem_mb=a.mem_cap_mb,
                    stdout_path=os.path.join(work, f"growth.{label}.out"))
            if r.timed_out:
                what = f"stopped after {timeout} s"
            elif r.rc != 0:
                first = open(r.out + ".err", errors="replace").read().strip().splitlines()
                what = (first[0] if first else f"exit {r.rc}").removeprefix("error: ")
            else:
                what = open(r.out).readline().strip()
            results[(states, ops, label)] = r
            print(f"{states}x{ops:<7} {label:<9} {r.cpu:8.2f} {r.peak_mb:9.1f} {what}")
    for states, ops in a.growth:
        b, c = results[(states, ops, "baseline")], results[(states, ops, "current")]
        done_b = not b.timed_out and b.rc == 0
        done_c = not c.timed_out and c.rc == 0
        if not done_c:
            print(f"{states}x{ops}: current did not finish")
            continue
        ratio = b.cpu / max(c.cpu, 1e-3)
        bound = "" if done_b else " at least (baseline did not finish)"
        line = f"{states}x{ops}: speed-up {ratio:.1f}x{bound}, current peak {c.peak_mb:.0f} MB"
        if (states, ops) == (200, 100):
            line += f"; target >= 10x: {verdict(ratio >= 10)}"
        if ops >= 1000:
            line += f"; target completes within 1 GB: {verdict(c.peak_mb <= 1024)}"
        print(line)


def explain_target(a, cur, work):
    print("\n## Explanation of an unknown answer against the query, on the growth curve, position"
          " tallinn2 (target <= 5x at every size)")
    print("query: `query violates_sovereignty(op1,s2)` (true); explain: `explain attributable(op1,s5)`"
          " (unknown: facts missing);\nreason: `query attributable(op1,s5)`, whose reason line is"
          " most of an explanation. Current binary only; median CPU of 3 runs.")
    print(f"{'S x N':<11} {'query s':>8} {'reason s':>9} {'explain s':>10} {'explain/query':>14}")
    worst = 0.0
    for states, ops in a.growth:
        path = os.path.join(work, f"explain_{states}_{ops}.opinio")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_growth.py"), str(states),
                            str(ops)], stdout=f, check=True)
        common = ["--scenario", path, "-p", "tallinn2"]
        q = statistics.median(run([cur, "query"] + common + ["violates_sovereignty(op1,s2)"],
                                  timeout=a.growth_timeout).cpu for _ in range(3))
        r = statistics.median(run([cur, "query"] + common + ["attributable(op1,s5)"],
                                  timeout=a.growth_timeout).cpu for _ in range(3))
        e = statistics.median(run([cur, "explain"] + common + ["attributable(op1,s5)"],
                                  timeout=a.growth_timeout).cpu for _ in range(3))
        ratio = e / max(q, 1e-3)
        worst = max(worst, ratio)
        print(f"{states}x{ops:<7} {q:8.3f} {r:9.3f} {e:10.3f} {ratio:13.1f}x")
    print(f"worst size: {worst:.1f}x the query: {verdict(worst <= 5.0)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--current", required=True)
    ap.add_argument("--baseline-src", required=True, help="the baseline's source tree")
    ap.add_argument("--runs", type=int, default=15, help="runs per short command (median)")
    ap.add_argument("--batch-n", type=int, default=2000, help="generated scenarios for batch")
    ap.add_argument("--batch-runs", type=int, default=1, help="runs per batch (best kept)")
    ap.add_argument("--eurepoc-lines", type=int, default=400, help="lines of EuRepoC used")
    ap.add_argument("--growth", default="20x10,200x10,20x100,200x100,20x1000,200x1000",
                    help="S x N scenarios of the growth curve")
    ap.add_argument("--growth-timeout", type=float, default=600)
    ap.add_argument("--growth-timeout-big", type=float, default=120,
                    help="timeout on N >= 1000")
    ap.add_argument("--mem-cap-mb", type=int, default=4096)
    ap.add_argument("--only", default="query,batch,eurepoc,growth,explain")
    a = ap.parse_args()
    a.growth = [tuple(int(x) for x in g.split("x")) for g in a.growth.split(",") if g]
    only = set(a.only.split(","))
    base, cur = a.baseline, a.current
    print(f"baseline {base}\ncurrent  {cur}\n{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as work:
        if "query" in only:
            query_target(a, base, cur)
        if "batch" in only:
            gen = os.path.join(work, "generated.jsonl")
            with open(gen, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_scenarios.py"),
                                str(a.batch_n)], stdout=f, check=True)
            batch_target(a, base, cur, work, "generated", gen, [], 5)
        if "eurepoc" in only:
            if not os.path.exists(EUREPOC):
                print(f"\n## EuRepoC: skipped, {EUREPOC} is absent")
            else:
                part = os.path.join(work, "eurepoc.jsonl")
                with open(EUREPOC) as src, open(part, "w") as dst:
                    for i, line in enumerate(src):
                        if i >= a.eurepoc_lines:
                            break
                        dst.write(line)
                batch_target(a, base, cur, work, "eurepoc", part,
                             ["--all-positions", "--goals"] + EUREPOC_GOALS, 10)
        if "growth" in only:
            growth_target(a, base, cur, work)
        if "explain" in only:
            explain_target(a, cur, work)


if __name__ == "__main__":
    main()
