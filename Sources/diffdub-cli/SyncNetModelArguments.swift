import ArgumentParser
import DiffDubIO
import Foundation

/// `--syncnet-model FILE`, shared by `dub`, `job prepare` and `job finish`: the SyncNet model
/// that chooses the speaker (`--speaker auto`), checks the input's own sync (the note before a
/// dub) and scores the output (`--score`).
struct SyncNetModelArguments: ParsableArguments {
    @Option(
        help: "SyncNet model for --speaker auto, the note on the input's own sync and --score (default: the syncnet_v2.model `diffdub models download syncnet` fetched).",
        completion: .file())
    var syncnetModel: String?

    /// `--syncnet-model`, or the downloaded model; `nil` when there is neither.
    ///
    /// - Throws: ``ValidationError`` when `--syncnet-model` names no file.
    func located() throws -> URL? {
        guard let syncnetModel else { return ModelFolders.locate(.syncnet) }
        try requireFile(syncnetModel, option: "--syncnet-model")
        return URL(fileURLWithPath: syncnetModel)
    }
}
