import AppointmentOptimizer
import ArgumentParser
import Foundation

struct Desk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Run a clinic's day: apply an event stream to the living desk and write its end state.",
        discussion: """
        Starts from the instance's existing bookings and applies each line of EVENTS (JSON Lines,
        shared/spec/clinic-events.md) in order: requests arrive, are booked, placed, confirmed and
        cancelled; providers are blocked, rooms closed, holds added and released, authorizations
        set, freed time filled. Displaced bookings are repaired when they can be, and otherwise
        wait again. A line that cannot be read or applied is reported with its number and changes
        nothing. The end state is a clinic-schedule/2 instance whose booked requests carry
        `current` and whose asOf is the last line's `at`.
        """
    )

    @Argument(help: "The starting instance (clinic-schedule/1 or /2 JSON).") var instance: String
    @Option(help: "The event stream (JSON Lines).") var events: String
    @Option(help: "Where to write the end state (a clinic-schedule/2 instance).") var out: String
    @Option(help: "Where to write the journal: the outcomes as event lines with sequence numbers.") var journal: String?
    @Flag(help: "Print one JSON object instead of a report.") var json = false
    @Flag(help: "Print what each line did (displaced, repaired, waiting) as it is applied.") var verbose = false

    func run() throws {
        try checkOutput(out, inputs: [instance, events])
        try checkOutput(journal, option: "--journal", inputs: [instance, events, out])
        let start = try loadInstance(instance)
        let desk: ClinicDesk
        do { desk = try ClinicDesk(start) } catch {
            FileHandle.standardError.write(Data("error: the instance cannot start a desk: \(error)\n".utf8))
            throw Outcome.invalid
        }
        let text: String
        do { text = try String(contentsOfFile: events, encoding: .utf8) } catch {
            FileHandle.standardError.write(Data("error: cannot read the events \(events): \(error.localizedDescription)\n".utf8))
            throw Outcome.unreadable
        }
        var applied = 0, displaced = 0, repaired = 0, booked = 0, lastAt: Int?
        var refused: [(line: Int, op: String, reason: String)] = []
        let clock = ContinuousClock()
        let began = clock.now
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = k + 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let event: ClinicEvent
            do { event = try ClinicEvent.read(line: Array(line.utf8), instance: start) } catch {
                refused.append((number, "?", "cannot read the line: \(error)"))
                continue
            }
            lastAt = max(lastAt ?? event.at, event.at)
            let outcome = desk.apply(event)
            if let why = outcome.refusal {
                refused.append((number, event.change.op, why))
            } else {
                applied += 1
                displaced += outcome.displaced.count
                repaired += outcome.repaired.count
                booked += outcome.booked.count
            }
            if verbose {
                let what = outcome.refusal.map { "refused: \($0)" } ?? ([
                    outcome.booked.isEmpty ? nil : "booked \(outcome.booked.map(\.request).joined(separator: ","))",
                    outcome.displaced.isEmpty ? nil : "displaced " + outcome.displaced.map { "\($0.request) (\($0.reason))" }.joined(separator: ", "),
                    outcome.moved.isEmpty ? nil : "moved " + outcome.moved.map { "\($0.request) \($0.from.start)→\($0.to.start)" }.joined(separator: ", "),
                    outcome.waiting.isEmpty ? nil : "waiting " + outcome.waiting.joined(separator: ","),
                    outcome.cancelled.isEmpty ? nil : "cancelled " + outcome.cancelled.joined(separator: ","),
                ].compactMap { $0 }.joined(separator: "; "))
                print("line \(number) \(event.change.op): \(what.isEmpty ? "applied" : what)")
            }
        }
        let elapsed = clock.now - began
        if let lastAt { desk.advanceClock(to: lastAt) }
        let (end, _) = desk.snapshot()
        try writeAtomically(ExchangeFormat.write(end), to: out)
        if let journal {
            try writeAtomically(desk.journal().map { $0.line(for: end) }.joined(separator: "\n") + "\n", to: journal)
        }
        let report = ScheduleValidator(end).validate(.baseline(of: end))
        let waiting = end.requests.filter { $0.current == nil }.count
        if json {
            var o = JSONObject()
            o.append("instance", .string(end.name))
            o.append("applied", .number(Double(applied)))
            o.append("refused", .number(Double(refused.count)))
            o.append("refusals", .array(refused.map { r in
                .object(JSONObject(["line": .number(Double(r.line)), "op": .string(r.op), "reason": .string(r.reason)]))
            }))
            o.append("booked", .number(Double(booked)))
            o.append("displaced", .number(Double(displaced)))
            o.append("repaired", .number(Double(repaired)))
            o.append("requests", .number(Double(end.requests.count)))
            o.append("waiting", .number(Double(waiting)))
            o.append("valid", .bool(report.isValid))
            o.append("cost", .number(report.cost.total))
            o.append("breakdown", Report.breakdownJSON(report.cost))
            o.append("seconds", .number(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            print(JSONWriter.write(.object(o)), terminator: "")
        } else {
            for r in refused { print("line \(r.line) (\(r.op)) refused: \(r.reason)") }
            print("\(end.name): \(applied) changes applied, \(refused.count) refused; \(booked) booked, \(displaced) displaced, \(repaired) repaired")
            print("end state: \(end.requests.count) requests, \(waiting) waiting; cost kept as it is \(String(format: "%.4f", report.cost.total))"
                  + (report.isValid ? "" : " (INVALID: \(report.violations.prefix(3)))"))
        }
        if !report.isValid { throw Outcome.invalid }
    }
}
