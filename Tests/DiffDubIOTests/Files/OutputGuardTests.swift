import DiffDubIO
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What ``OutputGuard`` refuses and allows, on a temporary tree; the working directory is
/// given to the guard (the test process never changes its own).
@Suite("Output guard")
struct OutputGuardTests {
    /// A tree: `cwd/` (the working directory, holding a file), the inputs `clip.mp4` and
    /// `frames/000000.png`, a job folder `job/` with `manifest.json` and `plan/`, and a folder of
    /// the user's `photos/`.
    final class Tree {
        let directory: TemporaryDirectory
        /// The temporary folder, links resolved (macOS's is under a link), so messages name it as is.
        let root: URL
        var cwd: URL { root.appendingPathComponent("cwd") }
        var clip: URL { root.appendingPathComponent("clip.mp4") }
        var frames: URL { root.appendingPathComponent("inputs/frames") }
        var job: URL { root.appendingPathComponent("job") }
        var photos: URL { root.appendingPathComponent("photos") }

        init() throws {
            directory = try TemporaryDirectory()
            root = URL(fileURLWithPath: OutputGuard.resolved(directory.url.path))
            let manager = FileManager.default
            for folder in [cwd, frames, job.appendingPathComponent("plan"), photos] {
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try Data("notes".utf8).write(to: cwd.appendingPathComponent("notes.txt"))
            try Data("video".utf8).write(to: clip)
            try Data("png".utf8).write(to: frames.appendingPathComponent("000000.png"))
            try Data("{}".utf8).write(to: job.appendingPathComponent("manifest.json"))
            try Data("plan".utf8).write(to: job.appendingPathComponent("plan/frames.json"))
            try Data("holiday".utf8).write(to: photos.appendingPathComponent("beach.jpg"))
        }

        /// The guard of a run reading the clip and the frames, finishing the job, in `cwd`.
        func outputGuard(overwrite: Bool = false) -> OutputGuard {
            OutputGuard(
                protecting: [
                    .init(role: "video", url: clip), .init(role: "frame folder", url: frames),
                    .init(role: "job folder", url: job),
                ],
                overwrite: overwrite, workingDirectory: cwd)
        }
    }

    @Test("an empty path, the working directory and the folders holding it are refused, also through a link")
    func workingDirectory() throws {
        let tree = try Tree()
        let before = try FileTreeSnapshot(tree.root)
        for overwrite in [false, true] {
            let outputGuard = tree.outputGuard(overwrite: overwrite)
            #expect(throws: OutputRefusal.emptyPath) { try outputGuard.check(path: "") }
            for path in [".", "./", "./x/../.", "../cwd", tree.cwd.path, tree.cwd.path + "/"] {
                let error = #expect(throws: OutputRefusal.self, "\(path)") { try outputGuard.check(path: path) }
                guard case .workingDirectory = error else {
                    Issue.record("\(path): \(String(describing: error))")
                    continue
                }
            }
            #expect(throws: OutputRefusal.workingDirectory(path: tree.cwd.path)) { try outputGuard.check(tree.cwd) }
            for path in ["..", "../..", "/", tree.root.path] {
                let error = #expect(throws: OutputRefusal.self, "\(path)") { try outputGuard.check(path: path) }
                guard case .holdsWorkingDirectory(_, let cwd) = error else {
                    Issue.record("\(path): \(String(describing: error))")
                    continue
                }
                #expect(cwd == OutputGuard.resolved(tree.cwd.path))
            }
        }
        // A link to the working directory, and one to a folder holding it.
        let link = tree.root.appendingPathComponent("here")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tree.cwd)
        let up = tree.cwd.appendingPathComponent("up")
        try FileManager.default.createSymbolicLink(atPath: up.path, withDestinationPath: "..")
        let outputGuard = tree.outputGuard(overwrite: true)
        let error = #expect(throws: OutputRefusal.self) { try outputGuard.check(link) }
        #expect(error?.description == "\(link.path) (\(OutputGuard.resolved(tree.cwd.path))): is the working directory; an output there would replace it: give a new file or folder")
        #expect(throws: OutputRefusal.self) { try outputGuard.check(path: "up") }
        #expect(throws: OutputRefusal.self) { try outputGuard.check(path: "up/cwd/./") }
        try FileManager.default.removeItem(at: link)
        try FileManager.default.removeItem(at: up)
        #expect(try FileTreeSnapshot(tree.root) == before)
        // A new name inside the working directory is fine.
        try tree.outputGuard().check(path: "out.mp4")
        try tree.outputGuard().check(path: "new/frames")
    }

