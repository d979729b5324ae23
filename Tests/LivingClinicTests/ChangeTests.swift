import AppointmentModel
import LivingClinic
import Testing
import TestSupport

/// One test per live change of the desk, on the fixture clinic.
@Suite struct ChangeTests {
    func state() throws -> ClinicState { try ClinicState(Fixture.clinic()) }

    @Test func bookingGivesATentativeBookingThatConfirmationConfirms() throws {
        var s = try state()
        let booked = s.apply(ClinicEvent(at: 10, .book(request: "C")))
        #expect(booked.isApplied && booked.booked.map(\.request) == ["C"])
        #expect(s.instance.requests.first { $0.id == "C" }?.current?.status == .tentative)
        #expect(s.apply(ClinicEvent(at: 11, .confirm(request: "C"))).isApplied)
        #expect(s.instance.requests.first { $0.id == "C" }?.current?.status == .confirmed)
        #expect(s.apply(ClinicEvent(at: 12, .book(request: "C"))).refusal?.contains("already booked") == true)
        Living.expectConsistent(s, "after booking C")
    }

    @Test func confirmingAWaitingRequestIsRefused() throws {
        var s = try state()
        let before = s.instance
        #expect(s.apply(ClinicEvent(at: 5, .confirm(request: "D"))).refusal?.contains("not booked") == true)
        #expect(s.instance == before)
    }

    @Test func anArrivalWithAnIDInUseIsRefusedAndChangesNothing() throws {
        var s = try state()
        let before = s.instance
        let outcome = s.apply(ClinicEvent(at: 5, .arrive(Fixture.request("C"))))
        #expect(outcome.refusal?.contains("C") == true)
        #expect(s.instance == before)
        #expect(s.apply(ClinicEvent(at: 5, .arrive(Fixture.request("N1")))).isApplied)
        #expect(s.waitingList.contains { $0.id == "N1" })
    }

    @Test func anArrivalOfAnUnknownTypeNamesTheField() throws {
        var s = try state()
        var bad = Fixture.request("N2")
        bad.type = "x-ray"
        let outcome = s.apply(ClinicEvent(at: 5, .arrive(bad)))
        #expect(outcome.refusal?.contains("x-ray") == true, "\(outcome.refusal ?? "")")
    }

    @Test func theClockNeverGoesBack() throws {
        var s = try state()
        #expect(s.apply(ClinicEvent(at: 100, .book(request: "C"))).isApplied)
        let before = s.instance
        #expect(s.apply(ClinicEvent(at: 99, .book(request: "D"))).refusal?.contains("goes back") == true)
        #expect(s.instance == before && s.now == 100)
    }

    @Test func noNewBookingStartsBeforeTheClock() throws {
        var s = try state()
        let early = Placement(request: "C", providers: ["DR2"], room: "EX2", start: 480)
        #expect(s.apply(ClinicEvent(at: 500, .place(early))).refusal == "request C: start minute 480 is before the decision time (minute 500)")
        let booked = s.apply(ClinicEvent(at: 500, .book(request: "C")))
        #expect(try #require(booked.booked.first).start >= 500)
    }

    @Test func aBlockDisplacesAndTheRepairMovesTheBooking() throws {
        var s = try state()
        let outcome = s.apply(ClinicEvent(at: 10, .block(provider: "DR1", span: TimeSpan(start: 480, end: 510), reason: "sick", repair: true)))
        #expect(outcome.displaced.map(\.request) == ["A"])
        #expect(outcome.displaced.first?.reason.contains("DR1") == true)
        let moved = try #require(outcome.repaired.first)
        #expect(moved.request == "A" && !moved.to.visitOverlaps(TimeSpan(start: 480, end: 510)) || moved.to.providers != ["DR1"])
        #expect(outcome.waiting.isEmpty)
        #expect(s.booking(of: "A") == moved.to)
        Living.expectConsistent(s, "after the block")
    }

    @Test func aBlockWithoutRepairSendsTheBookingBackToTheWaitingList() throws {
        var s = try state()
        let outcome = s.apply(ClinicEvent(at: 10, .block(provider: "DR1", span: TimeSpan(start: 480, end: 510), reason: nil, repair: false)))
        #expect(outcome.displaced.map(\.request) == ["A"] && outcome.waiting == ["A"] && outcome.moved.isEmpty)
        #expect(s.booking(of: "A") == nil)
    }

