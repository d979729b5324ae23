import AppointmentModel
import Foundation
import LivingClinic
import RealTimeBooking
import Testing
import TestSupport

/// Helpers shared by the living-clinic tests.
enum Living {
    /// Reads every line of a shared event stream against its instance.
    static func events(_ name: String, instance: Instance) throws -> [ClinicEvent] {
        let text = try String(contentsOf: SharedFiles.eventsURL(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in try ClinicEvent.read(line: Array(line.utf8), instance: instance) }
    }

    /// Writes an instance to a temporary file and returns its URL (the caller removes it).
    static func write(_ instance: Instance, _ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("living-\(label)-\(UUID().uuidString).json")
        try Data(ExchangeFormat.write(instance).utf8).write(to: url)
        return url
    }

    /// The state's schedule is valid (every booking kept) and every request is there exactly once.
    static func expectConsistent(_ state: ClinicState, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let report = ScheduleValidator(state.instance).validate(state.solution())
        #expect(report.isValid, "\(label): \(report.violations.prefix(3))", sourceLocation: sourceLocation)
        let ids = state.instance.requests.map(\.id)
        #expect(Set(ids).count == ids.count, "\(label): a request twice", sourceLocation: sourceLocation)
        #expect(InstanceChecker.errors(in: state.instance).isEmpty, "\(label): \(InstanceChecker.errors(in: state.instance).prefix(2))",
                sourceLocation: sourceLocation)
    }

    /// The engine changed in place equals one built anew from the state's instance: the same
    /// bookings, sessions and holds, and the same offers for the first waiting requests.
    static func expectSameAsRebuilt(_ state: ClinicState, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var live = state.engine
        var fresh = BookingEngine(state.instance)
        #expect(live.solution() == fresh.solution(), "\(label): bookings differ from a rebuilt engine", sourceLocation: sourceLocation)
        #expect(live.index.sessions == fresh.index.sessions && live.index.holdsOfProvider == fresh.index.holdsOfProvider
                && live.index.roomClass == fresh.index.roomClass && live.index.patient == fresh.index.patient,
                "\(label): the index differs from a rebuilt one", sourceLocation: sourceLocation)
        for r in state.waitingList.prefix(5) {
            #expect(live.offers(for: r.id, limit: 3) == fresh.offers(for: r.id, limit: 3), "\(label): offers for \(r.id)",
                    sourceLocation: sourceLocation)
        }
    }
}
