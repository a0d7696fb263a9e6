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
# Small torch.save files (zip and legacy) made here without torch: the fuzzer mutates a 1 KB
# file far faster than the 2 MB fixtures.
import collections, pickle, types
torch_module = types.ModuleType("torch"); utils_module = types.ModuleType("torch._utils")
sys.modules.setdefault("torch", torch_module); sys.modules.setdefault("torch._utils", utils_module)
def _rebuild_tensor_v2(*args): pass
_rebuild_tensor_v2.__module__ = "torch._utils"; utils_module._rebuild_tensor_v2 = _rebuild_tensor_v2
class FloatStorage: pass
FloatStorage.__module__ = "torch"; torch_module.FloatStorage = FloatStorage
class Storage:
    def __init__(self, key, values): self.key, self.values = key, values
class Tensor:
    def __init__(self, storage, shape, strides): self.storage, self.shape, self.strides = storage, shape, strides
    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, 0, self.shape, self.strides, False, collections.OrderedDict()))
def torch_pickle(obj, legacy):
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=2)
    def persistent_id(o):
        if isinstance(o, Storage):
            return ("storage", FloatStorage, o.key, "cpu", len(o.values)) + ((None,) if legacy else ())
        return None
    pickler.persistent_id = persistent_id
    pickler.dump(obj)
    return buffer.getvalue()
storages = [Storage("0", [float(i) for i in range(6)]), Storage("1", [0.5, -0.5, 2.0, 1.0])]
state = {"state_dict": collections.OrderedDict([
    ("layer.weight", Tensor(storages[0], (2, 3), (3, 1))), ("layer.bias", Tensor(storages[1], (4,), (1,))),
    ("layer.transposed", Tensor(storages[0], (3, 2), (1, 3)))]), "epoch": 3}
zip_buffer = io.BytesIO()
with zipfile.ZipFile(zip_buffer, "w", zipfile.ZIP_STORED) as z:
    z.writestr("small/data.pkl", torch_pickle(state, False))
    for storage in storages:
        z.writestr("small/data/" + storage.key, struct.pack(f"<{len(storage.values)}f", *storage.values))
    z.writestr("small/version", "3\n")
put("FuzzTorchCheckpoint", "small-zip.ckpt", zip_buffer.getvalue())
legacy = pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2) + pickle.dumps(1001, protocol=2)
legacy += pickle.dumps({"protocol_version": 1001, "little_endian": True,
                        "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2)
legacy += torch_pickle(state, True) + pickle.dumps([s.key for s in storages], protocol=2)
for storage in storages:
    legacy += struct.pack("<q", len(storage.values)) + struct.pack(f"<{len(storage.values)}f", *storage.values)
put("FuzzTorchCheckpoint", "small-legacy.ckpt", legacy)
put("FuzzUnpickler", "small.pkl", torch_pickle(state, False))

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
# Options and clip timing (issue 29): option text at its edges, timestamps with a long gap.
put("FuzzOptions", "frame-range.txt", b"13:20\n0\n75\n20\n1\n0\n1\n0.6\n")
put("FuzzOptions", "crop-max.txt", b"9223372036854775807,0,1\n9223372036854775807\n1\n1\n1\n9223372036854775807\n1\ninf\n")
put("FuzzOptions", "gap.bin", b"".join(struct.pack("<d", t) for t in [0, 0.04, 0.08, 4000.12, 4000.16]))
put("FuzzOptions", "slow.bin", b"".join(struct.pack("<d", 1000.0 * i) for i in range(10)))
# The regression corpus (issue 16's mutation cases included: sample rates, NaN samples, CRLF/NUL
# landmark files, .npy descr spellings and duplicate keys, forbidden pickle globals).
regressions = os.path.join(root, "Tests", "DiffDubIOTests", "Limits", "Regressions")
for reader, target in [("audio", "FuzzWAV"), ("landmarks", "FuzzLandmarks"), ("npy", "FuzzNumPy"),
                       ("pickle", "FuzzUnpickler"), ("checkpoint", "FuzzTorchCheckpoint"),
                       ("safetensors", "FuzzSafeTensors"), ("png", "FuzzPNG"), ("options", "FuzzOptions")]:
    for path in sorted(glob.glob(os.path.join(regressions, reader, "*"))):
        if os.path.getsize(path) <= 1 << 20:
            put(target, "regression-" + os.path.basename(path), read(path))
# Job folders (FuzzJobFolder): the first byte picks the file of the base job the rest replaces
# (the order of `replaceable` in Fuzz/Sources/FuzzJobFolder); seeds are the base job's own files
# and the tampered files of the regression corpus's job cases.
replaceable = ["manifest.json", "plan/plan.json", "plan/lip_latents.npy", "plan/noise.npy", "plan/reference.png",
               "plan/reference_landmarks.npy", "plan/face_landmarks.npy", "plan/faces/000000.png", "frames/000003.png"]
jobs = os.path.join(regressions, "job")
for case in sorted(os.listdir(jobs)) if os.path.isdir(jobs) else []:
    for selector, rel in enumerate(replaceable):
        path = os.path.join(jobs, case, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            put("FuzzJobFolder", f"{case}-{selector}", bytes([selector]) + read(path))
