import AppointmentModel
import Foundation
import Testing
import TestSupport

/// The library's validator and cost against `shared/tools/referee.py`, on every public instance:
/// the baseline, valid variations of it, and solutions broken on purpose for each rule. Both must
/// give the same validity, the same violated checks and the same cost (1e-9 relative).
@Suite struct RefereeAgreementTests {
    struct Case: Sendable {
        var name: String
        var solution: Solution
        var expected: Violation.Check?
    }

    static func cases(_ name: String) throws -> (Instance, [Case]) {
        let instance = try SharedFiles.instance(name)
        let index = InstanceIndex(instance)
        let validator = ScheduleValidator(index)
        let base = Solution.baseline(of: instance)
        let mutations = SolutionMutations(index: index, base: base)
        var cases = [Case(name: "baseline", solution: base, expected: nil)]
        cases += mutations.validVariations(isValid: { validator.validate($0).isValid }).map {
            Case(name: $0.name, solution: $0.solution, expected: nil)
        }
        cases += mutations.broken().map { Case(name: $0.name, solution: $0.solution, expected: $0.expected) }
        return (instance, cases)
    }

    @Test(arguments: SharedFiles.instanceNames)
    func validatorAndCostAgreeWithTheReferee(name: String) throws {
        let (instance, cases) = try Self.cases(name)
        let validator = ScheduleValidator(instance)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agreement-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(cases.filter { $0.expected == nil }.count >= 3, "valid variations found on \(name)")
        var seenRules = Set<Int>()
        for (k, c) in cases.enumerated() {
            let url = dir.appendingPathComponent("\(k).json")
            try Data(SolutionDocument.write(c.solution, for: instance).utf8).write(to: url)
            // Read back what was written: the writer and reader are part of what must agree.
            let reread = try ExchangeFormat.readSolution(contentsOf: url, for: instance)
            let ours = validator.validate(reread)
            let theirs = try Referee.judge(instance: SharedFiles.instanceURL(name), solution: url)
            let ourChecks = Set(ours.violations.map { "\($0.rule):\($0.check.rawValue)" })
            #expect(ours.isValid == theirs.valid, "\(name) / \(c.name): validity")
            #expect(ourChecks == theirs.checks, "\(name) / \(c.name): violated checks")
            #expect(abs(ours.cost.total - theirs.cost) <= 1e-9 * max(1, abs(theirs.cost)),
                    "\(name) / \(c.name): cost \(ours.cost.total) vs referee \(theirs.cost)")
            for (part, value) in [("unscheduled", ours.cost.unscheduled), ("idle", ours.cost.idle), ("lead", ours.cost.lead),
                                  ("preference", ours.cost.preference), ("moves", ours.cost.moves)] {
                let ref = theirs.breakdown[part] ?? .nan
                #expect(abs(value - ref) <= 1e-9 * max(1, abs(ref)), "\(name) / \(c.name): \(part)")
            }
            if let expected = c.expected {
                #expect(ours.violations.contains { $0.check == expected }, "\(name) / \(c.name): expected \(expected.rawValue)")
                seenRules.formUnion(ours.violatedRules)
            } else {
                #expect(ours.isValid, "\(name) / \(c.name) should be valid: \(ours.violations.prefix(3))")
            }
        }
        #expect(seenRules.isSuperset(of: [1, 2, 3, 4, 5, 6, 10]), "\(name): rules exercised \(seenRules.sorted())")
        if instance.usesVersion2Rules {
            // Rule 13 cannot break here: every public asOf lies before its horizon (see the next test).
            let unreleased = instance.holds.contains { !$0.admits(.routine, decidedAt: instance.decisionTime) }
            #expect(seenRules.isSuperset(of: unreleased ? [11, 12] : [11]), "\(name): version-2 rules exercised \(seenRules.sorted())")
        }
    }

    /// Rule 13 (no new booking before the decision time) with the decision time moved to noon of
    /// the horizon's first day: a booking moved to the morning is new and in the past; the same
    /// booking kept where it is stays valid even when it lies in the morning.
    @Test func ruleThirteenAgreesWithTheReferee() throws {
        var instance = try SharedFiles.instance("v2-small-01")
        instance.asOf = instance.horizon.start + 12 * 60
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rule13-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let instanceURL = dir.appendingPathComponent("instance.json")
        try Data(ExchangeFormat.write(instance).utf8).write(to: instanceURL)
        let base = Solution.baseline(of: instance)
        let morning = try #require(base.assignments.firstIndex { a in
            a.start < instance.asOf! && instance.requests.first { $0.id == a.request }?.current?.pinned == false
        })
        var moved = base
        moved.assignments[morning].start += instance.granularityMinutes
        for (label, solution, valid) in [("kept in the morning", base, true), ("moved in the morning", moved, false)] {
            let url = dir.appendingPathComponent("\(label).json")
            try Data(ExchangeFormat.write(solution, for: instance).utf8).write(to: url)
            let ours = ScheduleValidator(instance).validate(solution)
            let theirs = try Referee.judge(instance: instanceURL, solution: url)
            #expect(ours.isValid == valid && theirs.valid == valid, "\(label)")
            #expect(Set(ours.violations.map { "\($0.rule):\($0.check.rawValue)" }) == theirs.checks, "\(label)")
            if !valid { #expect(ours.violations.contains { $0.check == .inThePast }, "\(label)") }
        }
    }
}

/// Writing goes through the library's own writer.
enum SolutionDocument {
    static func write(_ solution: Solution, for instance: Instance) -> String {
        var text = ExchangeFormat.write(solution, for: instance)
        if solution.declaredFormat != ExchangeFormat.solutionFormat {
            text = text.replacingOccurrences(of: ExchangeFormat.solutionFormat, with: solution.declaredFormat)
        }
        return text
    }
}
