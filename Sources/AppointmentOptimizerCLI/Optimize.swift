import AppointmentOptimizer
import ArgumentParser
import Foundation
import Logging

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",  // named here: deriving it from the type costs runtime type lookups (Docs/performance.md)
        abstract: "Re-optimise the whole horizon with GLPK, neighbourhood by neighbourhood, under a time limit.",
        discussion: "Starts from --start, or from the cheapest of the existing bookings, the priority greedy and the best-fit replay; never returns a costlier schedule."
    )

    @Argument(help: "The instance (clinic-schedule/1 JSON).") var instance: String
    @Option(name: .customLong("time-limit"), help: "Seconds for the whole run.") var timeLimit: Double = 60
    @Option(help: "Where to write the solution.") var out: String
    @Option(help: "A solution to start from.") var start: String?
    @Option(help: "Seed of the neighbourhood order.") var seed: UInt64 = 1
    @Option(help: "Branch-and-bound nodes per neighbourhood (with --max-neighbourhoods: a reproducible run).")
    var nodeLimit: Int?
    @Option(help: "Neighbourhoods to solve, at most.") var maxNeighbourhoods: Int?
    @Option(help: "Neighbourhood models solved at once (default: one per core, at most 8).") var parallelSolves: Int?
    @Option(help: ArgumentHelp("Seconds one neighbourhood's solve may take; narrow ones (a window, a few providers) get half. Default 1.",
                               valueName: "seconds"))
    var neighbourhoodTimeLimit: Double?
    @Option(help: ArgumentHelp("Write the whole-instance model of a small instance here (free MPS), warm start excluded, to try another solver on it.",
                               valueName: "path.mps"))
    var exportModel: String?
    @Flag(help: "Print one JSON object instead of a report.") var json = false
    @Option(help: "Log the optimiser's steps to stderr from this level (debug: every neighbourhood solved).")
    var logLevel: Logger.Level?

    func validate() throws {
        if let neighbourhoodTimeLimit, !(neighbourhoodTimeLimit > 0) {
            throw ValidationError("--neighbourhood-time-limit must be a positive number of seconds, found \(neighbourhoodTimeLimit)")
        }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be a positive number of seconds, found \(timeLimit)") }
    }

    func run() throws {
        let commandStarted = ContinuousClock.now
        try checkOutput(out, inputs: [instance] + [start].compactMap { $0 })
        if let logLevel {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        let model: Instance
        let startSolution: Solution?
        do {
            model = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: instance))
            startSolution = try start.map { try ExchangeFormat.readSolution(contentsOf: URL(fileURLWithPath: $0), for: model) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Outcome.unreadable
        }
        // Reading counts against the limit, and writing the solution and pricing it for the report
        // take about twice as long again: the run gets what is left (at least a tenth of the limit).
        let reading = ContinuousClock.now - commandStarted
        let limit = Duration.milliseconds(Int64(max(timeLimit, 0.1) * 1000))
        var parameters = OptimizerParameters(timeLimit: max(limit - reading * 3, limit / 10), seed: seed)
        parameters.nodeLimit = nodeLimit
        parameters.maxNeighbourhoods = maxNeighbourhoods
        if let parallelSolves {
            guard parallelSolves > 0 else { throw ValidationError("--parallel-solves must be at least 1, found \(parallelSolves)") }
            parameters.parallelNeighbourhoods = parallelSolves
        }
        parameters.wholeModelExport = exportModel
        if let neighbourhoodTimeLimit {
            parameters.neighbourhoodTimeLimit = .milliseconds(Int64(neighbourhoodTimeLimit * 1000))
        }
        let result: OptimizationResult
        // Ctrl-C (SIGINT) or SIGTERM stops the search: the best schedule so far is written to --out.
        let cancellation = OptimizerCancellation()
        let stopSignals = StopSignals { cancellation.cancel() }
        defer { stopSignals.restore() }
        do {
            result = try BatchOptimizer().optimize(model, start: startSolution, parameters: parameters, cancellation: cancellation) { event in
                let bound = event.bound.map { String(format: "  bound %.2f", $0) } ?? ""
                let line = String(format: "\r%7.1f s  cost %.2f%@  (%d neighbourhoods, %d improvements)   ",
                                  Double(event.elapsed.components.seconds) + Double(event.elapsed.components.attoseconds) / 1e18,
                                  event.cost.total, bound, event.neighbourhoods, event.improvements)
                FileHandle.standardError.write(Data(line.utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Outcome.invalid
        }
        try writeSolution(result.solution, for: model, to: out)
        if result.stop == .cancelled {
            FileHandle.standardError.write(Data("interrupted: wrote the best schedule found so far to \(out)\n".utf8))
        }
        let report = ScheduleValidator(model).validate(result.solution)
        let seconds = Double(result.wallTime.components.seconds) + Double(result.wallTime.components.attoseconds) / 1e18
        if json {
            guard case .object(var object) = try JSONParser.parse(Array(Report.solutionJSON(model, report).utf8)) else { return }
            object.append("bound", result.bound.map(JSONValue.number) ?? .null)
            object.append("wallSeconds", .number(seconds))
            object.append("stop", .string(result.stop.rawValue))
            object.append("startCost", .number(result.startCost.total))
            object.append("neighbourhoods", .number(Double(result.neighbourhoods)))
            object.append("improvements", .number(Double(result.improvements)))
            emit(JSONWriter.write(.object(object)))
        } else {
            emit(String(format: "start cost %.4f → %.4f after %d neighbourhoods (%d improvements) in %.1f s\n",
                        result.startCost.total, result.cost.total, result.neighbourhoods, result.improvements, seconds))
            emit(Report.solutionText(model, report))
        }
        throw report.isValid ? Outcome.valid : Outcome.invalid
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// SIGINT and SIGTERM handled while a long run goes on: `action` runs once on the first of them,
/// instead of the process ending; `restore()` gives the signals back their default.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ action: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
