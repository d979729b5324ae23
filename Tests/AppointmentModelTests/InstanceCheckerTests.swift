import AppointmentModel
import Testing
import TestSupport

/// One test per instance problem: each mutation of the sample clinic must be reported as an
/// error naming the path and the id.
@Suite struct InstanceCheckerTests {
    static func clinic() throws -> Instance {
        try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
    }

    /// The errors of the sample clinic after `change`. The CLI validates a solution while the
    /// instance is checked, so every broken instance here is also validated with its existing
    /// bookings: the validator must answer (a trap would end the test run), and only a clean
    /// instance may count as valid.
    private func errors(_ change: (inout Instance) -> Void) throws -> [String] {
        var instance = try Self.clinic()
        change(&instance)
        let errors = InstanceChecker.errors(in: instance).map(\.description)
        let report = ScheduleValidator(instance).validate(.baseline(of: instance))
        #expect(report.cost.total.isFinite || !report.isValid)
        return errors
    }

    @Test func theSampleClinicIsClean() throws {
        #expect(InstanceChecker.check(try Self.clinic()).isEmpty)
    }

    @Test func unknownAppointmentType() throws {
        let e = try errors { $0.requests[6].type = "x-ray" }
        #expect(e == ["requests[6] (RQ-07).type: unknown appointment type \"x-ray\""])
    }

    @Test func danglingReferences() throws {
        let e = try errors {
            $0.rooms[0].location = "MOON"
            $0.requests[5].preferredProviders = ["DR-WHO"]
            $0.requests[11].after?.request = "RQ-99"
            $0.requests[0].current?.room = "RIV-EX9"
        }
        #expect(e.contains("rooms[0] (RIV-EX1).location: unknown location \"MOON\""))
        #expect(e.contains("requests[5] (RQ-06).preferredProviders: unknown provider \"DR-WHO\""))
        #expect(e.contains("requests[11] (RQ-12).after.request: unknown request \"RQ-99\""))
        #expect(e.contains("requests[0] (RQ-01).current.room: unknown room \"RIV-EX9\""))
    }

    @Test func duplicateIDs() throws {
        let e = try errors { $0.providers[2].id = "DR-BELL" }
        #expect(e.contains("providers[2] (DR-BELL): id \"DR-BELL\" is not unique among providers"))
    }

    @Test func overlappingShifts() throws {
        let e = try errors { $0.providers[0].shifts[1].span.start = $0.providers[0].shifts[0].span.end - 30 }
        #expect(e.contains("providers[0] (DR-ADAMS).shifts: shifts 0 and 1 overlap"))
    }

    @Test func nonPositiveDuration() throws {
        let e = try errors { $0.appointmentTypes[1].durationMinutes = 0 }
        #expect(e.contains("appointmentTypes[1] (follow-up).durationMinutes: must be positive, found 0"))
    }

    @Test func unknownTimeZone() throws {
        let e = try errors { $0.locations[0].timeZone = "Mars/Olympus_Mons" }
        #expect(e == ["locations[0] (RIV).timeZone: unknown IANA time zone \"Mars/Olympus_Mons\""])
    }

    @Test func existingBookingsThatBreakAHardRule() throws {
        // RQ-03 booked on top of RQ-01's pinned visit with the same provider and room.
        let pinned = try #require(try Self.clinic().requests[0].current)
        let e = try errors {
            $0.requests[2].current = ExistingBooking(providers: ["DR-ADAMS"], room: "RIV-EX1", start: pinned.start,
                                                     status: .tentative)
        }
        #expect(e.contains { $0.hasPrefix("requests[2] (RQ-03).current: existing bookings are not feasible: rule 6 [provider-overlap] RQ-03,RQ-01") })
    }

    @Test func inconsistentGroupsAndSeriesCycles() throws {
        let e = try errors {
            $0.requests[9].group?.mode = .sameStart
            $0.requests[10].after = SeriesLink(request: "RQ-12", minGapMinutes: 0, maxGapMinutes: 60)
        }
        #expect(e.contains { $0.hasPrefix("group FAMILY-1: members disagree on mode") })
        #expect(e.contains { $0.contains("after-chain forms a cycle") })
    }

    @Test func windowsOutsideTheHorizonAreWarned() throws {
        var instance = try Self.clinic()
        instance.requests[13].earliest = instance.horizon.end + 60
        instance.requests[13].latest = instance.horizon.end + 120
        let issues = InstanceChecker.check(instance)
        #expect(issues.contains { $0.severity == .warning && $0.id == "RQ-14" && $0.message.contains("horizon") })
    }
}
