import AppointmentModel
import RealTimeBooking

/// A part of the schedule re-solved at once, with everything outside it fixed.
///
/// Five kinds, from narrow to wide. The narrow ones let a model try every feasible placement of
/// its requests; the wide ones move requests across locations and days with fewer candidates.
struct Neighbourhood: Hashable, Sendable {
    enum Kind: Int, CaseIterable, Sendable {
        /// A location, a few hours of one day: every placement inside the window.
        case window
        /// A few providers of a location for one day: every placement with those providers.
        case providers
        /// A location for one day: the best-fit candidates of each request.
        case locationDay
        /// Every location for one day.
        case day
        /// Every location for two consecutive days.
        case twoDays
    }

    var kind: Kind
    /// Nil: every location.
    var location: String?
    /// Requests booked in it, or whose window meets it, are the candidates to free.
    var day: TimeSpan
    /// Placements only with the visit inside this span.
    var window: TimeSpan?
    /// Placements only with these providers (indices) in every role.
    var providers: Set<Int>?

    /// Narrow neighbourhoods enumerate every feasible placement of their requests.
    var isNarrow: Bool { window != nil || providers != nil }

    static let windowLength = 180
    static let windowStep = 90

    /// The neighbourhoods of one kind, in a seeded order (the same seed, the same order).
    ///
    /// - Parameter epoch: a new set for a search that restarts from a local optimum: windows
    ///   start 30 minutes later per epoch (modulo their step) and providers are grouped anew.
    static func all(_ kind: Kind, index: InstanceIndex, seed: UInt64, epoch: Int = 0) -> [Neighbourhood] {
        let instance = index.instance
        var out: [Neighbourhood] = []
        // Kinds that would repeat a narrower one: two days in a one-day horizon, a whole day at one location.
        if kind == .twoDays && instance.horizon.duration <= 1440 { return [] }
        if kind == .day && instance.locations.count == 1 { return [] }
        // The days (from the horizon's start) on which some provider works: a long horizon with
        // few shifts has few neighbourhoods, and building them costs what the shifts cost.
        let h = instance.horizon
        var working = Set<Int>()
        for sessions in index.sessions {
            for session in sessions {
                let first = max(session.span.start, h.start), last = min(session.span.end, h.end) - 1
                guard first <= last else { continue }
                for d in (first - h.start) / 1440...(last - h.start) / 1440 { working.insert(d) }
            }
        }
        let days = working.sorted().map { d in
            TimeSpan(start: h.start + d * 1440, end: min(h.start + d * 1440 + (kind == .twoDays ? 2 * 1440 : 1440), h.end))
        }
        var random = SplitMix(seed: seed &+ UInt64(kind.rawValue) &* 0x2545_F491_4F6C_DD1D &+ UInt64(epoch) &* 0x9E37_79B9)
        for day in days {
            switch kind {
            case .day, .twoDays:
                out.append(Neighbourhood(kind: kind, location: nil, day: day))
            case .locationDay:
                for l in instance.locations { out.append(Neighbourhood(kind: kind, location: l.id, day: day)) }
            case .window:
                for l in instance.locations {
                    // The hours that this location's sessions cover on this day, in overlapping windows.
                    let spans = index.sessions.joined().filter { $0.location == l.id && $0.span.overlaps(day) }.map(\.span)
                    guard let open = spans.map(\.start).min(), let close = spans.map(\.end).max() else { continue }
                    var start = max(open, day.start) + (epoch * 30) % windowStep
                    repeat {
                        let window = TimeSpan(start: start, end: start + windowLength)
                        out.append(Neighbourhood(kind: kind, location: l.id, day: day, window: window))
                        start += windowStep
                    } while start - windowStep + windowLength < min(close, day.end)
                }
            case .providers:
                for l in instance.locations {
                    var working = index.sessions.indices.filter { p in
                        index.sessions[p].contains { $0.location == l.id && $0.span.overlaps(day) }
                    }
                    guard working.count > 1 else { continue }
                    random.shuffle(&working)
                    // Groups of three (a last pair when two are left over).
                    var i = 0
                    while i < working.count {
                        var group = Array(working[i..<min(i + 3, working.count)])
                        if group.count == 1 { group.append(working[0]) }
                        out.append(Neighbourhood(kind: kind, location: l.id, day: day, providers: Set(group)))
                        i += 3
                    }
                }
            }
        }
        random.shuffle(&out)
        return out
    }

    /// Whether the free request `r` may take `placement` in this neighbourhood.
    func allows(_ placement: Placement, of r: Int, index: InstanceIndex) -> Bool {
        if let providers, !placement.providers.allSatisfy({ index.provider[$0].map(providers.contains) ?? false }) { return false }
        if let window {
            guard let t = index.requestType[r], window.contains(index.instance.appointmentTypes[t].visit(at: placement.start)) else { return false }
        }
        if isNarrow, let location, let room = placement.room.flatMap({ index.room[$0] }),
           index.instance.rooms[room].location != location { return false }
        return true
    }

