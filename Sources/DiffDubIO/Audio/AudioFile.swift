import CSndFile
import Foundation

/// What can go wrong reading or writing audio files.
public enum AudioError: Error, CustomStringConvertible, Equatable {
    /// libsndfile cannot open or decode the file (missing, unknown format, corrupt).
    case unreadable(path: String, reason: String)
    /// The file decodes to no samples.
    case empty(path: String)
    /// The file cannot be written.
    case unwritable(path: String, reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read audio: \(reason) (formats libsndfile decodes: WAV, FLAC, OGG, MP3, ...; convert others with `AudioExtractor`)"
        case .empty(let path): "\(path): the audio has no samples"
        case .unwritable(let path, let reason): "\(path): cannot write audio: \(reason)"
        }
    }
}

/// Audio files through libsndfile (WAV, FLAC, OGG/Vorbis, and MP3 with libsndfile >= 1.1).
public enum AudioFile {
    /// The whole file at `url` decoded to float samples (integer formats scaled to [-1, 1)).
    public static func read(_ url: URL) throws -> AudioClip {
        var info = SF_INFO()
        guard let file = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw AudioError.unreadable(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        let channels = Int(info.channels)
        guard channels > 0, info.samplerate > 0 else {
            throw AudioError.unreadable(
                path: url.path, reason: "\(channels) channels at \(info.samplerate) Hz")
        }
        guard info.frames > 0 else { throw AudioError.empty(path: url.path) }
        var samples = [Float](repeating: 0, count: Int(info.frames) * channels)
        let read = samples.withUnsafeMutableBufferPointer { buffer in
            sf_readf_float(file, buffer.baseAddress, info.frames)
        }
        guard read > 0 else {
            let reason = String(cString: sf_strerror(file))
            throw AudioError.unreadable(path: url.path, reason: "decoding failed: \(reason)")
        }
        if Int(read) < Int(info.frames) { samples.removeLast((Int(info.frames) - Int(read)) * channels) }
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
