import CohortData
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files a study file or a published-figure list may make the toolkit read: those inside the
/// file's own folder, and inside folders the user named on the command line (`--allow-path`).
///
/// A study file is often received from someone else; without this, `data: /home/me/other.csv` or
/// `codebook: ../../secret.yaml` would pull any readable file of the machine into a report, under
/// suppression too (issue 13). Paths are compared after `realpath(3)`, so `..`, absolute paths and
/// symlinks that lead outside are all caught. A path that does not exist is left to the reader,
/// which reports it as missing.
public struct FolderConfinement: Sendable, Equatable {
    /// Extra folders, as the user named them.
    public let allowed: [String]

    public init(allowing folders: [String] = []) { allowed = folders }

    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// `path` as a file in `source`'s folder names it: relative paths start at that folder,
    /// absolute ones stay as they are.
    public static func resolve(_ path: String, from source: String) -> String {
        if path.hasPrefix("/") { return path }
        // A file in the working directory names its neighbours as written (no `./`), so a table's
        // "data:" line reads the same as the command's run on the same file.
        let folder = folder(of: source)
        return folder == "." && !source.hasPrefix("./") ? path : folder + "/" + path
    }

    /// The folder a file is in (`.` for a bare name).
    public static func folder(of source: String) -> String {
        source.lastIndex(of: "/").map { String(source[..<$0]) } ?? "."
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// nil when `path` (as resolved from a file in `home`) may be read; otherwise why not.
    public func violation(_ path: String, home: String) -> String? {
        guard let target = Self.resolved(path) else { return nil }
        let folders = ([home] + allowed).compactMap(Self.resolved)
        guard !folders.contains(where: { Self.isInside(target, $0) }) else { return nil }
        let homeShown = Self.resolved(home) ?? home
        return "'\(path)' resolves to \(target), outside the folder of this file (\(homeShown))"
            + (allowed.isEmpty ? "" : " and the allowed folders (\(allowed.joined(separator: ", ")))")
            + "; move it there, or name its folder with --allow-path"
    }
}

extension YAMLFieldReader {
    /// The folder of ``source``: where relative paths in the file start.
    public var folder: String { FolderConfinement.folder(of: source) }

    /// The path under `key`, resolved from the file's folder, refused when it leads outside the
    /// folders `confinement` allows (an error naming the key's line).
    public func confinedPath(_ map: Node.Mapping, _ key: String, at parent: Node, _ confinement: FolderConfinement) throws(CodebookError) -> String {
        let written = try string(map, key, at: parent)
        if let problem = confinement.violation(FolderConfinement.resolve(written, from: source), home: folder) { throw error(map[key], "\(key): \(problem)") }
        return written
    }
}
