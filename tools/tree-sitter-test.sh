#!/usr/bin/env bash
# The tree-sitter grammar (editors/tree-sitter-opinio): generated from grammar.js, its corpus
# tests (test/corpus) and highlighting tests (test/highlight, queries/highlights.scm) run, then
# every .opinio file of the repository outside `invalid/` folders parsed without an error node.
#
#   tools/tree-sitter-test.sh
#   TREE_SITTER=/path/to/tree-sitter tools/tree-sitter-test.sh
#
# Needs the tree-sitter command-line tool (`tools/install-tools.sh tree-sitter` runs
# `cargo install tree-sitter-cli --locked`, which
# builds it from source and evaluates grammar.js with its own JavaScript engine) and a C
# compiler; skips with a message when the tool is missing. The generated parser is written to
# a temporary copy of the grammar, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

ts=${TREE_SITTER:-}
if [ -z "$ts" ]; then
    ts=$(command -v tree-sitter || true)
    [ -z "$ts" ] && [ -x "$HOME/.cargo/bin/tree-sitter" ] && ts="$HOME/.cargo/bin/tree-sitter"
fi
if [ -z "$ts" ]; then
    echo "tree-sitter grammar: skipped (no tree-sitter command; cargo install tree-sitter-cli --locked)"
    exit 0
fi

repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the grammar, found by the tool through a configuration of its own (the user's
# configuration and grammars are not read).
grammar="$work/tree-sitter-opinio"
cp -r editors/tree-sitter-opinio "$grammar"
printf '{"parser-directories": ["%s"]}\n' "$work" > "$work/config.json"
cd "$grammar"
"$ts" generate
"$ts" test --config-path "$work/config.json"

# The parse below must be able to fail: a broken statement gives an error node.
printf 'rule r: (.\n' > "$work/broken.opinio"
if "$ts" parse --config-path "$work/config.json" --quiet "$work/broken.opinio" >/dev/null 2>&1; then
    echo "error: the tree-sitter grammar accepts a broken statement (rule r: (.)" >&2
    exit 1
fi

# Every .opinio file of the repository that Opinio accepts must parse without an error node.
mapfile -t files < <(cd "$repo" && git ls-files '*.opinio' | grep -v '/invalid/' | sed "s|^|$repo/|")
if [ ${#files[@]} -eq 0 ]; then
    echo "error: no .opinio file found in $repo" >&2
    exit 1
fi
if ! "$ts" parse --config-path "$work/config.json" --quiet "${files[@]}"; then
    echo "error: the tree-sitter grammar does not parse the files above" >&2
    exit 1
fi
echo "tree-sitter grammar: corpus and highlighting tests passed, ${#files[@]} .opinio files parsed"
