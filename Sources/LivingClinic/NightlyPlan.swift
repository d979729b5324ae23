import AppointmentModel
import RealTimeBooking

/// A nightly plan compared with the snapshot it was made from: who moves from when to when, who
/// is newly booked.
public struct PlanDiff: Sendable, Hashable {
    /// Bookings of the snapshot that the plan puts elsewhere (a change of room alone included).
    public var moved: [Move] = []
    /// Requests unbooked in the snapshot that the plan books.
    public var newlyBooked: [Placement] = []

    /// An empty diff.
    public init() {}

    /// The diff of `plan` against the bookings of `base` (the snapshot the plan started from).
    /// A change of room alone counts as a move (the room's calendar changes).
    public init(plan: Solution, from base: Instance) {
        var current: [String: Placement] = [:]
        for r in base.requests {
            if let c = r.current { current[r.id] = Placement(request: r.id, providers: c.providers, room: c.room, start: c.start) }
        }
        for a in plan.assignments {
            if let before = current[a.request] {
                if before != a { moved.append(Move(request: a.request, from: before, to: a)) }
            } else {
                newlyBooked.append(a)
            }
        }
    }

    /// Whether nothing moves and nothing is newly booked.
    public var isEmpty: Bool { moved.isEmpty && newlyBooked.isEmpty }
}

/// What applying a plan to the desk did.
public struct PlanOutcome: Sendable, Hashable {
    /// The part of the plan that was applied.
    public var applied = PlanDiff()
    /// Requests of the plan left as they are, each with its reason.
    public var skipped: [Skip] = []
    /// The changes made, in order, as event lines (`unbook` and `place`), for the journal.
    public var events: [ClinicEvent] = []

    /// A request of the plan left as it is.
    public struct Skip: Sendable, Hashable {
        /// The request's id.
        public var request: String
        /// Why it was left: cancelled or changed at the desk since the snapshot, its group not placed
        /// whole by the plan, or the rule its planned place now breaks.
        public var reason: String
    }
}

