import CohortData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old contents or the new, never a partial file:
/// the bytes go to a temporary file in the same directory, are flushed to disk, and the temporary
/// is renamed over the target (`rename(2)` is atomic within a file system).
///
/// What it never does (issue 13):
/// - replace an input of this process (``InputFiles``): the command is refused and the input stays;
/// - replace a symlink by a file: the link is followed and its target is replaced, the link kept;
/// - ignore the user's permissions: an existing file keeps its mode, a new one gets 0666 less the
///   umask, as `open(2)` would give it.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write: \(reason)" }
    }

    /// Writes `contents` to `path`, or to standard output when `path` is nil or `-`.
    public static func emit(_ contents: String, to path: String?) throws(WriteError) {
        if let path, path != "-" { try write(contents, to: path) } else { try StandardOutput.write(contents) }
    }

    /// What `produce` hands its writer, piece by piece, to `path` (atomically, as a whole text is
    /// written) or to standard output when `path` is nil or `-`: a large output is never held whole.
    public static func emit(to path: String?,
                            _ produce: (_ write: (UnsafeBufferPointer<UInt8>) throws(WriteError) -> Void) throws(WriteError) -> Void) throws(WriteError) {
        guard let path, path != "-" else {
            return try produce { bytes throws(WriteError) in
                if let failure = writeAll(bytes, to: 1) { throw WriteError(path: "standard output", reason: failure) }
            }
        }
        try replace(path) { descriptor throws(WriteError) in
            try produce { bytes throws(WriteError) in
                if let failure = writeAll(bytes, to: descriptor) { throw WriteError(path: path, reason: failure) }
            }
        }
    }

    public static func write(_ contents: String, to path: String) throws(WriteError) {
        try replace(path) { descriptor throws(WriteError) in try writeAll(contents, to: descriptor, path: path) }
    }

    /// Binary `bytes` (a Word document) to `path`, atomically as text is written.
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try replace(path) { descriptor throws(WriteError) in
            let failure = bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
            if let failure { throw WriteError(path: path, reason: failure) }
        }
    }

    /// Replaces `path` with what `fill` writes to a new temporary file beside it.
    static func replace(_ path: String, fill: (Int32) throws(WriteError) -> Void) throws(WriteError) {
        let target = try resolvingLinks(path)
        if InputFiles.contains(target) {
            throw WriteError(path: path, reason: "it is an input of this command; write the output to another file")
        }
        let directory = target.contains("/") ? String(target[..<target.lastIndex(of: "/")!]) : "."
        let name = target.split(separator: "/").last.map(String.init) ?? target
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            try fill(descriptor)
        } catch {
            close(descriptor); unlink(temporary)
            throw error
        }
        fchmod(descriptor, mode(replacing: target))
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Every byte of `contents` to an open descriptor, retrying short writes and EINTR.
    static func writeAll(_ contents: String, to descriptor: Int32, path: String) throws(WriteError) {
        var contents = contents
        let failure: String? = contents.withUTF8 { writeAll($0, to: descriptor) }
        if let failure { throw WriteError(path: path, reason: failure) }
    }

    /// Every byte of `bytes` to an open descriptor; the reason of a failure, nil when all were written.
    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> String? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += n
        }
        return nil
    }

    /// The path a write to `path` must replace: `path` itself, or the file a chain of symlinks ends
    /// at (which need not exist yet).
    static func resolvingLinks(_ path: String) throws(WriteError) -> String {
        var current = path
        for _ in 0..<40 {  // the kernel's own limit on links followed (ELOOP)
            var status = stat()
            guard lstat(current, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else {
                current = (current.lastIndex(of: "/").map { String(current[...$0]) } ?? "") + link
            }
        }
        throw WriteError(path: path, reason: "too many levels of symbolic links")
    }

    /// The existing file's permission bits, or 0666 less the process's umask for a new file.
    static func mode(replacing path: String) -> mode_t {
        var status = stat()
        if stat(path, &status) == 0 { return status.st_mode & 0o7777 }
        let mask = umask(0o022)
        umask(mask)
        return 0o666 & ~mask
    }
}

/// Standard output, written with `write(2)` so that a failure (a full disk, `/dev/full`, a reader
/// that closed the pipe) is an error the command reports and exits on, rather than lost in a
/// buffer as `print` would lose it. The process ignores SIGPIPE (see `Cohort.main()`), so a closed
/// pipe arrives here as EPIPE.
public enum StandardOutput {
    public static func write(_ text: String) throws(AtomicFile.WriteError) {
        try AtomicFile.writeAll(text, to: 1, path: "standard output")
    }
}
