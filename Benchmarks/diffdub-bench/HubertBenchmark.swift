import DiffDubCore
import Foundation

/// Hubert-large at released size (random weights, `HubertModel(WeightBinder(randomSeed:), configuration:)`) on 10 s of 16 kHz
/// audio: all 25 hidden states, as DiffDub's features. Compare with PyTorch's 3.04 s on this
/// machine (the original stack's timing, measured for the project on 2 cores with AVX-512).
///
/// `swift run -c release diffdub-bench hubert [seconds]`
enum HubertBenchmark {
    static func run(seconds: Double) {
        let configuration = HubertConfiguration.chineseHubertLarge
        var start = Date()
        let model: HubertModel
        do {
            model = try HubertModel(WeightBinder(randomSeed: 1), configuration: configuration)
        } catch {
            print("hubert: \(error)")
            return
        }
        print(String(format: "hubert: random released-size weights built in %.2f s", Date().timeIntervalSince(start)))

        let sampleCount = Int(seconds * 16000)
        let audio = (0..<sampleCount).map { i -> Float in
            let t = Float(i) / 16000
            return 0.3 * sin(2 * .pi * 220 * t) + 0.1 * sin(2 * .pi * 1330 * t + 0.5 * sin(7 * t))
        }
        let extractor = HubertFeatureExtractor(model: model)
        let input = Tensor(shape: [sampleCount], scalars: WaveformNormalization.zeroMeanUnitVariance(audio))

        // Phases, once each after a warm-up call.
        _ = try? extractor.features(samples: audio, sampleRate: 16000)
        start = Date()
        let convolutional = model.featureExtractor(input.reshaped([1, sampleCount]))
        let convSeconds = Date().timeIntervalSince(start)
        let frames = permuted(convolutional.reshaped([convolutional.shape[1], -1]), [1, 0])
        start = Date()
        let projected = model.featureProjection(frames)
        _ = model.encoder.hiddenStates(projected)
        let encoderSeconds = Date().timeIntervalSince(start)

        var best = Double.infinity
        var bestCPU = Double.infinity
        var shape: [Int] = []
        for _ in 0..<2 {
            start = Date()
            let cpuStart = processCPUSeconds()
            guard let features = try? extractor.features(samples: audio, sampleRate: 16000) else { return }
            best = min(best, Date().timeIntervalSince(start))
            bestCPU = min(bestCPU, processCPUSeconds() - cpuStart)
            shape = features.shape
        }
        print(
            String(
                format:
                    "hubert-large, %.0f s of audio -> %@: %.2f s best of 2, %.2f s of CPU (conv feature extractor %.2f s, projection + encoder %.2f s); PyTorch 3.04 s for 10 s",
                seconds, "\(shape)", best, bestCPU, convSeconds, encoderSeconds))
        print("(CPU time / threads estimates the wall time on an otherwise idle machine; load now: \(loadAverage()))")
    }

    /// User + system CPU time of this process, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// The 1-minute load average, from /proc/loadavg ("?" elsewhere).
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init)
            ?? "?"
    }
}
