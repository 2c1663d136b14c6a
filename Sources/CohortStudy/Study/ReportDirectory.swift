import CohortReport
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
/// Nothing the toolkit did not write is ever removed (issue 13). Each report lists its files in
/// ``manifestName``; DIR may be replaced only when every file in it is one the previous report
/// listed there or one this report writes (a report of an older version, without a manifest, is
/// recognised by the second rule alone). Any other file or empty folder in DIR (the user's notes, a
/// copy of the data) makes the run refuse, naming it, and DIR is left as it was.
public enum ReportDirectory {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write the report: \(reason)" }
    }

    /// The list of a report's files, one path a line, written last into every report.
    public static let manifestName = "manifest.txt"

    /// Writes `files` and their manifest as the folder `directory`, replacing any previous report
    /// there as one step; returns the number of files written (the manifest included).
    /// - Parameter pauseAfterFiles: a test hook (`COHORTKIT_TEST_PAUSE_AFTER_FILES`): after this many
    ///   files are staged, say so on standard error and sleep, so a test can kill the process mid-write.
    @discardableResult
    public static func write(_ files: [ReportFile], to directory: String, pauseAfterFiles: Int? = nil) throws(WriteError) -> Int {
        var target = directory
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        let slash = target.lastIndex(of: "/")
        let parent = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        guard !name.isEmpty, name != ".", name != ".." else { throw WriteError(path: directory, reason: "give a folder name, not '\(name)'") }
        let prefix = ".\(name).cohortkit-"
        try FileTree.makeFolders(parent)
        removeAbandoned(in: parent, prefix: prefix)
        let files = files.filter { $0.path != manifestName } + [manifest(of: files)]
        try checkReplaceable(target, writing: Set(files.map(\.path)))

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
                try AtomicFile.write(file.bytes, to: path)
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
        return files.count
    }

    private static func failure(_ target: String, _ staging: String) -> WriteError {
        let reason = String(cString: strerror(errno))
        FileTree.remove(staging)
        return WriteError(path: target, reason: reason)
    }

    static func manifest(of files: [ReportFile]) -> ReportFile {
        let paths = (files.map(\.path) + [manifestName]).sorted()
        return ReportFile(path: manifestName, contents: "# Files written by cohort report; the next run into this folder replaces exactly these.\n"
                          + paths.joined(separator: "\n") + "\n")
    }

    /// DIR may be replaced when it is absent, or when everything in it is the toolkit's own: listed
    /// by the previous report's manifest or written by this one.
    static func checkReplaceable(_ target: String, writing: Set<String>) throws(WriteError) {
        var status = stat()
        guard lstat(target, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw WriteError(path: target, reason: "it exists and is not a folder") }
        var own = writing
        if let listed = FileTree.contents("\(target)/\(manifestName)") {
            own.formUnion(String(decoding: listed, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        }
        let foreign = FileTree.files(target).filter { !own.contains($0) }
        guard foreign.isEmpty else {
            let named = foreign.prefix(5).joined(separator: ", ") + (foreign.count > 5 ? " and \(foreign.count - 5) more" : "")
            throw WriteError(path: target, reason: "the folder holds files that no report wrote (\(named)); replacing it would delete them, so move them or give another folder")
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

    /// Every file (anything but a folder) below `path`, and every empty folder, as paths relative to
    /// it, sorted. Symlinks are listed, not followed.
    static func files(_ path: String, prefix: String = "") -> [String] {
        var found: [String] = []
        for name in entries(path) {
            var status = stat()
            let full = "\(path)/\(name)", relative = prefix + name
            if lstat(full, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                let inside = files(full, prefix: relative + "/")
                found += inside.isEmpty ? [relative + "/"] : inside
            } else {
                found.append(relative)
            }
        }
        return found
    }

    /// A file's bytes, or nil when it cannot be read.
    static func contents(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
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
