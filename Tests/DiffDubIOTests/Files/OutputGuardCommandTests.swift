import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// The built `diffdub` under ``OutputGuard``: every refusal is one line on stderr with exit
/// code 1 and leaves the tree byte for byte as it was; `--overwrite` replaces a file and an
/// earlier output folder. Each command runs in a working directory of its own (a subprocess:
/// the test process never changes its own).
@Suite("Output guard: the command line", .enabled(if: DiffDubExecutable.url != nil))
struct OutputGuardCommandTests {
    /// A tree: `cwd/` (the commands' working directory, holding `notes.txt`), the slice folder
    /// `clip/part/` with two frames, the user's `photos/` and a file `old`.
    final class Tree {
        let directory: TemporaryDirectory
        /// The temporary folder with its links resolved, as messages name it.
        let root: URL
        var cwd: URL { root.appendingPathComponent("cwd") }
        var part: URL { root.appendingPathComponent("clip/part") }
        var photos: URL { root.appendingPathComponent("photos") }
        var old: URL { root.appendingPathComponent("old") }

        init() throws {
            directory = try TemporaryDirectory()
            root = URL(fileURLWithPath: OutputGuard.resolved(directory.url.path))
            for folder in [cwd, part, photos] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try Data("notes".utf8).write(to: cwd.appendingPathComponent("notes.txt"))
            for index in 0..<2 {
                try PNGFile.write(
                    RGBImage(height: 4, width: 4, red: UInt8(index)), to: part.appendingPathComponent(String(format: "%06d.png", index)))
            }
            try Data("holiday".utf8).write(to: photos.appendingPathComponent("beach.jpg"))
            try Data("an earlier video".utf8).write(to: old)
        }

        /// `diffdub arguments` run in `cwd`.
        func run(_ arguments: [String], in folder: URL? = nil) throws -> DiffDubExecutable.Result {
            try DiffDubExecutable.run(arguments, currentDirectory: folder ?? cwd)
        }
    }

