import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct SHA256Tests {
    @Test func publishedVectors() {
        #expect(SHA256.hexDigest(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hexDigest(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            SHA256.hexDigest(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hexDigest(of: Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding edges, fed in odd pieces, agree with one update.
    @Test func piecewiseUpdatesMatchOneUpdate() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var piecewise = SHA256()
            var offset = 0
            var piece = 1
            while offset < length {
                let end = min(length, offset + piece)
                piecewise.update(data[offset..<end])
                offset = end
                piece = piece * 3 % 71 + 1
            }
            #expect(SHA256.hex(piecewise.finalize()) == SHA256.hexDigest(of: data), "length \(length)")
        }
    }

    /// The file digest agrees with coreutils' `sha256sum` when it is installed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func fileDigestMatchesSha256sum() throws {
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let folder = try TemporaryDirectory()
        let file = folder.url.appendingPathComponent("blob.bin")
        try Data((0..<3_000_001).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: file)
        let process = Process()
        process.executableURL = tool
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let expected = String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init)
        #expect(try SHA256.hexDigest(ofFileAt: file) == expected)
    }
}
