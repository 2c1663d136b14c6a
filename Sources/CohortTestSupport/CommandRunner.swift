import Foundation

/// Runs the built `cohort` executable as a user would and captures what it printed.
public struct CommandResult {
    public let stdout: String
    public let stderr: String
    public let exitCode: Int32
}

public enum CohortCommand {
    /// The `cohort` binary next to the test bundle (SwiftPM puts products and the .xctest side by side).
    public static var executable: URL { executable(named: "cohort") }

    /// A product of this package built next to the test bundle (`cohort`, `cohort-datasets`).
    public static func executable(named name: String) -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: Fixtures.repositoryRoot + "/.build/debug/" + name)
    }

    /// Runs `program arguments...` (by default `cohort`) in `directory`, feeding `stdin` if given;
    /// `environment` adds to (or overrides) the test process's environment.
    public static func run(_ arguments: [String], stdin: String? = nil, in directory: String? = nil,
                           program: String = "cohort", environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable(named: program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Drain stderr on another thread while stdout is read here, so neither pipe can fill and block the child.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return CommandResult(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                             exitCode: process.terminationStatus)
    }
}

/// Written by one thread and read after `DispatchGroup.wait()`, which orders the two.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
