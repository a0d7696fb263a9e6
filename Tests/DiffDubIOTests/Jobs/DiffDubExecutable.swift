import Foundation
import Testing

/// The built `diffdub` command, run as a subprocess (job tests that kill a process, Slurm).
///
/// Found next to the test bundle: `swift test` builds every product into the folder that holds
/// the test runner (`.build/<triple>/<configuration>/`).
enum DiffDubExecutable {
    /// The executable, or `nil` when it was not built.
    static let url: URL? = {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        folders.append(selfExe.deletingLastPathComponent())
        for bundle in Bundle.allBundles { folders.append(bundle.bundleURL.deletingLastPathComponent()) }
        for folder in folders {
            let candidate = folder.appendingPathComponent("diffdub")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// What a finished command printed.
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `diffdub arguments` to completion (in `currentDirectory`, if given).
    static func run(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil
    ) throws -> Result {
        let process = try start(arguments, environment: environment, currentDirectory: currentDirectory)
        return process.wait()
    }

    /// A running `diffdub`.
    final class Running {
        let process: Process
        private let output = Pipe()
        private let error = Pipe()
        private var collected: (Data, Data)?

        init(_ arguments: [String], environment: [String: String]?, currentDirectory: URL? = nil) throws {
            guard let url = DiffDubExecutable.url else { throw ExecutableMissing() }
            process = Process()
            process.executableURL = url
            process.arguments = arguments
            if let currentDirectory { process.currentDirectoryURL = currentDirectory }
            if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.standardOutput = output
            process.standardError = error
            try process.run()
        }

        /// Waits for the exit and collects the output.
        func wait() -> Result {
            // Read before waiting so a chatty process never blocks on a full pipe.
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                standardError: String(decoding: err, as: UTF8.self))
        }

        /// SIGKILL, then reap.
        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Starts `diffdub arguments` (in `currentDirectory`, if given).
    static func start(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil
    ) throws -> Running {
        try Running(arguments, environment: environment, currentDirectory: currentDirectory)
    }

    struct ExecutableMissing: Error, CustomStringConvertible {
        var description: String { "the diffdub executable was not found next to the test bundle: build it (swift build -c release)" }
    }
}
