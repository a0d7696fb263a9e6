import DiffDubCore
import DiffDubIO
import Foundation

/// The data folder of `diffdub serve`:
///
/// ```
/// DATA/
///   <id>/                a job folder (`diffdub job status DATA/<id>` works once prepared)
///   serve/<id>/
///     job.json           JobRecord: status, created, options, error (temporary file + rename)
///     inputs/            the uploads: video | image, audio, hubert.npy
///     preview.png        the tracked faces, once prepared
///     output.mp4         the dub, renamed into place when complete
///   serve/.upload-<id>/  an upload being received and checked (removed on start)
/// ```
///
/// The job folder and the server's files are siblings because a job folder is prepared only
/// into an empty folder, and `finish` never writes inside one. Only a ``JobID`` (16 hex digits)
/// ever becomes a path component.
public struct ServeDataFolder: Sendable {
    /// The folder.
    public let url: URL

    /// The data folder at `url` (nothing is read).
    public init(_ url: URL) { self.url = url }

    /// `serve/`.
    var serveURL: URL { url.appendingPathComponent("serve") }
    /// The job folder of `id`.
    public func jobFolder(_ id: JobID) -> JobFolder { JobFolder(url.appendingPathComponent(id.text)) }
    /// `serve/<id>/`.
    func entryURL(_ id: JobID) -> URL { serveURL.appendingPathComponent(id.text) }
    /// `serve/<id>/job.json`.
    func recordURL(_ id: JobID) -> URL { entryURL(id).appendingPathComponent("job.json") }
    /// `serve/<id>/inputs/`.
    func inputsURL(_ id: JobID) -> URL { entryURL(id).appendingPathComponent("inputs") }
    /// `serve/<id>/output.mp4`.
    public func outputURL(_ id: JobID) -> URL { entryURL(id).appendingPathComponent("output.mp4") }
    /// `serve/<id>/preview.png`.
    func previewURL(_ id: JobID) -> URL { entryURL(id).appendingPathComponent("preview.png") }
    /// `serve/.upload-<id>/`, where an upload is received before the job exists.
    func stagingURL(_ id: JobID) -> URL { serveURL.appendingPathComponent(".upload-\(id.text)") }

    /// The stored file of an uploaded field, under `inputs` (the client's file name is never used).
    static func inputName(field: String) -> String { field == "hubert" ? "hubert.npy" : field }

    /// Creates the folders; refuses a path that is not a writable folder.
    func create() throws {
        do {
            try FileManager.default.createDirectory(at: serveURL, withIntermediateDirectories: true)
        } catch {
            throw ServeStartError.dataFolder(path: url.path, reason: "cannot create it (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: serveURL.path) else {
            throw ServeStartError.dataFolder(path: url.path, reason: "not writable")
        }
    }

    /// Writes `record` as `serve/<id>/job.json` (temporary file and rename).
    package func write(_ record: JobRecord) throws {
        try AtomicFile.write(try record.json(), to: recordURL(record.id))
    }

    /// The records of every job (ids from folder names that are ids, whose `job.json` reads);
    /// removes uploads left half-received by an earlier run.
    package func readRecords() -> [JobRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: serveURL.path)) ?? []
        var records: [JobRecord] = []
        for name in names {
            if name.hasPrefix(".upload-") {
                try? FileManager.default.removeItem(at: serveURL.appendingPathComponent(name))
                continue
            }
            guard let id = JobID(name) else { continue }
            // A job whose creation was cut between its folder and its job.json never existed.
            if !FileManager.default.fileExists(atPath: recordURL(id).path) {
                remove(id)
                continue
            }
            guard let size = (try? FileManager.default.attributesOfItem(atPath: recordURL(id).path))?[.size] as? Int,
                size < 1 << 20, let data = try? Data(contentsOf: recordURL(id)),
                let record = try? JSONDecoder().decode(JobRecord.self, from: data), record.id == id
            else { continue }
            records.append(record)
        }
        return records.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Removes every file of job `id`.
    func remove(_ id: JobID) {
        try? FileManager.default.removeItem(at: jobFolder(id).url)
        try? FileManager.default.removeItem(at: entryURL(id))
    }

    /// Bytes the data folder holds (regular files, links not followed).
    func diskUse() -> Int64 {
        guard let walker = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey], options: [])
        else { return 0 }
        var total: Int64 = 0
        for case let file as URL in walker {
            guard let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
                values.isRegularFile == true
            else { continue }
            total += Int64(values.fileSize ?? 0)
        }
        return total
    }

    /// The request `dub` would make of job `id`'s uploads and options, writing `output.mp4`
    /// (with `speaker` `auto`, the faces its preparation chose, ``JobRecord/speakers``).
    package func request(for record: JobRecord, models: ServeModels, compute: ComputeSettings) -> DubbingRequest {
        let inputs = inputsURL(record.id)
        func input(_ field: String) -> URL { inputs.appendingPathComponent(Self.inputName(field: field)) }
        let frames: DubbingRequest.Frames = record.inputs["video"] != nil ? .video(input("video")) : .image(input("image"))
        let speech: DubbingRequest.Speech =
            if record.inputs["hubert"] != nil { .hubertFeatures(input("hubert")) }
            else { .hubertModel(models.hubertModel ?? input("hubert-model")) }
        let detection = DubbingRequest.FaceDetection(
            detector: models.detector, landmarkModel: models.landmarkModel, tracking: record.options.tracking(speakers: record.speakers?.map(\.span)))
        return DubbingRequest(
            models: .files(stage1: models.stage1, stage2: models.stage2, imageSize: models.imageSize), frames: frames,
            landmarks: .detect(detection), speech: speech, audio: record.inputs["audio"] != nil ? input("audio") : nil,
            noise: .seed(record.options.seed), options: record.options.dubbingOptions, output: .video(outputURL(record.id)),
            overwrite: true, compute: compute)
    }
}
