@testable import AppointmentModel
import Foundation
import Testing
import TestSupport

@Suite struct ExchangeFormatTests {
    @Test(arguments: SharedFiles.instanceNames)
    func readsEveryPublicInstanceAndFindsNoError(name: String) throws {
        let instance = try SharedFiles.instance(name)
        #expect(instance.name == name)
        #expect(!instance.requests.isEmpty)
        #expect(InstanceChecker.errors(in: instance).isEmpty)
    }

    @Test(arguments: SharedFiles.instanceNames)
    func writingThenReadingGivesAnEqualModel(name: String) throws {
        let instance = try SharedFiles.instance(name)
        let text = ExchangeFormat.write(instance)
        let again = try ExchangeFormat.readInstance(Array(text.utf8))
        #expect(again == instance)
    }

    /// medium-02-dst spans a daylight-saving change: instants are written in the offset that the
    /// location has at that instant, and they mean the same absolute time as in the file.
    @Test func writesEachInstantInItsLocationsOffsetAcrossDaylightSaving() throws {
        let instance = try SharedFiles.instance("medium-02-dst")
        let text = ExchangeFormat.write(instance)
        guard case .object(let top) = try JSONParser.parse(Array(text.utf8)),
              case .array(let providers)? = top["providers"] else { Issue.record("no providers"); return }
        var offsets = Set<String>()
        for case .object(let p) in providers {
            guard case .array(let shifts)? = p["shifts"] else { continue }
            for case .object(let s) in shifts {
                if case .string(let start)? = s["start"] { offsets.insert(String(start.suffix(6))) }
            }
        }
        let zones = Set(instance.locations.map(\.timeZone))
        #expect(offsets.count >= 2, "offsets seen: \(offsets.sorted()) for zones \(zones.sorted())")
        // Every written offset is the zone's true offset at that instant.
        let zoneOffsets = ZoneOffsets(locations: instance.locations)
        for p in instance.providers {
            for s in p.shifts {
                let unix = instance.timeline.unixSeconds(minute: s.span.start)
                let expected = RFC3339.format(unixSeconds: unix, offsetSeconds: zoneOffsets.offsetSeconds(location: s.location, unixSeconds: unix))
                #expect(text.contains("\"start\": \"\(expected)\""))
            }
        }
    }

    @Test func readsOtherOffsetsForTheSameInstant() throws {
        let url = SharedFiles.sample("riverside-clinic")
        let original = try ExchangeFormat.readInstance(contentsOf: url)
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "\"2027-03-01T00:00:00-05:00\"", with: "\"2027-03-01T05:00:00Z\"")
        #expect(try ExchangeFormat.readInstance(Array(text.utf8)) == original)
    }

    /// Equal lists of ids share one array (the reader keys them by their JSON text); a list
    /// spelled with an escape is read on its own and means the same.
    @Test func equalIDListsShareOneArray() throws {
        var text = try String(contentsOf: SharedFiles.instanceURL("tiny-01"), encoding: .utf8)
        let plain = "\"preferredProviders\":[\"PRV-001\"]"
        let escaped = "\"preferredProviders\":[\"PRV-\\u0030\\u00301\"]"
        let first = try #require(text.range(of: plain))
        text.replaceSubrange(first, with: escaped)
        let instance = try ExchangeFormat.readInstance(Array(text.utf8))
        // R0001, R0005 and R0007 prefer PRV-001; R0001's list comes first and is the escaped one.
        let lists = instance.requests.compactMap(\.preferredProviders).filter { $0 == ["PRV-001"] }
        #expect(lists.count == 3)
        let storage = lists.map { $0.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
        // The escaped spelling (the first list) has storage of its own; the plain ones share one.
        #expect(storage[0] != storage[1])
        #expect(Set(storage.dropFirst()).count == 1)
    }

    @Test func solutionsRoundTrip() throws {
        let instance = try SharedFiles.instance("small-02")
        let base = Solution.baseline(of: instance)
        let text = ExchangeFormat.write(base, for: instance)
        #expect(try ExchangeFormat.readSolution(Array(text.utf8), for: instance) == base)
    }

    @Test func reportsEveryStructuralProblemWithItsPathAndID() throws {
        let text = """
        {"format": "clinic-schedule/1", "name": "broken", "granularityMinutes": 5,
         "horizon": {"start": "2027-01-04T00:00:00-05:00", "end": "2027-01-05T00:00:00-05:00"},
         "locations": [{"id": "L1", "timeZone": "America/New_York"}],
         "rooms": [{"id": "R1", "location": "L1", "kinds": "exam"}],
         "providers": [{"id": "P1", "skills": ["x"], "shifts": [{"location": "L1", "start": "9am", "end": "2027-01-04T17:00:00-05:00"}]}],
         "appointmentTypes": [{"id": "T1", "roles": [{"skills": ["x"]}], "roomKinds": ["exam"]}],
         "requests": [{"id": "R0018", "patient": "PT-1", "type": "T1", "priority": "whenever",
                       "earliest": "2027-01-04T08:00:00-05:00", "latest": "2027-01-04T08:00:30-05:00", "arrival": "2027-01-01T08:00:00-05:00"}],
         "objective": {"unscheduledPenalty": {"urgent": 1, "soon": 1, "routine": 1}, "idleMinuteCost": 1,
                       "leadCostPerDay": {"urgent": 1, "soon": 1, "routine": 1}, "preferenceMissCost": 1,
                       "moveCost": {"confirmed": 1, "tentative": "a lot"}}}
        """
        do {
            _ = try ExchangeFormat.readInstance(Array(text.utf8))
            Issue.record("accepted a broken instance")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix("rooms[0] (R1).kinds:") })
            #expect(lines.contains { $0.hasPrefix("providers[0] (P1).shifts[0].start:") && $0.contains("RFC 3339") })
            #expect(lines.contains { $0.hasPrefix("appointmentTypes[0] (T1).durationMinutes: missing") })
            #expect(lines.contains { $0.hasPrefix("requests[0] (R0018).priority:") && $0.contains("\"whenever\"") })
            #expect(lines.contains { $0.hasPrefix("requests[0] (R0018).latest:") && $0.contains("whole minute") })
            #expect(lines.contains { $0.hasPrefix("objective.moveCost.tentative:") })
            #expect(error.issues.count == 6, "\(lines)")
        }
    }

    @Test func malformedJSONIsOneIssueWithLineAndColumn() {
        #expect {
            try ExchangeFormat.readInstance(Array("{\"format\": \"clinic-schedule/1\",\n \"name\": }".utf8))
        } throws: { error in
            let e = error as? FormatError
            return e?.issues.count == 1 && e?.issues[0].message.contains("line 2") == true
        }
    }

    /// No input crashes the reader or the checker: seeded random corruptions of a real instance
    /// are either read (and then checked) or refused with a FormatError.
    @Test func survivesSeededCorruptions() throws {
        let original = try Data(contentsOf: SharedFiles.instanceURL("tiny-02"))
        var rng = SplitMix64(seed: 7)
        var refused = 0
        for _ in 0..<400 {
            var bytes = [UInt8](original)
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                default:
                    let alphabet = Array("{}[]\",:0-9aZ".utf8)
                    bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            do {
                let instance = try ExchangeFormat.readInstance(bytes)
                let issues = InstanceChecker.check(instance)
                if issues.allSatisfy({ $0.severity == .warning }) {
                    #expect(ScheduleValidator(instance).validate(.baseline(of: instance)).isValid)
                }
            } catch {
                refused += 1
                #expect(!error.issues.isEmpty)
            }
        }
        #expect(refused > 100)
    }
}
