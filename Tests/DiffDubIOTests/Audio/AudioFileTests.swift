import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct AudioFileTests {
    /// A stereo clip: a 440 Hz sine on the left, 0.5 x a 660 Hz sine on the right.
    static func stereoSine(frames: Int, sampleRate: Int) -> AudioClip {
        var samples: [Float] = []
        for f in 0..<frames {
            let t = Float(f) / Float(sampleRate)
            samples.append(0.8 * sin(2 * .pi * 440 * t))
            samples.append(0.4 * sin(2 * .pi * 660 * t))
        }
        return AudioClip(samples: samples, channels: 2, sampleRate: sampleRate)
    }

    @Test func writesAndReadsWAV() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let clip = Self.stereoSine(frames: 4000, sampleRate: 16000)
        for (encoding, tolerance) in [(AudioFile.WAVEncoding.pcm16, Float(1.0 / 32768)), (.float32, 0)] {
            let url = folder.file("sine.wav")
            try AudioFile.write(clip, to: url, encoding: encoding)
            let read = try AudioFile.read(url)
            #expect(read.channels == 2)
            #expect(read.sampleRate == 16000)
            #expect(read.frameCount == 4000)
            #expect(abs(read.duration - 0.25) < 1e-12)
            let worst = zip(read.samples, clip.samples).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= tolerance)
        }
        #expect(folder.contents() == ["sine.wav"])
    }

    @Test func monoMixDownAveragesChannels() {
        let clip = AudioClip(samples: [1, 0, 0.5, -0.5, -1, 0.25], channels: 2, sampleRate: 8000)
        let mono = clip.mono()
        #expect(mono.channels == 1 && mono.sampleRate == 8000)
        #expect(mono.samples == [0.5, 0, -0.375])
        #expect(clip.channel(1) == [0, -0.5, 0.25])
        #expect(mono.mono() == mono)
    }

    @Test func pcmClipsInsteadOfWrapping() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let url = folder.file("loud.wav")
        try AudioFile.write(AudioClip(samples: [1.5, -2, 0.5], channels: 1, sampleRate: 8000), to: url)
        let read = try AudioFile.read(url)
        #expect(read.samples[0] > 0.99 && read.samples[1] <= -0.99 && abs(read.samples[2] - 0.5) < 1e-4)
    }

    @Test func errorsNameTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let missing = folder.file("missing.wav")
        #expect {
            try AudioFile.read(missing)
        } throws: { error in
            guard case AudioError.unreadable(let path, _) = error else { return false }
            return path == missing.path
        }
        let text = folder.file("text.wav")
        try Data("not audio at all, just text that is long enough".utf8).write(to: text)
        #expect(throws: AudioError.self) { try AudioFile.read(text) }

        // A valid WAV header with no sample data.
        let empty = folder.file("empty.wav")
        try Self.emptyWAV(sampleRate: 16000).write(to: empty)
        #expect(throws: AudioError.empty(path: empty.path)) { try AudioFile.read(empty) }
    }

    /// A 44-byte PCM16 mono WAV with an empty data chunk.
    static func emptyWAV(sampleRate: UInt32) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8))
        u32(36)
        d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8))
        u32(16)
        u16(1)
        u16(1)
        u32(sampleRate)
        u32(sampleRate * 2)
        u16(2)
        u16(16)
        d.append(contentsOf: Array("data".utf8))
        u32(0)
        return d
    }
}
