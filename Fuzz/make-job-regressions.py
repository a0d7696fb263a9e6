#!/usr/bin/env python3
"""Makes Tests/DiffDubIOTests/Limits/Regressions/job/: `base/`, a small real job (the fixture dub
of JobTests at image size 32, 2 steps, prepared and rendered with the built `diffdub`), and one
folder per tampering holding only the files it replaces (laid over a copy of `base` by
RegressionCorpusTests and by the FuzzJobFolder seeds). Paths of the repository in base's
manifest are written as /repo (no job command of the corpus reads the inputs).

Usage: python3 Fuzz/make-job-regressions.py PATH/TO/diffdub
"""
import json, os, shutil, struct, subprocess, sys, tempfile, zlib

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fixtures = os.path.join(root, "Tests", "Fixtures")
out = os.path.join(root, "Tests", "DiffDubIOTests", "Limits", "Regressions", "job")
diffdub = sys.argv[1]

work = tempfile.mkdtemp(prefix="diffdub-job-corpus-")
job = os.path.join(work, "job")
fx = lambda rel: os.path.join(fixtures, rel)
arguments = ["--stage1", fx("pipeline/stage1.ckpt"), "--stage2", fx("pipeline/stage2.ckpt"), "--image-size", "32",
             "--frames", fx("faces/frames"), "--landmarks", fx("faces/landmarks"), "--hubert", fx("pipeline/hubert.npy"),
             "--noise", fx("pipeline/xT.npy"), "--reference-frame", "3", "--steps", "2", "--quiet"]
subprocess.run([diffdub, "job", "prepare", job] + arguments, check=True)
subprocess.run([diffdub, "job", "run", job, "--quiet", "--threads", "1"], check=True)
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(job, os.path.join(out, "base"))
manifest_path = os.path.join(out, "base", "manifest.json")
text = open(manifest_path).read().replace(root, "/repo")
open(manifest_path, "w").write(text)
shutil.rmtree(work)

base = os.path.join(out, "base")
def load(rel):
    with open(os.path.join(base, rel)) as f:
        return json.load(f)
def put(case, rel, data):
    path = os.path.join(out, case, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
def put_json(case, rel, obj, raw=None):
    text = json.dumps(obj, sort_keys=True)
    if raw is not None:
        text = text.replace('"@@VALUE@@"', raw)
    put(case, rel, text)
def manifest_with(case, key, raw):
    obj = load("manifest.json"); obj[key] = "@@VALUE@@"; put_json(case, "manifest.json", obj, raw)
def npy(shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % "".join("%d, " % n for n in shape)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + struct.pack("<%df" % len(values), *values)
def png(width, height, depth, color, channels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes([0 if color == 3 else 128]) * (width * channels * depth // 8)
    extra = chunk(b"PLTE", bytes([128, 64, 32])) if color == 3 else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))

manifest_with("manifest-frameCount-minus-1", "frameCount", "-1")
manifest_with("manifest-frameCount-1e9", "frameCount", "1000000000")
manifest_with("manifest-frameCount-12.5", "frameCount", "12.5")
manifest_with("manifest-firstFrame-int64-max", "firstFrame", "9223372036854775807")
manifest_with("manifest-blockSize-0", "blockSize", "0")
manifest_with("manifest-imageSize-64", "imageSize", "64")
put("manifest-cut-short", "manifest.json", open(manifest_path, "rb").read()[:40])
os.makedirs(os.path.join(out, "manifest-symlink"), exist_ok=True)
os.symlink("../base/manifest.json", os.path.join(out, "manifest-symlink", "manifest.json"))

plan = load("plan/plan.json")
def plan_with(case, change):
    obj = json.loads(json.dumps(plan)); change(obj); put_json(case, "plan/plan.json", obj)
plan_with("plan-67-landmarks", lambda p: p["frames"][2]["landmarks"]["points"].pop())
plan_with("plan-source-minus-1", lambda p: p["frames"][4].__setitem__("source", -1))
plan_with("plan-source-past-input", lambda p: p["frames"][4].__setitem__("source", 10 ** 12))
plan_with("plan-region-overflow", lambda p: p["frames"][1].__setitem__("region", {"x": 2 ** 63 - 1, "y": 0, "size": 8}))
plan_with("plan-region-size-0", lambda p: p["frames"][1].__setitem__("region", {"x": 0, "y": 0, "size": 0}))
plan_with("plan-options-steps-0", lambda p: p["options"].__setitem__("steps", 0))
plan_with("plan-imageSize-minus-32", lambda p: p.__setitem__("imageSize", -32))
plan_with("plan-inputFrameCount-0", lambda p: p.__setitem__("inputFrameCount", 0))
obj = json.loads(json.dumps(plan)); obj["frames"][4]["source"] = "@@VALUE@@"
put_json("plan-source-12.5", "plan/plan.json", obj, "12.5")

lip_rows = len(plan["frames"])
with open(os.path.join(base, "plan", "lip_latents.npy"), "rb") as f:
    lip = f.read()
width = (len(lip) - (10 + struct.unpack("<H", lip[8:10])[0])) // 4 // lip_rows
values = [0.25] * (lip_rows * width); values[3 * width + 5] = float("nan")
put("lip-latents-nan", "plan/lip_latents.npy", npy([lip_rows, width], values))
put("lip-latents-9-rows", "plan/lip_latents.npy", npy([lip_rows - 1, width], [0.25] * ((lip_rows - 1) * width)))
put("noise-16x16", "plan/noise.npy", npy([1, 3, 16, 16], [0.0] * (3 * 16 * 16)))
put("reference-landmarks-inf", "plan/reference_landmarks.npy", npy([68, 2], [float("inf")] + [10.0] * 135))
put("face-landmarks-1e30", "plan/face_landmarks.npy", npy([lip_rows, 68, 2], [1e30] + [10.0] * (lip_rows * 136 - 1)))
put("reference-gray", "plan/reference.png", png(32, 32, 8, 0, 1))
put("face-16x16", "plan/faces/000000.png", png(16, 16, 8, 2, 3))
put("face-rgba", "plan/faces/000000.png", png(32, 32, 8, 6, 4))
put("frame-16x16", "frames/000003.png", png(16, 16, 8, 2, 3))
put("frame-gray", "frames/000003.png", png(32, 32, 8, 0, 1))
put("frame-16-bit", "frames/000003.png", png(32, 32, 16, 2, 3))
put("frame-palette", "frames/000003.png", png(32, 32, 8, 3, 1))
put("frame-not-png", "frames/000003.png", b"not a png")
os.makedirs(os.path.join(out, "frame-symlink", "frames"), exist_ok=True)
os.symlink("../../base/frames/000003.png", os.path.join(out, "frame-symlink", "frames", "000003.png"))
print("wrote", out)
