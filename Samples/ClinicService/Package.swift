// swift-tools-version: 6.1
// A clinic scheduling service that embeds the library: a Hummingbird 2 HTTP API over one living
// desk per clinic, stored in SQLite through GRDB. Its own package, so that the library's users do
// not inherit its dependencies.
import Foundation
import PackageDescription

/// The library's package identity is the name of the folder it was cloned into.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ClinicService",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clinic-service", targets: ["clinic-service"]),
        .library(name: "ClinicServiceCore", targets: ["ClinicServiceCore"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        // The service: storage, the clinics, the routes, the nightly runs, the OpenAPI document.
        .target(name: "ClinicServiceCore", dependencies: [
            .product(name: "AppointmentOptimizer", package: library),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("openapi.json")], swiftSettings: strict),
        // The executable: configuration from flags and environment, lifecycle, metrics bootstrap.
        .executableTarget(name: "clinic-service", dependencies: [
            "ClinicServiceCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: strict),
        .testTarget(name: "ClinicServiceTests", dependencies: [
            "ClinicServiceCore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "AppointmentOptimizer", package: library),
            .product(name: "AppointmentModel", package: library),
        ], swiftSettings: strict),
    ]
)
