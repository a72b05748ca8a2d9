#!/usr/bin/env bash
# The targets of the performance issue, each printed as a ratio measured in one run: the
# baseline (a release build of commit a09d759, built here in a git worktree of its own,
# reused when present) against the current release build.
#
#   bench/targets.sh                         # everything (about 15 minutes)
#   bench/targets.sh --only query,batch      # some targets; other options: bench/targets.py -h
#   BASELINE=<commit> bench/targets.sh       # another baseline
# The baseline's source and target folders live under $CARGO_TARGET_DIR (or target/).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BASELINE=${BASELINE:-a09d759}
SRC=$TARGET/baseline-src
if [ ! -d "$SRC" ]; then
    git worktree add --detach "$SRC" "$BASELINE" >&2
fi
git -C "$SRC" checkout --quiet --detach "$BASELINE"
(cd "$SRC" && CARGO_TARGET_DIR=$TARGET/baseline-target cargo build --release --quiet --bin opinio)
cargo build --release --quiet --bin opinio
exec python3 bench/targets.py --baseline "$TARGET/baseline-target/release/opinio" \
    --current "$TARGET/release/opinio" --baseline-src "$SRC" "$@"
