import DiffDubIO
import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM handling.
///
/// While a cancellable run is registered (``whileRunning(cancel:_:)``), the first signal cancels
/// it: the run stops at the next denoising step and removes its partial output, and the command
/// exits with 128 + the signal (130 for Ctrl-C). Otherwise, or on a second signal, the
/// registered temporary outputs are removed (``TemporaryFiles/removeAll()``) and the process
/// exits at once, so an interrupted command never leaves a partial file behind.
enum InterruptHandler {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var sources: [DispatchSourceSignal] = []
        var cancel: (@Sendable () -> Void)?
        var received: Int32?
    }

    private static let state = State()

    /// Installs the handlers (once per process).
    static func install() {
        state.lock.withLock {
            guard state.sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { handle(signalNumber) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// The signal that cancelled the current run, if any.
    static var receivedSignal: Int32? { state.lock.withLock { state.received } }

    /// Runs `body` with `cancel` as the first signal's action.
    static func whileRunning<T>(cancel: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        state.lock.withLock { state.cancel = cancel }
        defer { state.lock.withLock { state.cancel = nil } }
        return try await body()
    }

    private static func handle(_ signalNumber: Int32) {
        let cancel: (@Sendable () -> Void)? = state.lock.withLock {
            guard state.received == nil, let cancel = state.cancel else { return nil }
            state.received = signalNumber
            return cancel
        }
        if let cancel {
            FileHandle.standardError.write(Data("diffdub: interrupted; stopping after the current step\n".utf8))
            cancel()
            return
        }
        TemporaryFiles.removeAll()
        FileHandle.standardError.write(Data("diffdub: interrupted; temporary files removed\n".utf8))
        exit(128 + signalNumber)
    }
}
