import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct LandmarksFileTests {
    static func sampleLandmarks(seed: UInt64) -> FaceLandmarks {
        var generator = SeededGenerator(seed: seed)
        return FaceLandmarks(interleaved: (0..<136).map { _ in Float.random(in: -20...600, using: &generator) })
    }

    @Test func readsFixtureFolderInFrameOrder() throws {
        let frames = try FrameFolder(Fixtures.url("faces/frames"))
        let all = try LandmarksFile.readFolder(Fixtures.url("faces/landmarks"), frames: frames.frameNames)
        #expect(all.count == 10)
        #expect(all[0][0] == SIMD2(122.991, 233.245))
        // The mask fixtures' landmarks are frames 1...4 scaled from 512 to 256.
        for k in 0..<4 {
            let expected = try Fixtures.landmarks("mask/f\(k)_s256_landmarks.npy")
            let scaled = all[k].scaled(from: 512, to: 256)
            let worst = zip(scaled.interleaved, expected.interleaved).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4)
        }
        // Frame names with an extension find the same files.
        let withExtension = try LandmarksFile.readFolder(
            Fixtures.url("faces/landmarks"), frames: frames.frames.map(\.lastPathComponent))
        #expect(withExtension == all)
    }

    @Test func perFrameFilesRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let landmarks = Self.sampleLandmarks(seed: 1)
        try LandmarksFile.writePoints(landmarks, to: folder.file("a.txt"))
        #expect(try LandmarksFile.readPoints(folder.file("a.txt")) == landmarks)
        try LandmarksFile.writePoints(landmarks, to: folder.file("b.txt"), precise: false)
        let truncated = try LandmarksFile.readPoints(folder.file("b.txt"))
        #expect(truncated.interleaved == landmarks.interleaved.map { $0.rounded(.towardZero) })
    }

    @Test func tableRoundTripsAndMatchesFrames() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let entries = (1...3).map {
            LandmarksFile.Entry(
                frame: String(format: "%06d.png", $0), landmarks: Self.sampleLandmarks(seed: UInt64($0)))
        }
        let url = folder.file("clip.txt")
        try LandmarksFile.writeTable(entries, to: url, precise: true)
        #expect(try LandmarksFile.readTable(url) == entries)

        try LandmarksFile.writeTable(entries, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        let first = text.split(separator: "\n")[0].split(separator: " ")
        #expect(first.count == 69 && first[0] == "000001.png")
        let x0 = Int(entries[0].landmarks[0].x.rounded(.towardZero))
        let y0 = Int(entries[0].landmarks[0].y.rounded(.towardZero))
        #expect(first[1] == "\(x0)_\(y0)")
        let read = try LandmarksFile.readTable(url)
        #expect(read.map(\.frame) == entries.map(\.frame))
        #expect(read[2].landmarks.interleaved == entries[2].landmarks.interleaved.map { $0.rounded(.towardZero) })

        let matched = try LandmarksFile.landmarks(
            for: ["000002.png", "000003.jpg", "000001"], in: read, path: url.path)
        #expect(matched == [read[1].landmarks, read[2].landmarks, read[0].landmarks])
        #expect(throws: LandmarksError.missingFrame(path: url.path, frame: "000004.png")) {
            try LandmarksFile.landmarks(for: ["000001.png", "000004.png"], in: read, path: url.path)
        }
    }

    /// A line as talking_face_preprocessing writes it (trailing space included).
    @Test func readsPreprocessingLineFormat() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let pairs = (0..<68).map { "\(500 + $0)_\(200 + 2 * $0)" }.joined(separator: " ")
        let url = folder.file("clip.txt")
        try Data("000001.png \(pairs) \n000002.png \(pairs) \n".utf8).write(to: url)
        let entries = try LandmarksFile.readTable(url)
        #expect(entries.count == 2)
        #expect(entries[1].landmarks[67] == SIMD2(567, 334))
    }

    @Test func errorsNameFileAndLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let lines = (0..<68).map { "\($0) \($0 + 1)" }

        let short = folder.file("short.txt")
        try Data(lines.dropLast().joined(separator: "\n").utf8).write(to: short)
        #expect(throws: LandmarksError.wrongPointCount(path: short.path, line: nil, found: 67)) {
            try LandmarksFile.readPoints(short)
        }
        let long = folder.file("long.txt")
        try Data((lines + ["1 2"]).joined(separator: "\n").utf8).write(to: long)
        #expect(throws: LandmarksError.wrongPointCount(path: long.path, line: 69, found: 69)) {
            try LandmarksFile.readPoints(long)
        }
        let bad = folder.file("bad.txt")
        var badLines = lines
        badLines[4] = "12 abc"
        try Data(badLines.joined(separator: "\n").utf8).write(to: bad)
        #expect(throws: LandmarksError.unparsableNumber(path: bad.path, line: 5, text: "abc")) {
            try LandmarksFile.readPoints(bad)
        }
        badLines[4] = "12 13 14"
        try Data(badLines.joined(separator: "\n").utf8).write(to: bad)
        #expect(throws: LandmarksError.malformedLine(path: bad.path, line: 5, text: "12 13 14")) {
            try LandmarksFile.readPoints(bad)
        }

        let table = folder.file("table.txt")
        let pairs = (0..<68).map { "\($0)_\($0)" }
        try Data("a.png \(pairs.joined(separator: " "))\nb.png \(pairs.dropLast().joined(separator: " "))\n".utf8)
            .write(to: table)
        #expect(throws: LandmarksError.wrongPointCount(path: table.path, line: 2, found: 67)) {
            try LandmarksFile.readTable(table)
        }
        var badPairs = pairs
        badPairs[10] = "3_x"
        try Data("a.png \(badPairs.joined(separator: " "))\n".utf8).write(to: table)
        #expect(throws: LandmarksError.unparsableNumber(path: table.path, line: 1, text: "x")) {
            try LandmarksFile.readTable(table)
        }
        try Data("a.png \(pairs.joined(separator: " "))\na.png \(pairs.joined(separator: " "))\n".utf8).write(to: table)
        #expect(throws: LandmarksError.duplicateFrame(path: table.path, line: 2, frame: "a.png")) {
            try LandmarksFile.readTable(table)
        }
        try Data("\n\n".utf8).write(to: table)
        #expect(throws: LandmarksError.empty(path: table.path)) { try LandmarksFile.readTable(table) }

        #expect(throws: LandmarksError.missingFrame(path: folder.file("synth_1.txt").path, frame: "synth_1.png")) {
            try LandmarksFile.readFolder(folder.url, frames: ["synth_1.png"])
        }
        #expect(
            "\(LandmarksError.wrongPointCount(path: "/x/t.txt", line: 2, found: 67))"
                == "/x/t.txt:2: 67 landmark points, expected 68")
    }
}
