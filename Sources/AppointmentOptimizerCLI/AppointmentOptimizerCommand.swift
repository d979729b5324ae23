import ArgumentParser

@main
struct AppointmentOptimizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment-optimizer",
        abstract: "Schedules clinic appointments and packs provider calendars.",
        subcommands: [Validate.self, Baseline.self, Replay.self, Optimize.self]
    )
}

/// Exit codes shared by every subcommand: 0 valid, 1 invalid, 2 unreadable input.
enum Outcome {
    static let valid = ExitCode(0)
    static let invalid = ExitCode(1)
    static let unreadable = ExitCode(2)
}
