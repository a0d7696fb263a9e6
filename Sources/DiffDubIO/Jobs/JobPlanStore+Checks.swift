import DiffDubCore
import Foundation

extension JobPlanStore.Header {
    /// Checks every number of `plan.json` (at `path`) before any of them is used: sizes and
    /// counts in range (``JobLimits``), each frame's source index at least 0 and below the
    /// input's frame count (0 for a still image), each face square inside the image limits
    /// with a positive side, each face's landmarks exactly 68 finite points within
    /// `limits`' ``ReaderLimits/maximumLandmarkCoordinate``, and the options valid
    /// (``DubbingOptions/validate()``).
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the first bad field.
    func check(path: String, limits: ReaderLimits) throws {
        func refuse(_ field: String, _ reason: String) -> JobError { .invalidField(path: path, field: field, reason: reason) }
        let maximumFrames = JobLimits.maximumFrameCount
        guard imageSize >= 1, imageSize <= JobLimits.maximumImageSize else {
            throw refuse("imageSize", "\(imageSize), expected 1 to \(JobLimits.maximumImageSize)")
        }
        guard firstFrame >= 0, firstFrame <= maximumFrames else {
            throw refuse("firstFrame", "\(firstFrame), expected 0 to \(maximumFrames)")
        }
        guard frames.count <= maximumFrames - firstFrame else {
            throw refuse("frames", "\(frames.count) frames from frame \(firstFrame) pass the limit of \(maximumFrames) frames")
        }
        guard latentCount >= 0 else { throw refuse("latentCount", "\(latentCount), must not be negative") }
        if let count = inputFrameCount, count < 1 || count > maximumFrames {
            throw refuse("inputFrameCount", "\(count), expected 1 to \(maximumFrames)")
        }
        try Self.checkOptions(options, field: "options", path: path)
        let sideLimit = limits.maximumImagePixels
        let coordinateLimit = Float(limits.maximumLandmarkCoordinate)
        for (i, frame) in frames.enumerated() {
            let field = "frames[\(i)]"
            if let count = inputFrameCount {
                guard frame.source >= 0, frame.source < count else {
                    throw refuse("\(field).source", "\(frame.source), expected 0 to \(count - 1) (inputFrameCount \(count))")
                }
            } else {
                guard frame.source == 0 else { throw refuse("\(field).source", "\(frame.source), expected 0 (a still image)") }
            }
            if let region = frame.region {
                guard region.x >= 0, region.y >= 0, region.size >= 1,
                    region.x <= sideLimit, region.y <= sideLimit, region.size <= sideLimit
                else {
                    throw refuse("\(field).region", "\(region), expected x, y >= 0 and 1 <= size, each at most \(sideLimit)")
                }
            }
            if let landmarks = frame.landmarks {
                guard landmarks.points.count == FaceLandmarks.count else {
                    throw refuse("\(field).landmarks.points", "\(landmarks.points.count) points, expected \(FaceLandmarks.count)")
                }
                if let bad = landmarks.points.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite) || abs($0.x) > coordinateLimit || abs($0.y) > coordinateLimit }) {
                    let point = landmarks.points[bad]
                    throw refuse(
                        "\(field).landmarks.points[\(bad)]",
                        "(\(point.x), \(point.y)) must be finite and within \(Int(coordinateLimit)) pixels")
                }
            }
        }
    }

    /// ``DubbingOptions/validate()``, its error naming the field under `field` in the file at `path`.
    static func checkOptions(_ options: DubbingOptions, field: String, path: String) throws {
        do {
            try options.validate()
        } catch DubbingError.invalidOption(let name, let value, let reason) {
            throw JobError.invalidField(path: path, field: "\(field).\(name)", reason: "\(value): \(reason)")
        }
    }
}
