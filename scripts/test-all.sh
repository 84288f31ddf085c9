#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, runs every language's own
# tests, then the cross-language acceptance matrix (all features x all platform pairs x both modes).
#   scripts/test-all.sh [--only SUITE] [--stress]
# SUITE is one of: csharp python cpp cpp-asan fuzz readme ci bench matrix (all of them when --only is absent);
# a full run ends with the coverage gates (scripts/coverage-gate.py, scripts/coverage/gates.json).
# --stress adds the long soak/stress runs of scripts/soak.sh (not part of the default run or CI).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

suites=(csharp python cpp cpp-asan fuzz readme ci bench matrix)
usage() { sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
only="" stress=0
while (($#)); do
    case $1 in
        --only)
            only=${2:-}
            [[ " ${suites[*]} " == *" $only "* ]] || die "test-all.sh: unknown suite '$only' (one of: ${suites[*]})"
            shift ;;
        --stress) stress=1 ;;
        -h|--help) usage; exit 0 ;;
        *) die "test-all.sh: unknown option '$1' (see --help)" ;;
    esac
    shift
done
# Interop tests must run for real here: a missing peer tool is a failure, not a skip.
export ZEROBUFFER_REQUIRE_INTEROP=1
export ZEROBUFFER_CSHARP_TOOL="$ZB_ROOT/src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer"

scripts/setup.sh || exit 1
# The sanitizer and coverage trees take minutes to build: only when their suite runs.
build_args=()
[[ -z $only || $only == cpp-asan || $only == fuzz ]] && build_args+=(--asan)
# With the coverage tree built, the C++ tests run there; the plain tree only needs its programs.
[[ -z $only || $only == cpp ]] && build_args+=(--coverage --programs-only)
scripts/build.sh "${build_args[@]}" || exit 1
coverage=artifacts/coverage
rm -rf artifacts/csharp "$coverage"
mkdir -p artifacts "$coverage"

shm_before=$(ls /dev/shm 2>/dev/null | sort)
passed=() failed=()
# Each suite's output is also kept in artifacts/logs/SUITE.log, so the end of the run can repeat why a
# suite failed: a CI log is often read from its tail only.
logs=artifacts/logs
rm -rf "$logs" && mkdir -p "$logs"
suite() {  # suite <name> <command...>
    local name=$1; shift
    [[ -z $only || $name == "$only" ]] || return 0
    log "suite $name: $*"
    local start=$SECONDS
    "$@" 2>&1 | tee "$logs/$name.log"
    if ((PIPESTATUS[0] == 0)); then passed+=("$name"); else failed+=("$name"); fi
    log "suite $name finished in $((SECONDS - start)) s"
}

# Python: the test process and every Python child it starts (workers, CLIs) record line coverage.
python_suite() {
    local status=0
    COVERAGE_PROCESS_START="$ZB_ROOT/scripts/coverage/python.coveragerc" \
    COVERAGE_FILE="$ZB_ROOT/$coverage/python/.coverage" \
    PYTHONPATH="$ZB_ROOT/scripts/coverage${PYTHONPATH:+:$PYTHONPATH}" \
        "$ZB_SYSTEM_PYTHON" -m coverage run --rcfile=scripts/coverage/python.coveragerc \
        -m pytest src/python/tests -q -p no:cacheprovider || status=$?
    COVERAGE_FILE="$ZB_ROOT/$coverage/python/.coverage" "$ZB_SYSTEM_PYTHON" -m coverage combine -q \
        --rcfile=scripts/coverage/python.coveragerc "$coverage/python" &&
    COVERAGE_FILE="$ZB_ROOT/$coverage/python/.coverage" "$ZB_SYSTEM_PYTHON" -m coverage xml -q \
        --rcfile=scripts/coverage/python.coveragerc -o "$coverage/python.xml" || status=1
    return $status
}
# C++: the unit and process suites run in the gcov-instrumented tree, and so do the features through its
# worker (cpp_cpp, both modes), as the Python workers do under coverage.py; gcovr reads what they hit.
cpp_suite() {
    local status=0
    find build/cpp-cov -name '*.gcda' -delete
    ctest --test-dir build/cpp-cov --output-on-failure --timeout 300 || status=$?
    # Paths in a harmony config are relative to the config's own folder.
    cat > build/cpp-cov/harmony.json <<'JSON'
{ "platforms": { "cpp": { "command": "bin/zerobuffer-serve", "args": [], "workingDirectory": "../..", "env": {} } },
  "featuresPath": "../../features", "stepTimeoutMs": 30000 }
JSON
    ./test.sh cpp_cpp --mode both --parallel 2 --config build/cpp-cov/harmony.json || status=$?
    gcovr --root . --object-directory build/cpp-cov --filter 'src/cpp/' --exclude 'src/cpp/tests/' \
        --exclude-unreachable-branches --xml "$coverage/cpp.xml" --print-summary || status=1
    return $status
}
coverage_gate() {
    "$ZB_SYSTEM_PYTHON" scripts/coverage-gate.py "$coverage"/*.xml artifacts/csharp/*/coverage.cobertura.xml
}

