#!/usr/bin/env python3
"""Makes Tests/Fixtures/sync/cases: syncnet_python's own scores of slices of clip.mp4.

Runs joonson/syncnet_python's code itself (SyncNetModel.S, SyncNetInstance.evaluate and, for
the track cases, run_pipeline.py's crop_video), with three things swapped for in-memory
stand-ins so that nothing goes through JPEG files or a GPU:

- evaluate's two ffmpeg calls (frames to %06d.jpg, audio to audio.wav) write empty placeholder
  files and the WAV of the case's int16 samples; cv2.imread returns the case's raw BGR frames;
- `.cuda()` is the identity;
- crop_video's frame reads, XVID writer and audio cut are the same stand-ins (its crops are kept
  as uint8 arrays; the audio of a track is samples 640 first ..< 640 (last + 1)).

Everything else (MFCC, the batching, calc_pdist, the median filters, the crop geometry,
cv2.resize) is syncnet_python's code as published. The recorded MFCC, embeddings and distances
are what that code computed.

Re-run (takes about a minute on 2 CPU cores):

    git clone https://github.com/joonson/syncnet_python /tmp/syncnet_python
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch numpy scipy \
        python_speech_features opencv-python-headless
    /tmp/venv/bin/python Tests/Fixtures/sync/make_cases.py /tmp/syncnet_python

It reads clip.mp4 and syncnet.model next to this script (ffmpeg on the PATH) and rewrites
cases/ next to it. Never commit syncnet_python's files.
"""

import ast
import json
import os
import subprocess
import sys
import tempfile
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SNP = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "/tmp/syncnet_python")
sys.path.insert(0, SNP)

import cv2  # noqa: E402
import torch  # noqa: E402
from scipy import signal  # noqa: E402
from scipy.io import wavfile  # noqa: E402

torch.nn.Module.cuda = lambda self, *a, **k: self
torch.Tensor.cuda = lambda self, *a, **k: self

import SyncNetInstance as snp_instance  # noqa: E402
import SyncNetModel  # noqa: E402

# ---------------------------------------------------------------- inputs


