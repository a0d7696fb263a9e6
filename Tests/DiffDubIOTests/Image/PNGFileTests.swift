import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct PNGFileTests {
    /// `faces/frames/synth_1.png` decodes to the uint8 array the mask fixtures were made from.
    @Test func readsFixtureFrameExactly() throws {
        let image = try PNGFile.read(Fixtures.url("faces/frames/synth_1.png"))
        let expected = try Fixtures.rgbImage("mask/f0_frame_uint8.npy")
        #expect(image.shape == [512, 512, 3])
        #expect(image == expected)
    }

    @Test func roundTripsAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var generator = SeededGenerator(seed: 5)
        let image = RGBImage(
            height: 7, width: 13, pixels: (0..<(7 * 13 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let url = folder.file("frame.png")
        try PNGFile.write(image, to: url)
        #expect(try PNGFile.read(url) == image)
        #expect(folder.contents() == ["frame.png"])
        // Overwriting replaces the file.
        let other = RGBImage(height: 2, width: 3, red: 9, green: 8, blue: 7)
        try PNGFile.write(other, to: url)
        #expect(try PNGFile.read(url) == other)
        #expect(folder.contents() == ["frame.png"])
        try PNGFile.write(image, to: folder.file("fast.png"), fast: true)
        #expect(try PNGFile.read(folder.file("fast.png")) == image)
    }

    @Test func convertsGrayPaletteSixteenBitAndAlphaToRGB() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        func decode(_ data: Data, _ name: String) throws -> RGBImage {
            let url = folder.file(name)
            try data.write(to: url)
            return try PNGFile.read(url)
        }
        let gray = try decode(
            TinyPNG.encode(width: 3, height: 1, bitDepth: 8, colorType: .gray, rows: [[0, 100, 255]]), "gray.png")
        #expect(gray.pixels == [0, 0, 0, 100, 100, 100, 255, 255, 255])

        let palette = try decode(
            TinyPNG.encode(
                width: 2, height: 2, bitDepth: 8, colorType: .palette, rows: [[1, 0], [0, 1]],
                palette: [10, 20, 30, 200, 150, 100]), "palette.png")
        #expect(palette.pixels == [200, 150, 100, 10, 20, 30, 10, 20, 30, 200, 150, 100])

        // 16-bit samples 0x0000, 0x8080, 0xFFFF, 0x1234 per channel -> 0, 128, 255, 18 (v / 257 rounded).
        let sixteen = try decode(
            TinyPNG.encode(
                width: 2, height: 1, bitDepth: 16, colorType: .rgb,
                rows: [[0x00, 0x00, 0x80, 0x80, 0xFF, 0xFF, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34]]), "sixteen.png")
        #expect(sixteen.pixels == [0, 128, 255, 18, 18, 18])

        // Opaque pixels keep their colour, transparent ones become black.
        let rgba = try decode(
            TinyPNG.encode(
                width: 2, height: 1, bitDepth: 8, colorType: .rgba, rows: [[50, 60, 70, 255, 90, 90, 90, 0]]),
            "rgba.png")
        #expect(rgba.pixels == [50, 60, 70, 0, 0, 0])

        let grayAlpha = try decode(
            TinyPNG.encode(width: 1, height: 1, bitDepth: 8, colorType: .grayAlpha, rows: [[77, 255]]), "ga.png")
        #expect(grayAlpha.pixels == [77, 77, 77])
    }

    @Test func errorsNameTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let missing = folder.file("missing.png")
        #expect {
            try PNGFile.read(missing)
        } throws: { error in
            guard case ImageError.unreadable(let path, _) = error else { return false }
            return path == missing.path && "\(error)".contains("missing.png")
        }
        let text = folder.file("text.png")
        try Data("not a png".utf8).write(to: text)
        #expect(throws: ImageError.self) { try PNGFile.read(text) }
        let truncated = folder.file("truncated.png")
        let full = TinyPNG.encode(
            width: 4, height: 4, bitDepth: 8, colorType: .gray, rows: Array(repeating: [1, 2, 3, 4], count: 4))
        try full.prefix(40).write(to: truncated)
        #expect(throws: ImageError.self) { try PNGFile.read(truncated) }
        // Writing into a folder that does not exist fails with the destination's name.
        #expect {
            try PNGFile.write(RGBImage(height: 1, width: 1), to: folder.file("no/such/dir.png"))
        } throws: { error in
            guard case ImageError.unwritable(let path, _) = error else { return false }
            return path.hasSuffix("no/such/dir.png")
        }
    }
}

@Suite struct FrameFolderTests {
    @Test func listsFixtureFramesInNaturalOrder() throws {
        let folder = try FrameFolder(Fixtures.url("faces/frames"))
        #expect(folder.frameNames == (1...10).map { "synth_\($0)" })
        #expect(folder.count == 10)
        #expect(try folder.image(at: 0) == Fixtures.rgbImage("mask/f0_frame_uint8.npy"))
    }

    @Test func naturalOrderComparesDigitRunsAsNumbers() {
        let names = [
            "frame10.png", "frame2.png", "frame1.png", "frame02.png", "a.png", "frame1b.png", "00003.png", "00001.png",
        ]
        #expect(
            names.sorted(by: FrameFolder.naturallyPrecedes) == [
                "00001.png", "00003.png", "a.png", "frame1.png", "frame1b.png", "frame2.png", "frame02.png",
                "frame10.png",
            ])
    }

    @Test func emptyFolderIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Data().write(to: folder.file("notes.txt"))
        #expect(throws: ImageError.noFrames(folder: folder.url.path, fileExtension: "png")) {
            try FrameFolder(folder.url)
        }
        #expect(throws: ImageError.self) { try FrameFolder(folder.file("absent")) }
    }
}
