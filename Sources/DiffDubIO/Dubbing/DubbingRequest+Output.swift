import Foundation

extension DubbingRequest {
    /// The files and folders the request reads, each with its role ("video", "stage-1
    /// checkpoint"); parts held in memory are not listed.
    package var inputPaths: [OutputGuard.ProtectedPath] {
        // Without locating face models nothing throws: the given paths only.
        ((try? inputFiles(locatingFaceModels: false)) ?? []).map { OutputGuard.ProtectedPath(role: $0.role, url: $0.url) }
    }

    /// What the output may replace: never an input (``inputPaths``) or the working directory;
    /// an existing output only with ``overwrite``.
    package var outputGuard: OutputGuard { OutputGuard(protecting: inputPaths, overwrite: overwrite) }

    /// Refuses an output path that would destroy a file or folder (``OutputGuard``), with
    /// `protected` guarded as the inputs are (a job folder); a sink output is not checked.
    ///
    /// ``run(progress:)`` calls it before any model runs.
    ///
    /// - Throws: ``OutputRefusal`` naming the path and why.
    package func checkOutput(protecting protected: [OutputGuard.ProtectedPath] = []) throws {
        var outputGuard = outputGuard
        outputGuard.protected += protected
        switch output {
        case .video(let url), .frameFolder(let url): try outputGuard.check(url)
        case .sink: break
        }
    }
}
