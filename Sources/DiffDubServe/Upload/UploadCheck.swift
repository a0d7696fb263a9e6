import DiffDubCore
import DiffDubIO
import Foundation

/// The checks of a new job's uploads and options, all before the job exists, each refusal one
/// line naming the field: one of `video` or `image`; speech as `hubert`, or `audio` with the
/// server's Hubert model; each file read by content (ffprobe for the video, the PNG decoder,
/// the audio decoder, the `.npy` header, shape and values against the session's stage-2
/// model); the options through ``JobOptions/init(fields:)``; `speaker` `auto` needs the
/// server's SyncNet model and a video with audio.
struct UploadCheck {
    let session: DubbingSession
    let models: ServeModels

    /// The job's options, once every upload passed.
    ///
    /// - Throws: ``ServeError`` (400).
    func check(_ form: UploadedForm) throws -> JobOptions {
        let options = try JobOptions(fields: form.fields)
        switch (form.files["video"], form.files["image"]) {
        case (nil, nil): throw ServeError.badRequest("give the clip: a video field (or an image field for a portrait)")
        case (.some, .some): throw ServeError.badRequest("give either video or image, not both")
        default: break
        }
        if form.files["hubert"] == nil {
            guard form.files["audio"] != nil else {
                throw ServeError.badRequest("give the speech: an audio field (WAV or anything ffmpeg reads) or a hubert field (.npy)")
            }
            guard models.hubertModel != nil else {
                throw ServeError.badRequest(
                    "this server has no Hubert model (--hubert-model) to compute features from audio: send a hubert field (.npy) too")
            }
        }
        if options.speaker == .automatic {
            guard models.syncnetModel != nil else {
                throw ServeError.badRequest(
                    "speaker auto: this server has no SyncNet model (--syncnet-model, or `diffdub models download syncnet`) to find the speaker with")
            }
            guard form.files["video"] != nil else { throw ServeError.badRequest("speaker auto needs a video (with its own audio)") }
        }
        if let (url, name) = form.files["video"].map({ ($0.url, $0.filename) }) {
            try field("video", name, url) {
                let source = try VideoFileSource(url)
                guard source.info.width > 0, source.info.height > 0 else { throw ServeError.badRequest("no picture") }
                if options.speaker == .automatic, !source.info.hasAudio {
                    throw ServeError.badRequest("no audio of its own to find the speaker by (speaker auto)")
                }
            }
        }
        if let (url, name) = form.files["image"].map({ ($0.url, $0.filename) }) {
            try field("image", name, url) { _ = try PNGFile.read(url) }
            if !options.oneShot { throw ServeError.badRequest("one_shot false (few-shot) needs a video; a portrait is one-shot") }
        }
        if let (url, name) = form.files["audio"].map({ ($0.url, $0.filename) }) {
            try field("audio", name, url) {
                let clip = try AudioFile.read(url)
                guard clip.frameCount > 0 else { throw DubbingRequestError.emptyAudio(path: url.path) }
                guard !clip.isSilent else { throw AudioError.silent(path: url.path) }
            }
        }
        if let (url, name) = form.files["hubert"].map({ ($0.url, $0.filename) }) {
            try field("hubert", name, url) { try checkFeatures(url) }
        }
        return options
    }

    /// Refuses features that are not `[layers, T, width]` (or with a leading 1) of the stage-2
    /// model, or that hold NaN or infinite values.
    private func checkFeatures(_ url: URL) throws {
        let features = try NumPyFile.readTensor(url)
        let configuration = session.dubber.lipPredictor.configuration
        let shape = features.rank == 4 && features.shape[0] == 1 ? Array(features.shape.dropFirst()) : features.shape
        guard shape.count == 3, shape[0] == configuration.hubertLayers, shape[1] > 0, shape[2] == configuration.audioWidth
        else {
            throw ServeError.badRequest(
                "shape \(features.shape), expected [\(configuration.hubertLayers), T, \(configuration.audioWidth)] (or with a leading 1)")
        }
        try DubbingSession.checkFinite(features, input: url.path)
    }

    /// Runs `check` on the upload of `field`, turning any failure into a 400 naming the field
    /// and the client's file name (never the server's path).
    private func field(_ field: String, _ name: String, _ url: URL, _ check: () throws -> Void) throws {
        do {
            try check()
        } catch {
            var message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            message = message.replacingOccurrences(of: url.path + ": ", with: "")
                .replacingOccurrences(of: url.path, with: field)
            let line = message.split(separator: "\n").first.map(String.init) ?? "unreadable"
            throw ServeError.badRequest("\(field) \(JobOptions.quote(name)): \(line)")
        }
    }
}
