import AppointmentOptimizer
import ArgumentParser
import Foundation

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",  // named here: deriving it from the type costs runtime type lookups (Docs/performance.md)
        abstract: "Replay the requests in arrival order through the real-time booking engine.",
        discussion: """
        Starts from the existing bookings and answers each request (a group as one unit) with the
        best offer of the policy, never moving an earlier answer. Prints the cost, its parts and the
        decision latency.
        """
    )

    enum Policy: String, ExpressibleByArgument, CaseIterable {
        case bestFit = "best-fit"
        case earliest
    }

    @Argument(help: "The instance (clinic-schedule/1 JSON).") var instance: String
    @Option(help: "Where to write the solution.") var out: String
    @Option(help: "Ranking policy: best-fit (least marginal cost) or earliest.") var policy: Policy = .bestFit
    @Flag(help: "Print one JSON object instead of a report.") var json = false
    @Flag(help: "Hold capacity for urgent demand first (HoldPlanner, sized from the instance's demand mix).") var planHolds = false
    @Option(help: "With --plan-holds: minutes held per expected minute of urgent demand.") var holdShare: Double?
    @Option(help: "With --plan-holds: how much a soon request counts (0: urgent only).") var holdSoonWeight: Double?
    @Option(help: "With --plan-holds: the most of a provider-day held (0 to 1).") var holdMaxShare: Double?
    @Option(help: "With --plan-holds: minutes before a hold's start at which it is released.") var holdRelease: Int?

    func run() throws {
        try checkOutput(out, inputs: [instance])
        let model = try loadInstance(instance)
        let errors = InstanceChecker.errors(in: model)
        guard errors.isEmpty else {
            FileHandle.standardError.write(Data("error: \(FormatError(document: "instance", issues: errors))\n".utf8))
            throw Outcome.invalid
        }
        var rule = HoldPlanner.Rule.chosen
        if let holdShare { rule.share = holdShare }
        if let holdSoonWeight { rule.soonWeight = holdSoonWeight }
        if let holdMaxShare { rule.maximumShare = holdMaxShare }
        if let holdRelease { rule.releaseMinutesBefore = holdRelease }
        // The replay runs on the instance with the planned holds; its schedule is judged on the
        // instance as given (holds only take time away, so it stays valid there).
        let replayed = planHolds ? HoldPlanner.withPlannedHolds(model, rule: rule) : model
        let plannedHolds = replayed.holds.count - model.holds.count
        let report = switch policy {
        case .bestFit: OnlineReplay.run(replayed, policy: BestFit())
        case .earliest: OnlineReplay.run(replayed, policy: EarliestFirst())
        }
        try writeSolution(report.solution, for: model, to: out)
        let validation = ScheduleValidator(model).validate(report.solution, online: true)  // new bookings decided at arrival
        let micros = { (d: Duration) in Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }
        if json {
            guard case .object(var object) = try JSONParser.parse(Array(Report.solutionJSON(model, validation).utf8)) else { return }
            object.append("policy", .string(policy.rawValue))
            object.append("plannedHolds", .number(Double(plannedHolds)))
            object.append("decisions", .number(Double(report.latencies.count)))
            object.append("indexBytes", .number(Double(report.indexBytes)))
            object.append("latencyMicros", .object(JSONObject([
                "median": .number(micros(report.medianLatency)), "p99": .number(micros(report.p99Latency)),
                "max": .number(micros(report.maxLatency)),
            ])))
            emit(JSONWriter.write(.object(object)))
        } else {
            emit(Report.solutionText(model, validation))
            if planHolds { emit("planned holds: \(plannedHolds)\n") }
            emit(String(format: "decisions %d (booked %d, refused %d); latency median %.1f µs, p99 %.1f µs, max %.1f µs; index %.1f MB\n",
                        report.latencies.count, report.booked, report.refused,
                        micros(report.medianLatency), micros(report.p99Latency), micros(report.maxLatency),
                        Double(report.indexBytes) / 1e6))
        }
        throw validation.isValid ? Outcome.valid : Outcome.invalid
    }
}
