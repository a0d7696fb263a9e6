import Foundation

/// One file of a released model: where it is published and where it goes in a model folder.
public struct ModelFile: Sendable, Hashable, Codable {
    /// The path inside a model folder (`stage1_state_dict.ckpt`,
    /// `chinese-hubert-large/config.json`).
    public var relativePath: String
    /// Where the file is published.
    public var url: URL
    /// The SHA-256 (lowercase hex) a download must have, when known; `nil` checks nothing.
    public var sha256: String?

    /// A file stored at `relativePath`, downloaded from `url`.
    public init(relativePath: String, url: URL, sha256: String? = nil) {
        self.relativePath = relativePath
        self.url = url
        self.sha256 = sha256
    }

    /// The last path component (`config.json`): what a mirror serves, `BASE_URL/<file name>`.
    public var fileName: String { (relativePath as NSString).lastPathComponent }
}

/// The released models `diffdub` can download, by name (`diffdub models download NAME`).
///
/// | name | files | published at |
/// |---|---|---|
/// | `stage1` | `stage1_state_dict.ckpt` | huggingface.co/taocode/diffdub, `assets/checkpoints/` |
/// | `stage2` | `stage2_state_dict.ckpt` | huggingface.co/taocode/diffdub, `assets/checkpoints/` |
/// | `hubert` | `chinese-hubert-large/config.json`, `chinese-hubert-large/pytorch_model.bin` | huggingface.co/TencentGameMate/chinese-hubert-large |
/// | `pipnet` | `pipnet_resnet18_10x68x32x256_300w.pth` | torchlm's GitHub release 0.1.6-alpha |
/// | `syncnet` | `syncnet_v2.model` | www.robots.ox.ac.uk/~vgg/software/lipsync/data/ (syncnet_python's `download_model.sh`) |
///
/// `hubert` holds only what ``HubertModel/init(modelFolder:)`` reads (`config.json` and the
/// weights); the feature extractor's settings are fixed in code, so `preprocessor_config.json`
/// is not needed. No sizes or checksums are pinned (``ModelFile/sha256`` is `nil`): they were
/// not verifiable when the catalogue was written; `diffdub models list` prints the SHA-256 of
/// what is present.
public enum ReleasedModel: String, CaseIterable, Sendable, Codable {
    /// DiffDub's stage 1: the inpainting renderer (diffusion auto-encoder).
    case stage1
    /// DiffDub's stage 2: the lip latent predictor (conformer).
    case stage2
    /// The speech model whose hidden states DiffDub reads (chinese-hubert-large).
    case hubert
    /// The landmark model of the automatic face crop (PIPNet ResNet-18, 68 points).
    case pipnet
    /// SyncNet, the lip-sync expert of the LSE-D / LSE-C scores (syncnet_python's `syncnet_v2.model`).
    case syncnet

    /// The Hugging Face repository of the DiffDub checkpoints.
    public static let diffDubRepository = "https://huggingface.co/taocode/diffdub/resolve/main/assets/checkpoints/"
    /// The Hugging Face repository of chinese-hubert-large.
    public static let hubertRepository = "https://huggingface.co/TencentGameMate/chinese-hubert-large/resolve/main/"
    /// The folder of the Hubert files inside a model folder.
    public static let hubertFolderName = "chinese-hubert-large"
    /// SyncNet's file name, as syncnet_python's `download_model.sh` names it.
    public static let syncNetFileName = "syncnet_v2.model"
    /// Where syncnet_python's `download_model.sh` fetches SyncNet (over https; the script says http).
    public static let syncNetURL = "https://www.robots.ox.ac.uk/~vgg/software/lipsync/data/syncnet_v2.model"

    /// One line saying what the model is.
    public var summary: String {
        switch self {
        case .stage1: "DiffDub stage 1, the renderer (dub --stage1)"
        case .stage2: "DiffDub stage 2, the lip latent predictor (dub --stage2)"
        case .hubert: "chinese-hubert-large, the speech features (dub --hubert-model, hubert --model)"
        case .pipnet: "PIPNet ResNet-18 landmarks, the automatic face crop (--landmark-model)"
        case .syncnet: "SyncNet (syncnet_python's syncnet_v2.model), the lip-sync scores (sync --model)"
        }
    }

    /// The model's files.
    public var files: [ModelFile] {
        switch self {
        case .stage1: [Self.diffDubFile("stage1_state_dict.ckpt")]
        case .stage2: [Self.diffDubFile("stage2_state_dict.ckpt")]
        case .hubert:
            ["config.json", "pytorch_model.bin"].map {
                ModelFile(
                    relativePath: "\(Self.hubertFolderName)/\($0)", url: URL(string: Self.hubertRepository + $0)!)
            }
        case .pipnet:
            [
                ModelFile(
                    relativePath: FaceModelFiles.landmarkModelFileName,
                    url: URL(string: FaceModelFiles.landmarkModelURL)!)
            ]
        case .syncnet: [ModelFile(relativePath: Self.syncNetFileName, url: URL(string: Self.syncNetURL)!)]
        }
    }

    /// What the commands are given, relative to a model folder: the checkpoint file, or for
    /// `hubert` the model folder.
    public var entryPath: String {
        self == .hubert ? Self.hubertFolderName : files[0].relativePath
    }

    private static func diffDubFile(_ name: String) -> ModelFile {
        ModelFile(relativePath: name, url: URL(string: diffDubRepository + name)!)
    }
}
