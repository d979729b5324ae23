@testable import AppointmentModel
import Testing
import TestSupport

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0),
        ("2026-12-07T08:00:00-05:00", 1_796_648_400),
        ("2026-12-07T13:00:00Z", 1_796_648_400),
        ("2026-12-07T14:00:00+01:00", 1_796_648_400),
        ("2026-12-07t13:00:00.000z", 1_796_648_400),
        ("2024-02-29T23:59:59+00:00", 1_709_251_199),
        ("1969-12-31T23:59:00Z", -60),
    ])
    func parsesInstantsWithAnyOffset(text: String, unix: Int) throws {
        #expect(try RFC3339.parseUnixSeconds(text) == unix)
    }

    @Test(arguments: [
        "2026-12-07T08:00:00", "2026-12-07 08:00:00Z", "2026-13-07T08:00:00Z", "2026-02-29T08:00:00Z",
        "2026-12-07T24:00:00Z", "2026-12-07T08:00:00+5:00", "2026-12-07T08:00Z", "", "tomorrow",
        "2026-12-07T08:00:00.5Z", "2026-12-07T08:00:00-05:00 ",
    ])
    func rejectsWhatIsNotAnInstant(text: String) {
        #expect(throws: RFC3339.ParseError.self) { try RFC3339.parseUnixSeconds(text) }
    }

    @Test func sayWhyFractionalSecondsAreRefused() {
        #expect(throws: RFC3339.ParseError.subSecond("2026-12-07T08:00:00.5Z")) {
            try RFC3339.parseUnixSeconds("2026-12-07T08:00:00.5Z")
        }
    }

    @Test func formatsInTheGivenOffset() {
        #expect(RFC3339.format(unixSeconds: 1_796_648_400, offsetSeconds: -5 * 3600) == "2026-12-07T08:00:00-05:00")
        #expect(RFC3339.format(unixSeconds: 1_796_648_400, offsetSeconds: 0) == "2026-12-07T13:00:00Z")
        #expect(RFC3339.format(unixSeconds: 1_796_648_400, offsetSeconds: 5 * 3600 + 1800) == "2026-12-07T18:30:00+05:30")
    }

    @Test func roundTripsSeededRandomInstants() throws {
        var rng = SplitMix64(seed: 20261129)
        for _ in 0..<2000 {
            let unix = Int(rng.next() % 4_000_000_000) - 1_000_000_000
            let offset = (Int(rng.next() % 109) - 48) * 900  // −12:00 … +15:00 in quarter hours
            let text = RFC3339.format(unixSeconds: unix, offsetSeconds: offset)
            #expect(try RFC3339.parseUnixSeconds(text) == unix, "\(text)")
        }
    }

    @Test func zoneOffsetsFollowDaylightSaving() throws {
        let zones = ZoneOffsets(locations: [Location(id: "NY", timeZone: "America/New_York")])
        let beforeChange = try RFC3339.parseUnixSeconds("2027-03-13T12:00:00Z")
        let afterChange = try RFC3339.parseUnixSeconds("2027-03-15T12:00:00Z")
        #expect(zones.offsetSeconds(location: "NY", unixSeconds: beforeChange) == -5 * 3600)
        #expect(zones.offsetSeconds(location: "NY", unixSeconds: afterChange) == -4 * 3600)
        #expect(zones.offsetSeconds(location: "nowhere", unixSeconds: afterChange) == 0)
    }
}
