/// Checks a well-formed instance for everything that makes it unusable (errors) or suspicious
/// (warnings), reporting every problem at once, each with its path and id.
///
/// Errors: duplicate ids, dangling references, unknown time zones, empty or reversed intervals,
/// overlapping shifts, non-positive durations, inconsistent types and groups, series cycles, and
/// existing bookings that break a hard rule together. The same readings as `referee.py
/// --check-instance`.
public enum InstanceChecker {
    /// Every issue, errors first in document order, then warnings.
    public static func check(_ instance: Instance) -> [InstanceIssue] {
        check(InstanceIndex(instance))
    }

    /// Every issue of the indexed instance, errors first in document order, then warnings.
    ///
    /// - Parameters:
    ///   - index: the instance, indexed.
    ///   - existingBookings: whether to check that the existing bookings form a valid partial
    ///     solution (a full validation; skip it when a solution is validated right after, as
    ///     `referee.py` does).
    /// - Complexity: O(n log n) in the size of the instance.
    public static func check(_ index: InstanceIndex, existingBookings: Bool = true) -> [InstanceIssue] {
        var issues = Issues()
        checkIDs(index, &issues)
        checkResources(index, &issues)
        checkTypes(index, &issues)
        checkRequests(index, &issues)
        checkGroupsAndSeries(index, &issues)
        checkVersion2(index, &issues)
        checkSize(index.instance, &issues)
        if existingBookings && issues.errors.isEmpty { checkExistingBookings(index, &issues) }
        return issues.errors + issues.warnings
    }

    /// The errors only.
    public static func errors(in instance: Instance) -> [InstanceIssue] {
        check(instance).filter { $0.severity == .error }
    }

    struct Issues {
        var errors: [InstanceIssue] = []
        var warnings: [InstanceIssue] = []
        mutating func error(_ path: String, _ id: String?, _ message: String) {
            errors.append(InstanceIssue(.error, path: path, id: id, message: message))
        }
        mutating func warning(_ path: String, _ id: String?, _ message: String) {
            warnings.append(InstanceIssue(.warning, path: path, id: id, message: message))
        }
    }

    private static func path(_ section: String, _ i: Int, _ id: String) -> String { "\(section)[\(i)] (\(id))" }

    /// Whether the booking engine's per-minute tables fit: they cover the span from the first
    /// shift or room opening to the last, whatever the horizon's length.
    private static func checkSize(_ instance: Instance, _ issues: inout Issues) {
        let bytes = instance.availabilityTableBytes
        guard bytes > Instance.maximumAvailabilityTableBytes else { return }
        let span = instance.availabilitySpan
        let days = span.duration / 1440
        let gib = bytes == .max ? "more than any machine has" : String(Double(bytes * 10 / (1 << 30)) / 10) + " GiB"
        issues.error("providers.shifts", nil, "the shifts and room openings span \(days) days (minutes \(span.start) to \(span.end)): "
                     + "the availability tables would need \(gib), more than the \(Instance.maximumAvailabilityTableBytes >> 30) GiB allowed; "
                     + "split the instance into shorter horizons or drop shifts far from the others")
    }

    /// Duplicate ids: an element whose id the index resolves to an earlier element.
    private static func checkIDs(_ index: InstanceIndex, _ issues: inout Issues) {
        let instance = index.instance
        func unique(_ section: String, _ count: Int, _ id: (Int) -> String, _ first: IDTable) {
            guard first.count != count else { return }
            for i in 0..<count where first[id(i)] != i {
                issues.error(path(section, i, id(i)), id(i), "id \"\(id(i))\" is not unique among \(section)")
            }
        }
        unique("locations", instance.locations.count, { instance.locations[$0].id }, index.location)
        unique("rooms", instance.rooms.count, { instance.rooms[$0].id }, index.room)
        unique("equipment", instance.equipment.count, { instance.equipment[$0].id }, index.pool)
        unique("providers", instance.providers.count, { instance.providers[$0].id }, index.provider)
        unique("appointmentTypes", instance.appointmentTypes.count, { instance.appointmentTypes[$0].id }, index.type)
        unique("requests", instance.requests.count, { instance.requests[$0].id }, index.request)
        if instance.horizon.isEmpty { issues.error("horizon", nil, "end is not after start") }
    }

