// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "AppointmentOptimizer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AppointmentOptimizer", targets: ["AppointmentOptimizer"]),
        .library(name: "AppointmentModel", targets: ["AppointmentModel"]),
        .library(name: "MIPModel", targets: ["MIPModel"]),
        .library(name: "GLPKBackend", targets: ["GLPKBackend"]),
        .library(name: "RealTimeBooking", targets: ["RealTimeBooking"]),
        .library(name: "BatchOptimizer", targets: ["BatchOptimizer"]),
        .library(name: "LivingClinic", targets: ["LivingClinic"]),
        .library(name: "ClinicOutputs", targets: ["ClinicOutputs"]),
        .executable(name: "appointment-optimizer", targets: ["AppointmentOptimizerCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // `swift package generate-documentation` (make docs): a command plugin, nothing linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The C library GLPK, linked from the system (Debian: libglpk-dev, no pkg-config file).
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // The one C target that calls GLPK: guarded entry points that never abort the process.
        .target(name: "CGLPKShim", dependencies: ["CGLPK"], linkerSettings: [.linkedLibrary("glpk")]),
        // A solver-neutral mixed-integer programming model, parameters and results.
        .target(name: "MIPModel", swiftSettings: strict),
        // The GLPK backend of MIPModel: the only Swift code that reaches GLPK.
        .target(name: "GLPKBackend", dependencies: [
            "MIPModel", "CGLPKShim", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Real-time booking: the availability index, offers, atomic book/cancel/move, the replay.
        .target(name: "RealTimeBooking", dependencies: ["AppointmentModel"], swiftSettings: strict),
        // The nightly batch optimiser: neighbourhoods of the schedule as integer programs.
        .target(name: "BatchOptimizer", dependencies: ["AppointmentModel", "RealTimeBooking", "MIPModel", "GLPKBackend",
                                                     .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The living clinic: the desk as the clinic's state, live changes, repair, refill, the journal.
        .target(name: "LivingClinic", dependencies: ["AppointmentModel", "RealTimeBooking", "BatchOptimizer"],
                swiftSettings: strict),
        // What coordinators and their systems read: manifests, calendars, reports, metrics, outreach, FHIR.
        .target(name: "ClinicOutputs", dependencies: ["AppointmentModel"], swiftSettings: strict),
        // The model, the exchange format, instance checks, the validator and the cost.
        .target(name: "AppointmentModel", swiftSettings: strict),
        // Umbrella module: re-exports every public module of the library.
        .target(name: "AppointmentOptimizer", dependencies: ["AppointmentModel", "MIPModel", "GLPKBackend", "RealTimeBooking", "BatchOptimizer",
                                                           "LivingClinic", "ClinicOutputs"],
                swiftSettings: strict),
        .executableTarget(
            name: "AppointmentOptimizerCLI",
            dependencies: [
                "AppointmentOptimizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Samples, built and run by the tests.
        .executableTarget(name: "front-desk", dependencies: ["AppointmentOptimizer"], path: "Samples/FrontDesk",
                          swiftSettings: strict),
        .executableTarget(name: "nightly-job", dependencies: ["AppointmentOptimizer"], path: "Samples/NightlyJob",
                          swiftSettings: strict),
        .executableTarget(name: "embedding", dependencies: ["AppointmentOptimizer"], path: "Samples/Embedding",
                          swiftSettings: strict),
        .executableTarget(name: "clinic-day", dependencies: ["AppointmentOptimizer"], path: "Samples/ClinicDay",
                          swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["AppointmentModel"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "AppointmentModelTests", dependencies: ["AppointmentModel", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GLPKLinkTests", dependencies: ["CGLPK"], swiftSettings: strict),
        .testTarget(name: "BatchOptimizerTests", dependencies: ["BatchOptimizer", "AppointmentModel", "RealTimeBooking", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RealTimeBookingTests", dependencies: ["RealTimeBooking", "AppointmentModel", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LivingClinicTests", dependencies: ["LivingClinic", "AppointmentModel", "RealTimeBooking", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "ClinicOutputsTests", dependencies: ["ClinicOutputs", "AppointmentModel", "RealTimeBooking", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "GLPKBackendTests", dependencies: ["GLPKBackend", "MIPModel", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["AppointmentModel", "TestSupport", "AppointmentOptimizerCLI", "front-desk", "nightly-job",
                                                  "clinic-day", "embedding"],
                    swiftSettings: strict),
    ]
)
