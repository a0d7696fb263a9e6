/// Scores a clip fed one frame at a time, with the arithmetic of
/// ``SyncNet/evaluate(frames:samples:vshift:)`` (which is this scorer fed an array): lip
/// embeddings are computed while the frames arrive, in the same batches of
/// ``SyncNet/windowBatch`` windows, so only a ring of at most ``heldFrameLimit`` (21) frames and
/// the 1024-d embeddings are kept, never the clip. Memory is flat in the clip's length.
///
/// ```
/// A       = sampleCount / 640                          audio frames
/// windows = min(frames, A) - 5                          (SyncNetInstance.evaluate; known at the end)
/// batch at window f: frames f ..< f + 20 -> windows f ..< f + 16, run as soon as frame f + 20
///          has arrived and f + 21 <= A (then windows >= f + 16: the batch is whole)
/// at the end: the remaining windows f ..< windows from frames f ..< windows + 4
/// scores  = SyncScores(lips, audioEmbeddings(samples, windows), vshift)
/// ```
/// The batches are those of ``SyncNet/lipEmbeddings(frames:windows:)`` (whole batches of 16
/// from window 0, the rest last), so the embeddings are bit-identical to the array path's.
/// Frames from `A` on are counted and checked, never held (no window reaches them).
///
/// ```swift
/// var scorer = SyncScorer(syncNet, sampleCount: speech.count)
/// while let frame = try reader.next() { scorer.append(frame) }
/// let scores = try scorer.scores(samples: speech)
/// ```
package struct SyncScorer: Sendable {
    /// The most frames a scorer holds: a whole batch's `windowBatch + 4` frames and the one
    /// after them that shows the batch is whole.
    package static let heldFrameLimit = SyncNet.windowBatch + SyncNetLipStack.frames

    /// The model.
    package let syncNet: SyncNet
    /// The number of 16 kHz samples the scores will be computed against.
    package let sampleCount: Int
    /// Shifts tried either way, in frames.
    package let vshift: Int
    /// Frames appended so far.
    package private(set) var frameCount = 0
    /// The most frames held at once so far (at most ``heldFrameLimit``).
    package private(set) var peakHeldFrames = 0

    /// Frames `firstWindow ..< firstWindow + ring.count`, not yet past every window they are in.
    private var ring: [RGBImage] = []
    /// The first window whose lip embedding is not computed yet.
    private var firstWindow = 0
    /// Lip embeddings `[count, 1024]` of the batches computed so far, in order.
    private var lipBatches: [Tensor] = []
    /// The first frame that is not 224 x 224, if any (reported by ``scores(samples:)``).
    private var wrongSize: SyncNetError?

    /// A scorer for a clip whose speech will have `sampleCount` samples at 16 kHz.
    ///
    /// - Precondition: `vshift >= 0`.
    package init(_ syncNet: SyncNet, sampleCount: Int, vshift: Int = 15) {
        precondition(vshift >= 0, "SyncScorer: vshift \(vshift) is negative")
        self.syncNet = syncNet
        self.sampleCount = sampleCount
        self.vshift = vshift
    }

    /// Frames held now.
    package var heldFrames: Int { ring.count }

    /// Audio frames: `sampleCount / 640`. No window reaches a frame from here on.
    private var audioFrames: Int { sampleCount / SyncNet.samplesPerFrame }

    /// Takes the next frame (a 224 x 224 face crop, RGB) and computes the batch of windows it
    /// completes, if any. A frame of another size is remembered and reported by
    /// ``scores(samples:)``; from then on nothing more is computed.
    package mutating func append(_ frame: RGBImage) {
        let index = frameCount
        frameCount += 1
        guard wrongSize == nil else { return }
        guard frame.width == SyncNetLipStack.side && frame.height == SyncNetLipStack.side else {
            wrongSize = .frameSize(index: index, width: frame.width, height: frame.height)
            ring = []
            return
        }
        guard index < audioFrames else { return }
        ring.append(frame)
        peakHeldFrames = max(peakHeldFrames, ring.count)
        let batch = SyncNet.windowBatch
        // Frame firstWindow + batch + 4 has arrived and the audio reaches it: windows
        // firstWindow ..< firstWindow + batch all exist.
        if ring.count == Self.heldFrameLimit {
            lipBatches.append(syncNet.lipEmbeddings(frameRun: SyncNet.bgrVolume(ring[0..<(batch + 4)])))
            ring.removeFirst(batch)
            firstWindow += batch
        }
    }

    /// The scores of the frames appended against `samples` (mono 16 kHz on the int16 scale,
    /// ``SyncNet/pcm16Scaled(_:)``), as `SyncNetInstance.evaluate` computes them.
    ///
    /// - Throws: ``SyncNetError/tooFewFrames(found:needed:)``, then
    ///   ``SyncNetError/audioTooShort(seconds:needed:)``, then
    ///   ``SyncNetError/frameSize(index:width:height:)`` (the first such frame), in that order,
    ///   when there is not one window to score or a frame was not 224 x 224.
    /// - Precondition: `samples.count == sampleCount`.
    package func scores(samples: [Float]) throws -> SyncScores {
        precondition(samples.count == sampleCount, "SyncScorer: \(samples.count) samples, announced \(sampleCount)")
        let needed = SyncNetLipStack.frames + 1
        guard frameCount >= needed else { throw SyncNetError.tooFewFrames(found: frameCount, needed: needed) }
        try Self.checkSpeech(sampleCount: sampleCount)
        if let wrongSize { throw wrongSize }
        let windows = SyncNet.windowCount(frames: frameCount, samples: sampleCount)
        var batches = lipBatches
        let remaining = windows - firstWindow
        if remaining > 0 {
            batches.append(syncNet.lipEmbeddings(frameRun: SyncNet.bgrVolume(ring[0..<(remaining + 4)])))
        }
        let lips = concat(batches, axis: 0)
        let audio = syncNet.audioEmbeddings(samples: samples, windows: windows)
        return SyncScores(lipEmbeddings: lips, audioEmbeddings: audio, vshift: vshift)
    }

    /// Whether `sampleCount` samples at 16 kHz are enough speech for one window (6 frames).
    ///
    /// - Throws: ``SyncNetError/audioTooShort(seconds:needed:)`` when they are not.
    package static func checkSpeech(sampleCount: Int) throws {
        let needed = SyncNetLipStack.frames + 1
        guard sampleCount / SyncNet.samplesPerFrame >= needed else {
            throw SyncNetError.audioTooShort(
                seconds: Double(sampleCount) / Double(SyncNet.sampleRate),
                needed: Double(needed * SyncNet.samplesPerFrame) / Double(SyncNet.sampleRate))
        }
    }
}
