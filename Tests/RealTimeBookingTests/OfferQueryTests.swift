import AppointmentModel
import RealTimeBooking
import Testing
import TestSupport

/// Offers that answer a query: several starts per free gap, not before an instant, other than the
/// current slot; loading a solution into an engine or a desk; a desk refusing an invalid instance.
@Suite struct OfferQueryTests {
    static func clinic() throws -> Instance {
        try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
    }

    /// Every offer books into a valid schedule.
    func expectBookable(_ offers: [Offer], on engine: BookingEngine, _ instance: Instance) throws {
        for offer in offers {
            var copy = engine
            try copy.book(offer)
            #expect(ScheduleValidator(instance).validate(copy.solution()).isValid)
        }
    }

    @Test func severalStartsPerGapGiveMoreDistinctTimes() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let one = engine.offers(for: "RQ-07", query: OfferQuery(limit: 40, startsPerGap: 1)).offers
        let four = engine.offers(for: "RQ-07", query: OfferQuery(limit: 40, startsPerGap: 4)).offers
        #expect(Set(four.map(\.start)).count > Set(one.map(\.start)).count)
        #expect(Set(four.map(\.start)).count >= 8)
        try expectBookable(four, on: engine, instance)
    }

    @Test func noOfferStartsBeforeNotBefore() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let earliest = try #require(engine.offers(for: "RQ-07", limit: 1).offers.first).start
        let later = earliest + 95
        let offers = engine.offers(for: "RQ-07", query: OfferQuery(limit: 5, notBefore: later)).offers
        #expect(!offers.isEmpty)
        #expect(offers.allSatisfy { $0.start >= later })
        try expectBookable(offers, on: engine, instance)
        // The query leaves the engine's clock as it was.
        #expect(engine.offers(for: "RQ-07", limit: 1).offers.first?.start == earliest)
    }

    @Test func otherThanTheCurrentSlotLeavesItOut() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let best = try #require(engine.offers(for: "RQ-07", limit: 1).offers.first)
        try engine.book(best)
        let current = try #require(engine.booking(of: "RQ-07"))
        let same = { (o: Offer) in o.placements[0].start == current.start && o.placements[0].providers == current.providers }
        #expect(engine.offers(for: "RQ-07", limit: 5).offers.contains(where: same))
        let others = engine.offers(for: "RQ-07", query: OfferQuery(limit: 5, excludingCurrent: true)).offers
        #expect(others.count == 5 && !others.contains(where: same))
    }

    @Test func aSolutionLoadsIntoAnEngineAndADesk() throws {
        let instance = try Self.clinic()
        let replay = OnlineReplay.run(instance).solution
        let engine = try BookingEngine(instance, loading: replay)
        #expect(Set(engine.solution().assignments.map(\.request)) == Set(replay.assignments.map(\.request)))
        for a in replay.assignments { #expect(engine.booking(of: a.request) == a) }
        let desk = try BookingDesk(instance, loading: replay)
        #expect(desk.booking(of: replay.assignments[0].request) == replay.assignments[0])
        // A solution that breaks a rule does not load.
        var broken = replay
        let waiting = try #require(broken.assignments.firstIndex { a in instance.requests.first { $0.id == a.request }?.current == nil })
        broken.assignments[waiting].start = broken.assignments[0].start
        broken.assignments[waiting].providers = broken.assignments[0].providers
        #expect(throws: BookingError.self) { try BookingEngine(instance, loading: broken) }
    }

    @Test func aDeskRefusesAnInvalidInstanceNamingTheIssue() throws {
        var instance = try Self.clinic()
        instance.requests[3].type = "x-ray"
        do {
            _ = try BookingDesk(instance)
            Issue.record("an invalid instance made a desk")
        } catch {
            #expect(error.issues.contains { $0.message.contains("x-ray") && $0.id == instance.requests[3].id })
        }
    }
}

/// A hand-built offer with a start near Int.max is refused, not a trap.
@Suite struct HandBuiltOfferTests {
    @Test func aStartNearIntMaxIsRefused() throws {
        var engine = BookingEngine(try OfferQueryTests.clinic())
        let offer = Offer(placements: [Placement(request: "RQ-07", providers: ["DR-ADAMS"], room: "RIV-EX1", start: Int.max - 10)])
        #expect(throws: BookingError.self) { try engine.book(offer) }
        let booked = try #require(engine.booking(of: "RQ-02"))
        var moved = booked
        moved.start = Int.min + 10
        #expect(throws: BookingError.self) { try engine.move(Offer(placements: [moved])) }
        #expect(engine.booking(of: "RQ-02") == booked)
    }
}
