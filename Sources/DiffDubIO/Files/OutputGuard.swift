import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decides whether an output may be written at a path without destroying the user's files.
///
/// Outputs replace what is at their path as a whole (`AtomicFile.commit(_:to:)`), so a
/// mistyped path could replace a folder of someone's work. The guard refuses, with one line
/// naming the path and why (`OutputRefusal`):
///
/// - an empty path; the working directory or any folder holding it (`.`, `..`, `/`, `~`);
/// - a protected path (an input of the run, the job folder of `finish`), a folder holding one,
///   or a path inside one;
/// - an existing non-empty folder that this tool did not write: the folders it writes hold a
///   marker file, `markerName`, written before the folder is renamed into place;
/// - an existing file, or a folder this tool wrote, unless `overwrite` is set (as ffmpeg
///   without `-y`); an empty folder may be replaced;
/// - anything else at the path (a device, a FIFO, a socket).
///
/// Paths are compared resolved: made absolute, `.` and `..` removed and the symbolic links of
/// the part that exists followed, so `./x/../.` and a link to the working directory are caught.
///
/// ```swift
/// let outputGuard = OutputGuard(protecting: [.init(role: "video", url: clip)], overwrite: false)
/// try outputGuard.check(outputURL)  // throws OutputRefusal
/// ```
public struct OutputGuard: Sendable {
    /// A file or folder an output must neither replace, hold nor lie inside.
    public struct ProtectedPath: Sendable, Equatable {
        /// What it is to the run, for messages: "video", "frame folder", "job folder".
        public var role: String
        /// Its path.
        public var url: URL

        /// A protected `url` playing `role`.
        public init(role: String, url: URL) {
            self.role = role
            self.url = url
        }
    }

    /// The name of the marker file inside every folder this tool writes (`.diffdub-output`);
    /// hidden, so frame listings skip it.
    package static let markerName = ".diffdub-output"

    /// The paths the run reads (inputs, a job folder).
    package var protected: [ProtectedPath]
    /// Whether an existing file, or a folder this tool wrote, may be replaced.
    package var overwrite: Bool
    /// The working directory the output must not replace; `nil`: the process's, read at each check.
    package var workingDirectory: URL?

    /// A guard protecting `protected`, replacing existing outputs only when `overwrite`.
    public init(protecting protected: [ProtectedPath] = [], overwrite: Bool = false, workingDirectory: URL? = nil) {
        self.protected = protected
        self.overwrite = overwrite
        self.workingDirectory = workingDirectory
    }

    /// Checks an output path as typed: an empty string is refused, a relative one is taken
    /// from ``workingDirectory``.
    ///
    /// - Throws: ``OutputRefusal``.
    package func check(path: String) throws {
        guard !path.isEmpty else { throw OutputRefusal.emptyPath }
        if path.hasPrefix("/") { return try check(URL(fileURLWithPath: path)) }
        let base = workingDirectory?.path ?? FileManager.default.currentDirectoryPath
        try check(URL(fileURLWithPath: base).appendingPathComponent(path), name: path)
    }

    /// Checks that an output may be written at `url`.
    ///
    /// - Throws: ``OutputRefusal`` naming `url` (and what it resolves to, when that differs).
    package func check(_ url: URL) throws { try check(url, name: url.path) }

    /// ``check(_:)`` naming the path `name` in its messages.
    private func check(_ url: URL, name: String) throws {
        guard !url.path.isEmpty else { throw OutputRefusal.emptyPath }
        let target = Self.resolved(url.path)
        // The resolved path is named too when a link led elsewhere.
        let shown = target == Self.resolved(url.path, followingLinks: false) ? name : "\(name) (\(target))"
        let cwd = Self.resolved(workingDirectory?.path ?? FileManager.default.currentDirectoryPath)
        if target == cwd { throw OutputRefusal.workingDirectory(path: shown) }
        if Self.isAncestor(target, of: cwd) {
            throw OutputRefusal.holdsWorkingDirectory(path: shown, workingDirectory: cwd)
        }
        for item in protected {
            let path = Self.resolved(item.url.path)
            if target == path { throw OutputRefusal.isProtected(path: shown, role: item.role) }
            if Self.isAncestor(target, of: path) {
                throw OutputRefusal.holdsProtected(path: shown, role: item.role, protected: item.url.path)
            }
            if Self.isAncestor(path, of: target) {
                throw OutputRefusal.insideProtected(path: shown, role: item.role, protected: item.url.path)
            }
        }
        try checkExisting(at: url.path, resolved: target, shown: shown)
    }

    /// Whether `folder` holds ``markerName`` (a regular file, not a link): a folder this tool wrote.
    package static func isMarkedOutput(_ folder: URL) -> Bool {
        var info = stat()
        return lstat(folder.appendingPathComponent(markerName).path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Writes ``markerName`` into `folder` (before it is renamed into place), so a later run
    /// recognises the folder as an output it may replace with ``overwrite``.
    package static func markAsOutput(_ folder: URL) throws {
        let text = "A folder written by diffdub: a later run replaces it only when asked to overwrite.\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent(markerName))
    }

    /// `path` made absolute, without `.` and `..`, with every symbolic link of its existing
    /// part followed (the part that does not exist is taken as written).
    package static func resolved(_ path: String) -> String { resolved(path, followingLinks: true) }

    // MARK: - Private

    /// ``resolved(_:)``, or with `.` and `..` removed as written when not `followingLinks`.
    private static func resolved(_ path: String, followingLinks: Bool) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var current = "/"
        for component in absolute.split(separator: "/") where component != "." {
            if component == ".." {
                current = parent(of: current)
                continue
            }
            let next = current == "/" ? "/" + component : current + "/" + component
            current = followingLinks ? real(next) ?? next : next
        }
        return current
    }

    /// Refuses what is at the path unless it is nothing, an empty folder, or (with
    /// ``overwrite``) a file or a marked folder.
    private func checkExisting(at path: String, resolved: String, shown: String) throws {
        var link = stat()
        guard lstat(path, &link) == 0 else { return }  // nothing there
        var info = stat()
        guard stat(resolved, &info) == 0 else {
            // A dangling link: replacing it loses no data, but it is a file the user made.
            if overwrite { return }
            throw OutputRefusal.existingFile(path: shown)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if !overwrite { throw OutputRefusal.existingFile(path: shown) }
        case S_IFDIR:
            let folder = URL(fileURLWithPath: resolved)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: resolved)) ?? [".unreadable"]
            if names.isEmpty { return }
            guard Self.isMarkedOutput(folder) else { throw OutputRefusal.foreignFolder(path: shown) }
            if !overwrite { throw OutputRefusal.existingOutput(path: shown) }
        default:
            throw OutputRefusal.notFileOrFolder(path: shown)
        }
    }

    /// Whether `folder` strictly holds `path` (both resolved).
    private static func isAncestor(_ folder: String, of path: String) -> Bool {
        guard folder != path else { return false }
        return folder == "/" || path.hasPrefix(folder + "/")
    }

    /// The folder holding a resolved path (`/` for `/`).
    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `realpath(3)` of `path`, or `nil` when it does not exist.
    private static func real(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
