#!/usr/bin/env python3
"""PyTorch timing of the DiffDub stage-1 renderer at the released size, on this machine.

The counterpart of `diffdub-bench unet` (Benchmarks/diffdub-bench/UNetBenchmark.swift): it
builds the ORIGINAL model classes from a DiffDub checkout (github.com/liutaocode/DiffDub,
passed with --diffdub; nothing of it is copied here) at the released configuration, fills
them with seeded random weights and times, in float32 under `torch.inference_mode()`:

- one UNet call `[1, 6, 256, 256]` at t = 950 (warm-up, then best of --runs),
- one UNet call at batch 4 (--batch4-runs runs, no warm-up of its own),
- one semantic-encoder call `[1, 3, 256, 256]` (warm-up, then best of --runs),
- a frame: --frame-steps UNet calls with DDIM (eta 0) inpainting arithmetic between them,
- `torch.mm` at 2048^3 and 128 x 65536 x 1152 (best of 4), in the same process,

and prints seconds, CPU seconds, effective GFLOP/s with the FLOP counts of the Swift bench
(555 GFLOP per UNet call per image, 71 GFLOP per encoder call), parameter counts, the torch
build and threading, the peak resident memory and the load average.

The released configuration is produced by the original's own template
(`templates.pretrain_ffhq256_autoenc()`, then `img_size = 256` and `N_frames = 1` as its
`demo.py` sets them) and built with its `make_model_conf().make_model(N_frames)`.
"""

import argparse
import importlib
import importlib.machinery
import math
import os
import sys
import time
import types

UNET_GFLOP = 555.0
ENCODER_GFLOP = 71.0


# --- Import stubs -----------------------------------------------------------------------------
# The original's `templates.py` starts with `from experiment import *`; `experiment.py` is the
# training module (pytorch_lightning, pandas, torchvision, an old NumPy API) and `config.py`
# pulls in the dataset code (cv2, PIL, torchvision, albumentations, tqdm). None of that is on
# the UNet path. The stubs below stand in for those imports ONLY when the real package is not
# installed; they are never called while the model is built or run.


class _AnythingMeta(type):
    """Metaclass of `_Anything`: any attribute of the class is `_Anything` again."""

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything


class _Anything(metaclass=_AnythingMeta):
    """Import-time stand-in: can be subclassed, called, and its attributes are stand-ins too."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything()


class _StubModule(types.ModuleType):
    """A module whose every public attribute is `_Anything` (an import-time stand-in)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything


def stub_missing_modules(names):
    """Inserts a `_StubModule` for each name in `names` that cannot be imported; returns them."""
    stubbed = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            stub = _StubModule(name)
            # A spec, so that `importlib.util.find_spec(name)` (torch's profiler and dynamo call
            # it) sees a module rather than failing on `__spec__ is None`.
            stub.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
            sys.modules[name] = stub
            stubbed.append(name)
    return stubbed


def import_original(checkout):
    """Imports the original's `config` and `templates` from `checkout` (with stubs as above).

    `experiment` is replaced by a module exposing `config`'s namespace: that is all of
    `experiment`'s star export that `templates.py` uses (TrainConfig and the enums).
    Returns (templates module, list of stubbed module names).
    """
    checkout = os.path.abspath(checkout)
    if not os.path.isfile(os.path.join(checkout, "model", "unet_autoenc.py")):
        sys.exit(f"--diffdub {checkout}: not a DiffDub checkout (no model/unet_autoenc.py)")
    sys.path.insert(0, checkout)
    stubbed = stub_missing_modules(["cv2", "PIL", "torchvision", "albumentations", "tqdm"])
    config = importlib.import_module("config")
    experiment = types.ModuleType("experiment")
    experiment.__spec__ = importlib.machinery.ModuleSpec("experiment", loader=None)
    experiment.__dict__.update({k: v for k, v in vars(config).items() if not k.startswith("__")})
    sys.modules["experiment"] = experiment
    stubbed.append("experiment (training module; replaced by config's names)")
    templates = importlib.import_module("templates")
    return templates, stubbed


# --- Model ---------------------------------------------------------------------------------


