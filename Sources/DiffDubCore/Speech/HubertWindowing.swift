/// How audio longer than a model call should take is split.
///
/// Up to `maximumWholeFrames` frames (default 1500 = 30 s at 50 Hz) the whole utterance
/// goes through the model at once, exactly as the original does. Beyond that, attention
/// memory and time grow with the square of the length, so the frames are cut into *cores*
/// of `windowFrames` (default 1000 = 20 s); each core is computed in a window that adds
/// `contextFrames` (default 250 = 5 s) of audio on each side (clipped at the ends), and
/// only the core's frames are kept. Cores tile the frame range exactly, so the stitched
/// result has the same frame count as a whole pass. Each window's frames are the same frames
/// of the whole pass (same sample alignment: window starts are multiples of the frame hop),
/// so the convolutional features agree exactly in the large (layer-norm) layout; in the base
/// (group-norm) layout the first layer's statistics are those of the window. The transformer
/// layers then see 5 s or more of context on each side of every kept frame instead of the
/// whole file.
public struct HubertWindowing: Sendable, Equatable {
    /// One model call: the frames it computes (`context`) and those it contributes (`core`).
    package struct Window: Sendable, Equatable {
        /// The frames kept from this window.
        package var core: Range<Int>
        /// The frames computed (a superset of ``core``).
        package var context: Range<Int>

        /// A window keeping `core` out of the computed `context`.
        package init(core: Range<Int>, context: Range<Int>) {
            self.core = core
            self.context = context
        }
    }

    /// Longest input (in frames) processed in one call.
    package var maximumWholeFrames: Int
    /// Frames each window contributes.
    package var windowFrames: Int
    /// Extra frames computed on each side of a window's core.
    package var contextFrames: Int

    /// A windowing policy; the defaults are 30 s whole, then 20 s windows with 5 s context.
    public init(maximumWholeFrames: Int = 1500, windowFrames: Int = 1000, contextFrames: Int = 250) {
        self.maximumWholeFrames = max(1, maximumWholeFrames)
        self.windowFrames = max(1, windowFrames)
        self.contextFrames = max(0, contextFrames)
    }

    /// The model calls for an utterance of `frameCount` frames: one whole window when it
    /// fits, otherwise consecutive cores with their context. Cores are disjoint, in order,
    /// and cover `0..<frameCount`.
    package func windows(frameCount: Int) -> [Window] {
        guard frameCount > maximumWholeFrames else {
            return [Window(core: 0..<frameCount, context: 0..<frameCount)]
        }
        return stride(from: 0, to: frameCount, by: windowFrames).map { start in
            let end = min(frameCount, start + windowFrames)
            return Window(
                core: start..<end,
                context: max(0, start - contextFrames)..<min(frameCount, end + contextFrames))
        }
    }
}
