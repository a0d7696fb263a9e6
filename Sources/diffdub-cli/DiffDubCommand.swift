import ArgumentParser
import DiffDubCore
import Foundation

/// The `diffdub` command: visual dubbing with DiffDub on CPUs.
@main
struct DiffDubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffdub",
        abstract: "Visual dubbing with DiffDub: regenerate the mouth region of a talking face to follow new speech.",
        version: "0.2.0\n" + KernelBuild.summary,
        subcommands: [
            InspectCommand.self,
            ConvertCommand.self,
            EncodeCommand.self,
            RenderCommand.self,
            LipLatentsCommand.self,
            HubertCommand.self,
            DubCommand.self,
            DemoCommand.self,
            JoinCommand.self,
            JobCommand.self,
            LandmarksCommand.self,
            ModelsCommand.self,
            SyncCommand.self,
            ServeCommand.self,
        ])

    /// Runs the command; every failure prints one line, `Error: <message>` (the file and
    /// what is wrong), on stderr and exits non-zero (1 for errors, 64 for bad usage);
    /// `--help` and `--version` print as usual. Ctrl-C or SIGTERM stops a run and removes its
    /// partial output, exiting with 130 or 143 (``InterruptHandler``).
    static func main() async {
        do {
            var command = try parseAsRoot()
            InterruptHandler.install()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch is CancellationError {
            FileHandle.standardError.write(Data("diffdub: cancelled; partial output removed\n".utf8))
            Foundation.exit(128 + (InterruptHandler.receivedSignal ?? SIGINT))
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let line = ErrorWording.message(for: error, default: text)
            FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
