#!/usr/bin/env bash
# Runs Harmony scenarios across platform pairs.
#   ./test.sh [pair|platform|all] [N.M|N.*|feature] [options]     (./test.sh --help for the options)
# With no arguments at all it runs the whole matrix: every feature, all 9 pairs, both modes
# (ORCHESTRATION.md); otherwise the mode defaults to separate-process unless --mode says otherwise.
# Costly tags (@long, @stress, @benchmark, ...) are off by default: --long / --stress / --bench or
# --tags naming them turn them on (every argument goes to harmony as it is).
# Installs missing dependencies and builds whatever is missing or stale first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/setup.sh" >/dev/null
# The workers are all a run needs; the C++ test suites are built by scripts/build.sh or test-all.
"$root/scripts/build.sh" --programs-only
args=("$@")
((${#args[@]})) || args=(all --mode both)
# The repository's config unless the user names one with --config (harmony reads HARMONY_CONFIG as its default).
export HARMONY_CONFIG="${HARMONY_CONFIG:-$root/harmony.json}"
exec "$root/src/Harmony.Orchestrator/bin/Release/net10.0/harmony" "${args[@]}"
