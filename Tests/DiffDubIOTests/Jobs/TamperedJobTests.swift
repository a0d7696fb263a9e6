import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// A job folder is input like any other file: a small real job (the fixture dub of JobTests,
/// image size 32, 2 steps) is prepared and rendered once, then copied and tampered with, one
/// change per copy; `status`, `run` and `finish` must each end in one line naming the file
/// and the field, with no output written (a trap or a hang would end the test run instead).
@Suite("Tampered job folders", .serialized)
struct TamperedJobTests {
    /// The fixture request, `steps` denoising steps.
    static func request(steps: Int = 2) -> DubbingRequest {
        DubbingRequest(
            models: .files(
                stage1: Fixtures.url("pipeline/stage1.ckpt"), stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32),
            frames: .frameFolder(Fixtures.url("faces/frames")), landmarks: .file(Fixtures.url("faces/landmarks")),
            speech: .hubertFeatures(Fixtures.url("pipeline/hubert.npy")), noise: .file(Fixtures.url("pipeline/xT.npy")),
            options: DubbingOptions(referenceFrame: 3, steps: steps), output: .frameFolder(URL(fileURLWithPath: "/unused")))
    }

    /// Prepares and renders the fixture job in `folder`.
    static func makeJob(_ folder: URL) throws {
        let job = JobFolder(folder)
        _ = try job.prepareSynchronously(request(), toolVersion: "test")
        _ = try job.renderSynchronously(shard: .all, compute: ComputeSettings(threads: 1))
    }

    /// What is run on a tampered copy.
    enum Operation: String, CaseIterable, CustomStringConvertible {
        case status, check, run, finish, finishRaw
        var description: String { rawValue }
    }

    /// One tampering: what it changes, which file and field the error must name, and which
    /// operations read that file (the others may succeed).
    struct Case: CustomStringConvertible {
        var name: String
        var file: String
        var field: String?
        var operations: Set<Operation>
        var tamper: (URL) throws -> Void
        var description: String { name }
    }

    static let planOperations: Set<Operation> = [.check, .run, .finish, .finishRaw]
    static let frameOperations: Set<Operation> = [.check, .finish, .finishRaw]

    /// `manifest.json` (or another JSON file) with `key` set to the raw JSON text `value`.
    static func setJSON(_ file: String, _ keyPath: [String], _ value: String) -> (URL) throws -> Void {
        { job in
            let url = job.appendingPathComponent(file)
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            let placeholder = "@@VALUE@@"
            object = set(object, keyPath[...], placeholder)
            var text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            text = text.replacingOccurrences(of: "\"\(placeholder)\"", with: value)
            try Data(text.utf8).write(to: url)
        }
    }

    private static func set(_ object: [String: Any], _ keyPath: ArraySlice<String>, _ value: Any) -> [String: Any] {
        var object = object
        guard let key = keyPath.first else { return object }
        if keyPath.count == 1 {
            object[key] = value
        } else if let index = Int(keyPath[keyPath.startIndex + 1]), var array = object[key] as? [Any] {
            // `["frames", "3", "source"]`: an element of an array.
            let rest = keyPath.dropFirst(2)
            array[index] = rest.isEmpty ? value : set(array[index] as! [String: Any], rest, value)
            object[key] = array
        } else {
            object[key] = set(object[key] as? [String: Any] ?? [:], keyPath.dropFirst(), value)
        }
        return object
    }

    /// Overwrites `file` with a `.npy` holding `tensor`.
    static func writeArray(_ file: String, _ tensor: Tensor) -> (URL) throws -> Void {
        { job in try NumPyFile.write(tensor, to: job.appendingPathComponent(file)) }
    }

    /// Overwrites `file` with a mid-gray PNG of the given size: 8-bit RGB, 8-bit gray or 16-bit RGB.
    static func writePNG(_ file: String, width: Int, height: Int, gray: Bool = false, bits16: Bool = false) -> (URL) throws -> Void {
        { job in
            let samples = width * (gray ? 1 : 3) * (bits16 ? 2 : 1)
            let png = TinyPNG.encode(
                width: width, height: height, bitDepth: bits16 ? 16 : 8, colorType: gray ? .gray : .rgb,
                rows: Array(repeating: [UInt8](repeating: 128, count: samples), count: height))
            try png.write(to: job.appendingPathComponent(file))
        }
    }

