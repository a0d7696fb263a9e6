#!/usr/bin/env python3
"""Mutation run over the fixtures through the built `diffdub` binary (issue #9).

Makes mutated copies of stage2.ckpt (zip), stage2_legacy.ckpt, stage1.ckpt and .npy fixtures
(bit flips, byte overwrites, truncations, chunk deletions/duplications, header edits), runs
`diffdub inspect FILE` and `diffdub lip-latents` (a mutated checkpoint, Hubert or reference
.npy) with a timeout each, and classifies every run:
  ok     exit 0
  clean  exit 1, exactly one line on stderr naming the mutated file, no output file left
  unclear exit non-zero without a signal, but not one line naming the file (or output left)
  crash  killed by a signal
  hang   timeout
Usage: Fuzz/mutate.py --binary .build/debug/diffdub [--count 2000] [--lip-count 300] [--seed 1]
Exits 1 when any crash, hang or unclear run is found (the inputs are kept in --keep)."""
import argparse, os, random, shutil, subprocess, sys, tempfile, collections

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fx = os.path.join(root, "Tests", "Fixtures")

def mutate(data, rng):
    data = bytearray(data)
    kind = rng.choice(["flip", "flip", "byte", "truncate", "delete", "duplicate", "header", "tail", "numbers"])
    n = len(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 16)):
            i = rng.randrange(n); data[i] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(n)] = rng.choice([0, 0xFF, 0x7F, 0x80, 0x01, rng.randrange(256)])
    elif kind == "truncate":
        del data[rng.randrange(n):]
    elif kind == "delete":
        i = rng.randrange(n); del data[i:i + rng.randint(1, 4096)]
    elif kind == "duplicate":
        i = rng.randrange(n); chunk = data[i:i + rng.randint(1, 4096)]; data[i:i] = chunk
    elif kind in ("header", "tail"):
        # Edits where the structure lives: pickle/npy headers at the start, the zip central
        # directory and end record at the end.
        span = min(n, 4096)
        base = 0 if kind == "header" else n - span
        for _ in range(rng.randint(1, 6)):
            i = base + rng.randrange(span)
            data[i] = rng.choice([0, 0xFF, rng.randrange(256), data[i] ^ (1 << rng.randrange(8))])
    else:  # numbers: replace digits in text headers (npy shapes) with huge or odd values
        text = bytes(data[:256])
        digits = [i for i, c in enumerate(text) if chr(c).isdigit()]
        if digits:
            i = rng.choice(digits)
            value = rng.choice([b"0", b"-1", b"99999999999", b"18446744073709551616", b"7" * 40])
            data[i:i + 1] = value
    return bytes(data), kind

def classify(result, path, output=None):
    if result is None:
        return "hang"
    if result.returncode < 0 or result.returncode >= 128:
        return "crash"
    if result.returncode == 0:
        return "ok"
    lines = [l for l in result.stderr.decode(errors="replace").split("\n") if l.strip()]
    if output and os.path.exists(output):
        return "unclear"
    if len(lines) == 1 and os.path.basename(path) in lines[0]:
        return "clean"
    return "unclear"

def run(cmd, timeout):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(root, ".build", "debug", "diffdub"))
    ap.add_argument("--count", type=int, default=2000, help="mutated files through inspect")
    ap.add_argument("--lip-count", type=int, default=300, help="mutated inputs through lip-latents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--keep", default="/tmp/diffdub-mutations")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.keep, exist_ok=True)
    work = tempfile.mkdtemp(prefix="diffdub-mutate-")
    inspect_sources = [os.path.join(fx, p) for p in [
        "stage2/stage2.ckpt", "stage2/stage2_legacy.ckpt", "stage1/stage1.ckpt",
        "stage2/audio.npy", "stage2/reference.npy", "pipeline/hubert.npy"]]
    blobs = {p: open(p, "rb").read() for p in inspect_sources}
    counts = collections.Counter()
    bad = []
    def record(command, source, kind, verdict, path, stderr):
        counts[(command, verdict)] += 1
        if verdict in ("crash", "hang", "unclear"):
            kept = os.path.join(args.keep, f"{command}-{verdict}-{counts[(command, verdict)]}-{os.path.basename(path)}")
            shutil.copy(path, kept)
            bad.append((command, verdict, kind, kept, stderr[:300]))
    for i in range(args.count):
        source = inspect_sources[i % len(inspect_sources)]
        data, kind = mutate(blobs[source], rng)
        path = os.path.join(work, f"m{i}-{os.path.basename(source)}")
        open(path, "wb").write(data)
        result = run([args.binary, "inspect", path], args.timeout)
        verdict = classify(result, path)
        record("inspect", source, kind, verdict, path, result.stderr if result else b"")
        os.remove(path)
    lip = {"checkpoint": os.path.join(fx, "stage2/stage2.ckpt"),
           "hubert": os.path.join(fx, "stage2/audio.npy"),
           "reference": os.path.join(fx, "stage2/reference.npy")}
    for i in range(args.lip_count):
        role = ["checkpoint", "hubert", "reference"][i % 3]
        source = lip[role]
        data, kind = mutate(open(source, "rb").read(), rng)
        path = os.path.join(work, f"l{i}-{os.path.basename(source)}")
        open(path, "wb").write(data)
        output = os.path.join(work, f"out{i}.npy")
        files = dict(lip); files[role] = path
        result = run([args.binary, "lip-latents", "--stage2", files["checkpoint"], "--hubert", files["hubert"],
                      "--reference", files["reference"], "--output", output], args.timeout)
        verdict = classify(result, path, output if (result and result.returncode != 0) else None)
        record("lip-latents", source, kind, verdict, path, result.stderr if result else b"")
        os.remove(path)
        if os.path.exists(output): os.remove(output)
    leftovers = os.listdir(work)
    shutil.rmtree(work)
    for command in ("inspect", "lip-latents"):
        row = {v: counts[(command, v)] for v in ("ok", "clean", "unclear", "crash", "hang")}
        print(command, sum(row.values()), "runs:", " ".join(f"{k} {v}" for k, v in row.items()))
    print("temporary files left in the work folder:", len(leftovers))
    for entry in bad[:50]:
        print("FOUND", *entry)
    return 1 if bad or leftovers else 0

if __name__ == "__main__":
    sys.exit(main())
