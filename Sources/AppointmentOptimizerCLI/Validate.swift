import AppointmentOptimizer
import ArgumentParser
import Foundation
import Synchronization

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",  // named here: deriving it from the type costs runtime type lookups (Docs/performance.md)
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
    @Flag(help: "Print how long reading, checking and validating took (stderr).") var timings = false

    func run() throws {
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ what: String) {
            guard timings else { return }
            let now = clock.now
            FileHandle.standardError.write(Data("\(what): \((now - mark).formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))\n".utf8))
            mark = now
        }
        let model: Instance
        do {
            model = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: instance))
        } catch {
            throw fail(error)
        }
        lap("read instance")
        let index = InstanceIndex(model)
        lap("index instance")
        guard let solution else {
            let issues = InstanceChecker.check(index, existingBookings: true)
            lap("check instance")
            emit(json ? Report.instanceJSON(model, issues) : Report.instanceText(model, issues))
            throw issues.contains { $0.severity == .error } ? Outcome.invalid : Outcome.valid
        }
        // The instance is checked on a second thread while the solution is read and validated;
        // the validation counts only when the check finds no error. (With a solution, the
        // solution's own validation replaces the existing-bookings check.)
        let checked = DispatchGroup()
        let issues = Mutex<[InstanceIssue]>([])
        DispatchQueue.global().async(group: checked) {
            let found = InstanceChecker.check(index, existingBookings: false)
            issues.withLock { $0 = found }
        }
        let validated: Result<ValidationReport, FormatError>
        do {
            let parsed = try ExchangeFormat.readSolution(contentsOf: URL(fileURLWithPath: solution), for: model)
            lap("read solution")
            validated = .success(ScheduleValidator(index).validate(parsed))
            lap("validate and price")
        } catch {
            validated = .failure(error)
        }
        checked.wait()
        lap("check instance (the rest of it)")
        let errors = issues.withLock { $0 }.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw fail(FormatError(document: "instance", issues: errors), note: "the instance is invalid; run `validate \(instance)` for details")
        }
        let report: ValidationReport
        switch validated {
        case .success(let r): report = r
        case .failure(let error): throw fail(error)
        }
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