    @Test("an input, a folder holding one and a path inside an input folder are refused, whatever overwrite says")
    func inputs() throws {
        let tree = try Tree()
        for overwrite in [false, true] {
            let outputGuard = tree.outputGuard(overwrite: overwrite)
            #expect(throws: OutputRefusal.isProtected(path: tree.clip.path, role: "video")) { try outputGuard.check(tree.clip) }
            #expect(throws: OutputRefusal.isProtected(path: tree.frames.path, role: "frame folder")) {
                try outputGuard.check(tree.frames)
            }
            let holder = tree.frames.deletingLastPathComponent()
            #expect(throws: OutputRefusal.holdsProtected(path: holder.path, role: "frame folder", protected: tree.frames.path)) {
                try outputGuard.check(holder)
            }
            let inside = tree.frames.appendingPathComponent("dubbed")
            #expect(throws: OutputRefusal.insideProtected(path: inside.path, role: "frame folder", protected: tree.frames.path)) {
                try outputGuard.check(inside)
            }
            // Spelled with `..` or through a link, the same paths are caught.
            let roundabout = URL(fileURLWithPath: tree.frames.path + "/../frames/./")
            #expect(throws: OutputRefusal.self) { try outputGuard.check(roundabout) }
        }
        let link = tree.root.appendingPathComponent("clip-link.mp4")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tree.clip)
        let error = #expect(throws: OutputRefusal.self) { try tree.outputGuard(overwrite: true).check(link) }
        #expect(error?.description.hasPrefix("\(link.path) (") == true)
        #expect(error?.description.contains("is an input of this run (the video)") == true)
    }

    @Test("the job folder, anything inside it (plan/) and a folder holding it are refused")
    func jobFolder() throws {
        let tree = try Tree()
        let before = try FileTreeSnapshot(tree.job)
        let outputGuard = tree.outputGuard(overwrite: true)
        #expect(throws: OutputRefusal.isProtected(path: tree.job.path, role: "job folder")) { try outputGuard.check(tree.job) }
        for inside in ["plan", "frames", "manifest.json", "plan/.."] {
            let url = tree.job.appendingPathComponent(inside)
            let error = #expect(throws: OutputRefusal.self, "\(inside)") { try outputGuard.check(url) }
            #expect(error?.description.contains("job folder") == true)
        }
        #expect(throws: OutputRefusal.self) { try outputGuard.check(tree.root) }
        #expect(try FileTreeSnapshot(tree.job) == before)
    }

    @Test("a non-empty folder the tool did not write is refused; an empty one is accepted")
    func foreignFolders() throws {
        let tree = try Tree()
        for overwrite in [false, true] {
            let outputGuard = tree.outputGuard(overwrite: overwrite)
            #expect(throws: OutputRefusal.foreignFolder(path: tree.photos.path)) { try outputGuard.check(tree.photos) }
            // Hidden files count: the folder is not empty.
            let hidden = tree.root.appendingPathComponent("hidden")
            try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
            try Data().write(to: hidden.appendingPathComponent(".DS_Store"))
            #expect(throws: OutputRefusal.foreignFolder(path: hidden.path)) { try outputGuard.check(hidden) }
            let empty = tree.root.appendingPathComponent("empty-\(overwrite)")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            try outputGuard.check(empty)
            try outputGuard.check(tree.root.appendingPathComponent("new"))
        }
        // A marker that is a link (or a folder) does not make a folder the tool's.
        let fake = tree.root.appendingPathComponent("fake")
        try FileManager.default.createDirectory(at: fake, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: fake.appendingPathComponent(OutputGuard.markerName), withDestinationURL: tree.clip)
        #expect(!OutputGuard.isMarkedOutput(fake))
        #expect(throws: OutputRefusal.foreignFolder(path: fake.path)) { try tree.outputGuard(overwrite: true).check(fake) }
    }

    @Test("an existing file or a marked folder is replaced only with overwrite")
    func overwriting() throws {
        let tree = try Tree()
        let file = tree.cwd.appendingPathComponent("notes.txt")
        #expect(throws: OutputRefusal.existingFile(path: file.path)) { try tree.outputGuard().check(file) }
        #expect(
            OutputRefusal.existingFile(path: "x").description == "x: already exists; set overwrite to replace it")
        try tree.outputGuard(overwrite: true).check(file)

        let earlier = tree.root.appendingPathComponent("dubbed")
        try FileManager.default.createDirectory(at: earlier, withIntermediateDirectories: true)
        try Data("frame".utf8).write(to: earlier.appendingPathComponent("000000.png"))
        #expect(!OutputGuard.isMarkedOutput(earlier))
        try OutputGuard.markAsOutput(earlier)
        #expect(OutputGuard.isMarkedOutput(earlier))
        #expect(throws: OutputRefusal.existingOutput(path: earlier.path)) { try tree.outputGuard().check(earlier) }
        try tree.outputGuard(overwrite: true).check(earlier)

        // A dangling link is a file the user made.
        let dangling = tree.root.appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "nowhere")
        #expect(throws: OutputRefusal.existingFile(path: dangling.path)) { try tree.outputGuard().check(dangling) }
        try tree.outputGuard(overwrite: true).check(dangling)
    }

    @Test("a FIFO at the path is refused")
    func specialFiles() throws {
        let tree = try Tree()
        let fifo = tree.root.appendingPathComponent("pipe")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        #expect(throws: OutputRefusal.notFileOrFolder(path: fifo.path)) { try tree.outputGuard(overwrite: true).check(fifo) }
    }

    @Test("resolved paths: absolute, without . and .., links of the existing part followed")
    func resolution() throws {
        let tree = try Tree()
        let root = OutputGuard.resolved(tree.root.path)
        #expect(OutputGuard.resolved(tree.root.path + "/cwd/./x/../.") == root + "/cwd")
        #expect(OutputGuard.resolved(tree.root.path + "/missing/../cwd") == root + "/cwd")
        #expect(OutputGuard.resolved(tree.root.path + "/missing/a/./b") == root + "/missing/a/b")
        #expect(OutputGuard.resolved("/") == "/")
        #expect(OutputGuard.resolved("/..") == "/")
        let link = tree.root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tree.frames)
        #expect(OutputGuard.resolved(link.path + "/..") == root + "/inputs")
        #expect(OutputGuard.resolved(link.path + "/new") == root + "/inputs/frames/new")
    }
}