    /// Replaces `file` by a symbolic link to a copy of itself.
    static func symlink(_ file: String) -> (URL) throws -> Void {
        { job in
            let url = job.appendingPathComponent(file)
            let target = job.deletingLastPathComponent().appendingPathComponent("elsewhere-\(url.lastPathComponent)")
            try FileManager.default.moveItem(at: url, to: target)
            try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
        }
    }

    static let manifestOperations: Set<Operation> = [.status, .check, .run, .finish, .finishRaw]

    static var cases: [Case] {
        [
        Case(name: "frameCount -1", file: "manifest.json", field: "frameCount", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["frameCount"], "-1")),
        Case(name: "frameCount 10^9", file: "manifest.json", field: "frameCount", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["frameCount"], "1000000000")),
        Case(name: "frameCount 11 (one more than the plan)", file: "manifest.json", field: "frameCount",
            operations: manifestOperations, tamper: setJSON("manifest.json", ["frameCount"], "11")),
        Case(name: "frameCount 12.5", file: "manifest.json", field: "frameCount", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["frameCount"], "12.5")),
        Case(name: "frameCount a string", file: "manifest.json", field: "frameCount", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["frameCount"], "\"ten\"")),
        Case(name: "firstFrame 2^63-1", file: "manifest.json", field: "firstFrame", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["firstFrame"], "9223372036854775807")),
        Case(name: "firstFrame 1 (the plan starts at 0)", file: "manifest.json", field: "firstFrame",
            operations: planOperations, tamper: setJSON("manifest.json", ["firstFrame"], "1")),
        Case(name: "blockSize 0", file: "manifest.json", field: "blockSize", operations: manifestOperations,
            tamper: setJSON("manifest.json", ["blockSize"], "0")),
        Case(name: "imageSize 64 (the plan has 32)", file: "manifest.json", field: "imageSize", operations: planOperations,
            tamper: setJSON("manifest.json", ["imageSize"], "64")),
        Case(name: "request options batchSize 0", file: "manifest.json", field: "request.options.batchSize",
            operations: manifestOperations, tamper: setJSON("manifest.json", ["request", "options", "batchSize"], "0")),
        Case(name: "manifest is a symbolic link", file: "manifest.json", field: nil, operations: manifestOperations,
            tamper: symlink("manifest.json")),
        Case(name: "manifest cut short", file: "manifest.json", field: nil, operations: manifestOperations,
            tamper: { job in
                let url = job.appendingPathComponent("manifest.json")
                try Data(contentsOf: url).prefix(40).write(to: url)
            }),

        Case(name: "67 landmarks", file: "plan/plan.json", field: "frames[2].landmarks.points", operations: planOperations,
            tamper: { job in
                let url = job.appendingPathComponent("plan/plan.json")
                var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
                var frames = object["frames"] as! [[String: Any]]
                var landmarks = frames[2]["landmarks"] as! [String: Any]
                landmarks["points"] = Array((landmarks["points"] as! [Any]).dropLast())
                frames[2]["landmarks"] = landmarks
                object["frames"] = frames
                try JSONSerialization.data(withJSONObject: object).write(to: url)
            }),
        Case(name: "negative source index", file: "plan/plan.json", field: "frames[4].source", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["frames", "4", "source"], "-1")),
        Case(name: "source index past the input", file: "plan/plan.json", field: "frames[4].source",
            operations: planOperations, tamper: setJSON("plan/plan.json", ["frames", "4", "source"], "10")),
        Case(name: "source index 12.5", file: "plan/plan.json", field: "frames[4].source", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["frames", "4", "source"], "12.5")),
        Case(name: "region of size 0", file: "plan/plan.json", field: "frames[1].region", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["frames", "1", "region"], "{\"x\": 0, \"y\": 0, \"size\": 0}")),
        Case(name: "region x 2^63-1", file: "plan/plan.json", field: "frames[1].region", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["frames", "1", "region"], "{\"x\": 9223372036854775807, \"y\": 0, \"size\": 8}")),
        Case(name: "plan options steps 0", file: "plan/plan.json", field: "options.steps", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["options", "steps"], "0")),
        Case(name: "plan imageSize -32", file: "plan/plan.json", field: "imageSize", operations: planOperations,
            tamper: setJSON("plan/plan.json", ["imageSize"], "-32")),
        Case(name: "plan.json is a symbolic link", file: "plan/plan.json", field: nil, operations: planOperations,
            tamper: symlink("plan/plan.json")),

        Case(name: "NaN lip latent", file: "plan/lip_latents.npy", field: "element [3, 5]", operations: planOperations,
            tamper: { job in
                let url = job.appendingPathComponent("plan/lip_latents.npy")
                var scalars = try NumPyFile.readTensor(url)
                let shape = scalars.shape
                var values = scalars.scalars
                values[3 * shape[1] + 5] = .nan
                scalars = Tensor(shape: shape, scalars: values)
                try NumPyFile.write(scalars, to: url)
            }),
        Case(name: "lip latents with 9 rows", file: "plan/lip_latents.npy", field: "shape", operations: planOperations, tamper: writeArray("plan/lip_latents.npy", Tensor(zeros: [9, 16]))),
        Case(name: "noise of the wrong shape", file: "plan/noise.npy", field: "shape", operations: planOperations,
            tamper: writeArray("plan/noise.npy", Tensor(zeros: [1, 3, 16, 16]))),
        Case(name: "infinite noise", file: "plan/noise.npy", field: "element [0, 2, 31, 31]", operations: planOperations,
            tamper: { job in
                var values = [Float](repeating: 0.5, count: 3 * 32 * 32)
                values[values.count - 1] = .infinity
                try NumPyFile.write(Tensor(shape: [1, 3, 32, 32], scalars: values), to: job.appendingPathComponent("plan/noise.npy"))
            }),
        Case(name: "reference landmarks 67 x 2", file: "plan/reference_landmarks.npy", field: "shape",
            operations: planOperations, tamper: writeArray("plan/reference_landmarks.npy", Tensor(zeros: [67, 2]))),
        Case(name: "face landmarks beyond the coordinate limit", file: "plan/face_landmarks.npy", field: "element [0, 0, 0]",
            operations: [.check, .run], tamper: { job in
                var values = [Float](repeating: 10, count: 10 * 68 * 2)
                values[0] = 1e30
                try NumPyFile.write(Tensor(shape: [10, 68, 2], scalars: values), to: job.appendingPathComponent("plan/face_landmarks.npy"))
            }),
        Case(name: "gray reference image", file: "plan/reference.png", field: "pixel format", operations: planOperations,
            tamper: writePNG("plan/reference.png", width: 32, height: 32, gray: true)),

        Case(name: "a 16 x 16 face", file: "plan/faces/000000.png", field: "size", operations: [.check, .run],
            tamper: writePNG("plan/faces/000000.png", width: 16, height: 16)),
        Case(name: "a 16-bit face", file: "plan/faces/000000.png", field: "pixel format", operations: [.check, .run],
            tamper: writePNG("plan/faces/000000.png", width: 32, height: 32, bits16: true)),
        Case(name: "a face that is a symbolic link", file: "plan/faces/000000.png", field: nil, operations: [.check, .run],
            tamper: symlink("plan/faces/000000.png")),

        Case(name: "a 16 x 16 rendered frame", file: "frames/000003.png", field: "size", operations: frameOperations,
            tamper: writePNG("frames/000003.png", width: 16, height: 16)),
        Case(name: "a gray rendered frame", file: "frames/000003.png", field: "pixel format", operations: frameOperations,
            tamper: writePNG("frames/000003.png", width: 32, height: 32, gray: true)),
        Case(name: "a 16-bit rendered frame", file: "frames/000003.png", field: "pixel format", operations: frameOperations,
            tamper: writePNG("frames/000003.png", width: 32, height: 32, bits16: true)),
        Case(name: "a rendered frame that is a symbolic link", file: "frames/000003.png", field: nil,
            operations: frameOperations, tamper: symlink("frames/000003.png")),
        Case(name: "a rendered frame that is not a PNG", file: "frames/000003.png", field: nil, operations: frameOperations,
            tamper: { job in try Data("not a png".utf8).write(to: job.appendingPathComponent("frames/000003.png")) }),
        ]
    }

    /// Runs `operation` on the job at `job`, writing any output under `scratch`.
    static func run(_ operation: Operation, job: URL, scratch: URL) throws {
        let folder = JobFolder(job)
        switch operation {
        case .status: _ = try folder.status()
        case .check: _ = try folder.check()
        case .run:
            // Frame 0 is rendered again: its face and every plan file are read.
            try? FileManager.default.removeItem(at: folder.frameURL(0))
            _ = try folder.renderSynchronously(shard: .all, compute: ComputeSettings(threads: 1))
        case .finish: _ = try folder.finishSynchronously(output: .frameFolder(scratch.appendingPathComponent("out")))
        case .finishRaw:
            _ = try folder.finishSynchronously(output: .frameFolder(scratch.appendingPathComponent("out")), raw: true)
        }
    }

    @Test("the untouched job passes every operation")
    func untouched() throws {
        let directory = try TemporaryDirectory()
        let base = directory.url.appendingPathComponent("base")
        try Self.makeJob(base)
        #expect(try JobFolder(base).status().isComplete)
        #expect(try JobFolder(base).check() == JobFolder(base).status())
        for operation in Operation.allCases {
            let copy = directory.url.appendingPathComponent("copy-\(operation)")
            try FileManager.default.copyItem(at: base, to: copy)
            let scratch = directory.url.appendingPathComponent("scratch-\(operation)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Self.run(operation, job: copy, scratch: scratch)
        }
    }

    @Test("every tampered copy ends in one line naming the file and the field, and writes no output")
    func tampered() throws {
        let directory = try TemporaryDirectory()
        let base = directory.url.appendingPathComponent("base")
        try Self.makeJob(base)
        for (number, tampering) in Self.cases.enumerated() {
            for operation in Operation.allCases {
                let root = directory.url.appendingPathComponent("\(number)-\(operation)")
                let job = root.appendingPathComponent("job")
                let scratch = root.appendingPathComponent("scratch")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: base, to: job)
                try tampering.tamper(job)
                let error: (any Error)?
                do {
                    try Self.run(operation, job: job, scratch: scratch)
                    error = nil
                } catch let thrown {
                    error = thrown
                }
                guard let error else {
                    if tampering.operations.contains(operation) { Issue.record("\(tampering) \(operation): succeeded") }
                    try? FileManager.default.removeItem(at: root)
                    continue
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "\(tampering) \(operation): output written")
                guard tampering.operations.contains(operation) else { continue }
                let line = error.localizedDescription
                #expect(error is JobError, "\(tampering) \(operation): \(type(of: error)): \(line)")
                let path = job.appendingPathComponent(tampering.file).path
                let expected = tampering.field.map { "\(path): \($0): " } ?? "\(path): "
                #expect(line.hasPrefix(expected), "\(tampering) \(operation): \(line)")
                #expect(!line.contains("\n"), "\(tampering) \(operation): \(line)")
                try? FileManager.default.removeItem(at: root)
            }
        }
    }

    @Test("a manifest frameCount of 12.5 names the field and says it must be an integer")
    func fractionalFrameCount() throws {
        let directory = try TemporaryDirectory()
        let job = directory.url.appendingPathComponent("job")
        try Self.makeJob(job)
        try Self.setJSON("manifest.json", ["frameCount"], "12.5")(job)
        let manifest = job.appendingPathComponent("manifest.json").path
        #expect(throws: JobError.invalidField(path: manifest, field: "frameCount", reason: "must be an integer (found 12.5)")) {
            try JobFolder(job).status()
        }
    }

    @Test("status of a job whose frames are partly rendered lists the missing ranges without walking the frames")
    func statusRanges() {
        let status = JobStatus(frames: 0..<1_000_000_000, rendered: [0, 1, 5, 999_999_999, -3, 2_000_000_000])
        #expect(status.missing == [2..<5, 6..<999_999_999])
        #expect(status.done == 4)
        #expect(JobStatus(frames: 10..<20, rendered: []).missing == [10..<20])
        #expect(JobStatus(frames: 10..<13, rendered: [10, 11, 12]).isComplete)
    }

    @Test(
        "through the CLI: status and finish print one Error: line naming the file and the field, and exit 1",
        .enabled(if: DiffDubExecutable.url != nil))
    func commandLine() throws {
        let directory = try TemporaryDirectory()
        let job = directory.url.appendingPathComponent("job")
        try Self.makeJob(job)
        try Self.writePNG("frames/000003.png", width: 32, height: 32, gray: true)(job)
        let output = directory.url.appendingPathComponent("out")
        let finish = try DiffDubExecutable.run(["job", "finish", job.path, "--raw", "--output", output.path, "--quiet"])
        let frame = job.appendingPathComponent("frames/000003.png").path
        #expect(finish.status == 1)
        #expect(finish.standardError == "Error: \(frame): pixel format: 8-bit gray, expected 8-bit RGB\n")
        #expect(!FileManager.default.fileExists(atPath: output.path))

        try Self.setJSON("manifest.json", ["frameCount"], "-1")(job)
        let status = try DiffDubExecutable.run(["job", "status", job.path])
        let manifest = job.appendingPathComponent("manifest.json").path
        #expect(status.status == 1)
        #expect(status.standardOutput.isEmpty)
        #expect(status.standardError == "Error: \(manifest): frameCount: -1, expected 0 to 10000000\n")
    }
}
