import AppointmentModel

/// A solution built to break one rule of the spec (it may break others on the way).
public struct BrokenSolution: Sendable {
    public var name: String
    public var expected: Violation.Check
    public var solution: Solution
}

/// Builds, from a valid solution, variations that stay valid and variations that each break one
/// named rule. Used by the rule tests and by the referee-agreement test on every instance.
///
/// Everything is deterministic: the same instance and base give the same variations.
public struct SolutionMutations {
    public let index: InstanceIndex
    public let base: Solution
    private var instance: Instance { index.instance }
    private var g: Int { instance.granularityMinutes }

    public init(index: InstanceIndex, base: Solution) {
        self.index = index
        self.base = base
    }

    private func type(of request: String) -> AppointmentType? {
        index.request[request].flatMap { index.type[instance.requests[$0].type] }.map { instance.appointmentTypes[$0] }
    }

    private func request(_ id: String) -> Request { instance.requests[index.request[id]!] }

    /// `base` with assignment `i` changed by `change`.
    private func editing(_ i: Int, _ change: (inout Assignment) -> Void) -> Solution {
        var s = base
        change(&s.assignments[i])
        return s
    }

    /// `base` with the unscheduled requests `ids` assigned as given.
    private func assigning(_ assignments: [Assignment]) -> Solution {
        var s = base
        let ids = Set(assignments.map(\.request))
        s.unscheduled.removeAll { ids.contains($0.request) }
        s.assignments += assignments
        return s
    }

    /// A rough placement: qualified distinct providers, a room of a fitting kind, the given start.
    /// It ignores shifts and conflicts: the point is the rule under test, not feasibility.
    public func crude(_ r: Request, start: Int) -> Assignment? {
        guard let t = index.type[r.type].map({ instance.appointmentTypes[$0] }) else { return nil }
        var chosen: [String] = []
        for role in t.roles {
            guard let p = instance.providers.indices.first(where: {
                index.provider($0, qualifiesFor: role) && !chosen.contains(instance.providers[$0].id)
                    && (r.providers?.contains(instance.providers[$0].id) ?? true)
            }) else { return nil }
            chosen.append(instance.providers[p].id)
        }
        var room: String?
        if t.isInPerson {
            guard let k = instance.rooms.first(where: { $0.kinds.contains(where: t.roomKinds.contains) }) else { return nil }
            room = k.id
        }
        return Assignment(request: r.id, providers: chosen, room: room, start: start)
    }

    private var unscheduledRequests: [Request] {
        base.unscheduled.compactMap { index.request[$0.request].map { instance.requests[$0] } }
    }

    // MARK: Broken solutions, one per check where the instance allows it

