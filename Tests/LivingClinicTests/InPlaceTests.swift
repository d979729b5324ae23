import AppointmentModel
import LivingClinic
import Testing
import TestSupport

/// A desk changes its state in place: once it owns its arrays, a change that touches one request
/// does not copy the instance's list of requests.
@Suite struct InPlaceTests {
    @Test func aConfirmationDoesNotCopyTheRequests() throws {
        var state = try ClinicState(try SharedFiles.instance("v2-small-01"))
        let booked = state.instance.requests.filter { $0.current != nil }.map(\.id)
        let at = state.now
        _ = state.apply(ClinicEvent(at: at, .confirm(request: booked[0])))
        let before = state.engine.instance.requests.withUnsafeBufferPointer { $0.baseAddress }
        let indexBefore = state.engine.index.instance.requests.withUnsafeBufferPointer { $0.baseAddress }
        _ = state.apply(ClinicEvent(at: at, .confirm(request: booked[1])))
        #expect(state.engine.instance.requests.withUnsafeBufferPointer { $0.baseAddress } == before)
        #expect(state.engine.index.instance.requests.withUnsafeBufferPointer { $0.baseAddress } == indexBefore)
    }
}
