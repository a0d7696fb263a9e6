import Foundation
import Synchronization

/// Every job the server knows, the queue and the running jobs' stop switches: one lock around
/// all of it, and every change of state written to the job's `job.json` before the lock is
/// released (progress, which changes at every step, is kept in memory only).
package final class JobBoard: Sendable {
    private struct State {
        var records: [JobID: JobRecord] = [:]
        var queue: [JobID] = []
        var running: [JobID: JobControl] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())
    let data: ServeDataFolder

    /// An empty board over `data`.
    init(data: ServeDataFolder) { self.data = data }

    /// Loads the records on disk: finished jobs as they are, every other one back in the queue
    /// (oldest first) with status `queued`.
    func recover() {
        for var record in data.readRecords() {
            if !record.status.isFinal {
                record.status = .queued
                record.progress = .none
                try? data.write(record)
            }
            add(record)
        }
    }

    /// Adds a job whose `job.json` is written; a queued one joins the queue.
    func add(_ record: JobRecord) {
        state.withLock { state in
            state.records[record.id] = record
            if record.status == .queued { state.queue.append(record.id) }
        }
    }

    /// The record of `id`.
    package func record(_ id: JobID) -> JobRecord? { state.withLock { $0.records[id] } }

    /// Every record, oldest first.
    func records() -> [JobRecord] {
        state.withLock { Array($0.records.values) }.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Jobs waiting in the queue.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Whether the server is stopping.
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// The next queued job, now running, with its stop switch; `nil` when none waits or the
    /// server is stopping.
    func takeNext() -> (JobRecord, JobControl)? {
        state.withLock { state in
            guard !state.shuttingDown else { return nil }
            while !state.queue.isEmpty {
                let id = state.queue.removeFirst()
                guard let record = state.records[id], record.status == .queued else { continue }
                let control = JobControl()
                state.running[id] = control
                return (record, control)
            }
            return nil
        }
    }

    /// Changes the record of `id` (if it still exists), writing `job.json` when `persist`.
    @discardableResult
    func update(_ id: JobID, persist: Bool = true, _ change: (inout JobRecord) -> Void) -> JobRecord? {
        state.withLock { state in
            guard var record = state.records[id] else { return nil }
            change(&record)
            state.records[id] = record
            if persist { try? data.write(record) }
            return record
        }
    }

    /// Marks `id` as no longer running.
    func finishedRunning(_ id: JobID) { state.withLock { _ = $0.running.removeValue(forKey: id) } }

    /// `POST /cancel`: a queued job ends `cancelled` at once, a running one at its next step.
    ///
    /// - Throws: ``ServeError`` 404 for an unknown id, 409 for a job already finished.
    func cancel(_ id: JobID) throws -> JobRecord {
        try state.withLock { state in
            guard var record = state.records[id] else { throw ServeError.noJob(id.text) }
            guard !record.status.isFinal else {
                throw ServeError.conflict("job \(id) is already \(record.status.rawValue)")
            }
            if let control = state.running[id] {
                control.stop(.cancel)
            } else {
                record.status = .cancelled
                record.progress.etaSeconds = nil
                state.queue.removeAll { $0 == id }
                state.records[id] = record
                try? data.write(record)
            }
            return record
        }
    }

    /// `DELETE`: forgets the job; its files are removed now, or by its worker once it stopped.
    ///
    /// - Throws: ``ServeError`` 404 for an unknown id.
    func delete(_ id: JobID) throws {
        try state.withLock { state in
            guard state.records.removeValue(forKey: id) != nil else { throw ServeError.noJob(id.text) }
            state.queue.removeAll { $0 == id }
            if let control = state.running[id] {
                control.stop(.delete)
            } else {
                data.remove(id)
            }
        }
    }

    /// The server stops: no job starts any more and the running ones stop at their next step.
    func shutDown() {
        state.withLock { state in
            state.shuttingDown = true
            for control in state.running.values { control.stop(.shutdown) }
        }
    }

    /// Whether any job is running.
    var hasRunningJobs: Bool { state.withLock { !$0.running.isEmpty } }
}
