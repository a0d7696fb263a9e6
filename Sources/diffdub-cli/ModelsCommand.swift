import ArgumentParser
import DiffDubIO
import Foundation

/// `diffdub models list|download`: the released weights, fetched into the folder the other
/// commands search.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List or download the released models (stage1, stage2, hubert, pipnet).",
        discussion: """
            Models (files, where they are published):
              stage1   stage1_state_dict.ckpt          DiffDub's renderer (taocode/diffdub)
              stage2   stage2_state_dict.ckpt          DiffDub's lip latents (taocode/diffdub)
              hubert   chinese-hubert-large/           config.json, pytorch_model.bin
                                                       (TencentGameMate/chinese-hubert-large)
              pipnet   pipnet_resnet18_10x68x32x256_300w.pth  landmarks (torchlm's release)

            The folder is $DIFFDUB_MODELS when set, otherwise ~/.cache/diffdub (--to DIR for \
            another): the first folder `dub` and `landmarks` search for the face models \
            (Docs/FACES.md). Downloads resume where an interrupted one stopped.

            Examples:
              diffdub models list
              diffdub models download stage1 stage2 hubert pipnet
              diffdub models download all --to /data/diffdub-models
              diffdub models download pipnet --mirror http://127.0.0.1:8000 --to models/
            """,
        subcommands: [ListModelsCommand.self, DownloadModelsCommand.self])
}

/// `diffdub models list [NAME...] [--to DIR]`.
struct ListModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show which model files are present (size, SHA-256) and which are missing.",
        discussion: """
            Examples:
              diffdub models list
              diffdub models list stage1 --to /data/diffdub-models
              diffdub models list --no-checksums
            """)

    @Argument(help: "Models to show (default: all): stage1, stage2, hubert, pipnet.")
    var names: [ReleasedModel] = []

    @Option(
        help: ArgumentHelp("The model folder (default: $DIFFDUB_MODELS, else ~/.cache/diffdub).", valueName: "dir"),
        completion: .directory)
    var to: String?

    @Flag(help: "Do not compute the SHA-256 of present files (it reads each file whole).")
    var noChecksums = false

    func run() throws {
        let store = to.map { ModelStore(folder: URL(fileURLWithPath: $0)) } ?? ModelStore()
        print("model folder: \(store.folder.path)")
        for model in names.isEmpty ? ReleasedModel.allCases : names {
            print("\(model.rawValue)  \(model.summary)")
            for status in try store.status(of: model, checksums: !noChecksums) {
                print("  " + Self.line(for: status))
            }
            if !store.isComplete(model), let elsewhere = ModelFolders.locate(model),
                elsewhere.standardizedFileURL.path != store.entryURL(for: model).standardizedFileURL.path
            {
                print("  (found in another searched folder: \(elsewhere.path))")
            }
        }
    }

    static func line(for status: ModelFileStatus) -> String {
        let name = status.file.relativePath
        guard let size = status.size else {
            if let partial = status.partialSize {
                return "partial  \(name)  \(ByteText.size(partial)) of an unfinished download (download resumes it)"
            }
            return "missing  \(name)"
        }
        var line = "present  \(name)  \(size) bytes (\(ByteText.size(size)))"
        if let sha256 = status.sha256 { line += "  sha256 \(sha256)" }
        if status.matchesPublishedSize == false { line += "  (NOT the published size)" }
        if status.matchesPublishedChecksum == false { line += "  (NOT the published checksum)" }
        return line
    }
}

/// `diffdub models download NAME... [--mirror BASE_URL] [--to DIR]`.
struct DownloadModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download released models into the model folder (resumable).",
        discussion: """
            Each file is fetched from its published URL (or BASE_URL/<file name> with --mirror) into \
            <file>.part beside its place, and renamed only when whole: the bytes the server \
            announced, the published size and SHA-256 where known, and a file that reads as a \
            checkpoint (config.json: a JSON object). An interrupted download (Ctrl-C, a dropped \
            connection, no data for 60 s, under 1 KiB/s for 60 s) keeps the .part; running the \
            command again resumes it with an HTTP range request. A link, FIFO or folder at a \
            file's name or .part is refused and left as it is. Files already present are skipped. \
            Progress (bytes, speed, ETA) goes to standard error.

            Examples:
              diffdub models download stage1 stage2 hubert pipnet
              diffdub models download all
              diffdub models download pipnet --to ~/models
              diffdub models download hubert --mirror https://models.example.org/diffdub
            """)

    @Argument(help: "Models to download: stage1, stage2, hubert, pipnet, or all.")
    var names: [String]

    @Option(
        help: ArgumentHelp(
            "Fetch every file from BASE_URL/<file name> instead of its published URL.", valueName: "base-url"))
    var mirror: String?

    @Option(
        help: ArgumentHelp("The model folder (default: $DIFFDUB_MODELS, else ~/.cache/diffdub).", valueName: "dir"),
        completion: .directory)
    var to: String?

    @Option(help: ArgumentHelp("Further attempts after a dropped connection, each resuming the file.", valueName: "n"))
    var retries: Int = 3

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        _ = try models()
        try OptionRange.check("--retries", retries, OptionRange.retries)
        if let mirror {
            guard let url = URL(string: mirror), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                url.host != nil
            else { throw ValidationError("--mirror \(mirror): not an http(s) URL") }
        }
    }

    func models() throws -> [ReleasedModel] {
        guard !names.isEmpty else {
            throw ValidationError("name at least one model: stage1, stage2, hubert, pipnet or all")
        }
        var models: [ReleasedModel] = []
        for name in names {
            if name == "all" {
                models += ReleasedModel.allCases
            } else if let model = ReleasedModel(rawValue: name) {
                models.append(model)
            } else {
                throw ValidationError("unknown model \(name): the models are stage1, stage2, hubert, pipnet (or all)")
            }
        }
        var seen = Set<ReleasedModel>()
        return models.filter { seen.insert($0).inserted }
    }

    func run() async throws {
        let store = to.map { ModelStore(folder: URL(fileURLWithPath: $0)) } ?? ModelStore()
        var downloader = ModelDownloader(store: store, mirror: mirror.flatMap { URL(string: $0) })
        downloader.retries = retries
        let configured = downloader
        let models = try models()
        let progress = DownloadProgressPrinter.handler(quiet: quiet)
        // Ctrl-C cancels the transfer; the .part files stay for the next run to resume.
        let download = Task { try await configured.download(models, progress: progress) }
        let results: [DownloadResult]
        do {
            results = try await InterruptHandler.whileRunning(cancel: { download.cancel() }) {
                try await download.value
            }
        } catch is CancellationError {
            FileHandle.standardError.write(
                Data("diffdub: download stopped; the .part file is kept and the next run resumes it\n".utf8))
            Foundation.exit(128 + (InterruptHandler.receivedSignal ?? SIGINT))
        }
        guard !quiet else { return }
        for result in results {
            let what =
                switch result.outcome {
                case .alreadyPresent: "already present"
                case .downloaded: "downloaded"
                case .resumed(let attempts): attempts == 1 ? "resumed" : "resumed (\(attempts) attempts)"
                }
            print("\(result.url.path): \(what), \(ByteText.size(result.bytes))")
        }
    }
}
