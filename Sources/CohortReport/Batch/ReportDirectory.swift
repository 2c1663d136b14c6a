#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report folder so that readers see the whole previous report or the whole new one,
/// never a mixture, and an interrupted run leaves the previous report as it was.
///
/// ```
/// 1. every file goes into a staging folder beside DIR: PARENT/.NAME.cohortkit-staging-PID
///    (each file via AtomicFile: temporary name, fsync, rename; then the folders are fsynced)
/// 2. DIR absent:  rename(staging, DIR)                          one atomic step
///    DIR present: renameat2(staging, DIR, RENAME_EXCHANGE)      one atomic step (Linux >= 3.15)
///                 then the old report, now at the staging name, is removed
/// 3. the parent folder is fsynced
/// ```
/// A kill before step 2 leaves DIR untouched and a hidden staging folder beside it; a kill after
/// it leaves the new DIR and the old report in the staging folder. Either leftover is removed by
/// the next run (its PID no longer runs). Where the file system cannot exchange (no
/// `renameat2`, EINVAL), the fallback is two renames (DIR to `.NAME.cohortkit-old-PID`, staging to
/// DIR): between them DIR is briefly absent, though never partial, and the old report survives
/// beside it until the next run.
///
/// DIR must be absent, empty, or a previous report (it holds `provenance.json`): the whole folder
/// is replaced, so a folder of other files is refused rather than swept away.
public enum ReportDirectory {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write the report: \(reason)" }
    }

    /// The marker of a previous report.
    public static let marker = "provenance.json"

    /// Writes `files` as the folder `directory`, replacing any previous report there as one step.
    /// - Parameter pauseAfterFiles: a test hook (`COHORTKIT_TEST_PAUSE_AFTER_FILES`): after this many
    ///   files are staged, say so on standard error and sleep, so a test can kill the process mid-write.
    public static func write(_ files: [ReportFile], to directory: String, pauseAfterFiles: Int? = nil) throws(WriteError) {
        var target = directory
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        let slash = target.lastIndex(of: "/")
        let parent = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        guard !name.isEmpty, name != ".", name != ".." else { throw WriteError(path: directory, reason: "give a folder name, not '\(name)'") }
        let prefix = ".\(name).cohortkit-"
        try FileTree.makeFolders(parent)
        removeAbandoned(in: parent, prefix: prefix)
        try checkReplaceable(target)

        let staging = "\(parent)/\(prefix)staging-\(getpid())"
        FileTree.remove(staging)
        guard mkdir(staging, 0o755) == 0 else { throw WriteError(path: staging, reason: String(cString: strerror(errno))) }
        var folders: Set<String> = [staging]
        for (count, file) in files.enumerated() {
            let path = "\(staging)/\(file.path)"
            var folder = path[..<(path.lastIndex(of: "/") ?? path.endIndex)]
            var created: [String] = []
            while !folders.contains(String(folder)) {
                created.append(String(folder))
                folder = folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)]
            }
            for made in created.reversed() {
                guard mkdir(made, 0o755) == 0 || errno == EEXIST else { throw WriteError(path: made, reason: String(cString: strerror(errno))) }
                folders.insert(made)
            }
            do {
                try AtomicFile.write(file.contents, to: path)
            } catch {
                FileTree.remove(staging)
                throw WriteError(path: error.path, reason: error.reason)
            }
            if let pauseAfterFiles, count + 1 == pauseAfterFiles { pause(after: count + 1) }
        }
        for folder in folders.sorted(by: >) { syncFolder(folder) }

        var status = stat()
        if stat(target, &status) != 0 {
            guard rename(staging, target) == 0 else { throw failure(target, staging) }
        } else if exchange(staging, target) {
            FileTree.remove(staging)
        } else {
            // No atomic exchange here: two renames, the old report kept aside until they are done.
            let old = "\(parent)/\(prefix)old-\(getpid())"
            FileTree.remove(old)
            guard rename(target, old) == 0 else { throw failure(target, staging) }
            guard rename(staging, target) == 0 else {
                let error = failure(target, staging)
                _ = rename(old, target)
                throw error
            }
            FileTree.remove(old)
        }
        syncFolder(parent)
    }

    private static func failure(_ target: String, _ staging: String) -> WriteError {
        let reason = String(cString: strerror(errno))
        FileTree.remove(staging)
        return WriteError(path: target, reason: reason)
    }

    /// DIR may be replaced when it is absent, an empty folder, or a previous report.
    static func checkReplaceable(_ target: String) throws(WriteError) {
        var status = stat()
        guard stat(target, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw WriteError(path: target, reason: "it exists and is not a folder") }
        let entries = FileTree.entries(target)
        guard entries.isEmpty || entries.contains(marker) else {
            throw WriteError(path: target, reason: "the folder exists and is not a previous report (no \(marker)); the whole folder is replaced, so give a new or empty folder")
        }
    }

    /// Staging and old folders left by runs that were killed (their process is gone).
    static func removeAbandoned(in parent: String, prefix: String) {
        for entry in FileTree.entries(parent) where entry.hasPrefix(prefix) {
            guard let dash = entry.lastIndex(of: "-"), let pid = Int32(entry[entry.index(after: dash)...]) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { FileTree.remove("\(parent)/\(entry)") }
        }
    }

    /// `renameat2(RENAME_EXCHANGE)`, looked up at run time: Swift's Glibc module does not declare
    /// it. False when the symbol or the file system's support is missing.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1  // <linux/fs.h> RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }

    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func pause(after count: Int) -> Never {
        var line = "cohort report: test hook: paused after \(count) files\n"
        line.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
        while true { sleep(60) }
    }
}

/// Listing and removing folders with the C library (no Foundation in the library targets).
enum FileTree {
    /// The names in a folder, without `.` and `..`, sorted; empty when it cannot be read.
    static func entries(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `mkdir -p`.
    static func makeFolders(_ path: String) throws(ReportDirectory.WriteError) {
        var status = stat()
        guard stat(path, &status) != 0 else { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try makeFolders(String(path[..<slash])) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw ReportDirectory.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes a file or a folder and everything in it; missing paths are fine.
    static func remove(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            for name in entries(path) { remove("\(path)/\(name)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
