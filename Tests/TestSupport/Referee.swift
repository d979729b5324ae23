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

    /// Judges `solution`; `online` judges an online replay (`--online`: new bookings decided at arrival).
    public static func judge(instance: URL, solution: URL, online: Bool = false) throws -> Verdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedFiles.referee.path, instance.path, solution.path, "--json"] + (online ? ["--online"] : [])
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

    /// Runs `referee.py INSTANCE --check-instance --json`: whether the instance (a desk's end state,
    /// say) is valid, and its errors.
    public static func checkInstance(_ instance: URL) throws -> (valid: Bool, errors: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedFiles.referee.path, instance.path, "--check-instance", "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RefereeError(message: "referee printed no JSON object (exit \(process.terminationStatus))")
        }
        return (object["valid"] as? Bool ?? false, object["errors"] as? [String] ?? [])
    }
}

/// Runs one of the test's Python checkers (`Tests/OutputChecks/NAME.py`) with real packages from
/// PyPI (`icalendar`, `fhir.resources`, installed by `make test`).
public enum PythonCheck {
    public static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedFiles.repositoryRoot.appendingPathComponent("Tests/OutputChecks/\(script).py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
