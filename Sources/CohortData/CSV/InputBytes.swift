#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one input, read-only: a private mapping of a regular file, or a heap copy of a pipe
/// or standard input (or of bytes handed in by a caller).
///
/// A mapped file's pages count towards the process's resident memory once touched. The parser
/// releases the pages behind it as it goes (``releasePages(_:)``), so that reading a file costs the
/// typed columns plus a window of the file rather than both in full. A released page is read again
/// from the file if it is touched again (a second pass), so release never changes the bytes seen.
final class InputBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    private let mappedLength: Int
    private let owned: UnsafeMutableRawPointer?

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Reads `path` (`-` for standard input); `source` names it in messages.
    init(path: String, source: String) throws(DataError) {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .fileUnreadable(source: source, reason: String(cString: strerror(errno))) }
        defer { if path != "-" { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fileUnreadable(source: source, reason: String(cString: strerror(errno))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw .fileUnreadable(source: source, reason: "it is a directory") }
        InputFiles.register(status)
        let size = Int(status.st_size)
        if (status.st_mode & S_IFMT) == S_IFREG, size > 0,
           let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED {
            _ = madvise(mapping, size, MADV_SEQUENTIAL)
            buffer = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: size)
            mappedLength = size
            owned = nil
            return
        }
        // Pipes, terminals and empty files: read to the end into a growing heap buffer.
        var capacity = max(size, 1 << 16), count = 0
        var storage = malloc(capacity)!
        while true {
            if count == capacity {
                capacity *= 2
                storage = realloc(storage, capacity)!
            }
            let got = read(descriptor, storage + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                free(storage)
                throw .fileUnreadable(source: source, reason: reason)
            }
            if got == 0 { break }
            count += got
        }
        buffer = UnsafeBufferPointer(start: storage.assumingMemoryBound(to: UInt8.self), count: count)
        mappedLength = 0
        owned = storage
    }

    /// A heap copy of `bytes`.
    init(copying bytes: [UInt8]) {
        let storage = malloc(max(bytes.count, 1))!
        bytes.withUnsafeBytes { if let base = $0.baseAddress { storage.copyMemory(from: base, byteCount: bytes.count) } }
        buffer = UnsafeBufferPointer(start: storage.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        mappedLength = 0
        owned = storage
    }

    deinit {
        if mappedLength > 0 { munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress!), mappedLength) }
        free(owned)
    }

    /// Drops the resident pages wholly inside `range` of a mapped file (no effect on heap copies).
    func releasePages(_ range: Range<Int>) {
        guard mappedLength > 0 else { return }
        let first = (range.lowerBound + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        let last = range.upperBound / Self.pageSize * Self.pageSize
        guard last > first else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: buffer.baseAddress! + first), last - first, MADV_DONTNEED)
    }
}
