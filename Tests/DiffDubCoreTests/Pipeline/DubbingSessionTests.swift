import DiffDubCore
import Foundation
import Synchronization
import Testing

/// The dubbing session: one set of models shared by dubs running at the same time, the one
/// render loop (blocks, frames a sink holds, a progress answer that stops it), and plans that
/// carry the precision. Small random models (32 x 32 frames) and synthetic clips: no files.
@Suite("Dubbing session")
struct DubbingSessionTests {
    static let rendererConfiguration = RendererConfiguration(
        imageSize: 32,
        unet: UNetConfiguration(
            inChannels: 6, outChannels: 3, modelChannels: 32, channelMultipliers: [1, 2],
            resBlocksPerLevel: 1, attentionLevels: [1], embedChannels: 32, styleChannels: 32),
        encoder: SemanticEncoderConfiguration(
            inChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 2], resBlocksPerLevel: 1,
            attentionLevels: [1], outChannels: 32))
    static let predictorConfiguration = LipLatentPredictorConfiguration(
        hubertLayers: 3, audioWidth: 16, latentWidth: 32)

    /// A session of random models from `seed`.
    static func session(seed: UInt64 = 11) throws -> DubbingSession {
        try DubbingSession(
            renderer: Renderer(WeightBinder(randomSeed: seed), configuration: rendererConfiguration),
            lipPredictor: LipLatentPredictor(WeightBinder(randomSeed: seed &+ 1), configuration: predictorConfiguration))
    }

    /// `count` frames of 40 x 40 noise from `seed`, the face square at (4, 4) of side 32, the
    /// 300W mean face in it, and `hubertFrames` frames of random speech features.
    static func inputs(seed: UInt64, count: Int = 6, hubertFrames: Int = 12) -> DubbingInputs {
        var generator = SplitMix64(seed: seed)
        let frames = (0..<count).map { _ in
            RGBImage(height: 40, width: 40, pixels: (0..<(40 * 40 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        let face = FaceLandmarks(points: PIPNetMeanFace.points300W.map { SIMD2(Float(4 + 32 * $0.x), Float(4 + 32 * $0.y)) })
        let hubert = Tensor(
            shape: [3, hubertFrames, 16],
            scalars: (0..<(3 * hubertFrames * 16)).map { _ in Float.random(in: -1...1, using: &generator) })
        return DubbingInputs(
            frames: InMemoryFrames(frames), landmarks: .track(.fixed(face), name: "mean face"),
            speech: .features(hubert, name: "speech \(seed)"), noiseSeed: seed)
    }

    static let options = DubbingOptions(
        referenceCount: 4, steps: 2, faceRegion: FaceRegion(x: 4, y: 4, size: 32))

    /// Prepares and renders `inputs` with `session` into memory.
    static func dub(_ inputs: DubbingInputs, session: DubbingSession, options: DubbingOptions = options) async throws
        -> [RGBImage]
    {
        let plan = try await session.prepare(inputs, options: options, compute: ComputeSettings(threads: 1))
        let sink = InMemoryFrameSink()
        _ = try await session.render(plan, from: .clip(inputs.frames), into: sink, compute: ComputeSettings(threads: 1))
        return sink.frames.map(\.image)
    }

    @Test("one session, two clips at the same time: the frames of two separate dubs")
    func concurrentDubs() async throws {
        let (first, second) = (Self.inputs(seed: 1), Self.inputs(seed: 2, count: 5, hubertFrames: 9))
        let alone = (try await Self.dub(first, session: try Self.session()), try await Self.dub(second, session: try Self.session()))
        let shared = try Self.session()
        async let a = Self.dub(first, session: shared)
        async let b = Self.dub(second, session: shared)
        let together = try await (a, b)
        #expect(together.0 == alone.0)
        #expect(together.1 == alone.1)
        #expect(alone.0.count == 6 && alone.1.count == 5)
        #expect(Array(alone.0.prefix(5)) != alone.1)
    }

    @Test("blocks of a plan render the frames of the whole plan; frames the sink holds are skipped")
    func blocksAndHeldFrames() async throws {
        let session = try Self.session()
        let inputs = Self.inputs(seed: 3)
        var options = Self.options
        options.batchSize = 2
        let plan = try await session.prepare(inputs, options: options)
        let whole = InMemoryFrameSink()
        _ = try await session.render(plan, from: .clip(inputs.frames), into: whole)
        let partial = HoldingSink(held: [0, 1, 5])
        let summary = try await session.render(plan, from: .clip(inputs.frames), into: partial, blocks: [0..<2, 4..<6])
        #expect(summary == RenderSummary(rendered: 1, skipped: 3))
        #expect(partial.frames.map(\.index) == [4])
        #expect(partial.frames.first?.image == whole.frames[4].image)
        #expect(partial.finished.withLock { $0 })
    }

    @Test("a progress answer of stop ends the render with CancellationError and discards the sink")
    func progressStops() async throws {
        let session = try Self.session()
        let inputs = Self.inputs(seed: 4)
        let plan = try await session.prepare(inputs, options: Self.options)
        let sink = HoldingSink(held: [])
        await #expect(throws: CancellationError.self) {
            try await session.render(plan, from: .clip(inputs.frames), into: sink) { report in
                report.stage == .rendering && report.completed >= 2 ? .stop : .proceed
            }
        }
        #expect(sink.discarded.withLock { $0 })
        #expect(!sink.finished.withLock { $0 })
        #expect(sink.frames.count == 2)
        await #expect(throws: CancellationError.self) {
            try await session.prepare(inputs, options: Self.options) { _ in .stop }
        }
    }

    @Test("the plan carries the precision: bf16 frames differ from fp32 ones on every CPU")
    func precisionTravelsInThePlan() async throws {
        let session = try Self.session()
        let inputs = Self.inputs(seed: 5, count: 2, hubertFrames: 4)
        var options = Self.options
        options.precision = .bf16
        let plan = try await session.prepare(inputs, options: options)
        #expect(plan.options.precision == .bf16)
        let bf16 = try await Self.dub(inputs, session: session, options: options)
        let again = try await Self.dub(inputs, session: session, options: options)
        let fp32 = try await Self.dub(inputs, session: session)
        #expect(bf16 == again)
        #expect(bf16 != fp32)
    }

    /// Nothing a caller binds decides the arithmetic: the precision travels in the plan as a value
    /// to the kernels, so the async render (on a thread of its own, ``runOnOwnThread``) and the
    /// same plan rendered on the calling thread give the same bf16 frames, bit for bit.
    @Test("a render on its own thread keeps its settings: the bf16 frames of the calling thread")
    func ownThreadKeepsThePrecision() async throws {
        let session = try Self.session()
        let inputs = Self.inputs(seed: 7, count: 2, hubertFrames: 4)
        var options = Self.options
        options.precision = .bf16
        let compute = ComputeSettings(threads: 2)
        let plan = try await session.prepare(inputs, options: options, compute: compute)
        let onItsThread = InMemoryFrameSink()
        _ = try await session.render(plan, from: .clip(inputs.frames), into: onItsThread, compute: compute)
        let here = InMemoryFrameSink()
        _ = try session.renderSynchronously(plan, from: .clip(inputs.frames), into: here, compute: compute)
        let fp32Plan = try await session.prepare(inputs, options: Self.options, compute: compute)
        let fp32 = InMemoryFrameSink()
        _ = try await session.render(fp32Plan, from: .clip(inputs.frames), into: fp32, compute: compute)
        #expect(onItsThread.frames.count == 2)
        #expect(onItsThread.frames.map(\.image) == here.frames.map(\.image))
        #expect(onItsThread.frames.map(\.image) != fp32.frames.map(\.image))
    }

    @Test("inputs that need a model the session lacks are refused before any work")
    func missingModels() async throws {
        var inputs = Self.inputs(seed: 6)
        inputs.landmarks = .detect(FaceTrackingOptions())
        await #expect(throws: DubbingError.self) { try await Self.session().prepare(inputs, options: Self.options) }
        inputs = Self.inputs(seed: 6)
        inputs.speech = .waveform(samples: [0.1, 0.2], sampleRate: 16000, name: "speech")
        await #expect(throws: DubbingError.self) { try await Self.session().prepare(inputs, options: Self.options) }
    }
}

/// A sink holding some frames ahead (as a resumed job's folder does), recording its ending.
final class HoldingSink: FrameSink {
    let held: Set<Int>
    private let written = Mutex<[(index: Int, image: RGBImage)]>([])
    let finished = Mutex(false)
    let discarded = Mutex(false)

    init(held: Set<Int>) { self.held = held }

    var frames: [(index: Int, image: RGBImage)] { written.withLock { $0 } }
    func write(_ frame: RGBImage, index: Int) throws { written.withLock { $0.append((index, frame)) } }
    func holdsFrame(_ index: Int) -> Bool { held.contains(index) }
    func finish() throws { finished.withLock { $0 = true } }
    func discard() { discarded.withLock { $0 = true } }
}
