import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird
import HummingbirdTesting
import IOTestSupport
import TestSupport
import Testing

import DiffDubServe

/// A server started again over the data folder of one that stopped mid-render: the job goes
/// back in the queue, continues from the frames already written (`resumed_frames`), ends equal
/// to `dub`, and a later start still serves the finished output.
@Suite("diffdub serve: recovery", .serialized)
struct RecoveryTests {
    @Test("a job stopped mid-render resumes from its frames and equals dub; its output survives another restart",
        .enabled(if: ServeFixture.ffmpegAvailable))
    func resumeMidRender() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        let form = try APIRoutesTests.goodForm(in: directory.url)
        // A first server takes the job (its workers never run).
        let first = try ServeFixture.server(data: data)
        let id = try await ServeFixture.application(first, workers: false).test(.router) { client in
            try await APIRoutesTests.create(client, form)
        }
        // What a server killed mid-render leaves: the folder prepared, half the frames rendered,
        // job.json saying `rendering`.
        let folder = ServeDataFolder(data)
        let jobID = try #require(JobID(id))
        var record = try #require(folder.readRecords().first)
        let request = folder.request(for: record, models: ServeFixture.models, compute: ComputeSettings(threads: 2))
        let jobFolder = folder.jobFolder(jobID)
        _ = try await jobFolder.prepare(request, session: ServeFixture.session, toolVersion: "test")
        _ = try await jobFolder.render(shard: try JobShard(index: 0, count: 2), session: ServeFixture.session)
        let written = jobFolder.renderedFrames().count
        #expect(written > 0 && written < 10)
        record.status = .rendering
        record.renderStarted = true
        try folder.write(record)

        let second = try ServeFixture.server(data: data)
        #expect(second.board.record(jobID)?.status == .queued)
        let output = try await ServeFixture.application(second).test(.router) { client in
            let end = try await APIRoutesTests.waitForEnd(client, id)
            #expect(end["status"] as? String == "done", "\(end)")
            #expect(end["resumed_frames"] as? Int == written)
            return try await client.execute(uri: "/api/jobs/\(id)/output", method: .get) { Data($0.body.readableBytesView) }
        }
        #expect(output == (try await APIRoutesTests.dubOutput(data: data, id: id, seed: 7, steps: 3, in: directory.url)))

        let third = try ServeFixture.server(data: data)
        try await ServeFixture.application(third).test(.router) { client in
            try await client.execute(uri: "/api/jobs/\(id)/output", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == output)
            }
        }
    }
}
