import DiffDubCore
import Foundation

/// Decodes a video to RGB frames through `ffmpeg`, one frame at a time:
/// `ffmpeg -i <file> -vf fps=N/D -f rawvideo -pix_fmt rgb24 -` (no rate filter for
/// ``Timing/asDecoded``, except for a variable-frame-rate video, whose frames come at its average
/// rate). ffmpeg applies the display rotation (phones store portrait video as landscape plus a
/// rotation), so frames come out upright at the probed width and height, which account for it;
/// frames are taken at their timestamps, so variable frame rates come out in time. Only one
/// frame is in memory at a time unless ``readAll()`` is used.
///
/// ```swift
/// let reader = try VideoReader(url)                        // resampled to 25 fps
/// let native = try VideoReader(url, timing: .sourceRate)   // the file's own rate
/// while let frame = try reader.nextFrame() { ... }
/// ```
package final class VideoReader {
    /// Which frames a reader returns.
    package enum Timing: Sendable, Equatable {
        /// Resampled to a constant rate (frames dropped or repeated): `-vf fps=N/D`.
        case resampled(FrameRate)
        /// At the file's own average rate (probed, ``VideoInfo/rate``), constant: a
        /// constant-rate file gives exactly its frames, a variable-rate one is made constant at
        /// its average rate, so frame `i` is the picture at time `i / rate`.
        case sourceRate
        /// The decoded frames as they are, without any rate conversion (a variable-rate file:
        /// at its average rate).
        case asDecoded
    }

    /// The file being decoded.
    package let url: URL
    /// What ffprobe found (size, source rate, audio).
    package let info: VideoInfo
    /// Frame width in pixels.
    package var width: Int { info.width }
    /// Frame height in pixels.
    package var height: Int { info.height }
    /// The rate of the returned frames, or nil for ``Timing/asDecoded``.
    package let rate: FrameRate?
    /// The output frame rate rounded to an integer, or nil for the source's own frames.
    package var frameRate: Int? { rate.map { Int($0.framesPerSecond.rounded()) } }
    /// Frames returned so far.
    package private(set) var framesRead = 0

    private let tool: RunningTool
    private var done = false

    /// Opens `url` for decoding, resampled to `frameRate` frames per second (25 by default,
    /// the rate DiffDub works at; nil keeps the decoded frames as they are).
    ///
    /// - Throws: ``VideoError`` when ffmpeg/ffprobe are missing or the file has no video.
    package convenience init(_ url: URL, frameRate: Int? = 25, limits: ReaderLimits = .standard) throws {
        precondition(frameRate.map { $0 > 0 } ?? true, "VideoReader: frame rate \(frameRate ?? 0)")
        try self.init(
            url, timing: frameRate.flatMap { FrameRate(numerator: $0) }.map { .resampled($0) } ?? .asDecoded,
            limits: limits)
    }

    /// Opens `url` for decoding with the given timing.
    ///
    /// - Throws: ``VideoError`` when ffmpeg/ffprobe are missing or the file has no video;
    ///   ``VideoError/probeFailed(path:reason:)`` for ``Timing/sourceRate`` when the file
    ///   states no frame rate; frames larger than `limits`' ``ReaderLimits/maximumImagePixels`` are
    ///   refused before any is decoded.
    package init(_ url: URL, timing: Timing, limits: ReaderLimits = .standard) throws {
        self.url = url
        info = try VideoProbe.info(url, limits: limits)
        switch timing {
        case .resampled(let rate): self.rate = rate
        case .asDecoded: self.rate = nil
        case .sourceRate:
            guard let rate = info.rate else {
                throw VideoError.probeFailed(path: url.path, reason: "the video stream states no frame rate")
            }
            self.rate = rate
        }
        var arguments = ["-v", "error", "-nostdin", "-i", url.path, "-map", "0:v:0"]
        if let rate {
            arguments += ["-vf", "fps=\(rate)"]
        } else if info.isVariableFrameRate, let average = info.averageRateText {
            // Variable frame rate: frames at the average rate, each shown at its time (ffmpeg
            // would otherwise fill the base rate, giving more frames than the rate says).
            arguments += ["-vf", "fps=\(average)"]
        }
        arguments += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        tool = try RunningTool("ffmpeg", arguments, input: false, output: true)
    }

    /// The next frame, or nil after the last one.
    ///
    /// - Throws: ``VideoError/decodeFailed(path:reason:)`` if ffmpeg fails or stops inside a frame.
    package func nextFrame() throws -> RGBImage? {
        guard !done else { return nil }
        let frameBytes = width * height * 3
        let data: Data
        do {
            data = try tool.read(exactly: frameBytes)
        } catch {
            done = true
            tool.terminate()
            throw VideoError.decodeFailed(path: url.path, reason: SystemErrorText.reason(error))
        }
        if data.count == frameBytes {
            framesRead += 1
            return RGBImage(height: height, width: width, pixels: [UInt8](data))
        }
        done = true
        let (ok, message) = tool.finish()
        guard ok else { throw VideoError.decodeFailed(path: url.path, reason: message) }
        guard data.isEmpty else {
            throw VideoError.decodeFailed(
                path: url.path,
                reason: "output ended inside frame \(framesRead + 1) (\(data.count) of \(frameBytes) bytes)")
        }
        return nil
    }

    /// All remaining frames (holds them all in memory).
    package func readAll() throws -> [RGBImage] {
        var frames: [RGBImage] = []
        while let frame = try nextFrame() { frames.append(frame) }
        return frames
    }

    /// Stops decoding early (also done when the reader is released).
    package func close() {
        guard !done else { return }
        done = true
        tool.terminate()
    }

    deinit { close() }
}