    /// Requests that may change here: bookings in it that are not pinned, and waiting requests
    /// that could go there, most expensive to leave out first, at most `limit` (a group counts
    /// whole). A group comes whole or not at all. Series partners are free together when neither
    /// is in a group (the model links them); otherwise a series member moves within the gaps its
    /// fixed partners leave it.
    ///
    /// - Parameters:
    ///   - unplaceable: waiting requests that no schedule can place (see
    ///     ``Neighbourhood/unplaceable(_:)``); they are never freed.
    ///   - waitingShare: the part of `limit` kept for the most expensive waiting requests, which
    ///     come before the bookings; 0: bookings first, waiting requests in the space left.
    func freeRequests(engine: BookingEngine, limit: Int, unplaceable: Set<Int> = [], waitingShare: Double = 0.5) -> [Int] {
        let index = engine.index
        let instance = index.instance
        // Pinned bookings stay, and so do bookings that start before the decision time (format 2):
        // a visit that has begun or passed is not moved.
        let now = instance.usesVersion2Rules ? instance.decisionTime : Int.min
        func eligible(_ r: Int) -> Bool {
            index.isFirstRequest[r] && instance.requests[r].current.map { !$0.pinned && $0.start >= now } ?? true
        }
        func bookedHere(_ p: Placement, _ r: Int) -> Bool {
            guard day.contains(minute: p.start) else { return false }
            if let location {
                let at = p.room.flatMap { index.room[$0] }.map { instance.rooms[$0].location }
                    ?? p.providers.first.flatMap { index.provider[$0] }.flatMap { pr in
                        index.shift(of: pr, containing: TimeSpan(start: p.start, end: p.start + 1))?.location }
                guard at == location else { return false }
            }
            if let window, let t = index.requestType[r],
               !window.overlaps(instance.appointmentTypes[t].visit(at: p.start)) { return false }
            if let providers, !p.providers.contains(where: { index.provider[$0].map(providers.contains) ?? false }) { return false }
            return true
        }
        func couldGoHere(_ r: Int) -> Bool {
            let request = instance.requests[r]
            let span = window ?? day
            guard let t = index.requestType[r] else { return false }
            let type = instance.appointmentTypes[t]
            guard request.earliest < span.end, request.latest + type.durationMinutes > span.start else { return false }
            if let location, let allowed = request.locations, !allowed.contains(location) { return false }
            if let providers {
                let firstRole = type.roles.first?.skills ?? []
                let serves = providers.contains { p in
                    firstRole.allSatisfy(index.skills[p].contains)
                        && (request.providers?.contains(instance.providers[p].id) ?? true)
                }
                if !serves { return false }
            }
            return true
        }
        var booked: [[Int]] = [], waiting: [[Int]] = []
        var taken = Set<String>()
        for r in instance.requests.indices where eligible(r) {
            let request = instance.requests[r]
            let placement = engine.booking(of: request.id)
            guard placement.map({ bookedHere($0, r) }) ?? couldGoHere(r) else { continue }
            var unit = [r]
            if let g = request.group, let members = index.groups[g.id], members.count > 1 {
                guard taken.insert(g.id).inserted, members.allSatisfy(eligible) else { continue }
                unit = members
            }
            if placement != nil {
                booked.append(unit)
            } else if !unit.contains(where: unplaceable.contains) {
                waiting.append(unit)
            }
        }
        let penalty = { (unit: [Int]) in unit.reduce(0.0) { $0 + instance.objective.unscheduledPenalty[instance.requests[$1].priority] } }
        waiting.sort { (-penalty($0), $0[0]) < (-penalty($1), $1[0]) }
        // The most expensive waiting requests come first, up to the share, so that a crowded
        // neighbourhood still tries to make room for them; then the bookings; then more waiting
        // requests if there is space.
        var share = 0, firstWaiting: [[Int]] = []
        for unit in waiting {
            guard share + unit.count <= Int(Double(limit) * waitingShare) else { break }
            firstWaiting.append(unit)
            share += unit.count
        }
        let order = firstWaiting + booked + waiting.dropFirst(firstWaiting.count)
        var out: [Int] = []
        var chosen = Set<Int>(), inGroups = Set<Int>()
        for unit in order {
            guard out.count + unit.count <= limit || out.isEmpty else { continue }
            let partners = unit.flatMap { r in
                (instance.requests[r].after.flatMap { index.request[$0.request] }.map { [$0] } ?? []) + engine.successorsOf(r)
            }
            // Series partners may be free together when neither is in a group.
            if partners.contains(where: inGroups.contains) || (unit.count > 1 && partners.contains(where: chosen.contains)) { continue }
            out += unit
            chosen.formUnion(unit)
            if unit.count > 1 { inGroups.formUnion(unit) }
        }
        return out
    }
}

extension Neighbourhood {
    /// Waiting requests that no schedule can place: with every other booking gone (existing ones
    /// included), the booking engine still finds no offer (a window outside the horizon, no
    /// qualified provider working at an allowed location, no room of a fitting kind open then, …).
    /// Series members are left out of the test: alone they wait for their predecessor.
    ///
    /// - Complexity: one offer search per waiting request, on an empty schedule.
    ///
    /// - Parameter deadline: the search stops looking then (checked every 64 requests): the
    ///   requests not looked at count as placeable, which only makes neighbourhoods larger.
    static func unplaceable(_ engine: BookingEngine, until deadline: ContinuousClock.Instant? = nil) -> Set<Int> {
        let index = engine.index
        var instance = index.instance
        for i in instance.requests.indices { instance.requests[i].current = nil }
        var empty = BookingEngine(instance)
        var out = Set<Int>()
        var groupsTried = Set<String>()  // a group's offer search covers all its members: once per group
        var clock = DeadlineCheck(deadline)
        for (r, request) in instance.requests.enumerated()
        where index.isFirstRequest[r] && request.after == nil && !engine.isBooked(request.id) {
            if clock.passed() { break }
            if let g = request.group?.id, !groupsTried.insert(g).inserted { continue }
            guard empty.offers(for: request.id, limit: 1).offers.isEmpty else { continue }
            out.insert(r)
            for m in index.groups[request.group?.id ?? ""] ?? [] { out.insert(m) }
        }
        return out
    }
}

/// SplitMix64: a small seeded generator, so that the same seed gives the same search.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates.
    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(next() % UInt64(i + 1))) }
    }
}
