import Foundation

/// A frame rate as an exact fraction of frames per second, as containers store it
/// (`30000/1001` for NTSC's 29.97, `25/1` for the model's rate).
public struct FrameRate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Frames (numerator).
    public let numerator: Int
    /// Seconds (denominator).
    public let denominator: Int

    /// The rate DiffDub's models work at: 25 frames per second (one lip latent per frame).
    public static let model = FrameRate(uncheckedNumerator: 25, denominator: 1)

    /// `numerator / denominator` frames per second, reduced to lowest terms; `nil` unless both
    /// are positive.
    public init?(numerator: Int, denominator: Int = 1) {
        guard numerator > 0, denominator > 0 else { return nil }
        var (a, b) = (numerator, denominator)
        while b != 0 { (a, b) = (b, a % b) }
        self.init(uncheckedNumerator: numerator / a, denominator: denominator / a)
    }

    /// The nearest fraction with a denominator of 1001 (NTSC rates) or 1000 when within 1e-6 of
    /// one, the integer rate otherwise; `nil` for non-finite or non-positive values.
    package init?(fps: Double) {
        guard fps.isFinite, fps > 0, fps < 1e6 else { return nil }
        if abs(fps.rounded() - fps) < 1e-6 {
            self.init(numerator: Int(fps.rounded()), denominator: 1)
        } else if abs((fps * 1001).rounded() / 1001 - fps) < 1e-6 {
            self.init(numerator: Int((fps * 1001).rounded()), denominator: 1001)
        } else {
            self.init(numerator: Int((fps * 1000).rounded()), denominator: 1000)
        }
    }

    /// Parses `N/D` (as ffprobe prints `avg_frame_rate`), `N` or a decimal such as `29.97`;
    /// `nil` for `0/0`, negative or malformed text.
    package init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let n = Int(parts[0]), let d = Int(parts[1]) else { return nil }
            self.init(numerator: n, denominator: d)
        } else if parts.count == 1, let n = Int(parts[0]) {
            self.init(numerator: n, denominator: 1)
        } else if parts.count == 1, let value = Double(parts[0]) {
            self.init(fps: value)
        } else {
            return nil
        }
    }

    private init(uncheckedNumerator: Int, denominator: Int) {
        self.numerator = uncheckedNumerator
        self.denominator = denominator
    }

    /// Decodes `{"numerator": N, "denominator": D}`, refusing non-positive parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let n = try container.decode(Int.self, forKey: .numerator)
        let d = try container.decode(Int.self, forKey: .denominator)
        guard let rate = FrameRate(numerator: n, denominator: d) else {
            throw DecodingError.dataCorruptedError(
                forKey: .numerator, in: container, debugDescription: "frame rate \(n)/\(d) is not positive")
        }
        self = rate
    }

    /// Frames per second as a floating-point value.
    public var framesPerSecond: Double { Double(numerator) / Double(denominator) }

    /// `N/D`, the form ffmpeg's `-r` accepts.
    public var description: String { "\(numerator)/\(denominator)" }
}
