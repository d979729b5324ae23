import AppointmentModel
import Foundation
import Testing
import TestSupport

/// The instance checker on format-2 problems, each against `referee.py --check-instance`: both
/// find the instance invalid, and ours names the field and the id.
@Suite struct Version2CheckerTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var expected: String
        var change: @Sendable (inout Instance) throws -> Void
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a hold of an unknown provider", expected: "unknown provider \"DR-NOBODY\"") { $0.holds[0].provider = "DR-NOBODY" },
        Case(name: "a hold for nobody", expected: "priorities is empty") { $0.holds[0].priorities = [] },
        Case(name: "a hold released after it ends", expected: "releaseMinutesBefore") { $0.holds[0].releaseMinutesBefore = -30 },
        Case(name: "a reversed hold", expected: "end is not after start") { $0.holds[0].span = TimeSpan(start: $0.holds[0].span.end, end: $0.holds[0].span.start) },
        Case(name: "two holds with one id", expected: "not unique among holds") { $0.holds.append($0.holds[0]) },
        Case(name: "an authorization that ends before it begins", expected: "validUntil is not after validFrom") { i in
            let r = try #require(i.requests.firstIndex { $0.authorization != nil })
            i.requests[r].authorization?.validFrom = i.horizon.start + 600
            i.requests[r].authorization?.validUntil = i.horizon.start + 60
        },
        Case(name: "a reminder at zero minutes", expected: "reminderMinutesBefore[0]") { $0.appointmentTypes[0].reminderMinutesBefore = [0] },
        Case(name: "an existing booking whose authorization is pending", expected: "not-authorized") { i in
            let r = try #require(i.requests.firstIndex { $0.current != nil })
            i.requests[r].authorization = Authorization(status: .pending)
        },
        Case(name: "an existing booking in a hold not yet released", expected: "held") { i in
            let r = try #require(i.requests.firstIndex { $0.current != nil && $0.priority == .routine })
            let c = try #require(i.requests[r].current)
            i.holds.append(Hold(id: "TEST-HOLD", provider: c.providers[0], span: TimeSpan(start: c.start, end: c.start + 5),
                                priorities: [.urgent], releaseMinutesBefore: 0))
            i.asOf = i.horizon.start - 24 * 60
        },
    ]

    @Test(arguments: cases)
    func aFormatTwoProblemIsAnErrorForBothCheckers(_ c: Case) throws {
        var instance = try SharedFiles.instance("v2-small-01")
        try c.change(&instance)
        let errors = InstanceChecker.errors(in: instance).map(\.description)
        #expect(errors.contains { $0.contains(c.expected) }, "\(c.name): \(errors)")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("v2-check-\(UUID().uuidString).json")
        try Data(ExchangeFormat.write(instance).utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let referee = try Referee.checkInstance(url)
        #expect(!referee.valid, "\(c.name): the referee accepts it")
    }

    /// Version-2 fields in a version-1 document are not read: both checkers accept it as it was.
    @Test func aVersionOneDocumentIgnoresVersionTwoFields() throws {
        let text = try String(contentsOf: SharedFiles.instanceURL("v2-small-01"), encoding: .utf8)
            .replacingOccurrences(of: "\"clinic-schedule/2\"", with: "\"clinic-schedule/1\"")
        let instance = try ExchangeFormat.readInstance(Array(text.utf8))
        #expect(instance.formatVersion == 1 && instance.holds.isEmpty && instance.asOf == nil)
        #expect(instance.requests.allSatisfy { $0.authorization == nil })
        #expect(InstanceChecker.errors(in: instance).isEmpty)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("v1-of-v2-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Referee.checkInstance(url).valid)
    }
}
