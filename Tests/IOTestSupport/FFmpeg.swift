import DiffDubIO
import Foundation

/// Runs ffmpeg for tests that make their own clips.
public enum FFmpeg {
    /// A failed ffmpeg run.
    public struct Failure: Error, CustomStringConvertible {
        /// Its exit status.
        public let status: Int32
        /// One line.
        public var description: String { "ffmpeg exited with \(status)" }
    }

    /// Whether ffmpeg is on the PATH.
    public static var isAvailable: Bool { (try? ExternalTool.locate("ffmpeg")) != nil }

    /// `ffmpeg -v error -nostdin -y <arguments>`, to completion.
    public static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try ExternalTool.locate("ffmpeg")
        process.arguments = ["-v", "error", "-nostdin", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(status: process.terminationStatus) }
    }
}