# The acceptance matrix (default tags), then, when this runs as root, the @privileged scenarios (mount
# namespaces, another uid), which are off by default; without root they stay skipped, with that reason.
matrix_suite() {
    local status=0
    ./test.sh all --mode both --parallel 2 --junit artifacts/harmony.junit.xml \
        --format message:artifacts/harmony.ndjson --format html:artifacts/harmony.html || status=$?
    if ((EUID == 0)); then
        # @other-user scenarios start a worker as 'nobody', which must be able to reach the checkout.
        local tags=@privileged
        if ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
                test -x "$ZB_ROOT/src/ZeroBuffer.Serve/bin/Release/net10.0/zerobuffer-serve" 2>/dev/null; then
            log "matrix: @other-user scenarios skipped: user 'nobody' cannot reach $ZB_ROOT (a folder on the way is not world-executable)"
            tags="@privileged and not @other-user"
        fi
        ./test.sh all --tags "$tags" --mode both --parallel 2 \
            --junit artifacts/harmony-privileged.junit.xml || status=1
    else
        log "matrix: @privileged scenarios skipped (they need root)"
    fi
    return $status
}

# No --no-build: build.sh only guards the executables, so changed test projects must rebuild here.
# The scenario rows of tests/Harmony.Scenarios (trait Category=HarmonyScenario) are the matrix, which the
# matrix suite runs through ./test.sh: left out here so it runs once; that project's own tests still run.
suite csharp        dotnet test ZeroBuffer.sln -c Release --nologo --filter "Category!=HarmonyScenario" \
                        --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=csharp" \
                        --results-directory artifacts/csharp \
                        --collect "XPlat Code Coverage" --settings scripts/coverage/csharp.runsettings
suite python        python_suite
suite cpp           cpp_suite
suite cpp-asan      ctest --test-dir build/cpp-asan --output-on-failure --timeout 600
suite fuzz          scripts/fuzz.sh --cases 300
suite readme        "$ZB_SYSTEM_PYTHON" scripts/check_readme.py
suite ci            "$ZB_SYSTEM_PYTHON" -m pytest tests/ci -q -p no:cacheprovider
# Ratios against same-run baselines (memcpy, socket, semaphore ping-pong), median of 3, vs bench/baseline.json.
suite bench         "$ZB_SYSTEM_PYTHON" scripts/bench-check
suite matrix        matrix_suite
((stress)) && suite stress scripts/soak.sh
((stress)) && suite fuzz-stress scripts/fuzz.sh --cases 10000
[[ -z $only ]] && suite coverage coverage_gate

leaked=$(comm -13 <(echo "$shm_before") <(ls /dev/shm 2>/dev/null | sort))
if [[ -n $leaked ]]; then
    printf 'error: the test run left objects in /dev/shm:\n%s\n' "$leaked" >&2
    failed+=("shm-leak-check")
else
    passed+=("shm-leak-check")
fi

# What each test runner prints for a failed test (xUnit/dotnet, pytest, CTest, harmony): a suite that runs
# several test projects can fail in one whose output is far from the tail.
failure_markers='^[[:space:]]*Failed [[:alnum:]_.]|\[FAIL\]|^(FAILED|ERROR) |\*\*\*Failed|\(Failed\)|✗ '
for s in "${failed[@]}"; do
    [[ -f $logs/$s.log ]] || continue
    if grep -qE "$failure_markers" "$logs/$s.log"; then
        printf '\n==> suite %s failed; its failed tests (from %s):\n' "$s" "$logs/$s.log"
        grep -E -A 4 -m 20 "$failure_markers" "$logs/$s.log"
    fi
    printf '\n==> suite %s failed; the last lines of %s:\n' "$s" "$logs/$s.log"
    tail -n 40 "$logs/$s.log"
done
echo
for s in "${passed[@]}"; do echo "  ✓ $s"; done
for s in "${failed[@]}"; do echo "  ✗ $s"; done
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
