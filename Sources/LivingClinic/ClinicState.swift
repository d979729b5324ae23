import AppointmentModel
import RealTimeBooking

/// The clinic's living state: a format-2 instance whose booked requests carry `current`, with the
/// clock (`asOf`), holds, blocks, room closings and authorizations as they are now, and a booking
/// engine kept in step with it.
///
/// Every change is a `ClinicEvent` applied whole or not at all by ``apply(_:)``, which returns
/// what it did and the journal lines that record its outcome (see `clinic-events.md`: a `book`
/// or `fill` is journaled as the `place` lines it produced, a change that displaced bookings as
/// the change with `"repair": false` followed by the repairs' `place` lines). Replaying those
/// lines on the state before the change gives the same state.
///
/// A value type: copy it to try something out. ``ClinicDesk`` shares one between tasks.
public struct ClinicState: Sendable {
    /// The booking engine, which owns the state: its instance is ``instance``, changed in place
    /// by every change.
    public internal(set) var engine: BookingEngine
    /// The state as an instance (booked requests carry `current`; `asOf` is ``now``).
    public var instance: Instance { engine.instance }
    /// The clock: no new booking starts before it.
    public var now: Int { engine.instance.decisionTime }
    /// Group placements of `place` lines waiting for the rest of their group (a group is booked
    /// or moved whole, and the spec's `place` names one request).
    var stagedGroupPlacements: [String: [Placement]] = [:]
    /// Time for the integer program of a repair (the second stage, after the greedy), on the
    /// calling thread; zero turns it off. 250 ms by default.
    public var repairBudget: Duration = .milliseconds(250)
    /// Requests in a repair's integer program, at most: the displaced ones still waiting, then
    /// the nearest bookings that may move.
    public var repairScope = 24
    /// Time for the integer program that re-chooses what `fill` books (after its greedy pass);
    /// zero keeps the greedy's choice. 250 ms by default.
    public var fillBudget: Duration = .milliseconds(250)
    /// Requests in that program, at most.
    public var fillScope = 30

    /// A state from an instance (format 1 or 2), which must pass the instance checker.
    ///
    /// - Throws: ``DeskError`` with the checker's errors, each naming its field and id.
    public init(_ instance: Instance) throws(DeskError) {
        let errors = InstanceChecker.errors(in: instance)
        guard errors.isEmpty else { throw DeskError(issues: errors.map(\.description)) }
        var living = instance
        living.formatVersion = 2
        if living.asOf == nil { living.asOf = instance.decisionTime }
        engine = BookingEngine(living)
    }

    /// A state holding the bookings of `solution` (a nightly plan, another system's schedule) on
    /// `instance`: the solution must be valid for it. Bookings that keep their start and providers
    /// keep their status; the others are tentative.
    ///
    /// - Throws: ``DeskError`` with the validator's violations or the checker's errors.
    public init(_ instance: Instance, loading solution: Solution) throws(DeskError) {
        let report = ScheduleValidator(instance).validate(solution)
        guard report.isValid else { throw DeskError(issues: report.violations.map(\.description)) }
        var next = instance
        let assigned = Dictionary(solution.assignments.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        for k in next.requests.indices {
            let old = next.requests[k].current
            guard let a = assigned[next.requests[k].id] else { next.requests[k].current = nil; continue }
            let kept = old.map { $0.start == a.start && Set($0.providers) == Set(a.providers) } ?? false
            next.requests[k].current = ExistingBooking(providers: a.providers, room: a.room, start: a.start,
                                                       status: kept ? old!.status : .tentative, pinned: kept ? old!.pinned : false)
        }
        try self.init(next)
    }

    /// A state restored from a snapshot and the journal lines written after it.
    ///
    /// - Throws: ``DeskError`` when the snapshot is invalid or a line is refused (a journal of
    ///   outcomes replays without refusals).
    public init(restoring snapshot: Instance, journal: [ClinicEvent]) throws(DeskError) {
        try self.init(snapshot)
        for (k, event) in journal.enumerated() {
            let outcome = apply(event)
            if let why = outcome.refusal { throw DeskError(issues: ["journal line \(k + 1) (\(event.change.op)): \(why)"]) }
        }
    }

    /// The state as a format-2 instance, ready to be written (`ExchangeFormat.write(_:)`).
    public func snapshot() -> Instance { instance }

    /// The schedule as a solution of ``instance`` (every booking kept).
    public func solution() -> Solution { .baseline(of: instance) }

    /// Requests waiting (not booked), in instance order.
    public var waitingList: [Request] { engine.instance.requests.filter { $0.current == nil } }

    /// The booking of request `id`.
    public func booking(of id: String) -> Placement? { engine.booking(of: id) }

    // MARK: Internals shared by the changes

    /// Index of request `id` in ``instance`` (the engine's index is built from it).
    func requestIndex(_ id: String) -> Int? { engine.index.request[id] }

    /// Sets request `r`'s `current` in the state.
    mutating func setCurrent(_ r: Int, _ current: ExistingBooking?) {
        engine.setCurrent(ofRequest: r, current)
    }

    /// Copies the engine's booking of each request in `ids` into ``instance`` as its `current`:
    /// a new or moved booking is tentative and not pinned; an unchanged one keeps its status.
    mutating func syncCurrent(_ ids: [String]) {
        for id in ids {
            guard let r = requestIndex(id) else { continue }
            let old = engine.instance.requests[r].current
            guard let b = engine.booking(of: id) else { setCurrent(r, nil); continue }
            if let old, old.start == b.start, old.providers == b.providers, old.room == b.room { continue }
            let unchanged = old.map { $0.start == b.start && Set($0.providers) == Set(b.providers) } ?? false
            setCurrent(r, ExistingBooking(providers: b.providers, room: b.room, start: b.start,
                                          status: unchanged ? old!.status : .tentative, pinned: unchanged ? old!.pinned : false))
        }
    }

    /// The members of request `id`'s group (itself when alone), as ids.
    func unit(of id: String) -> [String] {
        guard let r = requestIndex(id) else { return [id] }
        return engine.groupMembers(r).map { engine.instance.requests[$0].id }
    }

    /// The current booking of request index `r` as a placement.
    func placement(_ r: Int) -> Placement? {
        engine.instance.requests[r].current.map {
            Placement(request: engine.instance.requests[r].id, providers: $0.providers, room: $0.room, start: $0.start)
        }
    }
}
