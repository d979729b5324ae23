import AppointmentModel
import Foundation
import LivingClinic
import Testing
import TestSupport

/// The shared event streams run on the desk: the end state passes the referee's instance check,
/// nothing is lost, and the journal restores the same state.
@Suite struct EventStreamTests {
    @Test(arguments: SharedFiles.eventStreamNames)
    func aDayEndsInAValidStateWithNothingLost(name: String) throws {
        let start = try SharedFiles.instance(name)
        let events = try Living.events(name, instance: start)
        let desk = try ClinicDesk(start)
        var cancelled = Set<String>()
        var arrived: [String] = []
        var applied = 0
        for event in events {
            let outcome = desk.apply(event)
            if case .arrive(let r) = event.change, outcome.isApplied { arrived.append(r.id) }
            cancelled.formUnion(outcome.cancelled)
            if outcome.isApplied { applied += 1 }
            // Every displaced booking is repaired or waits again: nothing is lost.
            for d in outcome.displaced {
                #expect(outcome.moved.contains { $0.request == d.request } || outcome.waiting.contains(d.request), "\(name): \(d.request) lost")
            }
        }
        #expect(applied > events.count / 2, "\(name): \(applied) of \(events.count) lines applied")
        let last = try #require(events.last)
        desk.advanceClock(to: last.at)
        let end = desk.snapshot().instance
        #expect(end.asOf == last.at)
        let url = try Living.write(end, "end-\(name)")
        defer { try? FileManager.default.removeItem(at: url) }
        let check = try Referee.checkInstance(url)
        #expect(check.valid, "\(name): \(check.errors.prefix(3))")
        let present = Set(end.requests.map(\.id))
        for id in start.requests.map(\.id) + arrived where !cancelled.contains(id) {
            #expect(present.contains(id), "\(name): \(id) is missing from the end state")
        }
        #expect(present.isDisjoint(with: cancelled))
        let bookedAtStart = Set(start.requests.filter { $0.current != nil }.map(\.id))
        #expect(end.requests.contains { $0.current != nil && !bookedAtStart.contains($0.id) }, "\(name): the day booked something")
        // Restoring the start and the journal gives the same state.
        let restored = try ClinicState(restoring: start, journal: desk.journal().map(\.event))
        #expect(restored.instance.requests == desk.state.instance.requests, "\(name): requests after restoring")
        #expect(restored.instance.providers == end.providers && restored.instance.rooms == end.rooms && restored.instance.holds == end.holds)
    }

    /// The journal is written and read back as event lines: each line reads as the event it was.
    @Test func journalLinesReadBackAsTheSameEvents() throws {
        let start = try SharedFiles.instance("v2-small-01")
        let desk = try ClinicDesk(start)
        for event in try Living.events("v2-small-01", instance: start) { desk.apply(event) }
        let journal = desk.journal()
        #expect(journal.count > 50)
        #expect(journal.map(\.sequence) == Array(1...journal.count))
        for entry in journal {
            let line = entry.line(for: start)
            #expect(!line.contains("\n"))
            let again = try ClinicEvent.read(line: Array(line.utf8), instance: start)
            #expect(again == entry.event, "\(line)")
        }
    }

    /// A line that cannot be read is reported with its field, and names the id involved.
    @Test func aMalformedLineNamesItsField() throws {
        let start = try SharedFiles.instance("v2-tiny-01")
        #expect(throws: FormatError.self) { try ClinicEvent.read(line: Array(#"{"at": "2027-01-16T09:00:00-05:00", "op": "jump"}"#.utf8), instance: start) }
        do {
            _ = try ClinicEvent.read(line: Array(#"{"at": "2027-01-16T09:00:00-05:00", "op": "block", "provider": "PRV-001", "start": "2027-01-16T10:00:00-05:00"}"#.utf8), instance: start)
            Issue.record("a block without an end was read")
        } catch {
            #expect(error.description.contains("end") && error.description.contains("PRV-001"), "\(error)")
        }
    }
}
