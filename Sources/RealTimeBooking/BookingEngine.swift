import AppointmentModel

/// The real-time booking state of one instance: which provider, room, equipment unit and patient
/// is taken at every minute, and every request's booking.
///
/// An availability index answers "is this free?" in a few word operations: providers and rooms
/// keep one bit per minute of the horizon, equipment pools a count per minute, patients the short
/// sorted list of their visits, and each provider session the sorted list of its visits (for the
/// idle time a new visit adds or removes). Every booking, cancellation and move updates it in
/// place, all or nothing.
///
/// A value type: copy it to try something out. Wrap it in a ``BookingDesk`` to share it between
/// tasks.
public struct BookingEngine: Sendable {
    /// The instance's dense handles and derived tables (sessions, holds, groups); the live changes
    /// keep it current.
    public internal(set) var index: InstanceIndex
    /// The instance (stored, not read through `index` each time: that would copy it). The live
    /// changes of ``BookingEngine`` keep it equal to `index.instance`.
    public internal(set) var instance: Instance

    // Availability.
    var providerBusy: [MinuteBitset]
    var roomBusy: [MinuteBitset]
    var poolUse: [[UInt16]]
    var patientVisits: [[TimeSpan]]
    /// Per provider, per session (as in `index.sessions`): that provider's visits in it, sorted.
    var sessionVisits: [[[TimeSpan]]]
    /// Per request: its booking, if any.
    var booked: [Booking?]

    /// The decision time of new bookings (format 2, rule 13): none starts before it. The instance's
    /// `asOf` at first; the desk's clock moves it on, the replay sets each request's arrival.
    /// `Int.min` for a version-1 instance (no rule 13).
    public internal(set) var decisionTime: Int
    /// The decision time at which holds are judged (rule 12); equal to ``decisionTime`` except in
    /// the replay of a group, whose members arrived at different times.
    var holdDecisionTime: Int

    // Static tables.
    /// The minutes the per-minute tables cover (``Instance/availabilitySpan``): nothing can be
    /// booked outside them.
    let tableSpan: TimeSpan
    /// Per type, per role: qualified provider indices, ascending.
    let qualified: [[[Int]]]
    /// Per type, per location index: rooms of a fitting kind there, ascending.
    let roomsFor: [[[Int]]]
    /// Per type, per location index: the pools and quantities the type needs there; nil when a
    /// pool is missing.
    let poolsFor: [[[(pool: Int, quantity: Int)]?]]
    let roomLocation: [Int]
    /// Per provider, per session: the location index.
    var sessionLocation: [[Int]]
    /// Per request: requests whose `after` names it.
    var successors: [[Int]]
    /// Per room: the shortest room interval (setup, visit, cleanup) of any type that fits it.
    let roomShortestNeed: [Int]

    /// Conflicts found among the existing bookings at start (an invalid instance); they are kept
    /// booked all the same: an existing booking is never dropped.
    public private(set) var initialConflicts: [BookingError] = []

    /// A booking in index form.
    struct Booking: Sendable, Hashable {
        var providers: [Int]
        var room: Int?
        var start: Int
    }

    /// Builds the index from an instance and books its existing bookings.
    ///
    /// - Complexity: O(resources × horizon / 64 + requests × log).
    public init(_ instance: Instance) {
        self.init(index: InstanceIndex(instance))
    }

