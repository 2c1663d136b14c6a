import ArgumentParser
import CohortData
import CohortReport
import CohortStats

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

    /// Runs `body`; a known error is printed as `cohort <command>: <message>` and becomes its exit code.
    static func guarding(_ command: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DataError {
            if case .fileUnreadable = error { fail(command, error.description, noInput) }
            if case .codebook(let problem) = error, problem.isUnreadable { fail(command, error.description, noInput) }
            fail(command, error.description, dataError)
        } catch let error as ModelError {
            switch error {
            case .constantOutcome, .tooFewObservations, .emptyDesign, .dimensionMismatch, .singularInformation:
                fail(command, error.description, modelError)
            default:
                fail(command, error.description, dataError)
            }
        } catch let error as CodebookError {
            fail(command, error.description, error.isUnreadable ? noInput : dataError)
        } catch let error as TimeToEventError {
            fail(command, error.description, dataError)
        } catch let error as ComparisonError {
            fail(command, error.description, dataError)
        } catch let error as GroupTestError {
            fail(command, error.description, dataError)
        } catch let error as ContingencyError {
            fail(command, error.description, modelError)
        } catch let error as ProportionError {
            fail(command, error.description, modelError)
        } catch let error as BootstrapError {
            fail(command, error.description, modelError)
        } catch let error as AtomicFile.WriteError {
            fail(command, error.description, cannotCreate)
        }
    }

    static func fail(_ command: String, _ message: String, _ code: Int32) -> Never {
        printError("cohort \(command): \(message)")
        Cohort.exit(withError: ExitCode(code))
    }

    static func printError(_ message: String) {
        // Straight to descriptor 2: the C `stderr` global is not concurrency-safe in Swift 6.
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
