#!/usr/bin/env python3
"""The released-size DiffDub UNet in the runtimes a CPU user would pick, timed in one run.

One call of the first DDIM step (x [1, 6, 256, 256], t = 950, cond [1, 512]) of the ORIGINAL
model classes (github.com/liutaocode/DiffDub, imported from a checkout given with --diffdub, as
unet_benchmark.py does; nothing of it is copied here), seeded random weights, in:

- PyTorch eager, float32, and under `torch.autocast("cpu", dtype=torch.bfloat16)`;
- ONNX Runtime (CPU provider, all graph optimisations) on the model exported by this script
  (`torch.onnx.export(..., dynamo=True)`, opset 18; cached in --onnx);
- OpenVINO on the same ONNX file, compiled with the float32 inference-precision hint and with
  its default (printing the precision it chose: bf16 on CPUs with AVX512_BF16 or AMX);

each with --threads threads, --warmup calls, then the median of --runs calls; every output is
compared with PyTorch's float32 eps (max and mean |difference|).

With --diffdub-cli PATH it also times `diffdub render` on the same weights (written as a
stage-1 checkpoint) and inputs: per call = (t(10 steps) - t(2 steps)) / 8 of the whole
process, fp32 and bf16 runs alternated (--render-repeats of each), and the PSNR of the 2-step
(and with --psnr20, the 20-step) render against PyTorch's float32 render of the same inputs.
"""

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unet_benchmark as ub  # noqa: E402  (the original's import and the released model)


def median_call(function, warmup, runs):
    """Warm-up calls, then ((median wall s, median process CPU s) of `runs` calls, last output)."""
    out = None
    for _ in range(warmup):
        out = function()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (statistics.median(times), statistics.median(cpu)), times, out


def difference(np, a, b):
    d = np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))
    return float(d.max()), float(d.mean())


