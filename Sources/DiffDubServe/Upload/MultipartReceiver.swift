import Foundation
import Hummingbird
import MultipartKit

/// Receives a `multipart/form-data` body into a folder as it arrives, never holding a file in
/// memory: the parser hands each part's bytes to its file, a running count refuses the body
/// (413) as soon as it passes the limit, and a field that no job takes is refused (400) at its
/// header.
struct MultipartReceiver {
    /// The folder the files go to (one file per field, named ``ServeDataFolder/inputName(field:)``).
    let folder: URL
    /// Most bytes of the whole body.
    let limit: Int

    /// Largest value of a text field.
    static let maximumFieldBytes = 1024

    /// Reads `request`'s body into ``folder``.
    ///
    /// - Throws: ``ServeError`` 400 (not multipart, malformed, unknown or repeated field, a
    ///   text field too long), 413 (body over ``limit``).
    func receive(_ request: Request) async throws -> UploadedForm {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(of: contentType) else {
            throw ServeError.badRequest("the body must be multipart/form-data with a boundary")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let state = PartState(folder: folder)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name: name, value: value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        defer { state.closeFile() }
        var received = 0
        for try await buffer in request.body {
            received += buffer.readableBytes
            if received > limit { throw Self.tooLarge(limit) }
            do {
                try parser.execute(buffer)
            } catch {
                throw ServeError.badRequest("the body is not a well-formed multipart form")
            }
            if let failure = state.failure { throw failure }
        }
        if let failure = state.failure { throw failure }
        guard state.ended else { throw ServeError.badRequest("the multipart form ends before its closing boundary") }
        return state.form
    }

    static func tooLarge(_ limit: Int) -> ServeError {
        ServeError(.contentTooLarge, "the upload is larger than --max-upload-mb (\(limit >> 20) MB)")
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(of contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = String(part.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }
}

/// The parser's callbacks' state: the part being read, its file, the form so far, the first
/// failure.
private final class PartState {
    let folder: URL
    var form = UploadedForm()
    var failure: ServeError?
    var ended = false
    private var name: String?
    private var filename: String?
    private var file: FileHandle?
    private var text = Data()
    private var started = false

    init(folder: URL) { self.folder = folder }

    func header(name header: String, value: String) {
        guard failure == nil, header.lowercased() == "content-disposition" else { return }
        ended = false
        let (name, filename) = Self.disposition(value)
        guard let name else {
            failure = .badRequest("a form part has no name")
            return
        }
        guard UploadedForm.fileFields.contains(name) || JobOptions.fieldNames.contains(name) else {
            failure = .badRequest("unknown field \(JobOptions.quote(name)): expected video, image, audio, hubert or an option (\(JobOptions.fieldNames.sorted().joined(separator: ", ")))")
            return
        }
        guard form.files[name] == nil, form.fields[name] == nil else {
            failure = .badRequest("field \(name) is given twice")
            return
        }
        self.name = name
        self.filename = filename
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil, let name else { return }
        if UploadedForm.fileFields.contains(name) {
            if !started {
                let url = folder.appendingPathComponent(ServeDataFolder.inputName(field: name))
                guard FileManager.default.createFile(atPath: url.path, contents: nil),
                    let handle = try? FileHandle(forWritingTo: url)
                else {
                    failure = ServeError(.internalServerError, "cannot store the upload of \(name)")
                    return
                }
                file = handle
                form.files[name] = (url, filename ?? name)
                started = true
            }
            if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                do { try file?.write(contentsOf: bytes) } catch {
                    failure = ServeError(.internalServerError, "cannot store the upload of \(name)")
                }
            }
        } else {
            started = true
            text.append(contentsOf: buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            if text.count > MultipartReceiver.maximumFieldBytes {
                failure = .badRequest("field \(name) is longer than \(MultipartReceiver.maximumFieldBytes) bytes")
            }
        }
    }

    func complete() {
        defer {
            name = nil
            filename = nil
            text = Data()
            started = false
        }
        guard failure == nil, let name else {
            ended = true
            return
        }
        if UploadedForm.fileFields.contains(name) {
            closeFile()
            if !started { failure = .badRequest("file \(name) is empty") }
        } else {
            guard let value = String(data: text, encoding: .utf8) else {
                failure = .badRequest("field \(name) is not UTF-8 text")
                return
            }
            form.fields[name] = value
        }
        ended = true
    }

    func closeFile() {
        try? file?.close()
        file = nil
    }

    /// The `name` and `filename` of a `Content-Disposition: form-data; ...` value.
    static func disposition(_ value: String) -> (name: String?, filename: String?) {
        var name: String?
        var filename: String?
        for part in value.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].lowercased()
            var text = String(part[part.index(after: equals)...])
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            if key == "name" { name = text } else if key == "filename" { filename = text }
        }
        return (name, filename)
    }
}
