import AppointmentModel
import Foundation

/// Runs `shared/tools/referee.py` on an instance and a solution and decodes its JSON report.
public enum Referee {
    public struct Verdict: Sendable {
        public var valid: Bool
        public var cost: Double
        public var breakdown: [String: Double]
        /// (rule, check) pairs of the violations.
        public var checks: Set<String>
        public var exitCode: Int32
    }

    public static func judge(instance: URL, solution: URL) throws -> Verdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedFiles.referee.path, instance.path, solution.path, "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RefereeError(message: "referee printed no JSON object (exit \(process.terminationStatus))")
        }
        let violations = object["violations"] as? [[String: Any]] ?? []
        return Verdict(
            valid: object["valid"] as? Bool ?? false,
            cost: (object["cost"] as? NSNumber)?.doubleValue ?? .nan,
            breakdown: (object["breakdown"] as? [String: NSNumber] ?? [:]).mapValues(\.doubleValue),
            checks: Set(violations.map { "\(($0["rule"] as? NSNumber)?.intValue ?? 0):\($0["check"] as? String ?? "?")" }),
            exitCode: process.terminationStatus
        )
    }

    public struct RefereeError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
