import Foundation

/// Locating and running the `ffmpeg` / `ffprobe` executables.
package enum ExternalTool {
    /// The executable `name` in the folders of `searchPath` (default: the `PATH` environment
    /// variable).
    ///
    /// - Throws: ``VideoError/toolNotFound(tool:)``, whose message says how to install it.
    package static func locate(_ name: String, searchPath: String? = nil) throws -> URL {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw VideoError.toolNotFound(tool: name)
    }

    /// Runs `tool` with `arguments` to completion and returns its standard output; fails with
    /// `failure(stderr)` on a non-zero exit.
    static func run(
        _ tool: String, _ arguments: [String], failure: (String) -> VideoError
    ) throws -> Data {
        let running = try RunningTool(tool, arguments, input: false, output: true)
        let output = try running.readToEnd()
        let (ok, message) = running.finish()
        guard ok else { throw failure(message) }
        return output
    }
}

/// A started `ffmpeg`/`ffprobe` process with optional pipes to its standard input and output;
/// standard error goes to a temporary file (so a chatty tool can never block on a full pipe)
/// and is returned as the failure reason.
final class RunningTool {
    let tool: String
    let process = Process()
    let input: FileHandle?
    let output: FileHandle?
    private let errorURL: URL
    private var finished = false

    init(_ tool: String, _ arguments: [String], input wantsInput: Bool, output wantsOutput: Bool) throws {
        self.tool = tool
        process.executableURL = try ExternalTool.locate(tool)
        process.arguments = arguments
        errorURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("diffdub-\(tool)-\(UUID().uuidString.prefix(8)).log")
        guard FileManager.default.createFile(atPath: errorURL.path, contents: nil),
            let errorHandle = try? FileHandle(forWritingTo: errorURL)
        else {
            throw VideoError.launchFailed(tool: tool, reason: "cannot create \(errorURL.path) for its messages")
        }
        process.standardError = errorHandle
        var inputPipe: Pipe?
        var outputPipe: Pipe?
        if wantsInput {
            inputPipe = Pipe()
            process.standardInput = inputPipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        if wantsOutput {
            outputPipe = Pipe()
            process.standardOutput = outputPipe
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        do {
            try process.run()
        } catch {
            try? errorHandle.close()
            try? FileManager.default.removeItem(at: errorURL)
            throw VideoError.launchFailed(tool: tool, reason: SystemErrorText.reason(error))
        }
        try? errorHandle.close()
        // Close our copies of the child's ends so that end-of-file is seen.
        try? inputPipe?.fileHandleForReading.close()
        try? outputPipe?.fileHandleForWriting.close()
        input = inputPipe?.fileHandleForWriting
        output = outputPipe?.fileHandleForReading
    }

    /// Up to `count` bytes from standard output; fewer only at end of output.
    func read(exactly count: Int) throws -> Data {
        guard let output else { return Data() }
        var data = Data()
        data.reserveCapacity(count)
        while data.count < count {
            guard let chunk = try output.read(upToCount: count - data.count), !chunk.isEmpty else { break }
            data.append(chunk)
        }
        return data
    }

    /// Everything left on standard output.
    func readToEnd() throws -> Data {
        guard let output else { return Data() }
        return try output.readToEnd() ?? Data()
    }

    /// Closes the pipes, waits for the tool and returns whether it succeeded and the tail of
    /// its standard error.
    func finish() -> (ok: Bool, message: String) {
        if !finished {
            finished = true
            try? input?.close()
            if let output {
                // Drain so the tool never blocks on a full pipe while we wait for it.
                _ = try? output.readToEnd()
                try? output.close()
            }
            process.waitUntilExit()
        }
        let ok = process.terminationReason == .exit && process.terminationStatus == 0
        let text = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errorURL)
        let lines = text.split(separator: "\n").suffix(3).joined(separator: " | ")
        let message = lines.isEmpty ? "\(tool) exited with status \(process.terminationStatus)" : lines
        return (ok, message)
    }

    /// Waits for the tool as ``finish()`` does, first handing `read` the file that holds its
    /// whole standard error (removed afterwards).
    func finish<Value>(readingLog read: (URL) throws -> Value) throws -> (ok: Bool, message: String, value: Value) {
        if !finished {
            try? input?.close()
            if let output {
                _ = try? output.readToEnd()
                try? output.close()
            }
            process.waitUntilExit()
        }
        defer { _ = finish() }
        let value = try read(errorURL)
        let (ok, message) = finish()
        return (ok, message, value)
    }

    /// Stops the tool if it is still running and cleans up.
    func terminate() {
        if process.isRunning { process.terminate() }
        _ = finish()
    }

    deinit {
        if !finished { terminate() }
    }
}
