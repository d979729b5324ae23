import AppointmentModel
import RealTimeBooking
import Synchronization
import Testing
import TestSupport

/// A list that concurrent tasks append to.
final class SharedList<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ e: Element) { items.withLock { $0.append(e) } }
    var all: [Element] { items.withLock { $0 } }
}

/// Many tasks racing through one ``BookingDesk`` for the same few slots.
@Suite struct ConcurrencyTests {
    /// One provider, one room, two hours: room for six 20-minute visits, forty callers.
    static func tinyClinic() -> Instance {
        let providers = [Provider(id: "DR", skills: ["gp"], shifts: [Shift(location: "L", span: TimeSpan(start: 540, end: 660))])]
        let requests = (0..<40).map { i in
            Request(id: "R\(i)", patient: "PT-\(i)", type: "visit", priority: .routine, earliest: 0, latest: 1435, arrival: i)
        }
        return Instance(name: "race", timeline: Timeline(originUnixSeconds: 1_800_000_000 - 1_800_000_000 % 86_400),
                        horizon: TimeSpan(start: 0, end: 1440), granularityMinutes: 5,
                        locations: [Location(id: "L", timeZone: "UTC")],
                        rooms: [Room(id: "ROOM", location: "L", kinds: ["exam"], open: [TimeSpan(start: 480, end: 720)])],
                        equipment: [], providers: providers,
                        appointmentTypes: [AppointmentType(id: "visit", durationMinutes: 20, roles: [Role(skills: ["gp"])], roomKinds: ["exam"])],
                        requests: requests,
                        objective: Objective(unscheduledPenalty: PerPriority(urgent: 1, soon: 1, routine: 1), idleMinuteCost: 1,
                                             leadCostPerDay: PerPriority(urgent: 1, soon: 1, routine: 1), preferenceMissCost: 1,
                                             moveCost: PerStatus(confirmed: 1, tentative: 1)))
    }

    @Test func racingCallersNeverDoubleBook() async throws {
        let instance = Self.tinyClinic()
        let desk = try BookingDesk(instance)
        let successes = SharedList<Placement>()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    // Look, then book: another caller may take the slot in between.
                    for _ in 0..<3 {
                        guard let offer = desk.offers(for: "R\(i)", limit: 1).offers.first else { return }
                        do {
                            try desk.book(offer)
                            successes.append(offer.placements[0])
                            return
                        } catch {
                            continue
                        }
                    }
                }
            }
        }
        let booked = successes.all
        #expect(booked.count == 6)
        let state = desk.snapshot
        for p in booked { #expect(state.booking(of: p.request) == p, "every success is visible") }
        let report = ScheduleValidator(instance).validate(state.solution())
        #expect(report.isValid, "\(report.violations.prefix(3))")
        #expect(Set(booked.map(\.start)).count == booked.count, "no two visits at one time")
    }

    @Test func bookBestIsAtomic() async throws {
        let desk = try BookingDesk(Self.tinyClinic())
        let count = SharedList<Int>()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    if case .success? = desk.bookBest("R\(i)") { count.append(i) }
                }
            }
        }
        #expect(count.all.count == 6)
        #expect(ScheduleValidator(Self.tinyClinic()).validate(desk.snapshot.solution()).isValid)
    }
}
