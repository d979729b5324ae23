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

    /// The ten public instance names of format 1, smallest first.
    public static let version1Names = [
        "tiny-01", "tiny-02", "tiny-03", "small-01", "small-02", "small-03",
        "medium-01", "medium-02-dst", "large-01", "xl-01",
    ]

    /// The four public instances of format 2 (decision time, holds, authorizations), smallest first.
    public static let version2Names = ["v2-tiny-01", "v2-small-01", "v2-medium-01", "v2-large-01"]

    /// Every public instance: format 1, then format 2.
    public static let instanceNames = version1Names + version2Names

    /// The shared event streams (`shared/events/NAME.jsonl`, each for the instance of that name).
    public static let eventStreamNames = ["v2-tiny-01", "v2-small-01", "v2-medium-01"]

    public static func eventsURL(_ name: String) -> URL {
        shared.appendingPathComponent("events/\(name).jsonl")
    }

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

extension SharedFiles {
    /// `name` with its horizon stretched to the end of the year 9999 (valid for both checkers):
    /// the shifts stay where they were.
    public static func instanceToTheYear9999(_ name: String) throws -> Instance {
        var instance = try instance(name)
        let unix = try RFC3339.parseUnixSeconds("9999-12-30T00:00:00-05:00")
        guard let end = instance.timeline.minute(unixSeconds: unix) else { throw CocoaError(.coderInvalidValue) }
        instance.horizon.end = end
        return instance
    }
}
