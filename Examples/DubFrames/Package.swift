// swift-tools-version: 6.0
import PackageDescription

// A program that embeds DiffDub: it depends on the repository's package by path and uses its
// two libraries, as any other Swift package would (with a URL and a version instead of a path).
let package = Package(
    name: "DubFrames",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DiffDub", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "dub-frames",
            dependencies: [
                .product(name: "DiffDubCore", package: "DiffDub"),
                .product(name: "DiffDubIO", package: "DiffDub"),
            ]),
    ]
)
