import Foundation

/// Frames of a clip, read in order. A source can be read more than once (few-shot dubbing
/// reads the first frames for the reference latents, then the whole clip for rendering), from
/// any thread: each reader is independent.
public protocol FrameSource: Sendable {
    /// The number of frames, if known before reading (a frame folder); `nil` for a stream
    /// whose length is only estimated (a decoded video).
    var frameCount: Int? { get }
    /// A name for messages (the file or folder).
    var name: String { get }
    /// A fresh reader positioned at frame 0.
    func makeReader() throws -> any FrameReader
}

/// Sequential access to a clip's frames.
public protocol FrameReader: AnyObject {
    /// The next frame, or `nil` after the last one.
    func next() throws -> RGBImage?
}

/// Receives the output frames of a dubbing run, in order.
///
/// The run owns the sink's ending: after the last frame it calls ``finish()`` once, and when
/// it fails or is cancelled it calls ``discard()`` instead, so an output appears only when
/// complete and a finished output is never removed behind the caller's back.
public protocol FrameSink: AnyObject, Sendable {
    /// Stores output frame `index` (indices increase from the first rendered frame).
    func write(_ frame: RGBImage, index: Int) throws
    /// Whether the sink holds output frame `index` already (a resumed job's rendered frames):
    /// the render loop skips a batch whose frames it all holds, and writes only the missing
    /// frames of the others. Default `false`.
    func holdsFrame(_ index: Int) -> Bool
    /// Completes the output (moves it into place); called once, after the last frame.
    func finish() throws
    /// Abandons the output, removing anything partial; called when the run fails or is
    /// cancelled. Must not throw.
    func discard()
}

extension FrameSink {
    /// Holds no frame ahead of the run.
    public func holdsFrame(_ index: Int) -> Bool { false }
    /// Nothing to complete (a sink that keeps frames in memory or hands them on).
    public func finish() throws {}
    /// Nothing to remove.
    public func discard() {}
}

/// Frames held in memory.
public struct InMemoryFrames: FrameSource {
    /// The frames, in order.
    public var frames: [RGBImage]
    /// A name for messages.
    public var name: String

    /// A source over `frames`.
    public init(_ frames: [RGBImage], name: String = "frames") {
        self.frames = frames
        self.name = name
    }

    /// The number of frames.
    public var frameCount: Int? { frames.count }

    /// A reader over the array.
    public func makeReader() throws -> any FrameReader { ArrayFrameReader(frames) }
}

/// One still image standing for a clip of unlimited length (portrait mode: the same
/// picture is re-rendered for every lip latent).
public struct StillFrame: FrameSource {
    /// The picture.
    public var image: RGBImage
    /// A name for messages.
    public var name: String

    /// A source repeating `image`.
    public init(_ image: RGBImage, name: String = "image") {
        self.image = image
        self.name = name
    }

    /// Unlimited: `nil`.
    public var frameCount: Int? { nil }

    /// A reader returning the image forever.
    public func makeReader() throws -> any FrameReader { RepeatingFrameReader(image) }
}

final class ArrayFrameReader: FrameReader {
    private let frames: [RGBImage]
    private var position = 0
    init(_ frames: [RGBImage]) { self.frames = frames }
    func next() throws -> RGBImage? {
        guard position < frames.count else { return nil }
        defer { position += 1 }
        return frames[position]
    }
}

final class RepeatingFrameReader: FrameReader {
    private let image: RGBImage
    init(_ image: RGBImage) { self.image = image }
    func next() throws -> RGBImage? { image }
}

/// Collects output frames in memory (tests, small clips).
public final class InMemoryFrameSink: FrameSink, @unchecked Sendable {
    private let lock = NSLock()
    private var written: [(index: Int, image: RGBImage)] = []

    /// An empty sink.
    public init() {}

    /// The frames written so far, with their indices.
    public var frames: [(index: Int, image: RGBImage)] { lock.withLock { written } }

    /// Appends the frame.
    public func write(_ frame: RGBImage, index: Int) throws { lock.withLock { written.append((index, frame)) } }
}
