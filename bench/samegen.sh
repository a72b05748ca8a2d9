#!/usr/bin/env bash
# The same-generation target of the performance issue: one ground question on a complete
# binary tree of 32,767 nodes (Soufflé's `magic_samegen` test), answered by `opinio query`
# with the magic-set rewriting (the default here: the tree states 32,766 facts) and without
# it (`--magic-sets never`, which derives every pair of every generation until the default
# 20,000,000-atom limit stops it). Prints each run's answer, wall time and peak memory.
#
#   bench/samegen.sh                      # depth 14; builds target/release/opinio
#   DEPTH=10 OPINIO=path bench/samegen.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DEPTH=${DEPTH:-14}
if [ -z "${OPINIO:-}" ]; then
    cargo build --release --quiet --bin opinio
    OPINIO=target/release/opinio
fi
if [ ! -x /usr/bin/time ]; then
    echo "skipped: /usr/bin/time is missing (Debian package \`time\`)" >&2
    exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/kb"
python3 bench/gen_samegen.py program >"$WORK/kb/sg.opinio"
python3 bench/gen_samegen.py tree --depth "$DEPTH" >"$WORK/tree.opinio"
first=$((1 << DEPTH))
last=$(((1 << (DEPTH + 1)) - 1))
question="sg(n$first, n$last)"
printf '%-8s %-28s %-10s %8s %9s\n' "magic" "question" "answer" "wall s" "peak MB"
for when in auto never; do
    rc=0
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$OPINIO" query --magic-sets "$when" \
        --kb "$WORK/kb" --scenario "$WORK/tree.opinio" "$question" >"$WORK/out" 2>"$WORK/err" || rc=$?
    end=$(date +%s%N)
    if [ "$rc" -eq 0 ]; then
        answer=$(sed -n 's/.* = //p' "$WORK/out" | head -n 1)
    else
        answer="stopped"
    fi
    awk -v w="$when" -v q="$question" -v a="$answer" -v us="$(((end - start) / 1000))" \
        -v kb="$(tail -n 1 "$WORK/rss")" \
        'BEGIN { printf "%-8s %-28s %-10s %8.2f %9.1f\n", w, q, a, us / 1e6, kb / 1024 }'
done
