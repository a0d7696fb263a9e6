import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird
import HummingbirdTesting
import IOTestSupport
import TestSupport
import Testing

import DiffDubServe

/// `speaker=auto`: the speaking face of each shot chosen with SyncNet while the job is
/// prepared, as `dub --speaker auto` chooses it (the random-weight SyncNet fixture), and the
/// refusals when the server has no SyncNet model or the clip has no audio.
extension APIRoutesTests {
    /// The fixture models plus the random-weight SyncNet.
    static var modelsWithSyncNet: ServeModels {
        var models = ServeFixture.models
        models.syncnetModel = Fixtures.url("sync/syncnet.model")
        return models
    }

    /// 10 frames (0.4 s) of the two-face picture with the sync clip's speech, H.264 and AAC.
    static func twoFaceVideo(in directory: URL) throws -> URL {
        let video = directory.appendingPathComponent("two_faces.mp4")
        try FFmpeg.run([
            "-v", "error", "-loop", "1", "-framerate", "25", "-i", Fixtures.url("detector/inputs/two_faces.png").path,
            "-i", Fixtures.url("sync/clip.mp4").path, "-map", "0:v", "-map", "1:a", "-t", "0.4", "-c:v", "libx264",
            "-pix_fmt", "yuv420p", "-c:a", "aac", video.path,
        ])
        return video
    }

