import DiffDubCore
import Dispatch

/// SyncNet scoring of a clip (random weights; the cost does not depend on the values): frames
/// of seeded noise at 224 x 224 and as much 16 kHz audio, `SyncNet.evaluate` as `diffdub sync
/// --cropped` runs it (decoding not included).
///
/// Usage: `swift run -c release diffdub-bench syncnet [SECONDS]` (default 60: 1,500 frames,
/// 1,495 windows). Prints the wall-clock and CPU seconds of one scoring after building the model,
/// split into lip embeddings, audio embeddings (MFCC included) and distances, and the machine line.
enum SyncNetBenchmark {
    static func run(arguments: [String]) {
        let seconds = arguments.compactMap { Double($0) }.first ?? 60
        let frameCount = max(6, Int(seconds * 25))
        let syncNet: SyncNet
        do {
            syncNet = try SyncNet(WeightBinder(randomSeed: 1))
        } catch {
            print("syncnet: cannot build the model: \(error)")
            return
        }
        var state: UInt64 = 42
        func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        // A few distinct frames, repeated: the cost does not depend on the pixels.
        let distinct = (0..<25).map { _ in
            RGBImage(height: 224, width: 224, pixels: (0..<(224 * 224 * 3)).map { _ in nextByte() })
        }
        let frames = (0..<frameCount).map { distinct[$0 % distinct.count] }
        let samples = (0..<(frameCount * SyncNet.samplesPerFrame)).map { _ in Float(Int8(bitPattern: nextByte())) * 64 }
        let windows = SyncNet.windowCount(frames: frameCount, samples: samples.count)

        // evaluate's three parts, timed one by one (evaluate itself is their sequence).
        let cpuStart = BenchmarkSupport.cpuSeconds()
        let lipStart = DispatchTime.now()
        let lips = syncNet.lipEmbeddings(frames: frames, windows: windows)
        let lipSeconds = elapsed(since: lipStart)
        let audioStart = DispatchTime.now()
        let audio = syncNet.audioEmbeddings(samples: samples, windows: windows)
        let audioSeconds = elapsed(since: audioStart)
        let scoreStart = DispatchTime.now()
        let scores = SyncScores(lipEmbeddings: lips, audioEmbeddings: audio)
        let scoreSeconds = elapsed(since: scoreStart)
        let cpu = BenchmarkSupport.cpuSeconds() - cpuStart
        precondition(scores.windows == windows)
        print(
            "syncnet: \(String(format: "%.0f", seconds)) s clip, \(frameCount) frames, \(windows) windows, \(Parallelism.threadCount) threads"
        )
        print(
            String(
                format: "  scoring: %.2f s wall, %.2f CPU s (lip embeddings %.2f s, audio %.2f s, distances %.2f s)",
                lipSeconds + audioSeconds + scoreSeconds, cpu, lipSeconds, audioSeconds, scoreSeconds))
        print(String(format: "  peak resident memory %.0f MB", BenchmarkSupport.peakResidentMB()))
        print("  " + BenchmarkSupport.machineLine().line)
    }

    private static func elapsed(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
