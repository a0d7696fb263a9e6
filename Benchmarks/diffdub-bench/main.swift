import DiffDubCore

// Dispatches on the first argument; each benchmark lives in its own file.
// Usage: swift run -c release diffdub-bench <benchmark>
let benchmarks: [(name: String, summary: String, run: () -> Void)] = [
    ("sgemm", "cblas_sgemm GFLOP/s at 2048^3 and 128 x 65536 x 1152", SgemmBenchmark.runSgemm),
    ("conv", "conv2d 3x3 [1, 128, 256, 256] -> 128, seconds and GFLOP/s [column buffer MiB]", { SgemmBenchmark.runConv(columnBufferMiB: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) }) }),
    ("stage2", "stage 2 at released size, T = 500 Hubert frames, 75 references: seconds [T] [R]", { Stage2Benchmark.run() }),
]

let requested = CommandLine.arguments.dropFirst().first
if let requested, let benchmark = benchmarks.first(where: { $0.name == requested }) {
    benchmark.run()
} else {
    print("usage: diffdub-bench <benchmark>")
    for benchmark in benchmarks { print("  \(benchmark.name)\t\(benchmark.summary)") }
}
