import ArgumentParser
import CohortData
import CohortDatabase
import CohortReport
import CohortStats
import CohortStudy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps every failure the libraries report to one stderr line and a distinct exit code.
/// Codes follow sysexits(3) where one fits.
enum ExitStatus {
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let modelError: Int32 = 69
    /// A check that ran and found a difference (published figures not reproduced), as `diff` and
    /// `cmp` exit 1.
    static let checkFailed: Int32 = 1
    static let cannotCreate: Int32 = 73
    /// A site's disclosure rules refused the request (EX_NOPERM).
    static let disclosureRefused: Int32 = 77

    /// Runs `body`; a known error is printed as `cohort <command>: <message>` and becomes its exit code.
    static func guarding(_ command: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            guard let code = knownCode(for: error) else { throw error }
            // Library errors name options as request fields (`{event}`): written as flags here.
            fail(command, FieldNames.written(String(describing: error), .commandLine), code)
        }
    }

    /// The exit code of an error the libraries report (data error for one this does not know).
    static func code(for error: any Error) -> Int32 { knownCode(for: error) ?? dataError }

    private static func knownCode(for error: any Error) -> Int32? {
        switch error {
        case let error as DataError:
            if case .fileUnreadable = error { return noInput }
            if case .codebook(let problem) = error, problem.isUnreadable { return noInput }
            return dataError
        case let error as ModelError:
            switch error {
            case .constantOutcome, .tooFewObservations, .tooFewEvents, .emptyDesign, .dimensionMismatch, .singularInformation: return modelError
            default: return dataError
            }
        case let error as CodebookError: return error.isUnreadable ? noInput : dataError
        case is TimeToEventError, is ComparisonError, is GroupTestError: return dataError
        case is ContingencyError, is ProportionError, is BootstrapError: return modelError
        case let error as MetaAnalysisError:
            if case .invalid = error { return dataError }
            return modelError
        case is AtomicFile.WriteError: return cannotCreate
        case is SuppressionError: return dataError
        case let error as DatabaseError:
            switch error {
            case .unreachable, .authentication: return noInput
            case .disclosure: return disclosureRefused
            case .model: return modelError
            default: return dataError
            }
        default: return nil
        }
    }

    static func fail(_ command: String, _ message: String, _ code: Int32) -> Never {
        printError("cohort \(command): \(message)")
        Cohort.exit(withError: ExitCode(code))
    }

    /// Every failure message goes through here, whichever library built it: control characters a
    /// column name or level brought in are shown escaped (``TerminalText``), line breaks kept.
    static func printError(_ message: String) {
        // Straight to descriptor 2: the C `stderr` global is not concurrency-safe in Swift 6.
        var line = TerminalText.escaped(message, keepingLineBreaks: true) + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
