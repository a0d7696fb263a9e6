import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file or folder of a job folder, opened as untrusted input: a regular file or folder
/// reached without following a symbolic link, of a bounded size, read without blocking (a FIFO
/// put in place of a file is refused, not waited on).
enum JobFile {
    /// The bytes of the regular file at `url`, at most `limit` of them.
    ///
    /// - Throws: ``JobError/damaged(path:reason:)``: missing, a symbolic link, not a regular
    ///   file, larger than `limit`, unreadable.
    static func contents(_ url: URL, limit: Int) throws -> Data {
        let descriptor = try openFile(url)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(url, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw JobError.damaged(path: url.path, reason: "not a regular file; a job holds only regular files")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw JobError.damaged(path: url.path, reason: "\(size) bytes, more than the \(limit) a job file may hold")
        }
        return try readAll(descriptor, size: size, url: url)
    }

    /// The first `count` bytes of the regular file at `url` (fewer if it is shorter).
    static func prefix(_ url: URL, count: Int) throws -> Data {
        let descriptor = try openFile(url)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(url, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw JobError.damaged(path: url.path, reason: "not a regular file; a job holds only regular files")
        }
        return try readAll(descriptor, size: min(count, Int(info.st_size)), url: url)
    }

    /// Checks that `url` is a folder and not a symbolic link.
    ///
    /// - Throws: ``JobError/damaged(path:reason:)``.
    static func checkFolder(_ url: URL) throws {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw failure(url, errno) }
        if (info.st_mode & S_IFMT) == S_IFLNK { throw linked(url) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw JobError.damaged(path: url.path, reason: "not a folder")
        }
    }

    /// Whether `url` exists as a regular file (not a link, not a folder).
    static func isRegularFile(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func openFile(_ url: URL) throws -> Int32 {
        let descriptor = url.path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else {
            let code = errno
            throw code == ELOOP ? linked(url) : failure(url, code)
        }
        return descriptor
    }

    private static func readAll(_ descriptor: Int32, size: Int, url: URL) throws -> Data {
        var data = Data(count: size)
        var filled = 0
        try data.withUnsafeMutableBytes { buffer in
            while filled < size {
                let n = read(descriptor, buffer.baseAddress! + filled, size - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(url, errno)
                }
                if n == 0 { break }
                filled += n
            }
        }
        return filled == size ? data : data.prefix(filled)
    }

    private static func linked(_ url: URL) -> JobError {
        .damaged(path: url.path, reason: "a symbolic link; a job's files must be the files themselves")
    }

    private static func failure(_ url: URL, _ code: Int32) -> JobError {
        .damaged(path: url.path, reason: code == ENOENT ? "missing" : "cannot read (\(String(cString: strerror(code)).lowercased()))")
    }
}