    /// Builds the availability index for `index.instance`, reusing `index`, and books the
    /// instance's existing bookings.
    ///
    /// - Complexity: O(resources × horizon / 64 + requests × log).
    public init(index: InstanceIndex) {
        self.index = index
        let instance = index.instance
        self.instance = instance
        tableSpan = instance.availabilitySpan
        providerBusy = Array(repeating: MinuteBitset(covering: tableSpan), count: instance.providers.count)
        roomBusy = Array(repeating: MinuteBitset(covering: tableSpan), count: instance.rooms.count)
        poolUse = Array(repeating: [UInt16](repeating: 0, count: tableSpan.duration), count: instance.equipment.count)
        patientVisits = Array(repeating: [], count: index.patientCount)
        sessionVisits = index.sessions.map { Array(repeating: [], count: $0.count) }
        booked = Array(repeating: nil, count: instance.requests.count)
        decisionTime = instance.usesVersion2Rules ? instance.decisionTime : Int.min
        holdDecisionTime = decisionTime
        qualified = instance.appointmentTypes.map { t in
            t.roles.map { role in instance.providers.indices.filter { index.provider($0, qualifiesFor: role) } }
        }
        let locations = instance.locations.count
        roomLocation = instance.rooms.map { index.location[$0.location] ?? -1 }
        let roomLocation = self.roomLocation
        roomsFor = instance.appointmentTypes.map { t in
            var byLocation = [[Int]](repeating: [], count: locations)
            for (k, room) in instance.rooms.enumerated() where room.kinds.contains(where: t.roomKinds.contains) {
                if roomLocation[k] >= 0 { byLocation[roomLocation[k]].append(k) }
            }
            return byLocation
        }
        poolsFor = instance.appointmentTypes.map { t in
            instance.locations.map { location in
                var out: [(pool: Int, quantity: Int)] = []
                for need in t.equipment {
                    guard let pool = index.poolByKindAndLocation[.init(kind: need.kind, location: location.id)] else { return nil }
                    out.append((pool, need.quantity))
                }
                return out
            }
        }
        roomShortestNeed = instance.rooms.map { room in
            instance.appointmentTypes.filter { $0.isInPerson && room.kinds.contains(where: $0.roomKinds.contains) }
                .map { $0.roomInterval(at: 0).duration }.min() ?? 0
        }
        sessionLocation = index.sessions.map { $0.map { index.location[$0.location] ?? -1 } }
        var successors = [[Int]](repeating: [], count: instance.requests.count)
        for (r, request) in instance.requests.enumerated() {
            if let p = request.after.flatMap({ index.request[$0.request] }) { successors[p].append(r) }
        }
        self.successors = successors
        for r in instance.requests.indices where index.isFirstRequest[r] {
            guard let current = instance.requests[r].current else { continue }
            do throws(BookingError) {
                let b = try resolve(Placement(request: instance.requests[r].id, providers: current.providers,
                                              room: current.room, start: current.start))
                if let failure = blockingFailure(r, b) { initialConflicts.append(failure.error) }
                commit(r, b)
            } catch {
                initialConflicts.append(error)
            }
        }
    }

    /// A state holding the bookings of `solution`, a solution of `instance` (from the batch
    /// optimiser, a file, another system): every placement is checked against the hard rules.
    ///
    /// - Throws: the first rule a placement breaks; ``BookingError/invalidPlacement(request:reason:)``
    ///   with the validator's finding for the rules between requests (groups, series, existing
    ///   bookings kept).
    public init(_ instance: Instance, loading solution: Solution) throws(BookingError) {
        self.init(instance)
        var wanted: [(Int, Booking)] = []
        for a in solution.assignments {
            guard let r = index.request[a.request] else { throw .unknownRequest(a.request) }
            let b = try resolve(a)
            if booked[r] == b { continue }
            wanted.append((r, b))
        }
        let assigned = Set(solution.assignments.compactMap { index.request[$0.request] })
        for r in booked.indices where booked[r] != nil && !assigned.contains(r) { uncommit(r) }
        for (r, _) in wanted where booked[r] != nil { uncommit(r) }
        for (r, b) in wanted {
            if let failure = blockingFailure(r, b) { throw failure.error }
            commit(r, b)
        }
        let report = ScheduleValidator(index).validate(self.solution())
        if let v = report.violations.first {
            throw .invalidPlacement(request: v.requests.first ?? "?", reason: "rule \(v.rule) (\(v.check.rawValue)): \(v.detail)")
        }
    }

    // MARK: State

    /// Sets the decision time of new bookings (rules 12 and 13, format 2); `holdsAt` judges holds
    /// at another instant (the replay of a group judges them at its first member's arrival).
    /// No effect on a version-1 instance.
    public mutating func setDecisionTime(_ t: Int, holdsAt: Int? = nil) {
        guard instance.usesVersion2Rules else { return }
        decisionTime = t
        holdDecisionTime = holdsAt ?? t
    }

    /// Whether booking `b` of request `r` keeps its existing booking (same start, same provider
    /// set): such a booking was decided earlier and rule 13 does not apply to it.
    func keepsCurrent(_ r: Int, _ b: Booking) -> Bool {
        guard let current = instance.requests[r].current, current.start == b.start else { return false }
        return Set(b.providers.map { instance.providers[$0].id }) == Set(current.providers)
    }

