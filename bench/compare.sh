#!/usr/bin/env bash
# Transitive closure as whole processes: clingo, SWI-Prolog (tabled) and `opinio query`, on
# the same edges (bench/gen_tc.py: the edges of benches/transitive_closure.rs), in one run.
# Prints one table: wall time (median of RUNS runs), peak memory (max RSS of those runs) and
# the ratio to Opinio.
#
#   bench/compare.sh                 # RUNS=3, graphs `random` and `chain`
#   RUNS=5 bench/compare.sh random
#   OPINIO=/path/to/opinio bench/compare.sh   # skip `cargo build --release`
#
# Installs what is missing (Debian packages): gringo (clingo), swi-prolog-nox, time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
GRAPHS=("$@")
[ ${#GRAPHS[@]} -eq 0 ] && GRAPHS=(random chain)

install_missing() {
    local missing=()
    command -v clingo >/dev/null || missing+=(gringo)
    command -v swipl >/dev/null || missing+=(swi-prolog-nox)
    [ -x /usr/bin/time ] || missing+=(time)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
    fi
}
install_missing

if [ -z "${OPINIO:-}" ]; then
    cargo build --release --quiet --bin opinio
    OPINIO=target/release/opinio
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/kb"
python3 bench/gen_tc.py random --format opinio-program >"$WORK/kb/tc.opinio"

# run CMD...: RUNS timed runs; prints "median_seconds peak_mb". Exit codes other than 0 are
# accepted when listed in OK_CODES (clingo answers 10 for "satisfiable", 30 when exhausted).
run() {
    local walls=() peak=0
    for _ in $(seq "$RUNS"); do
        local start end rss rc=0
        start=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
        if [ "$rc" -ne 0 ] && [[ " ${OK_CODES:-} " != *" $rc "* ]]; then
            echo "failed ($rc): $*" >&2
            cat "$WORK/err" >&2
            echo "- -"
            return 0
        fi
        end=$(date +%s%N)
        rss=$(tail -n 1 "$WORK/rss")
        walls+=("$(((end - start) / 1000))")
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
    awk -v us="$median" -v kb="$peak" 'BEGIN { printf "%.3f %.1f\n", us / 1e6, kb / 1024 }'
}

printf '%-8s %-16s %10s %10s %16s\n' graph tool "wall s" "peak MB" "wall vs opinio"
for graph in "${GRAPHS[@]}"; do
    python3 bench/gen_tc.py "$graph" --format opinio >"$WORK/$graph.opinio"
    python3 bench/gen_tc.py "$graph" --format lp >"$WORK/$graph.lp"
    python3 bench/gen_tc.py "$graph" --format pl >"$WORK/$graph.pl"
    # A ground question, with magic sets off, makes Opinio evaluate the whole closure (as
    # clingo and SWI-Prolog do) and print one line; by default (50,000 facts) the magic-set
    # rewriting would derive only what `path(n0, n1)` needs.
    read -r o_wall o_mb < <(run "$OPINIO" query --magic-sets never --kb "$WORK/kb" --scenario "$WORK/$graph.opinio" "path(n0, n1)")
    rows=("opinio|$o_wall|$o_mb")
    if [ "$graph" = random ]; then
        python3 bench/gen_tc.py random --unknown-pct 10 --format opinio >"$WORK/unknown.opinio"
        read -r u_wall u_mb < <(run "$OPINIO" query --magic-sets never --kb "$WORK/kb" --scenario "$WORK/unknown.opinio" "path(n0, n1)")
        rows+=("opinio 10% unk.|$u_wall|$u_mb")
    fi
    read -r c_wall c_mb < <(OK_CODES="10 30" run clingo --quiet "$WORK/$graph.lp")
    rows+=("clingo|$c_wall|$c_mb")
    read -r s_wall s_mb < <(run swipl -O "$WORK/$graph.pl")
    rows+=("swipl (tabled)|$s_wall|$s_mb")
    for r in "${rows[@]}"; do
        IFS='|' read -r tool wall mb <<<"$r"
        ratio=$(awk -v w="$wall" -v o="$o_wall" 'BEGIN { if (w + 0 > 0 && o + 0 > 0) printf "%.2fx", w / o; else print "-" }')
        printf '%-8s %-16s %10s %10s %16s\n' "$graph" "$tool" "$wall" "$mb" "$ratio"
    done
done
echo "(wall: median of $RUNS runs, whole process; peak: max RSS; a ratio above 1 means slower than Opinio)"
