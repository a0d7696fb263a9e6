#!/usr/bin/env bash
# Times `diffdub job` on a 60 s 720p clip with the demo's small random-weight models
# (Docs/SCALE-OUT.md, "Measured"): prepare, per-frame render, finish, and two pinned
# single-thread shards against one two-thread process.
#
#   bash Benchmarks/scale-out.sh [WORK_DIR]     (default /tmp/diffdub-scale-out; needs ffmpeg, python3)
#
# Uses the release build in .build/release (swift build -c release, or the test build). Stage 1 is
# the demo renderer (64 x 64, written by `diffdub-bench demo-models`), stage 2 the small random one
# of Tests/Fixtures/pipeline (64-wide latents, like the demo's; it is a torch file, which stage-2
# loading needs today).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/diffdub-scale-out}"
bin=.build/release
frames=1500
mkdir -p "$work"
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

# Inputs: the synthetic sample's 10 faces (512 x 512) scaled to 360 x 360 inside a 1280 x 720
# frame at (460, 180), looped to 60 s at 25 fps; landmarks moved the same way; 60 s of tone.
if [ ! -f "$work/clip.mp4" ]; then
    "$bin/diffdub-bench" demo-models "$work/models" "$frames"
    ffmpeg -loglevel error -y -stream_loop 149 -framerate 25 -start_number 1 -i Samples/synthetic/frames/synth_%d.png \
        -vf "scale=360:360,pad=1280:720:460:180:gray" -frames:v "$frames" -r 25 -c:v libx264 -crf 18 -pix_fmt yuv420p \
        "$work/clip.mp4"
    ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=220:duration=60" -ar 16000 "$work/speech.wav"
    python3 - "$work" "$frames" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
src = "Samples/synthetic/landmarks"
names = sorted((f for f in os.listdir(src) if f.endswith(".txt")), key=lambda f: int(f.split("_")[1].split(".")[0]))
points = [[tuple(map(float, l.split())) for l in open(os.path.join(src, f)) if l.strip()] for f in names]
os.makedirs(f"{work}/landmarks", exist_ok=True)
for i in range(n):
    with open(f"{work}/landmarks/{i:06d}.txt", "w") as out:
        for x, y in points[i % len(points)]:
            out.write(f"{x * 360 / 512 + 460:.3f} {y * 360 / 512 + 180:.3f}\n")
PY
fi
args=(--stage1 "$work/models/stage1.safetensors" --stage2 Tests/Fixtures/pipeline/stage2.ckpt
    --video "$work/clip.mp4" --landmarks "$work/landmarks" --crop 460,180,360
    --hubert "$work/models/hubert.npy" --audio "$work/speech.wav" --quiet)

rm -rf "$work/job" "$work/job-a" "$work/job-b" "$work/job-f" "$work/dubbed.mp4"
t0=$(now); "$bin/diffdub" job prepare "$work/job" "${args[@]}"; t1=$(now)
echo "prepare (60 s, 1500 frames, 720p): $(elapsed "$t0" "$t1") s"

# Per-frame render, and the shard comparison, on 100 frames each.
"$bin/diffdub" job prepare "$work/job-a" "${args[@]}" --frame-range 0:100
"$bin/diffdub" job prepare "$work/job-b" "${args[@]}" --frame-range 0:100
t0=$(now)
taskset -c 0 "$bin/diffdub" job run "$work/job-a" --shard 0/2 --threads 1 --quiet &
taskset -c 1 "$bin/diffdub" job run "$work/job-a" --shard 1/2 --threads 1 --quiet &
wait
t1=$(now)
"$bin/diffdub" job run "$work/job-b" --threads 2 --quiet
t2=$(now)
echo "100 frames, 2 shards pinned to one core each, --threads 1: $(elapsed "$t0" "$t1") s"
echo "100 frames, one process, --threads 2: $(elapsed "$t1" "$t2") s"

# Finish on the whole clip. Its cost does not depend on the denoising steps, so the frames are
# rendered with two steps (DDIM "ddim2", the fewest the respacing allows) to keep it short.
rm -rf "$work/job-f"
"$bin/diffdub" job prepare "$work/job-f" "${args[@]}" --steps 2
t0=$(now)
"$bin/diffdub" job run "$work/job-f" --threads 2 --quiet
t1=$(now)
"$bin/diffdub" job status "$work/job-f" | head -1
"$bin/diffdub" job finish "$work/job-f" --output "$work/dubbed.mp4" --quiet
t2=$(now)
echo "render 1500 frames at 2 steps, one process, --threads 2: $(elapsed "$t0" "$t1") s"
echo "finish (paste back 1500 frames at 720p, H.264 + AAC): $(elapsed "$t1" "$t2") s"
