import AppointmentOptimizer
import ArgumentParser
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The benchmark harness: strategies side by side on the same instances, with a table and a chart.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",  // named here: deriving it from the type costs runtime type lookups (Docs/performance.md)
        abstract: "Run strategies side by side on every instance; write results.csv, results.md and chart.svg.",
        discussion: """
        Strategies: earliest (online replay, earliest-first), best-fit (online replay, best fit),
        batch (the batch optimiser from the existing bookings), best-fit+batch (best-fit replay,
        then the batch optimiser). Batch time limits by tier: tiny 30 s, small 60 s, medium 120 s,
        large 300 s, xl 600 s, times --time-limit-scale.
        """
    )

    @Option(help: "Folder of instances (default ../shared/instances when present, else Samples/clinics).")
    var instances: String?
    @Option(help: "Comma-separated strategies.") var strategies = "earliest,best-fit,batch,best-fit+batch"
    @Option(name: .customLong("time-limit-scale"), help: "Multiplier of the batch time limits.") var scale: Double = 1
    @Option(help: "Folder for the outputs.") var out = "bench-results"
    @Option(help: "Only instances whose name starts with one of these comma-separated prefixes.") var only: String?

    static let tierLimits: [(String, Double)] = [("tiny", 30), ("small", 60), ("medium", 120), ("large", 300), ("xl", 600)]

    /// An instance's name without a format prefix (`v2-medium-01` is a medium instance).
    static func withoutFormatPrefix(_ name: String) -> Substring {
        name.prefixMatch(of: /v[0-9]+-/).map { name[$0.range.upperBound...] } ?? Substring(name)
    }

    struct Row {
        var instance: String, tier: String, strategy: String
        var valid: Bool, refereeValid: Bool?
        var cost: CostBreakdown
        var unscheduled: Int
        var wallSeconds: Double, peakMB: Double
        var cpsat: Double?, best: Double?
        var curve: [(Double, Double)]
        /// The batch run's proven lower bound (nil for the replays).
        var bound: Double?
    }

    func run() throws {
        let fm = FileManager.default
        let folder = instances ?? (fm.fileExists(atPath: "../shared/instances") ? "../shared/instances" : "Samples/clinics")
        var files = (try? fm.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".json") }.sorted() ?? []
        if let only { files = files.filter { f in only.split(separator: ",").contains { f.hasPrefix($0) } } }
        let order = Self.tierLimits.map(\.0)
        func tierRank(_ file: String) -> Int { order.firstIndex { Self.withoutFormatPrefix(file).hasPrefix($0) } ?? order.count }
        files.sort { (tierRank($0), $0) < (tierRank($1), $1) }
        let chosen = strategies.split(separator: ",").map(String.init)
        let known = ["earliest", "best-fit", "batch", "best-fit+batch"]
        guard !files.isEmpty, chosen.allSatisfy(known.contains) else {
            FileHandle.standardError.write(Data("error: no instances in \(folder), or a strategy not in \(known)\n".utf8))
            throw Outcome.unreadable
        }
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let reference = Self.references(near: folder)
        let referee = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("tools/referee.py").path
        let useReferee = fm.fileExists(atPath: referee)
        var rows: [Row] = []
        let total = files.count * chosen.count
        for file in files {
            let model = try loadInstance("\(folder)/\(file)")
            let tier = Self.tierLimits.first { Self.withoutFormatPrefix(model.name).hasPrefix($0.0) }?.0 ?? "other"
            let limit = (Self.tierLimits.first { $0.0 == tier }?.1 ?? 60) * scale
            for strategy in chosen {
                Self.progress(rows.count, total, "\(model.name) \(strategy)")
                let clock = ContinuousClock()
                let start = clock.now
                var curve: [(Double, Double)] = []
                var bound: Double?
                let solution: Solution
                switch strategy {
                case "earliest": solution = OnlineReplay.run(model, policy: EarliestFirst()).solution
                case "best-fit": solution = OnlineReplay.run(model, policy: BestFit()).solution
                default:
                    let from: Solution = strategy == "batch" ? .baseline(of: model) : OnlineReplay.run(model).solution
                    let elapsed = clock.now - start
                    let recorder = CurveRecorder()
                    let result = try BatchOptimizer().optimize(
                        model, start: from, parameters: OptimizerParameters(timeLimit: .milliseconds(Int64(limit * 1000)))) { event in
                        recorder.add(Self.seconds(elapsed + event.elapsed), event.cost.total)
                    }
                    solution = result.solution
                    curve = recorder.points
                    bound = result.bound
                }
                let wall = Self.seconds(clock.now - start)
                // A replay decides each new booking at its request's arrival, and is judged so
                // (format 2: rule 13 against the arrival, not the instance's decision time).
                let online = strategy == "earliest" || strategy == "best-fit"
                let report = ScheduleValidator(model).validate(solution, online: online)
                let path = "\(out)/\(model.name)-\(strategy).json"
                try writeSolution(solution, for: model, to: path)
                let refereeValid = useReferee ? Self.refereeAccepts(referee, "\(folder)/\(file)", path, online: online) : nil
                curve.append((wall, report.cost.total))
                rows.append(Row(instance: model.name, tier: tier, strategy: strategy, valid: report.isValid, refereeValid: refereeValid,
                                cost: report.cost, unscheduled: report.unscheduled, wallSeconds: wall, peakMB: Self.peakMB(),
                                cpsat: reference[model.name]?.cpsat, best: reference[model.name]?.best, curve: curve, bound: bound))
            }
        }
        Self.progress(total, total, "done")
        FileHandle.standardError.write(Data("\n".utf8))
        try Self.csv(rows).write(toFile: "\(out)/results.csv", atomically: true, encoding: .utf8)
        try Self.markdown(rows).write(toFile: "\(out)/results.md", atomically: true, encoding: .utf8)
        try BenchChart.svg(rows).write(toFile: "\(out)/chart.svg", atomically: true, encoding: .utf8)
        emit(Self.markdown(rows))
        emit("wrote \(out)/results.csv, \(out)/results.md, \(out)/chart.svg\n")
        throw rows.allSatisfy { $0.valid && $0.refereeValid != false } ? Outcome.valid : Outcome.invalid
    }

    final class CurveRecorder: Sendable {
        private let list = Mutex<[(Double, Double)]>([])
        func add(_ t: Double, _ c: Double) { list.withLock { $0.append((t, c)) } }
        var points: [(Double, Double)] { list.withLock { $0 } }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func progress(_ done: Int, _ total: Int, _ what: String) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(what)".padding(toLength: 90, withPad: " ", startingAt: 0).utf8))
    }

    /// The process's peak resident memory so far, in MB.
    static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func refereeAccepts(_ referee: String, _ instance: String, _ solution: String, online: Bool) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", referee] + (online ? ["--online"] : []) + [instance, solution]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// CP-SAT's and the best reference objective per instance, from `../reference/reference.json`.
    static func references(near folder: String) -> [String: (cpsat: Double?, best: Double?)] {
        let url = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("reference/reference.json")
        guard let data = try? Data(contentsOf: url), case .object(let top)? = try? JSONParser.parse([UInt8](data)) else { return [:] }
        var out: [String: (Double?, Double?)] = [:]
        for (name, value) in zip(top.keys, top.values) {
            guard case .object(let entry) = value else { continue }
            func objective(_ key: String) -> Double? {
                if case .object(let o)? = entry[key], case .number(let v)? = o["objective"] { return v }
                return nil
            }
            out[name] = (objective("cpsat"), objective("best"))
        }
        return out
    }

    static func csv(_ rows: [Row]) -> String {
        var lines = ["instance,tier,strategy,valid,referee_valid,cost,unscheduled_cost,idle_cost,lead_cost,preference_cost,move_cost,unscheduled_requests,wall_seconds,peak_rss_mb,reference_cpsat,ratio_cpsat,reference_best,ratio_best,bound,gap"]
        for r in rows {
            func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "" }
            lines.append([r.instance, r.tier, r.strategy, String(r.valid), r.refereeValid.map(String.init) ?? "",
                          f(r.cost.total), f(r.cost.unscheduled), f(r.cost.idle), f(r.cost.lead), f(r.cost.preference), f(r.cost.moves),
                          String(r.unscheduled), f(r.wallSeconds), f(r.peakMB), f(r.cpsat), f(r.cpsat.map { r.cost.total / $0 }),
                          f(r.best), f(r.best.map { r.cost.total / $0 }), f(r.bound),
                          f(r.bound.map { r.cost.total > 0 ? (r.cost.total - $0) / r.cost.total : 0 })].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ rows: [Row]) -> String {
        var out = ""
        for tier in tierLimits.map(\.0) + ["other"] {
            let list = rows.filter { $0.tier == tier }
            guard !list.isEmpty else { continue }
            out += "\n### \(tier)\n\n| instance | strategy | valid | cost | unscheduled | idle | lead | pref. | moves | wall s | × CP-SAT | × best | bound | gap |\n"
            out += "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            for r in list {
                let valid = r.valid && r.refereeValid != false ? "yes" : "NO"
                out += String(format: "| %@ | %@ | %@ | %.1f | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f | %@ | %@ | %@ | %@ |\n",
                              r.instance, r.strategy, valid, r.cost.total, r.cost.unscheduled, r.cost.idle, r.cost.lead,
                              r.cost.preference, r.cost.moves, r.wallSeconds,
                              r.cpsat.map { String(format: "%.3f", r.cost.total / $0) } ?? "–",
                              r.best.map { String(format: "%.3f", r.cost.total / $0) } ?? "–",
                              r.bound.map { String(format: "%.1f", $0) } ?? "–",
                              r.bound.map { String(format: "%.1f %%", r.cost.total > 0 ? 100 * (r.cost.total - $0) / r.cost.total : 0) } ?? "–")
            }
        }
        return out
    }
}
