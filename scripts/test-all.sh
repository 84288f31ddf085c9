#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, runs every language's own
# tests, then the cross-language acceptance matrix (all features x all platform pairs x both modes).
#   scripts/test-all.sh [--only csharp|python|cpp|fuzz|readme|matrix] [--stress]
# --stress adds the long soak/stress runs of scripts/soak.sh (not part of the default run or CI).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

only="" stress=0
while (($#)); do
    case $1 in
        --only) only=${2:?--only needs csharp, python, cpp, fuzz, readme or matrix}; shift ;;
        --stress) stress=1 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) die "test-all.sh: unknown option '$1'" ;;
    esac
    shift
done
# Interop tests must run for real here: a missing peer tool is a failure, not a skip.
export ZEROBUFFER_REQUIRE_INTEROP=1
export ZEROBUFFER_CSHARP_TOOL="$ZB_ROOT/src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer"

scripts/setup.sh || exit 1
scripts/build.sh --asan || exit 1
mkdir -p artifacts

shm_before=$(ls /dev/shm 2>/dev/null | sort)
passed=() failed=()
suite() {  # suite <name> <command...>
    local name=$1; shift
    [[ -z $only || $name == "$only"* ]] || return 0
    log "suite $name: $*"
    local start=$SECONDS
    if "$@"; then passed+=("$name"); else failed+=("$name"); fi
    log "suite $name finished in $((SECONDS - start)) s"
}

# No --no-build: build.sh only guards the executables, so changed test projects must rebuild here.
suite csharp        dotnet test ZeroBuffer.sln -c Release --nologo \
                        --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=csharp" \
                        --results-directory artifacts/csharp
suite python        "$ZB_SYSTEM_PYTHON" -m pytest src/python/tests -q -p no:cacheprovider
suite cpp           ctest --test-dir build/cpp --output-on-failure --timeout 300
suite cpp-asan      ctest --test-dir build/cpp-asan --output-on-failure --timeout 600
suite fuzz          scripts/fuzz.sh --cases 300
suite readme        "$ZB_SYSTEM_PYTHON" scripts/check_readme.py
suite matrix        ./test.sh all --mode both --parallel 2 --junit artifacts/harmony.junit.xml
((stress)) && suite stress scripts/soak.sh
((stress)) && suite fuzz-stress scripts/fuzz.sh --cases 10000

leaked=$(comm -13 <(echo "$shm_before") <(ls /dev/shm 2>/dev/null | sort))
if [[ -n $leaked ]]; then
    printf 'error: the test run left objects in /dev/shm:\n%s\n' "$leaked" >&2
    failed+=("shm-leak-check")
else
    passed+=("shm-leak-check")
fi

echo
for s in "${passed[@]}"; do echo "  ✓ $s"; done
for s in "${failed[@]}"; do echo "  ✗ $s"; done
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
