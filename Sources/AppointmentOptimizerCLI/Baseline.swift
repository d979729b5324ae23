import AppointmentOptimizer
import ArgumentParser
import Foundation

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",  // named here: deriving it from the type costs runtime type lookups (Docs/performance.md)
        abstract: "Write the solution that keeps every existing booking and schedules nothing else."
    )

    @Argument(help: "The instance (clinic-schedule/1 JSON).") var instance: String
    @Option(name: .long, help: "Where to write the solution.") var out: String

    func run() throws {
        try checkOutput(out, inputs: [instance])
        let model = try loadInstance(instance)
        let solution = Solution.baseline(of: model)
        try writeSolution(solution, for: model, to: out)
        print("wrote \(out): \(solution.assignments.count) existing bookings kept, \(solution.unscheduled.count) unscheduled")
    }
}
