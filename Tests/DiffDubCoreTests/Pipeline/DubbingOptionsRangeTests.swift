@testable import DiffDubCore
import Foundation
import Testing

/// Every option of a run against its range: refused in one line naming the option and the
/// range, with no arithmetic on the value first (issue 29: `Int.max` trapped).
@Suite("Dubbing options in their ranges")
struct DubbingOptionsRangeTests {
    /// The name the refusal of `options` gives, or `nil` when they are accepted.
    static func refusal(_ options: DubbingOptions) -> (name: String, reason: String)? {
        do {
            try options.validate()
            return nil
        } catch DubbingError.invalidOption(let name, _, let reason) {
            return (name, reason)
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("the edges of each numeric option: Int.max and negatives refused, the bounds accepted")
    func edges() {
        let limit = ClipTimingLimits.standard.maximumFrames
        let cases: [(String, (inout DubbingOptions) -> Void)] = [
            ("referenceFrame", { $0.referenceFrame = .max }), ("referenceFrame", { $0.referenceFrame = -1 }),
            ("referenceFrame", { $0.referenceFrame = limit }),
            ("referenceCount", { $0.referenceCount = .max }), ("referenceCount", { $0.referenceCount = 0 }),
            ("steps", { $0.steps = .max }), ("steps", { $0.steps = 0 }), ("steps", { $0.steps = 1001 }),
            ("batchSize", { $0.batchSize = .max }), ("batchSize", { $0.batchSize = 0 }),
            ("frameRange", { $0.frameRange = FrameRange(start: .max) }),
            ("frameRange", { $0.frameRange = FrameRange(start: 5, end: 5) }),
            ("frameRange", { $0.frameRange = FrameRange(start: 0, end: .max) }),
            ("faceRegion", { $0.faceRegion = FaceRegion(x: .max, y: 0, size: 1) }),
            ("faceRegion", { $0.faceRegion = FaceRegion(x: 0, y: 0, size: .max) }),
            ("faceRegion", { $0.faceRegion = FaceRegion(x: -1, y: 0, size: 10) }),
            ("timingLimits.maximumFrames", { $0.timingLimits.maximumFrames = 0 }),
            ("timingLimits.maximumGap", { $0.timingLimits.maximumGap = .infinity }),
            ("timingLimits.maximumGap", { $0.timingLimits.maximumGap = .nan }),
        ]
        for (name, change) in cases {
            var options = DubbingOptions()
            change(&options)
            let refused = Self.refusal(options)
            #expect(refused?.name == name, "\(options)")
            #expect(refused.map { $0.reason.contains("expected") || $0.reason.contains("must") } == true)
        }
        var bounds = DubbingOptions(
            referenceFrame: limit - 1, referenceCount: limit, steps: 1000, batchSize: 256,
            frameRange: FrameRange(start: limit - 1, end: limit),
            faceRegion: FaceRegion(x: FaceRegion.maximumCoordinate, y: 0, size: FaceRegion.maximumCoordinate))
        #expect(Self.refusal(bounds) == nil)
        bounds.timingLimits.maximumFrames = 10
        #expect(Self.refusal(bounds)?.name == "referenceCount", "frame indices follow the timing limits")
    }

    @Test("the refusal is one line naming the option, the value and the range")
    func message() {
        let error = DubbingError.invalidOption(name: "referenceFrame", value: "9223372036854775807", reason: "expected a frame from 0 to 359999")
        var options = DubbingOptions()
        options.referenceFrame = .max
        #expect(throws: error) { try options.validate() }
        #expect(!error.description.contains("\n"))
    }

    @Test("frame regions: parsing refuses what does not fit an Int or the coordinate range; fits never overflows")
    func regions() {
        #expect(FaceRegion(parsing: "9223372036854775807,0,1") == nil)
        #expect(FaceRegion(parsing: "0,0,9223372036854775808") == nil)
        #expect(FaceRegion(parsing: "1,2,") == nil && FaceRegion(parsing: ",1,2") == nil)
        #expect(FaceRegion(parsing: "1, 2, 3") == FaceRegion(x: 1, y: 2, size: 3))
        #expect(!FaceRegion(x: .max, y: 0, size: 1).fits(height: 100, width: 100))
        #expect(!FaceRegion(x: 0, y: .max - 1, size: .max).fits(height: .max, width: .max))
        #expect(!FaceRegion(x: -5, y: 0, size: 10).fits(height: 100, width: 100))
        #expect(FaceRegion(x: 90, y: 90, size: 10).fits(height: 100, width: 100))
        #expect(FrameRange(parsing: "9223372036854775808:") == nil)
        #expect(FrameRange(parsing: "13:20") == FrameRange(start: 13, end: 20))
    }

    @Test("an output timeline: the frame range must start inside it, and its length is bounded")
    func outputChecks() throws {
        var options = DubbingOptions()
        let twelve = try OutputTimeline(latentCount: 12, sourceFrameCount: 12)
        options.frameRange = FrameRange(start: 13, end: 20)
        #expect(throws: DubbingError.frameRangeOutsideOutput(range: FrameRange(start: 13, end: 20), frames: 12)) {
            try options.checkOutput(twelve)
        }
        options.frameRange = FrameRange(start: 12)
        #expect(throws: DubbingError.self) { try options.checkOutput(twelve) }
        options.frameRange = FrameRange(start: 11, end: 20)
        try options.checkOutput(twelve)  // a slice that runs past the end is cut to it
        options.frameRange = FrameRange()
        options.timingLimits.maximumFrames = 11
        #expect(throws: TimelineError.tooManyFrames(count: 12, limit: 11)) { try options.checkOutput(twelve) }
        // A source "rate" of a million fps over 10 s of speech: 10 million frames.
        let fast = try OutputTimeline(
            latentCount: 250, sourceFrameCount: 10, frameRate: .source(FrameRate(numerator: 1_000_000)!))
        #expect(throws: TimelineError.tooManyFrames(count: 10_000_000, limit: 360_000)) {
            try DubbingOptions().checkOutput(fast)
        }
    }

    @Test("options written before strict and the timing limits existed still read, with their defaults")
    func decoding() throws {
        let old = #"{"steps": 7, "batchSize": 2}"#
        let options = try JSONDecoder().decode(DubbingOptions.self, from: Data(old.utf8))
        #expect(options.steps == 7 && !options.strict && options.timingLimits == .standard)
        var strict = DubbingOptions(strict: true)
        strict.timingLimits.maximumGap = 2.5
        let again = try JSONDecoder().decode(DubbingOptions.self, from: JSONEncoder().encode(strict))
        #expect(again == strict)
    }
}