    @Test func closingARoomMovesTheVisitToAnotherRoomAtTheSameTime() throws {
        var s = try state()
        let outcome = s.apply(ClinicEvent(at: 10, .closeRoom(room: "EX1", span: TimeSpan(start: 530, end: 580), repair: true)))
        #expect(outcome.displaced.map(\.request) == ["B"])
        let moved = try #require(outcome.repaired.first)
        #expect(moved.to == Placement(request: "B", providers: ["DR1"], room: "EX2", start: 540))
        // A change of room alone: the confirmed visit stays confirmed, and the journal says so.
        #expect(s.instance.requests.first { $0.id == "B" }?.current?.status == .confirmed)
        #expect(outcome.journalEvents.last == ClinicEvent(at: 10, .confirm(request: "B")))
        Living.expectConsistent(s, "after closing EX1")
    }

    @Test func aHoldDisplacesTheBookingsItDoesNotAdmit() throws {
        var s = try state()
        let hold = Hold(id: "URGENT-1", provider: "DR1", span: TimeSpan(start: 540, end: 570), priorities: [.urgent])
        let outcome = s.apply(ClinicEvent(at: 10, .hold(hold, repair: true)))
        #expect(outcome.displaced.map(\.request) == ["B"])
        #expect(s.booking(of: "B").map { $0.providers != ["DR1"] || !TimeSpan(start: $0.start, end: $0.start + 30).overlaps(hold.span) } ?? true)
        #expect(s.apply(ClinicEvent(at: 11, .hold(hold, repair: true))).refusal?.contains("in use") == true)
        // An urgent request may use the held time; a routine one may not until the release.
        let urgent = s.apply(ClinicEvent(at: 12, .place(Placement(request: "D", providers: ["DR1"], room: "EX1", start: 540))))
        #expect(urgent.isApplied, "\(urgent.refusal ?? "")")
        Living.expectConsistent(s, "after the hold")
    }