def build_released_model(templates, torch, seed):
    """The released stage-1 model (UNet + semantic encoder) with seeded random weights."""
    conf = templates.pretrain_ffhq256_autoenc()
    conf.img_size = 256  # as demo.py
    conf.N_frames = 1  # as demo.py: input channels (N_frames + 1) * 3 = 6
    model = conf.make_model_conf().make_model(conf.N_frames)
    model.eval()
    # Seeded random weights of a sensible scale (no zero-initialised layers, no denormals):
    # matrices and kernels N(0, 1 / fan_in), 1-D weights (norm scales) 1, biases N(0, 0.01^2).
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if parameter.dim() > 1:
                fan_in = parameter[0].numel()
                parameter.copy_(torch.randn(parameter.shape, generator=generator) / math.sqrt(fan_in))
            elif name.endswith("weight"):
                parameter.fill_(1.0)
            else:
                parameter.copy_(0.01 * torch.randn(parameter.shape, generator=generator))
    return conf, model


def parameter_counts(model):
    """(UNet parameters, encoder parameters): `encoder.*` versus everything else."""
    unet = encoder = 0
    for name, parameter in model.named_parameters():
        if name.startswith("encoder."):
            encoder += parameter.numel()
        else:
            unet += parameter.numel()
    return unet, encoder


# --- Measurement helpers ----------------------------------------------------------------------


