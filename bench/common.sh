# Shared by the bench scripts (sourced, not run): the server and sampler they start are stopped
# on exit whatever happens, and missing tools are installed from Debian's packages when root.
# The sourcing script sets SERVER_PID and SAMPLER_PID when it starts them.
# shellcheck shell=bash

SERVER_PID="${SERVER_PID:-}"
SAMPLER_PID="${SAMPLER_PID:-}"

log() { printf '\n== %s\n' "$*"; }

cleanup() {
    if [[ -n "$SAMPLER_PID" ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

need() {
    local tool=$1 package=$2
    command -v "$tool" >/dev/null && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing $package (for $tool)"
        apt-get install -y -q "$package" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "$package" >/dev/null; }
    fi
    command -v "$tool" >/dev/null || { echo "error: $tool not found (Debian package $package)" >&2; exit 1; }
}
