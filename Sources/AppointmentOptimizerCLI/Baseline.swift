import AppointmentOptimizer
import ArgumentParser
import Foundation

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the solution that keeps every existing booking and schedules nothing else."
    )

    @Argument(help: "The instance (clinic-schedule/1 JSON).") var instance: String
    @Option(name: .long, help: "Where to write the solution.") var out: String

    func run() throws {
        let model: Instance
        do {
            model = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: instance))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Outcome.unreadable
        }
        let solution = Solution.baseline(of: model)
        do {
            try Data(ExchangeFormat.write(solution, for: model).utf8).write(to: URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("error: cannot write \(out): \(error.localizedDescription)\n".utf8))
            throw Outcome.unreadable
        }
        print("wrote \(out): \(solution.assignments.count) existing bookings kept, \(solution.unscheduled.count) unscheduled")
    }
}
