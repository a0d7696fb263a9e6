import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 file server on 127.0.0.1 (an ephemeral port) for download tests: serves
/// `files` by path with `Range: bytes=N-` / `bytes=N-M` support, one request per connection
/// (`Connection: close`), and can misbehave on purpose (``Behaviour``).
///
/// Bounded: it answers at most `maximumRequests` requests, and stops by itself after
/// `lifetime` seconds or when released (``stop()``). The lifetime only ends a server a test
/// forgot: 15 minutes, because a download test that shares the two cores with the model tests
/// can wait minutes between its requests (a CI run saw 183 s, and a 120 s lifetime refused the
/// resumed request).
package final class LoopbackHTTPServer: @unchecked Sendable {
    /// How the server answers.
    package struct Behaviour: Sendable {
        /// Send only this many body bytes of a full or ranged answer, then drop the connection,
        /// for the first `dropCount` answers of a file.
        package var dropAfterBytes: Int? = nil
        /// How many answers are cut short (see `dropAfterBytes`).
        package var dropCount: Int = 1
        /// Send only this many body bytes, then wait (up to 60 s) for the client to hang up: a
        /// transfer that stalls, for cancellation tests.
        package var stallAfterBytes: Int? = nil
        /// Answer every request with the whole file (200), ignoring `Range`.
        package var ignoresRange = false
        /// Answer `/redirect/<path>` with a 302 to `/<path>`.
        package var redirects = true
        /// When set, answers every request it returns a script for, in place of the rules above:
        /// a hostile server (wrong headers, a body that stalls or drips). Given the request's
        /// path and `Range` header.
        package var script: (@Sendable (_ path: String, _ range: String?) -> Script?)? = nil

        /// Well-behaved.
        package init() {}
    }

    /// A scripted answer: raw header text, then a body sent whole, byte by byte, or cut off.
    package struct Script: Sendable {
        /// The status answered (for ``requests``).
        package var status: Int
        /// The status line and header lines, each without its CRLF (`"HTTP/1.1 200 OK"`,
        /// `"Content-Length: 10"`); `Connection: close` and the blank line are added.
        package var head: [String]
        /// The body bytes sent.
        package var body: Data
        /// When set, the body goes one byte at a time with this pause between bytes (a drip),
        /// until the client hangs up.
        package var dripInterval: TimeInterval? = nil
        /// After the body, wait (at most `holdOpenFor` seconds) for the client to hang up instead
        /// of closing: a server that stalls.
        package var holdOpenFor: TimeInterval? = nil

        /// A scripted answer.
        package init(
            status: Int, head: [String], body: Data = Data(), dripInterval: TimeInterval? = nil,
            holdOpenFor: TimeInterval? = nil
        ) {
            self.status = status
            self.head = head
            self.body = body
            self.dripInterval = dripInterval
            self.holdOpenFor = holdOpenFor
        }
    }

    /// One request the server received.
    package struct Request: Sendable, Equatable {
        /// The request path.
        package var path: String
        /// The `Range` header, if any.
        package var range: String?
        /// The status answered.
        package var status: Int
    }

    /// The port it listens on.
    package let port: UInt16
    /// `http://127.0.0.1:PORT`.
    package var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private let files: [String: Data]
    private let lock = NSLock()
    private var behaviour: Behaviour
    private var drops: [String: Int] = [:]
    private var log: [Request] = []
    private var listener: Int32
    private var stopped = false
    private let maximumRequests: Int
    private let deadline: Date

    /// Starts serving `files` (path, e.g. `/a.bin`, to contents).
    package init(
        files: [String: Data], behaviour: Behaviour = Behaviour(), maximumRequests: Int = 64,
        lifetime: TimeInterval = 900
    ) throws {
        self.files = files
        self.behaviour = behaviour
        self.maximumRequests = maximumRequests
        self.deadline = Date().addingTimeInterval(lifetime)
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError("bind/listen on 127.0.0.1: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in serve() }
        thread.name = "LoopbackHTTPServer"
        thread.start()
    }

    deinit { stop() }

    /// The requests received so far.
    package var requests: [Request] { lock.withLock { log } }

    /// Changes how later requests are answered.
    package func setBehaviour(_ behaviour: Behaviour) {
        lock.withLock {
            self.behaviour = behaviour
            drops = [:]
        }
    }

    /// Stops accepting connections.
    package func stop() {
        let fd: Int32 = lock.withLock {
            stopped = true
            defer { listener = -1 }
            return listener
        }
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    private func serve() {
        var served = 0
        while served < maximumRequests, Date() < deadline {
            let fd: Int32 = lock.withLock { stopped ? -1 : listener }
            guard fd >= 0 else { return }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 200)
            guard ready > 0 else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            served += 1
            handle(connection)
            shutdown(connection, Int32(SHUT_RDWR))
            close(connection)
        }
        stop()
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = readHead(connection) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        var path = String(parts[1])
        let range = lines.dropFirst().first { $0.lowercased().hasPrefix("range:") }
            .map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        let behaviour = lock.withLock { self.behaviour }
        if let script = behaviour.script?(path, range) {
            record(path: path, range: range, status: script.status)
            play(script, on: connection)
            return
        }

        if behaviour.redirects, path.hasPrefix("/redirect/") {
            path = String(path.dropFirst("/redirect".count))
            record(path: "/redirect" + path, range: range, status: 302)
            transmit(
                connection, "HTTP/1.1 302 Found\r\nLocation: \(path)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        }
        guard let data = files[path] else {
            record(path: path, range: range, status: 404)
            let body = "not found\n"
            transmit(
                connection,
                "HTTP/1.1 404 Not Found\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
            return
        }
        var start = 0
        var end = data.count - 1
        var status = 200
        if let range, !behaviour.ignoresRange, range.hasPrefix("bytes=") {
            let bounds = range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 2, let first = Int(bounds[0]) {
                if first >= data.count {
                    record(path: path, range: range, status: 416)
                    transmit(
                        connection,
                        "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */\(data.count)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    return
                }
                start = first
                if let last = Int(bounds[1]) { end = min(last, data.count - 1) }
                status = 206
            }
        }
        record(path: path, range: range, status: status)
        var header = status == 206 ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n"
        header +=
            "Content-Type: application/octet-stream\r\nContent-Length: \(end - start + 1)\r\nAccept-Ranges: bytes\r\n"
        if status == 206 { header += "Content-Range: bytes \(start)-\(end)/\(data.count)\r\n" }
        header += "Connection: close\r\n\r\n"
        guard transmit(connection, header) else { return }
        var body = data[(data.startIndex + start)...(data.startIndex + end)]
        let cut: Int? = lock.withLock {
            guard let bytes = behaviour.dropAfterBytes, drops[path, default: 0] < behaviour.dropCount else {
                return nil
            }
            drops[path, default: 0] += 1
            return bytes
        }
        if let cut { body = body.prefix(cut) }
        if let stall = behaviour.stallAfterBytes {
            _ = transmit(connection, Data(body.prefix(stall)))
            var patience = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            _ = recv(connection, &byte, 1, 0)  // returns when the client closes, or after 60 s
            return
        }
        _ = transmit(connection, Data(body))
    }

    private func play(_ script: Script, on connection: Int32) {
        let head = (script.head + ["Connection: close", "", ""]).joined(separator: "\r\n")
        guard transmit(connection, head) else { return }
        if let pause = script.dripInterval {
            for byte in script.body {
                guard lock.withLock({ !stopped }), transmit(connection, Data([byte])) else { return }
                Thread.sleep(forTimeInterval: pause)
            }
        } else {
            guard transmit(connection, script.body) else { return }
        }
        if let patience = script.holdOpenFor {
            waitForHangUp(connection, seconds: patience)
        }
    }

    /// Returns when the client closes the connection, or after `seconds`.
    private func waitForHangUp(_ connection: Int32, seconds: TimeInterval) {
        let whole = Int(seconds)
        var patience = timeval(tv_sec: whole, tv_usec: suseconds_t((seconds - Double(whole)) * 1_000_000))
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        _ = recv(connection, &byte, 1, 0)
    }

    private func record(path: String, range: String?, status: Int) {
        lock.withLock { log.append(Request(path: path, range: range, status: status)) }
    }

    private func readHead(_ connection: Int32) -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 65536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                return String(decoding: received[..<end.lowerBound], as: UTF8.self)
            }
        }
        return nil
    }

    @discardableResult
    private func transmit(_ connection: Int32, _ text: String) -> Bool { transmit(connection, Data(text.utf8)) }

    @discardableResult
    private func transmit(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
