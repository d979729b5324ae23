/// What the validator found: the broken rules and the cost with its parts.
public struct ValidationReport: Sendable, Hashable {
    /// Every broken hard rule, sorted by rule number, then by the main request's position in the instance.
    public var violations: [Violation]
    /// The cost and its parts, computed even for an invalid solution (as a best effort).
    public var cost: CostBreakdown
    /// The number of the instance's requests that the solution assigns.
    public var assigned: Int
    /// The number of requests in the instance.
    public var requests: Int

    /// Whether the solution breaks no hard rule.
    public var isValid: Bool { violations.isEmpty }
    /// The number of requests left unassigned: `requests − assigned`.
    public var unscheduled: Int { requests - assigned }
    /// The violated rules, by number.
    public var violatedRules: Set<Int> { Set(violations.map(\.rule)) }
}

/// Checks a solution against every hard rule of the spec, one named method per rule, and prices it.
///
/// The checks and their codes are those of `shared/tools/referee.py`; the agreement is tested on
/// every public instance. The instance itself should pass ``InstanceChecker`` first.
///
/// - Complexity: O(n log n) in the number of assignments.
public struct ScheduleValidator {
    /// The indexed instance that solutions are checked against.
    public let index: InstanceIndex
    private let clock: InstantWriter
    private let displayLocation: String?

    /// Creates a validator for an indexed instance.
    public init(_ index: InstanceIndex) {
        self.index = index
        clock = InstantWriter(instance: index.instance)
        displayLocation = index.instance.locations.first?.id
    }

    /// Creates a validator for `instance`, indexing it first.
    ///
    /// - Complexity: O(n log n) in the size of the instance.
    public init(_ instance: Instance) { self.init(InstanceIndex(instance)) }

    /// One assignment resolved against the instance.
    struct Placed {
        var request: Int
        var assignment: Assignment
        var type: AppointmentType
        var visit: TimeSpan
        var roomInterval: TimeSpan
        var room: Int?
        /// Provider indices in role order; nil for an unknown id.
        var providers: [Int?]
    }

    private final class Sink {
        var violations: [Violation] = []
        func add(_ rule: Int, _ check: Violation.Check, _ requests: [String], _ detail: String) {
            violations.append(Violation(rule: rule, check: check, requests: requests, detail: detail))
        }
    }

    private func t(_ minute: Int) -> String { clock.text(minute, displayLocation) }
    private func span(_ s: TimeSpan) -> String { "[\(t(s.start)), \(t(s.end)))" }

    /// Checks and prices `solution`.
    ///
    /// - Parameters:
    ///   - solution: the schedule to judge: one assignment per scheduled request.
    ///   - online: judge an online replay: a new booking is decided at its request's `arrival`
    ///     instead of the instance's `asOf` (rules 12 and 13, format 2).
    public func validate(_ solution: Solution, online: Bool = false) -> ValidationReport {
        let instance = index.instance
        let sink = Sink()
        let placed = checkDocument(solution, sink)
        var good: [Placed] = []
        good.reserveCapacity(solution.assignments.count)
        for r in placed.indices {
            guard let a = placed[r], let ti = index.requestType[r] else { continue }
            let type = instance.appointmentTypes[ti]
            let room = a.room.flatMap { index.room[$0] }
            let p = Placed(request: r, assignment: a, type: type, visit: type.visit(at: a.start),
                           roomInterval: type.roomInterval(at: a.start), room: room,
                           providers: a.providers.map { index.provider[$0] })
            checkGridAndHorizon(p, sink)
            checkWindow(p, sink)
            checkRoles(p, sink)
            checkRoom(p, sink)
            checkShiftsAndBlocks(p, sink)
            checkPatientAvailability(p, sink)
            if instance.usesVersion2Rules { checkDecisionRules(p, online: online, sink) }
            good.append(p)
        }
        checkOverlaps(good, sink)
        checkEquipment(good, sink)
        checkGroups(placed, sink)
        checkSeries(placed, sink)
        checkExistingBookings(placed, sink)
        let order = { (v: Violation) -> Int in v.requests.first.flatMap { index.request[$0] } ?? -1 }
        let violations = sink.violations.enumerated().sorted {
            ($0.element.rule, order($0.element), $0.offset) < ($1.element.rule, order($1.element), $1.offset)
        }.map(\.element)
        return ValidationReport(violations: violations, cost: CostEvaluator.cost(placed: placed, index: index),
                                assigned: placed.reduce(0) { $0 + ($1 == nil ? 0 : 1) }, requests: instance.requests.count)
    }

    // MARK: Rule 1 — the document: ids exist, every request exactly once

