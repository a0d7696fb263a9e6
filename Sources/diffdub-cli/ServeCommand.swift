import ArgumentParser
import DiffDubCore
import DiffDubIO
import DiffDubServe
import Foundation

/// `diffdub serve`: the web page and HTTP API over persisted, resumable dubbing jobs.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a web page and an HTTP API that queue dubbing jobs and keep them across restarts.",
        discussion: """
            Every job is a job folder under --data (diffdub job status DATA/<id> works on it); the \
            uploads, the job's state and its output are in DATA/serve/<id>/. The models are loaded once \
            and shared by --workers jobs at a time. Killed and started again, the server continues \
            unfinished jobs from the frames already written; Ctrl-C or SIGTERM stops the running jobs \
            at their next step and leaves them resumable (a second signal exits at once).

            Security: the server listens on 127.0.0.1 unless --host says otherwise; any other host \
            needs --token, and then every /api request needs "Authorization: Bearer TOKEN" (or \
            ?token=TOKEN on a GET). Bounds: --max-upload-mb (one upload, 413), --max-queued-jobs \
            (waiting jobs, 429), --max-disk-gb (the data folder, 507).

            The API (JSON; its OpenAPI document at /openapi.json):
              curl -F video=@clip.mp4 -F audio=@speech.wav -F steps=20 http://127.0.0.1:8080/api/jobs
              curl http://127.0.0.1:8080/api/jobs/ID
              curl -o dubbed.mp4 http://127.0.0.1:8080/api/jobs/ID/output
            """)

    @Option(help: "The data folder: job folders, uploads, outputs (created if missing).", completion: .directory)
    var data: String

    @Option(help: "Address to listen on (loopback by default; any other needs --token).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "Jobs rendered at once (they share the models and the processors).")
    var workers = 1

    @Option(help: "A secret every API request must carry (Authorization: Bearer TOKEN, or ?token= on a GET).")
    var token: String?

    @Option(help: "Largest upload in MB (the whole form).")
    var maxUploadMb = 2048

    @Option(help: "Most jobs waiting in the queue; more are refused (429).")
    var maxQueuedJobs = 100

    @Option(help: "Most GB the data folder may hold; uploads beyond it are refused (507).")
    var maxDiskGb = 100

    @OptionGroup var models: RendererModelArguments

    @Option(help: "FaceBoxesV2 weights (default: faceboxesv2.pth from the model folders, see Docs/FACES.md).", completion: .file())
    var detector: String?

    @Option(help: "PIPNet weights (default: pipnet_resnet18_10x68x32x256_300w.pth from the model folders).", completion: .file())
    var landmarkModel: String?

    @Option(
        help: "A Hugging Face Hubert folder (chinese-hubert-large) for jobs that send audio without features (default: the downloaded one, if any).",
        completion: .directory)
    var hubertModel: String?

    @Option(
        help: "SyncNet model for jobs with speaker=auto (default: the syncnet_v2.model `diffdub models download syncnet` fetched; without one, such jobs are refused).",
        completion: .file())
    var syncnetModel: String?

    @Option(help: "Kernel threads of each job (default: every processor).")
    var threads: Int?

    func validate() throws {
        if let syncnetModel { try requireFile(syncnetModel, option: "--syncnet-model") }
        if let threads { try OptionRange.check("--threads", threads, OptionRange.threads) }
        guard (1...1 << 20).contains(maxUploadMb) else { throw ValidationError("--max-upload-mb: expected 1 to \(1 << 20)") }
        guard (1...1 << 20).contains(maxDiskGb) else { throw ValidationError("--max-disk-gb: expected 1 to \(1 << 20)") }
    }

    func run() async throws {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path) }
        let configuration = ServeConfiguration(
            dataFolder: url(data), host: host, port: port, workers: workers, token: token,
            maxUploadBytes: maxUploadMb << 20, maxQueuedJobs: maxQueuedJobs, maxDiskBytes: Int64(maxDiskGb) << 30,
            compute: ComputeSettings(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount),
            toolVersion: DiffDubCommand.configuration.version)
        try configuration.validate()  // before the models load
        let models = ServeModels(
            stage1: self.models.stage1URL, stage2: self.models.stage2URL, imageSize: self.models.imageSize,
            detector: try FaceModelFiles.detector(ModelFolders.file(detector, named: FaceModelFiles.detectorFileName)),
            landmarkModel: try FaceModelFiles.landmarkModel(
                ModelFolders.file(landmarkModel, named: FaceModelFiles.landmarkModelFileName)),
            hubertModel: hubertModel.map(url) ?? ModelFolders.locate(.hubert),
            syncnetModel: syncnetModel.map(url) ?? ModelFolders.locate(.syncnet))
        FileHandle.standardError.write(Data("diffdub serve: loading the models\n".utf8))
        let server = try ServeServer(configuration: configuration, models: models)
        let host = self.host
        let application = server.application { port in
            FileHandle.standardError.write(Data("diffdub serve: listening on http://\(host):\(port)/ (data \(configuration.dataFolder.path))\n".utf8))
        }
        // The service group stops the server and the workers gracefully on the first SIGINT or
        // SIGTERM; a second one exits at once (InterruptHandler).
        try await InterruptHandler.whileRunning(cancel: {}) { try await application.runService() }
    }
}
