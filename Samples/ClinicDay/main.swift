// A clinic's day, its night and the next morning, on the living desk:
//
//     swift run clinic-day [CLINIC.json] [--seconds 5] [--journal DAY.jsonl] [--out END.json]
//
// The desk is the clinic's state. Requests arrive and are booked, a provider falls sick (the
// bookings it breaks are repaired), urgent time is held, a patient cancels and the freed time is
// proposed for filling. At night a snapshot goes to the batch optimiser; meanwhile the desk changes again; in
// the morning the plan comes back as a diff and is applied to whatever the desk became. Every
// change is journaled; the journal restores the same state.
import AppointmentOptimizer
import Foundation

func option(_ name: String, from arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
var arguments = Array(CommandLine.arguments.dropFirst())
let seconds = Double(option("--seconds", from: &arguments) ?? "5") ?? 5
let journalPath = option("--journal", from: &arguments)
let outPath = option("--out", from: &arguments)
let clinicPath = arguments.first ?? "Samples/clinics/riverside-clinic.json"

func minutes(_ m: Int, _ clinic: Instance) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(clinic.timeline.unixSeconds(minute: m)))
    let f = DateFormatter()
    f.dateFormat = "EEE HH:mm"
    f.timeZone = TimeZone(identifier: clinic.locations.first?.timeZone ?? "UTC")
    f.locale = Locale(identifier: "en_US_POSIX")
    return f.string(from: date)
}

func say(_ outcome: ChangeOutcome, _ what: String, _ clinic: Instance) {
    if let why = outcome.refusal { print("  \(what): refused: \(why)"); return }
    var parts: [String] = []
    for p in outcome.booked { parts.append("booked \(p.request) with \(p.providers.joined(separator: "+")) \(minutes(p.start, clinic))") }
    for d in outcome.displaced { parts.append("displaced \(d.request) (\(d.reason))") }
    for m in outcome.moved { parts.append("moved \(m.request) \(minutes(m.from.start, clinic)) → \(minutes(m.to.start, clinic))") }
    if !outcome.waiting.isEmpty { parts.append("waiting again: \(outcome.waiting.joined(separator: ", "))") }
    if !outcome.cancelled.isEmpty { parts.append("left the clinic: \(outcome.cancelled.joined(separator: ", "))") }
    print("  \(what): " + (parts.isEmpty ? "done" : parts.joined(separator: "; ")) + (outcome.journal.map { " [journal \($0.lowerBound)…\($0.upperBound)]" } ?? ""))
}

do {
    let clinic = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: clinicPath))
    let desk = try ClinicDesk(clinic)
    var clock = desk.state.now
    func at(_ step: Int) -> Int { clock += step; return clock }

    print("== the day at the desk (\(clinic.name))")
    let newcomer = Request(id: "WALK-IN-1", patient: "PT-9001", type: "follow-up", priority: .urgent,
                           earliest: clinic.horizon.start, latest: clinic.horizon.start + 1439, arrival: clock)
    say(desk.apply(ClinicEvent(at: at(5), .arrive(newcomer))), "an urgent request arrives", clinic)
    say(desk.apply(ClinicEvent(at: at(1), .book(request: "WALK-IN-1"))), "book it", clinic)
    say(desk.apply(ClinicEvent(at: at(3), .book(request: "RQ-07"))), "book RQ-07", clinic)
    say(desk.apply(ClinicEvent(at: at(2), .confirm(request: "RQ-07"))), "RQ-07 confirms", clinic)
    let sick = desk.booking(of: "RQ-02")!
    say(desk.apply(ClinicEvent(at: at(10), .block(provider: sick.providers[0], span: TimeSpan(start: sick.start - 30, end: sick.start + 60),
                                                   reason: "sick", repair: true))),
        "\(sick.providers[0]) calls in sick around RQ-02's visit", clinic)
    let held = Hold(id: "URGENT-AM", provider: "DR-BELL", span: TimeSpan(start: clinic.horizon.start + 1440 + 480, end: clinic.horizon.start + 1440 + 540),
                    priorities: [.urgent], releaseMinutesBefore: 720)
    say(desk.apply(ClinicEvent(at: at(4), .hold(held, repair: true))), "hold DR-BELL's next morning for urgent requests", clinic)
    say(desk.apply(ClinicEvent(at: at(6), .cancel(request: "RQ-03"))), "RQ-03's patient cancels", clinic)
    print("  fill would book now: \(desk.proposeFill().map(\.request).joined(separator: ", ")) (left for the night)")

    print("== the night: optimise a snapshot for \(seconds) s")
    let (snapshot, sequence) = desk.snapshot()
    let night = try BatchOptimizer().optimize(snapshot, parameters: OptimizerParameters(timeLimit: .milliseconds(Int64(seconds * 1000))))
    let plan = PlanDiff(plan: night.solution, from: snapshot)
    print(String(format: "  cost %.2f → %.2f; the plan moves %d and books %d (snapshot after journal line %d)",
                 night.startCost.total, night.cost.total, plan.moved.count, plan.newlyBooked.count, sequence))

    print("== meanwhile at the desk")
    let gone = plan.newlyBooked.last?.request ?? "RQ-14"
    say(desk.apply(ClinicEvent(at: at(30), .cancel(request: gone))), "\(gone)'s patient cancels", clinic)

    print("== the morning: apply the plan to the desk as it is now")
    let applied = desk.applyPlan(night.solution, from: snapshot)
    for m in applied.applied.moved {
        func show(_ p: Placement) -> String { "\(p.providers.joined(separator: "+")) \(minutes(p.start, clinic)) in \(p.room ?? "video")" }
        print("  moved \(m.request): \(show(m.from)) → \(show(m.to))")
    }
    for p in applied.applied.newlyBooked { print("  booked \(p.request): \(p.providers.joined(separator: "+")) \(minutes(p.start, clinic))") }
    for s in applied.skipped { print("  skipped \(s.request): \(s.reason)") }

    let state = desk.state
    let report = ScheduleValidator(state.instance).validate(state.solution())
    print(String(format: "== end of the run: %d requests, %d waiting, cost kept as it is %.2f, schedule valid: %@",
                 state.instance.requests.count, state.waitingList.count, report.cost.total, report.isValid ? "true" : "false"))
    let restored = try ClinicDesk(restoring: clinic, journal: desk.journal())
    print("journal of \(desk.journal().count) lines restores the same state: \(restored.state.instance == state.instance)")
    if let journalPath {
        try Data((desk.journal().map { $0.line(for: state.instance) }.joined(separator: "\n") + "\n").utf8)
            .write(to: URL(fileURLWithPath: journalPath))
        print("wrote \(journalPath)")
    }
    if let outPath {
        try Data(ExchangeFormat.write(state.snapshot()).utf8).write(to: URL(fileURLWithPath: outPath))
        print("wrote \(outPath)")
    }
    if !report.isValid { exit(1) }
} catch {
    print("error: \(error)")
    exit(1)
}
