#!/usr/bin/env bash
# `opinio query` (and its siblings) end to end, as a user runs them: process start, loading
# and checking the bundled knowledge base, reading the scenario, evaluating, printing.
# Uses hyperfine (installed from Debian if missing). Target: `query` under 20 ms (median).
#
#   bench/query_latency.sh
#   OPINIO=/path/to/opinio bench/query_latency.sh   # skip `cargo build --release`
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v hyperfine >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq hyperfine >&2
fi
if [ -z "${OPINIO:-}" ]; then
    cargo build --release --quiet --bin opinio
    OPINIO=target/release/opinio
fi
S=tests/scenarios/notpetya.opinio
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
hyperfine -N --warmup 5 --min-runs 30 --style basic --export-json "$OUT" \
    "$OPINIO query --scenario $S violates_sovereignty(notpetya,ukraine)" \
    "$OPINIO query --scenario $S --format json violates_sovereignty(notpetya,denmark)" \
    "$OPINIO compare --scenario $S violates_sovereignty(notpetya,denmark)" \
    "$OPINIO check" >&2
python3 - "$OUT" "$OPINIO" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<88} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'max ms':>8}")
for r in results:
    cmd = r["command"].replace(sys.argv[2], "opinio").replace("tests/scenarios/", "")
    cmd = cmd if len(cmd) <= 88 else cmd[:85] + "..."
    print(f"{cmd:<88} {r['median']*1e3:>10.1f} {r['mean']*1e3:>9.1f} {r['min']*1e3:>8.1f} {r['max']*1e3:>8.1f}")
print("target: `opinio query` under 20 ms (median)")
PY