    /// Rule 1 on the document, and the first assignment of each request (by request index).
    private func checkDocument(_ solution: Solution, _ sink: Sink) -> [Assignment?] {
        let instance = index.instance
        if solution.declaredFormat != ExchangeFormat.solutionFormat {
            sink.add(1, .solutionFormat, [], "format is \"\(solution.declaredFormat)\", expected \"\(ExchangeFormat.solutionFormat)\"")
        }
        if solution.instance != instance.name {
            sink.add(1, .instanceName, [], "solution is for instance \"\(solution.instance)\", not \"\(instance.name)\"")
        }
        var seen = [Int](repeating: 0, count: instance.requests.count)
        var placed = [Assignment?](repeating: nil, count: instance.requests.count)
        for a in solution.assignments {
            guard let r = index.request[a.request] else {
                sink.add(1, .unknownRequest, [a.request], "assignment for unknown request \"\(a.request)\"")
                continue
            }
            seen[r] += 1
            // A start a century or more outside the horizon (only a hand-built solution has one)
            // is rule 1 and takes no further part: every span or cost computed from it would
            // overflow near Int.max.
            let century = 100 * 366 * 1440
            if a.start < instance.horizon.start - century || a.start > instance.horizon.end + century {
                sink.add(1, .outsideHorizon, [a.request], "start minute \(a.start) is far outside the horizon")
                continue
            }
            if placed[r] == nil { placed[r] = a }
        }
        for u in solution.unscheduled {
            guard let r = index.request[u.request] else {
                sink.add(1, .unknownRequest, [u.request], "unscheduled entry for unknown request \"\(u.request)\"")
                continue
            }
            seen[r] += 1
        }
        for r in seen.indices where seen[r] != 1 && index.isFirstRequest[r] {
            let id = instance.requests[r].id
            if seen[r] == 0 {
                sink.add(1, .missing, [id], "request appears neither in assignments nor in unscheduled")
            } else {
                sink.add(1, .duplicate, [id], "request appears \(seen[r]) times in the solution")
            }
        }
        return placed
    }

    // MARK: Rule 1 — on the grid, inside the horizon

    private func checkGridAndHorizon(_ p: Placed, _ sink: Sink) {
        let instance = index.instance
        let id = p.assignment.request
        if p.visit.start % instance.granularityMinutes != 0 {
            sink.add(1, .offGrid, [id], "start \(t(p.visit.start)) is not horizon.start + k x \(instance.granularityMinutes) min")
        }
        if !instance.horizon.contains(p.visit) {
            sink.add(1, .outsideHorizon, [id], "visit \(span(p.visit)) is not inside the horizon")
        } else if !instance.horizon.contains(p.roomInterval) {
            sink.add(1, .outsideHorizon, [id], "room interval \(span(p.roomInterval)) is not inside the horizon")
        }
    }

    // MARK: Rule 2 — the request's window

    private func checkWindow(_ p: Placed, _ sink: Sink) {
        // Fields are read in place: binding the request to a local would copy all of them.
        let (earliest, latest) = (index.instance.requests[p.request].earliest, index.instance.requests[p.request].latest)
        if p.visit.start < earliest || p.visit.start > latest {
            sink.add(2, .window, [p.assignment.request],
                     "start \(t(p.visit.start)) is outside [earliest \(t(earliest)), latest \(t(latest))]")
        }
    }

    // MARK: Rule 3 — one distinct, qualified, allowed provider per role

    private func checkRoles(_ p: Placed, _ sink: Sink) {
        let providers = p.assignment.providers
        let id = p.assignment.request
        for (pid, pi) in zip(providers, p.providers) where pi == nil {
            sink.add(1, .unknownProvider, [id], "unknown provider \"\(pid)\"")
        }
        if providers.count != p.type.roles.count {
            sink.add(3, .roleCount, [id], "\(providers.count) providers for \(p.type.roles.count) roles of type \(p.type.id)")
        }
        if providers.indices.contains(where: { j in providers[..<j].contains(providers[j]) }) {
            sink.add(3, .providerRepeated, [id], "a provider fills more than one role")
        }
        for (k, (pid, role)) in zip(providers, p.type.roles).enumerated() {
            guard let pi = p.providers[k] else { continue }
            let missing = role.skills.filter { !index.skills[pi].contains($0) }
            if !missing.isEmpty {
                sink.add(3, .skills, [id], "provider \(pid) lacks \(Set(missing).sorted().joined(separator: ", ")) for role \(k)")
            }
        }
        if let allowed = index.instance.requests[p.request].providers {
            for (pid, pi) in zip(providers, p.providers) where pi != nil && !allowed.contains(pid) {
                sink.add(3, .providerNotAllowed, [id], "provider \(pid) is not in the request's providers list")
            }
        }
    }

