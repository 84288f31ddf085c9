#!/usr/bin/env bash
# Runs Harmony scenarios across platform pairs.
#   ./test.sh [pair|platform|all] [N.M|N.*|feature] [options]     (./test.sh --help for the options)
# Installs missing dependencies and builds whatever is missing or stale first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/setup.sh" >/dev/null
"$root/scripts/build.sh"
exec "$root/src/Harmony.Orchestrator/bin/Release/net10.0/harmony" --config "$root/harmony.json" "$@"
