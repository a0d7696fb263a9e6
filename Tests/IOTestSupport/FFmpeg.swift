import DiffDubIO
import Foundation

/// Runs ffmpeg for tests that make their own clips.
package enum FFmpeg {
    /// A failed ffmpeg run.
    package struct Failure: Error, CustomStringConvertible {
        /// Its exit status.
        package let status: Int32
        /// One line.
        package var description: String { "ffmpeg exited with \(status)" }
    }

    /// Whether ffmpeg is on the PATH.
    package static var isAvailable: Bool { (try? ExternalTool.locate("ffmpeg")) != nil }

    /// `ffmpeg -v error -nostdin -y <arguments>`, to completion.
    package static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try ExternalTool.locate("ffmpeg")
        process.arguments = ["-v", "error", "-nostdin", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(status: process.terminationStatus) }
    }
}