    // MARK: Rule 5 — a room of a fitting kind, at an allowed location, open for the room interval

    private func checkRoom(_ p: Placed, _ sink: Sink) {
        let instance = index.instance
        let id = p.assignment.request
        if let roomID = p.assignment.room, p.room == nil {
            sink.add(1, .unknownRoom, [id], "unknown room \"\(roomID)\"")
        }
        guard p.type.isInPerson else {
            if p.assignment.room != nil {
                sink.add(5, .roomNotNull, [id], "type \(p.type.id) has no roomKinds; room must be null")
            }
            return
        }
        guard p.assignment.room != nil else {
            sink.add(5, .roomMissing, [id], "type \(p.type.id) is in person but room is null")
            return
        }
        guard let k = p.room else { return }
        let room = instance.rooms[k]
        if !room.kinds.contains(where: p.type.roomKinds.contains) {
            sink.add(5, .roomKind, [id], "room \(room.id) (kinds \(Set(room.kinds).sorted().joined(separator: ","))) is not of a kind in \(p.type.roomKinds.joined(separator: ","))")
        }
        if let allowed = instance.requests[p.request].locations, !allowed.contains(room.location) {
            sink.add(5, .roomLocation, [id], "room \(room.id) is at \(room.location), not in the request's locations \(Set(allowed).sorted().joined(separator: ","))")
        }
        if !index.roomIsOpen(k, for: p.roomInterval) {
            sink.add(5, .roomClosed, [id], "no open interval of room \(room.id) contains the room interval \(span(p.roomInterval))")
        }
    }

    // MARK: Rule 4 — each provider on one shift covering the visit, no block, at the room's location

    private func checkShiftsAndBlocks(_ p: Placed, _ sink: Sink) {
        let instance = index.instance
        let id = p.assignment.request
        let roomLocation = p.room.map { instance.rooms[$0].location }
        for (pid, pi) in zip(p.assignment.providers, p.providers) {
            guard let pi else { continue }
            if let shift = index.shift(of: pi, containing: p.visit) {
                if p.type.isInPerson, let roomLocation, shift.location != roomLocation {
                    sink.add(4, .shiftLocation, [id], "\(pid)'s shift is at \(shift.location) but room \(p.assignment.room ?? "") is at \(roomLocation)")
                }
            } else {
                sink.add(4, .noShift, [id], "no shift of \(pid) contains the visit \(span(p.visit))")
            }
            if let block = index.block(of: pi, overlapping: p.visit) {
                sink.add(4, .blocked, [id], "\(pid) has a block \(span(block)) overlapping the visit")
            }
        }
    }

    // MARK: Rule 8 — inside the patient's availability

    private func checkPatientAvailability(_ p: Placed, _ sink: Sink) {
        if let availability = index.instance.requests[p.request].patientAvailability,
           !availability.contains(where: { $0.contains(p.visit) }) {
            sink.add(8, .availability, [p.assignment.request], "no patientAvailability interval contains the visit \(span(p.visit))")
        }
    }

    // MARK: Rules 11–13 (format 2) — authorization, holds, the past

    /// Rule 11 (the authorization), rule 13 (a new booking starts at or after its decision time)
    /// and rule 12 (no overlap with a hold that does not admit the request and is not released at
    /// the decision time). A booking that keeps its `current` is decided at `asOf`; a new one at
    /// `asOf`, or at its request's arrival when `online`.
    private func checkDecisionRules(_ p: Placed, online: Bool, _ sink: Sink) {
        let instance = index.instance
        let request = instance.requests[p.request]
        let id = p.assignment.request
        if let auth = request.authorization {
            if auth.status != .approved {
                sink.add(11, .notAuthorized, [id], "authorization is \(auth.status.rawValue); only an approved request may be booked")
            } else if !auth.allows(p.visit) {
                sink.add(11, .authorizationWindow, [id], "visit \(span(p.visit)) is not inside the authorization's validity [\(auth.validFrom.map(t) ?? "-"), \(auth.validUntil.map(t) ?? "-"))")
            }
        }
        let kept = request.current.map { $0.start == p.assignment.start && Set($0.providers) == Set(p.assignment.providers) } ?? false
        let decided = kept || !online ? instance.decisionTime : request.arrival
        if !kept, p.assignment.start >= instance.horizon.start, p.assignment.start < decided {
            sink.add(13, .inThePast, [id], "new start \(t(p.assignment.start)) is before the decision time \(t(decided))")
        }
        var seen = Set<String>()
        for pid in p.assignment.providers where seen.insert(pid).inserted {
            for hold in index.holds(of: pid) where !hold.admits(request.priority, decidedAt: decided) && hold.span.overlaps(p.visit) {
                let kept = Priority.allCases.filter(hold.priorities.contains).map(\.rawValue).sorted().joined(separator: ",")
                sink.add(12, .held, [id], "visit \(span(p.visit)) with \(pid) overlaps hold \(hold.id), kept for \(kept) until \(t(hold.releaseTime))")
            }
        }
    }