def psnr(np, a, b):
    """PSNR in dB of images in [0, 1]."""
    mse = float(np.mean((np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def ddim_render(torch, model, inputs, steps):
    """The original's DDIM inpainting (eta 0, clipped x0), as unet_benchmark.render_frame, on given inputs."""
    x_start, x_ref, keep, cond, img = (torch.from_numpy(inputs[k]) for k in ("x_start", "x_ref", "keep", "cond", "noise"))
    kept, abar, abar_prev = ub.ddim_schedule(steps)
    for i in reversed(range(len(kept))):
        img = (1 - keep) * img + keep * x_start
        t = torch.full((1,), float(kept[i]))
        eps = model(torch.cat([img, x_ref], dim=1), t, cond=cond).pred
        recip, recipm1 = math.sqrt(1 / abar[i]), math.sqrt(1 / abar[i] - 1)
        x0 = (recip * img - recipm1 * eps).clamp(-1, 1)
        eps = (recip * img - x0) / recipm1
        img = x0 * math.sqrt(abar_prev[i]) + math.sqrt(1 - abar_prev[i]) * eps
    return ((img + 1) / 2).numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diffdub", required=True, help="path to a DiffDub checkout (original code)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--onnx", default="diffdub_unet_256.onnx", help="exported model (reused if present)")
    parser.add_argument("--workdir", default="runtimes-work", help="checkpoint and .npy inputs for diffdub")
    parser.add_argument("--diffdub-cli", help="path to a release `diffdub` binary: time `diffdub render` too")
    parser.add_argument("--render-repeats", type=int, default=1, help="alternated render runs per setting")
    parser.add_argument("--psnr20", action="store_true", help="also compare 20-step renders (slow)")
    parser.add_argument("--no-psnr", action="store_true", help="time diffdub render only (no PyTorch renders)")
    parser.add_argument("--bf16-tiles", default="default",
                        help="comma list of largest bf16 Winograd tiles to render with (default: the build's choice)")
    parser.add_argument("--skip", default="", help="comma list of: torch-bf16,ort,ov-f32,ov-default")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    templates, _ = ub.import_original(args.diffdub)
    conf, model = ub.build_released_model(templates, torch, args.seed)
    print(f"cpu: {cpu_name()}; flags: {' '.join(f for f in ('avx2', 'avx512f', 'avx512_bf16', 'amx_bf16') if f in cpu_flags())}")
    print(f"torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}), {args.threads} threads, "
          f"{args.warmup} warm-up calls, median of {args.runs}; load average {ub.load_average()}")

    class Eps(torch.nn.Module):
        """eps = model(x, t, cond).pred: the UNet call of one DDIM step."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x, t, cond):
            return self.inner(x, t, cond=cond).pred

    eps_model = Eps(model).eval()
    generator = torch.Generator().manual_seed(args.seed + 1)
    x = torch.randn((1, 6, 256, 256), generator=generator)
    t = torch.full((1,), 950.0)
    cond = torch.randn((1, 512), generator=generator)
    feeds = {"x": x.numpy(), "t": t.numpy(), "cond": cond.numpy()}
    rows = []

    with torch.inference_mode():
        seconds, _, reference = median_call(lambda: eps_model(x, t, cond), args.warmup, args.runs)
        reference = reference.numpy()
        rows.append(("PyTorch eager fp32", seconds, 0.0, 0.0))
        print(f"PyTorch fp32: {seconds[0]:.3f} s per call, {seconds[1]:.2f} s CPU")
        if "torch-bf16" not in skip:
            def autocast_call():
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    return eps_model(x, t, cond).float()
            seconds, _, out = median_call(autocast_call, args.warmup, args.runs)
            rows.append(("PyTorch bf16 autocast", seconds, *difference(np, out.numpy(), reference)))
            print(f"PyTorch bf16 autocast: {seconds[0]:.3f} s per call, {seconds[1]:.2f} s CPU")

    if not os.path.exists(args.onnx):
        start = time.perf_counter()
        torch.onnx.export(
            eps_model, (x, t, cond), args.onnx, input_names=["x", "t", "cond"], output_names=["eps"],
            opset_version=18, dynamo=True, external_data=False)
        print(f"exported {args.onnx} ({os.path.getsize(args.onnx) / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")

    if "ort" not in skip:
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(args.onnx, options, providers=["CPUExecutionProvider"])
        seconds, _, out = median_call(lambda: session.run(None, feeds)[0], args.warmup, args.runs)
        rows.append((f"ONNX Runtime {ort.__version__} CPU", seconds, *difference(np, out, reference)))
        print(f"ONNX Runtime: {seconds[0]:.3f} s per call, {seconds[1]:.2f} s CPU")
        del session

    import openvino as ov
    core = ov.Core()
    for name, hint in (("ov-f32", "f32"), ("ov-default", None)):
        if name in skip:
            continue
        config = {"INFERENCE_NUM_THREADS": args.threads, "PERFORMANCE_HINT": "LATENCY"}
        if hint:
            config["INFERENCE_PRECISION_HINT"] = hint
        compiled = core.compile_model(core.read_model(args.onnx), "CPU", config)
        chosen = compiled.get_property("INFERENCE_PRECISION_HINT")
        request = compiled.create_infer_request()
        seconds, _, out = median_call(
            lambda: request.infer(feeds)[compiled.output(0)].copy(), args.warmup, args.runs)
        label = f"OpenVINO {ov.__version__.split('-')[0]} {'fp32 hint' if hint else 'default'} (runs {chosen})"
        rows.append((label, seconds, *difference(np, out, reference)))
        print(f"{label}: {seconds[0]:.3f} s per call, {seconds[1]:.2f} s CPU")
        del request, compiled

    if args.diffdub_cli:
        rows += diffdub_rows(args, np, torch, model, rows)

    print()
    openvino = {r[0]: r[1] for r in rows if r[0].startswith("OpenVINO")}
    print("| runtime | s per call (median) | CPU s per call | eps max abs vs PyTorch fp32 | mean abs |")
    print("|---|---|---|---|---|")
    for label, seconds, worst, mean in rows:
        print(f"| {label} | {seconds[0]:.3f} | {seconds[1]:.2f} | {worst:.3g} | {mean:.3g} |")
    for label, seconds in openvino.items():
        for other, their in ((r[0], r[1]) for r in rows if r[0].startswith("diffdub")):
            print(f"ratio {other} / {label}: wall {their[0] / seconds[0]:.3f}, CPU {their[1] / seconds[1]:.3f}")
    print(f"load average {ub.load_average()}")


def cpu_flags():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def cpu_name():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def diffdub_rows(args, np, torch, model, rows):
    """`diffdub render` on the same weights and inputs: per-call times and PSNR vs PyTorch fp32."""
    os.makedirs(args.workdir, exist_ok=True)
    checkpoint = os.path.join(args.workdir, "stage1_random.ckpt")
    state = {"ema_model." + k: v.detach().clone() for k, v in model.state_dict().items()}
    torch.save({"state_dict": state}, checkpoint)
    generator = torch.Generator().manual_seed(args.seed + 2)
    keep = torch.ones((1, 1, 256, 256))
    keep[:, :, 150:230, 70:190] = 0  # a mouth-sized box is regenerated
    inputs = {
        "x_start": (torch.rand((1, 3, 256, 256), generator=generator) * 2 - 1).numpy(),
        "x_ref": (torch.rand((1, 3, 256, 256), generator=generator) * 2 - 1).numpy(),
        "keep": keep.numpy(),
        "cond": torch.randn((1, 512), generator=generator).numpy(),
        "noise": torch.randn((1, 3, 256, 256), generator=generator).numpy(),
    }
    paths = {}
    for key, value in inputs.items():
        paths[key] = os.path.join(args.workdir, key + ".npy")
        np.save(paths[key], value.astype(np.float32))

    def render(steps, setting):
        precision, tile = setting
        output = os.path.join(args.workdir, f"out_{precision}{tile or ''}_{steps}.npy")
        command = [args.diffdub_cli, "render", "--stage1", checkpoint, "--x-start", paths["x_start"],
                   "--reference", paths["x_ref"], "--mask", paths["keep"], "--latent", paths["cond"],
                   "--noise", paths["noise"], "--steps", str(steps), "--precision", precision,
                   "--output", output, "--quiet"] + (["--bf16-winograd-tile", tile] if tile else [])
        start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        return (time.perf_counter() - start, cpu), np.load(output)

    tiles = [t for t in args.bf16_tiles.split(",") if t]
    settings = [("fp32", None)] + [("bf16", None if t == "default" else t) for t in tiles]
    name = {s: s[0] + (f" (Winograd up to F({s[1]}x{s[1]}))" if s[1] else "") for s in settings}
    times = {(steps, s): [] for steps in (2, 10) for s in settings}
    outputs = {}
    for _ in range(args.render_repeats):
        for steps in (2, 10):
            for setting in settings:
                seconds, out = render(steps, setting)
                times[(steps, setting)].append(seconds)
                outputs[(steps, setting)] = out
                print(f"diffdub render --steps {steps} {name[setting]}: {seconds[0]:.2f} s, {seconds[1]:.2f} s CPU")
    result = []
    for setting in settings:
        per_call = tuple(
            (statistics.median(x[i] for x in times[(10, setting)]) - statistics.median(x[i] for x in times[(2, setting)])) / 8
            for i in (0, 1))
        result.append((f"diffdub render {name[setting]}, (t(10) - t(2)) / 8", per_call, math.nan, math.nan))
    if args.no_psnr:
        return result
    with torch.inference_mode():
        torch_2 = ddim_render(torch, model, inputs, 2)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            torch_2_bf16 = ddim_render(torch, model, inputs, 2)
    print(f"PSNR 2 steps vs PyTorch fp32: PyTorch bf16 autocast {psnr(np, torch_2_bf16.astype(np.float32), torch_2):.1f} dB")
    for setting in settings:
        print(f"PSNR 2 steps vs PyTorch fp32: diffdub {name[setting]} {psnr(np, outputs[(2, setting)], torch_2):.1f} dB")
    if args.psnr20:
        with torch.inference_mode():
            torch_20 = ddim_render(torch, model, inputs, 20)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                torch_20_bf16 = ddim_render(torch, model, inputs, 20)
        print(f"PSNR 20 steps vs PyTorch fp32: PyTorch bf16 autocast {psnr(np, torch_20_bf16.astype(np.float32), torch_20):.1f} dB")
        for setting in settings:
            _, out = render(20, setting)
            print(f"PSNR 20 steps vs PyTorch fp32: diffdub {name[setting]} {psnr(np, out, torch_20):.1f} dB")
    return result


if __name__ == "__main__":
    main()
