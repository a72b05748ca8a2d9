#!/usr/bin/env bash
# Seeds the fuzzing corpora (fuzz/corpus/<target>/) from the repository's own files:
# knowledge/*.opinio, tests/**/*.opinio, tests/fixtures/*.json, the REPL transcripts and the
# inputs of tests/regressions/.
# The corpora are not committed (see .gitignore); run this before `fuzz/run.sh`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
corpus="$here/corpus"
mkdir -p "$corpus"/{parse,evaluate,json,repl,fmt,folders,structured}

opinio_files() {
    find "$root/knowledge" "$root/tests" -name '*.opinio' -type f | sort
}

# A seed file named after its source, so a rerun replaces rather than duplicates.
put() { # target name (content on stdin)
    local name
    name="seed-$(printf '%s' "$2" | tr '/' '_')"
    cat >"$corpus/$1/$name"
}

while read -r f; do
    rel="${f#"$root"/}"
    put parse "$rel" <"$f"
    put fmt "$rel" <"$f"
    # evaluate: PROGRAM \0 SCENARIO. Self-contained test programs as the program; scenarios
    # written for the bundled knowledge base after an empty program (= the bundled one).
    case "$rel" in
    tests/eval/*) { cat "$f"; printf '\0'; } | put evaluate "$rel" ;;
    tests/scenarios/* | tests/knowledge/* | tests/transcripts/*) { printf '\0'; cat "$f"; } | put evaluate "$rel" ;;
    esac
    # repl: scenario files are lines of facts.
    case "$rel" in
    tests/scenarios/* | tests/transcripts/*) put repl "$rel" <"$f" ;;
    esac
done < <(opinio_files)

# The whole bundled knowledge base as a multi-file program (files separated by \x01), with a
# scenario after \0.
{
    first=1
    while read -r f; do
        [ "$first" = 1 ] || printf '\1'
        first=0
        cat "$f"
    done < <(find "$root/knowledge" -name '*.opinio' -type f | sort)
    printf '\0'
    cat "$root/tests/scenarios/stuxnet.opinio"
} | put evaluate "knowledge-all"

for f in "$root"/tests/fixtures/*.json; do
    rel="${f#"$root"/}"
    put json "$rel" <"$f"
done
printf '%s' '{"facts": [], "negative_facts": [], "unknown_facts": []}' | put json empty.json
printf '%s' '{"id": 7, "facts": ["state(astoria)", "operation(op)"], "unknown_facts": ["organ_of(unit, borduria)"]}' | put json id.json

for f in "$root"/tests/transcripts/*.txt; do
    rel="${f#"$root"/}"
    put repl "$rel" <"$f"
done

# `folders` and `structured` read their inputs through `arbitrary`: any bytes are a folder or
# a program. A few of the knowledge base's files give them different starting points.
while read -r f; do
    rel="${f#"$root"/}"
    put folders "$rel" <"$f"
    put structured "$rel" <"$f"
done < <(find "$root/knowledge" -maxdepth 1 -name '*.opinio' -type f | sort | head -n 6)

# Every input that ever crashed a target (kept as regression tests).
for t in parse evaluate json repl fmt folders structured; do
    for f in "$root/tests/regressions/$t"/*; do
        [ -f "$f" ] || continue
        put "$t" "regression-$(basename "$f")" <"$f"
    done
done

for t in parse evaluate json repl fmt folders structured; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) files"
done
