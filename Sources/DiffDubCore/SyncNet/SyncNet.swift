/// SyncNet (Chung & Zisserman 2016), the lip-sync expert of syncnet_python (`SyncNetModel.S`
/// with `num_layers_in_fc_layers` 1024): an audio and a lip encoder whose embeddings lie
/// close when the lips and the speech match. Its checkpoint keys:
///
/// | key prefix | property | what |
/// |---|---|---|
/// | `netcnnaud.*` | `audioStack` | 13 MFCCs x 20 frames -> 512 (`SyncNetAudioStack`) |
/// | `netfcaud.*` | `audioHead` | 512 -> 1024 (`SyncNetHead`) |
/// | `netcnnlip.*` | `lipStack` | 5 BGR frames of 224 x 224 -> 512 (`SyncNetLipStack`) |
/// | `netfclip.*` | `lipHead` | 512 -> 1024 (`SyncNetHead`) |
///
/// ```
/// forward_aud(x) = netfcaud(flatten(netcnnaud(x)))
/// forward_lip(x) = netfclip(flatten(netcnnlip(x)))
/// ```
/// Every `BatchNorm` runs in evaluation mode (its running statistics, folded into the layer
/// before it). Scores come from ``evaluate(frames:samples:vshift:)``, as
/// `SyncNetInstance.evaluate` computes them.
///
/// ```swift
/// let syncNet = try SyncNet(checkpoint: url)                        // DiffDubIO
/// let scores = try syncNet.evaluate(frames: crops, samples: pcm16)  // 224x224 crops, 16 kHz
/// print(scores.offset, scores.minDistance, scores.confidence)
/// ```
public struct SyncNet: Sendable {
    /// The embedding width of the published model (`num_layers_in_fc_layers`).
    package static let embeddingWidth = 1024

    /// `netcnnaud`.
    package let audioStack: SyncNetAudioStack
    /// `netfcaud`.
    package let audioHead: SyncNetHead
    /// `netcnnlip`.
    package let lipStack: SyncNetLipStack
    /// `netfclip`.
    package let lipHead: SyncNetHead

    /// Binds the four parts under `weights` (the root of a SyncNet state dict, or random
    /// weights), strictly: ``WeightBinder/finish()`` is called, so a left-over key fails too.
    ///
    /// - Throws: ``WeightError`` naming the key of a missing, misshapen or unexpected tensor.
    package init(_ weights: WeightBinder) throws {
        audioStack = try SyncNetAudioStack(weights.scoped("netcnnaud"))
        audioHead = try SyncNetHead(weights.scoped("netfcaud"), embedding: Self.embeddingWidth)
        lipStack = try SyncNetLipStack(weights.scoped("netcnnlip"))
        lipHead = try SyncNetHead(weights.scoped("netfclip"), embedding: Self.embeddingWidth)
        try weights.finish()
    }

    /// Binds a SyncNet state dict (`syncnet_v2.model`'s keys), strictly.
    ///
    /// - Throws: `WeightError` naming the key (and the file) of a missing, misshapen or
    ///   unexpected tensor.
    public init(stateDict: StateDict) throws {
        guard stateDict.containsKeys(withPrefix: "netcnnlip.") || stateDict.containsKeys(withPrefix: "netcnnaud.")
        else {
            throw WeightError.invalidConfiguration(
                "no tensors under 'netcnnlip.' or 'netcnnaud.': not a SyncNet model", source: stateDict.source)
        }
        try self.init(WeightBinder(stateDict))
    }

    /// Audio embeddings `[N, 1024]` of MFCC windows `[N, 1, 13, 20]` (`forward_aud`).
    package func audioEmbeddings(mfccWindows: Tensor) -> Tensor {
        precondition(
            mfccWindows.rank == 4 && mfccWindows.shape[1] == 1
                && mfccWindows.shape[2] == SyncNetAudioStack.coefficients
                && mfccWindows.shape[3] == SyncNetAudioStack.frames,
            "SyncNet: MFCC windows must be [N, 1, 13, 20], got \(mfccWindows.shape)")
        return audioHead(audioStack(mfccWindows))
    }

    /// Lip embeddings `[D - 4, 1024]` of the windows of a run of `D >= 5` frames
    /// `[1, 3, D, 224, 224]` (BGR, 0...255): row `t` is `forward_lip` of frames `t ..< t + 5`.
    package func lipEmbeddings(frameRun: Tensor) -> Tensor {
        precondition(
            frameRun.rank == 5 && frameRun.shape[0] == 1 && frameRun.shape[1] == 3
                && frameRun.shape[2] >= SyncNetLipStack.frames && frameRun.shape[3] == SyncNetLipStack.side
                && frameRun.shape[4] == SyncNetLipStack.side,
            "SyncNet: frames must be [1, 3, D >= 5, 224, 224], got \(frameRun.shape)")
        let features = lipStack(frameRun)  // [1, 512, windows]
        let windows = features.shape[2]
        return lipHead(permuted(features.reshaped([SyncNetLipStack.features, windows]), [1, 0]))
    }
}
