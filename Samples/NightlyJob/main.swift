// The nightly re-optimisation job: read tonight's schedule, optimise it with a deadline, write
// the result and a summary of what moved and why.
//
//     swift run nightly-job CLINIC.json [START.json] --seconds 30 --out OPTIMIZED.json
import AppointmentOptimizer
import Foundation

/// Takes `--name VALUE` out of `arguments` and returns VALUE.
func option(_ name: String, from arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
var arguments = Array(CommandLine.arguments.dropFirst())
let seconds = Double(option("--seconds", from: &arguments) ?? "10") ?? 10
let out = option("--out", from: &arguments) ?? "optimized.json"
guard let clinicPath = arguments.first else {
    print("usage: nightly-job CLINIC.json [START.json] [--seconds S] [--out FILE]")
    exit(2)
}
do {
    let clinic = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: clinicPath))
    let start = try arguments.dropFirst().first.map { try ExchangeFormat.readSolution(contentsOf: URL(fileURLWithPath: $0), for: clinic) }
    let result = try BatchOptimizer().optimize(clinic, start: start,
                                               parameters: OptimizerParameters(timeLimit: .milliseconds(Int64(seconds * 1000))))
    try Data(ExchangeFormat.write(result.solution, for: clinic).utf8).write(to: URL(fileURLWithPath: out))

    // What changed against the existing bookings, and why it pays.
    let before = Dictionary(uniqueKeysWithValues: clinic.requests.compactMap { r in r.current.map { (r.id, $0) } })
    let after = Dictionary(uniqueKeysWithValues: result.solution.assignments.map { ($0.request, $0) })
    var moved: [String] = [], added: [String] = []
    for request in clinic.requests {
        guard let a = after[request.id] else { continue }
        if let b = before[request.id] {
            if b.start != a.start || Set(b.providers) != Set(a.providers) {
                moved.append("  \(request.id) (\(b.status.rawValue)): \(b.providers.joined(separator: "+")) at minute \(b.start)"
                             + " → \(a.providers.joined(separator: "+")) at minute \(a.start)")
            }
        } else {
            added.append("  \(request.id) (\(request.priority.rawValue)) → \(a.providers.joined(separator: "+")) at minute \(a.start)")
        }
    }
    let c0 = result.startCost, c1 = result.cost
    print("schedule \(clinic.name): cost \(String(format: "%.2f", c0.total)) → \(String(format: "%.2f", c1.total))"
          + " in \(result.neighbourhoods) neighbourhoods (\(result.improvements) improvements)")
    print(String(format: "  unscheduled %.0f → %.0f, idle %d → %d min, lead %.2f → %.2f, preference %.0f → %.0f, moves %.0f → %.0f",
                 c0.unscheduled, c1.unscheduled, c0.idleMinutes, c1.idleMinutes, c0.lead, c1.lead,
                 c0.preference, c1.preference, c0.moves, c1.moves))
    print("booked tonight (\(added.count)):")
    added.prefix(20).forEach { print($0) }
    print("moved existing bookings (\(moved.count)), each kept only because the whole schedule got cheaper:")
    moved.prefix(20).forEach { print($0) }
    print("left out (\(result.solution.unscheduled.count)):")
    result.solution.unscheduled.prefix(10).forEach { print("  \($0.request): \($0.reason)") }
    print("wrote \(out)")
} catch {
    print("error: \(error)")
    exit(1)
}
