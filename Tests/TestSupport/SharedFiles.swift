import AppointmentModel
import Foundation

/// Where the shared benchmark instances and the referee live: `$CLINIC_SHARED`, else `../shared`
/// beside the repository's root.
public enum SharedFiles {
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var shared: URL {
        if let env = ProcessInfo.processInfo.environment["CLINIC_SHARED"] { return URL(fileURLWithPath: env) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static var referee: URL { shared.appendingPathComponent("tools/referee.py") }

    /// The ten public instance names, smallest first.
    public static let instanceNames = [
        "tiny-01", "tiny-02", "tiny-03", "small-01", "small-02", "small-03",
        "medium-01", "medium-02-dst", "large-01", "xl-01",
    ]

    public static func instanceURL(_ name: String) -> URL {
        shared.appendingPathComponent("instances/\(name).json")
    }

    public static func instance(_ name: String) throws -> Instance {
        try ExchangeFormat.readInstance(contentsOf: instanceURL(name))
    }

    public static func sample(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Samples/clinics/\(name).json")
    }
}
