import AppointmentModel
import LivingClinic
import Testing
import TestSupport

/// Repairs that need more than a greedy pass, and their journals.
@Suite struct RepairTests {
    /// DR1 falls sick: B (09:00, may start 08:00–09:30) is displaced. DR2 works 08:00–10:00 with
    /// C at 08:15 and E at 09:10, which leave no 30-minute gap; the program moves C to 08:00 and
    /// puts B at 08:30. The greedy alone leaves B waiting.
    @Test func theProgramMovesAnotherBookingToMakeRoom() throws {
        var instance = Fixture.clinic()
        instance.providers[1].shifts = [Shift(location: "L", span: TimeSpan(start: 480, end: 600))]
        instance.requests.removeAll { ["A", "S1", "S2", "G1", "G2", "D"].contains($0.id) }
        let b = instance.requests.firstIndex { $0.id == "B" }!
        instance.requests[b].earliest = 480
        instance.requests[b].latest = 570
        instance.requests[instance.requests.firstIndex { $0.id == "C" }!].current = Fixture.booking("DR2", "EX2", 495)
        instance.requests.append(Fixture.request("E", current: Fixture.booking("DR2", "EX2", 550)))
        let sick = ClinicEvent(at: 10, .block(provider: "DR1", span: TimeSpan(start: 480, end: 720), reason: "sick", repair: true))
        var greedyOnly = try ClinicState(instance)
        greedyOnly.repairBudget = .zero
        let greedy = greedyOnly.apply(sick)
        #expect(greedy.waiting == ["B"], "the greedy alone cannot place B: \(greedy.repaired)")
        var state = try ClinicState(instance)
        let outcome = state.apply(sick)
        #expect(outcome.repaired.map(\.request) == ["B"], "\(outcome)")
        #expect(outcome.moved.contains { $0.request == "C" }, "C moved to make room: \(outcome.moved)")
        #expect(outcome.journalEvents.contains { if case .unbook = $0.change { true } else { false } })
        Living.expectConsistent(state, "after the program's repair")
        let restored = try ClinicState(restoring: instance, journal: outcome.journalEvents)
        #expect(restored.instance.requests == state.instance.requests)
    }

    /// S1 is displaced; its series successor S2 goes with it and comes back after it, within the
    /// gap; the journal restores the same state.
    @Test func aSeriesSuccessorFollowsItsPredecessor() throws {
        let instance = Fixture.clinic()
        var state = try ClinicState(instance)
        let outcome = state.apply(ClinicEvent(at: 10, .block(provider: "DR2", span: TimeSpan(start: 600, end: 630), reason: "meeting", repair: true)))
        #expect(Set(outcome.displaced.map(\.request)) == ["S1", "S2"])
        #expect(outcome.displaced.first { $0.request == "S2" }?.reason.contains("S1") == true)
        #expect(Set(outcome.repaired.map(\.request)) == ["S1", "S2"])
        let s1 = try #require(state.booking(of: "S1")), s2 = try #require(state.booking(of: "S2"))
        #expect(s2.start - s1.start >= 30 && s2.start - s1.start <= 120)
        Living.expectConsistent(state, "after the series repair")
        let restored = try ClinicState(restoring: instance, journal: outcome.journalEvents)
        #expect(restored.instance.requests == state.instance.requests)
    }
}
