#!/usr/bin/env bash
# Long stress/soak runs, not part of the default test run (scripts/test-all.sh --stress runs this):
#   1. every reader tool x every writer tool (C#, Python, C++) streams many pattern-checked frames of
#      several sizes through a small ring, so the ring wraps (markers and implicit tails) hundreds of
#      thousands of times across languages;
#   2. the whole Harmony matrix, both modes, several rounds in a row (flakiness shows up here).
#   scripts/soak.sh            (ZB_SOAK_FRAMES=1000000 frames per small-frame stream, ZB_SOAK_ROUNDS=5)
# Run scripts/build.sh first (test-all.sh does).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ZB_ROOT"

frames=${ZB_SOAK_FRAMES:-1000000}
rounds=${ZB_SOAK_ROUNDS:-5}
ring=65536
declare -A tool=(
    [csharp]="src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer"
    [python]="env PYTHONPATH=src/python $ZB_SYSTEM_PYTHON -m zerobuffer"
    [cpp]="build/cpp/bin/zerobuffer-cpp"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# stream <reader> <writer> <frame size> <count>: one cross-language stream, checked end to end.
stream() {
    local reader=$1 writer=$2 size=$3 count=$4
    local name="soak-$$-$reader-$writer-$size" out="$work/reader.out"
    ${tool[$reader]} read "$name" --count "$count" --payload-size "$ring" --timeout-ms 20000 >"$out" 2>"$work/reader.err" &
    local pid=$!
    local waited=0
    until grep -q READY "$out" 2>/dev/null; do
        sleep 0.05; waited=$((waited + 1))
        if ((waited > 400)) || ! kill -0 "$pid" 2>/dev/null; then break; fi
    done
    local start=$SECONDS
    ${tool[$writer]} write "$name" --count "$count" --size "$size" --timeout-ms 20000 >/dev/null 2>"$work/writer.err"
    local writer_rc=$?
    wait "$pid"; local reader_rc=$?
    if ((writer_rc == 0 && reader_rc == 0)) && grep -q "\"frames\":$count," "$out"; then
        log "soak: $reader <- $writer, $count x $size B: ok ($((SECONDS - start)) s)"
    else
        printf 'soak: %s <- %s, %s x %s B FAILED (reader %s, writer %s)\n' "$reader" "$writer" "$count" "$size" \
            "$reader_rc" "$writer_rc" >&2
        cat "$work/reader.err" "$work/writer.err" >&2
        failures=$((failures + 1))
    fi
}

for reader in csharp python cpp; do
    for writer in csharp python cpp; do
        stream "$reader" "$writer" 1 "$frames"              # 17-byte records: marker wraps
        stream "$reader" "$writer" 1013 "$frames"           # 1029-byte records: 10-byte implicit tails
        stream "$reader" "$writer" 20000 $((frames / 20))   # records larger than a quarter of the ring
    done
done

for ((round = 1; round <= rounds; round++)); do
    log "soak: matrix round $round of $rounds"
    ./test.sh all --mode both --parallel 2 || failures=$((failures + 1))
done

echo "soak: $((27 + rounds - failures)) passed, $failures failed"
((failures == 0))
