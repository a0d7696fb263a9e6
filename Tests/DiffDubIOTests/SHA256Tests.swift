import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 / NIST example vectors.
    @Test(
        "known vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ])
    func vectors(message: String, expected: String) {
        #expect(SHA256.hash(Data(message.utf8)).hex == expected)
    }

    @Test("a million 'a's, fed in odd-sized pieces")
    func millionA() {
        var hash = SHA256()
        let piece = Data(repeating: UInt8(ascii: "a"), count: 997)
        var left = 1_000_000
        while left > 0 {
            let n = min(left, piece.count)
            hash.update(piece.prefix(n))
            left -= n
        }
        #expect(hash.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("every length around the padding boundaries hashes alike in one piece and byte by byte")
    func boundaries() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129] {
            let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            var bytewise = SHA256()
            for byte in data { bytewise.update(Data([byte])) }
            #expect(bytewise.finalize() == SHA256.hash(data), "length \(length)")
        }
    }

    @Test("a file's digest equals sha256sum's")
    func matchesSha256sum() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("data.bin")
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<(3 << 20) + 12345).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let expected = String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init)
        #expect(try SHA256.hash(fileAt: url).hex == expected)
        #expect(SHA256.hash(data).hex == expected)
    }
}
