import AppointmentModel
import Foundation
import LivingClinic
import RealTimeBooking
import Testing
import TestSupport

/// Random days of changes, some of which must be refused: after every change the state is valid
/// and nothing is lost, a refused change changes nothing, and restoring any snapshot with the
/// journal lines after it gives the same state. Seeded: a failure replays from its seed.
@Suite struct JournalPropertyTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func snapshotPlusJournalRestoresTheSameState(seed: UInt64) throws {
        let start = try SharedFiles.instance("v2-small-01")
        let desk = try ClinicDesk(start, repairBudget: .milliseconds(30))
        var random = SplitMix64(seed: seed)
        var generator = ChangeGenerator(start: start)
        var expected = Set(start.requests.map(\.id))
        var snapshots: [(instance: Instance, sequence: Int)] = [desk.snapshot()]
        var refusedCount = 0, displacedCount = 0, bookedCount = 0
        for step in 0..<160 {
            let before = desk.state
            let event = generator.next(&random, state: before, desk: desk)
            let outcome = desk.apply(event)
            let label = "seed \(seed) step \(step) \(event.change.op)"
            displacedCount += outcome.displaced.count
            bookedCount += outcome.booked.count
            if outcome.isApplied {
                if case .arrive(let r) = event.change { expected.insert(r.id) }
                expected.subtract(outcome.cancelled)
                #expect(outcome.journal != nil || outcome.journalEvents.isEmpty, "\(label)")
            } else {
                refusedCount += 1
                #expect(desk.state.instance == before.instance, "\(label): a refused change changed the state")
            }
            let state = desk.state
            #expect(Set(state.instance.requests.map(\.id)) == expected, "\(label): requests lost or invented")
            for d in outcome.displaced {
                #expect(outcome.repaired.contains { $0.request == d.request } || outcome.waiting.contains(d.request), "\(label): \(d.request) lost")
            }
            if step % 20 == 0 {
                Living.expectConsistent(state, label)
                Living.expectSameAsRebuilt(state, label)
            } else if case .cancel = event.change, outcome.isApplied {
                Living.expectSameAsRebuilt(state, label)  // a cancellation renumbers the requests in place
            }
            if random.next() % 9 == 0 { snapshots.append(desk.snapshot()) }
        }
        Living.expectConsistent(desk.state, "seed \(seed) at the end")
        #expect(refusedCount > 10, "seed \(seed): the generator makes refusals too (\(refusedCount))")
        #expect(refusedCount < 120 && displacedCount > 3 && bookedCount > 10,
                "seed \(seed): \(refusedCount) refused, \(displacedCount) displaced, \(bookedCount) booked")
        print("journal property seed \(seed): \(refusedCount) refused, \(displacedCount) displaced, \(bookedCount) booked, \(snapshots.count) snapshots")
        let final = desk.state.instance
        for (k, snapshot) in snapshots.enumerated() {
            let restored = try ClinicDesk(restoring: snapshot.instance, journal: desk.journal(after: snapshot.sequence))
            #expect(restored.state.instance == final, "seed \(seed): snapshot \(k) (after line \(snapshot.sequence)) plus the journal differs")
        }
        // The snapshot written as JSON and read back restores the same state too.
        let mid = snapshots[snapshots.count / 2]
        let text = ExchangeFormat.write(mid.instance)
        let reread = try ExchangeFormat.readInstance(Array(text.utf8))
        let restored = try ClinicDesk(restoring: reread, journal: desk.journal(after: mid.sequence))
        #expect(restored.state.instance.requests == final.requests)
    }
}

/// Makes random changes against the current state: mostly sensible ones, some that must be
/// refused (unknown ids, ids in use, a clock going back, taken slots, blocks that match nothing).
struct ChangeGenerator {
    let start: Instance
    var arrivals = 0
    var holds = 0

    init(start: Instance) { self.start = start }

