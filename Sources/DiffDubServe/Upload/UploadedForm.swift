import Foundation

/// A multipart form as received: each file field's stored file (under the upload folder, named
/// by the field) and the client's file name, and each text field's value.
struct UploadedForm: Sendable {
    /// The file fields a job takes.
    static let fileFields: Set<String> = ["video", "image", "audio", "hubert"]

    /// File fields: where the bytes are, and the name the client gave.
    var files: [String: (url: URL, filename: String)] = [:]
    /// Text fields (options).
    var fields: [String: String] = [:]
}
