import AppointmentModel
import ClinicOutputs
import Foundation
import RealTimeBooking
import Testing
import TestSupport

/// The outputs on real schedules, checked with real parsers: iCalendar (`icalendar`), FHIR
/// (`fhir.resources`), CSV (Python's `csv`), XML (the SVG), and the metrics recomputed by an
/// independent script.
@Suite struct OutputsTests {
    /// A temporary folder removed at the end of the test.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("outputs-\(UUID().uuidString)")
        init() { try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ name: String, _ text: String) throws -> String {
            let file = url.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            return file.path
        }
    }

    /// The online replay's schedule of a shared instance: booked visits and waiting requests.
    static func schedule(_ name: String) throws -> (Instance, Solution) {
        let instance = try SharedFiles.instance(name)
        return (instance, OnlineReplay.run(instance).solution)
    }

    @Test(arguments: ["medium-02-dst", "small-01", "v2-small-01"])
    func everyFeedParsesAndItsEventsAreTheVisits(name: String) throws {
        let (instance, solution) = try Self.schedule(name)
        let view = ScheduleView(instance, solution)
        let folder = Folder()
        let solutionPath = try folder.write("solution.json", ExchangeFormat.write(solution, for: instance))
        var checked = 0
        for p in instance.providers.prefix(6) where !view.visits(ofProvider: p.id).isEmpty {
            let feed = try folder.write("\(p.id).ics", ICalendar.feed(.provider(p.id), view: view).text)
            let run = try PythonCheck.run("check_ics", [feed, SharedFiles.instanceURL(name).path, solutionPath, "--provider", p.id])
            #expect(run.status == 0, "\(name) \(p.id): \(run.output)")
            checked += 1
        }
        if let room = instance.rooms.first(where: { !view.visits(inRoom: $0.id).isEmpty }) {
            let feed = try folder.write("\(room.id).ics", ICalendar.feed(.room(room.id), view: view).text)
            let run = try PythonCheck.run("check_ics", [feed, SharedFiles.instanceURL(name).path, solutionPath, "--room", room.id])
            #expect(run.status == 0, "\(name) \(room.id): \(run.output)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    /// medium-02-dst crosses the change to daylight time: the feed's VTIMEZONE lists it, and
    /// visits after it are written in the new offset (the parser checks the instants above).
    @Test func theTimeZoneOfAFeedAcrossDaylightSavingHasBothOffsets() throws {
        let (instance, solution) = try Self.schedule("medium-02-dst")
        let view = ScheduleView(instance, solution)
        let provider = try #require(instance.providers.first { !view.visits(ofProvider: $0.id).isEmpty })
        let text = ICalendar.feed(.provider(provider.id), view: view).text
        #expect(text.contains("TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"))
        #expect(text.contains("BEGIN:DAYLIGHT") && text.contains("BEGIN:STANDARD"))
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        // No patient data beyond the opaque id.
        let patients = Set(instance.requests.map(\.patient))
        for line in text.split(separator: "\r\n") where line.contains("PT-") {
            #expect(line.hasPrefix("SUMMARY:") && patients.contains { line.hasSuffix("patient \($0)") }, "\(line)")
        }
    }

    /// A visit that moves gets the next SEQUENCE; one that is gone is written CANCELLED.
    @Test func movedVisitsRaiseTheSequenceAndCancelledOnesStay() throws {
        let (instance, solution) = try Self.schedule("small-01")
        let view = ScheduleView(instance, solution)
        let provider = try #require(instance.providers.first { view.visits(ofProvider: $0.id).count >= 3 })
        let mine = view.visits(ofProvider: provider.id)
        var after = solution
        let gone = mine[0].request, moved = mine[1].request
        after.assignments.removeAll { $0.request == gone }
        after.unscheduled.append(Unscheduled(request: gone, reason: "cancelled"))
        let k = try #require(after.assignments.firstIndex { $0.request == moved })
        after.assignments[k].start += 5
        let (text, sequences) = ICalendar.feed(.provider(provider.id), view: ScheduleView(instance, after), previous: view,
                                               sequences: [moved: 2])
        #expect(sequences[moved] == 3 && sequences[gone] == 1)
        let events = text.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        let goneEvent = try #require(events.first { $0.contains("UID:\(gone)@") })
        #expect(goneEvent.contains("STATUS:CANCELLED") && goneEvent.contains("SEQUENCE:1"))
        let movedEvent = try #require(events.first { $0.contains("UID:\(moved)@") })
        #expect(movedEvent.contains("STATUS:CONFIRMED") && movedEvent.contains("SEQUENCE:3"))
        let folder = Folder()
        _ = try folder.write("f.ics", text)
    }

    @Test(arguments: ["v2-small-01", "medium-02-dst"])
    func theFHIRBundleValidates(name: String) throws {
        let (instance, solution) = try Self.schedule(name)
        let view = ScheduleView(instance, solution)
        let bundle = FHIR.bundle(view)
        let folder = Folder()
        let path = try folder.write("bundle.json", JSONWriter.write(bundle))
        let run = try PythonCheck.run("check_fhir", [path])
        #expect(run.status == 0, "\(name): \(run.output.prefix(2000))")
        let last = run.output.split(separator: "\n").last.map(String.init) ?? ""
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])["resources"] as? [String: Int]
        #expect(counts?["Appointment"] == instance.requests.count)
        #expect(counts?["Schedule"] == instance.providers.count)
        #expect((counts?["Slot"] ?? 0) >= solution.assignments.count)
        // The waiting requests come back from their proposed Appointments.
        let imported = try FHIR.proposedRequests(bundle, instance: instance)
        #expect(Set(imported.map(\.id)) == Set(solution.unscheduled.map(\.request)))
        for r in imported {
            let original = try #require(instance.requests.first { $0.id == r.id })
            #expect(r.patient == original.patient && r.type == original.type && r.priority == original.priority)
            #expect(r.earliest == original.earliest && r.latest == original.latest)
        }
    }

    @Test(arguments: ["small-01", "medium-02-dst"])
    func theMetricsAgreeWithAnIndependentRecomputation(name: String) throws {
        let (instance, solution) = try Self.schedule(name)
        let metrics = Metrics(ScheduleView(instance, solution)).json()
        let folder = Folder()
        let solutionPath = try folder.write("solution.json", ExchangeFormat.write(solution, for: instance))
        let metricsPath = try folder.write("metrics.json", JSONWriter.write(metrics))
        let run = try PythonCheck.run("check_metrics", [SharedFiles.instanceURL(name).path, solutionPath, metricsPath])
        #expect(run.status == 0, "\(name): \(run.output)")
    }

    @Test func outcomesGiveRatesPerTypeAndProvider() throws {
        let (instance, solution) = try Self.schedule("small-01")
        let view = ScheduleView(instance, solution)
        let visits = Array(view.visits.prefix(10))
        var csv = "request,outcome\n"
        for (k, v) in visits.enumerated() { csv += "\(v.request),\(k % 5 == 0 ? "no-show" : k % 5 == 1 ? "late-cancel" : "attended")\n" }
        let outcomes = try Metrics.outcomes(csv: csv)
        #expect(outcomes.count == 10)
        guard case .object(let top) = Metrics(view).json(outcomes: outcomes), case .object(let o)? = top["outcomes"],
              case .object(let byType)? = o["byType"] else { Issue.record("no outcomes"); return }
        var visitsCounted = 0.0, noShows = 0.0
        for value in byType.values {
            guard case .object(let t) = value, case .number(let n)? = t["visits"], case .number(let ns)? = t["noShows"] else { continue }
            visitsCounted += n
            noShows += ns
        }
        #expect(visitsCounted == 10 && noShows == 2)
        #expect(throws: Metrics.OutcomeError.self) { try Metrics.outcomes(csv: "request,outcome\nR1,maybe\n") }
    }

    @Test func reportsOpenWithAStandardCSVReaderAndTheSVGIsXML() throws {
        let (instance, solution) = try Self.schedule("v2-small-01")
        let view = ScheduleView(instance, solution)
        let day = view.clock.local(instance.horizon.start, at: nil).date
        let folder = Folder()
        let files = [
            ("schedule.csv", Reports.schedule(view), view.visits.count + 1),
            ("waiting.csv", Reports.waitingList(view), solution.unscheduled.count + 1),
            ("manifest.csv", Manifest.csv(Manifest.providers(view, date: day)), nil),
        ]
        for (name, text, rows) in files {
            let path = try folder.write(name, text)
            let script = "import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline=''))); print(len(rows)); assert all(len(r)==len(rows[0]) for r in rows)"
            let run = try PythonCheck.oneLiner(script, [path])
            #expect(run.status == 0, "\(name): \(run.output)")
            if let rows { #expect(Int(run.output.trimmingCharacters(in: .whitespacesAndNewlines)) == rows, "\(name)") }
        }
        let svg = try folder.write("day.svg", TimelineSVG.day(view, date: day))
        let run = try PythonCheck.oneLiner("import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(r.tag, len(r.findall('.//{http://www.w3.org/2000/svg}rect')))", [svg])
        #expect(run.status == 0 && run.output.contains("svg"), "\(run.output)")
    }

    @Test func manifestsShowEveryVisitOfTheDayWithLocalTimes() throws {
        let (instance, solution) = try Self.schedule("medium-02-dst")
        let view = ScheduleView(instance, solution)
        // The day after the change to daylight time: local times are read at -04:00.
        for date in view.clock.dates(in: instance.horizon, at: nil) {
            let manifests = Manifest.providers(view, date: date)
            let entries = manifests.flatMap { m in m.entries.map { (m.subject, $0) } }
            let day = view.clock.day(date, at: nil)
            let expected = view.visits.filter { day.contains(minute: $0.span.start) }.reduce(0) { $0 + $1.providers.count }
            #expect(entries.count == expected, "\(date)")
            for (_, e) in entries {
                #expect(view.clock.rfc3339(e.visit.span.start, at: e.visit.location).contains("T\(e.start.time):00"))
                #expect(e.visit.telehealth == (e.visit.room == nil))
            }
            for m in manifests {
                #expect(zip(m.entries, m.entries.dropFirst()).allSatisfy { $0.visit.span.start <= $1.visit.span.start })
                #expect(m.gaps.allSatisfy { $0.minutes > 0 })
            }
        }
    }

    @Test func theOutreachPlanHasRemindersConfirmationsAndNotices() throws {
        let (instance, solution) = try Self.schedule("v2-small-01")
        let view = ScheduleView(instance, solution)
        let plan = Outreach.plan(view, from: instance.horizon.start - 10 * 1440, to: instance.horizon.end)
        let newVisits = view.visits.filter { $0.status == nil }
        #expect(plan.filter { $0.template == "confirmation" }.count == newVisits.count)
        for m in plan where m.template.hasPrefix("reminder.") {
            let minutes = try #require(Int(m.template.dropFirst("reminder.".count)))
            #expect(m.due == m.visitStart - minutes)
        }
        #expect(plan.contains { $0.template.hasPrefix("reminder.") } && plan.contains { $0.template == "prep" })
        #expect(zip(plan, plan.dropFirst()).allSatisfy { $0.due <= $1.due })
        // Against an earlier schedule: a visit gone is a cancellation notice, a moved one a notice too.
        var before = solution
        let moved = try #require(newVisits.first).request
        let k = try #require(before.assignments.firstIndex { $0.request == moved })
        before.assignments[k].start -= 5
        let notices = Outreach.plan(view, previous: ScheduleView(instance, before), from: instance.decisionTime, to: instance.horizon.end)
        #expect(notices.contains { $0.request == moved && $0.template == "moved" })
    }
}
