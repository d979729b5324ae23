import AppointmentModel
import RealTimeBooking
import Testing
import TestSupport

@Suite struct BookingOperationsTests {
    static func clinic() throws -> Instance {
        try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
    }

    @Test func theExistingBookingsAreInPlaceFromTheStart() throws {
        let engine = BookingEngine(try Self.clinic())
        #expect(engine.initialConflicts.isEmpty)
        #expect(engine.booking(of: "RQ-01") == Placement(request: "RQ-01", providers: ["DR-ADAMS"], room: "RIV-EX1", start: 8 * 60))
        #expect(!engine.isBooked("RQ-07"))
    }

    @Test func offersObeyEveryRuleAndAreRankedByMarginalCost() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let result = engine.offers(for: "RQ-07", limit: 5)
        #expect(result.offers.count == 5)
        #expect(zip(result.offers, result.offers.dropFirst()).allSatisfy { $0.score <= $1.score })
        for offer in result.offers {
            var copy = engine
            try copy.book(offer)
            #expect(ScheduleValidator(instance).validate(copy.solution()).isValid)
        }
    }

    /// Best fit packs: the offer for a follow-up on DR-ADAMS's morning fills the gap between the
    /// pinned 08:00 visit and the 10:30 one (idle time goes down), where earliest-first would not care.
    @Test func bestFitFillsGapsInSessions() throws {
        var engine = BookingEngine(try Self.clinic())
        let best = try #require(engine.offers(for: "RQ-14", limit: 1).offers.first)
        #expect(best.cost.idleMinutes < 0)
    }

    @Test func aConflictNamesTheResourceAndTheTime() throws {
        var engine = BookingEngine(try Self.clinic())
        let offer = try #require(engine.offers(for: "RQ-07", limit: 1).offers.first)
        try engine.book(offer)
        // The same provider at the same time for another request (its own patient and room).
        var clash = offer
        clash.placements[0].request = "RQ-14"
        let roomFree = try #require(["RIV-EX1", "RIV-EX2", "RIV-PROC"].first { $0 != offer.placements[0].room })
        clash.placements[0].room = roomFree
        #expect {
            try engine.book(clash)
        } throws: { error in
            guard case BookingError.slotTaken(.provider(let p), let span) = error else { return false }
            return p == offer.placements[0].providers[0] && span.start == offer.placements[0].start
        }
        #expect(!engine.isBooked("RQ-14"), "nothing was booked")
    }

    @Test func pinnedBookingsRefuseToMoveOrCancel() throws {
        var engine = BookingEngine(try Self.clinic())
        let offer = try #require(engine.offers(for: "RQ-01", limit: 1).offers.first)
        #expect(throws: BookingError.pinned("RQ-01")) { try engine.move(offer) }
        #expect(throws: BookingError.pinned("RQ-01")) { try engine.cancel("RQ-01") }
    }

    @Test func aMoveIsAllOrNothing() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let before = engine.booking(of: "RQ-02")
        var bad = try #require(engine.offers(for: "RQ-02", limit: 1).offers.first)
        bad.placements[0].start = 12 * 60 + 5  // DR-ADAMS's lunch
        #expect(throws: BookingError.self) { try engine.move(bad) }
        #expect(engine.booking(of: "RQ-02") == before)
        let good = try #require(engine.offers(for: "RQ-02", limit: 1).offers.first)
        try engine.move(good)
        #expect(engine.booking(of: "RQ-02") == good.placements[0])
        #expect(ScheduleValidator(instance).validate(engine.solution()).isValid)
    }

    @Test func groupsAreBookedAndCancelledWhole() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let offer = try #require(engine.offers(for: "RQ-10", limit: 1).offers.first)
        #expect(Set(offer.placements.map(\.request)) == ["RQ-09", "RQ-10"])
        var half = offer
        half.placements.removeLast()
        #expect(throws: BookingError.groupMustBeBookedWhole(group: "FAMILY-1")) { try engine.book(half) }
        try engine.book(offer)
        let first = try #require(offer.placements.first { $0.request == "RQ-09" })
        let second = try #require(offer.placements.first { $0.request == "RQ-10" })
        #expect(second.start >= first.start + 20 && second.start <= first.start + 20 + 15)
        #expect(ScheduleValidator(instance).validate(engine.solution()).isValid)
        try engine.cancel("RQ-10")
        #expect(!engine.isBooked("RQ-09") && !engine.isBooked("RQ-10"))
    }

    @Test func aSeriesMemberIsBookedAgainstItsPredecessor() throws {
        let instance = try Self.clinic()
        var engine = BookingEngine(instance)
        let refused = engine.offers(for: "RQ-12")
        #expect(refused.offers.isEmpty)
        #expect(refused.explanation?.main == .predecessorNotBooked)
        try engine.book(try #require(engine.offers(for: "RQ-11", limit: 1).offers.first))
        let offer = try #require(engine.offers(for: "RQ-12", limit: 1).offers.first)
        let predecessor = try #require(engine.booking(of: "RQ-11"))
        let gap = offer.placements[0].start - predecessor.start
        #expect(gap >= 1440 && gap <= 2880)
        try engine.book(offer)
        #expect(throws: BookingError.successorBooked(request: "RQ-11", successor: "RQ-12")) { try engine.cancel("RQ-11") }
        #expect(ScheduleValidator(instance).validate(engine.solution()).isValid)
    }
}

