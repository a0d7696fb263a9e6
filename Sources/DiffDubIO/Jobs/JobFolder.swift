import DiffDubCore
import Foundation

/// A job folder on disk: the manifest, the prepared per-clip data, and the rendered frames.
///
/// ```
/// JOB/
///   manifest.json        JobManifest: the request, inputs and models with SHA-256, frame count
///   plan/                what every frame needs, written once by prepare (JobPlanStore)
///   frames/NNNNNN.png    rendered frames at model resolution (absolute frame numbers), each
///                        written as .NNNNNN.png.partial-XXXXXXXX and renamed when complete
/// ```
///
/// Any number of processes may render into `frames/` at once, even the same shard twice: a
/// frame appears under its name only complete (one `rename`), and two copies of one frame are
/// identical, so the later rename replaces a file by the same bytes.
public struct JobFolder: Sendable {
    /// The folder.
    public let url: URL
    /// The bounds its files (and, for `prepare`, the inputs of its request) are read within.
    public let limits: ReaderLimits

    /// The job folder at `url` (nothing is read), read within `limits`.
    public init(_ url: URL, limits: ReaderLimits = .standard) {
        self.url = url
        self.limits = limits
    }

    /// `manifest.json`.
    package var manifestURL: URL { url.appendingPathComponent("manifest.json") }
    /// `plan/`.
    package var planURL: URL { url.appendingPathComponent("plan") }
    /// `frames/`.
    package var framesURL: URL { url.appendingPathComponent("frames") }

    /// The file of rendered frame `index`.
    package func frameURL(_ index: Int) -> URL {
        framesURL.appendingPathComponent(PNGFolderSink.fileName(forFrame: index))
    }

    /// Whether a manifest exists (a file or anything else under that name, a link included:
    /// `manifest()` refuses what is not a regular file).
    public var isPrepared: Bool {
        FileManager.default.fileExists(atPath: manifestURL.path)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: manifestURL.path)) != nil
    }

    /// Reads `manifest.json`, as untrusted input: a regular file (not a link), JSON whose
    /// fields decode (an error names the field), numbers in range on their own
    /// (`JobManifest.check(path:)`; `readPlan(checkedAgainst:)` checks them against the plan).
    ///
    /// - Throws: ``JobError/notAJob(path:)``, ``JobError/damaged(path:reason:)``,
    ///   ``JobError/invalidField(path:field:reason:)``,
    ///   ``JobError/unsupportedFormat(path:version:supported:)``.
    package func manifest() throws -> JobManifest {
        guard isPrepared else { throw JobError.notAJob(path: url.path) }
        let data = try JobFile.contents(manifestURL, limit: JobLimits.maximumManifestBytes)
        struct Version: Decodable { var formatVersion: Int }
        let version = try JobJSON.decode(Version.self, from: data, path: manifestURL.path)
        guard version.formatVersion == JobManifest.currentFormatVersion else {
            throw JobError.unsupportedFormat(
                path: manifestURL.path, version: version.formatVersion, supported: JobManifest.currentFormatVersion)
        }
        var manifest = try JobJSON.decode(JobManifest.self, from: data, path: manifestURL.path)
        try manifest.check(path: manifestURL.path)
        manifest.request.limits = limits  // the request's files are read within the folder's limits
        return manifest
    }

    /// Writes `manifest.json` (through a temporary file and a rename).
    package func write(_ manifest: JobManifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: manifestURL)
    }

    /// The rendered frames present in `frames/` (complete files only: temporary names are
    /// hidden).
    package func renderedFrames() -> Set<Int> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: framesURL.path)) ?? []
        var frames: Set<Int> = []
        for name in names where !name.hasPrefix(".") && name.hasSuffix(".png") {
            if let index = Int(name.dropLast(4)) { frames.insert(index) }
        }
        return frames
    }

    /// `DONE/TOTAL` and the missing ranges of the manifest's frames.
    package func status(of manifest: JobManifest) -> JobStatus {
        JobStatus(frames: manifest.frames, rendered: renderedFrames())
    }

    /// Stores rendered frame `index`: PNG to a temporary name in `frames/`, then a rename.
    package func writeFrame(_ image: RGBImage, index: Int) throws {
        let url = frameURL(index)
        let temporary = AtomicFile.temporaryURL(for: url)
        do {
            try PNGFile.write(image, to: temporary, fast: true)
            try AtomicFile.commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            TemporaryFiles.unregister(temporary)
            throw error
        }
    }

    /// Reads rendered frame `index`: an 8-bit RGB PNG (gray, alpha, palette and 16-bit files
    /// are refused, not converted), not a link.
    ///
    /// - Throws: ``JobError`` naming the frame file and what is wrong.
    package func readFrame(_ index: Int) throws -> RGBImage {
        try JobFile.image(frameURL(index), size: nil, limits: limits)
    }

    /// Reads rendered frame `index`, which must be `size x size` (the job's image size), 8-bit
    /// RGB and not a link.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the frame file and its
    ///   `size` or `pixel format`; ``JobError/damaged(path:reason:)``.
    package func readFrame(_ index: Int, size: Int) throws -> RGBImage {
        try JobFile.image(frameURL(index), size: size, limits: limits)
    }

    /// Removes temporary frame files (`.NNNNNN.png.partial-*`) older than `age` seconds: left
    /// by a process that was killed while writing (writing one takes milliseconds, so an old one
    /// belongs to no live process). Returns how many were removed.
    @discardableResult
    package func removeStalePartials(olderThan age: TimeInterval = 60) -> Int {
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: framesURL.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(".") && name.contains(".png.partial-") {
            let path = framesURL.appendingPathComponent(name).path
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                Date().timeIntervalSince(modified) > age
            else { continue }
            if (try? manager.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }
}