extension ClinicState {
    /// Applies a nightly plan made from the snapshot `base` to this state, which may have changed
    /// since: what still fits is applied (a group all or nothing), the rest is skipped with its
    /// reason. A request skips when it was cancelled, or booked, moved or unbooked at the desk
    /// since the snapshot, or when its planned place is no longer free or lies before the clock.
    ///
    /// The moves are made by lifting every moving booking out, then placing each where the plan
    /// says (so that two bookings can trade places); one that no longer fits goes back where it
    /// was. When that is impossible (its old place was taken by another move), the plan is
    /// applied move by move instead, in passes, each move only into free time.
    ///
    /// - Complexity: O(k) changes for k planned changes, each an engine operation, and a copy of
    ///   the state per unit placed (to try it).
    public mutating func applyPlan(_ plan: Solution, from base: Instance, at: Int? = nil) -> PlanOutcome {
        let at = max(at ?? now, now)
        let diff = PlanDiff(plan: plan, from: base)
        var outcome = PlanOutcome()
        let baseCurrent = Dictionary(base.requests.compactMap { r in r.current.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
        // Units of planned changes, a group whole: every member goes where the plan puts it.
        let planned = Dictionary(plan.assignments.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        var target: [String: Placement] = [:]
        for m in diff.moved { target[m.request] = m.to }
        for p in diff.newlyBooked { target[p.request] = p }
        let changed = target
        var units: [[String]] = []
        var seen = Set<String>()
        for id in engine.instance.requests.map(\.id) + changed.keys.sorted() where changed[id] != nil && !seen.contains(id) {
            let members = unit(of: id)
            seen.formUnion(members)
            units.append(members)
            for m in members where target[m] == nil { target[m] = planned[m] }
        }
        var eligible: [[String]] = []
        for members in units {
            var why: String?
            for m in members {
                guard let r = requestIndex(m) else { why = "request \(m) was cancelled since the snapshot"; break }
                let now = engine.instance.requests[r].current
                let then = baseCurrent[m]
                if now?.start != then?.start || now?.providers != then?.providers || now?.room != then?.room {
                    why = "request \(m) was changed at the desk since the snapshot"
                    break
                }
                if target[m] == nil { why = "the plan does not place every member of \(m)'s group"; break }
            }
            if let why {
                outcome.skipped += members.map { PlanOutcome.Skip(request: $0, reason: why) }
            } else {
                eligible.append(members)
            }
        }
        var trial = self
        if let result = trial.liftThenPlace(eligible, target: target, at: at) {
            self = trial
            outcome.events = result.events
            outcome.skipped += result.skipped
        } else {
            let result = placeInPasses(eligible, target: target, at: at)
            outcome.events = result.events
            outcome.skipped += result.skipped
        }
        let applied = Set(outcome.events.compactMap { e -> String? in if case .place(let p) = e.change { p.request } else { nil } })
        outcome.applied.moved = diff.moved.filter { applied.contains($0.request) && booking(of: $0.request) == $0.to }
        outcome.applied.newlyBooked = diff.newlyBooked.filter { applied.contains($0.request) && booking(of: $0.request) == $0 }
        return outcome
    }

    /// Lifts every booked unit out, then places each unit; a unit that does not fit goes back
    /// where it was. Nil when one cannot go back (the caller then moves in passes).
    private mutating func liftThenPlace(_ units: [[String]], target: [String: Placement], at: Int)
        -> (events: [ClinicEvent], skipped: [PlanOutcome.Skip])? {
        var events: [ClinicEvent] = []
        var skipped: [PlanOutcome.Skip] = []
        var old: [String: Placement] = [:]
        for r in engine.instance.requests.indices { if let p = placement(r) { old[p.request] = p } }
        for members in units where members.allSatisfy({ requestIndex($0).flatMap(placement) != nil }) {
            let outcome = apply(ClinicEvent(at: at, .unbook(request: members[0])))
            guard outcome.isApplied else { return nil }
            events += outcome.journalEvents
            // A series member lifted with its predecessor but not in the plan: move in passes instead.
            if outcome.waiting.contains(where: { target[$0] == nil }) { return nil }
        }
        for members in units {
            if let why = place(members, members.map { target[$0]! }, at: at, &events) {
                let back = members.compactMap { old[$0] }
                if back.count == members.count, place(members, back, at: at, &events) != nil { return nil }
                skipped += members.map { PlanOutcome.Skip(request: $0, reason: why) }
            }
        }
        return (events, skipped)
    }

    /// Moves or books unit by unit into free time, in passes until nothing more fits.
    private mutating func placeInPasses(_ units: [[String]], target: [String: Placement], at: Int)
        -> (events: [ClinicEvent], skipped: [PlanOutcome.Skip]) {
        var events: [ClinicEvent] = []
        var pending = units
        var last: [String: String] = [:]
        while true {
            var next: [[String]] = []
            for members in pending {
                if let why = place(members, members.map { target[$0]! }, at: at, &events) {
                    next.append(members)
                    last[members[0]] = why
                }
            }
            if next.count == pending.count { break }
            pending = next
        }
        return (events, pending.flatMap { members in members.map { PlanOutcome.Skip(request: $0, reason: last[members[0]] ?? "does not fit") } })
    }

    /// Places a unit (one `place` line per member); nil on success, else why.
    private mutating func place(_ members: [String], _ placements: [Placement], at: Int, _ events: inout [ClinicEvent]) -> String? {
        var trial = self
        var lines: [ClinicEvent] = []
        for p in placements {
            let outcome = trial.apply(ClinicEvent(at: at, .place(p)))
            if let why = outcome.refusal { return why }
            lines += outcome.journalEvents
        }
        self = trial
        events += lines
        return nil
    }
}