def decode_clip(path):
    """Frames [N, 224, 224, 3] BGR uint8 and int16 audio, as the manifest says."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 224, 224, 3)
    with tempfile.TemporaryDirectory() as folder:
        wav = os.path.join(folder, "audio.wav")
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", path, "-ac", "1", "-vn", "-acodec", "pcm_s16le", "-ar", "16000", wav],
            check=True)
        _, audio = wavfile.read(wav)
    return frames, audio


def splitmix64(seed, count):
    """The first `count` outputs of SplitMix64 from `seed` (DiffDubCore's SplitMix64)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def splitmix_state_dict(template, seed):
    """Weights from SplitMix64(seed), drawn key by key in sorted key order (float32, exact):

    u = (next >> 40) / 2^24; s = 2u - 1
    rank >= 2 weight: s * float32(1 / sqrt(fan_in))       bias, running_mean: s * 0.0625
    rank 1 weight (BatchNorm): 0.5 + u                    running_var: 0.5 + u
    num_batches_tracked: kept.
    """
    keys = sorted(k for k in template if not k.endswith("num_batches_tracked"))
    total = sum(template[k].numel() for k in keys)
    u = (splitmix64(seed, total) >> np.uint64(40)).astype(np.float32) * np.float32(1.0 / (1 << 24))
    out = dict(template)
    at = 0
    for key in keys:
        shape = tuple(template[key].shape)
        n = int(np.prod(shape))
        x = u[at:at + n]
        at += n
        signed = np.float32(2) * x - np.float32(1)
        if key.endswith("running_var") or (key.endswith("weight") and len(shape) == 1):
            values = np.float32(0.5) + x
        elif key.endswith("weight"):
            fan_in = int(np.prod(shape[1:]))
            values = signed * np.float32(1.0 / np.sqrt(fan_in))
        else:
            values = signed * np.float32(0.0625)
        out[key] = torch.from_numpy(values.astype(np.float32).reshape(shape).copy())
    return out


# ---------------------------------------------------------------- evaluate, as published


class Recorder:
    """Records what evaluate computes on the way (its return value holds only part of it)."""

    def __init__(self):
        self.mfcc = None
        self.lips = []
        self.audio = []
        self.framewise = None


def evaluate(model_state, frames_bgr, audio_int16):
    """SyncNetInstance.evaluate on in-memory frames and samples; returns the recorded values."""
    record = Recorder()
    instance = snp_instance.SyncNetInstance()
    instance.__S__.load_state_dict(model_state)
    network = instance.__S__
    forward_lip, forward_aud = network.forward_lip, network.forward_aud

    def lip(x):
        y = forward_lip(x)
        record.lips.append(y.detach().numpy().copy())
        return y

    def aud(x):
        y = forward_aud(x)
        record.audio.append(y.detach().numpy().copy())
        return y

    network.forward_lip, network.forward_aud = lip, aud

    with tempfile.TemporaryDirectory() as folder:
        opt = types.SimpleNamespace(tmp_dir=folder, reference="case", batch_size=20, vshift=15)

        def call(command, shell=False, stdout=None):
            target = command.split()[-1]
            if target.endswith("%06d.jpg"):
                for i in range(len(frames_bgr)):
                    open(target.replace("%06d", "%06d" % (i + 1)), "wb").close()
            elif target.endswith("audio.wav"):
                wavfile.write(target, 16000, audio_int16)
            return 0

        def imread(name):
            return frames_bgr[int(os.path.basename(name)[:-4]) - 1].copy()

        mfcc = snp_instance.python_speech_features.mfcc

        def recorded_mfcc(*a, **k):
            m = mfcc(*a, **k)
            record.mfcc = np.array(m).T.astype(np.float32)
            return m

        medfilt = snp_instance.signal.medfilt

        def recorded_medfilt(x, kernel_size):
            y = medfilt(x, kernel_size=kernel_size)
            record.framewise = np.array(y, dtype=np.float64)
            return y

        saved = (snp_instance.subprocess.call, snp_instance.cv2.imread,
                 snp_instance.python_speech_features.mfcc, snp_instance.signal.medfilt)
        snp_instance.subprocess.call = call
        snp_instance.cv2.imread = imread
        snp_instance.python_speech_features.mfcc = recorded_mfcc
        snp_instance.signal.medfilt = recorded_medfilt
        try:
            with torch.no_grad():
                offset, conf, dists = instance.evaluate(opt, videofile="case.avi")
        finally:
            (snp_instance.subprocess.call, snp_instance.cv2.imread,
             snp_instance.python_speech_features.mfcc, snp_instance.signal.medfilt) = saved
    mdist = torch.mean(torch.stack([torch.from_numpy(d) for d in dists], 1), 1)
    return {
        "offset": int(offset),
        "min_dist": float(torch.min(mdist)),
        "confidence": float(conf),
        "dists": dists.astype(np.float32),
        "framewise": record.framewise,
        "mfcc": record.mfcc,
        "lips": np.concatenate(record.lips, 0),
        "audio": np.concatenate(record.audio, 0),
    }


# ---------------------------------------------------------------- run_pipeline.py's crop_video


def crop_video_function():
    """crop_video from run_pipeline.py (the file runs the whole pipeline when imported)."""
    source = open(os.path.join(SNP, "run_pipeline.py")).read()
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "crop_video")
    return ast.Module(body=[node], type_ignores=[])


def crop_track(frames_bgr, audio_int16, first, boxes, shrink_short_tracks):
    """crop_video's 224x224 crops of a track (boxes of frames first, first + 1, ...)."""
    crops = []

    class Writer:
        def __init__(self, *a):
            pass

        def write(self, image):
            crops.append(image.copy())

        def release(self):
            pass

    fake_cv2 = types.SimpleNamespace(
        VideoWriter_fourcc=lambda *a: 0, VideoWriter=Writer, resize=cv2.resize,
        imread=lambda name: frames_bgr[int(os.path.basename(name)[:-4]) - 1].copy())
    start, end = 640 * first, 640 * (first + len(boxes))

    def medfilt(x, kernel_size):
        if shrink_short_tracks:
            kernel_size = min(kernel_size, 2 * len(x) - 1)
        return signal.medfilt(x, kernel_size=kernel_size)

    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(os.path.join(folder, "frames", "case"))
        for i in range(len(frames_bgr)):
            open(os.path.join(folder, "frames", "case", "%06d.jpg" % (i + 1)), "wb").close()
        namespace = {
            "np": np, "cv2": fake_cv2, "glob": __import__("glob"), "os": types.SimpleNamespace(
                path=os.path, remove=lambda p: None),
            "signal": types.SimpleNamespace(medfilt=medfilt),
            "subprocess": types.SimpleNamespace(call=lambda *a, **k: 0),
            "wavfile": types.SimpleNamespace(read=lambda p: (16000, audio_int16[start:end])),
            "pdb": None,
        }
        exec(compile(crop_video_function(), "run_pipeline.py", "exec"), namespace)
        opt = types.SimpleNamespace(
            frames_dir=os.path.join(folder, "frames"), reference="case", frame_rate=25, crop_scale=0.40,
            tmp_dir=folder, avi_dir=folder)
        track = {"frame": np.arange(first, first + len(boxes)), "bbox": np.array(boxes, dtype=np.float64)}
        namespace["crop_video"](opt, track, os.path.join(folder, "crop"))
    return np.stack(crops), audio_int16[start:end]


