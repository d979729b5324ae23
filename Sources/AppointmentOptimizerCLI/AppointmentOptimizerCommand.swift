import AppointmentOptimizer
import ArgumentParser
import Foundation

@main
struct AppointmentOptimizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment-optimizer",
        abstract: "Schedules clinic appointments and packs provider calendars.",
        subcommands: [Validate.self, Baseline.self, Replay.self, Optimize.self, Desk.self, ReportCommand.self, Bench.self]
    )
}

/// Exit codes shared by every subcommand: 0 valid, 1 invalid, 2 unreadable input.
enum Outcome {
    static let valid = ExitCode(0)
    static let invalid = ExitCode(1)
    static let unreadable = ExitCode(2)
}

/// Reads an instance for a subcommand: a read error goes to stderr and exits 2.
func loadInstance(_ path: String) throws -> Instance {
    do {
        return try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: path))
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw Outcome.unreadable
    }
}

/// Writes a solution for a subcommand: a write error goes to stderr and exits 2.
func writeSolution(_ solution: Solution, for instance: Instance, to path: String) throws {
    do {
        try Data(ExchangeFormat.write(solution, for: instance).utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        FileHandle.standardError.write(Data("error: cannot write \(path): \(error.localizedDescription)\n".utf8))
        throw Outcome.unreadable
    }
}
