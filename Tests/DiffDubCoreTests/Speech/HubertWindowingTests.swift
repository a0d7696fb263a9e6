import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Long-audio windowing: the plan tiles the frames, and the stitched features have the
/// whole pass's frame count and, where the model is local, its values.
///
/// With random weights attention is global, so windowed and whole transformer states differ
/// by design; what must agree exactly is (a) everything when one window covers the input and
/// (b) hidden state 0 in the large layout, which is local (convolutions, per-frame LayerNorm,
/// the positional convolution of half-width 8 frames) as long as the context is >= 8 frames.
/// (The windowed passes of the fixture model, loaded from its model folder, are tested in
/// DiffDubIOTests/ModelLoading/HubertWindowingTests.swift.)
@Suite struct HubertWindowingTests {
    @Test func planTilesTheFrames() {
        let windowing = HubertWindowing()
        #expect(windowing.windows(frameCount: 1500) == [.init(core: 0..<1500, context: 0..<1500)])
        for frameCount in [1501, 2000, 3001, 30_000] {
            let windows = windowing.windows(frameCount: frameCount)
            #expect(windows.first?.core.lowerBound == 0)
            #expect(windows.last?.core.upperBound == frameCount)
            for (a, b) in zip(windows, windows.dropFirst()) { #expect(a.core.upperBound == b.core.lowerBound) }
            for w in windows {
                #expect(w.context.lowerBound == max(0, w.core.lowerBound - 250))
                #expect(w.context.upperBound == min(frameCount, w.core.upperBound + 250))
                #expect(w.context.count <= 1500)
            }
        }
    }
}
