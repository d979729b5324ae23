// swift-tools-version: 6.1
// Benchmarks live in their own package so that the library's dependencies stay clean.
// Run from this folder: `swift package benchmark` (see Docs/performance.md).
import PackageDescription

let package = Package(
    name: "AppointmentOptimizerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ParseCheckPrice",
            dependencies: [
                .product(name: "AppointmentOptimizer", package: "main"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ParseCheckPrice",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RealTimeBooking",
            dependencies: [
                .product(name: "AppointmentOptimizer", package: "main"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RealTimeBooking",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
