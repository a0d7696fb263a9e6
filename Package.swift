// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "DiffDub",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DiffDubCore", targets: ["DiffDubCore"]),
        .library(name: "DiffDubIO", targets: ["DiffDubIO"]),
        .executable(name: "diffdub", targets: ["diffdub-cli"]),
        .executable(name: "diffdub-bench", targets: ["diffdub-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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

        .target(
            name: "DiffDubCore",
            dependencies: ["COpenBLAS"]),
        .target(
            name: "DiffDubIO",
            dependencies: ["DiffDubCore", "CPNG", "CSndFile"]),
        .executableTarget(
            name: "diffdub-cli",
            dependencies: [
                "DiffDubCore", "DiffDubIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "diffdub-bench",
            dependencies: ["DiffDubCore", "DiffDubIO", "COpenBLAS"],
            path: "Benchmarks/diffdub-bench"),

        .target(
            name: "TestSupport",
            dependencies: ["DiffDubCore", "DiffDubIO"],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "DiffDubCoreTests",
            dependencies: ["DiffDubCore", "TestSupport"]),
        .testTarget(
            name: "DiffDubIOTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
        .testTarget(
            name: "KernelTests",
            dependencies: ["DiffDubCore", "TestSupport"]),
        .testTarget(
            name: "RendererTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
        .testTarget(
            name: "LipSyncTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
        .testTarget(
            name: "SpeechTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
        .testTarget(
            name: "FaceDetectionTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"],
            exclude: ["Regressions"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["DiffDubCore", "DiffDubIO", "TestSupport"]),
    ]
)