/// Explanations: when nothing can be offered, the blocking reasons come back as data.
@Suite struct ExplanationTests {
    @Test func noQualifiedProvider() throws {
        var instance = try BookingOperationsTests.clinic()
        instance.appointmentTypes[0].roles = [Role(skills: ["cardiology"])]
        var engine = BookingEngine(instance)
        #expect(engine.offers(for: "RQ-06").explanation?.main == .noQualifiedProvider)
    }

    @Test func outsideThePatientsAvailability() throws {
        var instance = try BookingOperationsTests.clinic()
        instance.requests[5].patientAvailability = [TimeSpan(start: 20 * 60, end: 22 * 60)]
        var engine = BookingEngine(instance)
        #expect(engine.offers(for: "RQ-06").explanation?.main == .outsidePatientAvailability)
    }

    @Test func equipmentExhausted() throws {
        var instance = try BookingOperationsTests.clinic()
        instance.equipment[0].quantity = 0
        instance.requests[3].current = nil  // RQ-04 held the only unit
        instance.requests[7].patientAvailability = nil
        var engine = BookingEngine(instance)
        #expect(engine.offers(for: "RQ-08").explanation?.main == .equipmentExhausted)
    }

    @Test func aProviderListNamingNobodyQualified() throws {
        var instance = try BookingOperationsTests.clinic()
        instance.requests[12].providers = ["RN-CHEN"]
        var engine = BookingEngine(instance)
        #expect(engine.offers(for: "RQ-13").explanation?.main == .noQualifiedProvider)
    }

    @Test func everySessionFull() throws {
        var engine = BookingEngine(ConcurrencyTests.tinyClinic())
        for i in 0..<6 { try engine.book(try #require(engine.offers(for: "R\(i)", limit: 1).offers.first)) }
        let refused = engine.offers(for: "R6")
        #expect(refused.offers.isEmpty)
        #expect(refused.explanation?.main == .sessionsFull)
    }
}

/// Best fit on rooms: among the free rooms of a candidate, the one that leaves no free run too
/// short for any visit is chosen, and best-fit's score counts the minutes such runs would waste.
@Suite struct RoomFitTests {
    /// DR works 08:00–12:00 and sees a 20-minute visit at 08:00 in EX-EARLY. EX-LATE (listed
    /// first) opens at 08:10, so a visit there at 08:20 would strand ten minutes before it.
    static func clinic() -> Instance {
        let existing = Request(id: "R-A", patient: "PT-A", type: "visit", priority: .routine, earliest: 480, latest: 700, arrival: 0,
                               current: ExistingBooking(providers: ["DR"], room: "EX-EARLY", start: 480, status: .confirmed))
        let waiting = Request(id: "R-B", patient: "PT-B", type: "visit", priority: .routine, earliest: 480, latest: 700, arrival: 1)
        return Instance(name: "room-fit", timeline: Timeline(originUnixSeconds: 1_800_000_000 - 1_800_000_000 % 86_400),
                        horizon: TimeSpan(start: 0, end: 1440), granularityMinutes: 5,
                        locations: [Location(id: "L", timeZone: "UTC")],
                        rooms: [Room(id: "EX-LATE", location: "L", kinds: ["exam"], open: [TimeSpan(start: 490, end: 720)]),
                                Room(id: "EX-EARLY", location: "L", kinds: ["exam"], open: [TimeSpan(start: 480, end: 720)])],
                        equipment: [],
                        providers: [Provider(id: "DR", skills: ["gp"], shifts: [Shift(location: "L", span: TimeSpan(start: 480, end: 720))])],
                        appointmentTypes: [AppointmentType(id: "visit", durationMinutes: 20, roles: [Role(skills: ["gp"])], roomKinds: ["exam"])],
                        requests: [existing, waiting],
                        objective: Objective(unscheduledPenalty: PerPriority(urgent: 1, soon: 1, routine: 1), idleMinuteCost: 1,
                                             leadCostPerDay: PerPriority(urgent: 1, soon: 1, routine: 1), preferenceMissCost: 1,
                                             moveCost: PerStatus(confirmed: 1, tentative: 1)))
    }

    @Test func theRoomThatLeavesNoUnusableGapIsChosen() throws {
        let instance = Self.clinic()
        var engine = BookingEngine(instance)
        let best = try #require(engine.offers(for: "R-B", limit: 1).offers.first)
        #expect(best.placements[0].start == 500, "right after R-A: no idle time")
        #expect(best.placements[0].room == "EX-EARLY", "EX-LATE would strand 08:10–08:20")
        #expect(best.cost.roomWasteMinutes == 0)
        try engine.book(best)
        #expect(ScheduleValidator(instance).validate(engine.solution()).isValid)
    }

    @Test func bestFitWeighsStrandedRoomMinutes() throws {
        // With EX-EARLY closed after R-A, 08:20 in EX-LATE strands ten minutes; the score says so.
        var instance = Self.clinic()
        instance.rooms[1].open = [TimeSpan(start: 480, end: 500)]
        var engine = BookingEngine(instance)
        let offers = engine.offers(for: "R-B", limit: 10, policy: BestFit(roomWasteWeight: 1)).offers
        let at0820 = try #require(offers.first { $0.placements[0].start == 500 })
        #expect(at0820.placements[0].room == "EX-LATE")
        #expect(at0820.cost.roomWasteMinutes == 10)
        #expect(at0820.score == at0820.cost.total + 10 * instance.objective.idleMinuteCost)
        let plain = try #require(engine.offers(for: "R-B", limit: 10, policy: BestFit(roomWasteWeight: 0)).offers
            .first { $0.placements[0].start == 500 })
        #expect(plain.score == plain.cost.total)
    }
}
