// swift-tools-version: 6.0
// libFuzzer targets for the readers of DiffDubIO (issue #9). Not part of the root package:
// build with `Fuzz/run.sh` (swift build -c release -Xswiftc -sanitize=fuzzer,address).
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "FuzzDriver", .product(name: "DiffDubIO", package: "DiffDub"),
            .product(name: "DiffDubCore", package: "DiffDub"),
        ],
        swiftSettings: fuzzSettings)
}

let package = Package(
    name: "DiffDubFuzz",
    dependencies: [.package(name: "DiffDub", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        fuzzTarget("FuzzTorchCheckpoint"),
        fuzzTarget("FuzzUnpickler"),
        fuzzTarget("FuzzSafeTensors"),
        fuzzTarget("FuzzNumPy"),
        fuzzTarget("FuzzPNG"),
        fuzzTarget("FuzzLandmarks"),
        fuzzTarget("FuzzWAV"),
        fuzzTarget("FuzzOptions"),
        fuzzTarget("FuzzJobFolder"),
    ]
)
