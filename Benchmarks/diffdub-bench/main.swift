import DiffDubCore

// Dispatches on the first argument; each benchmark lives in its own file.
// Usage: swift run -c release diffdub-bench <benchmark>
let benchmarks: [(name: String, summary: String, run: () -> Void)] = [
    ("sgemm", "cblas_sgemm and the bf16 GEMM (if the CPU has it), GFLOP/s at 2048^3 and 128 x 65536 x 1152", SgemmBenchmark.runSgemm),
    (
        "convshapes",
        "im2col vs Winograd on the UNet's 3x3 shapes [single] [buffer MiB] [algorithm names] [size=S ...] [rounds=R] [tuned] [schedule=bands,tiles] [precision=bf16]",
        {
            let options = CommandLine.arguments.dropFirst(2)
            ConvShapesBenchmark.run(
                singleThreaded: options.contains("single"), columnBufferMiB: options.compactMap { Int($0) }.first,
                algorithms: Set(options.filter { $0.hasPrefix("im2col") || $0.hasPrefix("winograd") }),
                sizes: Set(options.compactMap { $0.hasPrefix("size=") ? Int($0.dropFirst(5)) : nil }),
                rounds: options.compactMap { $0.hasPrefix("rounds=") ? Int($0.dropFirst(7)) : nil }.first ?? 5,
                tuned: options.contains("tuned"),
                schedules: options.first { $0.hasPrefix("schedule=") }.map {
                    $0.dropFirst(9).split(separator: ",").compactMap { Conv2dTiling.WinogradSchedule(rawValue: String($0)) }
                } ?? [.automatic],
                precision: options.first { $0.hasPrefix("precision=") }.flatMap { Precision(rawValue: String($0.dropFirst(10))) }
                    ?? .fp32)
        }
    ),
    (
        "pointwise",
        "packed fp32 kernel vs sgemm on the UNet's 1x1 convolutions and attention products [rounds=R] [--only TEXT]",
        {
            let options = Array(CommandLine.arguments.dropFirst(2))
            PointwiseBenchmark.run(
                rounds: options.compactMap { $0.hasPrefix("rounds=") ? Int($0.dropFirst(7)) : nil }.first ?? 5,
                only: options.firstIndex(of: "--only").flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil })
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
        "one released-size UNet call at 256 (random weights): s, GFLOP/s, sgemm in the same run [--runs R] [--batch B] [--precision fp32|bf16] [--bf16-tile N] [--tile N] [--schedule automatic|bands|tiles]",
        { UNetBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "frame",
        "a full render at 256 (random weights): s per frame, GFLOP/s, sgemm, peak memory [--steps N] [--sampler ddim|dpmpp2m] [--batch B] [--runs R]",
        { FrameBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "unet-accuracy", "released-size UNet call: eps of the Winograd path against im2col [--batch B] [--timestep T] [--precision fp32|bf16] [--bf16-tile N] [--schedule automatic|bands|tiles] | --layers",
        { UNetAccuracyBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "demo-models", "write the demo's small random models as stage1/stage2.safetensors (and Hubert features) DIR [FRAMES]",
        { DemoModelsBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    ("stage2", "stage 2 at released size, T = 500 Hubert frames, 75 references: seconds [T] [R]", { Stage2Benchmark.run() }),
    (
        "syncnet", "SyncNet scoring of a [seconds, default 60] s 224x224 clip (random weights): s, lip/audio split",
        { SyncNetBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2))) }
    ),
    (
        "hubert", "Hubert-large (random released-size weights) on [seconds, default 10] s of audio, all hidden states",
        { HubertBenchmark.run(seconds: CommandLine.arguments.dropFirst(2).first.flatMap { Double($0) } ?? 10) }
    ),
]

// The compute settings of every benchmark: the library's defaults (what `diffdub render` and
// `dub` use: all cores, a 1 GiB buffer pool, large blocks kept in the heap), changed by
// `--threads N`, `--pool MB` (0: no pool) and `--no-heap`.
func argumentValue(_ flag: String) -> Int? {
    guard let index = CommandLine.arguments.firstIndex(of: flag), index + 1 < CommandLine.arguments.count else { return nil }
    return Int(CommandLine.arguments[index + 1])
}
var settings = ComputeSettings()
if let threads = argumentValue("--threads") { settings.threads = max(1, threads) }
if let megabytes = argumentValue("--pool") { settings.bufferPoolBytes = megabytes << 20 }
if CommandLine.arguments.contains("--no-heap") { settings.keepsLargeBlocksInHeap = false }

let requested = CommandLine.arguments.dropFirst().first
if let requested, let benchmark = benchmarks.first(where: { $0.name == requested }) {
    settings.run { benchmark.run() }
} else {
    print("usage: diffdub-bench <benchmark> [options] [--threads N] [--pool MB] [--no-heap]")
    for benchmark in benchmarks { print("  \(benchmark.name)\t\(benchmark.summary)") }
}
