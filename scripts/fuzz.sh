#!/usr/bin/env bash
# Corrupted-memory fuzzer (issue 15): seeded, reproducible corruption of OIEB fields, frame headers,
# fake wrap markers, metadata and semaphore counts, before connect and mid-stream, against each
# language's reader and writer (C++ also under ASan/UBSan). Details: tests/fuzz/README.md.
#   scripts/fuzz.sh [--cases N] [--seed S] [--lang cs|py|cpp|cpp-asan]... [--case I]
# Default: 300 cases for each of cs, py, cpp and cpp-asan. Exit status 1 on any crash, hang,
# sanitizer report or leak; each is printed with its seed and a one-line reproducer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

langs=()
args=("$@")
while (($#)); do
    case $1 in
        --lang) langs+=("${2:-}"); shift ;;
        -h|--help) exec "$ZB_SYSTEM_PYTHON" tests/fuzz/fuzz.py --help ;;
    esac
    shift
done
((${#langs[@]})) || langs=(cs py cpp)
wants() { local l; for l in "${langs[@]}"; do [[ $l == "$1"* ]] && return 0; done; return 1; }

if wants cs && is_stale tests/fuzz/ZeroBuffer.Fuzz/bin/Release/net10.0/zerobuffer-fuzz tests/fuzz/ZeroBuffer.Fuzz src/ZeroBuffer; then
    log "building the C# fuzz harness"
    quietly dotnet build tests/fuzz/ZeroBuffer.Fuzz -c Release -nologo
    touch tests/fuzz/ZeroBuffer.Fuzz/bin/Release/net10.0/zerobuffer-fuzz
fi
if wants cpp; then
    [[ -d build/cpp ]] || quietly cmake -S src/cpp -B build/cpp -DCMAKE_BUILD_TYPE=Release
    quietly cmake --build build/cpp -j2 --target zerobuffer_fuzz_harness
fi
if wants cpp-asan || [[ " ${langs[*]} " == *" cpp "* ]]; then
    [[ -d build/cpp-asan ]] || die "build/cpp-asan is missing: run scripts/build.sh --asan once"
    quietly cmake --build build/cpp-asan -j2 --target zerobuffer_fuzz_harness
fi
exec "$ZB_SYSTEM_PYTHON" tests/fuzz/fuzz.py "${args[@]}"