    /// The two-face clip, its speech as a WAV, the fixture features, 2 steps, `speaker=auto`.
    static func autoForm(in directory: URL) throws -> MultipartForm {
        let video = try twoFaceVideo(in: directory)
        let speech = directory.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: video, to: speech)
        var form = MultipartForm()
        try form.file("video", video)
        try form.file("audio", speech)
        try form.file("hubert", ServeFixture.hubert)
        form.field("steps", "2")
        form.field("seed", "3")
        form.field("speaker", "auto")
        return form
    }

    @Test(
        "speaker=auto: the faces chosen while preparing are dub --speaker auto's, and the output equals dub's with those spans",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func speakerAutoEqualsDub() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let server = try ServeServer(
            configuration: ServeFixture.configuration(data: data), models: Self.modelsWithSyncNet, session: ServeFixture.session)
        let form = try Self.autoForm(in: directory.url)
        let (id, output, shots) = try await ServeFixture.application(server).test(.router) { client in
            let id = try await Self.create(client, form)
            let end = try await Self.waitForEnd(client, id)
            #expect(end["status"] as? String == "done", "\(end)")
            let options = try #require(end["options"] as? [String: Any])
            #expect(options["speaker"] as? String == "auto")
            let speakers = try #require(end["speakers"] as? [[String: Any]], "\(end)")
            let shots = speakers.map { shot in
                [shot["face"] as? Int, shot["start_frame"] as? Int, shot["end_frame"] as? Int].map { $0 ?? -1 }
            }
            let lines = speakers.map { ($0["line"] as? String) ?? "" }
            let output = try await client.execute(uri: "/api/jobs/\(id)/output", method: .get) { response in
                #expect(response.status == .ok)
                return Data(response.body.readableBytesView)
            }
            return (id, output, zip(shots, lines).map { ShotSeen(numbers: $0, line: $1) })
        }

        // What `dub --speaker auto` chooses on the same upload.
        let inputs = data.appendingPathComponent("serve/\(id)/inputs")
        let video = inputs.appendingPathComponent("video")
        let choice = try SpeakerSearch.choose(
            video: video, syncNetModel: Fixtures.url("sync/syncnet.model"), detector: ServeFixture.models.detector)
        #expect(choice.spans.count == 1)
        #expect(choice.spans.first?.frames == 0..<10)
        #expect(shots.map(\.numbers) == choice.spans.map { [$0.face, $0.frames.lowerBound, $0.frames.upperBound] })
        for (shot, line) in zip(shots, choice.report) {
            #expect(shot.line.hasPrefix("speaker: shot 0 (frames 0..<10): face ") && shot.line.contains(" of 2 (LSE-C "), "\(shot.line)")
            #expect(shot.line.components(separatedBy: " (LSE-C").first == line.components(separatedBy: " (LSE-C").first)
        }

        // `dub` with the chosen spans (as `dub --speaker auto` puts them into the request).
        let dubbed = directory.url.appendingPathComponent("dub.mp4")
        var detection = DubbingRequest.FaceDetection(
            detector: ServeFixture.models.detector, landmarkModel: ServeFixture.models.landmarkModel)
        detection.tracking.speakers = choice.spans
        var request = DubbingRequest(
            models: .files(stage1: ServeFixture.models.stage1, stage2: ServeFixture.models.stage2, imageSize: 32),
            frames: .video(video), landmarks: .detect(detection),
            speech: .hubertFeatures(inputs.appendingPathComponent("hubert.npy")),
            audio: inputs.appendingPathComponent("audio"), noise: .seed(3), output: .video(dubbed))
        request.options.steps = 2
        _ = try await request.run()
        #expect(output == (try Data(contentsOf: dubbed)))

        // The job folder keeps the choice in its request, as `job prepare --speaker auto` does.
        let manifest = try JobFolder(data.appendingPathComponent(id)).manifest()
        guard case .detect(let kept) = manifest.request.landmarks else {
            Issue.record("the job's request detects no faces")
            return
        }
        #expect(kept.tracking.speakers == choice.spans)
    }

    @Test(
        "speaker=auto is refused with 400 and leaves no job: without a SyncNet model, with a portrait, with a mute video",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func speakerAutoRefusals() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let withoutModel = try ServeFixture.server(data: data)
        let form = try Self.autoForm(in: directory.url)
        try await ServeFixture.application(withoutModel, workers: false).test(.router) { client in
            try await client.execute(uri: "/api/jobs", method: .post, headers: form.headers, body: form.body) { response in
                #expect(response.status == .badRequest, "\(String(buffer: response.body))")
                let error = response.errorMessage ?? ""
                #expect(error.contains("speaker auto") && error.contains("SyncNet"), "\(error)")
            }
            #expect(jobEntries(in: data).isEmpty, "\(jobEntries(in: data))")
            var badValue = form
            badValue.parts[5] = ("speaker", nil, Data("loud".utf8))
            try await client.execute(uri: "/api/jobs", method: .post, headers: badValue.headers, body: badValue.body) { response in
                #expect(response.status == .badRequest)
                #expect(response.errorMessage?.contains("speaker \"loud\": expected a face number (0 or more) or auto") == true)
            }
        }
        let server = try ServeServer(
            configuration: ServeFixture.configuration(data: data), models: Self.modelsWithSyncNet, session: ServeFixture.session)
        var portrait = form
        portrait.parts[0] = ("image", "portrait.png", try Data(contentsOf: Fixtures.url("detector/inputs/portrait.png")))
        let mute = directory.url.appendingPathComponent("mute.mp4")
        let twoFaces = directory.url.appendingPathComponent("two_faces.mp4")  // made by autoForm
        try FFmpeg.run(["-v", "error", "-i", twoFaces.path, "-an", "-c:v", "copy", mute.path])
        var muteForm = form
        muteForm.parts[0] = ("video", "mute.mp4", try Data(contentsOf: mute))
        let cases = [
            ("portrait", portrait, "speaker auto needs a video"), ("mute", muteForm, "video \"mute.mp4\": no audio of its own"),
        ]
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            for (name, refused, message) in cases {
                try await client.execute(uri: "/api/jobs", method: .post, headers: refused.headers, body: refused.body) { response in
                    #expect(response.status == .badRequest, "\(name): \(String(buffer: response.body))")
                    #expect(response.errorMessage?.contains(message) == true, "\(name): \(response.errorMessage ?? "")")
                }
                #expect(jobEntries(in: data).isEmpty, "\(name) left \(jobEntries(in: data))")
            }
        }
    }
}

/// A shot of a job's `speakers` as the API answered it: face, first frame, end frame; the line.
struct ShotSeen: Sendable {
    var numbers: [Int]
    var line: String
}