def track_boxes(count, seed):
    """A jittering face box in the 224x224 clip (quarter-pixel coordinates, exact in float32)."""
    rng = np.random.default_rng(seed)
    boxes = []
    for _ in range(count):
        x1, y1 = 48 + rng.integers(-16, 17) / 4, 40 + rng.integers(-16, 17) / 4
        side = 120 + rng.integers(-24, 25) / 4
        boxes.append([x1, y1, x1 + side + rng.integers(-8, 9) / 4, y1 + side * 1.25])
    return boxes


# ---------------------------------------------------------------- the cases

CASES = [
    # name, frames, samples, weights, what
    ("odd33", (0, 33), (0, 33 * 640), "fixture", "33 frames (odd), audio as long"),
    ("short_audio", (5, 50), (5 * 640, 5 * 640 + 30 * 640 + 317), "fixture",
     "45 frames, audio shorter than the video (30.5 frames: 30 count)"),
    ("six_frames", (30, 36), (30 * 640, 36 * 640), "fixture", "6 frames: the fewest evaluate scores (one window)"),
    ("shifted_audio", (10, 49), (8 * 640 + 111, 8 * 640 + 111 + 39 * 640), "fixture",
     "39 frames against audio starting 2.17 frames earlier"),
    ("seed7", (0, 30), (0, 30 * 640 + 100), "splitmix:7", "other weights: SplitMix64 seed 7 (see splitmix_state_dict)"),
]

TRACKS = [
    # name, first frame, frames, box seed, what
    ("track20", 40, 20, 1, "a 20-frame track: run_pipeline.py crop_video as published (median filter 13)"),
    ("track6", 60, 6, 2,
     "a 6-frame track: crop_video with the median filter shrunk to 11 (2n - 1); as published it fails"),
]


def write_case(folder, name, result, extra):
    path = os.path.join(folder, name)
    os.makedirs(path, exist_ok=True)
    lips, audio = result["lips"], result["audio"]
    embeddings = np.stack([lips[0], lips[-1], audio[0], audio[-1]]).astype(np.float32)
    np.save(os.path.join(path, "embeddings.npy"), embeddings)
    np.save(os.path.join(path, "mfcc.npy"), result["mfcc"])
    np.save(os.path.join(path, "dists.npy"), result["dists"])
    expected = dict(extra)
    expected.update({
        "windows": int(result["dists"].shape[0]),
        "offset": result["offset"],
        "min_dist": result["min_dist"],
        "confidence": result["confidence"],
        "framewise_conf": [float(v) for v in result["framewise"]],
    })
    with open(os.path.join(path, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(name, expected["windows"], "windows, offset", expected["offset"],
          "min_dist %.4f conf %.4f" % (expected["min_dist"], expected["confidence"]))


def main():
    frames, audio = decode_clip(os.path.join(HERE, "clip.mp4"))
    fixture = torch.load(os.path.join(HERE, "syncnet.model"), map_location="cpu")
    out = os.path.join(HERE, "cases")
    for name, (f0, f1), (s0, s1), weights, what in CASES:
        state = fixture if weights == "fixture" else splitmix_state_dict(fixture, int(weights.split(":")[1]))
        result = evaluate(state, frames[f0:f1], audio[s0:s1])
        write_case(out, name, result, {"what": what, "frames": [f0, f1], "samples": [s0, s1], "weights": weights})

    # 5 frames: evaluate scores min(frames, samples // 640) - 5 = 0 windows and fails.
    try:
        evaluate(fixture, frames[0:5], audio[0:5 * 640])
        raise SystemExit("evaluate scored 5 frames: the fixtures' premise is wrong")
    except (RuntimeError, ValueError) as error:
        print("5 frames: evaluate fails as expected:", str(error).splitlines()[0])

    for name, first, count, seed, what in TRACKS:
        boxes = track_boxes(count, seed)
        if count < 7:
            try:
                crop_track(frames, audio, first, boxes, shrink_short_tracks=False)
                raise SystemExit("crop_video cropped a %d-frame track as published" % count)
            except cv2.error as error:
                print("%d-frame track: crop_video as published fails:" % count, str(error).strip().splitlines()[-1])
        crops, speech = crop_track(frames, audio, first, boxes, shrink_short_tracks=True)
        result = evaluate(fixture, crops, speech)
        sums = crops.reshape(count, -1, 3).astype(np.int64).sum(1)  # per crop, per B, G, R
        write_case(out, name, result, {
            "what": what, "first_frame": first, "boxes": boxes, "weights": "fixture",
            "crop_sums_bgr": sums.tolist(),
        })


if __name__ == "__main__":
    main()
