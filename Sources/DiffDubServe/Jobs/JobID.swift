import Foundation

/// A job's id: 16 lower-case hexadecimal digits made by the server. Only a value that parses
/// as one ever becomes part of a path.
public struct JobID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The digits.
    public let text: String

    /// The id spelled `text`, or `nil` when it is not 16 lower-case hexadecimal digits.
    public init?(_ text: String) {
        guard text.utf8.count == 16, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.text = text
    }

    /// A new random id.
    public static func random() -> JobID {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let digits = String(value, radix: 16)
        return JobID(String(repeating: "0", count: 16 - digits.count) + digits)!
    }

    public var description: String { text }

    public static func < (a: JobID, b: JobID) -> Bool { a.text < b.text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = JobID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a job id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