    private static func checkResources(_ index: InstanceIndex, _ issues: inout Issues) {
        let instance = index.instance
        for (i, l) in instance.locations.enumerated() where !ZoneOffsets.isKnown(l.timeZone) {
            issues.error(path("locations", i, l.id) + ".timeZone", l.id, "unknown IANA time zone \"\(l.timeZone)\"")
        }
        for (i, room) in instance.rooms.enumerated() {
            let p = path("rooms", i, room.id)
            if index.location[room.location] == nil { issues.error(p + ".location", room.id, "unknown location \"\(room.location)\"") }
            if room.kinds.isEmpty { issues.warning(p + ".kinds", room.id, "room has no kinds (it can never be used)") }
            for (j, span) in room.open.enumerated() where span.isEmpty {
                issues.error(p + ".open[\(j)]", room.id, "interval is empty or reversed")
            }
        }
        var pools = Set<InstanceIndex.PoolKey>()
        for (i, pool) in instance.equipment.enumerated() {
            let p = path("equipment", i, pool.id)
            if pool.quantity < 0 { issues.error(p + ".quantity", pool.id, "quantity is negative") }
            if index.location[pool.location] == nil { issues.error(p + ".location", pool.id, "unknown location \"\(pool.location)\"") }
            if !pools.insert(.init(kind: pool.kind, location: pool.location)).inserted {
                issues.error(p, pool.id, "a second pool of kind \"\(pool.kind)\" at location \(pool.location)")
            }
        }
        for (i, provider) in instance.providers.enumerated() {
            let p = path("providers", i, provider.id)
            for (j, shift) in provider.shifts.enumerated() {
                if shift.span.isEmpty { issues.error(p + ".shifts[\(j)]", provider.id, "shift is empty or reversed") }
                if index.location[shift.location] == nil {
                    issues.error(p + ".shifts[\(j)].location", provider.id, "unknown location \"\(shift.location)\"")
                }
                if shift.span.start < instance.horizon.start || shift.span.end > instance.horizon.end {
                    issues.warning(p + ".shifts[\(j)]", provider.id, "shift extends beyond the horizon")
                }
            }
            let sorted = index.sortedShifts[i]
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.span.start < a.span.end {
                issues.error(p + ".shifts", provider.id, "shifts \(a.index) and \(b.index) overlap")
            }
            for (j, block) in provider.blocks.enumerated() where block.span.isEmpty {
                issues.warning(p + ".blocks[\(j)]", provider.id, "block is empty or reversed (ignored)")
            }
        }
    }

    private static func checkTypes(_ index: InstanceIndex, _ issues: inout Issues) {
        let instance = index.instance
        let roomKinds = Set(instance.rooms.flatMap(\.kinds))
        let g = instance.granularityMinutes
        for (i, type) in instance.appointmentTypes.enumerated() {
            let p = path("appointmentTypes", i, type.id)
            if type.durationMinutes <= 0 { issues.error(p + ".durationMinutes", type.id, "must be positive, found \(type.durationMinutes)") }
            if type.roles.isEmpty { issues.error(p + ".roles", type.id, "no roles (every visit needs at least one provider)") }
            for (j, need) in type.equipment.enumerated() where need.quantity <= 0 {
                issues.error(p + ".equipment[\(j)].quantity", type.id, "must be positive")
            }
            if type.setupMinutes < 0 { issues.error(p + ".setupMinutes", type.id, "is negative") }
            if type.cleanupMinutes < 0 { issues.error(p + ".cleanupMinutes", type.id, "is negative") }
            if type.telehealth && type.isInPerson {
                issues.error(p + ".telehealth", type.id, "telehealth is true but roomKinds is not empty")
            }
            if !type.telehealth && !type.isInPerson {
                issues.error(p + ".roomKinds", type.id, "in-person type (telehealth false) without roomKinds")
            }
            if !type.isInPerson && !type.equipment.isEmpty {
                issues.error(p + ".equipment", type.id, "equipment needs a room, but roomKinds is empty")
            }
            for (field, v) in [("durationMinutes", type.durationMinutes), ("setupMinutes", type.setupMinutes),
                               ("cleanupMinutes", type.cleanupMinutes)] where v % g != 0 {
                issues.warning(p + "." + field, type.id, "\(v) is not a multiple of the granularity (\(g))")
            }
            if type.isInPerson && !type.roomKinds.contains(where: roomKinds.contains) {
                issues.warning(p + ".roomKinds", type.id, "no room of kinds \(type.roomKinds.joined(separator: ","))")
            }
            for (k, role) in type.roles.enumerated()
            where !instance.providers.indices.contains(where: { index.provider($0, qualifiesFor: role) }) {
                issues.warning(p + ".roles[\(k)]", type.id, "no provider qualifies for this role")
            }
        }
        let ob = instance.objective
        let weights = [ob.unscheduledPenalty.urgent, ob.unscheduledPenalty.soon, ob.unscheduledPenalty.routine,
                       ob.leadCostPerDay.urgent, ob.leadCostPerDay.soon, ob.leadCostPerDay.routine, ob.idleMinuteCost,
                       ob.preferenceMissCost, ob.moveCost.confirmed, ob.moveCost.tentative]
        if weights.contains(where: { $0 < 0 }) { issues.warning("objective", nil, "a weight is negative") }
    }

