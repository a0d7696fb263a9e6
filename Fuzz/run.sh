#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS seconds (default 600), one at a time
# (a single process; -jobs would fork workers), seeded from the fixtures (Fuzz/make-seeds.py).
# Usage: Fuzz/run.sh [SECONDS] [TARGET...]
# FUZZ_SCRATCH sets the build folder (default Fuzz/.build), FUZZ_NO_BUILD=1 skips the build,
# FUZZ_MAX_LEN the longest input (default 4 MB, for the checkpoint fixtures).
# Corpora grow in $FUZZ_WORK/corpus/<target> (default /tmp/diffdub-fuzz); crashing inputs land in
# $FUZZ_WORK/findings/<target>/; each run's log is $FUZZ_WORK/<target>.log and its last
# statistics line is printed. Copy findings into Tests/DiffDubIOTests/Limits/Regressions/<kind>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(FuzzTorchCheckpoint FuzzUnpickler FuzzSafeTensors FuzzNumPy FuzzPNG FuzzLandmarks FuzzWAV FuzzOptions FuzzJobFolder)
fi
work="${FUZZ_WORK:-/tmp/diffdub-fuzz}"
scratch="${FUZZ_SCRATCH:-$here/.build}"
mkdir -p "$work"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    (cd "$here" && swift build -c release --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
fi
[ -d "$work/seeds" ] || python3 "$here/make-seeds.py" "$work/seeds"
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    findings="$work/findings/$target"
    mkdir -p "$corpus" "$findings"
    echo "== $target: ${seconds}s"
    set +e
    "$scratch/release/$target" "$corpus" "$work/seeds/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -max_len="${FUZZ_MAX_LEN:-4194304}" -artifact_prefix="$findings/" -print_final_stats=1 \
        > "$work/$target.log" 2>&1
    status=$?
    set -e
    grep -E "^#[0-9]+.*(DONE|pulse)" "$work/$target.log" | tail -1 || true
    grep -E "stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb" "$work/$target.log" || true
    echo "exit $status, corpus $(ls "$corpus" | wc -l) files, findings $(ls "$findings" | wc -l)"
done