    /// Bytes held by the availability index (bitsets, equipment counts, visit lists, bookings),
    /// not counting the instance itself.
    public var indexBytes: Int {
        let bits = (providerBusy + roomBusy).reduce(0) { $0 + $1.words.count * 8 }
        let pools = poolUse.reduce(0) { $0 + $1.count * 2 }
        let visits = (patientVisits.reduce(0) { $0 + $1.count } + sessionVisits.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } })
            * MemoryLayout<TimeSpan>.stride
        let lists = (patientVisits.count + sessionVisits.reduce(0) { $0 + $1.count }) * 32
        let bookings = booked.count * MemoryLayout<Booking?>.stride + booked.reduce(0) { $0 + ($1?.providers.count ?? 0) * 8 }
        return bits + pools + visits + lists + bookings
    }

    /// Whether request `id` is booked.
    public func isBooked(_ id: String) -> Bool { index.request[id].map { booked[$0] != nil } ?? false }

    /// The booking of request `id`.
    public func booking(of id: String) -> Placement? {
        guard let r = index.request[id], let b = booked[r] else { return nil }
        return placement(r, b)
    }

    /// Every booking as a solution; `reasons` gives the reason of each request left out.
    public func solution(reasons: [String: String] = [:]) -> Solution {
        var assignments: [Assignment] = []
        var unscheduled: [Unscheduled] = []
        for (r, request) in instance.requests.enumerated() {
            if let b = booked[r] {
                assignments.append(placement(r, b))
            } else {
                unscheduled.append(Unscheduled(request: request.id, reason: reasons[request.id] ?? "not booked"))
            }
        }
        return Solution(instance: instance.name, assignments: assignments, unscheduled: unscheduled)
    }

    func placement(_ r: Int, _ b: Booking) -> Placement {
        Placement(request: instance.requests[r].id, providers: b.providers.map { instance.providers[$0].id },
                  room: b.room.map { instance.rooms[$0].id }, start: b.start)
    }

    /// A placement in index form; unknown ids are errors.
    func resolve(_ p: Placement) throws(BookingError) -> Booking {
        var providers: [Int] = []
        for id in p.providers {
            guard let k = index.provider[id] else { throw .unknownResource(id) }
            providers.append(k)
        }
        var room: Int?
        if let id = p.room {
            guard let k = index.room[id] else { throw .unknownResource(id) }
            room = k
        }
        return Booking(providers: providers, room: room, start: p.start)
    }

    // MARK: Committing (no checks: callers check first)

    mutating func commit(_ r: Int, _ b: Booking) {
        mark(r, b, taken: true)
        booked[r] = b
    }

    mutating func uncommit(_ r: Int) {
        guard let b = booked[r] else { return }
        mark(r, b, taken: false)
        booked[r] = nil
        // Bits shared with another booking (only possible among conflicting existing bookings)
        // are restored by re-marking the others on the same resources.
        if !initialConflicts.isEmpty, let t = index.requestType[r] {
            remarkOverlaps(with: b, type: instance.appointmentTypes[t])
        }
    }

    /// Marks every resource of booking `b` of request `r` as taken (or free again): provider
    /// minutes and session visits, room minutes and equipment counts over the room interval, the
    /// patient's visits.
    private mutating func mark(_ r: Int, _ b: Booking, taken: Bool) {
        guard let t = index.requestType[r] else { return }
        let type = instance.appointmentTypes[t]
        let visit = type.visit(at: b.start)
        for p in b.providers {
            if taken { providerBusy[p].set(visit) } else { providerBusy[p].clear(visit) }
            if let k = index.session(of: p, containing: visit) { Self.update(visit, in: &sessionVisits[p][k], add: taken) }
        }
        if let room = b.room, type.isInPerson {
            let interval = type.roomInterval(at: b.start)
            if taken { roomBusy[room].set(interval) } else { roomBusy[room].clear(interval) }
            if roomLocation[room] >= 0, let pools = poolsFor[t][roomLocation[room]] {
                for (pool, q) in pools { adjust(pool, interval, by: taken ? q : -q) }
            }
        }
        Self.update(visit, in: &patientVisits[index.patient[r]], add: taken)
    }

    /// After removing a booking from an index that held conflicting existing bookings, marks the
    /// other bookings on the same providers and room again.
    private mutating func remarkOverlaps(with b: Booking, type: AppointmentType) {
        for (r, other) in booked.enumerated() {
            guard let other, let t = index.requestType[r] else { continue }
            let ot = instance.appointmentTypes[t]
            for p in other.providers where b.providers.contains(p) { providerBusy[p].set(ot.visit(at: other.start)) }
            if let room = other.room, room == b.room, ot.isInPerson { roomBusy[room].set(ot.roomInterval(at: other.start)) }
        }
    }

    private mutating func adjust(_ pool: Int, _ span: TimeSpan, by q: Int) {
        let o = tableSpan.start
        let s = max(span.start, o), e = min(span.end, tableSpan.end)
        guard s < e else { return }
        poolUse[pool].withUnsafeMutableBufferPointer { use in
            for m in (s - o)..<(e - o) { use[m] = UInt16(clamping: Int(use[m]) + q) }
        }
    }

    /// Inserts `span` into (or removes it from) a sorted visit list. Static so that passing a part
    /// of `self` inout does not copy `self`'s arrays.
    private static func update(_ span: TimeSpan, in list: inout [TimeSpan], add: Bool) {
        if add {
            let i = list.firstIndex { $0.start > span.start || ($0.start == span.start && $0.end > span.end) } ?? list.count
            list.insert(span, at: i)
        } else if let i = list.firstIndex(of: span) {
            list.remove(at: i)
        }
    }

    // MARK: Feasibility

    /// Minutes beyond the horizon from which a start is not even looked at (a century).
    static let farOutside = 100 * 366 * 1440

    /// Why a placement cannot be made now: the error for a caller and the reason for explanations.
    struct Failure {
        var error: BookingError
        var reason: Explanation.Reason
    }

    /// The first hard rule that placing request `r` as `b` would break in the current state, or
    /// nil when it is feasible. Group and series relations are checked by the callers.
    ///
    /// - Complexity: O(roles × log sessions + room interval) for the equipment counts.
    func blockingFailure(_ r: Int, _ b: Booking) -> Failure? {
        let request = instance.requests[r]
        let id = request.id
        guard let t = index.requestType[r] else {
            return Failure(error: .invalidPlacement(request: id, reason: "unknown appointment type"), reason: .noQualifiedProvider)
        }
        let type = instance.appointmentTypes[t]
        // A start far outside the horizon (a hand-built offer) is refused before any span is
        // computed from it: the arithmetic would overflow near Int.max.
        guard b.start >= instance.horizon.start - Self.farOutside, b.start <= instance.horizon.end + Self.farOutside else {
            return Failure(error: .invalidPlacement(request: id, reason: "start \(b.start) is far outside the horizon"),
                           reason: .windowOutsideHorizon)
        }
        let visit = type.visit(at: b.start)
        let interval = type.roomInterval(at: b.start)
        let g = instance.granularityMinutes
        if b.start % g != 0 || !instance.horizon.contains(visit) || !instance.horizon.contains(interval) {
            return Failure(error: .invalidPlacement(request: id, reason: "start \(b.start) is off the grid or outside the horizon"),
                           reason: .windowOutsideHorizon)
        }
        if b.start < request.earliest || b.start > request.latest {
            return Failure(error: .invalidPlacement(request: id, reason: "start \(b.start) is outside the request's window"),
                           reason: .noSessionInWindow)
        }
        if let auth = request.authorization, instance.usesVersion2Rules, !auth.allows(visit) {
            return Failure(error: .notAuthorized(request: id, status: auth.status.rawValue), reason: .notAuthorized)
        }
        if b.start < decisionTime, !keepsCurrent(r, b) {
            return Failure(error: .inThePast(request: id, start: b.start, now: decisionTime), reason: .inThePast)
        }
        guard b.providers.count == type.roles.count, Set(b.providers).count == b.providers.count else {
            return Failure(error: .invalidPlacement(request: id, reason: "needs \(type.roles.count) distinct providers"),
                           reason: .noQualifiedProvider)
        }
        var roomLoc = -1
        if type.isInPerson {
            guard let room = b.room else {
                return Failure(error: .invalidPlacement(request: id, reason: "an in-person visit needs a room"), reason: .noRoom)
            }
            roomLoc = roomLocation[room]
            let roomModel = instance.rooms[room]
            if !roomModel.kinds.contains(where: type.roomKinds.contains)
                || (request.locations.map { !$0.contains(roomModel.location) } ?? false) {
                return Failure(error: .invalidPlacement(request: id, reason: "room \(roomModel.id) does not fit"), reason: .noRoom)
            }
            if !index.roomIsOpen(room, for: interval) {
                return Failure(error: .resourceClosed(.room(roomModel.id), interval), reason: .noRoom)
            }
        } else if b.room != nil {
            return Failure(error: .invalidPlacement(request: id, reason: "a telehealth visit has no room"), reason: .noRoom)
        }
        for (k, p) in b.providers.enumerated() {
            let pid = instance.providers[p].id
            if !index.provider(p, qualifiesFor: type.roles[k]) || (request.providers.map { !$0.contains(pid) } ?? false) {
                return Failure(error: .notQualified(request: id, provider: pid), reason: .noQualifiedProvider)
            }
            guard let s = index.session(of: p, containing: visit), !type.isInPerson || sessionLocation[p][s] == roomLoc else {
                return Failure(error: .resourceClosed(.provider(pid), visit), reason: k == 0 ? .noSessionInWindow : .noSecondProvider)
            }
            if !providerBusy[p].isFree(visit) {
                return Failure(error: .slotTaken(.provider(pid), visit), reason: k == 0 ? .sessionsFull : .noSecondProvider)
            }
            if let hold = index.blockingHold(of: p, for: request.priority, decidedAt: holdDecisionTime, overlapping: visit) {
                return Failure(error: .held(hold: hold.id, provider: pid), reason: .held)
            }
        }
        if let availability = request.patientAvailability, !availability.contains(where: { $0.contains(visit) }) {
            return Failure(error: .resourceClosed(.patient(request.patient), visit), reason: .outsidePatientAvailability)
        }
        if patientVisits[index.patient[r]].contains(where: { $0.overlaps(visit) }) {
            return Failure(error: .slotTaken(.patient(request.patient), visit), reason: .patientBusy)
        }
        if let room = b.room, type.isInPerson {
            if !roomBusy[room].isFree(interval) {
                return Failure(error: .slotTaken(.room(instance.rooms[room].id), interval), reason: .noRoom)
            }
            guard roomLoc >= 0, let pools = poolsFor[t][roomLoc] else {
                return Failure(error: .invalidPlacement(request: id, reason: "no equipment pool of a needed kind at the room's location"),
                               reason: .equipmentExhausted)
            }
            for (pool, q) in pools where !equipmentAvailable(pool, q, interval) {
                return Failure(error: .equipmentExhausted(pool: instance.equipment[pool].id, interval), reason: .equipmentExhausted)
            }
        }
        return nil
    }

    /// Whether `quantity` more units of `pool` are free during `span`.
    @inline(__always)
    func equipmentAvailable(_ pool: Int, _ quantity: Int, _ span: TimeSpan) -> Bool {
        let capacity = instance.equipment[pool].quantity
        guard quantity <= capacity else { return false }
        let limit = capacity - quantity
        let o = tableSpan.start
        let s = max(span.start, o), e = min(span.end, tableSpan.end)
        return poolUse[pool].withUnsafeBufferPointer { use in
            for m in (s - o)..<max(s - o, e - o) where Int(use[m]) > limit { return false }
            return true
        }
    }

    // MARK: Marginal cost

    /// Idle minutes that a visit adds to (or removes from) provider `p`'s session.
    @inline(__always)
    func idleChange(_ p: Int, _ visit: TimeSpan) -> Int {
        guard let k = index.session(of: p, containing: visit) else { return 0 }
        let visits = sessionVisits[p][k]
        guard let first = visits.first?.start else { return 0 }
        let last = visits.reduce(Int.min) { max($0, $1.end) }
        return (max(last, visit.end) - min(first, visit.start)) - (last - first) - visit.duration
    }

    /// What placing request `r` as `b` adds to the spec's cost.
    func marginalCost(_ r: Int, _ b: Booking, type: AppointmentType) -> MarginalCost {
        let ob = instance.objective
        var c = MarginalCost()
        c.lead = ob.leadCostPerDay[instance.requests[r].priority] * Double((b.start - instance.requests[r].earliest) * 60) / 86_400
        let visit = type.visit(at: b.start)
        for p in b.providers { c.idleMinutes += idleChange(p, visit) }
        c.idle = ob.idleMinuteCost * Double(c.idleMinutes)
        if let preferred = instance.requests[r].preferredProviders, !preferred.isEmpty,
           !b.providers.contains(where: { preferred.contains(instance.providers[$0].id) }) {
            c.preferenceMisses = 1
            c.preference = ob.preferenceMissCost
        }
        if let current = instance.requests[r].current {
            let ids = Set(b.providers.map { instance.providers[$0].id })
            if current.start != b.start || ids != Set(current.providers) { c.moves = ob.moveCost[current.status] }
        }
        return c
    }
}
