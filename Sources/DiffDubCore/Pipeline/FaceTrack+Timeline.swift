extension FaceTrack {
    /// The track's regions and landmarks indexed by output frame of `timeline` (for a dubber
    /// that reads ``TimelineFrames``): output frame `i` gets source frame
    /// ``OutputTimeline/sourceFrame(forOutput:)``'s. A fixed crop or a still image keeps its one
    /// region.
    public func inOutputOrder(of timeline: OutputTimeline) -> (regions: FaceRegions, landmarks: LandmarkTrack) {
        let landmarks = landmarkTrack
        let regions = self.regions
        let outputLandmarks: LandmarkTrack
        switch landmarks {
        case .fixed: outputLandmarks = landmarks
        case .detected(let all): outputLandmarks = .detected(TimelineFrames.outputOrder(all, timeline: timeline))
        case .perFrame(let all):
            outputLandmarks = .detected(TimelineFrames.outputOrder(all.map { Optional($0) }, timeline: timeline))
        }
        switch regions {
        case .perFrame(let all): return (.perFrame(TimelineFrames.outputOrder(all, timeline: timeline)), outputLandmarks)
        case .fixed, .whole: return (regions, outputLandmarks)
        }
    }
}