    public func broken() -> [BrokenSolution] {
        var out: [BrokenSolution] = []
        func add(_ name: String, _ check: Violation.Check, _ s: Solution?) {
            if let s { out.append(BrokenSolution(name: name, expected: check, solution: s)) }
        }
        let A = base.assignments
        let inPerson = A.indices.filter { type(of: A[$0].request)?.isInPerson == true }
        let telehealth = A.indices.filter { type(of: A[$0].request)?.isInPerson == false }

        var wrongFormat = base
        wrongFormat.declaredFormat = "clinic-schedule-solution/0"
        add("wrong format", .solutionFormat, wrongFormat)
        var otherName = base
        otherName.instance = "another-clinic"
        add("other instance", .instanceName, otherName)
        var unknown = base
        unknown.unscheduled.append(Unscheduled(request: "NO-SUCH-REQUEST", reason: "test"))
        add("unknown request", .unknownRequest, unknown)
        if let first = base.unscheduled.first {
            var missing = base
            missing.unscheduled.removeFirst()
            add("missing request", .missing, missing)
            var dup = base
            dup.unscheduled.append(first)
            add("duplicate request", .duplicate, dup)
        }
        if !A.isEmpty {
            if g > 1 { add("off the grid", .offGrid, editing(0) { $0.start += 1 }) }
            add("outside the horizon", .outsideHorizon, editing(0) { $0.start = instance.horizon.end })
            add("unknown provider", .unknownProvider, editing(0) { $0.providers[0] = "NO-SUCH-PROVIDER" })
            let r = request(A[0].request)
            add("before the window", .window, editing(0) { $0.start = r.earliest - g })
            add("role count", .roleCount, editing(0) { $0.providers.append($0.providers[0]) })
            var currentGone = base
            let moved = currentGone.assignments.removeFirst()
            currentGone.unscheduled.append(Unscheduled(request: moved.request, reason: "test"))
            add("existing booking dropped", .currentUnscheduled, currentGone)
            add("no shift", .noShift, editing(0) { $0.start = instance.horizon.start })
        }
        if let i = inPerson.first {
            add("unknown room", .unknownRoom, editing(i) { $0.room = "NO-SUCH-ROOM" })
            add("room missing", .roomMissing, editing(i) { $0.room = nil })
            let t = type(of: A[i].request)!
            if let wrong = instance.rooms.first(where: { !$0.kinds.contains(where: t.roomKinds.contains) }) {
                add("room of another kind", .roomKind, editing(i) { $0.room = wrong.id })
            }
            let loc = index.room[A[i].room!].map { instance.rooms[$0].location }
            if let far = instance.rooms.first(where: { $0.location != loc && $0.kinds.contains(where: t.roomKinds.contains) }) {
                add("room at another location", .shiftLocation, editing(i) { $0.room = far.id })
            }
            add("room closed", .roomClosed, editing(i) { $0.start = instance.horizon.start + t.setupMinutes })
        }
        if let i = telehealth.first, let room = instance.rooms.first {
            add("telehealth in a room", .roomNotNull, editing(i) { $0.room = room.id })
        }
        if let i = A.indices.first(where: { (type(of: A[$0].request)?.roles.count ?? 0) >= 2 }) {
            add("provider repeated", .providerRepeated, editing(i) { $0.providers[1] = $0.providers[0] })
        }
        for i in A.indices {
            guard let t = type(of: A[i].request), let role = t.roles.first,
                  let p = instance.providers.indices.first(where: { !index.provider($0, qualifiesFor: role) }) else { continue }
            add("unqualified provider", .skills, editing(i) { $0.providers[0] = instance.providers[p].id })
            break
        }
        for i in A.indices {
            guard let allowed = request(A[i].request).providers,
                  let other = instance.providers.first(where: { !allowed.contains($0.id) }) else { continue }
            add("provider not allowed", .providerNotAllowed, editing(i) { $0.providers[0] = other.id })
            break
        }
        for i in A.indices {
            guard let p = index.provider[A[i].providers[0]], let block = index.mergedBlocks[p].first else { continue }
            add("over a block", .blocked, editing(i) { $0.start = block.start - block.start % g })
            break
        }
        if A.count >= 2 {
            if let j = A.indices.dropFirst().first(where: { type(of: A[$0].request)?.roles.count == A[0].providers.count }) {
                add("provider double-booked", .providerOverlap, editing(j) { $0.providers = A[0].providers; $0.start = A[0].start })
            }
            if inPerson.count >= 2 {
                let (i, j) = (inPerson[0], inPerson[1])
                add("room double-booked", .roomOverlap, editing(j) { $0.room = A[i].room; $0.start = A[i].start })
            }
            var byPatient: [String: Int] = [:]
            for i in A.indices {
                let patient = request(A[i].request).patient
                if let first = byPatient[patient] {
                    add("patient double-booked", .patientOverlap, editing(i) { $0.start = A[first].start })
                    break
                }
                byPatient[patient] = i
            }
        }
        for i in inPerson {
            let t = type(of: A[i].request)!
            guard let allowed = request(A[i].request).locations,
                  let far = instance.rooms.first(where: { !allowed.contains($0.location) && $0.kinds.contains(where: t.roomKinds.contains) })
            else { continue }
            add("room outside the allowed locations", .roomLocation, editing(i) { $0.room = far.id })
            break
        }
        noPool: for i in inPerson {
            let t = type(of: A[i].request)!
            for need in t.equipment {
                if let room = instance.rooms.first(where: {
                    $0.kinds.contains(where: t.roomKinds.contains)
                        && index.poolByKindAndLocation[.init(kind: need.kind, location: $0.location)] == nil
                }) {
                    add("no equipment pool there", .noPool, editing(i) { $0.room = room.id })
                    break noPool
                }
            }
        }
        if let equipment = equipmentOverload() { add("equipment over-committed", .equipmentCapacity, equipment) }
        if let i = A.indices.first(where: { request(A[$0].request).current?.pinned == true }) {
            add("pinned booking moved", .pinnedMoved, editing(i) { $0.start += g })
        }
        // Unscheduled requests placed on purpose against a rule.
        if let r = unscheduledRequests.first(where: { $0.patientAvailability?.isEmpty == false && $0.group == nil && $0.after == nil }),
           let first = r.patientAvailability?.min(), let a = crude(r, start: first.start - 60 - (first.start - 60) % g) {
            add("outside the patient's availability", .availability, assigning([a]))
        }
        let groups = index.groupOrder.map { index.groups[$0]!.map { instance.requests[$0] } }
        let freeGroups = groups.filter { $0.allSatisfy { r in base.unscheduled.contains { $0.request == r.id } } }
        if let members = freeGroups.first, let a = crude(members[0], start: members[0].earliest) {
            add("part of a group", .groupPartial, assigning([a]))
        }
        if let members = freeGroups.first(where: { $0.first?.group?.mode == .sameStart && $0.count >= 2 }) {
            let assigned = members.enumerated().compactMap { k, r in crude(r, start: r.earliest + k * g) }
            if assigned.count == members.count { add("group not together", .groupSameStart, assigning(assigned)) }
        }
        if let members = freeGroups.first(where: { $0.first?.group?.mode == .sequence && $0.count >= 2 }) {
            let assigned = members.compactMap { crude($0, start: members[0].earliest) }
            if assigned.count == members.count { add("group out of sequence", .groupSequence, assigning(assigned)) }
        }
        let isFree = { (id: String) in base.unscheduled.contains { $0.request == id } }
        if let r = unscheduledRequests.first(where: { $0.after.map { isFree($0.request) } == true && $0.group == nil }),
           let a = crude(r, start: r.earliest) {
            add("series without its predecessor", .seriesPredecessor, assigning([a]))
            if let p = index.request[r.after!.request].map({ instance.requests[$0] }), p.group == nil, p.after == nil,
               let pa = crude(p, start: p.earliest) {
                var b = a
                b.start = pa.start + r.after!.minGapMinutes - g
                add("series too soon", .seriesGap, assigning([pa, b]))
            }
        }
        if instance.usesVersion2Rules { out += brokenVersion2() }
        return out
    }

