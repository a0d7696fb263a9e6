import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The findings of issue 16's mutation run, re-made as files in Regressions/ (made by
/// `Fuzz/make-regressions.py`): each must end in the exact error below, or read as NumPy and
/// every other tool read it. Reverting a fix makes its test fail.
@Suite struct MutationRunTests {
    static func file(_ reader: String, _ name: String) -> URL {
        RegressionCorpusTests.root.appendingPathComponent(reader).appendingPathComponent(name)
    }

    /// The error `body` throws, or nil (recording an issue) when it succeeds.
    static func failure(_ body: () throws -> Void) -> Error? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Audio

    @Test func sampleRatesOutsideTheRangeAreRefusedBeforeDecoding() throws {
        for (name, rate) in [("rate-2147483647.wav", 0x7FFF_FFFF), ("rate-10000001.wav", 10_000_001), ("rate-1.wav", 1)] {
            let url = Self.file("audio", name)
            let error = Self.failure { _ = try AudioFile.read(url) }
            #expect(
                error as? AudioError
                    == .unsupportedSampleRate(path: url.path, rate: rate, minimum: 1_000, maximum: 384_000), "\(name)")
            // The header alone decides: with every sample cut off (the 44-byte header kept) the
            // refusal is the same, so no sample is decoded before it.
            let header = try Data(contentsOf: url).prefix(44)
            #expect(
                Self.failure { _ = try AudioFile.decode(header, path: name) } as? AudioError
                    == .unsupportedSampleRate(path: name, rate: rate, minimum: 1_000, maximum: 384_000), "\(name)")
        }
    }

    @Test func nonFiniteSamplesAreRefusedNamingTheFirst() {
        let nan = Self.file("audio", "float-nan-at-5.wav")
        let error = Self.failure { _ = try AudioFile.read(nan) }
        guard case .nonFiniteSample(let path, let frame, let channel, let value)? = error as? AudioError else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(path == nan.path && frame == 5 && channel == 0 && value.isNaN)
        #expect(error?.localizedDescription == "\(nan.path): sample 5 (channel 0) is nan; audio samples must be finite numbers")
        let inf = Self.file("audio", "float-inf-frame-3-channel-1.wav")
        #expect(
            Self.failure { _ = try AudioFile.read(inf) } as? AudioError
                == .nonFiniteSample(path: inf.path, frame: 3, channel: 1, value: .infinity))
    }

    @Test func audioLongerThanTheLimitIsRefused() throws {
        // 1 kHz mono, 16-bit: 3 hours and 65 s (about 21.7 MB).
        let frames = 1_000 * (ReaderLimits.standard.maximumAudioSeconds + 65)
        var bytes: [UInt8] = Array("RIFF".utf8) + le(UInt32(36 + 2 * frames)) + Array("WAVEfmt ".utf8)
        bytes += le(UInt32(16)) + le(UInt16(1)) + le(UInt16(1)) + le(UInt32(1_000)) + le(UInt32(2_000))
        bytes += le(UInt16(2)) + le(UInt16(16)) + Array("data".utf8) + le(UInt32(2 * frames))
        bytes += [UInt8](repeating: 1, count: 2 * frames)
        #expect(throws: AudioError.tooManySeconds(path: "long.wav", rate: 1_000, limit: 10_800)) {
            try AudioFile.decode(Data(bytes), path: "long.wav")
        }
    }

    @Test func silentAudioGivesNoHubertFeatures() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let wav = folder.file("silence.wav")
        try AudioFile.write(AudioClip(samples: [Float](repeating: 0, count: 16_000), channels: 1, sampleRate: 16_000), to: wav)
        let extractor = try HubertFeatureExtractor(modelFolder: Fixtures.url("hubert/large"))
        #expect(throws: AudioError.silent(path: wav.path)) { _ = try extractor.features(forAudioAt: wav) }
    }

    @Test func silentAudioIsSilent() {
        #expect(AudioClip(samples: [0, 0, 0, 0], channels: 2, sampleRate: 16_000).isSilent)
        #expect(!AudioClip(samples: [0, 0, 1e-9, 0], channels: 2, sampleRate: 16_000).isSilent)
    }

    private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    // MARK: Landmarks

    static let points = (0..<68).map { SIMD2<Float>(100 + 2.5 * Float($0), 200 + 1.25 * Float($0)) }

    @Test func crlfAndCROnlyLineEndsReadAsLF() throws {
        for name in ["crlf.txt", "cr-only.txt"] {
            let landmarks = try LandmarksFile.readPoints(Self.file("landmarks", name))
            #expect(landmarks.points == Self.points, "\(name)")
        }
        let entries = try LandmarksFile.readTable(Self.file("landmarks", "table-crlf.txt"))
        #expect(entries.map(\.frame) == ["000000.png", "000001.png", "000002.png"])
        #expect(entries[2].landmarks.points[0] == SIMD2(102, 200))
        #expect(try LandmarksFile.parsePoints("\u{FEFF}" + Self.text(Self.points), path: "bom.txt").points == Self.points)
    }

    static func text(_ points: [SIMD2<Float>]) -> String { points.map { "\($0.x) \($0.y)\n" }.joined() }

    @Test func nulBytesAreRefusedNamingTheLine() {
        let url = Self.file("landmarks", "nul-in-number.txt")
        #expect(
            Self.failure { _ = try LandmarksFile.readPoints(url) } as? LandmarksError
                == .controlCharacter(path: url.path, line: 10, code: 0))
        #expect(throws: LandmarksError.controlCharacter(path: "t.txt", line: 1, code: 0)) {
            try LandmarksFile.parseTable("a.png 1_2\u{0}", path: "t.txt")
        }
    }

    @Test func coordinatesFarOutsideAnyFrameAreRefusedNamingTheLine() {
        for (name, line, value) in [("coordinate-1e30.txt", 5, Float(1e30)), ("coordinate-3.4e38.txt", 68, Float(3.4e38))] {
            let url = Self.file("landmarks", name)
            #expect(
                Self.failure { _ = try LandmarksFile.readPoints(url) } as? LandmarksError
                    == .implausibleCoordinate(path: url.path, line: line, value: value, limit: 1_000_000), "\(name)")
        }
        var points = Self.points
        points[3].x = -999_999
        #expect((try? LandmarksFile.parsePoints(Self.text(points), path: "ok.txt")) != nil)
        #expect(throws: LandmarksError.nonFinite(path: "n.txt", line: 1, text: "inf")) {
            try LandmarksFile.parsePoints("inf 2\n", path: "n.txt")
        }
    }

    // MARK: NumPy

    @Test func descrSpellingsNumPyAcceptsAreRead() throws {
        for name in [
            "descr-f4.npy", "descr-eq-f4.npy", "descr-float32.npy", "descr-big-endian-f8.npy", "descr-u2.npy",
            "descr-pipe-u1.npy", "descr-code-d.npy", "fortran-order.npy", "duplicate-descr-last-wins.npy",
            "double-quotes-no-spaces.npy",
        ] {
            let array = try NumPyFile.read(Self.file("npy", name))
            #expect(array.shape == [2, 3], "\(name)")
            #expect(array.tensor().scalars == [0, 1, 2, 3, 4, 5], "\(name)")
        }
        #expect(try NumPyFile.read(Self.file("npy", "descr-u2.npy")).scalarType == .int32)
        #expect(try NumPyFile.read(Self.file("npy", "duplicate-descr-last-wins.npy")).scalarType == .float32)
    }

    @Test func headersNumPyRefusesAreRefused() {
        for (name, fragment) in [
            ("extra-key.npy", "the keys must be exactly"), ("shape-not-tuple.npy", "shape is not a tuple"),
            ("deep-nesting.npy", "nested deeper than 64"),
        ] {
            let url = Self.file("npy", name)
            let message = Self.failure { _ = try NumPyFile.read(url) }.map { "\($0)" } ?? "accepted"
            #expect(message.hasPrefix(url.path) && message.contains(fragment), "\(name): \(message)")
        }
    }

    /// `.npy` bytes with header text `header` over `payload`.
    static func npy(_ header: String, _ payload: [UInt8], version: UInt8 = 1) -> Data {
        var text = header
        text += String(repeating: " ", count: (64 - (10 + text.utf8.count + 1) % 64) % 64) + "\n"
        let n = text.utf8.count
        return Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(text.utf8) + payload)
    }

    @Test func dtypeStringsAsNumPyReadsThem() throws {
        let floats = (0..<6).flatMap { withUnsafeBytes(of: Float($0), Array.init) }
        let header = { (descr: String) in "{'descr': '\(descr)', 'fortran_order': False, 'shape': (6,), }" }
        // Every spelling np.dtype (numpy 2.4) reads as little-endian float32.
        for descr in ["f4", "<f4", "=f4", "|f4", "f", "<f", "f04", "float32", "single"] {
            let array = try NumPyFile.decode(Self.npy(header(descr), floats), path: "a.npy")
            #expect(array.scalarType == .float32 && array.tensor().scalars == [0, 1, 2, 3, 4, 5], "\(descr)")
        }
        // Other types numpy reads: type and element size.
        let sizes: [(String, ScalarType, Int)] = [
            ("d", .float64, 8), ("float", .float64, 8), ("e", .float16, 2), ("half", .float16, 2),
            ("i", .int32, 4), ("l", .int64, 8), ("q", .int64, 8), ("int", .int64, 8), ("b", .int8, 1),
            ("B", .uint8, 1), ("ubyte", .uint8, 1), ("?", .bool, 1), ("b1", .bool, 1), ("bool", .bool, 1),
            ("h", .int16, 2), (">i2", .int16, 2), ("H", .int32, 2), ("I", .int64, 4), ("uint64", .int64, 8),
        ]
        for (descr, type, size) in sizes {
            let array = try NumPyFile.decode(Self.npy(header(descr), [UInt8](repeating: 0, count: 6 * size)), path: "a.npy")
            #expect(array.scalarType == type && array.shape == [6], "\(descr)")
        }
        // Spellings np.dtype refuses, and valid types this reader does not convert.
        for descr in ["!f4", " <f4", "<float32", "f3", "i3", "b2", "c8", "<c16", "S3", "O", "V2", "g", "f16", "float128"] {
            #expect(throws: NumPyError.self, "\(descr)") {
                try NumPyFile.decode(Self.npy(header(descr), [UInt8](repeating: 0, count: 96)), path: "a.npy")
            }
        }
    }

    @Test func headerLiteralsAsPythonReadsThem() throws {
        let floats = (0..<6).flatMap { withUnsafeBytes(of: Float($0), Array.init) }
        for header in [
            "{'descr': u'<f4', 'fortran_order': False, 'shape': (2, 3,), }",
            "{'descr': '<' 'f4', 'fortran_order': False, 'shape': (2, 3)}",
            "{\n  'descr': '<f4',  # comment\n  'fortran_order': False,\n  'shape': (0x2, 3)\n}",
            "{'shape': (2L, 3L), 'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<i8', 'descr': \"<f4\", 'fortran_order': True, 'fortran_order': False, 'shape': (2, 3)}",
        ] {
            let array = try NumPyFile.decode(Self.npy(header, floats), path: "h.npy")
            #expect(array.shape == [2, 3] && array.tensor().scalars == [0, 1, 2, 3, 4, 5], "\(header)")
        }
        for header in [
            "{'descr': '<f4', 'fortran_order': False}", "{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [6]}", "{'descr': '<f4', 'fortran_order': False, 'shape': (6.0,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-6,)}", "['descr', 'fortran_order', 'shape']",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)} x", "{'descr': '<f4', 'fortran_order': False, 'shape': (6,)",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (06,)}",
        ] {
            #expect(throws: NumPyError.self, "\(header)") { try NumPyFile.decode(Self.npy(header, floats), path: "h.npy") }
        }
        // The Python 2 long suffix is a version 1/2 leniency only.
        #expect(throws: NumPyError.self) {
            try NumPyFile.decode(Self.npy("{'shape': (6L,), 'descr': '<f4', 'fortran_order': False}", floats, version: 3), path: "h.npy")
        }
    }

    @Test func fortranOrderedArraysAreReordered() throws {
        // numpy.asfortranarray(numpy.arange(24).reshape(2, 3, 4)) stores element [i, j, k] at i + 2 j + 6 k.
        var stored = [Float](repeating: 0, count: 24)
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { stored[i + 2 * j + 6 * k] = Float(12 * i + 4 * j + k) } } }
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }"
        let array = try NumPyFile.decode(Self.npy(header, stored.flatMap { withUnsafeBytes(of: $0, Array.init) }), path: "f.npy")
        #expect(array.tensor().scalars == (0..<24).map(Float.init))
    }

    @Test func nonFiniteArraysAreRefusedNamingTheElement() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var t = Tensor(zeros: [2, 3, 4])
        t.withUnsafeMutableBufferPointer { $0[17] = .nan }
        try NumPyFile.write(t, to: folder.file("h.npy"))
        let error = Self.failure { _ = try NumPyFile.readFiniteTensor(folder.file("h.npy")) }
        guard case .nonFinite(let path, let index, let value)? = error as? NumPyError else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(path == folder.file("h.npy").path && index == [1, 1, 1] && value.isNaN)
    }

    // MARK: Pickles

    @Test func picklesNamingForbiddenGlobalsAreRefusedNamingThem() throws {
        let zip = Self.file("checkpoint", "posix-system.ckpt")
        let error = Self.failure { _ = try TorchCheckpoint.open(zip) }
        guard case .forbiddenGlobal(let path, let module, let name, _)? = error as? CheckpointError else {
            Issue.record("posix.system: \(String(describing: error))")
            return
        }
        #expect(path == zip.path && module == "posix" && name == "system")
        #expect(error?.localizedDescription.contains("the global posix.system") == true)
        #expect(throws: CheckpointError.self) { _ = try WeightFile.stateDict(contentsOf: zip) }
        for (file, global) in [("stack-global-builtins-eval.pkl", "builtins.eval"), ("reduce-os-system.pkl", "os.system")] {
            let data = try Data(contentsOf: Self.file("pickle", file))
            let error = Self.failure { _ = try data.withUnsafeBytes { try Unpickler.load($0, path: file) } }
            #expect("\(String(describing: error))".contains("the global \(global) "), "\(file): \(String(describing: error))")
        }
    }

    @Test func theAllowListIsPyTorchsWeightsOnlyListPlusInertTrainingData() {
        for (module, name) in [
            ("torch._utils", "_rebuild_tensor_v2"), ("collections", "OrderedDict"), ("torch", "FloatStorage"),
            ("torch", "BFloat16Storage"), ("torch.cuda", "HalfStorage"), ("torch", "bfloat16"), ("torch", "Size"),
            ("__builtin__", "set"), ("_codecs", "encode"), ("torch._tensor", "_rebuild_from_type_v2"),
            ("pytorch_lightning.utilities.parsing", "AttributeDict"), ("argparse", "Namespace"),
            ("numpy.core.multiarray", "scalar"), ("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint"),
        ] {
            #expect(PickleGlobals.isAllowed(module: module, name: name), "\(module).\(name)")
        }
        for (module, name) in [
            ("posix", "system"), ("os", "system"), ("nt", "system"), ("builtins", "eval"), ("__builtin__", "eval"),
            ("builtins", "exec"), ("builtins", "getattr"), ("subprocess", "Popen"), ("torch", "load"),
            ("torch._utils", "_import_dotted_name"), ("torch", "Storage; import os"), ("copyreg.extension", "1"),
            ("mymodule", "Mode"), ("torch.optim.adam", "Adam"), ("numpy", "load"),
        ] {
            #expect(!PickleGlobals.isAllowed(module: module, name: name), "\(module).\(name)")
        }
    }

    // MARK: Frame folders

    @Test func frameFoldersWithAGapOrARepeatAreRefusedNamingTheFrame() throws {
        let cases: [([String], ImageError?)] = [
            (["synth_1.png", "synth_2.png", "synth_4.png"], .missingFrame(folder: "", name: "synth_3.png")),
            (["000009.png", "000010.png", "000012.png"], .missingFrame(folder: "", name: "000011.png")),
            (["7.png", "007.png"], .duplicateFrameNumber(folder: "", first: "7.png", second: "007.png")),
            (["synth_1.png", "synth_2.png", "synth_3.png"], nil),
            (["000000.png", "000001.png"], nil),
            (["a.png", "b.png", "c.png"], nil),
            (["take1_7.png", "take2_9.png"], nil),  // not one pattern: no numbering to check
            (["f_0.png", "f_512.png", "f_1024.png"], nil),  // timestamps, even steps
            (["f_0.png", "f_512.png", "f_1536.png"], .missingFrame(folder: "", name: "f_1024.png")),
            (["f_0.png", "f_40.png", "f_90.png"], nil),  // irregular timestamps: no gap to name
        ]
        for (names, expected) in cases {
            let folder = try TemporaryFolder()
            defer { folder.cleanUp() }
            for name in names { try Data().write(to: folder.file(name)) }
            let error = Self.failure { _ = try FrameFolder(folder.url) } as? ImageError
            switch expected {
            case .missingFrame(_, let name)?: #expect(error == .missingFrame(folder: folder.url.path, name: name), "\(names)")
            case .duplicateFrameNumber(_, let a, let b)?:
                #expect(error == .duplicateFrameNumber(folder: folder.url.path, first: a, second: b), "\(names)")
            default: #expect(error == nil, "\(names)")
            }
            #expect((try? FrameFolder(folder.url, allowingGaps: true))?.count == names.count)
        }
    }

    // MARK: Readable errors

    @Test func localizedDescriptionIsTheOneLineMessage() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let fixture = try Data(contentsOf: Fixtures.url("stage2/stage2.ckpt"))
        let truncated = folder.file("truncated.ckpt")
        try fixture.prefix(fixture.count / 2).write(to: truncated)
        let generic = "The operation could not be completed"
        let errors: [Error] = [
            Self.failure { _ = try TorchCheckpoint.open(truncated) },
            Self.failure { _ = try NumPyFile.read(folder.file("none.npy")) },
            Self.failure { _ = try AudioFile.read(Self.file("audio", "rate-1.wav")) },
            Self.failure { _ = try LandmarksFile.readPoints(Self.file("landmarks", "nul-in-number.txt")) },
            Self.failure { _ = try PNGFile.read(folder.file("none.png")) },
            Self.failure { _ = try FrameFolder(folder.file("absent")) },
            Self.failure { _ = try BandLimitedResampler(inputRate: 0x7FFF_FFFF, outputRate: 16_000) },
            WeightError.missing(key: "w", source: "m.ckpt"), RendererError.missingPrefix(prefix: "ema_model.", source: "s1.ckpt"),
            LipSyncError.emptyHubert(shape: [24, 0, 1024]), DiffusionError.unsupportedStepCount(requested: 7, trainingSteps: 1000, below: 5, above: 8),
            FaceMaskError.emptyMask(height: 32, width: 32), FaceTrackingError.noFace(input: "clip.mp4"),
            VideoError.noVideoStream(path: "a.mp4"), FrameSlices.Error.empty(folder: "out"),
            FaceModelError.missing(role: FaceModelFiles.landmarkModelRole, searched: ["x"], hint: "give its path"),
            HubertModelFolderError.missingFile(folder: "h", expected: ["config.json"]),
        ].compactMap { $0 }
        #expect(errors.count == 17)
        for error in errors {
            let text = error.localizedDescription
            #expect(!text.contains(generic), "\(text)")
            #expect(!text.isEmpty && !text.contains("\n"), "\(text)")
            #expect(text == "\(error)", "\(type(of: error))")
            #expect(!text.contains("--"), "\(text)")
        }
        #expect(errors[0].localizedDescription.hasPrefix(truncated.path))
    }
}
