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
        let b = try #require(instance.requests.firstIndex { $0.id == "B" })
        instance.requests[b].earliest = 480
        instance.requests[b].latest = 570
        let c = try #require(instance.requests.firstIndex { $0.id == "C" })
        instance.requests[c].current = Fixture.booking("DR2", "EX2", 495)
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

/// `fill` chooses a set, not one request at a time.
@Suite struct FillTests {
    /// DR1 is free 10:00–10:30, DR2 09:30–10:30. The greedy gives the urgent 30-minute visit the
    /// earlier slot (DR2 09:30), and the hour-long visit that only DR2 may do finds no room; the
    /// program puts the short visit with DR1 and the long one with DR2.
    @Test func theProgramFitsWhatTheGreedyCannot() throws {
        var instance = Fixture.clinic()
        instance.appointmentTypes.append(AppointmentType(id: "long", durationMinutes: 60, roles: [Role(skills: ["gp"])], roomKinds: ["exam"]))
        var requests: [Request] = []
        for (k, start) in [480, 510, 540, 570, 630, 660, 690].enumerated() {
            requests.append(Fixture.request("A\(k)", current: Fixture.booking("DR1", "EX1", start)))
        }
        for (k, start) in [480, 570, 600, 630, 660, 690].enumerated() {
            requests.append(Fixture.request("B\(k)", current: Fixture.booking("DR2", "EX2", start)))
        }
        requests.append(Fixture.request("SHORT", priority: .urgent))
        var long = Fixture.request("LONG", "long", priority: .soon)
        long.providers = ["DR2"]
        requests.append(long)
        instance.requests = requests
        var greedy = try ClinicState(instance)
        greedy.fillBudget = .zero
        let g = greedy.apply(ClinicEvent(at: 1, .fill))
        #expect(g.booked.map(\.request) == ["SHORT"] && greedy.booking(of: "SHORT")?.providers == ["DR2"], "\(g.booked)")
        var state = try ClinicState(instance)
        let outcome = state.apply(ClinicEvent(at: 1, .fill))
        #expect(Set(outcome.booked.map(\.request)) == ["SHORT", "LONG"], "\(outcome.booked)")
        #expect(state.booking(of: "LONG")?.providers == ["DR2"] && state.booking(of: "SHORT")?.providers == ["DR1"])
        Living.expectConsistent(state, "after the program's fill")
        let restored = try ClinicState(restoring: instance, journal: outcome.journalEvents)
        #expect(restored.instance.requests == state.instance.requests)
    }
}
