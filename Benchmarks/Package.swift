// swift-tools-version: 6.1
// Benchmarks live in their own package so that the library's dependencies stay clean.
// Run from this folder: `swift package benchmark` (see Docs/performance.md).
import Foundation
import PackageDescription

/// The library's package identity is the name of the folder it was cloned into.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "AppointmentOptimizerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: ["ParseCheckPrice", "Booking", "Batch", "Desk"].map { suite in
        .executableTarget(
            name: suite,
            dependencies: [
                .product(name: "AppointmentOptimizer", package: library),
                .product(name: "BatchOptimizer", package: library),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
)