    private static func checkRequests(_ index: InstanceIndex, _ issues: inout Issues) {
        let instance = index.instance
        var outsideHorizon = 0
        var blankPatients = 0
        for i in instance.requests.indices {
            checkRequest(instance.requests[i], at: i, index, &issues, outsideHorizon: &outsideHorizon, blankPatients: &blankPatients)
        }
        if outsideHorizon > 20 {
            issues.warning("requests", nil, "\(outsideHorizon) requests in all have windows that miss the horizon")
        }
        if blankPatients > 0 {
            issues.warning("requests", nil, "\(blankPatients) requests have a patient id with blanks (ids must be opaque, never names)")
        }
    }

    /// One request's references and window. `r` is borrowed from the instance (a local copy
    /// would retain every list it holds).
    private static func checkRequest(_ r: Request, at i: Int, _ index: InstanceIndex, _ issues: inout Issues,
                                     outsideHorizon: inout Int, blankPatients: inout Int) {
        let instance = index.instance
        func p() -> String { path("requests", i, r.id) }
        let type = index.requestType[i].map { instance.appointmentTypes[$0] }
        if type == nil { issues.error(p() + ".type", r.id, "unknown appointment type \"\(r.type)\"") }
        for l in r.locations ?? [] where index.location[l] == nil {
            issues.error(p() + ".locations", r.id, "unknown location \"\(l)\"")
        }
        for q in r.providers ?? [] where index.provider[q] == nil {
            issues.error(p() + ".providers", r.id, "unknown provider \"\(q)\"")
        }
        for q in r.preferredProviders ?? [] where index.provider[q] == nil {
            issues.error(p() + ".preferredProviders", r.id, "unknown provider \"\(q)\"")
        }
        if let c = r.current {
            for q in c.providers where index.provider[q] == nil {
                issues.error(p() + ".current.providers", r.id, "unknown provider \"\(q)\"")
            }
            if let room = c.room, index.room[room] == nil {
                issues.error(p() + ".current.room", r.id, "unknown room \"\(room)\"")
            }
        }
        if let a = r.after {
            if a.request == r.id {
                issues.error(p() + ".after.request", r.id, "refers to the request itself")
            } else if index.request[a.request] == nil {
                issues.error(p() + ".after.request", r.id, "unknown request \"\(a.request)\"")
            }
            if a.minGapMinutes > a.maxGapMinutes {
                issues.warning(p() + ".after", r.id, "minGapMinutes > maxGapMinutes (never schedulable)")
            }
        }
        if let g = r.group, g.maxGapMinutes < 0 { issues.error(p() + ".group.maxGapMinutes", r.id, "is negative") }
        var never: [String] = []
        if let v = r.providers, v.isEmpty { never.append("providers is an empty list") }
        if let v = r.patientAvailability, v.isEmpty { never.append("patientAvailability is an empty list") }
        if let v = r.locations, v.isEmpty, type?.isInPerson == true { never.append("locations is an empty list") }
        if !never.isEmpty { issues.warning(p(), r.id, "can never be scheduled: " + never.joined(separator: "; ")) }
        if let type {
            let lo = max(r.earliest, instance.horizon.start), hi = min(r.latest, instance.horizon.end - type.durationMinutes)
            if lo > hi {
                outsideHorizon += 1
                if outsideHorizon <= 20 { issues.warning(p(), r.id, "its window does not meet the horizon") }
            }
        }
        if hasBlank(r.patient) { blankPatients += 1 }
    }

