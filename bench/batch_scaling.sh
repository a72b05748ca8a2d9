#!/usr/bin/env bash
# `opinio batch` on N generated scenarios (default 100,000; bench/gen_scenarios.py, fixed
# seed) with 1 thread and with 2 threads (or THREADS="1 2 4"): wall time, scenarios per
# second, peak memory and the speed-up over one thread; then, as a yardstick, two independent
# one-thread processes on half the lines each. Target: 2 threads >= 1.7x one.
#
#   bench/batch_scaling.sh            # 100,000 scenarios, under tallinn2
#   N=20000 bench/batch_scaling.sh --all-positions
#   OPINIO=/path/to/opinio bench/batch_scaling.sh
# Extra arguments go to `opinio batch`. Run it on an otherwise idle machine: the figure is
# about the cores, and anything else running on them lowers it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
THREADS=${THREADS:-"1 2"}
if [ -z "${OPINIO:-}" ]; then
    cargo build --release --quiet --bin opinio
    OPINIO=target/release/opinio
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; } >&2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/gen_scenarios.py "$N" >"$WORK/scenarios.jsonl"
echo "$N scenarios, $(du -h "$WORK/scenarios.jsonl" | cut -f1) of JSON lines; $(nproc) cores"
printf '%8s %10s %14s %10s %10s\n' threads "wall s" "scenarios/s" "peak MB" speed-up
base=""
same="the same for every thread count"
for t in $THREADS; do
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$OPINIO" batch --input "$WORK/scenarios.jsonl" \
        --threads "$t" "$@" >"$WORK/out.jsonl" 2>"$WORK/err" || true
    end=$(date +%s%N)
    tail -n 1 "$WORK/err" >&2
    if [ -f "$WORK/first.jsonl" ]; then
        cmp -s "$WORK/first.jsonl" "$WORK/out.jsonl" || same="DIFFERENT between thread counts"
    else
        cp "$WORK/out.jsonl" "$WORK/first.jsonl"
    fi
    us=$(((end - start) / 1000))
    [ -z "$base" ] && base=$us
    awk -v us="$us" -v n="$N" -v kb="$(tail -n 1 "$WORK/rss")" -v b="$base" -v t="$t" \
        'BEGIN { printf "%8s %10.2f %14.0f %10.1f %9.2fx\n", t, us / 1e6, n / (us / 1e6), kb / 1024, b / us }'
done
# The machine's own ceiling: the same work as two independent one-thread processes, each on
# half of the lines, run at once. If two threads do no better than this, the cores are the
# limit, not `opinio batch`.
split -n l/2 "$WORK/scenarios.jsonl" "$WORK/half."
start=$(date +%s%N)
"$OPINIO" batch --input "$WORK/half.aa" --threads 1 "$@" >/dev/null 2>&1 &
"$OPINIO" batch --input "$WORK/half.ab" --threads 1 "$@" >/dev/null 2>&1 || true
wait || true
end=$(date +%s%N)
us=$(((end - start) / 1000))
awk -v us="$us" -v n="$N" -v b="$base" \
    'BEGIN { printf "%8s %10.2f %14.0f %10s %9.2fx\n", "2 procs", us / 1e6, n / (us / 1e6), "-", b / us }'
echo "output: $(wc -l <"$WORK/out.jsonl") verdict lines, $(grep -c '"error"' "$WORK/out.jsonl" || true) error records, $same"
