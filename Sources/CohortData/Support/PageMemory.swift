#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw buffers for the reader's column and level storage, mapped straight from the kernel.
///
/// glibc's `malloc` raises its mmap threshold each time a large mapped block is freed, after which
/// blocks of that size come from the heap and are not returned on `free`; a reader that frees each
/// piece's buffers as it joins them would then hold freed memory until exit. Mapping these buffers
/// directly returns their pages the moment they are freed, so the peak is what is live.
///
/// A block starts with a 16-byte header holding its length; the caller sees the bytes after it.
/// Blocks under 256 KiB come from `malloc` (a mapping a block would cost a system call and a page
/// each); `malloc` never maps those, so they do not move its threshold.
enum PageMemory {
    private static let header = 16
    private static let mappedFrom = 256 << 10

    static func allocate<T>(_ count: Int, of type: T.Type = T.self) -> UnsafeMutablePointer<T> {
        let length = header + max(count, 1) * MemoryLayout<T>.stride
        let base: UnsafeMutableRawPointer
        if length < mappedFrom {
            guard let block = malloc(length) else { fatalError("out of memory: cannot allocate \(length) bytes") }
            base = block
        } else {
            guard let block = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), block != MAP_FAILED else {
                fatalError("out of memory: cannot map \(length) bytes")
            }
            base = block
        }
        base.storeBytes(of: length, as: Int.self)
        return (base + header).bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// A larger block holding the first `keep` elements of `pointer`, which is freed.
    static func reallocate<T>(_ pointer: UnsafeMutablePointer<T>, keeping keep: Int, to count: Int) -> UnsafeMutablePointer<T> {
        let grown: UnsafeMutablePointer<T> = allocate(count)
        grown.update(from: pointer, count: keep)
        release(pointer)
        return grown
    }

    static func release<T>(_ pointer: UnsafeMutablePointer<T>?) {
        guard let pointer else { return }
        let base = UnsafeMutableRawPointer(pointer) - header
        let length = base.load(as: Int.self)
        if length < mappedFrom { free(base) } else { munmap(base, length) }
    }
}
