import DiffDubCore
import Foundation

extension JobFile {
    /// The float32 tensor of the `.npy` file at `url`, with `shape` (`nil` entries: any extent)
    /// and finite values, read within `limits`.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming `shape` or the first
    ///   non-finite element; ``JobError/damaged(path:reason:)`` for a file that is not `.npy`.
    static func tensor(_ url: URL, shape: [Int?], limits: ReaderLimits) throws -> Tensor {
        let data = try contents(url, limit: JobLimits.maximumArrayBytes)
        let tensor: Tensor
        do {
            tensor = try NumPyFile.decode(data, path: url.path, limits: limits).tensor()
        } catch let error as NumPyError {
            throw JobError.damaged(path: url.path, reason: String(error.description.dropFirst(url.path.count + 2)))
        }
        let matches = tensor.rank == shape.count && zip(tensor.shape, shape).allSatisfy { $1 == nil || $0 == $1 }
        guard matches else {
            let expected = "[" + shape.map { $0.map(String.init) ?? "N" }.joined(separator: ", ") + "]"
            throw JobError.invalidField(path: url.path, field: "shape", reason: "\(tensor.shape), expected \(expected)")
        }
        if let bad = tensor.firstNonFinite() {
            throw JobError.invalidField(
                path: url.path, field: "element \(bad.index)", reason: "is \(bad.value); the array must hold finite numbers")
        }
        return tensor
    }

    /// Landmarks `[..., 68, 2]` of the `.npy` file at `url` (finite, within
    /// `limits`' ``ReaderLimits/maximumLandmarkCoordinate``), with `shape`.
    static func landmarks(_ url: URL, shape: [Int?], limits: ReaderLimits) throws -> Tensor {
        let tensor = try self.tensor(url, shape: shape, limits: limits)
        let limit = Float(limits.maximumLandmarkCoordinate)
        let outside = tensor.withUnsafeBufferPointer { values in values.firstIndex { abs($0) > limit } }
        if let outside {
            let element = NonFiniteElement(offset: outside, shape: tensor.shape, value: 0)
            throw JobError.invalidField(
                path: url.path, field: "element \(element.index)",
                reason: "is \(tensor.scalars[outside]), beyond the \(Int(limit)) pixels a landmark coordinate may reach")
        }
        return tensor
    }

    /// The image of the PNG file at `url`: 8-bit RGB as written by the job (gray, alpha,
    /// palette and 16-bit files are refused rather than converted), `size x size` when `size`
    /// is given, within `limits`.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming `pixel format` or `size`;
    ///   ``JobError/damaged(path:reason:)`` for a file that is missing, a link or not a PNG.
    static func image(_ url: URL, size: Int?, limits: ReaderLimits) throws -> RGBImage {
        let data = try contents(url, limit: JobLimits.maximumArrayBytes)
        do {
            let format = try PNGFile.storedFormat(of: data, path: url.path)
            guard format.isRGB8 else {
                throw JobError.invalidField(path: url.path, field: "pixel format", reason: "\(format), expected 8-bit RGB")
            }
            if let size, format.width != size || format.height != size {
                throw JobError.invalidField(
                    path: url.path, field: "size", reason: "\(format.width)x\(format.height), expected \(size)x\(size)")
            }
            let image = try PNGFile.decode(data, path: url.path, limits: limits)
            if let size, image.width != size || image.height != size {
                throw JobError.invalidField(
                    path: url.path, field: "size", reason: "\(image.width)x\(image.height), expected \(size)x\(size)")
            }
            return image
        } catch let error as ImageError {
            throw JobError.damaged(path: url.path, reason: String(error.description.dropFirst(url.path.count + 2)))
        }
    }
}