    /// Requires `result` to be a refusal: exit code 1, one line `Error: ...` naming `path` on stderr.
    static func expectRefused(
        _ result: DiffDubExecutable.Result, naming path: String, saying words: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, "status \(result.status): \(result.standardError)", sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.hasPrefix("Error: \(path)") && (words.isEmpty || result.standardError.contains(words)),
            "\(result.standardError)", sourceLocation: sourceLocation)
    }

    @Test("join refuses \"\", the working directory, its ancestors, a link to it, its inputs and the user's folder")
    func refusals() throws {
        let tree = try Tree()
        let link = tree.cwd.appendingPathComponent("here")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: ".")
        let before = try FileTreeSnapshot(tree.root)
        let join = ["join", "../clip/part", "--quiet"]
        for overwrite in [[], ["--overwrite"]] {
            let empty = try tree.run(join + overwrite + ["--output", ""])
            Self.expectRefused(empty, naming: "the output path is empty", saying: "")
            for path in [".", "./x/../.", tree.cwd.path] {
                Self.expectRefused(
                    try tree.run(join + overwrite + ["--output", path]), naming: path, saying: "is the working directory")
            }
            Self.expectRefused(
                try tree.run(join + overwrite + ["--output", "here"]), naming: "here (\(tree.cwd.path))",
                saying: "is the working directory")
            for path in ["..", "/", "../cwd/.."] {
                Self.expectRefused(
                    try tree.run(join + overwrite + ["--output", path]), naming: path, saying: "holds the working directory")
            }
            Self.expectRefused(
                try tree.run(join + overwrite + ["--output", "../clip/part"]), naming: "../clip/part",
                saying: "is an input of this run (the slice folder)")
            Self.expectRefused(
                try tree.run(join + overwrite + ["--output", "../clip"]), naming: "../clip",
                saying: "holds an input of this run (the slice folder")
            Self.expectRefused(
                try tree.run(join + overwrite + ["--output", "../clip/part/joined"]), naming: "../clip/part/joined",
                saying: "is inside an input of this run (the slice folder")
            Self.expectRefused(
                try tree.run(join + overwrite + ["--output", tree.photos.path]), naming: tree.photos.path,
                saying: "a folder holding files diffdub did not write")
        }
        Self.expectRefused(
            try tree.run(join + ["--output", tree.old.path]), naming: tree.old.path,
            saying: "already exists; pass --overwrite to replace it")
        #expect(try FileTreeSnapshot(tree.root) == before)
    }

    @Test("--overwrite replaces a file and an earlier output folder; an empty folder is filled without it")
    func overwriting() throws {
        let tree = try Tree()
        let join = ["join", tree.part.path, "--quiet"]
        let out = tree.cwd.appendingPathComponent("out")
        #expect(try tree.run(join + ["--output", "out"]).status == 0)
        #expect(OutputGuard.isMarkedOutput(out))
        #expect(try FrameFolder(out).frameNames == ["000000", "000001"])
        let first = try FileTreeSnapshot(out)
        Self.expectRefused(
            try tree.run(join + ["--output", "out"]), naming: "out", saying: "holds the output of an earlier run; pass --overwrite")
        #expect(try FileTreeSnapshot(out) == first)
        try Data("stray".utf8).write(to: out.appendingPathComponent("999999.png"))
        #expect(try tree.run(join + ["--output", "out", "--overwrite"]).status == 0)
        #expect(try FrameFolder(out).frameNames == ["000000", "000001"])

        #expect(try tree.run(join + ["--output", tree.old.path, "--overwrite"]).status == 0)
        #expect(try FrameFolder(tree.old).frameNames == ["000000", "000001"])

        let empty = tree.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try tree.run(join + ["--output", empty.path]).status == 0)
        #expect(try FrameFolder(empty).frameNames == ["000000", "000001"])
    }

    @Test("dub refuses the working directory and its input folder before loading anything")
    func dub() throws {
        let tree = try Tree()
        let frames = tree.root.appendingPathComponent("clip/frames")
        try FileManager.default.copyItem(at: Fixtures.url("faces/frames"), to: frames)
        let before = try FileTreeSnapshot(tree.root)
        let dub = ["dub"] + JobTests.dubArguments(frames: frames)
        Self.expectRefused(try tree.run(dub + ["--output", ""]), naming: "the output path is empty", saying: "")
        Self.expectRefused(try tree.run(dub + ["--output", "."]), naming: ".", saying: "is the working directory")
        Self.expectRefused(
            try tree.run(dub + ["--output", frames.path, "--overwrite"]), naming: frames.path,
            saying: "is an input of this run (the frame folder)")
        Self.expectRefused(
            try tree.run(dub + ["--output", "../clip"]), naming: "../clip", saying: "holds an input of this run (the frame folder")
        #expect(try FileTreeSnapshot(tree.root) == before)
    }

    @Test("job finish refuses the job, its plan and a folder holding it; the job is untouched")
    func jobFinish() throws {
        let tree = try Tree()
        let frames = tree.root.appendingPathComponent("clip/frames")
        try FileManager.default.copyItem(at: Fixtures.url("faces/frames"), to: frames)
        let job = tree.root.appendingPathComponent("J")
        let prepared = try tree.run(["job", "prepare", job.path] + JobTests.dubArguments(frames: frames) + ["--frame-range", "0:1"])
        try #require(prepared.status == 0, "\(prepared.standardError)")
        let before = try FileTreeSnapshot(tree.root)
        for overwrite in [[], ["--overwrite"]] {
            let finish = ["job", "finish", job.path, "--quiet"] + overwrite
            Self.expectRefused(try tree.run(finish + ["--output", job.path]), naming: job.path, saying: "is an input of this run (the job folder)")
            Self.expectRefused(
                try tree.run(finish + ["--output", job.path + "/plan"]), naming: job.path + "/plan",
                saying: "is inside an input of this run (the job folder")
            Self.expectRefused(
                try tree.run(finish + ["--output", tree.root.path]), naming: tree.root.path, saying: "holds ")
            // From inside the job: `..` holds the working directory (and the job).
            Self.expectRefused(try tree.run(["job", "finish", ".", "--output", ".."] + overwrite, in: job), naming: "", saying: "holds the working directory")
        }
        #expect(try FileTreeSnapshot(tree.root) == before)
    }

    @Test("every command writing an output has --overwrite")
    func help() throws {
        for command in [
            ["dub"], ["job", "finish"], ["render"], ["hubert"], ["lip-latents"], ["landmarks"], ["convert"], ["encode"],
            ["join"], ["demo"],
        ] {
            let result = try DiffDubExecutable.run(command + ["--help"])
            #expect(result.standardOutput.contains("--overwrite"), "diffdub \(command.joined(separator: " ")) --help")
        }
    }
}
