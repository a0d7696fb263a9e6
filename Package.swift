// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The instruction set the project's own targets are compiled for.
///
/// The kernels (normalisation, Winograd transforms, element-wise loops) are plain Swift loops that
/// the compiler vectorises; compiled for the baseline x86-64 (SSE2) they run 4 floats at a time
/// and without FMA, for AVX2 + FMA 8 at a time: a released-size UNet call takes about 20 % less
/// CPU (Docs/PERFORMANCE.md). So, like ggml's `GGML_NATIVE`, a build on an x86-64 Linux machine
/// with AVX2 and FMA targets `haswell` (the x86-64-v3 level) unless told otherwise:
///
/// - `DIFFDUB_TARGET_CPU=portable swift build ...` builds for the baseline (binaries for other
///   machines);
/// - `DIFFDUB_TARGET_CPU=<cpu> swift build ...` passes `-target-cpu <cpu>` (any name `swiftc`
///   knows, such as `znver3` or `skylake-avx512`).
///
/// When this package is a dependency of another one (checked out under `checkouts/`) nothing is
/// added, since SwiftPM refuses compiler flags in dependencies; the root package can pass
/// `-Xswiftc -target-cpu -Xswiftc haswell` itself.
let targetCPU: String? = {
    if #filePath.contains("/checkouts/") { return nil }
    if let requested = ProcessInfo.processInfo.environment["DIFFDUB_TARGET_CPU"], !requested.isEmpty {
        return requested == "portable" ? nil : requested
    }
    #if arch(x86_64) && os(Linux)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let features = Set(flags.split(separator: " ").map(String.init))
        return features.isSuperset(of: ["avx2", "fma", "f16c", "bmi2", "movbe"]) ? "haswell" : nil
    #else
        return nil
    #endif
}()

/// Settings shared by every target of the project (the same instruction set everywhere, so
/// values of SIMD types cross module boundaries with one calling convention).
/// `DIFFDUB_TARGET_CPU` is defined when a CPU was chosen, so the benchmarks can say so.
let projectSwiftSettings: [SwiftSetting] =
    targetCPU.map { [.unsafeFlags(["-target-cpu", $0]), .define("DIFFDUB_TARGET_CPU")] } ?? []

let package = Package(
    name: "DiffDub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DiffDubCore", targets: ["DiffDubCore"]),
        .library(name: "DiffDubIO", targets: ["DiffDubIO"]),
        .executable(name: "diffdub", targets: ["diffdub-cli"]),
        .executable(name: "diffdub-bench", targets: ["diffdub-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (the DocC catalogs of both libraries).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // `diffdub serve` (the DiffDubServe target only; the libraries never see these).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libpng-dev, libsndfile1-dev).
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(
            name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"]), .brew(["libsndfile"])]),

        // The bfloat16 product kernel (AVX512_BF16 `vdpbf16ps`, chosen at run time): the only C
        // in the kernels, since Swift cannot emit that instruction.
        .target(name: "CBF16Kernels", path: "Sources/CBF16Kernels"),
        // CPU hints Swift has no way to emit: cache prefetches for the Winograd transforms and
        // the spin-wait `pause` of the kernel threads.
        .target(name: "CCPUHints", path: "Sources/CCPUHints"),

        .target(
            name: "DiffDubCore",
            dependencies: ["COpenBLAS", "CBF16Kernels", "CCPUHints"],
            swiftSettings: projectSwiftSettings),
        .target(
            name: "DiffDubIO",
            dependencies: ["DiffDubCore", "CPNG", "CSndFile"],
            swiftSettings: projectSwiftSettings),
        // The HTTP server of `diffdub serve`: persisted job folders under a data folder, a queue
        // of workers over one shared session, the JSON API and the page. Only the command line
        // depends on it, so DiffDubCore and DiffDubIO stay free of the server framework.
        .target(
            name: "DiffDubServe",
            dependencies: [
                "DiffDubCore", "DiffDubIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: projectSwiftSettings),
        .executableTarget(
            name: "diffdub-cli",
            dependencies: [
                "DiffDubCore", "DiffDubIO", "DiffDubServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: projectSwiftSettings),
        .executableTarget(
            name: "diffdub-bench",
            dependencies: ["DiffDubCore", "DiffDubIO", "COpenBLAS"],
            path: "Benchmarks/diffdub-bench",
            swiftSettings: projectSwiftSettings),

        // Test helpers in two parts, so that DiffDubCore is tested without DiffDubIO:
        // TestSupport (DiffDubCore only: fixture paths and the tests' own `.npy` fixture reader,
        // random tensors, temporary folders, PNG bytes) and IOTestSupport (DiffDubIO: ffmpeg,
        // a loopback HTTP server, fixtures through `NumPyFile`).
        .target(
            name: "TestSupport",
            dependencies: ["DiffDubCore"],
            path: "Tests/TestSupport",
            swiftSettings: projectSwiftSettings),
        .target(
            name: "IOTestSupport",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"],
            path: "Tests/IOTestSupport",
            swiftSettings: projectSwiftSettings),
        // The tests mirror the source tree: Tests/DiffDubCoreTests/<folder> holds the tests of
        // Sources/DiffDubCore/<folder>, Tests/DiffDubIOTests/<folder> those of Sources/DiffDubIO/<folder>
        // (the command line's tests run the built `diffdub`, in the folder of the library part it drives).
        // DiffDubCore's tests build and run without DiffDubIO: whatever reads a file through
        // DiffDubIO (a model loaded from a checkpoint or model folder, PNG frames, video) is tested
        // in DiffDubIOTests, in the folder of the IO code it goes through (ModelLoading/ for the
        // parity of models loaded from the fixture checkpoints). `swift build -c release --target
        // DiffDubCoreTests -Xswiftc -enable-testing` builds them without compiling DiffDubIO.
        .testTarget(
            name: "DiffDubCoreTests",
            dependencies: ["DiffDubCore", "TestSupport"],
            swiftSettings: projectSwiftSettings),
        .testTarget(
            name: "DiffDubIOTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport", "IOTestSupport"],
            exclude: ["Limits/Regressions"],
            swiftSettings: projectSwiftSettings),
        // The server's routes through HummingbirdTesting (no socket), with the random-weight
        // fixture models, so a whole job renders in the test.
        .testTarget(
            name: "DiffDubServeTests",
            dependencies: [
                "DiffDubCore", "DiffDubIO", "DiffDubServe", "TestSupport", "IOTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: projectSwiftSettings),
    ]
)
