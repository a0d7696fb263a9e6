#!/usr/bin/env bash
# SyncNet scoring of one clip: `diffdub sync --cropped` and syncnet_python, back to back on this
# machine, with wall and CPU seconds, peak memory and the load average.
#
# Usage: Benchmarks/syncnet/compare.sh --syncnet PATH [--seconds S] [--model FILE] [--python PY]
#                                      [--logs DIR] [--swift-only | --python-only]
#
#   --syncnet PATH  a checkout of github.com/joonson/syncnet_python (read only)
#   --seconds S     clip length (default 60: 1,500 frames, 1,495 windows)
#   --model FILE    SyncNet weights for both sides (default Tests/Fixtures/sync/syncnet.model, seeded
#                   random weights in syncnet_v2.model's format; the cost does not depend on them)
#   --python PY     the venv's interpreter (default /work/torchvenv/bin/python: CPU torch, numpy,
#                   scipy, python_speech_features)
#   --logs DIR      where the clip and the full outputs go (default a new directory under /tmp)
#
# The clip is Tests/Fixtures/sync/clip.mp4 (a real 224x224 face at 25 fps) looped to S seconds.
# Swift: `diffdub sync --model FILE --cropped CLIP --json`, the whole command (decoding, MFCC,
# both encoders, scores). Python: syncnet_python_timing.py (evaluate's MFCC, forward passes
# and distances on the CPU, on noise frames of the same size: the decoding and JPEG steps of
# evaluate are not timed, so the comparison favours Python slightly). Build the CLI first:
# `swift build -c release --product diffdub`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="/work/torchvenv/bin/python"
syncnet=""
seconds=60
model="$root/Tests/Fixtures/sync/syncnet.model"
logs=""
sides="both"
while [ $# -gt 0 ]; do
    case "$1" in
        --syncnet) syncnet="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        --python) python="$2"; shift 2 ;;
        --logs) logs="$2"; shift 2 ;;
        --swift-only) sides="swift"; shift ;;
        --python-only) sides="python"; shift ;;
        *) sed -n '2,22p' "$0"; exit 2 ;;
    esac
done
[ "$sides" = swift ] || [ -n "$syncnet" ] || { echo "compare.sh: --syncnet PATH is required" >&2; exit 2; }
diffdub="$root/.build/release/diffdub"
[ "$sides" = python ] || [ -x "$diffdub" ] || {
    echo "compare.sh: $diffdub missing; run: swift build -c release --product diffdub" >&2
    exit 2
}
[ "$sides" = swift ] || [ -x "$python" ] || { echo "compare.sh: $python missing" >&2; exit 2; }
logs="${logs:-$(mktemp -d /tmp/syncnet-compare.XXXXXX)}"
mkdir -p "$logs"
clip="$logs/clip-${seconds}s.mp4"
if [ ! -s "$clip" ]; then
    ffmpeg -v error -y -stream_loop -1 -i "$root/Tests/Fixtures/sync/clip.mp4" -t "$seconds" \
        -c:v libx264 -preset veryfast -crf 12 -pix_fmt yuv420p -c:a aac -ar 16000 -ac 1 "$clip.part.mp4"
    mv "$clip.part.mp4" "$clip"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
# `NAME: W s wall, C CPU s (user + system), R MB peak resident` from GNU time's -v report.
summary() {
    awk -v name="$1" '
        /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
        /User time/ { user = $NF } /System time/ { sys = $NF } /Maximum resident/ { rss = $NF }
        END { printf "%s: %.1f s wall, %.1f CPU s, %.0f MB peak resident\n", name, wall, user + sys, rss / 1024 }' "$2"
}
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
        "(family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(nproc) cores," \
        "$(grep -m1 -o -w 'avx2' /proc/cpuinfo || echo 'no avx2'), $(grep -m1 -o -w -E 'avx512f' /proc/cpuinfo || echo 'no avx512f')"
    echo "clip: $clip ($seconds s)"
} | tee "$logs/machine.txt"

if [ "$sides" != python ]; then
    echo "load average before swift: $(load)" | tee -a "$logs/machine.txt"
    /usr/bin/time -v -o "$logs/swift.time" "$diffdub" sync --model "$model" --cropped "$clip" --json >"$logs/swift.json"
    summary "diffdub sync --cropped" "$logs/swift.time" | tee "$logs/swift.txt"
    cut -c1-120 "$logs/swift.json"
fi
if [ "$sides" != swift ]; then
    echo "load average before python: $(load)" | tee -a "$logs/machine.txt"
    /usr/bin/time -v -o "$logs/python.time" "$python" "$here/syncnet_python_timing.py" --syncnet "$syncnet" \
        --seconds "$seconds" --model "$model" | tee "$logs/python.log"
    summary "syncnet_python (timing script)" "$logs/python.time" | tee "$logs/python.txt"
fi
echo "load average after: $(load)" | tee -a "$logs/machine.txt"
echo "logs: $logs"
