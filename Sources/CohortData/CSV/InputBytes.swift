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

    /// Reads `path` (`-` for standard input); `source` names it in messages. A stream (a pipe, a
    /// terminal, `/dev/zero`) is read while its records stay within `maxRecordBytes` and the whole
    /// within `maxStreamBytes`: a stream may never end, so it is the reading, not the parsing, that
    /// must stop.
    init(path: String, source: String, maxRecordBytes: Int = CSVOptions.defaultMaxRecordBytes,
         maxStreamBytes: Int = CSVOptions.defaultMaxStreamBytes) throws(DataError) {
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
        // Pipes, terminals, devices and empty files: read to the end into a growing heap buffer,
        // watching the length of the record being read.
        var capacity = max(size, 1 << 16), count = 0
        guard var storage = malloc(capacity) else { throw .fileUnreadable(source: source, reason: "out of memory") }
        var records = RecordWatch()
        while true {
            if count == capacity {
                capacity *= 2
                guard let grown = realloc(storage, capacity) else {
                    free(storage)
                    throw .fileUnreadable(source: source, reason: "out of memory after \(count) bytes")
                }
                storage = grown
            }
            // At most 1 MiB a read, so the record limit is checked before much more is touched
            // (a device such as /dev/zero fills whatever it is given).
            let got = read(descriptor, storage + count, min(capacity - count, 1 << 20))
            if got < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                free(storage)
                throw .fileUnreadable(source: source, reason: reason)
            }
            if got == 0 { break }
            records.scan(UnsafeBufferPointer(start: (storage + count).assumingMemoryBound(to: UInt8.self), count: got))
            count += got
            if records.currentLength > maxRecordBytes {
                free(storage)
                throw .recordTooLong(source: source, line: records.currentLine, limit: maxRecordBytes)
            }
            if count > maxStreamBytes {
                free(storage)
                throw .streamTooLarge(source: source, limit: maxStreamBytes)
            }
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

    /// Takes over `count` bytes at `storage`, a block from `malloc` (a conversion's CSV text, handed
    /// over without a copy); freed with this.
    init(adopting storage: UnsafeMutableRawPointer, count: Int) {
        buffer = UnsafeBufferPointer(start: storage.assumingMemoryBound(to: UInt8.self), count: count)
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

/// The length and first line of the record being read from a stream, followed byte by byte across
/// reads: quotes toggle (a doubled quote toggles twice), and a line break outside quotes ends a
/// record. The parser's rules, reduced to what a record's extent needs.
struct RecordWatch {
    private(set) var currentLength = 0
    /// The 1-based line the current record starts on.
    private(set) var currentLine = 1
    private var line = 1
    private var inQuotes = false
    private var afterCR = false

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes {
            currentLength += 1
            if b == 0x22 { inQuotes.toggle(); afterCR = false; continue }
            // CRLF is one line break; a lone CR is one too.
            let lineBreak = b == 0x0A ? !afterCR : b == 0x0D
            afterCR = b == 0x0D
            guard lineBreak else { continue }
            line += 1
            if !inQuotes {
                currentLength = 0
                currentLine = line
            }
        }
    }
}