    /// Rules 11–13: a request without an approved authorization booked, a visit outside its
    /// authorization, a held slot taken by a priority it does not admit, a booking moved into the past.
    private func brokenVersion2() -> [BrokenSolution] {
        var out: [BrokenSolution] = []
        let A = base.assignments
        if let r = unscheduledRequests.first(where: { ($0.authorization.map { $0.status != .approved } ?? false) && $0.group == nil && $0.after == nil }),
           let a = crude(r, start: max(r.earliest, instance.decisionTime) - max(r.earliest, instance.decisionTime) % g) {
            out.append(BrokenSolution(name: "not authorized", expected: .notAuthorized, solution: assigning([a])))
        }
        if let r = unscheduledRequests.first(where: { $0.authorization?.status == .approved && $0.authorization?.validFrom != nil && $0.group == nil && $0.after == nil }),
           let from = r.authorization?.validFrom, let a = crude(r, start: from - g - (from - g) % g) {
            out.append(BrokenSolution(name: "before the authorization", expected: .authorizationWindow, solution: assigning([a])))
        }
        let asOf = instance.decisionTime
        if asOf - g > instance.horizon.start,
           let i = A.indices.first(where: { request(A[$0].request).current?.pinned == false }) {
            out.append(BrokenSolution(name: "moved into the past", expected: .inThePast,
                                      solution: editing(i) { $0.start = instance.horizon.start + g }))
        }
        for hold in instance.holds where !hold.admits(.routine, decidedAt: asOf) {
            guard let i = A.indices.first(where: { request(A[$0].request).priority == .routine && type(of: A[$0].request)?.roles.count == 1 })
            else { break }
            out.append(BrokenSolution(name: "in a hold", expected: .held,
                                      solution: editing(i) { $0.providers = [hold.provider]; $0.start = hold.span.start }))
            break
        }
        return out
    }

