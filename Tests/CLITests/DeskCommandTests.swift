import AppointmentModel
import Foundation
import Testing
import TestSupport

/// `appointment-optimizer desk`, end to end, on a shared event stream.
@Suite struct DeskCommandTests {
    @Test func aDayRunsToAValidEndStateAndJournal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let end = dir.appendingPathComponent("end.json"), journal = dir.appendingPathComponent("journal.jsonl")
        let run = try CommandRunner.run(["desk", SharedFiles.instanceURL("v2-tiny-01").path, "--events", SharedFiles.eventsURL("v2-tiny-01").path,
                                         "--out", end.path, "--journal", journal.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["applied", "refused", "displaced", "repaired", "waiting", "cost"] { #expect(object[key] is NSNumber, "\(key)") }
        let lines = try String(contentsOf: SharedFiles.eventsURL("v2-tiny-01"), encoding: .utf8).split(separator: "\n").count
        let applied = try #require(object["applied"] as? NSNumber).intValue
        let refused = try #require(object["refused"] as? NSNumber).intValue
        #expect(applied + refused == lines)
        let refusals = try #require(object["refusals"] as? [[String: Any]])
        #expect(refusals.count == refused)
        #expect(refusals.allSatisfy { ($0["line"] as? NSNumber).map { $0.intValue >= 1 && $0.intValue <= lines } == true })
        let check = try Referee.checkInstance(end)
        #expect(check.valid, "\(check.errors.prefix(3))")
        // The end state, kept as it is, costs what the command said (the referee's baseline cost).
        let instance = try ExchangeFormat.readInstance(contentsOf: end)
        let baseline = dir.appendingPathComponent("baseline.json")
        try Data(ExchangeFormat.write(Solution.baseline(of: instance), for: instance).utf8).write(to: baseline)
        let referee = try Referee.judge(instance: end, solution: baseline)
        let cost = try #require(object["cost"] as? NSNumber).doubleValue
        #expect(abs(referee.cost - cost) <= 1e-6 * max(1, referee.cost))
        let waiting = try #require(object["waiting"] as? NSNumber).intValue
        #expect(waiting == instance.requests.filter { $0.current == nil }.count)
        // Every journal line reads back as an event.
        let text = try String(contentsOf: journal, encoding: .utf8)
        for line in text.split(separator: "\n") {
            _ = try ClinicEvent.read(line: Array(line.utf8), instance: try SharedFiles.instance("v2-tiny-01"))
        }
    }

    @Test func aBadLineIsReportedWithItsNumberAndTheRestStillApplies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("desk-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try String(contentsOf: SharedFiles.eventsURL("v2-tiny-01"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert("{\"at\": \"not a time\", \"op\": \"fill\"}", at: 2)
        lines.insert("{\"at\": \"2027-01-15T20:12:00-05:00\", \"op\": \"cancel\", \"request\": \"NO-SUCH\"}", at: 4)
        let events = dir.appendingPathComponent("events.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: events)
        let end = dir.appendingPathComponent("end.json")
        let run = try CommandRunner.run(["desk", SharedFiles.instanceURL("v2-tiny-01").path, "--events", events.path, "--out", end.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("line 3 (?) refused: cannot read the line"), "\(run.stdout)")
        #expect(run.stdout.contains("line 5 (cancel) refused: unknown request NO-SUCH"), "\(run.stdout)")
        #expect(try Referee.checkInstance(end).valid)
    }

    @Test func replayAcceptsFormatTwoAndIsValidOnline() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("replay-v2-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.run(["replay", SharedFiles.instanceURL("v2-small-01").path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let referee = try Referee.judge(instance: SharedFiles.instanceURL("v2-small-01"), solution: out, online: true)
        #expect(referee.valid, "\(referee.checks)")
    }
}

/// The clinic-day sample: a day at the desk, a night's plan, a morning that applies it.
@Suite struct ClinicDaySampleTests {
    @Test func theClinicDaySampleRuns() throws {
        let end = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-day-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: end) }
        let run = try CommandRunner.runSample("clinic-day", [SharedFiles.sample("riverside-clinic").path, "--seconds", "2", "--out", end.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("displaced RQ-02"))
        #expect(run.stdout.contains("was cancelled since the snapshot"))
        #expect(run.stdout.contains("schedule valid: true"))
        #expect(run.stdout.contains("restores the same state: true"))
        #expect(try Referee.checkInstance(end).valid)
    }
}

/// `appointment-optimizer report`, end to end on the sample clinic's existing bookings.
@Suite struct ReportCommandTests {
    @Test(arguments: ["manifest", "ics", "csv", "metrics", "timeline", "outreach", "fhir"])
    func eachReportIsWritten(kind: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(kind)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = ["report", kind, SharedFiles.sample("riverside-clinic").path, "--out", out.path]
        if kind == "ics" { arguments += ["--provider", "DR-ADAMS"] }
        if kind == "manifest" { arguments += ["--date", "2027-03-01"] }
        let run = try CommandRunner.run(arguments)
        #expect(run.status == 0, "\(kind): \(run.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        switch kind {
        case "manifest", "metrics", "outreach", "fhir":
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(kind) is JSON")
        case "ics": #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.contains("UID:RQ-01@"))
        case "csv": #expect(text.hasPrefix("date,start,end,"))
        default: #expect(text.contains("<svg"))
        }
    }

    @Test func aBadDateNamesTheOption() throws {
        let run = try CommandRunner.run(["report", "manifest", SharedFiles.sample("riverside-clinic").path, "--date", "2027-13-01"])
        #expect(run.status != 0 && run.stderr.contains("--date 2027-13-01"), "\(run.stderr)")
    }
}

/// The README's snippet is `Samples/Embedding/main.swift`, and it runs.
@Suite struct EmbeddingSampleTests {
    @Test func theReadmeSnippetIsTheSampleAndItRuns() throws {
        let readme = try String(contentsOf: SharedFiles.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Use it from Swift").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "```").first)
        let sample = try String(contentsOf: SharedFiles.repositoryRoot.appendingPathComponent("Samples/Embedding/main.swift"), encoding: .utf8)
        #expect(block == sample)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("embedding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: SharedFiles.sample("riverside-clinic"), to: dir.appendingPathComponent("clinic.json"))
        let process = Process()
        process.executableURL = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("embedding")
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.hasPrefix("true "), "\(text)")
        #expect(text.contains("DR-ADAMS is away (sick)"), "\(text)")
    }
}
