import AppointmentOptimizer
import ArgumentParser
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an instance, or a solution against it and price it.",
        discussion: """
        Without SOLUTION, checks the instance and lists every problem with its path and id.
        With SOLUTION, checks every hard rule of the spec and prints the cost and its parts.
        Exit status: 0 valid, 1 invalid, 2 unreadable input.
        """
    )

    @Argument(help: "The instance (clinic-schedule/1 JSON).") var instance: String
    @Argument(help: "A solution (clinic-schedule-solution/1 JSON).") var solution: String?
    @Flag(help: "Print one JSON object instead of a report.") var json = false

    func run() throws {
        let model: Instance
        do {
            model = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: instance))
        } catch {
            throw fail(error)
        }
        let issues = InstanceChecker.check(model)
        let errors = issues.filter { $0.severity == .error }
        guard let solution else {
            emit(json ? Report.instanceJSON(model, issues) : Report.instanceText(model, issues))
            throw errors.isEmpty ? Outcome.valid : Outcome.invalid
        }
        guard errors.isEmpty else {
            throw fail(FormatError(document: "instance", issues: errors), note: "the instance is invalid; run `validate \(instance)` for details")
        }
        let parsed: Solution
        do {
            parsed = try ExchangeFormat.readSolution(contentsOf: URL(fileURLWithPath: solution), for: model)
        } catch {
            throw fail(error)
        }
        let report = ScheduleValidator(model).validate(parsed)
        emit(json ? Report.solutionJSON(model, report) : Report.solutionText(model, report))
        throw report.isValid ? Outcome.valid : Outcome.invalid
    }

    private func fail(_ error: FormatError, note: String? = nil) -> ExitCode {
        var text = "error: \(error)"
        if let note { text += "\n\(note)" }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        if json {
            let problems = JSONValue.array(error.issues.map { .string($0.description) })
            emit(JSONWriter.write(.object(JSONObject(["valid": .bool(false), "error": .string(error.description),
                                                      "problems": problems]))))
        }
        return Outcome.unreadable
    }
}

func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
