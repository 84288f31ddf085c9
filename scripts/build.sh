#!/usr/bin/env bash
# Builds whatever is missing or older than its sources: the C# solution (Release), the C++ project
# (Release) and, with --asan, the C++ sanitizer build. Python needs no build.
#   scripts/build.sh [--asan] [--coverage] [--programs-only] [--force]
# --coverage also builds build/cpp-cov, the C++ tree instrumented for gcov (scripts/test-all.sh).
# --programs-only builds only the programs of build/cpp (worker, CLI, fuzz harness), not its test suites:
# scripts/test-all.sh runs the C++ tests in the coverage tree, and compiling them twice cost CI ~100 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

asan=0 coverage=0 force=0 programs_only=0
for arg in "$@"; do
    case $arg in
        --asan) asan=1 ;;
        --coverage) coverage=1 ;;
        --force) force=1 ;;
        --programs-only) programs_only=1 ;;
        *) die "build.sh: unknown option '$arg' (use --asan, --coverage, --programs-only, --force)" ;;
    esac
done

csharp_sources=(src/ZeroBuffer src/ZeroBuffer.Tool src/Harmony.Protocol src/ZeroBuffer.Serve
                src/Harmony.Orchestrator Directory.Build.props Directory.Build.targets Directory.Packages.props)
csharp_outputs=(src/ZeroBuffer.Serve/bin/Release/net10.0/zerobuffer-serve
                src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer
                src/Harmony.Orchestrator/bin/Release/net10.0/harmony)
csharp_stale=$force
for out in "${csharp_outputs[@]}"; do
    is_stale "$out" "${csharp_sources[@]}" && csharp_stale=1
done
if ((csharp_stale)); then
    log "building C# (Release)"
    start=$SECONDS
    quietly dotnet build ZeroBuffer.sln -c Release -nologo
    touch "${csharp_outputs[@]}"   # an up-to-date incremental build leaves old timestamps behind
    log "built C# in $((SECONDS - start)) s"
fi

cpp_programs=(zerobuffer-serve zerobuffer-cpp zerobuffer_fuzz_harness)
build_cpp() {  # build_cpp <dir> <"all" or "programs"> [cmake args...]
    local dir=$1 what=$2; shift 2
    # A whole tree is fresh when its worker and its test suite are; a programs-only build leaves the
    # tests unbuilt, so the next whole build sees the missing test binary and builds them.
    local stamps=("$dir/bin/zerobuffer-serve") targets=()
    if [[ $what == programs ]]; then
        targets=(--target "${cpp_programs[@]}")
    else
        stamps+=("$dir/bin/zerobuffer_tests")
    fi
    local stale=$force stamp
    for stamp in "${stamps[@]}"; do is_stale "$stamp" src/cpp && stale=1; done
    if ((stale)); then
        log "building C++ in $dir${targets:+ (programs only)}"
        local start=$SECONDS
        quietly cmake -S src/cpp -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@"
        quietly cmake --build "$dir" -j2 "${targets[@]}"
        touch "${stamps[@]}"   # an up-to-date target keeps its old timestamp
        log "built C++ in $dir in $((SECONDS - start)) s"
    fi
}
if [[ -f src/cpp/CMakeLists.txt ]]; then
    build_cpp build/cpp "$( ((programs_only)) && echo programs || echo all)"
    ((asan)) && build_cpp build/cpp-asan all -DZEROBUFFER_SANITIZE=ON
    ((coverage)) && build_cpp build/cpp-cov all -DZEROBUFFER_COVERAGE=ON
fi
exit 0