    @Test func aPendingAuthorizationSendsTheBookingBackToTheWaitingList() throws {
        var s = try state()
        let outcome = s.apply(ClinicEvent(at: 10, .authorize(request: "A", Authorization(status: .pending), repair: true)))
        #expect(outcome.displaced.map(\.request) == ["A"] && outcome.waiting == ["A"])
        #expect(s.apply(ClinicEvent(at: 11, .book(request: "A"))).refusal
                == "no offer for request A: the request's authorization is not approved, or does not cover the time")
        #expect(s.apply(ClinicEvent(at: 12, .authorize(request: "A", Authorization(status: .approved), repair: true))).isApplied)
        #expect(s.apply(ClinicEvent(at: 13, .book(request: "A"))).isApplied)
    }

    @Test func aCancellationTakesTheGroupAndTheSeriesAlong() throws {
        var s = try state()
        #expect(s.apply(ClinicEvent(at: 10, .cancel(request: "G2"))).cancelled == ["G1", "G2"])
        #expect(s.apply(ClinicEvent(at: 11, .cancel(request: "S1"))).cancelled == ["S1", "S2"])
        #expect(s.apply(ClinicEvent(at: 12, .cancel(request: "S2"))).refusal?.contains("unknown") == true)
        #expect(Set(s.instance.requests.map(\.id)) == ["A", "B", "C", "D"])
        Living.expectConsistent(s, "after the cancellations")
    }

    @Test func unbookingReturnsTheRequestAndItsBookedSuccessorsToTheWaitingList() throws {
        var s = try state()
        let outcome = s.apply(ClinicEvent(at: 10, .unbook(request: "S1")))
        #expect(outcome.waiting == ["S1", "S2"])
        #expect(s.instance.requests.count == 8 && s.booking(of: "S2") == nil)
    }

    @Test func unblockAndReleaseNeedAMatch() throws {
        var s = try state()
        let span = TimeSpan(start: 700, end: 720)
        #expect(s.apply(ClinicEvent(at: 1, .unblock(provider: "DR1", span: span))).refusal == "provider DR1 has no block with exactly these bounds")
        #expect(s.apply(ClinicEvent(at: 2, .block(provider: "DR1", span: span, reason: "admin", repair: true))).isApplied)
        #expect(s.apply(ClinicEvent(at: 3, .unblock(provider: "DR1", span: TimeSpan(start: 700, end: 715)))).refusal
                == "provider DR1 has no block with exactly these bounds")
        #expect(s.apply(ClinicEvent(at: 4, .unblock(provider: "DR1", span: span))).isApplied)
        #expect(s.instance.providers[0].blocks.isEmpty)
        #expect(s.apply(ClinicEvent(at: 5, .releaseHold(id: "NONE"))).refusal == "no hold NONE")
    }

    @Test func fillBooksTheWaitingListUrgentFirstAndMatchesItsProposal() throws {
        var s = try state()
        let proposal = s.proposeFill()
        let outcome = s.apply(ClinicEvent(at: 10, .fill))
        #expect(outcome.booked == proposal)
        #expect(outcome.booked.first?.request == "D")
        #expect(Set(outcome.booked.map(\.request)) == ["C", "D", "G1", "G2"])
        #expect(s.waitingList.isEmpty)
        Living.expectConsistent(s, "after fill")
    }

    @Test func placeBooksExactlyOrIsRefused() throws {
        var s = try state()
        let taken = Placement(request: "C", providers: ["DR1"], room: "EX1", start: 540)
        #expect(s.apply(ClinicEvent(at: 1, .place(taken))).refusal == "provider DR1 is taken during [540, 570)")  // B's visit
        let free = Placement(request: "C", providers: ["DR2"], room: "EX2", start: 480)
        #expect(s.apply(ClinicEvent(at: 1, .place(free))).booked == [free])
        let moved = Placement(request: "C", providers: ["DR2"], room: "EX1", start: 510)
        let outcome = s.apply(ClinicEvent(at: 2, .place(moved)))
        #expect(outcome.moved == [Move(request: "C", from: free, to: moved)])
    }

    @Test func aGroupIsPlacedWholeFromItsMembersLines() throws {
        var s = try state()
        let g1 = Placement(request: "G1", providers: ["DR2"], room: "EX2", start: 480)
        let g2 = Placement(request: "G2", providers: ["DR1"], room: "EX1", start: 480)
        #expect(s.apply(ClinicEvent(at: 1, .place(g1))).isApplied)
        #expect(s.booking(of: "G1") == nil)  // staged until the whole group has a place
        #expect(s.apply(ClinicEvent(at: 1, .place(g2))).refusal == "provider DR1 is taken during [480, 510)")  // A holds DR1 at 08:00
        let g2b = Placement(request: "G2", providers: ["DR1"], room: "EX1", start: 600)
        #expect(s.apply(ClinicEvent(at: 2, .place(Placement(request: "G1", providers: ["DR2"], room: "EX2", start: 480)))).isApplied)
        #expect(s.apply(ClinicEvent(at: 2, .place(g2b))).refusal == "request G1: group FAMILY must start together")  // not the same start
        let g1c = Placement(request: "G1", providers: ["DR2"], room: "EX2", start: 720 - 30 - 60)
        let g2c = Placement(request: "G2", providers: ["DR1"], room: "EX1", start: 720 - 30 - 60)
        #expect(s.apply(ClinicEvent(at: 3, .place(g1c))).isApplied)
        #expect(s.apply(ClinicEvent(at: 3, .place(g2c))).booked == [g1c, g2c])
        Living.expectConsistent(s, "after placing the group")
    }

    @Test func aDeskFromAnInvalidInstanceThrowsWithTheCheckersIssues() throws {
        var instance = Fixture.clinic()
        instance.requests[2].type = "x-ray"
        #expect(throws: DeskError.self) { try ClinicState(instance) }
        do { _ = try ClinicDesk(instance) } catch { #expect(error.description.contains("x-ray") && error.description.contains("C")) }
    }
}

extension Placement {
    /// Whether this placement's 30-minute visit overlaps `span` (the fixture's in-person visits).
    func visitOverlaps(_ span: TimeSpan) -> Bool { TimeSpan(start: start, end: start + 30).overlaps(span) }
}
