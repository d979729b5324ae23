import AppointmentOptimizer
import ArgumentParser
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "What coordinators and their systems read: manifests, calendars, reports, metrics, outreach, FHIR.",
        discussion: """
        manifest   a provider's or room's day (--date; --provider or --room; --format json|csv|markdown|html)
        ics        an iCalendar feed of a provider or a room (--previous: the schedule subscribers saw)
        csv        a report: --kind schedule (of --date, or all), cancellations (against --previous), waiting
        metrics    fill rate, utilisation, idle, lead time, unscheduled, holds (JSON; --outcomes CSV; --date)
        timeline   a provider timeline of --date as SVG
        outreach   messages due in [--from, --to) (default: the horizon; --previous for moves and cancellations)
        fhir       Schedule, Slot and Appointment resources as a FHIR R4 Bundle
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case manifest, ics, csv, metrics, timeline, outreach, fhir
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv, markdown, html }
    enum CSVKind: String, ExpressibleByArgument, CaseIterable { case schedule, cancellations, waiting }

    @Argument(help: "manifest, ics, csv, metrics, timeline, outreach or fhir.") var kind: Kind
    @Argument(help: "The instance (clinic-schedule/1 or /2 JSON).") var instance: String
    @Argument(help: "The solution; absent: the instance's existing bookings.") var solution: String?
    @Option(help: "A local date, YYYY-MM-DD (default: the horizon's first).") var date: String?
    @Option(help: "Only this provider.") var provider: String?
    @Option(help: "Only this room.") var room: String?
    @Option(help: "Manifest format.") var format: Format = .json
    @Option(name: .customLong("kind"), help: "CSV report: schedule, cancellations or waiting.") var csvKind: CSVKind = .schedule
    @Option(help: "The schedule before (a solution of the same instance): for moves and cancellations.") var previous: String?
    @Option(help: "Outcomes of past visits (CSV: request,outcome with attended, no-show, late-cancel).") var outcomes: String?
    @Option(help: "Outreach window start (RFC 3339).") var from: String?
    @Option(help: "Outreach window end (RFC 3339).") var to: String?
    @Option(help: "Where to write (default: standard output).") var out: String?

    func run() throws {
        try checkOutput(out, inputs: [instance] + [solution, previous, outcomes].compactMap { $0 })
        let model = try loadInstance(instance)
        func readSolution(_ path: String) throws -> Solution {
            do { return try ExchangeFormat.readSolution(contentsOf: URL(fileURLWithPath: path), for: model) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw Outcome.unreadable
            }
        }
        let schedule = try solution.map(readSolution) ?? .baseline(of: model)
        let view = ScheduleView(model, schedule)
        let before = try previous.map { ScheduleView(model, try readSolution($0)) }
        let clock = view.clock
        var day = clock.local(model.horizon.start, at: model.locations.first?.id).date
        if let date {
            guard let d = LocalDate(date) else { throw ValidationError("--date \(date): expected YYYY-MM-DD") }
            day = d
        }
        func instant(_ text: String, _ option: String) throws -> Int {
            guard let unix = try? RFC3339.parseUnixSeconds(text), let m = model.timeline.minute(unixSeconds: unix) else {
                throw ValidationError("\(option) \(text): expected an RFC 3339 instant on a whole minute")
            }
            return m
        }
        let text: String
        switch kind {
        case .manifest:
            var manifests: [Manifest] = []
            if room == nil { manifests += Manifest.providers(view, date: day, only: provider) }
            if provider == nil { manifests += Manifest.rooms(view, date: day, only: room) }
            switch format {
            case .json: text = JSONWriter.write(.array(manifests.map(\.json)))
            case .csv: text = Manifest.csv(manifests)
            case .markdown: text = "# \(model.name) — \(day)\n\n" + manifests.map(\.markdown).joined(separator: "\n")
            case .html: text = Manifest.html(manifests, title: "\(model.name) — \(day)")
            }
        case .ics:
            let subject: ICalendar.Subject
            if let provider { subject = .provider(provider) } else if let room { subject = .room(room) } else {
                throw ValidationError("ics: name --provider or --room")
            }
            text = ICalendar.feed(subject, view: view, previous: before).text
        case .csv:
            switch csvKind {
            case .schedule: text = Reports.schedule(view, date: date == nil ? nil : day)
            case .cancellations:
                guard let before else { throw ValidationError("csv --kind cancellations: name the schedule before with --previous") }
                text = Reports.cancellations(view, previous: before)
            case .waiting: text = Reports.waitingList(view)
            }
        case .metrics:
            var known: [String: Metrics.Outcome] = [:]
            if let outcomes {
                do { known = try Metrics.outcomes(csv: try String(contentsOfFile: outcomes, encoding: .utf8)) } catch {
                    FileHandle.standardError.write(Data("error: \(outcomes): \(error)\n".utf8))
                    throw Outcome.unreadable
                }
            }
            text = JSONWriter.write(Metrics(view, date: date == nil ? nil : day).json(outcomes: known))
        case .timeline:
            text = TimelineSVG.day(view, date: day)
        case .outreach:
            let start = try from.map { try instant($0, "--from") } ?? model.horizon.start - 7 * 1440
            let end = try to.map { try instant($0, "--to") } ?? model.horizon.end
            text = JSONWriter.write(Outreach.json(Outreach.plan(view, previous: before, from: start, to: end), view: view))
        case .fhir:
            text = JSONWriter.write(FHIR.bundle(view))
        }
        if let out { try writeAtomically(text, to: out) } else { print(text, terminator: "") }
    }
}
