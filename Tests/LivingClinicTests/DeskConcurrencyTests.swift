import AppointmentModel
import LivingClinic
import Synchronization
import Testing
import TestSupport

/// What the racing tasks share: the clock they move on, and the requests they cancelled.
final class Shared: Sendable {
    let clock: Atomic<Int>
    let cancelled = Mutex<Set<String>>([])
    init(clock: Int) { self.clock = Atomic(clock) }
}

/// Many tasks changing one desk at once: the state is always valid, no request is lost, the
/// journal's sequence numbers are unique and without gaps, and it restores the same state.
@Suite struct DeskConcurrencyTests {
    @Test func manyTasksOnOneDeskNeverBreakIt() async throws {
        let start = try SharedFiles.instance("v2-small-01")
        let desk = try ClinicDesk(start, repairBudget: .milliseconds(20))
        let shared = Shared(clock: start.decisionTime)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var random = SplitMix64(seed: UInt64(task + 1))
                    var generator = ChangeGenerator(start: start)
                    generator.arrivals = task * 1000
                    generator.holds = task * 1000
                    for _ in 0..<40 {
                        var event = generator.next(&random, state: desk.state, desk: desk)
                        // Each task's clock is the shared clock moved on: refusals for a clock
                        // going back are the sequential test's business.
                        event.at = shared.clock.add(Int(random.next() % 3), ordering: .relaxed).newValue
                        let outcome = desk.apply(event)
                        shared.cancelled.withLock { $0.formUnion(outcome.cancelled) }
                        // Invariant: what any caller sees is valid.
                        let state = desk.state
                        let report = ScheduleValidator(state.instance).validate(state.solution())
                        #expect(report.isValid, "task \(task): \(report.violations.prefix(2))")
                    }
                }
            }
        }
        let state = desk.state
        Living.expectConsistent(state, "after the tasks")
        let present = Set(state.instance.requests.map(\.id))
        let gone = shared.cancelled.withLock { $0 }
        for r in start.requests where !gone.contains(r.id) { #expect(present.contains(r.id), "\(r.id) lost") }
        let journal = desk.journal()
        #expect(journal.map(\.sequence) == Array(1...journal.count))
        let restored = try ClinicDesk(restoring: start, journal: journal)
        #expect(restored.state.instance.requests == state.instance.requests)
    }

    /// Racing for one free slot: exactly one booking wins, the other is refused.
    @Test func twoCallersRacingForOneSlotGetOneBooking() async throws {
        var instance = Fixture.clinic()
        instance.providers[1].shifts = []  // DR2 away: DR1's free slots only
        instance.requests.removeAll { ["S1", "S2"].contains($0.id) }
        let desk = try ClinicDesk(instance)
        let slot = Placement(request: "C", providers: ["DR1"], room: "EX2", start: 600)
        let other = Placement(request: "D", providers: ["DR1"], room: "EX2", start: 600)
        let results = await withTaskGroup(of: Bool.self) { group in
            group.addTask { desk.apply(ClinicEvent(at: 1, .place(slot))).isApplied }
            group.addTask { desk.apply(ClinicEvent(at: 1, .place(other))).isApplied }
            var out: [Bool] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.filter { $0 }.count == 1)
        Living.expectConsistent(desk.state, "after the race")
    }
}