    /// Two bookings of types that need the same equipment kind at the same location, stacked at
    /// one instant in distinct rooms until the pool is over-committed.
    private func equipmentOverload() -> Solution? {
        let A = base.assignments
        var users: [InstanceIndex.PoolKey: [Int]] = [:]
        for i in A.indices {
            guard let t = type(of: A[i].request), let room = A[i].room, let k = index.room[room] else { continue }
            for need in t.equipment {
                users[.init(kind: need.kind, location: instance.rooms[k].location), default: []].append(i)
            }
        }
        for key in users.keys.sorted(by: { ($0.kind, $0.location) < ($1.kind, $1.location) }) {
            guard let pool = index.poolByKindAndLocation[key] else { continue }
            let list = users[key]!
            var s = base
            var used = 0
            for i in list {
                let need = type(of: A[i].request)!.equipment.first { $0.kind == key.kind }!.quantity
                s.assignments[i].start = A[list[0]].start
                used += need
                if used > instance.equipment[pool].quantity { return s }
            }
        }
        return nil
    }

    // MARK: Valid variations (the validator given decides validity)

    /// Variations expected valid: the base reordered, a room swap, bookings moved and requests
    /// added where the validator accepts them. `isValid` is the oracle (the library's validator).
    public func validVariations(isValid: (Solution) -> Bool, budget: Int = 60) -> [(name: String, solution: Solution)] {
        var out: [(String, Solution)] = []
        var reordered = base
        reordered.assignments.reverse()
        reordered.unscheduled.reverse()
        out.append(("reordered", reordered))
        var tries = 0
        let A = base.assignments
        // A room swap: another open room of a fitting kind at the same location.
        swap: for i in A.indices {
            guard let t = type(of: A[i].request), t.isInPerson, let cur = A[i].room.flatMap({ index.room[$0] }) else { continue }
            for (k, room) in instance.rooms.enumerated()
            where k != cur && room.location == instance.rooms[cur].location && room.kinds.contains(where: t.roomKinds.contains)
                && index.roomIsOpen(k, for: t.roomInterval(at: A[i].start)) {
                let s = editing(i) { $0.room = room.id }
                tries += 1
                if isValid(s) { out.append(("room swapped", s)); break swap }
                if tries > budget / 3 { break swap }
            }
        }
        // A move: an unpinned existing booking shifted by a few grid steps.
        tries = 0
        move: for i in A.indices where request(A[i].request).current?.pinned == false {
            for k in [1, -1, 2, -2, 3, -3, 6, -6, 12, -12] {
                let s = editing(i) { $0.start += k * g }
                tries += 1
                if isValid(s) { out.append(("booking moved", s)); break move }
                if tries > budget / 3 { break move }
            }
        }
        // An addition: an unscheduled single request placed on its first provider session.
        tries = 0
        add: for r in unscheduledRequests where r.group == nil && r.after == nil {
            guard let t = index.type[r.type].map({ instance.appointmentTypes[$0] }), t.roles.count == 1 else { continue }
            for p in instance.providers.indices where index.provider(p, qualifiesFor: t.roles[0])
                && (r.providers?.contains(instance.providers[p].id) ?? true) {
                for session in index.sessions[p] {
                    let room = t.isInPerson ? instance.rooms.first {
                        $0.location == session.location && $0.kinds.contains(where: t.roomKinds.contains)
                            && (r.locations?.contains($0.location) ?? true)
                    }?.id : nil
                    if t.isInPerson && room == nil { continue }
                    var start = max(session.span.start, r.earliest, t.setupMinutes)
                    start += (g - start % g) % g
                    guard start <= r.latest, start + t.durationMinutes <= session.span.end else { continue }
                    let s = assigning([Assignment(request: r.id, providers: [instance.providers[p].id], room: room, start: start)])
                    tries += 1
                    if isValid(s) { out.append(("request added", s)); break add }
                    if tries > budget / 3 { break add }
                }
            }
        }
        return out
    }
}
