#!/usr/bin/env bash
# Imports and evaluates the full copies of EuRepoC 1.1 and DCID 2.0 in ../shared/data (when
# present; the project ships none of their data): for each dataset and each mode (strict,
# trusting), the conversion counts and time, then `opinio batch --summary --all-positions` over
# the five goals of docs/datasets.md, with its wall and CPU time; then the comparison with
# EuRepoC's own legal coding (bench/eurepoc_coding.py, on the incidents its legal coders coded).
# Prints counts and timings; the tables and charts go to OUT (default: a temporary folder,
# removed at the end).
#
#   bench/datasets.sh
#   OUT=/tmp/datasets bench/datasets.sh          # keep the tables, charts and scenarios
#   DATA=/path/to/data OPINIO=/path/to/opinio bench/datasets.sh
# Extra arguments go to `opinio batch` (e.g. --threads 1).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
EU_CSV=$DATA/eurepoc/EuRepoC_Global_Database_1.1.csv
EU_ATT=$DATA/eurepoc/EuRepoC_Attribution_dataset_1.1.csv
DCID=$DATA/dcid/DCID_2.0_Release_update_February_2023.xlsx
if [ ! -f "$EU_CSV" ] && [ ! -f "$DCID" ]; then
    echo "datasets.sh: skipped: the datasets are not present in $DATA (they are never part of the project)"
    exit 0
fi
if [ -z "${OPINIO:-}" ]; then
    cargo build --release --quiet --bin opinio
    OPINIO=${CARGO_TARGET_DIR:-target}/release/opinio
fi
if [ -n "${OUT:-}" ]; then
    mkdir -p "$OUT"
else
    OUT=$(mktemp -d)
    trap 'rm -rf "$OUT"' EXIT
fi
GOALS=('violates_sovereignty(O, V)' 'prohibited_intervention(O, V)' 'use_of_force(O, V)'
    'breaches_due_diligence(S, O, V)' 'countermeasures_available(V, S)')
now() { date +%s%N; }
TIMEFORMAT='%R s wall, %U s user + %S s system CPU'

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
echo "opinio: $OPINIO; $(nproc) cores; output in $OUT"

run() { # NAME MODE IMPORT-ARGS...
    local name=$1 mode=$2
    shift 2
    local jsonl=$OUT/${name}_$mode.jsonl
    local t0 t1
    t0=$(now)
    "$OPINIO" import "$@" --mode "$mode" -o "$jsonl" 2>"$OUT/${name}_${mode}_import.log" || true
    t1=$(now)
    local line
    line=$(grep -E '^(EuRepoC|DCID): ' "$OUT/${name}_${mode}_import.log" | tail -n 1)
    echo "import $name $mode: $line; $(secs "$t0" "$t1") s"
    grep -E '^  skipped' "$OUT/${name}_${mode}_import.log" || true
    local timing
    timing=$( { time "$OPINIO" batch --input "$jsonl" --all-positions --summary --goals "${GOALS[@]}" \
        --chart "$OUT/${name}_$mode.svg" "${BATCH_ARGS[@]}" \
        >"$OUT/${name}_$mode.txt" 2>"$OUT/${name}_${mode}_batch.log" || true; } 2>&1)
    local positions
    positions=$(awk '/^  position /{f=1;next} f&&/^$/{exit} f{n++} END{print n+0}' "$OUT/${name}_$mode.txt")
    echo "batch --summary $name $mode ($positions positions, ${#GOALS[@]} goals): $(head -n 1 "$OUT/${name}_$mode.txt"); $timing"
}

BATCH_ARGS=("$@")
if [ -f "$EU_CSV" ]; then
    for mode in strict trusting; do
        run eurepoc "$mode" eurepoc "$EU_CSV" --attribution "$EU_ATT"
    done
    # One record per scenario, for the comparison: only the incidents the legal coders coded.
    for mode in strict trusting; do
        python3 bench/eurepoc_coding.py --select "$EU_CSV" "$OUT/eurepoc_$mode.jsonl" \
            >"$OUT/eurepoc_${mode}_coded.jsonl"
    done
    records_timing=$( { time {
    for mode in strict trusting; do
        "$OPINIO" batch --input "$OUT/eurepoc_${mode}_coded.jsonl" --all-positions "${BATCH_ARGS[@]}" \
            --goals "${GOALS[@]}" 'attributable(O, S)' >"$OUT/eurepoc_${mode}_verdicts.jsonl" 2>/dev/null || true
    done
    }; } 2>&1)
    echo "batch (one record per scenario, $(wc -l <"$OUT/eurepoc_strict_coded.jsonl") incidents with legal coding, both modes): $records_timing"
    for mode in strict trusting; do
        echo
        echo "# EuRepoC's legal coding and Opinio ($mode)"
        python3 bench/eurepoc_coding.py "$EU_CSV" "$OUT/eurepoc_${mode}_verdicts.jsonl"
    done
else
    echo "datasets.sh: EuRepoC skipped: $EU_CSV is not present"
fi
if [ -f "$DCID" ]; then
    for mode in strict trusting; do
        run dcid "$mode" dcid "$DCID"
    done
else
    echo "datasets.sh: DCID skipped: $DCID is not present"
fi
for f in "$OUT"/*_strict.txt "$OUT"/*_trusting.txt; do
    [ -f "$f" ] || continue
    echo
    echo "## $(basename "$f" .txt)"
    cat "$f"
done
