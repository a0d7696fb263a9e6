import DiffDubIO
import Dispatch
import Foundation

/// On SIGINT (Ctrl-C) or SIGTERM: removes the run's temporary outputs
/// (``TemporaryFiles/removeAll()``), says so on stderr and exits with 128 + the signal
/// (130 for Ctrl-C), so an interrupted `dub` leaves no partial file behind.
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers (once per process).
    static func install() {
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                TemporaryFiles.removeAll()
                FileHandle.standardError.write(Data("diffdub: interrupted; temporary files removed\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
