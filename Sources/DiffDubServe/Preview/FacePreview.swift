import DiffDubCore
import DiffDubIO
import Foundation

/// The picture of `GET /api/jobs/{id}/preview.png`: a strip of up to five frames of a prepared
/// job, spread over its frames with a face, each scaled to ``tileHeight`` with the tracked
/// face's square outlined (green) and the mouth mask the renderer repaints tinted (red).
enum FacePreview {
    /// Height of each frame in the strip.
    static let tileHeight = 180
    /// Frames in the strip.
    static let tileCount = 5
    /// Pixels between frames.
    static let gap = 4

    /// Draws the strip of `job` (prepared from `request`) and writes it to `url` as a PNG
    /// (temporary file and rename).
    static func write(job: JobFolder, request: DubbingRequest, to url: URL) throws {
        let manifest = try job.manifest()
        let plan = try job.readPlan(checkedAgainst: manifest)
        let picked = pick(plan)
        guard let last = picked.last else { return }
        let source: any FrameSource
        switch request.frames {
        case .video(let video):
            source = request.options.frameRate == .source ? try VideoFileSource(atSourceRateOf: video) : try VideoFileSource(video)
        case .image(let image): source = StillFrame(try PNGFile.read(image), name: image.path)
        default: return
        }
        let reader = try PlannedFrameReader(source: source, sources: plan.frames.map(\.source))
        var tiles: [RGBImage] = []
        for index in plan.outputFrames where index <= last {
            let frame = try reader.next()
            guard picked.contains(index) else { continue }
            let planned = plan.frame(index)
            let mask = try plan.face(ofFrame: index, input: frame)?.mouthMask
            tiles.append(tile(frame, region: planned.region, mask: mask, imageSize: plan.imageSize))
        }
        let strip = join(tiles)
        let temporary = AtomicFile.temporaryURL(for: url)
        do {
            try PNGFile.write(strip, to: temporary)
            try AtomicFile.commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Up to ``tileCount`` output frames spread evenly over those with a face (over all frames
    /// when none has one).
    static func pick(_ plan: DubbingPlan) -> [Int] {
        var candidates = plan.outputFrames.filter { plan.frame($0).landmarks != nil }
        if candidates.isEmpty { candidates = Array(plan.outputFrames) }
        guard candidates.count > tileCount else { return candidates }
        return (0..<tileCount).map { candidates[$0 * (candidates.count - 1) / (tileCount - 1)] }
    }

    /// `frame` scaled to ``tileHeight`` (nearest pixel), with `region` outlined and `mask`
    /// (the face's `imageSize` square) tinted.
    static func tile(_ frame: RGBImage, region: FaceRegion?, mask: GrayImage?, imageSize: Int) -> RGBImage {
        let height = tileHeight
        let width = max(1, frame.width * height / max(1, frame.height))
        var pixels = [UInt8](repeating: 0, count: height * width * 3)
        for y in 0..<height {
            let sy = min(frame.height - 1, y * frame.height / height)
            for x in 0..<width {
                let sx = min(frame.width - 1, x * frame.width / width)
                var rgb = (0..<3).map { Int(frame.pixels[(sy * frame.width + sx) * 3 + $0]) }
                if let region, let mask, region.size > 0,
                    (region.x..<(region.x + region.size)).contains(sx), (region.y..<(region.y + region.size)).contains(sy)
                {
                    let my = min(mask.height - 1, (sy - region.y) * imageSize / region.size)
                    let mx = min(mask.width - 1, (sx - region.x) * imageSize / region.size)
                    if mask.pixels[my * mask.width + mx] > 0 { rgb = [(rgb[0] + 255) / 2, rgb[1] / 2, rgb[2] / 2] }
                }
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8(rgb[c]) }
            }
        }
        var image = RGBImage(height: height, width: width, pixels: pixels)
        if let region { outline(&image, region: region, scale: Double(height) / Double(frame.height)) }
        return image
    }

    /// Draws a 2-pixel green square around `region` (frame pixels times `scale`).
    static func outline(_ image: inout RGBImage, region: FaceRegion, scale: Double) {
        let x0 = Int(Double(region.x) * scale), y0 = Int(Double(region.y) * scale)
        let x1 = Int(Double(region.x + region.size) * scale) - 1, y1 = Int(Double(region.y + region.size) * scale) - 1
        func set(_ y: Int, _ x: Int) {
            guard (0..<image.height).contains(y), (0..<image.width).contains(x) else { return }
            let offset = (y * image.width + x) * 3
            image.pixels[offset] = 0
            image.pixels[offset + 1] = 255
            image.pixels[offset + 2] = 0
        }
        for t in 0..<2 {
            for x in x0...max(x0, x1) {
                set(y0 + t, x)
                set(y1 - t, x)
            }
            for y in y0...max(y0, y1) {
                set(y, x0 + t)
                set(y, x1 - t)
            }
        }
    }

    /// The tiles side by side, ``gap`` dark pixels apart.
    static func join(_ tiles: [RGBImage]) -> RGBImage {
        let height = tileHeight
        let width = max(1, tiles.reduce(0) { $0 + $1.width } + gap * max(0, tiles.count - 1))
        var pixels = [UInt8](repeating: 32, count: height * width * 3)
        var left = 0
        for tile in tiles {
            for y in 0..<height {
                let row = (y * width + left) * 3
                pixels.replaceSubrange(row..<(row + tile.width * 3), with: tile.pixels[(y * tile.width * 3)..<((y + 1) * tile.width * 3)])
            }
            left += tile.width + gap
        }
        return RGBImage(height: height, width: width, pixels: pixels)
    }
}
