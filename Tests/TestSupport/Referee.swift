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
        let (status, data) = try python([SharedFiles.referee.path, instance.path, solution.path, "--json"] + (online ? ["--online"] : []))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RefereeError(message: "referee printed no JSON object (exit \(status))")
        }
        let violations = object["violations"] as? [[String: Any]] ?? []
        return Verdict(
            valid: object["valid"] as? Bool ?? false,
            cost: (object["cost"] as? NSNumber)?.doubleValue ?? .nan,
            breakdown: (object["breakdown"] as? [String: NSNumber] ?? [:]).mapValues(\.doubleValue),
            checks: Set(violations.map { "\(($0["rule"] as? NSNumber)?.intValue ?? 0):\($0["check"] as? String ?? "?")" }),
            exitCode: status
        )
    }

    public struct RefereeError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Runs `referee.py INSTANCE --check-instance --json`: whether the instance (a desk's end state,
    /// say) is valid, and its errors.
    public static func checkInstance(_ instance: URL) throws -> (valid: Bool, errors: [String]) {
        let (status, data) = try python([SharedFiles.referee.path, instance.path, "--check-instance", "--json"])
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RefereeError(message: "referee printed no JSON object (exit \(status))")
        }
        return (object["valid"] as? Bool ?? false, object["errors"] as? [String] ?? [])
    }
}

/// Runs one of the test's Python checkers (`Tests/OutputChecks/NAME.py`) with real packages from
/// PyPI (`icalendar`, `fhir.resources`, installed by `make test`).
public enum PythonCheck {
    public static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, data) = try python([SharedFiles.repositoryRoot.appendingPathComponent("Tests/OutputChecks/\(script).py").path] + arguments,
                                        withErrors: true)
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// `python3 -c SCRIPT ARGS…`, standard error included in the output.
    public static func oneLiner(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, data) = try python(["-c", script] + arguments, withErrors: true)
        return (status, String(decoding: data, as: UTF8.self))
    }
}

/// Runs `python3 ARGS…` and returns its exit status and standard output (with standard error
/// when `withErrors`).
func python(_ arguments: [String], withErrors: Bool = false) throws -> (Int32, Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = withErrors ? pipe : FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}