    /// Whether an id contains white space (a sign that a name was used instead of an opaque id).
    static func hasBlank(_ id: String) -> Bool {
        for byte in id.utf8 {
            if byte == 32 || (9...13).contains(byte) { return true }
            if byte >= 0x80 { return id.unicodeScalars.contains { $0.properties.isWhitespace } }
        }
        return false
    }

    private static func checkGroupsAndSeries(_ index: InstanceIndex, _ issues: inout Issues) {
        let requests = index.instance.requests
        for gid in index.groupOrder {
            let members = index.groups[gid]!
            guard let g0 = requests[members[0]].group else { continue }
            let p = "group \(gid)"
            for m in members.dropFirst() {
                guard let g = requests[m].group else { continue }
                if g.mode != g0.mode {
                    issues.error(p, gid, "members disagree on mode (\(requests[members[0]].id) has \(g0.mode.rawValue), \(requests[m].id) has \(g.mode.rawValue))")
                } else if g0.mode == .sequence && g.maxGapMinutes != g0.maxGapMinutes {
                    issues.error(p, gid, "members disagree on maxGapMinutes")
                }
            }
            if g0.mode == .sequence {
                let orders = members.compactMap { requests[$0].group?.order }
                if Set(orders).count != orders.count { issues.error(p, gid, "sequence members share an order value") }
            }
            let patients = members.map { requests[$0].patient }
            if g0.mode == .sameStart && Set(patients).count != patients.count {
                issues.warning(p, gid, "one patient twice in a sameStart group (never schedulable)")
            }
        }
        // Cycles in after-chains: follow each chain once (0 unvisited, 1 on the current path, 2 done).
        var state = [UInt8](repeating: 0, count: requests.count)
        for start in requests.indices {
            var path: [Int] = []
            var x: Int? = start
            while let cur = x, requests[cur].after != nil, state[cur] == 0 {
                state[cur] = 1
                path.append(cur)
                x = requests[cur].after.flatMap { index.request[$0.request] }
                if let next = x, state[next] == 1 {
                    issues.error("requests", requests[next].id, "request \(requests[next].id): after-chain forms a cycle")
                    break
                }
            }
            for y in path { state[y] = 2 }
        }
    }

    /// The existing bookings alone must form a valid partial solution.
    /// Holds, authorizations and reminders (format 2).
    private static func checkVersion2(_ index: InstanceIndex, _ issues: inout Issues) {
        let instance = index.instance
        var holdIDs = Set<String>()
        for (i, hold) in instance.holds.enumerated() {
            let p = path("holds", i, hold.id)
            if !holdIDs.insert(hold.id).inserted { issues.error(p, hold.id, "id \"\(hold.id)\" is not unique among holds") }
            if index.provider[hold.provider] == nil { issues.error(p + ".provider", hold.id, "unknown provider \"\(hold.provider)\"") }
            if hold.span.isEmpty { issues.error(p, hold.id, "end is not after start") }
            if hold.priorities.isEmpty { issues.error(p + ".priorities", hold.id, "priorities is empty (nobody could ever use it)") }
            if hold.releaseMinutesBefore < 0 { issues.error(p + ".releaseMinutesBefore", hold.id, "is negative") }
        }
        for (i, r) in instance.requests.enumerated() {
            guard let a = r.authorization, let from = a.validFrom, let until = a.validUntil, until <= from else { continue }
            issues.error(path("requests", i, r.id) + ".authorization", r.id, "validUntil is not after validFrom")
        }
        for (i, t) in instance.appointmentTypes.enumerated() {
            for (j, m) in (t.reminderMinutesBefore ?? []).enumerated() where m <= 0 {
                issues.error(path("appointmentTypes", i, t.id) + ".reminderMinutesBefore[\(j)]", t.id, "must be a positive number of minutes, found \(m)")
            }
        }
    }

    private static func checkExistingBookings(_ index: InstanceIndex, _ issues: inout Issues) {
        let report = ScheduleValidator(index).validate(.baseline(of: index.instance))
        for v in report.violations {
            let i = v.requests.first.flatMap { index.request[$0] }
            let p = i.map { path("requests", $0, index.instance.requests[$0].id) + ".current" } ?? "requests"
            issues.error(p, v.requests.first, "existing bookings are not feasible: \(v)")
        }
    }
}
