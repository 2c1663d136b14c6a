// swift-tools-version:6.0
// A stand-alone package, NOT a dependency of CohortKit: it only measures how fast two third-party Swift CSV
// packages parse a CSV file, so that Benchmarks/swift-csv-packages/run can print them beside pandas.
// Exact versions on purpose: the figures in Benchmarks/results/swift-csv-packages.md are for these.
import PackageDescription

let package = Package(
    name: "swift-csv-packages-bench",
    dependencies: [
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "swift-csv-packages-bench",
            dependencies: [
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
    ]
)
