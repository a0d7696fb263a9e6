import ArgumentParser

/// The `diffdub` command: visual dubbing with DiffDub on CPUs.
@main
struct DiffDubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffdub",
        abstract: "Visual dubbing with DiffDub: regenerate the mouth region of a talking face to follow new speech.",
        version: "0.1.0",
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
}
