import AppointmentOptimizer
import Foundation
import Logging
import Metrics

/// A nightly optimisation of one clinic, run in the background: the batch optimiser on a
/// snapshot, then the plan applied to the desk as it is by then (``ClinicDesk/applyPlan(_:from:)``:
/// what changed at the desk since the snapshot is kept, and the plan's parts that no longer
/// fit are skipped with their reasons).
public struct OptimizationJob: Sendable {
    public enum Status: String, Sendable { case running, applied, failed, cancelled }

    public var id: Int
    public var status: Status = .running
    public var timeLimitSeconds: Double
    /// The journal sequence number of the snapshot optimised.
    public var snapshotSequence: Int
    public var startCost: Double?
    public var bestCost: Double?
    public var improvements = 0
    public var elapsedSeconds = 0.0
    public var moved = 0
    public var newlyBooked = 0
    public var skipped: [PlanOutcome.Skip] = []
    public var error: String?
    let cancellation: OptimizerCancellation

    func json(_ clinic: Clinic) -> JSONValue {
        var j = JSONObject()
        j.append("id", .number(Double(id)))
        j.append("status", .string(status.rawValue))
        j.append("timeLimitSeconds", .number(timeLimitSeconds))
        j.append("snapshotSequence", .number(Double(snapshotSequence)))
        j.append("startCost", startCost.map(JSONValue.number) ?? .null)
        j.append("bestCost", bestCost.map(JSONValue.number) ?? .null)
        j.append("improvements", .number(Double(improvements)))
        j.append("elapsedSeconds", .number(elapsedSeconds))
        j.append("moved", .number(Double(moved)))
        j.append("newlyBooked", .number(Double(newlyBooked)))
        j.append("skipped", .array(skipped.prefix(200).map { .object(JSONObject(["request": .string($0.request), "reason": .string($0.reason)])) }))
        if let error { j.append("error", .string(error)) }
        return .object(j)
    }
}

extension Clinic {
    /// Starts a nightly run unless one is running; returns it.
    /// - Throws: ``APIError`` 409 when one is running.
    func startOptimization(seconds: Double, logger: Logger) throws -> OptimizationJob {
        let (snapshot, sequence) = desk.snapshot()
        let job = try optimization.withLock { current -> OptimizationJob in
            if let current, current.status == .running {
                throw APIError(.conflict, "optimization-running", "optimisation \(current.id) of clinic \(id) is running; wait for it or cancel it",
                               field: "clinic", id: id)
            }
            let job = OptimizationJob(id: (current?.id ?? 0) + 1, timeLimitSeconds: seconds, snapshotSequence: sequence,
                                      cancellation: OptimizerCancellation())
            current = job
            return job
        }
        Counter(label: "clinic_optimizer_runs_total").increment()
        // GLPK blocks its thread for the whole run: a thread of its own, not the cooperative pool.
        let thread = Thread { [self] in self.runOptimization(job, snapshot: snapshot, logger: logger) }
        thread.start()
        return job
    }

    private func runOptimization(_ job: OptimizationJob, snapshot: Instance, logger: Logger) {
        let began = ContinuousClock.now
        @Sendable func update(_ change: (inout OptimizationJob) -> Void) {
            optimization.withLock { current in
                guard current?.id == job.id else { return }
                change(&current!)
                let elapsed = ContinuousClock.now - began
                current!.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
        }
        do {
            let parameters = OptimizerParameters(timeLimit: .milliseconds(Int64(job.timeLimitSeconds * 1000)))
            let result = try BatchOptimizer(logger: logger).optimize(snapshot, parameters: parameters, cancellation: job.cancellation) { event in
                update { $0.bestCost = event.cost.total; $0.improvements = event.improvements }
            }
            update { $0.startCost = result.startCost.total; $0.bestCost = result.cost.total; $0.improvements = result.improvements }
            let outcome = try applyPlan(result.solution, from: snapshot)
            update {
                $0.status = job.cancellation.isCancelled ? .cancelled : .applied
                $0.moved = outcome.applied.moved.count
                $0.newlyBooked = outcome.applied.newlyBooked.count
                $0.skipped = outcome.skipped
            }
            logger.info("optimisation applied", metadata: ["clinic": "\(id)", "moved": "\(outcome.applied.moved.count)",
                                                           "booked": "\(outcome.applied.newlyBooked.count)", "skipped": "\(outcome.skipped.count)"])
        } catch {
            update { $0.status = .failed; $0.error = "\(error)" }
            logger.error("optimisation failed", metadata: ["clinic": "\(id)", "error": "\(error)"])
        }
    }

    /// Asks the running optimisation to stop; it applies the best plan found so far.
    func cancelOptimization() -> OptimizationJob? {
        optimization.withLock { current in
            guard let job = current, job.status == .running else { return nil }
            job.cancellation.cancel()
            return job
        }
    }
}