    // MARK: Rule 6 — no provider, room or patient in two overlapping intervals

    private func checkOverlaps(_ good: [Placed], _ sink: Sink) {
        let instance = index.instance
        // One flat list per resource kind, sorted by resource: no list per provider, room or patient.
        var byProvider: [Interval] = [], byRoom: [Interval] = [], byPatient: [Interval] = []
        byProvider.reserveCapacity(good.count)
        byRoom.reserveCapacity(good.count)
        byPatient.reserveCapacity(good.count)
        for p in good {
            for (j, pi) in p.providers.enumerated() {
                guard let pi, !p.providers[..<j].contains(pi) else { continue }
                byProvider.append(Interval(resource: pi, span: p.visit, request: p.request))
            }
            if let k = p.room, p.type.isInPerson { byRoom.append(Interval(resource: k, span: p.roomInterval, request: p.request)) }
            byPatient.append(Interval(resource: index.patient[p.request], span: p.visit, request: p.request))
        }
        sweep(&byProvider, .providerOverlap, "provider", "visits", { instance.providers[$0].id }, sink)
        sweep(&byRoom, .roomOverlap, "room", "room intervals", { instance.rooms[$0].id }, sink)
        sweep(&byPatient, .patientOverlap, "patient", "visits", { instance.requests[index.firstRequestOfPatient[$0]].patient }, sink)
    }

    struct Interval {
        var resource: Int
        var span: TimeSpan
        var request: Int
    }

    /// Reports each interval that starts before the furthest end seen so far on its resource
    /// (sorted by resource, start, end and request id, then swept).
    ///
    /// - Complexity: O(k log k) for k intervals.
    private func sweep(_ items: inout [Interval], _ check: Violation.Check, _ noun: String, _ what: String,
                       _ name: (Int) -> String, _ sink: Sink) {
        let requests = index.instance.requests
        items.sort {
            ($0.resource, $0.span.start, $0.span.end) != ($1.resource, $1.span.start, $1.span.end)
                ? ($0.resource, $0.span.start, $0.span.end) < ($1.resource, $1.span.start, $1.span.end)
                : requests[$0.request].id < requests[$1.request].id
        }
        var curEnd = Int.min, cur = 0, resource = -1
        for item in items {
            if item.resource != resource {
                (resource, curEnd, cur) = (item.resource, item.span.end, item.request)
                continue
            }
            if item.span.start < curEnd {
                let (a, b) = (requests[cur].id, requests[item.request].id)
                sink.add(6, check, [a, b], "\(noun) \(name(resource)) is in two overlapping \(what) (\(a) and \(b))")
            }
            if item.span.end > curEnd { curEnd = item.span.end; cur = item.request }
        }
    }

    // MARK: Rule 7 — equipment pools never over-committed

    private func checkEquipment(_ good: [Placed], _ sink: Sink) {
        let instance = index.instance
        struct Event { var time: Int; var acquire: Int; var quantity: Int; var request: String; var requestIndex: Int }
        var events: [Int: [Event]] = [:]
        for p in good where !p.type.equipment.isEmpty && p.type.isInPerson {
            guard let k = p.room else { continue }
            let room = instance.rooms[k]
            for need in p.type.equipment {
                guard let pool = index.poolByKindAndLocation[.init(kind: need.kind, location: room.location)] else {
                    sink.add(7, .noPool, [p.assignment.request], "no \"\(need.kind)\" pool at \(room.location) (room \(room.id))")
                    continue
                }
                events[pool, default: []].append(Event(time: p.roomInterval.start, acquire: 1, quantity: need.quantity,
                                                       request: p.assignment.request, requestIndex: p.request))
                events[pool, default: []].append(Event(time: p.roomInterval.end, acquire: 0, quantity: need.quantity,
                                                       request: p.assignment.request, requestIndex: p.request))
            }
        }
        for poolIndex in events.keys.sorted() {
            let pool = instance.equipment[poolIndex]
            let list = events[poolIndex]!.sorted {
                ($0.time, $0.acquire, $0.quantity, $0.request) < ($1.time, $1.acquire, $1.quantity, $1.request)
            }
            var active: [String: (Int, Int)] = [:]
            var level = 0
            var over = false
            for e in list {
                if e.acquire == 0 {
                    level -= e.quantity
                    let q = (active[e.request]?.0 ?? 0) - e.quantity
                    active[e.request] = q <= 0 ? nil : (q, e.requestIndex)
                    if level <= pool.quantity { over = false }
                } else {
                    level += e.quantity
                    active[e.request] = ((active[e.request]?.0 ?? 0) + e.quantity, e.requestIndex)
                    if level > pool.quantity && !over {
                        over = true
                        let ids = active.count <= 50 ? active.sorted { $0.value.1 < $1.value.1 }.map(\.key) : [e.request]
                        sink.add(7, .equipmentCapacity, ids,
                                 "pool \(pool.id) (\(pool.kind) at \(pool.location), quantity \(pool.quantity)) needs \(level) at \(t(e.time))")
                    }
                }
            }
        }
    }

