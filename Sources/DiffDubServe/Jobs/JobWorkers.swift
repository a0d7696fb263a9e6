import Foundation
import ServiceLifecycle

/// The queue's workers as a service of the server's service group: `count` loops, each taking
/// the next queued job and running it. On graceful shutdown (SIGINT, SIGTERM) no job starts any
/// more, the running ones stop at their next step (their folders stay resumable, their status
/// goes back to `queued`) and the service returns once they have.
struct JobWorkers: Service {
    let board: JobBoard
    let runner: JobRunner
    let count: Int

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<count { group.addTask { await self.loop() } }
            }
        } onGracefulShutdown: {
            board.shutDown()
        }
    }

    private func loop() async {
        while !board.isShuttingDown {
            if Task.isCancelled {
                board.shutDown()
                break
            }
            if let (record, control) = board.takeNext() {
                await runner.run(record, control: control)
            } else {
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
