# Shared helpers for the repository scripts. Source it; do not run it.
# shellcheck shell=bash

ZB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ZB_ROOT

# Debian's pytest and pytest-bdd install for the system interpreter, which may not be the
# python3 first on PATH (pyenv shims, venvs). Tests always run with this one.
ZB_SYSTEM_PYTHON=/usr/bin/python3
export ZB_SYSTEM_PYTHON

# Bold only on a terminal, and never with NO_COLOR set (https://no-color.org).
if [[ -t 2 && -z ${NO_COLOR:-} ]]; then
    log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
else
    log() { printf '==> %s\n' "$*" >&2; }
fi
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when $1 (a build output) is missing or older than any file under the given source paths.
is_stale() {
    local output=$1; shift
    [[ -e $output ]] || return 0
    [[ -n $(find "$@" -newer "$output" -type f \
        -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/__pycache__/*' -print -quit 2>/dev/null) ]]
}

# Runs a command with its output in a log file, shown only if the command fails.
quietly() {
    local logfile
    logfile=$(mktemp)
    if ! "$@" >"$logfile" 2>&1; then
        cat "$logfile" >&2
        rm -f "$logfile"
        die "failed: $*"
    fi
    rm -f "$logfile"
}
