import Foundation

/// Decoding the JSON files of a job folder with errors that name the field: every
/// `DecodingError` becomes one line, `FILE: frames[3].source: must be an integer (found 12.5)`.
enum JobJSON {
    /// `T` decoded from the JSON `data` of the file at `path`.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the field that is missing,
    ///   of the wrong type or out of range; ``JobError/damaged(path:reason:)`` for text that is
    ///   not JSON.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, data: data, path: path, type: type)
        } catch let error as JobError {
            throw error
        } catch {
            throw JobError.damaged(path: path, reason: SystemErrorText.reason(error))
        }
    }

    /// The one-line error of a failed decode.
    static func describe<T: Decodable>(_ error: DecodingError, data: Data, path: String, type: T.Type) -> JobError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(path: path, field: field(context.codingPath + [key]), reason: "missing")
        case .valueNotFound(let expected, let context):
            return .invalidField(path: path, field: field(context.codingPath), reason: "must be \(kind(expected)), found null")
        case .typeMismatch(let expected, let context):
            return .invalidField(path: path, field: field(context.codingPath), reason: "must be \(kind(expected))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .invalidField(path: path, field: field(context.codingPath), reason: context.debugDescription)
        case .dataCorrupted:
            // Foundation reports a number that does not fit its field (12.5 or 1e30 for an
            // integer, 1e39 for a float) as "not valid JSON", with no field: find it.
            if let (field, value) = unrepresentableNumber(in: data, type: type) {
                let integral = value.rounded(.towardZero) == value
                let reason = integral ? "\(format(value)) is out of range" : "must be an integer (found \(format(value)))"
                return .invalidField(path: path, field: field, reason: reason)
            }
            let searched = data.count <= maximumSearchedBytes
            return .damaged(path: path, reason: searched ? "not valid JSON" : "not valid JSON, or a number out of range for its field")
        @unknown default:
            return .damaged(path: path, reason: "\(error)")
        }
    }

    /// `frames[3].landmarks.points[67]`.
    static func field(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is any BinaryInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a \(type)"
        }
    }

    private static func format(_ value: Double) -> String {
        abs(value) < 1e15 && value.rounded(.towardZero) == value ? "\(Int64(value))" : "\(value)"
    }

    /// Longest document searched for a number that does not fit its field (8 MiB: a plan of
    /// about 5,000 frames: the ~log2(N) decodes of the search take a few seconds at most).
    static let maximumSearchedBytes = 1 << 23

    /// One step of a JSON path.
    private enum Step {
        case key(String)
        case index(Int)
    }

    /// A number of `data` (a valid JSON document) that the decoder of `T` refuses for
    /// its range or for not being an integer, with its field: the numbers that are not integers
    /// or are beyond 2^53 are made integers (or 0) a prefix at a time, and the shortest prefix
    /// that lets the decoder past them names the number (a binary search: about log2(N)
    /// decodes for N such numbers). `nil` when `data` is not JSON, is longer than
    /// ``maximumSearchedBytes``, or no such number is found.
    private static func unrepresentableNumber<T: Decodable>(in data: Data, type: T.Type) -> (String, Double)? {
        guard data.count <= maximumSearchedBytes,
            let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        var candidates: [(path: [Step], value: Double)] = []
        collect(root, path: [], into: &candidates)
        guard !candidates.isEmpty else { return nil }
        func passesNumbers(fixing count: Int) -> Bool {
            var fixed: [String: Double] = [:]
            for candidate in candidates.prefix(count) {
                let value = candidate.value
                fixed[render(candidate.path)] = abs(value) < 9e15 ? value.rounded(.towardZero) : 0
            }
            let replaced = replace(root, path: [], fixed: fixed)
            guard let bytes = try? JSONSerialization.data(withJSONObject: replaced, options: [.fragmentsAllowed]) else {
                return false
            }
            do {
                _ = try JSONDecoder().decode(type, from: bytes)
                return true
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                return false
            } catch {
                return true
            }
        }
        guard passesNumbers(fixing: candidates.count) else { return nil }
        var (low, high) = (0, candidates.count)  // fails at low, passes at high
        while high - low > 1 {
            let middle = (low + high) / 2
            if passesNumbers(fixing: middle) { high = middle } else { low = middle }
        }
        let culprit = candidates[high - 1]
        return (render(culprit.path), culprit.value)
    }

    private static func collect(_ value: Any, path: [Step], into candidates: inout [(path: [Step], value: Double)]) {
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() { collect(object[key]!, path: path + [.key(key)], into: &candidates) }
        case let array as [Any]:
            for (index, item) in array.enumerated() { collect(item, path: path + [.index(index)], into: &candidates) }
        case let number as NSNumber:
            let double = number.doubleValue
            if double.rounded(.towardZero) != double || abs(double) >= 9e15 { candidates.append((path, double)) }
        default:
            break
        }
    }

    private static func replace(_ value: Any, path: [Step], fixed: [String: Double]) -> Any {
        switch value {
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            for (key, item) in object { result[key] = replace(item, path: path + [.key(key)], fixed: fixed) }
            return result
        case let array as [Any]:
            return array.enumerated().map { replace($1, path: path + [.index($0)], fixed: fixed) }
        case is NSNumber:
            // Only numbers that are not integers or beyond 2^53 are in `fixed` (never a bool).
            guard let integer = fixed[render(path)] else { return value }
            return NSNumber(value: Int64(integer))
        default:
            return value
        }
    }

    private static func render(_ path: [Step]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += (text.isEmpty ? "" : ".") + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }
}
