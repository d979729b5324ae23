import AppointmentModel
import BatchOptimizer
import LivingClinic
import Testing
import TestSupport

/// Day → night → day: the nightly run starts from a desk snapshot and its plan comes back as a
/// diff, applied to whatever the desk became meanwhile.
@Suite struct DayNightDayTests {
    /// The first half of v2-small-01's day at the desk; a snapshot; a short nightly run.
    func evening() throws -> (desk: ClinicDesk, start: Instance, rest: [ClinicEvent], snapshot: Instance, plan: Solution) {
        let start = try SharedFiles.instance("v2-small-01")
        let events = try Living.events("v2-small-01", instance: start)
        let desk = try ClinicDesk(start, repairBudget: .milliseconds(50))
        for e in events.prefix(events.count / 2) { desk.apply(e) }
        let snapshot = desk.snapshot().instance
        let result = try BatchOptimizer().optimize(snapshot, parameters: OptimizerParameters(timeLimit: .seconds(3)))
        #expect(ScheduleValidator(snapshot).validate(result.solution).isValid)
        return (desk, start, Array(events.dropFirst(events.count / 2)), snapshot, result.solution)
    }

    @Test func aPlanAppliedToAnUnchangedDeskIsThePlan() throws {
        let (desk, _, _, snapshot, plan) = try evening()
        let diff = PlanDiff(plan: plan, from: snapshot)
        #expect(!diff.isEmpty, "the night changed something")
        let outcome = desk.applyPlan(plan, from: snapshot)
        #expect(outcome.skipped.isEmpty, "\(outcome.skipped.prefix(3))")
        #expect(outcome.applied == diff)
        let state = desk.state
        let booked = Set(state.solution().assignments.map { "\($0.request)@\($0.start)/\($0.providers)" })
        #expect(booked == Set(plan.assignments.map { "\($0.request)@\($0.start)/\($0.providers)" }))
        // The day's bookings were protected: every booking of the snapshot is still booked.
        for r in snapshot.requests where r.current != nil { #expect(state.booking(of: r.id) != nil, "\(r.id)") }
        let planCost = ScheduleValidator(snapshot).validate(plan).cost.total
        let stateCost = ScheduleValidator(state.instance).validate(state.solution()).cost.total
        // Kept as it is, the applied plan costs what the plan cost minus the moves it paid for.
        #expect(stateCost <= planCost + 1e-6, "\(stateCost) vs \(planCost)")
        Living.expectConsistent(state, "after the plan")
    }

    @Test func aPlanAppliedToADeskThatChangedSkipsWhatNoLongerFitsWithReasons() throws {
        let (desk, start, rest, snapshot, plan) = try evening()
        let diff = PlanDiff(plan: plan, from: snapshot)
        // Meanwhile: the rest of the day, and a cancellation of one request the plan moves or books.
        for e in rest { desk.apply(e) }
        let target = try #require(diff.moved.first?.request ?? diff.newlyBooked.first?.request)
        if desk.state.instance.requests.contains(where: { $0.id == target }) {
            #expect(desk.apply(ClinicEvent(at: desk.state.now, .cancel(request: target))).isApplied)
        }
        let outcome = desk.applyPlan(plan, from: snapshot)
        #expect(outcome.skipped.contains { $0.request == target && $0.reason.contains("cancelled") }, "\(outcome.skipped.prefix(3))")
        for skip in outcome.skipped { #expect(!skip.reason.isEmpty) }
        let state = desk.state
        for m in outcome.applied.moved { #expect(state.booking(of: m.request) == m.to) }
        for p in outcome.applied.newlyBooked { #expect(state.booking(of: p.request) == p) }
        Living.expectConsistent(state, "after the plan on a changed desk")
        // The journal restores the state, plan included.
        let restored = try ClinicDesk(restoring: start, journal: desk.journal())
        #expect(restored.state.instance.requests == state.instance.requests)
    }

    /// A plan loads into a new state as its bookings; a broken one does not.
    @Test func aPlanLoadsIntoAState() throws {
        let (_, _, _, snapshot, plan) = try evening()
        let state = try ClinicState(snapshot, loading: plan)
        for a in plan.assignments { #expect(state.booking(of: a.request) == a) }
        Living.expectConsistent(state, "loaded")
        var broken = plan
        broken.assignments.removeAll { a in snapshot.requests.contains { $0.id == a.request && $0.current != nil } }
        #expect(throws: DeskError.self) { try ClinicState(snapshot, loading: broken) }
    }
}
