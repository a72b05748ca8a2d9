#!/usr/bin/env bash
# Fuzzes every target, one after another, each for MINUTES minutes (default 10), on one
# core, and prints per target the executions and the crashes found.
#
#   fuzz/run.sh [MINUTES] [TARGET...]
#
# Environment: SANITIZER (default `none`: Opinio forbids unsafe code, and without
# AddressSanitizer the fuzzer runs several times faster; `address` also works),
# TIMEOUT (seconds one input may take before it counts as a hang; default 10).
# `opinio.dict` (keywords, punctuation, REPL commands, JSON fields) guides the mutations.
# `structured` (generated programs: long lines, deep nesting, huge rules) takes inputs of up
# to 1,000,000 bytes; `folders` builds its folders under $TMPDIR/opinio-fuzz-folders, which is
# removed afterwards (what a crashed or hung input left there too).
#
# cargo-fuzz needs nightly features; on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them.
# Crashing inputs land in fuzz/artifacts/<target>/; logs in fuzz/logs/<target>.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
minutes="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse evaluate json repl fmt folders structured)
sanitizer="${SANITIZER:-none}"
timeout="${TIMEOUT:-10}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: installing it (cargo install cargo-fuzz)"
    cargo install cargo-fuzz
fi
if [ ! -d corpus ] || [ -z "$(find corpus -type f -print -quit)" ]; then
    ./seed.sh
fi
mkdir -p logs artifacts

seconds=$(awk "BEGIN { printf \"%d\", $minutes * 60 }")
declare -A runs crashes
for t in "${targets[@]}"; do
    echo "== $t: building"
    cargo fuzz build --sanitizer "$sanitizer" "$t" >"logs/$t.build.log" 2>&1 || {
        echo "build failed: see fuzz/logs/$t.build.log"
        exit 1
    }
    mkdir -p "artifacts/$t" "corpus/$t"
    before=$(find "artifacts/$t" -type f | wc -l)
    echo "== $t: fuzzing for $minutes minute(s)"
    # One worker process at a time (-fork=1); a crash, hang or out-of-memory input is saved
    # and fuzzing goes on until the time is up.
    set +e
    extra=(-dict=opinio.dict)
    # Whole knowledge bases make slow inputs: the evaluator is fuzzed on small programs (and
    # on scenarios over the bundled knowledge base, which is loaded once).
    [ "$t" = evaluate ] && extra+=(-max_len=16384)
    # The generator reads its choices from the input: longer inputs, bigger programs.
    [ "$t" = structured ] && extra+=(-max_len=1000000)
    scratch="${TMPDIR:-/tmp}/opinio-fuzz-folders"
    if [ "$t" = folders ]; then
        mkdir -p "$scratch"
        export TMPDIR="$scratch"
    fi
    cargo fuzz run --sanitizer "$sanitizer" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout="$timeout" -fork=1 "${extra[@]}" \
        -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1
    set -e
    if [ "$t" = folders ]; then
        export TMPDIR="$(dirname "$scratch")"
        rm -rf "$scratch"
    fi
    after=$(find "artifacts/$t" -type f | wc -l)
    # The fork-mode status lines read `#EXECS: cov: ... oom/timeout/crash: O/T/C ...`.
    last=$(grep -E '^#[0-9]+:' "logs/$t.log" | tail -n 1 || true)
    runs[$t]=$(printf '%s' "$last" | sed -E 's/^#([0-9]+):.*/\1/')
    runs[$t]=${runs[$t]:-$(grep -Eo 'Done [0-9]+ runs' "logs/$t.log" | grep -Eo '[0-9]+' | tail -n 1 || echo "?")}
    crashes[$t]=$((after - before))
    echo "   $t: ${runs[$t]} executions, ${crashes[$t]} new crash/hang/oom input(s)"
    [ -n "$last" ] && echo "   $last"
done

echo
printf '%-10s %8s %12s %8s\n' target minutes executions crashes
for t in "${targets[@]}"; do
    printf '%-10s %8s %12s %8s\n' "$t" "$minutes" "${runs[$t]}" "${crashes[$t]}"
done
if [ -n "$(find artifacts -type f -print -quit)" ]; then
    echo
    echo "Crashing inputs (reproduce with RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $sanitizer TARGET FILE):"
    find artifacts -type f | sort
fi
