extension FaceDetections {
    /// The shots: runs of frames between the cuts ``FaceTrackingOptions/shotCuts`` finds.
    package func shots(options: FaceTrackingOptions) -> [Range<Int>] {
        let starts = [0] + options.shotCuts.cuts(differences: differences).filter { $0 > 0 && $0 < frameCount }.sorted()
        return starts.indices.map { k in starts[k]..<(k + 1 < starts.count ? starts[k + 1] : frameCount) }
    }

    /// Every face's track, shot by shot, as the dub's tracker follows a face: within a shot
    /// each frame's boxes continue the tracks seen at most ``FaceTrackingOptions/maximumGap``
    /// frames before whose last box they do not jump from (``FaceBox/jumps(to:faceJump:)``),
    /// nearest centres first; a box that continues none starts a track. Tracks never cross a
    /// cut; gaps inside a track hold interpolated boxes. Ordered by shot, then face number
    /// (left to right in each track's first frame).
    package func faceTracks(options: FaceTrackingOptions) -> [FaceBoxTrack] {
        var result: [FaceBoxTrack] = []
        for (s, shot) in shots(options: options).enumerated() {
            let linked = link(shot, options: options)
            let ordered = linked.sorted { a, b in
                let (ca, cb) = (a.seen[0].box.center.x, b.seen[0].box.center.x)
                return ca != cb ? ca < cb : a.seen[0].frame < b.seen[0].frame
            }
            for (face, track) in ordered.enumerated() {
                result.append(
                    FaceBoxTrack(shot: s, face: face, firstFrame: track.seen[0].frame, boxes: Self.filled(track.seen)))
            }
        }
        return result
    }

    /// A face's detections while it is being linked.
    private struct Linking {
        var seen: [(frame: Int, box: FaceBox)]
    }

    /// The tracks of one shot, with their detected boxes only.
    private func link(_ shot: Range<Int>, options: FaceTrackingOptions) -> [Linking] {
        var tracks: [Linking] = []
        for t in shot {
            let boxes = self.boxes[t]
            var pairs: [(track: Int, box: Int, distance: Float)] = []
            for (k, track) in tracks.enumerated() {
                guard let last = track.seen.last, t - last.frame - 1 <= options.maximumGap else { continue }
                for (b, box) in boxes.enumerated() where !last.box.jumps(to: box, faceJump: options.faceJump) {
                    let d = box.center - last.box.center
                    pairs.append((k, b, (d * d).sum()))
                }
            }
            pairs.sort { $0.distance != $1.distance ? $0.distance < $1.distance : ($0.track, $0.box) < ($1.track, $1.box) }
            var usedTracks = Set<Int>()
            var usedBoxes = Set<Int>()
            for pair in pairs where !usedTracks.contains(pair.track) && !usedBoxes.contains(pair.box) {
                tracks[pair.track].seen.append((t, boxes[pair.box]))
                usedTracks.insert(pair.track)
                usedBoxes.insert(pair.box)
            }
            for (b, box) in boxes.enumerated() where !usedBoxes.contains(b) {
                tracks.append(Linking(seen: [(t, box)]))
            }
        }
        return tracks
    }

    /// One box per frame from the first detection to the last, gaps linearly interpolated.
    private static func filled(_ seen: [(frame: Int, box: FaceBox)]) -> [FaceBox] {
        var boxes = [seen[0].box]
        for (previous, next) in zip(seen, seen.dropFirst()) {
            let gap = next.frame - previous.frame
            for step in 1..<max(gap, 1) {
                let f = Float(step) / Float(gap)
                let (a, b) = (previous.box, next.box)
                boxes.append(
                    FaceBox(
                        x1: a.x1 + (b.x1 - a.x1) * f, y1: a.y1 + (b.y1 - a.y1) * f, x2: a.x2 + (b.x2 - a.x2) * f,
                        y2: a.y2 + (b.y2 - a.y2) * f, score: 0))
            }
            boxes.append(next.box)
        }
        return boxes
    }
}
