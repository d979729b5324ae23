// swift-tools-version: 6.1
// A coverage-guided fuzz target (libFuzzer) for the reader, the checker, the validator, the
// writer and the event-line reader. Its own package so that the library's users never build it.
// Build and run through `make fuzz` (long) or `make test` (bounded); see Docs/reliability.md.
import Foundation
import PackageDescription

/// The library's package identity is the name of the folder it was cloned into.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "ClinicFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../")],
    targets: [
        .executableTarget(
            name: "ClinicFuzz",
            dependencies: [.product(name: "AppointmentModel", package: library)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
