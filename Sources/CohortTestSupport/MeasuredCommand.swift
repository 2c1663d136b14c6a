import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a measured command printed, how it ended, and what it cost.
public struct MeasuredResult {
    public let stdout: String
    public let stderr: String
    public let exitCode: Int32
    /// The peak resident memory of the process and of every descendant it waited for (a shell's
    /// pipeline), from `wait4`'s `ru_maxrss`: the kernel's own count, not a sample.
    public let peakResidentBytes: Int
    public let seconds: Double

    public var peakResidentMiB: Double { Double(peakResidentBytes) / Double(1 << 20) }
}

/// Runs a program and measures its peak memory, for the tests that bound what bad input may cost
/// (issue 12). `CohortCommand.run` uses `Process`, which does not report resource usage; this
/// spawns the child itself and collects it with `wait4`, so the figure is the child's alone and
/// not the maximum over every child the test process ever had (`getrusage(RUSAGE_CHILDREN)`).
public enum MeasuredCommand {
    /// Runs `cohort arguments...` with standard input from `stdinPath` (default `/dev/null`).
    public static func cohort(_ arguments: [String], stdinPath: String = "/dev/null", in directory: String? = nil) throws -> MeasuredResult {
        try run(CohortCommand.executable.path, arguments, stdinPath: stdinPath, in: directory)
    }

    /// Runs `/bin/sh -c script`; `$COHORT` in the script is the built `cohort`. For pipelines such
    /// as a writer that never ends feeding `cohort ... -`: the shell waits for every stage, and its
    /// `ru_maxrss` covers them all.
    public static func shell(_ script: String, in directory: String? = nil) throws -> MeasuredResult {
        try run("/bin/sh", ["-c", script], stdinPath: "/dev/null", in: directory,
                environment: ["COHORT=\(CohortCommand.executable.path)"])
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    static func run(_ program: String, _ arguments: [String], stdinPath: String, in directory: String?,
                    environment extra: [String] = []) throws -> MeasuredResult {
        let folder = NSTemporaryDirectory() + "cohortkit-measured-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Output to files, not pipes: a pipe nobody drains while the test waits would block the child.
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // In `directory` through a shell that changes to it and replaces itself with the program
        // (glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here).
        let command = directory.map { ["/bin/sh", "-c", #"cd "$1" && shift && exec "$@""#, "sh", $0, program] + arguments }
            ?? [program] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let env = (ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" } + extra).map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        let start = Date()
        var pid: pid_t = 0
        let status = posix_spawn(&pid, command[0], &actions, nil, argv, env)
        guard status == 0 else { throw SpawnError(description: "cannot run \(program): \(String(cString: strerror(status)))") }
        var waitStatus: Int32 = 0
        var usage = rusage()
        while wait4(pid, &waitStatus, 0, &usage) < 0 {
            guard errno == EINTR else { throw SpawnError(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let seconds = Date().timeIntervalSince(start)
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported): a signal is 128 + its number.
        let exitCode = waitStatus & 0x7F == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
        return MeasuredResult(
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self),
            exitCode: exitCode, peakResidentBytes: Int(usage.ru_maxrss) * 1024, seconds: seconds)
    }
}
