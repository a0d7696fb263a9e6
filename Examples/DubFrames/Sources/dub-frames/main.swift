// dub-frames: dubs a folder of square face frames with the released DiffDub checkpoints and
// writes the model-resolution frames, exactly as the original writes them, to a new folder.
//
//   dub-frames --stage1 S1 --stage2 S2 --frames DIR --landmarks DIR --hubert H.npy
//              [--noise XT.npy] [--reference-frame K] [--steps N] [--image-size S]
//              [--cancel-after-frames K] --output OUT_DIR
import DiffDubCore
import DiffDubIO
import Foundation

/// The value after each `--name` on the command line.
let arguments: [String: String] = {
    var values: [String: String] = [:]
    var words = CommandLine.arguments.dropFirst()
    while let name = words.popFirst() {
        guard name.hasPrefix("--"), let value = words.popFirst() else {
            FileHandle.standardError.write(Data("dub-frames: expected --name value pairs, got \(name)\n".utf8))
            exit(64)
        }
        values[String(name.dropFirst(2))] = value
    }
    return values
}()
let path = { (name: String) in arguments[name].map { URL(fileURLWithPath: $0) } }
let number = { (name: String) in arguments[name].flatMap { Int($0) } }
guard let stage1 = path("stage1"), let stage2 = path("stage2"), let frames = path("frames"),
    let landmarks = path("landmarks"), let hubert = path("hubert"), let output = path("output")
else {
    FileHandle.standardError.write(Data("usage: see the comment at the top of main.swift\n".utf8))
    exit(64)
}

// One request describes the whole dub: models, frames, landmarks, speech, noise, options, output.
let request = DubbingRequest(
    models: .files(stage1: stage1, stage2: stage2, imageSize: number("image-size")),
    frames: .frameFolder(frames),
    landmarks: .file(landmarks),
    speech: .hubertFeatures(hubert),
    noise: path("noise").map { .file($0) } ?? .seed(0),
    // The original's output: model-resolution frames, min(speech, video) of them.
    options: DubbingOptions(
        referenceFrame: number("reference-frame") ?? 0, steps: number("steps") ?? 20, raw: true, fit: .shortest),
    output: .frameFolder(output))  // 000000.png, 000001.png, ...: appears only when complete

// Progress arrives after every denoising step; the handler's answer decides whether the run
// goes on: this program stops it after K frames if asked to (a stopped run removes its partial
// output and throws CancellationError, as a cancelled task does).
let cancelAfter = number("cancel-after-frames")
let task = Task {
    try await request.run { report in
        guard report.stage == .rendering, report.step == nil else { return .proceed }
        FileHandle.standardError.write(Data("frame \(report.completed)/\(report.total)\n".utf8))
        if let cancelAfter, report.completed >= cancelAfter { return .stop }
        return .proceed
    }
}

do {
    let summary = try await task.value
    print("wrote \(summary.renderedFrames.count) frames to \(output.path)")
} catch is CancellationError {
    FileHandle.standardError.write(Data("dub-frames: cancelled; nothing was written\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
    exit(1)
}
