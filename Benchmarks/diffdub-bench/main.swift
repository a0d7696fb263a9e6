import DiffDubCore

// Dispatches on the first argument; each benchmark lives in its own file.
// Usage: swift run -c release diffdub-bench <benchmark>
let benchmarks: [(name: String, summary: String, run: () -> Void)] = [
    ("sgemm", "cblas_sgemm and the bf16 GEMM (if the CPU has it), GFLOP/s at 2048^3 and 128 x 65536 x 1152", SgemmBenchmark.runSgemm),
    (
        "convshapes",
        "im2col vs Winograd on the UNet's 3x3 shapes [single] [buffer MiB] [algorithm names] [size=S ...] [rounds=R] [tuned]",
        {
            let options = CommandLine.arguments.dropFirst(2)
            ConvShapesBenchmark.run(
                singleThreaded: options.contains("single"), columnBufferMiB: options.compactMap { Int($0) }.first,
                algorithms: Set(options.filter { $0.hasPrefix("im2col") || $0.hasPrefix("winograd") }),
                sizes: Set(options.compactMap { $0.hasPrefix("size=") ? Int($0.dropFirst(5)) : nil }),
                rounds: options.compactMap { $0.hasPrefix("rounds=") ? Int($0.dropFirst(7)) : nil }.first ?? 5,
                tuned: options.contains("tuned"))
        }
    ),
    (
        "kernels",
        "element-wise, normalisation and shape kernels on [1, 128, 256, 256], wall and CPU ms [single] [--only TEXT]",
        {
            let options = Array(CommandLine.arguments.dropFirst(2))
            let only = options.firstIndex(of: "--only").flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil }
            KernelsBenchmark.run(singleThreaded: options.contains("single"), only: only)
        }
    ),
    (
        "conv", "conv2d 3x3 [1, 128, 256, 256] -> 128, seconds and GFLOP/s [buffer MiB]",
        { SgemmBenchmark.runConv(columnBufferMiB: CommandLine.arguments.dropFirst(2).compactMap { Int($0) }.first) }
    ),
    (
        "unet",
        "one released-size UNet call at 256 (random weights): s, GFLOP/s, sgemm in the same run [--runs R] [--batch B] [--precision fp32|bf16] [--bf16-tile N]",
        { UNetBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "frame",
        "a full render at 256 (random weights): s per frame, GFLOP/s, sgemm, peak memory [--steps N] [--sampler ddim|dpmpp2m] [--batch B] [--runs R]",
        { FrameBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "unet-accuracy", "released-size UNet call: eps of the Winograd path against im2col [--batch B] [--timestep T] [--precision fp32|bf16] [--bf16-tile N] | --layers",
        { UNetAccuracyBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    ("stage2", "stage 2 at released size, T = 500 Hubert frames, 75 references: seconds [T] [R]", { Stage2Benchmark.run() }),
    (
        "hubert", "Hubert-large (random released-size weights) on [seconds, default 10] s of audio, all hidden states",
        { HubertBenchmark.run(seconds: CommandLine.arguments.dropFirst(2).first.flatMap { Double($0) } ?? 10) }
    ),
]

// `--heap` anywhere: glibc keeps large blocks in the heap (see DiffDubCore.AllocatorTuning).
if CommandLine.arguments.contains("--heap") { AllocatorTuning.keepLargeBlocksInHeap() }
// `--pool MB`: freed tensor blocks are kept for reuse, up to MB megabytes (TensorBufferPool).
if let index = CommandLine.arguments.firstIndex(of: "--pool"), index + 1 < CommandLine.arguments.count,
    let megabytes = Int(CommandLine.arguments[index + 1])
{
    TensorBufferPool.enable(capacityBytes: megabytes << 20)
}
// `--blas-threads N`: OpenBLAS threads (1: products are split across the kernel threads instead).
if let index = CommandLine.arguments.firstIndex(of: "--blas-threads"), index + 1 < CommandLine.arguments.count,
    let count = Int(CommandLine.arguments[index + 1])
{
    BLAS.threadCount = count
}

// `--tuned`: what `diffdub render` and `dub` use (RuntimeTuning.configureForModelRuns()).
if CommandLine.arguments.contains("--tuned") { RuntimeTuning.configureForModelRuns() }

let requested = CommandLine.arguments.dropFirst().first
if let requested, let benchmark = benchmarks.first(where: { $0.name == requested }) {
    benchmark.run()
} else {
    print("usage: diffdub-bench <benchmark> [options] [--tuned] [--heap] [--pool MB] [--blas-threads N]")
    for benchmark in benchmarks { print("  \(benchmark.name)\t\(benchmark.summary)") }
}
