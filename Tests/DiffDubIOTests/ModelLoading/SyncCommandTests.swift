import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// `diffdub sync --cropped` end to end on the sync fixture (syncnet_python's scores on random
/// weights), and the inputs it refuses with one line and exit status 1.
@Suite(.enabled(if: DiffDubExecutable.url != nil && FFmpeg.isAvailable, "needs the built diffdub and ffmpeg"))
struct SyncCommandTests {
    static let model = Fixtures.url("sync/syncnet.model").path
    static let clip = Fixtures.url("sync/clip.mp4").path

    @Test func jsonScoresMatchSyncNetInstance() throws {
        let result = try DiffDubExecutable.run(["sync", "--model", Self.model, "--cropped", Self.clip, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let expected = try Fixtures.json("sync/expected.json")
        #expect(object["windows"] as? Int == expected["windows"] as? Int)
        #expect(object["offset"] as? Int == expected["offset"] as? Int)
        for key in ["min_dist", "confidence"] {
            let (a, e) = (try #require(object[key] as? Double), try #require(expected[key] as? Double))
            #expect(abs(a - e) < 1e-3, "\(key)")
        }
        let framewise = try #require(object["framewise_conf"] as? [Double])
        let expectedFramewise = try #require(expected["framewise_conf"] as? [Double])
        #expect(framewise.count == expectedFramewise.count)
        for (a, e) in zip(framewise, expectedFramewise) { #expect(abs(a - e) < 1e-3) }
        #expect(result.standardOutput.hasPrefix("{\"windows\": 70, \"offset\": -15, \"min_dist\": "))
    }

    @Test func withoutJSONItPrintsOneReadableLine() throws {
        let directory = try TemporaryDirectory()
        // The clip's own speech given as a separate WAV scores the same.
        let wav = directory.url.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: URL(fileURLWithPath: Self.clip), to: wav)
        let result = try DiffDubExecutable.run(["sync", "--model", Self.model, "--cropped", Self.clip, "--audio", wav.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "\(Self.clip): 70 windows, offset -15 frames, LSE-D 8.448, LSE-C 0.032\n")
    }

    @Test func withoutModelItUsesTheDownloadedOne() throws {
        let models = try TemporaryDirectory()
        let home = try TemporaryDirectory()
        let environment = ["DIFFDUB_MODELS": models.url.path, "HOME": home.url.path]
        let missing = try DiffDubExecutable.run(["sync", "--cropped", Self.clip], environment: environment)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("diffdub models download syncnet"), "\(missing.standardError)")
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: Self.model), to: models.url.appendingPathComponent(ReleasedModel.syncNetFileName))
        let result = try DiffDubExecutable.run(["sync", "--cropped", Self.clip], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("70 windows, offset -15 frames, LSE-D 8.448"), "\(result.standardOutput)")
    }

    @Test func badInputsFailWithOneLineAndStatusOne() throws {
        let directory = try TemporaryDirectory()
        let short = directory.url.appendingPathComponent("short.mp4")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-frames:v", "4", "-c:v", "libx264", "-c:a", "aac", short.path])
        let silentVideo = directory.url.appendingPathComponent("mute.mp4")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-an", "-c:v", "copy", silentVideo.path])
        let small = directory.url.appendingPathComponent("small.mp4")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-vf", "scale=112:112", "-c:v", "libx264", "-an", small.path])
        let blip = directory.url.appendingPathComponent("blip.wav")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-t", "0.15", "-vn", "-ac", "1", "-ar", "16000", blip.path])
        let narrow = directory.url.appendingPathComponent("narrow.safetensors")
        var stateDict = try WeightFile.checkpoint(contentsOf: URL(fileURLWithPath: Self.model))
        stateDict.set(TensorRecord(Tensor(zeros: [128, 96, 1, 5, 5])), forKey: "netcnnlip.4.weight")
        try SafeTensorsFile.write(stateDict, to: narrow)

        let five = directory.url.appendingPathComponent("five.mp4")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-frames:v", "5", "-c:v", "libx264", "-c:a", "aac", five.path])

        let cases: [([String], String)] = [
            (["--cropped", short.path], "4 frames"),
            // Five frames give evaluate no window (min(frames, samples / 640) - 5 = 0).
            (["--cropped", five.path], "5 frames; SyncNet needs at least 6"),
            (["--cropped", silentVideo.path], silentVideo.path),
            (["--cropped", small.path], "112x112"),
            (["--cropped", Self.clip, "--audio", blip.path], "0.24 s"),
            (["--cropped", Self.clip, "--audio", directory.url.appendingPathComponent("none.wav").path], "no such file"),
        ]
        for (arguments, needle) in cases {
            let result = try DiffDubExecutable.run(["sync", "--model", Self.model] + arguments)
            #expect(result.status == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.hasPrefix("Error: ") && result.standardError.contains(needle), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        let wrongModel = try DiffDubExecutable.run(["sync", "--model", narrow.path, "--cropped", Self.clip])
        #expect(wrongModel.status == 1)
        #expect(wrongModel.standardError.contains("netcnnlip.4.weight"), "\(wrongModel.standardError)")
        #expect(wrongModel.standardError.split(separator: "\n").count == 1)
    }

    static let detector = Fixtures.url("detector/faceboxesv2.pth").path

    /// A 0.4 s (10 frame) video of two_faces.png with the sync clip's speech.
    static func twoFaceVideo(in directory: TemporaryDirectory) throws -> URL {
        let video = directory.url.appendingPathComponent("two_faces.mp4")
        try FFmpeg.run([
            "-v", "error", "-loop", "1", "-framerate", "25", "-i", Fixtures.url("detector/inputs/two_faces.png").path,
            "-i", clip, "-map", "0:v", "-map", "1:a", "-t", "0.4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
            video.path,
        ])
        return video
    }

    @Test func videoScoresEachFaceTrackAsItsCropsScore() throws {
        let directory = try TemporaryDirectory()
        let video = try Self.twoFaceVideo(in: directory)
        let result = try DiffDubExecutable.run([
            "sync", "--model", Self.model, "--detector", Self.detector, "--video", video.path, "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let tracks = try #require(object["tracks"] as? [[String: Any]])
        #expect(tracks.count == 2)
        #expect(tracks.map { $0["face"] as? Int } == [0, 1])
        #expect(tracks.map { $0["first_frame"] as? Int } == [0, 0])
        #expect(tracks.map { $0["frames"] as? Int } == [10, 10])
        for track in tracks {
            #expect(Set(track.keys).isSuperset(of: ["face", "first_frame", "frames", "offset", "min_dist", "confidence"]))
        }

        // The same tracks in the library: face 0 is the left one (two_faces.png is 1280 wide,
        // its faces either side of the middle); its crops written out score the same with --cropped.
        let source = try VideoFileSource(video)
        let options = FaceTrackingOptions()
        let detections = try FaceDetections.detect(
            in: source, detector: try FaceBoxesDetector(checkpoint: URL(fileURLWithPath: Self.detector)), options: options)
        let found = detections.faceTracks(options: options)
        #expect(found.count == 2)
        #expect(found[0].boxes[0].center.x < 640 && found[1].boxes[0].center.x > 640)
        let crops = try SyncFaceCrop.images(of: found[1], in: source)
        let frames = directory.url.appendingPathComponent("crops")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        for (i, crop) in crops.enumerated() {
            try PNGFile.write(crop, to: frames.appendingPathComponent(String(format: "%03d.png", i)))
        }
        let cropClip = directory.url.appendingPathComponent("face1.mkv")
        try FFmpeg.run([
            "-v", "error", "-framerate", "25", "-i", frames.appendingPathComponent("%03d.png").path, "-c:v", "png",
            cropClip.path,
        ])
        let speech = directory.url.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: video, to: speech)
        let cropped = try DiffDubExecutable.run([
            "sync", "--model", Self.model, "--cropped", cropClip.path, "--audio", speech.path, "--json",
        ])
        #expect(cropped.status == 0, "\(cropped.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(cropped.standardOutput.utf8)) as? [String: Any])
        #expect(scores["offset"] as? Int == tracks[1]["offset"] as? Int)
        for key in ["min_dist", "confidence"] {
            let (a, e) = (try #require(scores[key] as? Double), try #require(tracks[1][key] as? Double))
            #expect(abs(a - e) < 1e-5, "\(key)")
        }
    }

    @Test func videoWithoutALongEnoughFaceTrackFailsWithOneLine() throws {
        let directory = try TemporaryDirectory()
        let blank = directory.url.appendingPathComponent("blank.mp4")
        try FFmpeg.run([
            "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240:d=0.4:r=25", "-i", Self.clip, "-map", "0:v",
            "-map", "1:a", "-t", "0.4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", blank.path,
        ])
        let twoFaces = try Self.twoFaceVideo(in: directory)
        let fourFrames = directory.url.appendingPathComponent("four.mp4")
        try FFmpeg.run(["-v", "error", "-i", twoFaces.path, "-frames:v", "4", "-c:v", "libx264", "-c:a", "aac", fourFrames.path])
        let mute = directory.url.appendingPathComponent("mute.mp4")
        try FFmpeg.run(["-v", "error", "-i", twoFaces.path, "-an", "-c:v", "copy", mute.path])
        let blip = directory.url.appendingPathComponent("blip.wav")
        try FFmpeg.run(["-v", "error", "-i", Self.clip, "-t", "0.15", "-vn", "-ac", "1", "-ar", "16000", blip.path])
        let cases: [([String], String)] = [
            (["--video", blank.path, "--detector", Self.detector], "no face was followed for 6 frames or more (10 frames read)"),
            (["--video", fourFrames.path, "--detector", Self.detector], "no face was followed for 6 frames or more (4 frames read)"),
            (["--video", mute.path, "--detector", Self.detector], mute.path),
            (["--video", twoFaces.path, "--detector", Self.detector, "--audio", blip.path], "SyncNet needs at least 0.24 s"),
        ]
        for (arguments, needle) in cases {
            let result = try DiffDubExecutable.run(["sync", "--model", Self.model] + arguments)
            #expect(result.status == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.hasPrefix("Error: ") && result.standardError.contains(needle), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        let both = try DiffDubExecutable.run(["sync", "--model", Self.model, "--video", blank.path, "--cropped", Self.clip])
        #expect(both.status != 0)
        #expect(both.standardError.contains("one of --cropped"), "\(both.standardError)")
    }

    /// `dub` and `job prepare` note, before rendering (preparing) and also with `--quiet`, when
    /// the input is out of sync with its own audio, whenever a SyncNet model is found (here in
    /// the model folder, without `--score`) or given (`--syncnet-model`); without one they say
    /// nothing. Random weights give an arbitrary offset, so the note is checked against the
    /// decision on the same scores computed here.
    @Test func dubAndJobPrepareNoteTheInputsOwnOffsetWheneverAModelIsFound() throws {
        let directory = try TemporaryDirectory()
        let video = try Self.twoFaceVideo(in: directory)
        let speech = directory.url.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: video, to: speech)

        // What the dub scores: every face as the dub follows it, against the video's own audio.
        let source = try VideoFileSource(video)
        let options = FaceTrackingOptions()
        let detections = try FaceDetections.detect(
            in: source, detector: try FaceBoxesDetector(checkpoint: URL(fileURLWithPath: Self.detector)), options: options)
        let samples = SyncNet.pcm16Scaled(try AudioExtractor.decode(video, sampleRate: 16000, channels: 1).samples)
        let tracks = try SyncNet(checkpoint: URL(fileURLWithPath: Self.model))
            .evaluate(tracks: detections.faceTracks(options: options), in: source, samples: samples)
        #expect(tracks.count == 2)

        let models = try TemporaryDirectory()
        let emptyModels = try TemporaryDirectory()
        let home = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: Self.model), to: models.url.appendingPathComponent(ReleasedModel.syncNetFileName))
        let inputs = [
            "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--image-size", "32", "--video", video.path, "--hubert", Fixtures.url("pipeline/hubert.npy").path,
            "--detector", Self.detector, "--landmark-model", Fixtures.url("pipnet/pipnet.pth").path, "--steps", "2",
            "--quiet", "--audio", speech.path,
        ]
        let cases: [(face: Int, folder: TemporaryDirectory, given: Bool)] = [
            (0, models, false), (1, models, false), (1, emptyModels, false), (0, emptyModels, true),
        ]
        for (face, folder, given) in cases {
            for command in ["dub", "prepare"] {
                let name = "\(command)\(face)\(folder === models ? "" : "-none")\(given ? "-given" : "")"
                let output = directory.url.appendingPathComponent(command == "dub" ? "\(name).mp4" : name)
                let arguments =
                    (command == "dub" ? ["dub", "--output", output.path] : ["job", "prepare", output.path]) + inputs
                    + ["--face", "\(face)"] + (given ? ["--syncnet-model", Self.model] : [])
                let result = try DiffDubExecutable.run(
                    arguments, environment: ["DIFFDUB_MODELS": folder.url.path, "HOME": home.url.path])
                #expect(result.status == 0, "\(name): \(result.standardError)")
                #expect(FileManager.default.fileExists(atPath: output.path), "\(name)")
                let notes = result.standardError.split(separator: "\n").filter { $0.hasPrefix("note: ") && $0.contains("out of sync") }
                var dubbed = options
                dubbed.choice = .index(face)
                let expected = folder === models || given ? TrackSyncScores.firstOutOfSync(tracks, dubbing: dubbed) : nil
                if let expected {
                    #expect(notes.count == 1, "\(name): \(result.standardError)")
                    #expect(
                        notes.first?.hasPrefix(
                            "note: \(video.path): face \(face) is \(abs(expected.scores.offset)) frames out of sync with the video's own audio (SyncNet offset \(expected.scores.offset) in shot 0"
                        ) == true, "\(name): \(result.standardError)")
                } else {
                    #expect(notes.isEmpty, "\(name): \(result.standardError)")
                }
            }
        }
    }

    @Test func dubScoreWithoutAModelFailsBeforeAnyWork() throws {
        let directory = try TemporaryDirectory()
        let models = try TemporaryDirectory()
        let home = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out.mp4")
        let common = [
            "dub", "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--video", Self.clip, "--hubert", Fixtures.url("pipeline/hubert.npy").path, "--score",
        ]
        let environment = ["DIFFDUB_MODELS": models.url.path, "HOME": home.url.path]
        let cases: [([String], String)] = [
            (["--audio", Self.clip, "--output", output.path], "diffdub models download syncnet"),
            (["--audio", Self.clip, "--output", directory.url.appendingPathComponent("frames").path], "needs an .mp4 output"),
            (["--syncnet-model", Self.model, "--output", output.path], "--score needs --audio"),
        ]
        for (arguments, needle) in cases {
            let result = try DiffDubExecutable.run(common + arguments, environment: environment)
            #expect(result.status == 1, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(needle), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// `dub --speaker auto --score`: the speaker chosen per shot, the note on the input's own
    /// sync from the same scores (face numbers as the dub's), and the output's scores, a line
    /// per face track.
    @Test func dubSpeakerAutoWithScoreRunsEndToEnd() throws {
        let directory = try TemporaryDirectory()
        let home = try TemporaryDirectory()
        let video = try Self.twoFaceVideo(in: directory)
        let speech = directory.url.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: video, to: speech)
        let output = directory.url.appendingPathComponent("out.mp4")
        let result = try DiffDubExecutable.run(
            [
                "dub", "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
                "--image-size", "32", "--video", video.path, "--hubert", Fixtures.url("pipeline/hubert.npy").path,
                "--detector", Self.detector, "--landmark-model", Fixtures.url("pipnet/pipnet.pth").path, "--steps", "2",
                "--output", output.path, "--quiet", "--audio", speech.path, "--speaker", "auto", "--syncnet-model", Self.model,
                "--score",
            ], environment: ["HOME": home.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        let errors = result.standardError.split(separator: "\n")
        let speaker = try #require(errors.first { $0.hasPrefix("speaker: shot 0 (frames 0..<10): face ") }, "\(result.standardError)")
        let face = try #require(Int(speaker.dropFirst("speaker: shot 0 (frames 0..<10): face ".count).prefix { $0.isNumber }))
        #expect(speaker.contains("face \(face) of 2"))
        // Random weights put both faces 15 frames off: the chosen face is noted.
        let notes = errors.filter { $0.hasPrefix("note: \(video.path): face \(face) is 15 frames out of sync") }
        #expect(notes.count == 1, "\(result.standardError)")
        // The output's faces as the detector finds them again (the dubbed face, rendered by the
        // random test weights, may not be found): a line per track.
        let lines = result.standardOutput.split(separator: "\n")
        #expect((1...2).contains(lines.count), "\(result.standardOutput)")
        for line in lines {
            #expect(line.hasPrefix("\(output.path): shot 0 face ") && line.contains(": first frame 0, 10 frames, offset "), "\(line)")
        }
    }

    @Test func dubSpeakerBeyondTheFacesIsOneLine() throws {
        let directory = try TemporaryDirectory()
        let video = try Self.twoFaceVideo(in: directory)
        let output = directory.url.appendingPathComponent("out.mp4")
        let speakers = directory.url.appendingPathComponent("speakers.txt")
        try "0 0.2 0\n0.2 nine 1\n".write(to: speakers, atomically: true, encoding: .utf8)
        let speech = directory.url.appendingPathComponent("speech.wav")
        try AudioExtractor.extractWAV(from: video, to: speech)
        let common = [
            "dub", "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--image-size", "32", "--video", video.path, "--hubert", Fixtures.url("pipeline/hubert.npy").path,
            "--detector", Self.detector, "--landmark-model", Fixtures.url("pipnet/pipnet.pth").path, "--steps", "2",
            "--output", output.path, "--quiet", "--audio", speech.path,
        ]
        let beyond = try DiffDubExecutable.run(common + ["--speaker", "3"])
        #expect(beyond.status == 1, "\(beyond.standardError)")
        let cases: [([String], String)] = [
            (["--speaker", "3"], "there is no face 3 to dub: the clip has 2 faces"),
            (["--speakers", speakers.path], "line 2 is not `start end face`"),
            (["--speaker", "1", "--face", "0"], "only one of --face, --speaker and --speakers"),
        ]
        for (arguments, needle) in cases {
            let result = try DiffDubExecutable.run(common + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(needle), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
