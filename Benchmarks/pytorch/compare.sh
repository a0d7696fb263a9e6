#!/usr/bin/env bash
# Swift and PyTorch on the released-size renderer, back to back on this machine.
#
# Usage: Benchmarks/pytorch/compare.sh --diffdub PATH [--frame] [--python PY] [--logs DIR]
#
#   --diffdub PATH  a checkout of github.com/liutaocode/DiffDub (original code, read only)
#   --frame         also a 20-step frame on both sides (`frame --steps 20` and 20 PyTorch UNet
#                   calls, each after a warm-up call). Adds 3-10 minutes, depending on the load.
#   --python PY     the venv's interpreter (default /work/torchvenv/bin/python)
#   --logs DIR      where the full outputs go (default a new directory under /tmp)
#
# Runs, in this order: `diffdub-bench unet --runs 3 --tuned`, [`diffdub-bench frame --steps 20
# --tuned`], `unet_benchmark.py --runs 3` [--frame-steps 20 or 0], then prints the summary lines
# of both with the machine and the load average before and after. Build the Swift bench first:
# `swift build -c release --product diffdub-bench`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="/work/torchvenv/bin/python"
diffdub=""
frame=0
logs=""
while [ $# -gt 0 ]; do
    case "$1" in
        --diffdub) diffdub="$2"; shift 2 ;;
        --python) python="$2"; shift 2 ;;
        --logs) logs="$2"; shift 2 ;;
        --frame) frame=1; shift ;;
        *) sed -n '2,16p' "$0"; exit 2 ;;
    esac
done
[ -n "$diffdub" ] || { echo "compare.sh: --diffdub PATH is required" >&2; exit 2; }
bench="$root/.build/release/diffdub-bench"
[ -x "$bench" ] || { echo "compare.sh: $bench missing; run: swift build -c release --product diffdub-bench" >&2; exit 2; }
[ -x "$python" ] || { echo "compare.sh: $python missing; see Benchmarks/pytorch/README.md" >&2; exit 2; }
logs="${logs:-$(mktemp -d /tmp/diffdub-compare.XXXXXX)}"
mkdir -p "$logs"

load() { cut -d' ' -f1-3 /proc/loadavg; }
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
        "flags: $(grep -m1 -o -w -E 'avx512f' /proc/cpuinfo || echo 'no avx512f'), $(grep -m1 -o -w 'avx2' /proc/cpuinfo || echo 'no avx2')"
    echo "load average before: $(load)"
} | tee "$logs/machine.txt"

echo "== swift: diffdub-bench unet --runs 3 --tuned" | tee "$logs/swift-unet.log"
"$bench" unet --runs 3 --tuned 2>&1 | tee -a "$logs/swift-unet.log"
if [ "$frame" = 1 ]; then
    echo "== swift: diffdub-bench frame --steps 20 --tuned" | tee "$logs/swift-frame.log"
    "$bench" frame --steps 20 --tuned 2>&1 | tee -a "$logs/swift-frame.log"
fi
steps=0
[ "$frame" = 1 ] && steps=20
echo "== pytorch: unet_benchmark.py --runs 3 --frame-steps $steps" | tee "$logs/pytorch.log"
"$python" "$here/unet_benchmark.py" --diffdub "$diffdub" --runs 3 --frame-steps "$steps" 2>&1 | tee -a "$logs/pytorch.log"
echo "load average after: $(load)" | tee -a "$logs/machine.txt"

echo
echo "==================== summary (full logs in $logs) ===================="
cat "$logs/machine.txt"
echo "-- Swift (DiffDubCore)"
grep -h -E '^(parameters:|threads:|UNet \[|semantic encoder|ddim|dpmpp|peak resident)' "$logs"/swift-*.log
echo "-- PyTorch"
grep -h -E '^(torch |parameters:|threads:|PyTorch |peak resident)' "$logs/pytorch.log"
