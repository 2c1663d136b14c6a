// swift-tools-version:6.0
// CohortKit: retrospective clinical cohort analysis.
//
// Dependencies run one way: cohort (CLI) -> CohortStudy -> CohortReport -> CohortStats -> CohortData.
// CohortStudy is the analysis-request layer (issue 13): one request type per analysis, which the
// commands, study files and published-figure files all decode into.
// The libraries do no BLAS/LAPACK calls: every sum that reaches an output is ordered in CohortStats'
// own code, so results are the same bits on every CPU (issue 12). LAPACK stays as the tests'
// independent reference: `_CLAPACK` names its symbols and `CohortTestSupport/ReferenceLAPACK.swift`
// is the only Swift file that imports it.
import PackageDescription

let package = Package(
    name: "CohortKit",
    products: [
        .library(name: "CohortData", targets: ["CohortData"]),
        .library(name: "CohortStats", targets: ["CohortStats"]),
        .library(name: "CohortReport", targets: ["CohortReport"]),
        .library(name: "CohortStudy", targets: ["CohortStudy"]),
        .executable(name: "cohort", targets: ["cohort"]),
        .executable(name: "cohort-datasets", targets: ["cohort-datasets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Codebooks and study files are YAML.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // PostgreSQL as a data source and as an engine (issue 17): CohortDatabase only.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // Excel workbooks (.xlsx) are ZIP containers (issue 18); their XML is read with libxml2 (_CLibXML2).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Debian's liblapack-dev / libopenblas-dev: the `lapack` and `blas` names resolve through
        // update-alternatives, so OpenBLAS is picked up when it is installed. Tests only.
        .systemLibrary(
            name: "_CLAPACK",
            path: "Sources/_CLAPACK",
            providers: [.apt(["liblapack-dev", "libopenblas-dev"])]
        ),
        // Debian's libxml2-dev: the SAX2 push parser that reads a workbook's XML as it is
        // decompressed (issue 18). CohortData only; no stable API.
        .systemLibrary(
            name: "_CLibXML2",
            path: "Sources/_CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CohortData", dependencies: [
            "_CLibXML2", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "CohortStats", dependencies: ["CohortData"]),
        // ZIPFoundation also writes Word documents (.docx, issue 18), a ZIP container like .xlsx.
        .target(name: "CohortReport", dependencies: [
            "CohortStats", "CohortData", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "CohortStudy", dependencies: ["CohortReport", "CohortStats", "CohortData", .product(name: "Yams", package: "Yams")]),
        // PostgreSQL as source and engine (issue 17): reads a table into a CohortData table with the
        // codebook applied, and runs the logistic IRLS sums inside the database (one aggregate query
        // an iteration), pooled over sites. The only target that links SwiftNIO/PostgresNIO, so
        // CohortData and CohortStats stay free of it.
        .target(
            name: "CohortDatabase",
            dependencies: [
                "CohortReport", "CohortStats", "CohortData",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cohort",
            dependencies: [
                "CohortDatabase", "CohortStudy", "CohortReport", "CohortStats", "CohortData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "cohort-bench",
            dependencies: ["CohortStats", "CohortData", "CohortReport", "CohortStudy"],
            path: "Benchmarks/Sources/cohort-bench"
        ),
        // Writes the shipped synthetic datasets (Datasets/*/cohort.csv); deterministic and seeded.
        .executableTarget(name: "cohort-datasets", dependencies: ["CohortData", "CohortStats"], path: "Datasets/Generator"),
        .target(name: "CohortTestSupport", dependencies: ["CohortStats", "CohortData", "_CLAPACK"]),
        .testTarget(name: "CohortDataTests", dependencies: ["CohortData", "CohortTestSupport"]),
        .testTarget(name: "CohortStatsTests", dependencies: ["CohortStats", "CohortTestSupport"]),
        .testTarget(name: "CohortReportTests", dependencies: ["CohortReport", "CohortTestSupport"]),
        .testTarget(name: "CohortStudyTests", dependencies: ["CohortStudy", "CohortTestSupport"]),
        .testTarget(name: "CohortDatabaseTests", dependencies: ["CohortDatabase", "CohortTestSupport"]),
        .testTarget(
            name: "CohortCLIEndToEndTests",
            dependencies: ["CohortTestSupport", .target(name: "cohort"), .target(name: "cohort-datasets")]
        ),
    ]
)
