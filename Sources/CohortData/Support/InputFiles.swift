#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The files this process has read as inputs (data, codebooks, study and figure files), by device
/// and inode, so that no output can replace one: `--out cohort.csv` on a command that read
/// `cohort.csv`, or a study whose output names its own data, is refused and the input stays intact.
///
/// Every input goes through ``InputBytes``, which registers it; the writers (`AtomicFile`, report
/// folders) ask ``contains(_:)`` before they rename anything into place. Identity is the file, not
/// its spelling: `./a.csv`, `a.csv` and a symlink to it are the same input.
public enum InputFiles {
    private struct Identity: Hashable { let device: UInt64; let inode: UInt64 }
    private static let registered = Mutex<Set<Identity>>([])

    static func register(_ status: stat) {
        guard (status.st_mode & S_IFMT) == S_IFREG else { return }
        let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        registered.withLock { _ = $0.insert(identity) }
    }

    /// True when `path` (symlinks followed) is a file this process read as an input.
    public static func contains(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        return registered.withLock { $0.contains(identity) }
    }
}
