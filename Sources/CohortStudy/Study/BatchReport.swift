import CohortData
import CohortReport
import CohortStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of a report: its path inside the report folder and its bytes (UTF-8 text, or a Word
/// document's ZIP).
public struct ReportFile: Sendable, Equatable {
    public let path: String
    public let bytes: [UInt8]

    public init(path: String, contents: String) {
        self.path = path
        bytes = Array(contents.utf8)
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The file as text (a text file's contents).
    public var contents: String { String(decoding: bytes, as: UTF8.self) }
}

/// A failure that stops a report, naming the output it came from (nil: the study as a whole).
public struct BatchError: Error, CustomStringConvertible, Sendable {
    public let output: String?
    public let message: String
    /// The error as thrown by the library (for the caller's exit code), when there was one.
    public let underlying: (any Error & Sendable)?

    public init(output: String?, message: String, underlying: (any Error & Sendable)? = nil) {
        self.output = output
        self.message = message
        self.underlying = underlying
    }

    public var description: String { output.map { "output '\($0)': \(message)" } ?? message }
}

/// `cohort report`: every output of a study file computed in memory, then laid out as files
/// (tables in each format asked for, figures as SVG, `index.html`, `summary.md`, `provenance.json`).
/// Nothing here touches the disk except to read the inputs; ``ReportDirectory`` writes the result.
///
/// The same inputs give byte-identical files: outputs in file order, fixed number formatting
/// (``NumberStyle``), no clock (the date appears only when the caller passes one), and paths as
/// written in the study file.
public enum BatchReport {
    /// The table formats a report can write, by the names `--format-set` takes. `docx` is one
    /// file, ``wordName``, holding every table and figure, rather than a file a table.
    public static let formatNames: [(name: String, format: TableFormat, fileExtension: String)] = [
        ("md", .md, "md"), ("html", .html, "html"), ("csv", .csv, "csv"), ("json", .json, "json"), ("latex", .latex, "tex"),
        ("docx", .docx, "docx"),
    ]

    /// The formats written when none are named: every text format (a Word document only when asked,
    /// so reports made before issue 18 keep their files).
    public static let defaultFormats = formatNames.map(\.name).filter { $0 != "docx" }

    /// The Word document of a report with `docx` in its formats.
    public static let wordName = "report.docx"

    /// What to build: the study, the formats, and what the provenance records.
    public struct Request: Sendable {
        public var study: StudyFile
        /// Names from ``formatNames``, in the order given.
        public var formats: [String]
        public var toolkitVersion: String
        /// Shown in the provenance when given (`YYYY-MM-DD`); never read from the clock.
        public var date: String?

        public init(study: StudyFile, formats: [String] = BatchReport.defaultFormats, toolkitVersion: String, date: String? = nil) {
            self.study = study
            self.formats = formats
            self.toolkitVersion = toolkitVersion
            self.date = date
        }
    }

    /// Every file of the report, computed in memory, sorted by path.
    /// - Throws: ``BatchError`` naming the output whose analysis failed (or the input that cannot be read).
    public static func build(_ request: Request) throws(BatchError) -> [ReportFile] {
        let study = request.study
        let loaded = try load(study)
        let table = loaded.table
        // The linked tables (lab draws) are inputs as much as the data file: each is named as the
        // study reaches it (beside the codebook) and hashed.
        func folder(_ path: String) -> String { path.lastIndex(of: "/").map { String(path[...$0]) } ?? "" }
        var linked: [(path: String, sha256: String)] = []
        for linkedTable in loaded.tableFiles {
            // A study reads only inside its folder (and --allow-path): the codebook refuses `..`,
            // and this refuses a linked file that a symbolic link leads outside.
            if let problem = study.confinement.violation(linkedTable.source, home: FolderConfinement.folder(of: study.source)) {
                throw BatchError(output: nil, message: "\(study.codebookPath): table '\(linkedTable.name)': \(problem)",
                                 underlying: CodebookError(source: study.codebookPath, line: nil, message: problem))
            }
            // The loader put the table's file (as the codebook names it) after the codebook's folder.
            let file = String(linkedTable.source.dropFirst(folder(study.codebookPath).count))
            linked.append((folder(study.codebookFile) + file, try digest(linkedTable.source, what: "linked table '\(linkedTable.name)'")))
        }
        let hashes = Provenance.Hashes(study: try digest(study.source, what: "study file"), data: try digest(study.dataPath, what: "data file"),
                                       codebook: try digest(study.codebookPath, what: "codebook"), linked: linked)
        var computed: [ComputedOutput] = []
        for output in study.outputs {
            do {
                computed.append(try compute(output, study: study, table: table, done: computed))
            } catch let error as BatchError {
                throw error
            } catch {
                throw BatchError(output: output.name, message: FieldNames.written(String(describing: error), .studyFile), underlying: error)
            }
        }
        let formats = request.formats.compactMap { name in formatNames.first { $0.name == name } }
        var files: [ReportFile] = []
        var listed: [Provenance.OutputFiles] = []
        for output in computed {
            var paths: [String] = []
            for format in formats where format.format != .docx {
                // JSON: one file for the output, what `--format json` prints (the analysis's own
                // JSON, the same schema with and without suppression, or its one table's).
                if format.format == .json {
                    guard !output.tables.isEmpty else { continue }
                    let path = "tables/\(output.output.name).json"
                    files.append(ReportFile(path: path, contents: output.result.rendered(.json)))
                    paths.append(path)
                    continue
                }
                for (index, table) in output.tables.enumerated() {
                    let path = "tables/" + output.output.name + (output.tables.count > 1 ? "-\(index + 1)" : "") + ".\(format.fileExtension)"
                    files.append(ReportFile(path: path, contents: format.format.render(table)))
                    paths.append(path)
                }
            }
            for (index, figure) in output.result.figures.enumerated() {
                let path = "figures/" + output.output.name + (output.result.figures.count > 1 ? "-\(index + 1)" : "") + ".svg"
                files.append(ReportFile(path: path, contents: figure.svg))
                paths.append(path)
            }
            listed.append(.init(output: output.output, files: paths))
        }
        if formats.contains(where: { $0.format == .docx }) {
            files.append(try word(study: study, computed: computed))
        }
        let provenance = Provenance(study: study, hashes: hashes, rows: table.rowCount, filter: loaded.filter, scoreNotes: loaded.scoreNotes,
                                    toolkitVersion: request.toolkitVersion, date: request.date,
                                    formats: formats.map(\.name), outputs: listed)
        files.append(ReportFile(path: "provenance.json", contents: provenance.json()))
        files.append(ReportFile(path: "summary.md", contents: ReportPages.summary(study: study, computed: computed, provenance: provenance)))
        files.append(ReportFile(path: "index.html", contents: ReportPages.index(study: study, computed: computed, provenance: provenance)))
        return files.sorted { $0.path < $1.path }
    }

    /// ``wordName``: the study's title, then each output's tables and figures in file order (an
    /// output left out, as under suppression, has none).
    static func word(study: StudyFile, computed: [ComputedOutput]) throws(BatchError) -> ReportFile {
        var blocks: [DocxBlock] = [.heading(study.title)]
        for output in computed {
            blocks += output.tables.map(DocxBlock.table)
            blocks += output.result.figures.map { DocxBlock.figure(title: $0.title, svg: $0.svg) }
        }
        do throws(DocxPackage.PackageError) {
            return ReportFile(path: wordName, bytes: try DocxPackage.bytes(blocks))
        } catch {
            throw BatchError(output: nil, message: "\(wordName): \(error.description)")
        }
    }

    /// The dataset, checked against the codebook with the study's derived variables added, and
    /// filtered by the study's `where:`.
    static func load(_ study: StudyFile) throws(BatchError) -> LoadedData {
        do {
            var codebook = try CodebookFile.read(path: study.codebookPath)
            codebook.derived += study.derived
            return try CohortLoader.loadForAnalysis(path: study.dataPath, codebook: codebook, filter: study.rowFilter)
        } catch {
            throw BatchError(output: nil, message: String(describing: error), underlying: error)
        }
    }

    /// SHA-256 of a file's bytes, as `sha256sum` prints it.
    static func digest(_ path: String, what: String) throws(BatchError) -> String {
        guard let bytes = FileTree.contents(path) else {
            throw BatchError(output: nil, message: "\(path): cannot read the \(what): \(String(cString: strerror(errno)))",
                             underlying: CodebookError(source: path, line: nil, message: "cannot read the \(what)", isUnreadable: true))
        }
        return SHA256.hex(bytes)
    }
}
