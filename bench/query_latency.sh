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
hyperfine -N --warmup 5 --min-runs 30 --style basic --export-markdown /dev/stdout \
    "$OPINIO query --scenario $S violates_sovereignty(notpetya,ukraine)" \
    "$OPINIO query --scenario $S --format json violates_sovereignty(notpetya,denmark)" \
    "$OPINIO compare --scenario $S violates_sovereignty(notpetya,denmark)" \
    "$OPINIO check"
