import DiffDubCore
import Foundation

/// What `ffprobe` says about a media file.
package struct VideoInfo: Sendable, Equatable {
    /// Width in pixels of the decoded frames (after the display rotation ffmpeg applies).
    package var width: Int
    /// Height in pixels of the decoded frames.
    package var height: Int
    /// Average frame rate of the video stream (frames per second), 0 if unknown.
    package var frameRate: Double
    /// The same as an exact fraction (`avg_frame_rate`, else `r_frame_rate`, e.g. `30000/1001`),
    /// `nil` if unknown. A variable-frame-rate video gives its average.
    package var rate: FrameRate?
    /// Duration in seconds, if known.
    package var duration: Double?
    /// Number of frames from the container's header, if stored (not always exact).
    package var frameCount: Int?
    /// Whether the file has an audio stream.
    package var hasAudio: Bool
    /// ffprobe's `avg_frame_rate` and `r_frame_rate` as written (`"30000/1001"`): they differ
    /// for variable-frame-rate video.
    var averageRateText: String? = nil
    var baseRateText: String? = nil

    /// Whether the stream's frames are not evenly spaced (ffprobe's average rate differs from
    /// its base rate), as phone recordings often are.
    package var isVariableFrameRate: Bool {
        guard let averageRateText, let baseRateText, VideoProbe.rate(averageRateText) != nil else { return false }
        return VideoProbe.rate(averageRateText) != VideoProbe.rate(baseRateText)
    }
}

/// Probing media files with `ffprobe`.
package enum VideoProbe {
    /// The first video stream's size and rate, and whether there is audio.
    ///
    /// - Throws: ``VideoError/probeFailed(path:reason:)`` for unreadable files,
    ///   ``VideoError/noVideoStream(path:)`` when there is no video, ``VideoError/probeFailed(path:reason:)``
    ///   for frames larger than `limits`' ``ReaderLimits/maximumImagePixels``.
    package static func info(_ url: URL, limits: ReaderLimits = .standard) throws -> VideoInfo {
        let data = try ExternalTool.run(
            "ffprobe",
            ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", url.path]
        ) { VideoError.probeFailed(path: url.path, reason: $0) }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw VideoError.probeFailed(path: url.path, reason: "unreadable ffprobe output")
        }
        let streams = json["streams"] as? [[String: Any]] ?? []
        let hasAudio = streams.contains { $0["codec_type"] as? String == "audio" }
        guard
            let video = streams.first(where: {
                $0["codec_type"] as? String == "video"
                    && ($0["disposition"] as? [String: Any])?["attached_pic"] as? Int != 1
            }),
            var width = video["width"] as? Int, var height = video["height"] as? Int
        else { throw VideoError.noVideoStream(path: url.path) }
        if abs(rotation(of: video)) % 180 == 90 { swap(&width, &height) }
        // Frames are allocated width x height x 3 bytes each: refuse sizes past the image limit.
        let pixelLimit = limits.maximumImagePixels
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, pixels <= pixelLimit else {
            throw VideoError.probeFailed(
                path: url.path,
                reason: "frames of \(width)x\(height) pixels (limit \(pixelLimit) pixels, DIFFDUB_MAX_IMAGE_PIXELS)")
        }
        let format = json["format"] as? [String: Any] ?? [:]
        let duration = double(video["duration"]) ?? double(format["duration"])
        return VideoInfo(
            width: width, height: height,
            frameRate: rate(video["avg_frame_rate"]) ?? rate(video["r_frame_rate"]) ?? 0,
            rate: fraction(video["avg_frame_rate"]) ?? fraction(video["r_frame_rate"]),
            duration: duration, frameCount: (video["nb_frames"] as? String).flatMap { Int($0) },
            hasAudio: hasAudio, averageRateText: video["avg_frame_rate"] as? String,
            baseRateText: video["r_frame_rate"] as? String)
    }

    /// The exact number of frames of the first video stream, by decoding it
    /// (`ffprobe -count_frames`).
    package static func countFrames(_ url: URL) throws -> Int {
        let data = try ExternalTool.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames", "-print_format", "json", url.path,
            ]
        ) { VideoError.probeFailed(path: url.path, reason: $0) }
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard let stream = (json?["streams"] as? [[String: Any]])?.first,
            let count = (stream["nb_read_frames"] as? String).flatMap({ Int($0) })
        else { throw VideoError.noVideoStream(path: url.path) }
        return count
    }

    /// Display rotation in degrees from the stream's side data or its `rotate` tag.
    static func rotation(of stream: [String: Any]) -> Int {
        for side in stream["side_data_list"] as? [[String: Any]] ?? [] {
            if let r = side["rotation"] as? Int { return r }
            if let r = side["rotation"] as? Double { return Int(r) }
        }
        if let tag = (stream["tags"] as? [String: Any])?["rotate"] as? String, let r = Int(tag) { return r }
        return 0
    }

    /// `"30000/1001"` -> 29.97; `nil` for `0/0` or garbage.
    static func rate(_ value: Any?) -> Double? {
        guard let text = value as? String else { return nil }
        let parts = text.split(separator: "/")
        guard let n = Double(parts.first ?? "") else { return nil }
        let d = parts.count > 1 ? Double(parts[1]) ?? 0 : 1
        guard d != 0, n > 0 else { return nil }
        return n / d
    }

    /// `"30000/1001"` as a fraction; `nil` for `0/0` or garbage.
    static func fraction(_ value: Any?) -> FrameRate? {
        (value as? String).flatMap { FrameRate(parsing: $0) }
    }

    static func double(_ value: Any?) -> Double? {
        (value as? String).flatMap { Double($0) } ?? (value as? Double)
    }
}
