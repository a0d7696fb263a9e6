import Foundation

extension DubbingRequest {
    /// The files and folders the request reads, each with its role ("video", "stage-1
    /// checkpoint"); parts held in memory are not listed.
    public var inputPaths: [OutputGuard.ProtectedPath] {
        var paths: [(String, URL)] = []
        if case .files(let stage1, let stage2, _) = models {
            paths += [("stage-1 checkpoint", stage1), ("stage-2 checkpoint", stage2)]
        }
        switch frames {
        case .video(let url): paths.append(("video", url))
        case .frameFolder(let url): paths.append(("frame folder", url))
        case .image(let url): paths.append(("image", url))
        case .source: break
        }
        switch landmarks {
        case .file(let url): paths.append(("landmarks", url))
        case .detect(let detection):
            if let url = detection.detector { paths.append(("face detector", url)) }
            if let url = detection.landmarkModel { paths.append(("landmark model", url)) }
        case .track: break
        }
        switch speech {
        case .hubertFeatures(let url): paths.append(("Hubert features", url))
        case .hubertModel(let url): paths.append(("Hubert model folder", url))
        case .features: break
        }
        if let audio { paths.append(("audio", audio)) }
        if case .file(let url) = noise { paths.append(("noise", url)) }
        return paths.map { OutputGuard.ProtectedPath(role: $0.0, url: $0.1) }
    }

    /// What the output may replace: never an input (``inputPaths``) or the working directory;
    /// an existing output only with ``overwrite``.
    public var outputGuard: OutputGuard { OutputGuard(protecting: inputPaths, overwrite: overwrite) }

    /// Refuses an output path that would destroy a file or folder (``OutputGuard``), with
    /// `protected` guarded as the inputs are (a job folder); a sink output is not checked.
    ///
    /// ``run(progress:)`` calls it before any model runs.
    ///
    /// - Throws: ``OutputRefusal`` naming the path and why.
    public func checkOutput(protecting protected: [OutputGuard.ProtectedPath] = []) throws {
        var outputGuard = outputGuard
        outputGuard.protected += protected
        switch output {
        case .video(let url), .frameFolder(let url): try outputGuard.check(url)
        case .sink: break
        }
    }
}
