import AppointmentModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// `appointment-optimizer bench` on the tiny instances: its CSV, every row valid, a well-formed SVG.
@Suite struct BenchCommandTests {
    static func outputFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
    }

    /// `bench` on the shared instances with `arguments`, writing to `out`; expects it to succeed.
    static func bench(_ arguments: [String], out: URL) throws -> CommandRunner.Output {
        let run = try CommandRunner.run(["bench", "--instances", SharedFiles.shared.appendingPathComponent("instances").path]
                                        + arguments + ["--out", out.path])
        #expect(run.status == 0, "\(run.stderr.suffix(500))")
        return run
    }

    /// The replays of a format-2 instance are online replays and judged so, by the validator and
    /// by `referee.py --online` (judged offline, v2-medium-01's were refused under rule 13); the
    /// instance sits in its tier, not in "other".
    @Test func formatTwoReplaysAreJudgedOnlineInTheirTier() throws {
        let out = Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try Self.bench(["--only", "v2-medium", "--strategies", "earliest,best-fit"], out: out)
        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2)
        for row in rows {
            #expect(row[0] == "v2-medium-01" && row[1] == "medium", "\(row)")
            #expect(row[3] == "true" && row[4] == "true", "\(row)")
        }
    }

    @Test func theHarnessRunsTheTinyInstancesAndWritesItsOutputs() throws {
        let out = Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try Self.bench(["--only", "tiny", "--time-limit-scale", "0.03"], out: out)
        // A progress bar on stderr: one step per instance and strategy, then a full bar that says done.
        #expect(run.stderr.contains("] 3/12 "), "a progress bar on stderr: \(run.stderr.suffix(500))")
        #expect(run.stderr.contains("\r[\(String(repeating: "#", count: 30))] 12/12 done"), "a progress bar on stderr: \(run.stderr.suffix(500))")

        let csv = try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        for column in ["instance", "tier", "strategy", "valid", "referee_valid", "cost", "unscheduled_cost", "idle_cost",
                       "lead_cost", "preference_cost", "move_cost", "wall_seconds", "peak_rss_mb", "ratio_cpsat", "ratio_best", "bound", "gap"] {
            #expect(header.contains(column), "column \(column)")
        }
        let rows = lines.dropFirst()
        #expect(rows.count == 12, "3 tiny instances × 4 strategies")
        let valid = try #require(header.firstIndex(of: "valid")), referee = try #require(header.firstIndex(of: "referee_valid"))
        let cost = try #require(header.firstIndex(of: "cost")), best = try #require(header.firstIndex(of: "reference_best"))
        let bound = try #require(header.firstIndex(of: "bound")), strategy = try #require(header.firstIndex(of: "strategy"))
        for row in rows {
            #expect(row.count == header.count)
            // The batch runs report a bound, at most the best known cost; the replays none.
            if row[strategy].hasSuffix("batch") {
                let b = try #require(Double(row[bound]), "\(row)")
                #expect(b <= (Double(row[best]) ?? .infinity) + 1e-6, "\(row)")
            } else {
                #expect(row[bound].isEmpty, "\(row)")
            }
            #expect(row[valid] == "true" && row[referee] == "true", "\(row)")
            #expect((Double(row[cost]) ?? .infinity) >= (Double(row[best]) ?? 0) - 1e-6, "nobody beats the proven optimum")
        }

        let svg = try Data(contentsOf: out.appendingPathComponent("chart.svg"))
        let parser = XMLParser(data: svg)
        #expect(parser.parse(), "chart.svg is well-formed XML")
        #expect(String(decoding: svg, as: UTF8.self).hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let md = try String(contentsOf: out.appendingPathComponent("results.md"), encoding: .utf8)
        #expect(md.contains("### tiny"))
    }
}
