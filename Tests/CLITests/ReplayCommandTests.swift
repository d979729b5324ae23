import AppointmentModel
import Foundation
import Testing
import TestSupport

/// `appointment-optimizer replay` and the front-desk sample, end to end.
@Suite struct ReplayCommandTests {
    @Test(arguments: ["best-fit", "earliest"])
    func replayWritesAValidSolutionAndReportsLatency(policy: String) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.run(["replay", SharedFiles.instanceURL("small-01").path, "--out", out.path,
                                         "--policy", policy, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object["cost"] is NSNumber)
        #expect(Set((object["breakdown"] as? [String: Any] ?? [:]).keys) == ["unscheduled", "idle", "lead", "preference", "moves"])
        let latency = try #require(object["latencyMicros"] as? [String: NSNumber])
        #expect(Set(latency.keys) == ["median", "p99", "max"])
        let median = try #require(latency["median"]), p99 = try #require(latency["p99"])
        #expect(median.doubleValue <= p99.doubleValue)
        let referee = try Referee.judge(instance: SharedFiles.instanceURL("small-01"), solution: out)
        #expect(referee.valid)
        let cost = try #require(object["cost"] as? NSNumber).doubleValue
        #expect(abs(referee.cost - cost) <= 1e-6 * referee.cost)
    }

    @Test func theFrontDeskSampleRuns() throws {
        let run = try CommandRunner.runSample("front-desk", [SharedFiles.sample("riverside-clinic").path])
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("Stale offer refused: provider"))
        #expect(text.contains("is pinned"))
        #expect(text.contains("no offer because the series predecessor is not booked"))
        #expect(text.contains("Schedule valid: true"))
    }
}

/// `replay --plan-holds`: the holds are planned, the schedule is judged on the instance as given.
@Suite struct PlanHoldsCommandTests {
    @Test func replayWithPlannedHoldsIsValidAndSaysHowManyHolds() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("held-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.run(["replay", SharedFiles.instanceURL("small-03").path, "--out", out.path, "--json", "--plan-holds"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(try #require(object["plannedHolds"] as? NSNumber).intValue == 11)
        let referee = try Referee.judge(instance: SharedFiles.instanceURL("small-03"), solution: out)
        #expect(referee.valid)
        #expect(abs(referee.cost - 17_144.222222222223) < 1e-6, "\(referee.cost)")
    }
}
