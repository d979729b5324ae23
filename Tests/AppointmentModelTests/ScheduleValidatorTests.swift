import AppointmentModel
import Testing
import TestSupport

/// One test per rule: a solution broken for that check is reported with it. The broken solutions
/// come from the sample clinic, the tiny to medium-01 public instances and the format-2 ones.
@Suite struct ScheduleValidatorTests {
    static let sources: [(String, Instance)] = {
        var out = [("riverside-clinic", try! InstanceCheckerTests.clinic())]
        for name in SharedFiles.instanceNames.prefix(7) { out.append((name, try! SharedFiles.instance(name))) }
        for name in SharedFiles.version2Names.prefix(3) { out.append((name, try! SharedFiles.instance(name))) }
        // Rule 13 needs a decision time inside the horizon: v2-small-01 decided at noon.
        var noon = try! SharedFiles.instance("v2-small-01")
        noon.asOf = noon.horizon.start + 12 * 60
        out.append(("v2-small-01 decided at noon", noon))
        return out
    }()

    /// The sample clinic with its ultrasound pool gone: its ultrasound visits then have no pool.
    static let withoutUltrasound: (String, Instance) = {
        var instance = try! InstanceCheckerTests.clinic()
        instance.equipment.removeAll()
        return ("riverside-clinic without its ultrasound", instance)
    }()

    @Test(arguments: Violation.Check.allCases)
    func eachRuleIsReported(check: Violation.Check) throws {
        for (name, instance) in Self.sources + [Self.withoutUltrasound] {
            let index = InstanceIndex(instance)
            let mutations = SolutionMutations(index: index, base: .baseline(of: instance))
            guard let broken = mutations.broken().first(where: { $0.expected == check }) else { continue }
            let report = ScheduleValidator(index).validate(broken.solution)
            #expect(!report.isValid)
            #expect(report.violations.contains { $0.check == check }, "\(name): \(broken.name) → \(report.violations)")
            return
        }
        Issue.record("no instance could be broken for \(check.rawValue)")
    }

    @Test func theBaselineOfEveryInstanceIsValid() {
        for (name, instance) in Self.sources {
            let report = ScheduleValidator(instance).validate(.baseline(of: instance))
            #expect(report.isValid, "\(name): \(report.violations.prefix(3))")
        }
    }

    /// The cost of the sample clinic's existing bookings, worked out by hand.
    @Test func priceOfTheSampleBaselineWorkedByHand() throws {
        let instance = try InstanceCheckerTests.clinic()
        let cost = ScheduleValidator(instance).validate(.baseline(of: instance)).cost
        // 9 waiting requests: urgent 5000 + soon 2 × 1000 + routine 6 × 200.
        #expect(cost.unscheduled == 8200)
        #expect(cost.unscheduledByPriority == PerPriority(urgent: 1, soon: 2, routine: 6))
        // DR-ADAMS's morning session: visits 08:00–08:40 and 10:30–10:50 → 170 − 60 = 110 idle minutes.
        #expect(cost.idleMinutes == 110)
        #expect(cost.idle == 110)
        // Lead from earliest (day 1, 00:00): 2·480 + 2·630 + 20·900 + 20·1980 + 2·2430, over 1440.
        #expect(abs(cost.lead - (960.0 + 1260 + 18_000 + 39_600 + 4860) / 1440) < 1e-12)
        #expect(cost.preference == 0)
        #expect(cost.moves == 0)
    }

    /// Packing: moving RQ-02 right after RQ-01 removes the idle time, costs a tentative move (30)
    /// and shortens its lead; a change of room alone would be free.
    @Test func packingASessionRemovesIdleTimeAndPaysTheMove() throws {
        let instance = try InstanceCheckerTests.clinic()
        var solution = Solution.baseline(of: instance)
        let i = try #require(solution.assignments.firstIndex { $0.request == "RQ-02" })
        solution.assignments[i].start = 8 * 60 + 40
        solution.assignments[i].room = "RIV-EX2"
        let report = ScheduleValidator(instance).validate(solution)
        #expect(report.isValid, "\(report.violations)")
        #expect(report.cost.idleMinutes == 0)
        #expect(report.cost.moves == 30)
        #expect(report.cost.moved == PerStatus(confirmed: 0, tentative: 1))
        #expect(abs(report.cost.lead - (960.0 + 1040 + 18_000 + 39_600 + 4860) / 1440) < 1e-12)

        var roomOnly = Solution.baseline(of: instance)
        roomOnly.assignments[i].room = "RIV-EX2"
        #expect(ScheduleValidator(instance).validate(roomOnly).cost.moves == 0)
    }

    @Test func aMissedPreferenceIsCharged() throws {
        let instance = try InstanceCheckerTests.clinic()
        var solution = Solution.baseline(of: instance)
        let i = try #require(solution.assignments.firstIndex { $0.request == "RQ-02" })
        solution.assignments[i].providers = ["DR-BELL"]
        solution.assignments[i].start = 9 * 60
        solution.assignments[i].room = "RIV-EX2"
        let report = ScheduleValidator(instance).validate(solution)
        #expect(report.isValid, "\(report.violations)")
        #expect(report.cost.preferenceMisses == 1)
        #expect(report.cost.preference == 30)
    }
}
