import AppointmentModel
import Foundation
import Testing
import TestSupport

/// `appointment-optimizer optimize` and the nightly-job sample, end to end.
@Suite struct OptimizeCommandTests {
    @Test func optimizeWritesAValidSolutionWithItsFigures() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("optimize-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.run(["optimize", SharedFiles.instanceURL("tiny-02").path, "--time-limit", "3",
                                         "--out", out.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object.keys.contains("bound"))
        #expect(object["wallSeconds"] is NSNumber)
        #expect(["timeLimit", "provenOptimal", "localOptimum"].contains(object["stop"] as? String ?? "?"))
        let cost = try #require(object["cost"] as? NSNumber).doubleValue
        #expect(cost <= (object["startCost"] as? NSNumber)?.doubleValue ?? .infinity)
        #expect(run.stderr.contains("cost"), "a progress line on stderr")
        let referee = try Referee.judge(instance: SharedFiles.instanceURL("tiny-02"), solution: out)
        #expect(referee.valid)
        #expect(abs(referee.cost - cost) <= 1e-6 * max(1, cost))
    }

    /// SIGINT during a run stops it: the best schedule so far is written, valid, and the command
    /// says so.
    @Test func anInterruptedRunWritesTheBestScheduleSoFar() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("interrupted-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["optimize", SharedFiles.instanceURL("medium-01").path, "--time-limit", "120", "--out", out.path, "--json"]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        process.interrupt()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(errors)")
        #expect(errors.contains("interrupted: wrote the best schedule found so far"))
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(object["stop"] as? String == "cancelled")
        #expect(try Referee.judge(instance: SharedFiles.instanceURL("medium-01"), solution: out).valid)
    }

    /// `--export-model` writes the whole model of a small instance for another solver, and the
    /// run goes on to a valid schedule.
    @Test func theNeighbourhoodTimeLimitIsAnOptionAndMustBePositive() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ntl-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let refused = try CommandRunner.run(["optimize", SharedFiles.instanceURL("tiny-01").path, "--time-limit", "2",
                                             "--out", out.path, "--neighbourhood-time-limit", "0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--neighbourhood-time-limit must be a positive number"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let run = try CommandRunner.run(["optimize", SharedFiles.instanceURL("medium-01").path, "--time-limit", "4",
                                         "--out", out.path, "--neighbourhood-time-limit", "0.2", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Referee.judge(instance: SharedFiles.instanceURL("medium-01"), solution: out).valid)
    }

    @Test func theWholeModelCanBeExported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("solution.json"), model = dir.appendingPathComponent("whole.mps")
        let run = try CommandRunner.run(["optimize", SharedFiles.instanceURL("tiny-03").path, "--time-limit", "5",
                                         "--out", out.path, "--export-model", model.path])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: model, encoding: .utf8)
        #expect(text.contains("ROWS") && text.contains("COLUMNS") && text.contains("BOUNDS"))
        #expect(try Referee.judge(instance: SharedFiles.instanceURL("tiny-03"), solution: out).valid)
    }

    @Test func theNightlyJobSampleRuns() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.runSample("nightly-job", [SharedFiles.instanceURL("tiny-01").path, "--seconds", "3", "--out", out.path])
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("schedule tiny-01: cost"))
        #expect(text.contains("wrote"))
        let instance = try SharedFiles.instance("tiny-01")
        let solution = try ExchangeFormat.readSolution(contentsOf: out, for: instance)
        #expect(ScheduleValidator(instance).validate(solution).isValid)
    }
}

/// `--parallel-solves` chooses how many neighbourhood models are solved at once; zero is refused.
@Suite struct ParallelSolvesOptionTests {
    @Test func parallelSolvesMustBePositive() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("par-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let refused = try CommandRunner.run(["optimize", SharedFiles.instanceURL("tiny-01").path, "--time-limit", "2",
                                             "--out", out.path, "--parallel-solves", "0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--parallel-solves must be at least 1, found 0"), "\(refused.stderr)")
        let run = try CommandRunner.run(["optimize", SharedFiles.instanceURL("small-02").path, "--time-limit", "3",
                                         "--out", out.path, "--parallel-solves", "1", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Referee.judge(instance: SharedFiles.instanceURL("small-02"), solution: out).valid)
    }
}