    mutating func next(_ random: inout SplitMix64, state: ClinicState, desk: ClinicDesk) -> ClinicEvent {
        func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))] }
        func chance(_ p: Double) -> Bool { Double(random.next() % 1000) / 1000 < p }
        let instance = state.instance
        var at = state.now + Int(random.next() % 20)
        if chance(0.04) { at = state.now - 5 }  // must be refused
        let horizon = instance.horizon
        func span() -> TimeSpan {
            let s = horizon.start + 420 + Int(random.next() % 600) / 5 * 5
            return TimeSpan(start: s, end: s + 15 + Int(random.next() % 120) / 5 * 5)
        }
        let ids = instance.requests.map(\.id)
        let anyID = { (random: inout SplitMix64) -> String in
            Double(random.next() % 1000) / 1000 < 0.08 ? "NO-SUCH-\(random.next() % 9)" : (ids.isEmpty ? "NONE" : ids[Int(random.next() % UInt64(ids.count))])
        }
        switch random.next() % 14 {
        case 0, 1:
            arrivals += 1
            guard var r = pick(start.requests.filter { $0.group == nil && $0.after == nil }) else { return ClinicEvent(at: at, .fill) }
            r.id = chance(0.1) ? (pick(ids) ?? "X") : "P\(arrivals)"
            r.patient = chance(0.3) ? (pick(instance.requests.map(\.patient)) ?? "PT") : "PT-P\(arrivals)"
            r.current = nil
            r.arrival = at
            r.priority = pick(Priority.allCases)!
            if chance(0.2) { r.authorization = Authorization(status: pick(AuthorizationStatus.allCases)!) }
            return ClinicEvent(at: at, .arrive(r))
        case 2, 3:
            return ClinicEvent(at: at, .book(request: anyID(&random)))
        case 4:
            let waiting = state.waitingList.map(\.id)
            if let id = pick(waiting), let offer = pick(desk.offers(for: id, limit: 4).offers), offer.placements.count == 1 {
                var p = offer.placements[0]
                if chance(0.2) { p.start += 5 * Int(random.next() % 7) }
                return ClinicEvent(at: at, .place(p))
            }
            return ClinicEvent(at: at, .place(Placement(request: anyID(&random), providers: [pick(instance.providers)!.id], room: pick(instance.rooms)?.id,
                                                        start: span().start)))
        case 5:
            return ClinicEvent(at: at, .cancel(request: anyID(&random)))
        case 6:
            return ClinicEvent(at: at, chance(0.5) ? .confirm(request: anyID(&random)) : .unbook(request: anyID(&random)))
        case 7:
            return ClinicEvent(at: at, .block(provider: pick(instance.providers)!.id, span: span(), reason: "random", repair: chance(0.8)))
        case 8:
            let provider = pick(instance.providers)!
            let s = chance(0.7) ? (pick(provider.blocks)?.span ?? span()) : span()
            return ClinicEvent(at: at, .unblock(provider: provider.id, span: s))
        case 9:
            return ClinicEvent(at: at, .closeRoom(room: pick(instance.rooms)!.id, span: span(), repair: chance(0.8)))
        case 10:
            holds += 1
            let id = chance(0.15) ? (pick(instance.holds)?.id ?? "RH\(holds)") : "RH\(holds)"
            var priorities = Set<Priority>([pick(Priority.allCases)!])
            if chance(0.3) { priorities.insert(.urgent) }
            let hold = Hold(id: id, provider: pick(instance.providers)!.id, span: span(), priorities: priorities,
                            releaseMinutesBefore: Int(random.next() % 4) * 60)
            return ClinicEvent(at: at, .hold(hold, repair: chance(0.8)))
        case 11:
            return ClinicEvent(at: at, .releaseHold(id: chance(0.7) ? (pick(instance.holds)?.id ?? "NONE") : "NONE"))
        case 12:
            let status = pick(AuthorizationStatus.allCases)!
            let from = chance(0.3) ? horizon.start + 600 : nil
            return ClinicEvent(at: at, .authorize(request: anyID(&random), Authorization(status: status, validFrom: from), repair: chance(0.8)))
        default:
            return ClinicEvent(at: at, .fill)
        }
    }
}
