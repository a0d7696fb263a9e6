#!/usr/bin/env python3
"""Times syncnet_python's scoring of a clip on the CPU, as `SyncNetInstance.evaluate` runs it.

Usage: syncnet_python_timing.py --syncnet PATH [--seconds 60] [--model FILE] [--batch 20]

  --syncnet PATH  a checkout of github.com/joonson/syncnet_python (read only; its
                  SyncNetModel.py is imported from there)
  --seconds S     clip length (default 60: 1,500 frames at 25 fps, 960,000 samples at 16 kHz)
  --model FILE    a state dict with SyncNetModel.S's keys (default: seeded random weights; the
                  cost does not depend on the values)
  --batch N       windows per forward call (evaluate's --batch_size, default 20)

What is timed is evaluate's work after its inputs are read: python_speech_features.mfcc over the
int16 samples, forward_lip / forward_aud over the windows `batch` at a time (here on the CPU,
without `.cuda()`), and calc_pdist with the mean, median and medfilt. Frames are seeded noise
(25 distinct 224x224 BGR frames repeated) and the audio seeded int16 noise; the JPEG extraction and
decoding that evaluate starts with are not timed (nor is our own decoding in `diffdub-bench
syncnet`). One difference with evaluate: it holds the whole clip as one float tensor
(1,500 x 3 x 224 x 224 floats, 0.9 GB, made from a float64 copy twice that size); this script
slices each batch from the uint8 frames instead, which computes the same and keeps the memory
small.

Prints one line `syncnet_python: S s clip, F frames, W windows, T torch threads: X s wall, Y CPU s
(lip A s, audio B s, mfcc C s, distances D s)`.
"""

import argparse
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--syncnet", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--model", default=None)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()

    sys.path.insert(0, os.path.abspath(args.syncnet))
    import numpy
    import python_speech_features
    import torch
    from scipy import signal
    from SyncNetModel import S

    torch.manual_seed(1)
    model = S(num_layers_in_fc_layers=1024)
    if args.model:
        model.load_state_dict(torch.load(args.model, map_location="cpu"))
    model.eval()

    frames = max(6, int(args.seconds * 25))
    rng = numpy.random.default_rng(42)
    distinct = rng.integers(0, 256, size=(25, 224, 224, 3), dtype=numpy.uint8)
    video = distinct[numpy.arange(frames) % 25]  # [T, H, W, C] BGR, as cv2.imread gives
    audio = rng.integers(-8000, 8000, size=frames * 640, dtype=numpy.int16)

    wall0, cpu0 = time.perf_counter(), time.process_time()
    t0 = time.perf_counter()
    mfcc = numpy.stack([numpy.array(c) for c in zip(*python_speech_features.mfcc(audio, 16000))])
    cct = torch.from_numpy(mfcc[None, None].astype(float)).float()
    mfcc_s = time.perf_counter() - t0

    lastframe = min(frames, len(audio) // 640) - 5
    lip_s = aud_s = 0.0
    im_feat, cc_feat = [], []
    with torch.no_grad():
        for i in range(0, lastframe, args.batch):
            end = min(lastframe, i + args.batch)
            t0 = time.perf_counter()
            # The frames i ..< end + 4 as [1, 3, D, H, W] floats, then evaluate's windows.
            run = torch.from_numpy(video[i : end + 4].transpose(3, 0, 1, 2)[None].astype(numpy.float32))
            im_in = torch.cat([run[:, :, v - i : v - i + 5] for v in range(i, end)], 0)
            im_feat.append(model.forward_lip(im_in))
            t1 = time.perf_counter()
            cc_in = torch.cat([cct[:, :, :, v * 4 : v * 4 + 20] for v in range(i, end)], 0)
            cc_feat.append(model.forward_aud(cc_in))
            t2 = time.perf_counter()
            lip_s += t1 - t0
            aud_s += t2 - t1
    im_feat = torch.cat(im_feat, 0)
    cc_feat = torch.cat(cc_feat, 0)

    t0 = time.perf_counter()
    vshift = 15
    padded = torch.nn.functional.pad(cc_feat, (0, 0, vshift, vshift))
    dists = [
        torch.nn.functional.pairwise_distance(im_feat[[i], :].repeat(2 * vshift + 1, 1), padded[i : i + 2 * vshift + 1])
        for i in range(len(im_feat))
    ]
    mdist = torch.mean(torch.stack(dists, 1), 1)
    minval, minidx = torch.min(mdist, 0)
    conf = torch.median(mdist) - minval
    fdist = numpy.stack([d[minidx].numpy() for d in dists])
    signal.medfilt(torch.median(mdist).numpy() - fdist, kernel_size=9)
    dist_s = time.perf_counter() - t0

    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    print(
        "syncnet_python: %.0f s clip, %d frames, %d windows, %d torch threads: %.2f s wall, %.2f CPU s "
        "(lip %.2f s, audio %.2f s, mfcc %.2f s, distances %.2f s; offset %d, confidence %.3f)"
        % (args.seconds, frames, lastframe, torch.get_num_threads(), wall, cpu, lip_s, aud_s, mfcc_s, dist_s,
           vshift - int(minidx), float(conf))
    )


if __name__ == "__main__":
    main()
