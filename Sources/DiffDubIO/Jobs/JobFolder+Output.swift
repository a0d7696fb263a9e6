import Foundation

extension JobFolder {
    /// The role of the job folder in ``OutputRefusal`` messages.
    package static let outputGuardRole = "job folder"

    /// Refuses an output of ``finish(output:raw:audio:overwrite:progress:)`` that would
    /// destroy the job (the folder, anything in it, a folder holding it), an input of
    /// `request` or `audio`, the working directory or a folder this tool did not write; an
    /// existing output is replaced only with `overwrite` (``OutputGuard``).
    ///
    /// - Throws: ``OutputRefusal`` naming the output and why.
    package func checkFinishOutput(
        _ output: DubbingRequest.Output, request: DubbingRequest, audio: URL?, overwrite: Bool
    ) throws {
        var request = request
        request.output = output
        request.overwrite = overwrite
        if let audio { request.audio = audio }
        try request.checkOutput(protecting: [OutputGuard.ProtectedPath(role: Self.outputGuardRole, url: url)])
    }
}