    // MARK: Rule 9 — groups: whole or nothing, same start or in sequence

    private func checkGroups(_ placed: [Assignment?], _ sink: Sink) {
        let requests = index.instance.requests
        for gid in index.groupOrder {
            let members = index.groups[gid]!
            let ids = members.map { requests[$0].id }
            let got = members.filter { placed[$0] != nil }
            if !got.isEmpty && got.count != members.count {
                sink.add(9, .groupPartial, ids, "group \(gid): \(got.count) of \(members.count) members assigned (all or none)")
                continue
            }
            guard !got.isEmpty, let first = requests[members[0]].group else { continue }
            switch first.mode {
            case .sameStart:
                let starts = Set(members.map { placed[$0]!.start })
                if starts.count > 1 {
                    sink.add(9, .groupSameStart, ids, "group \(gid) (sameStart): members start at \(starts.count) different instants")
                }
            case .sequence:
                let sequence = members.sorted { (requests[$0].group?.order ?? 0, $0) < (requests[$1].group?.order ?? 0, $1) }
                for (a, b) in zip(sequence, sequence.dropFirst()) {
                    guard let ta = index.requestType[a] else { continue }
                    let end = placed[a]!.start + index.instance.appointmentTypes[ta].durationMinutes
                    let next = placed[b]!.start
                    if next < end || next > end + first.maxGapMinutes {
                        sink.add(9, .groupSequence, [requests[a].id, requests[b].id],
                                 "group \(gid) (sequence): \(requests[b].id) starts \(t(next)), must be within [\(t(end)), \(t(end + first.maxGapMinutes))] (end of \(requests[a].id) + 0..\(first.maxGapMinutes) min)")
                    }
                }
            }
        }
    }

    // MARK: Rule 9 — series: only after the predecessor, within the gap (start to start)

    private func checkSeries(_ placed: [Assignment?], _ sink: Sink) {
        let requests = index.instance.requests
        for r in requests.indices {
            guard let a = placed[r], let link = requests[r].after, index.isFirstRequest[r] else { continue }
            let id = requests[r].id
            guard let pr = index.request[link.request], let pa = placed[pr] else {
                sink.add(9, .seriesPredecessor, [id, link.request], "\(id) is assigned but its predecessor \(link.request) is not")
                continue
            }
            let lo = pa.start + link.minGapMinutes, hi = pa.start + link.maxGapMinutes
            if a.start < lo || a.start > hi {
                sink.add(9, .seriesGap, [id, link.request],
                         "\(id) starts \(t(a.start)); after \(link.request) (start \(t(pa.start))) it must start in [\(t(lo)), \(t(hi))]")
            }
        }
    }

    // MARK: Rule 10 — existing bookings stay assigned; pinned ones stay exactly put

    private func checkExistingBookings(_ placed: [Assignment?], _ sink: Sink) {
        let requests = index.instance.requests
        for r in requests.indices where index.isFirstRequest[r] {
            guard let current = requests[r].current else { continue }
            let id = requests[r].id
            guard let a = placed[r] else {
                sink.add(10, .currentUnscheduled, [id], "request has a current booking and must be assigned")
                continue
            }
            guard current.pinned else { continue }
            var diffs: [String] = []
            if a.start != current.start { diffs.append("start \(t(a.start)) != \(t(current.start))") }
            if a.providers != current.providers { diffs.append("providers \(a.providers) != \(current.providers)") }
            if a.room != current.room { diffs.append("room \(a.room ?? "null") != \(current.room ?? "null")") }
            if !diffs.isEmpty {
                sink.add(10, .pinnedMoved, [id], "pinned booking changed: " + diffs.joined(separator: "; "))
            }
        }
    }
}
