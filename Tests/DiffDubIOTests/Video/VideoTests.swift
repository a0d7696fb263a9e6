import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Encoding and decoding through the ffmpeg/ffprobe executables (they must be installed).
@Suite struct VideoTests {
    /// A smooth 64x48 frame (gradients shifted by `index`), easy on the encoder.
    static func frame(_ index: Int, height: Int = 48, width: Int = 64) -> RGBImage {
        var image = RGBImage(height: height, width: width)
        for y in 0..<height {
            for x in 0..<width {
                image[y, x, 0] = UInt8(truncatingIfNeeded: 40 + 2 * x + 10 * index)
                image[y, x, 1] = UInt8(60 + 3 * y)
                image[y, x, 2] = UInt8(200 - x - y)
            }
        }
        return image
    }

    static func sineWAV(at url: URL, seconds: Double) throws {
        let rate = 44100
        let samples = (0..<Int(seconds * Double(rate))).map {
            Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(rate)))
        }
        try AudioFile.write(AudioClip(samples: samples, channels: 1, sampleRate: rate), to: url)
    }

    @Test func writesMP4WithAudioAndReadsItBack() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let wav = folder.file("tone.wav")
        try Self.sineWAV(at: wav, seconds: 0.2)
        let video = folder.file("out.mp4")
        let writer = try VideoWriter(video, width: 64, height: 48, audio: wav)
        let frames = (0..<5).map { Self.frame($0) }
        for frame in frames { try writer.write(frame) }
        try writer.finish()
        #expect(folder.contents() == ["out.mp4", "tone.wav"])

        let info = try VideoProbe.info(video)
        #expect(info.width == 64 && info.height == 48)
        #expect(info.hasAudio)
        #expect(abs(info.frameRate - 25) < 1e-9)
        #expect(try VideoProbe.countFrames(video) == 5)

        let reader = try VideoReader(video)
        #expect(reader.width == 64 && reader.height == 48)
        let decoded = try reader.readAll()
        #expect(decoded.count == 5)
        #expect(try reader.nextFrame() == nil)
        for (original, back) in zip(frames, decoded) {
            #expect(back.shape == original.shape)
            let mean = zip(original.pixels, back.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            #expect(Double(mean) / Double(original.pixels.count) < 3, "mean absolute error")
            #expect(maxByteDifference(original.pixels, back.pixels) <= 16)
        }

        // The soundtrack comes back through the audio helper, as 16 kHz mono.
        let audio = try AudioExtractor.decode(video)
        #expect(audio.sampleRate == 16000 && audio.channels == 1)
        #expect(abs(audio.duration - 0.2) < 0.05)
        let wavCopy = folder.file("extracted.wav")
        try AudioExtractor.extractWAV(from: video, to: wavCopy)
        let clip = try AudioFile.read(wavCopy)
        #expect(clip.sampleRate == 16000 && clip.channels == 1 && clip.frameCount > 2000)
    }

    /// The soundtrack follows the video's length: longer audio is cut, shorter is padded.
    @Test func audioIsCutOrPaddedToTheVideo() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        for seconds in [1.0, 0.08] {
            let wav = folder.file("tone.wav")
            try Self.sineWAV(at: wav, seconds: seconds)
            let video = folder.file("out.mp4")
            let writer = try VideoWriter(video, width: 16, height: 16, audio: wav)
            for i in 0..<10 { try writer.write(Self.frame(i, height: 16, width: 16)) }
            try writer.finish()
            let audio = try AudioExtractor.decode(video)
            #expect(abs(audio.duration - 0.4) < 0.06, "audio of \(seconds) s -> \(audio.duration) s")
        }
    }

    @Test func withoutAudioAndOddSize() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let video = folder.file("odd.mp4")
        let writer = try VideoWriter(video, width: 33, height: 21)
        for i in 0..<3 { try writer.write(Self.frame(i, height: 21, width: 33)) }
        #expect(throws: VideoError.frameSizeMismatch(path: video.path, expected: "33x21", found: "64x48")) {
            try writer.write(Self.frame(0))
        }
        try writer.finish()
        let info = try VideoProbe.info(video)
        #expect(info.width == 34 && info.height == 22)
        #expect(!info.hasAudio)
        // Streaming: stop after the first frame.
        let reader = try VideoReader(video)
        #expect(try reader.nextFrame()?.shape == [22, 34, 3])
        reader.close()
        #expect(try reader.nextFrame() == nil)
    }

    @Test func readerResamplesTo25FPS() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let video = folder.file("fifty.mp4")
        let writer = try VideoWriter(video, width: 16, height: 16, frameRate: 50)
        for i in 0..<20 { try writer.write(Self.frame(i, height: 16, width: 16)) }
        try writer.finish()
        #expect(try VideoReader(video).readAll().count == 10)
        #expect(try VideoReader(video, frameRate: nil).readAll().count == 20)
    }

    @Test func failuresLeaveNothingAndNameTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // Cancelled and unfinished writers remove their partial output.
        let cancelled = try VideoWriter(folder.file("cancelled.mp4"), width: 16, height: 16)
        try cancelled.write(Self.frame(0, height: 16, width: 16))
        cancelled.cancel()
        #expect(throws: VideoError.writerClosed(path: folder.file("cancelled.mp4").path)) { try cancelled.finish() }
        do {
            let dropped = try VideoWriter(folder.file("dropped.mp4"), width: 16, height: 16)
            try dropped.write(Self.frame(0, height: 16, width: 16))
        }
        // A missing audio file makes encoding fail.
        let noAudio = try VideoWriter(folder.file("bad.mp4"), width: 16, height: 16, audio: folder.file("absent.wav"))
        var failed = false
        do {
            try noAudio.write(Self.frame(0, height: 16, width: 16))
            try noAudio.finish()
        } catch let error as VideoError {
            if case .encodeFailed(let path, _) = error { failed = path.hasSuffix("bad.mp4") }
        }
        #expect(failed)
        // Writing nothing is an error too.
        let empty = try VideoWriter(folder.file("empty.mp4"), width: 16, height: 16)
        #expect(throws: VideoError.self) { try empty.finish() }
        #expect(folder.contents().isEmpty)

        let text = folder.file("notes.mp4")
        try Data("not a video".utf8).write(to: text)
        #expect {
            try VideoReader(text)
        } throws: { error in
            guard case VideoError.probeFailed(let path, _) = error else { return false }
            return path == text.path
        }
        let wav = folder.file("tone.wav")
        try Self.sineWAV(at: wav, seconds: 0.1)
        #expect(throws: VideoError.noVideoStream(path: wav.path)) { try VideoReader(wav) }
    }

    @Test func missingToolSaysHowToInstallIt() {
        #expect(throws: VideoError.toolNotFound(tool: "ffmpeg")) {
            try ExternalTool.locate("ffmpeg", searchPath: "/nonexistent/bin")
        }
        #expect("\(VideoError.toolNotFound(tool: "ffmpeg"))".contains("apt-get install ffmpeg"))
        #expect((try? ExternalTool.locate("ffmpeg")) != nil, "ffmpeg must be installed for these tests")
    }
}
