import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird
import HummingbirdTesting
import IOTestSupport
import TestSupport

import DiffDubServe

/// The server of the tests: the random-weight fixture models (image size 32, the real
/// FaceBoxesV2 and the fixture PIPNet), loaded once; a short clip of the detector's portrait
/// made with ffmpeg, the fixture Hubert features (10 output frames) and a tone as the speech.
enum ServeFixture {
    static var ffmpegAvailable: Bool { FFmpeg.isAvailable }

    static let models = ServeModels(
        stage1: Fixtures.url("pipeline/stage1.ckpt"), stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32,
        detector: Fixtures.url("detector/faceboxesv2.pth"), landmarkModel: Fixtures.url("pipnet/pipnet.pth"))

    /// The models, loaded once for every test.
    static let session: DubbingSession = try! models.loadSession()

    /// A configuration over `data` (small bounds where a test needs them).
    static func configuration(
        data: URL, token: String? = nil, maxUploadBytes: Int = 64 << 20, maxQueuedJobs: Int = 100
    ) -> ServeConfiguration {
        ServeConfiguration(
            dataFolder: data, token: token, maxUploadBytes: maxUploadBytes, maxQueuedJobs: maxQueuedJobs,
            compute: ComputeSettings(threads: 2), toolVersion: "test")
    }

    /// A server over `data` sharing the loaded session.
    static func server(
        data: URL, token: String? = nil, maxUploadBytes: Int = 64 << 20, maxQueuedJobs: Int = 100
    ) throws -> ServeServer {
        try ServeServer(
            configuration: configuration(
                data: data, token: token, maxUploadBytes: maxUploadBytes, maxQueuedJobs: maxQueuedJobs),
            models: models, session: session)
    }

    /// The application with its workers (jobs run) or without (jobs stay queued).
    static func application(_ server: ServeServer, workers: Bool = true) -> some ApplicationProtocol {
        Application(router: server.router(), services: workers ? [server.workers] : [])
    }

    /// 10 frames (0.4 s at 25 fps) of the portrait at 128 x 128, H.264.
    static func video(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("clip.mp4")
        try FFmpeg.run([
            "-loop", "1", "-framerate", "25", "-i", Fixtures.url("detector/inputs/portrait.png").path, "-vf", "scale=128:128",
            "-frames:v", "10", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", url.path,
        ])
        return url
    }

    /// 0.4 s of a 440 Hz tone, 16 kHz mono WAV.
    static func audio(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("speech.wav")
        try FFmpeg.run(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.4:sample_rate=16000", "-ac", "1", url.path])
        return url
    }

    /// The fixture Hubert features.
    static var hubert: URL { Fixtures.url("pipeline/hubert.npy") }
}

/// A `multipart/form-data` body.
struct MultipartForm {
    let boundary = "diffdub-test-boundary-7f3a"
    var parts: [(name: String, filename: String?, data: Data)] = []

    mutating func file(_ name: String, _ url: URL) throws {
        parts.append((name, url.lastPathComponent, try Data(contentsOf: url)))
    }

    mutating func file(_ name: String, filename: String, data: Data) { parts.append((name, filename, data)) }

    mutating func field(_ name: String, _ value: String) { parts.append((name, nil, Data(value.utf8))) }

    var body: ByteBuffer {
        var data = Data()
        for part in parts {
            data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"".utf8))
            if let filename = part.filename { data.append(Data("; filename=\"\(filename)\"".utf8)) }
            data.append(Data("\r\n".utf8))
            if part.filename != nil { data.append(Data("Content-Type: application/octet-stream\r\n".utf8)) }
            data.append(Data("\r\n".utf8))
            data.append(part.data)
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: data)
    }

    var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return headers
    }
}

/// Reading responses.
extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        get throws {
            guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
                throw TestFailure("not a JSON object: \(String(buffer: body))")
            }
            return object
        }
    }

    /// The `error` of an error body.
    var errorMessage: String? { (try? json)?["error"] as? String }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Job folders and server entries under a data folder (to check that a refused upload left
/// nothing behind).
func jobEntries(in data: URL) -> [String] {
    let top = (try? FileManager.default.contentsOfDirectory(atPath: data.path)) ?? []
    let serve = (try? FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("serve").path)) ?? []
    return top.filter { $0 != "serve" } + serve.map { "serve/" + $0 }
}
