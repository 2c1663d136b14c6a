#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on standard error, for long computations; nil unless standard error is a
/// terminal, so redirected output, pipes and tests never see it.
enum ProgressBar {
    /// A progress callback drawing `label [#####.....] done/total`, erased when done reaches total.
    static func onTerminal(_ label: String) -> (@Sendable (Int, Int) -> Void)? {
        guard isatty(2) == 1 else { return nil }
        return { done, total in
            let width = 30
            let filled = total > 0 ? width * done / total : width
            var line = "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
            if done >= total { line = "\r\u{1B}[K" }  // finished: erase the bar
            line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        }
    }
}
