import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird
import HummingbirdTesting
import IOTestSupport
import TestSupport
import Testing

import DiffDubServe

/// Every route of the API and its errors, through HummingbirdTesting's router client (no
/// socket), with the fixture models.
@Suite("diffdub serve: routes", .serialized)
struct APIRoutesTests {
    /// Creates a job from `form`, requiring 201; returns its id.
    static func create(_ client: some TestClientProtocol, _ form: MultipartForm, uri: String = "/api/jobs") async throws -> String {
        try await client.execute(uri: uri, method: .post, headers: form.headers, body: form.body) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let json = try response.json
            #expect(json["status"] as? String == "queued")
            return try #require(json["id"] as? String)
        }
    }

    /// Polls the job until it is in a final state (or 300 s pass: a hang fails the test).
    static func waitForEnd(_ client: some TestClientProtocol, _ id: String) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let json = try await client.execute(uri: "/api/jobs/\(id)", method: .get) { try $0.json }
            if let status = json["status"] as? String, ["done", "failed", "cancelled"].contains(status) { return json }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("job \(id) did not end")
    }

    /// The good form: the clip, the tone, the fixture features, 3 steps.
    static func goodForm(in directory: URL) throws -> MultipartForm {
        var form = MultipartForm()
        try form.file("video", try ServeFixture.video(in: directory))
        try form.file("audio", try ServeFixture.audio(in: directory))
        try form.file("hubert", ServeFixture.hubert)
        form.field("steps", "3")
        form.field("seed", "7")
        return form
    }

    /// The MP4 `dub` writes from job `id`'s uploads with the same options (`--video`, `--hubert`,
    /// `--audio`, `--seed`, `--steps`, faces detected).
    static func dubOutput(data: URL, id: String, seed: UInt64, steps: Int, in directory: URL) async throws -> Data {
        let dubbed = directory.appendingPathComponent("dub-\(id).mp4")
        let inputs = data.appendingPathComponent("serve/\(id)/inputs")
        var request = DubbingRequest(
            models: .files(stage1: ServeFixture.models.stage1, stage2: ServeFixture.models.stage2, imageSize: 32),
            frames: .video(inputs.appendingPathComponent("video")),
            landmarks: .detect(.init(detector: ServeFixture.models.detector, landmarkModel: ServeFixture.models.landmarkModel)),
            speech: .hubertFeatures(inputs.appendingPathComponent("hubert.npy")),
            audio: inputs.appendingPathComponent("audio"), noise: .seed(seed), output: .video(dubbed))
        request.options.steps = steps
        _ = try await request.run()
        return try Data(contentsOf: dubbed)
    }

    @Test("GET /api/health, the page and its assets")
    func healthAndPage() async throws {
        let directory = try TemporaryDirectory()
        let server = try ServeFixture.server(data: directory.url)
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .ok)
                let json = try response.json
                #expect(json["status"] as? String == "ok")
            }
            for (path, type) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                    #expect(response.body.readableBytes > 0)
                }
            }
            try await client.execute(uri: "/no/such/path", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorMessage != nil)
            }
        }
    }

    @Test(
        "POST /api/jobs runs a job to done: list, get, events, preview, latest frame, output equal to dub's; job status works on its folder",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func jobToDone() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let server = try ServeFixture.server(data: data)
        let form = try Self.goodForm(in: directory.url)
        let root = directory.url
        let id = try await ServeFixture.application(server).test(.router) { client in
            let id = try await Self.create(client, form)
            let list = try await client.execute(uri: "/api/jobs", method: .get) { try $0.json }
            let jobs = try #require(list["jobs"] as? [[String: Any]])
            #expect(jobs.map { $0["id"] as? String } == [id])

            let end = try await Self.waitForEnd(client, id)
            #expect(end["status"] as? String == "done", "\(end)")
            #expect(end["resumed_frames"] as? Int == 0)
            let options = try #require(end["options"] as? [String: Any])
            #expect(options["steps"] as? Int == 3)
            #expect(options["seed"] as? Int == 7)
            #expect(options["one_shot"] as? Bool == true)
            let progress = try #require(end["progress"] as? [String: Any])
            for key in ["completed", "total", "step", "steps", "eta_s"] { #expect(progress.keys.contains(key), "\(key)") }

            try await client.execute(uri: "/api/jobs/\(id)/events", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("event: job\ndata: {"))
                #expect(text.contains("\"status\":\"done\""))
            }
            for image in ["preview.png", "frame.png"] {
                try await client.execute(uri: "/api/jobs/\(id)/\(image)", method: .get) { response in
                    #expect(response.status == .ok, "\(image)")
                    #expect(response.headers[.contentType] == "image/png")
                    let picture = try PNGFile.decode(Data(response.body.readableBytesView), path: image)
                    #expect(picture.width > 0)
                }
            }
            let output = try await client.execute(uri: "/api/jobs/\(id)/output", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "video/mp4")
                return Data(response.body.readableBytesView)
            }
            #expect(output == (try await Self.dubOutput(data: data, id: id, seed: 7, steps: 3, in: root)))
            return id
        }
        // The job folder is one of `diffdub job`'s.
        let folder = JobFolder(data.appendingPathComponent(id))
        #expect(folder.status(of: try folder.manifest()).isComplete)
    }

    @Test("refused uploads: 400 (not a video, wrong .npy shape, unknown field, bad value, no speech) and 413, no job left behind",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func refusedUploads() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let server = try ServeFixture.server(data: data, maxUploadBytes: 1 << 20)
        let good = try Self.goodForm(in: directory.url)
        var notVideo = good
        notVideo.parts[0] = ("video", "clip.mp4", Data("this is not a video\n".utf8))
        var wrongShape = good
        let badNPY = directory.url.appendingPathComponent("bad.npy")
        try NumPyFile.write(Tensor(shape: [3, 4], repeating: 0), to: badNPY)
        wrongShape.parts[2] = ("hubert", "bad.npy", try Data(contentsOf: badNPY))
        var unknown = good
        unknown.field("stpes", "3")
        var badValue = good
        badValue.field("sampler", "euler")
        var badSteps = good
        badSteps.parts[3] = ("steps", nil, Data("0".utf8))
        var noSpeech = MultipartForm()
        try noSpeech.file("video", try ServeFixture.video(in: directory.url))
        var tooBig = good
        tooBig.parts[0] = ("video", "big.mp4", Data(count: 2 << 20))
        let cases: [(String, MultipartForm, HTTPResponse.Status, String)] = [
            ("not a video", notVideo, .badRequest, "video \"clip.mp4\""),
            ("wrong shape", wrongShape, .badRequest, "hubert \"bad.npy\": shape [3, 4]"),
            ("unknown field", unknown, .badRequest, "unknown field \"stpes\""),
            ("bad value", badValue, .badRequest, "sampler \"euler\""),
            ("bad steps", badSteps, .badRequest, "steps"),
            ("no speech", noSpeech, .badRequest, "give the speech"),
            ("too big", tooBig, .contentTooLarge, "--max-upload-mb"),
        ]
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            for (name, form, status, message) in cases {
                try await client.execute(uri: "/api/jobs", method: .post, headers: form.headers, body: form.body) { response in
                    #expect(response.status == status, "\(name): \(String(buffer: response.body))")
                    let error = response.errorMessage ?? ""
                    #expect(error.contains(message), "\(name): \(error)")
                    #expect(!error.contains(data.path), "\(name) shows a server path: \(error)")
                }
                #expect(jobEntries(in: data).isEmpty, "\(name) left \(jobEntries(in: data))")
            }
            try await client.execute(uri: "/api/jobs", method: .post, body: ByteBuffer(string: "steps=3")) { response in
                #expect(response.status == .badRequest)
            }
            let list = try await client.execute(uri: "/api/jobs", method: .get) { try $0.json }
            #expect((list["jobs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("unknown ids: 404 on every job route; output and preview of a queued job: 409; cancel, cancel again 409, delete",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func idsCancelDelete() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let server = try ServeFixture.server(data: data)
        let form = try Self.goodForm(in: directory.url)
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            for id in ["0123456789abcdef", "..%2F..%2Fetc", "ZZZ"] {
                for (method, suffix) in [
                    (HTTPRequest.Method.get, ""), (.get, "/events"), (.get, "/preview.png"), (.get, "/frame.png"),
                    (.get, "/output"), (.post, "/cancel"), (.delete, ""),
                ] {
                    try await client.execute(uri: "/api/jobs/\(id)\(suffix)", method: method) { response in
                        #expect(response.status == .notFound, "\(method) \(id)\(suffix)")
                        #expect(response.errorMessage != nil)
                    }
                }
            }
            let id = try await Self.create(client, form)
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("serve/\(id)/job.json").path))
            for suffix in ["/output", "/preview.png", "/frame.png"] {
                try await client.execute(uri: "/api/jobs/\(id)\(suffix)", method: .get) { response in
                    #expect(response.status == .conflict, "\(suffix)")
                    #expect(response.errorMessage != nil)
                }
            }
            try await client.execute(uri: "/api/jobs/\(id)/cancel", method: .post) { response in
                #expect(response.status == .accepted)
                let json = try response.json
                #expect(json["status"] as? String == "cancelled")
            }
            try await client.execute(uri: "/api/jobs/\(id)/cancel", method: .post) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/jobs/\(id)/events", method: .get) { response in
                #expect(String(buffer: response.body).contains("\"status\":\"cancelled\""))
            }
            try await client.execute(uri: "/api/jobs/\(id)", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/jobs/\(id)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            #expect(jobEntries(in: data).isEmpty)
        }
    }

    @Test("--max-queued-jobs: a job over the bound is refused with 429 and leaves nothing", .enabled(if: ServeFixture.ffmpegAvailable))
    func queueBound() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let server = try ServeFixture.server(data: data, maxQueuedJobs: 1)
        let form = try Self.goodForm(in: directory.url)
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            let id = try await Self.create(client, form)
            try await client.execute(uri: "/api/jobs", method: .post, headers: form.headers, body: form.body) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.errorMessage?.contains("--max-queued-jobs") == true)
            }
            #expect(jobEntries(in: data) == ["serve/\(id)"])
        }
    }

    @Test("with --token: /api and /openapi.json need the bearer token (or ?token= on a GET), the page is open")
    func token() async throws {
        let directory = try TemporaryDirectory()
        let server = try ServeFixture.server(data: directory.url, token: "s3cret")
        try await ServeFixture.application(server, workers: false).test(.router) { client in
            for path in ["/api/health", "/api/jobs", "/openapi.json", "/api/jobs/0123456789abcdef"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.errorMessage?.contains("token") == true)
                }
            }
            var wrong = HTTPFields()
            wrong[.authorization] = "Bearer s3cre"
            try await client.execute(uri: "/api/health", method: .get, headers: wrong) { #expect($0.status == .unauthorized) }
            var right = HTTPFields()
            right[.authorization] = "Bearer s3cret"
            try await client.execute(uri: "/api/health", method: .get, headers: right) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/health?token=s3cret", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/jobs?token=s3cret", method: .post) { #expect($0.status == .unauthorized) }
            for path in ["/", "/app.js", "/style.css"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok, "\(path)") }
            }
        }
    }

    @Test("a non-loopback host without a token refuses to start")
    func hostNeedsToken() throws {
        let directory = try TemporaryDirectory()
        var configuration = ServeFixture.configuration(data: directory.url)
        configuration.host = "0.0.0.0"
        #expect(throws: ServeStartError.tokenRequired(host: "0.0.0.0")) { try configuration.validate() }
        configuration.token = "t"
        try configuration.validate()
    }
}
