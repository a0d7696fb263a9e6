import CSndFile
import DiffDubCore
import Foundation

/// What can go wrong reading or writing audio files.
package enum AudioError: LocalizedError, CustomStringConvertible, Equatable {
    /// libsndfile cannot open or decode the file (missing, unknown format, corrupt).
    case unreadable(path: String, reason: String)
    /// The file decodes to no samples.
    case empty(path: String)
    /// Every sample is zero: there is no speech (``AudioClip/isSilent``).
    case silent(path: String)
    /// The file decodes to more samples than ``ReaderLimits/maximumAudioSamples``.
    case tooLong(path: String, limit: Int)
    /// The file cannot be written.
    case unwritable(path: String, reason: String)
    /// The header's sample rate is outside ``ReaderLimits/minimumAudioSampleRate`` ...
    /// ``ReaderLimits/maximumAudioSampleRate`` (refused before any sample is read).
    case unsupportedSampleRate(path: String, rate: Int, minimum: Int, maximum: Int)
    /// The audio lasts longer than ``ReaderLimits/maximumAudioSeconds``.
    case tooManySeconds(path: String, rate: Int, limit: Int)
    /// A float sample is NaN or infinite: `frame` is its frame index (0-based), `channel` its channel.
    case nonFiniteSample(path: String, frame: Int, channel: Int, value: Float)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// A one-line explanation naming the file.
    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read audio: \(reason) (formats libsndfile decodes: WAV, FLAC, OGG, MP3, ...; convert others with `AudioExtractor`)"
        case .empty(let path): "\(path): the audio has no samples"
        case .silent(let path): "\(path): the audio is silent (every sample is 0): there is no speech in it"
        case .tooLong(let path, let limit):
            "\(path): the audio has more than \(limit) samples (DIFFDUB_MAX_AUDIO_SAMPLES)"
        case .unwritable(let path, let reason): "\(path): cannot write audio: \(reason)"
        case .unsupportedSampleRate(let path, let rate, let minimum, let maximum):
            "\(path): sample rate \(rate) Hz is outside the supported \(minimum)...\(maximum) Hz "
                + "(DIFFDUB_MIN_AUDIO_RATE, DIFFDUB_MAX_AUDIO_RATE)"
        case .tooManySeconds(let path, let rate, let limit):
            "\(path): the audio lasts longer than \(limit) s at \(rate) Hz (DIFFDUB_MAX_AUDIO_SECONDS)"
        case .nonFiniteSample(let path, let frame, let channel, let value):
            "\(path): sample \(frame) (channel \(channel)) is \(value); audio samples must be finite numbers"
        }
    }
}

