import AppointmentModel
import Foundation
import Testing
import TestSupport

/// `appointment-optimizer validate`, end to end: exit codes 0 valid, 1 invalid, 2 unreadable.
@Suite struct ValidateCommandTests {
    private func temp(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func aValidInstanceExitsZero() throws {
        let out = try CommandRunner.run(["validate", SharedFiles.sample("riverside-clinic").path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("instance riverside-clinic: OK"))
    }

    @Test func aValidSolutionIsPricedAsJSON() throws {
        let instance = SharedFiles.instanceURL("small-01")
        let model = try ExchangeFormat.readInstance(contentsOf: instance)
        let solution = try temp(ExchangeFormat.write(Solution.baseline(of: model), for: model))
        let out = try CommandRunner.run(["validate", instance.path, solution.path, "--json"])
        #expect(out.status == 0)
        guard let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any] else {
            Issue.record("not JSON: \(out.stdout)"); return
        }
        #expect(object["valid"] as? Bool == true)
        #expect((object["violations"] as? [Any])?.isEmpty == true)
        let cost = (object["cost"] as? NSNumber)?.doubleValue ?? .nan
        let expected = ScheduleValidator(model).validate(.baseline(of: model)).cost.total
        #expect(abs(cost - expected) <= 1e-9 * expected)
        let breakdown = object["breakdown"] as? [String: Any] ?? [:]
        #expect(Set(breakdown.keys) == ["unscheduled", "idle", "lead", "preference", "moves"])
    }

    @Test func anInvalidSolutionExitsOneAndNamesTheRule() throws {
        let instance = SharedFiles.sample("riverside-clinic")
        let model = try ExchangeFormat.readInstance(contentsOf: instance)
        var broken = Solution.baseline(of: model)
        broken.assignments[1].start += 1
        let out = try CommandRunner.run(["validate", instance.path, try temp(ExchangeFormat.write(broken, for: model)).path])
        #expect(out.status == 1)
        #expect(out.stdout.contains("[off-grid] RQ-02"))
    }

    @Test func anInvalidInstanceExitsOneWithEveryProblem() throws {
        var model = try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
        model.requests[3].type = "x-ray"
        model.rooms[1].location = "MOON"
        let out = try CommandRunner.run(["validate", try temp(ExchangeFormat.write(model)).path])
        #expect(out.status == 1)
        #expect(out.stdout.contains("requests[3] (RQ-04).type: unknown appointment type \"x-ray\""))
        #expect(out.stdout.contains("rooms[1] (RIV-EX2).location: unknown location \"MOON\""))
    }

    /// With a solution, the instance is checked while the solution is validated; an instance
    /// error still wins: exit 2, the problem named, no verdict on the solution.
    @Test func aSolutionAgainstAnInvalidInstanceExitsTwo() throws {
        var model = try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
        let solution = try temp(ExchangeFormat.write(Solution.baseline(of: model), for: model))
        model.requests[3].type = "x-ray"
        let out = try CommandRunner.run(["validate", try temp(ExchangeFormat.write(model)).path, solution.path])
        #expect(out.status == 2)
        #expect(out.stderr.contains("requests[3] (RQ-04).type: unknown appointment type \"x-ray\""))
        #expect(out.stderr.contains("the instance is invalid"))
        #expect(!out.stdout.contains("VALID"))
    }

    @Test(arguments: ["{\"format\": ", "[]", "{\"format\": \"clinic-schedule/1\"}"])
    func unreadableInputExitsTwo(text: String) throws {
        let out = try CommandRunner.run(["validate", try temp(text).path, "--json"])
        #expect(out.status == 2)
        #expect(out.stdout.contains("\"valid\": false"))
        #expect(!out.stderr.isEmpty)
    }

    @Test func aMissingFileExitsTwo() throws {
        let out = try CommandRunner.run(["validate", "/nonexistent/clinic.json"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("cannot read"))
    }
}

/// Outputs are checked before the work and written atomically; huge weights still give JSON.
@Suite struct OutputSafetyTests {
    @Test func anOutputInAMissingFolderIsRefusedBeforeTheRun() throws {
        let run = try CommandRunner.run(["replay", SharedFiles.sample("riverside-clinic").path, "--out", "/no/such/folder/out.json"])
        #expect(run.status == 2 && run.stderr.contains("--out /no/such/folder/out.json") && run.stderr.contains("does not exist"), "\(run.stderr)")
    }

    @Test func anOutputThatIsTheInputIsRefusedAndTheInputKept() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("in-\(UUID().uuidString).json")
        try FileManager.default.copyItem(at: SharedFiles.sample("riverside-clinic"), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let before = try Data(contentsOf: copy)
        let run = try CommandRunner.run(["baseline", copy.path, "--out", copy.path])
        #expect(run.status == 2 && run.stderr.contains("is an input"), "\(run.stderr)")
        #expect(try Data(contentsOf: copy) == before)
    }

    @Test func aWrittenSolutionLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.json")
        try Data("old".utf8).write(to: out)
        let run = try CommandRunner.run(["baseline", SharedFiles.sample("riverside-clinic").path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) is [String: Any])
    }

    @Test func hugeWeightsStillPrintJSON() throws {
        let text = try String(contentsOf: SharedFiles.sample("riverside-clinic"), encoding: .utf8)
            .replacingOccurrences(of: "\"idleMinuteCost\": 1", with: "\"idleMinuteCost\": 1e308")
        #expect(text.contains("1e308"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let model = try ExchangeFormat.readInstance(contentsOf: url)
        let solution = FileManager.default.temporaryDirectory.appendingPathComponent("huge-sol-\(UUID().uuidString).json")
        var schedule = Solution.baseline(of: model)
        schedule.assignments = schedule.assignments.filter { a in model.requests.first { $0.id == a.request }?.current != nil }
        try Data(ExchangeFormat.write(schedule, for: model).utf8).write(to: solution)
        defer { try? FileManager.default.removeItem(at: solution) }
        let run = try CommandRunner.run(["validate", url.path, solution.path, "--json"])
        #expect((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) != nil, "\(run.stdout.prefix(400))")
    }

    @Test func anInstanceReadsFromStandardInput() throws {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["validate", "/dev/stdin"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(try Data(contentsOf: SharedFiles.sample("riverside-clinic")))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && text.contains("riverside-clinic: OK"), "\(text)")
    }
}
