import ArgumentParser
import DiffDubCore
import Foundation

/// The `diffdub` command: visual dubbing with DiffDub on CPUs.
@main
struct DiffDubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffdub",
        abstract: "Visual dubbing with DiffDub: regenerate the mouth region of a talking face to follow new speech.",
        version: "0.1.0\n" + KernelBuild.summary,
        subcommands: [
            InspectCommand.self,
            EncodeCommand.self,
            RenderCommand.self,
            LipLatentsCommand.self,
            HubertCommand.self,
            DubCommand.self,
            DemoCommand.self,
            JoinCommand.self,
            LandmarksCommand.self,
        ])

    /// Runs the command; every failure prints one line, `Error: <message>` (the file and
    /// what is wrong), on stderr and exits non-zero (1 for errors, 64 for bad usage);
    /// `--help` and `--version` print as usual. Ctrl-C or SIGTERM removes the temporary
    /// outputs and exits with 130 or 143 (``InterruptHandler``).
    static func main() {
        do {
            var command = try parseAsRoot()
            InterruptHandler.install()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