/// Audio files through libsndfile (WAV, FLAC, OGG/Vorbis, and MP3 with libsndfile >= 1.1).
public enum AudioFile {
    /// The whole file at `url` decoded to float samples (integer formats scaled to [-1, 1)).
    ///
    /// Samples are decoded in blocks, so memory follows the audio actually present, not the
    /// length a header claims; over `limits`' ``ReaderLimits/maximumAudioSamples`` samples are
    /// refused (and rates or lengths outside its other audio limits).
    public static func read(_ url: URL, limits: ReaderLimits = .standard) throws -> AudioClip {
        var info = SF_INFO()
        guard let file = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw AudioError.unreadable(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        return try decode(file, info: info, path: url.path, limits: limits)
    }

    /// The audio file bytes `data` decoded to float samples (as ``read(_:limits:)``); `path` names
    /// them in errors.
    package static func decode(_ data: Data, path: String, limits: ReaderLimits = .standard) throws -> AudioClip {
        let source = MemoryAudioSource(data)
        var callbacks = SF_VIRTUAL_IO(
            get_filelen: { MemoryAudioSource.from($0).length },
            seek: { offset, whence, context in MemoryAudioSource.from(context).seek(offset, whence) },
            read: { buffer, count, context in MemoryAudioSource.from(context).read(into: buffer, count) },
            write: { _, _, _ in 0 },
            tell: { MemoryAudioSource.from($0).position })
        var info = SF_INFO()
        let context = Unmanaged.passUnretained(source).toOpaque()
        return try withExtendedLifetime(source) {
            guard let file = sf_open_virtual(&callbacks, Int32(SFM_READ), &info, context) else {
                throw AudioError.unreadable(path: path, reason: String(cString: sf_strerror(nil)))
            }
            defer { sf_close(file) }
            return try decode(file, info: info, path: path, limits: limits)
        }
    }

    /// Frames decoded per block.
    private static let blockFrames = 1 << 16

    private static func decode(
        _ file: OpaquePointer, info: SF_INFO, path: String, limits: ReaderLimits
    ) throws -> AudioClip {
        let channels = Int(info.channels)
        guard channels > 0, channels <= 1024 else {
            throw AudioError.unreadable(path: path, reason: "\(channels) channels at \(info.samplerate) Hz")
        }
        let rate = Int(info.samplerate)
        guard rate >= limits.minimumAudioSampleRate, rate <= limits.maximumAudioSampleRate else {
            throw AudioError.unsupportedSampleRate(
                path: path, rate: rate, minimum: limits.minimumAudioSampleRate,
                maximum: limits.maximumAudioSampleRate)
        }
        guard info.frames > 0 else { throw AudioError.empty(path: path) }
        let limit = limits.maximumAudioSamples
        // Frames allowed by the duration limit (the rate is at most 384 kHz: no overflow).
        let (frameLimit, overflow) = rate.multipliedReportingOverflow(by: limits.maximumAudioSeconds)
        let maximumFrames = overflow ? Int.max : frameLimit
        var samples: [Float] = []
        var block = [Float](repeating: 0, count: blockFrames * channels)
        while true {
            let read = block.withUnsafeMutableBufferPointer { buffer in
                sf_readf_float(file, buffer.baseAddress, sf_count_t(blockFrames))
            }
            guard read > 0 else { break }
            guard samples.count + Int(read) * channels <= limit else {
                throw AudioError.tooLong(path: path, limit: limit)
            }
            guard samples.count / channels + Int(read) <= maximumFrames else {
                throw AudioError.tooManySeconds(path: path, rate: rate, limit: limits.maximumAudioSeconds)
            }
            let valid = Int(read) * channels
            if let bad = block.withUnsafeBufferPointer({
                NonFiniteScan.firstIndex(in: UnsafeBufferPointer(rebasing: $0[..<valid]))
            }) {
                let sample = samples.count + bad
                throw AudioError.nonFiniteSample(
                    path: path, frame: sample / channels, channel: sample % channels, value: block[bad])
            }
            samples.append(contentsOf: block.prefix(valid))
        }
        guard !samples.isEmpty else {
            let reason = String(cString: sf_strerror(file))
            throw AudioError.unreadable(path: path, reason: "decoding failed: \(reason)")
        }
        return AudioClip(samples: samples, channels: channels, sampleRate: Int(info.samplerate))
    }

    /// Sample encodings for ``write(_:to:encoding:)``.
    public enum WAVEncoding: Sendable {
        /// 16-bit integer PCM (samples clipped to [-1, 1]).
        case pcm16
        /// 32-bit float.
        case float32
    }

    /// Writes `clip` as a WAV file at `url`, through a temporary file renamed into place.
    public static func write(_ clip: AudioClip, to url: URL, encoding: WAVEncoding = .pcm16) throws {
        guard clip.frameCount > 0 else { throw AudioError.empty(path: url.path) }
        let temporary = AtomicFile.temporaryURL(for: url)
        var info = SF_INFO()
        info.samplerate = Int32(clip.sampleRate)
        info.channels = Int32(clip.channels)
        let subtype = encoding == .pcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_FLOAT
        info.format = Int32(SF_FORMAT_WAV) | Int32(subtype)
        guard let file = sf_open(temporary.path, Int32(SFM_WRITE), &info) else {
            throw AudioError.unwritable(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        if encoding == .pcm16 {
            // Clip instead of wrapping when converting floats outside [-1, 1] to integers.
            sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        }
        let written = clip.samples.withUnsafeBufferPointer { buffer in
            sf_writef_float(file, buffer.baseAddress, sf_count_t(clip.frameCount))
        }
        let closed = sf_close(file)
        guard written == sf_count_t(clip.frameCount), closed == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw AudioError.unwritable(path: url.path, reason: "wrote \(written) of \(clip.frameCount) frames")
        }
        do {
            try AtomicFile.commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw AudioError.unwritable(path: url.path, reason: "\(error)")
        }
    }
}

/// Bytes in memory served to libsndfile's virtual I/O (`sf_open_virtual`).
private final class MemoryAudioSource {
    let bytes: [UInt8]
    var position: sf_count_t = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    static func from(_ context: UnsafeMutableRawPointer?) -> MemoryAudioSource {
        // libsndfile passes back the pointer given to sf_open_virtual, always non-nil.
        Unmanaged<MemoryAudioSource>.fromOpaque(context!).takeUnretainedValue()
    }

    var length: sf_count_t { sf_count_t(bytes.count) }

    func seek(_ offset: sf_count_t, _ whence: Int32) -> sf_count_t {
        let base: sf_count_t
        switch whence {
        case SEEK_CUR: base = position
        case SEEK_END: base = length
        default: base = 0
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return position
    }

    func read(into buffer: UnsafeMutableRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let buffer, count > 0, position < length else { return 0 }
        let available = min(count, length - position)
        bytes.withUnsafeBytes { raw in
            buffer.copyMemory(from: raw.baseAddress! + Int(position), byteCount: Int(available))
        }
        position += available
        return available
    }
}
