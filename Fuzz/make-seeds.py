#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets (Fuzz/run.sh) from the test fixtures plus a few
small files made here (a safetensors file, a WAV, a tiny PNG, the pickle of a checkpoint).
Usage: Fuzz/make-seeds.py OUT_DIR"""
import io, json, os, shutil, struct, sys, wave, zipfile, zlib, glob

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fixtures = os.path.join(root, "Tests", "Fixtures")
out = sys.argv[1]

def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

# torch.save zip and legacy files.
for rel in ["hubert/base/pytorch_model.bin", "stage2/stage2_legacy.ckpt", "stage2/stage2.ckpt"]:
    put("FuzzTorchCheckpoint", os.path.basename(rel), read(os.path.join(fixtures, rel)))
# Pickles: data.pkl of zip checkpoints.
for rel in ["hubert/base/pytorch_model.bin", "stage2/stage2.ckpt"]:
    with zipfile.ZipFile(os.path.join(fixtures, rel)) as z:
        name = next(n for n in z.namelist() if n.endswith("data.pkl"))
        put("FuzzUnpickler", os.path.basename(rel) + ".pkl", z.read(name))
# safetensors: two small tensors.
header = {"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
          "b": {"dtype": "F16", "shape": [4], "data_offsets": [24, 32]},
          "__metadata__": {"format": "pt"}}
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
put("FuzzSafeTensors", "small.safetensors", struct.pack("<Q", len(text)) + text + bytes(range(32)))
# .npy: the small fixtures.
for path in sorted(glob.glob(os.path.join(fixtures, "mask", "*.npy"))):
    if os.path.getsize(path) < 64 * 1024:
        put("FuzzNumPy", os.path.basename(path), read(path))
# PNG: one fixture frame and a tiny 3x2 RGB image.
put("FuzzPNG", "synth_1.png", read(os.path.join(fixtures, "faces", "frames", "synth_1.png")))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
raw = b"".join(b"\x00" + bytes(range(r * 9, r * 9 + 9)) for r in range(2))
put("FuzzPNG", "tiny.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
# Landmarks: per-frame files and a table line.
for path in sorted(glob.glob(os.path.join(fixtures, "faces", "landmarks", "*.txt")))[:3]:
    put("FuzzLandmarks", os.path.basename(path), read(path))
put("FuzzLandmarks", "table.txt", ("000001.png " + " ".join(f"{i}_{2 * i}" for i in range(68)) + "\n").encode())
# WAV: 16-bit mono and stereo.
for channels in (1, 2):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels); w.setsampwidth(2); w.setframerate(16000)
        w.writeframes(b"".join(struct.pack("<h", (i * 37) % 2000 - 1000) for i in range(400 * channels)))
    put("FuzzWAV", f"tone{channels}.wav", buffer.getvalue())
