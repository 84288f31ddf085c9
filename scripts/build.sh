#!/usr/bin/env bash
# Builds whatever is missing or older than its sources: the C# solution (Release), the C++ project
# (Release) and, with --asan, the C++ sanitizer build. Python needs no build.
#   scripts/build.sh [--asan] [--coverage] [--force]
# --coverage also builds build/cpp-cov, the C++ tree instrumented for gcov (scripts/test-all.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

asan=0 coverage=0 force=0
for arg in "$@"; do
    case $arg in
        --asan) asan=1 ;;
        --coverage) coverage=1 ;;
        --force) force=1 ;;
        *) die "build.sh: unknown option '$arg' (use --asan, --coverage, --force)" ;;
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

build_cpp() {  # build_cpp <dir> [cmake args...]
    local dir=$1; shift
    if ((force)) || is_stale "$dir/bin/zerobuffer-serve" src/cpp; then
        log "building C++ in $dir"
        local start=$SECONDS
        quietly cmake -S src/cpp -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@"
        quietly cmake --build "$dir" -j2
        touch "$dir/bin/zerobuffer-serve"
        log "built C++ in $dir in $((SECONDS - start)) s"
    fi
}
if [[ -f src/cpp/CMakeLists.txt ]]; then
    build_cpp build/cpp
    ((asan)) && build_cpp build/cpp-asan -DZEROBUFFER_SANITIZE=ON
    ((coverage)) && build_cpp build/cpp-cov -DZEROBUFFER_COVERAGE=ON
fi
exit 0