def timed(function):
    """Runs `function()`; returns (result, wall seconds, process CPU seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def peak_resident_mb():
    """Peak resident memory of this process so far (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def load_average():
    """The three load averages as one string."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def mm_rate(torch, m, n, k):
    """Best-of-4 GFLOP/s of `torch.mm` on [m, k] x [k, n] float32."""
    a = torch.full((m, k), 0.5)
    b = torch.full((k, n), 0.25)
    best = math.inf
    for _ in range(4):
        _, seconds, _ = timed(lambda: torch.mm(a, b))
        best = min(best, seconds)
    return 2.0 * m * n * k / best / 1e9


def parallel_summary(torch):
    """One line from `torch.__config__.parallel_info()`: threads, backend, math libraries."""
    keep = ("at::get_num_threads", "at::get_num_interop_threads", "ATen parallel backend",
            "Math Kernel Library", "MKL-DNN", "OpenMP 20", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    lines = [line.strip() for line in torch.__config__.parallel_info().splitlines()]
    return "; ".join(line for line in lines if any(key in line for key in keep))


# --- DDIM frame (own code, from REFERENCE.md section 4) ---------------------------------------


def ddim_schedule(steps):
    """(kept timesteps, abar at them, abar_prev) of the linear schedule, respaced to `steps`."""
    import numpy as np

    betas = np.linspace(1e-4, 0.02, 1000, dtype=np.float64)
    abar = np.cumprod(1.0 - betas)
    stride = next((k for k in range(1, 1000) if len(range(0, 1000, k)) == steps), None)
    if stride is None:
        sys.exit(f"--frame-steps {steps}: no stride gives exactly that many steps")
    kept = list(range(0, 1000, stride))
    abar_kept = [float(abar[t]) for t in kept]
    abar_prev = [1.0] + abar_kept[:-1]
    return kept, abar_kept, abar_prev


def render_frame(torch, model, steps, seed):
    """One inpainting DDIM render of a [1, 3, 256, 256] frame; returns the image in [0, 1]."""
    generator = torch.Generator().manual_seed(seed)
    x_start = torch.rand((1, 3, 256, 256), generator=generator) * 2 - 1
    x_ref = torch.rand((1, 3, 256, 256), generator=generator) * 2 - 1
    keep = torch.ones((1, 1, 256, 256))
    keep[:, :, 150:230, 70:190] = 0  # a mouth-sized box is regenerated
    cond = torch.randn((1, 512), generator=generator)
    img = torch.randn((1, 3, 256, 256), generator=generator)
    kept, abar, abar_prev = ddim_schedule(steps)
    for i in reversed(range(len(kept))):
        img = (1 - keep) * img + keep * x_start
        t = torch.full((1,), float(kept[i]))
        eps = model(torch.cat([img, x_ref], dim=1), t, cond=cond).pred
        recip, recipm1 = math.sqrt(1 / abar[i]), math.sqrt(1 / abar[i] - 1)
        x0 = (recip * img - recipm1 * eps).clamp(-1, 1)
        eps = (recip * img - x0) / recipm1
        img = x0 * math.sqrt(abar_prev[i]) + math.sqrt(1 - abar_prev[i]) * eps
    return (img + 1) / 2


# --- Main ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diffdub", required=True, help="path to a DiffDub checkout (original code)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="timed UNet / encoder calls after a warm-up")
    parser.add_argument("--batch4-runs", type=int, default=1, help="UNet calls at batch 4 (0: skip)")
    parser.add_argument("--frame-steps", type=int, default=20, help="DDIM steps of the frame (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    templates, stubbed = import_original(args.diffdub)
    print(f"torch {torch.__version__}, CPU capability {torch.backends.cpu.get_cpu_capability()}, "
          f"CUDA available {torch.cuda.is_available()}")
    print(f"parallel: {parallel_summary(torch)}")
    print(f"stubbed imports (not on the UNet path): {', '.join(stubbed) or 'none'}")

    (conf, model), seconds, _ = timed(lambda: build_released_model(templates, torch, args.seed))
    mc = conf.model_conf
    print(f"released model built in {seconds:.1f} s: image {conf.img_size}, input channels "
          f"{(conf.N_frames + 1) * 3}, channels {mc.model_channels}, mult {tuple(mc.channel_mult)}, "
          f"encoder mult {tuple(mc.enc_channel_mult)}, attention at {tuple(mc.attention_resolutions)}, "
          f"res blocks {mc.num_res_blocks}, embed {mc.embed_channels}, style {mc.enc_out_channels}, "
          f"two_cond {mc.resnet_two_cond}, updown {mc.resblock_updown}, pool {mc.enc_pool}")
    unet_parameters, encoder_parameters = parameter_counts(model)
    print(f"parameters: UNet {unet_parameters} ({unet_parameters / 1e6:.2f} M), encoder "
          f"{encoder_parameters} ({encoder_parameters / 1e6:.2f} M), total "
          f"{unet_parameters + encoder_parameters}")

    generator = torch.Generator().manual_seed(args.seed + 1)
    with torch.inference_mode():
        def unet_call(batch):
            x = torch.randn((batch, 6, 256, 256), generator=generator)
            t = torch.full((batch,), 950.0)
            cond = torch.randn((batch, 512), generator=generator)
            eps = model(x, t, cond=cond).pred
            assert eps.shape == (batch, 3, 256, 256) and bool(torch.isfinite(eps).all())
            return eps

        best = best_cpu = math.inf
        for run in range(args.runs + 1):
            _, seconds, cpu = timed(lambda: unet_call(1))
            print(f"unet call {run}{' (warm-up)' if run == 0 else ''}: {seconds:.2f} s wall, {cpu:.2f} s CPU")
            if run > 0:
                best, best_cpu = min(best, seconds), min(best_cpu, cpu)

        batch4 = math.inf
        for run in range(args.batch4_runs):
            _, seconds, cpu = timed(lambda: unet_call(4))
            print(f"unet call batch 4, run {run + 1}: {seconds:.2f} s wall ({seconds / 4:.2f} s per image), "
                  f"{cpu:.2f} s CPU")
            batch4 = min(batch4, seconds)

        images = torch.rand((1, 3, 256, 256), generator=generator) * 2 - 1
        model.encoder(images)
        encoder_best = math.inf
        for _ in range(max(1, args.runs)):
            _, seconds, _ = timed(lambda: model.encoder(images))
            encoder_best = min(encoder_best, seconds)

        frame = frame_cpu = math.nan
        if args.frame_steps > 0:
            out, frame, frame_cpu = timed(lambda: render_frame(torch, model, args.frame_steps, args.seed + 2))
            assert bool(torch.isfinite(out).all())

    peak = peak_resident_mb()
    square, conv_shaped = mm_rate(torch, 2048, 2048, 2048), mm_rate(torch, 128, 65536, 1152)
    print(f"threads: {torch.get_num_threads()} torch; torch.mm 2048^3 {square:.1f} GFLOP/s, "
          f"128x65536x1152 {conv_shaped:.1f} GFLOP/s; load average {load_average()}")
    print(f"PyTorch UNet [1, 6, 256, 256]: best {best:.2f} s per call ({best_cpu:.2f} s CPU), effective "
          f"{UNET_GFLOP / best:.1f} GFLOP/s, torch.mm {square:.1f} GFLOP/s, ratio {UNET_GFLOP / best / square:.2f}")
    if args.batch4_runs > 0:
        print(f"PyTorch UNet [4, 6, 256, 256]: {batch4:.2f} s per call ({batch4 / 4:.2f} s per image), "
              f"effective {4 * UNET_GFLOP / batch4:.1f} GFLOP/s")
    print(f"PyTorch semantic encoder [1, 3, 256, 256]: best {encoder_best:.2f} s, effective "
          f"{ENCODER_GFLOP / encoder_best:.1f} GFLOP/s")
    if args.frame_steps > 0:
        print(f"PyTorch frame ({args.frame_steps} DDIM steps, batch 1): {frame:.1f} s ({frame_cpu:.1f} s CPU), "
              f"{frame / args.frame_steps:.2f} s per step")
    print(f"peak resident memory {peak:.0f} MB (before the torch.mm measurement)")


if __name__ == "__main__":
    main()
