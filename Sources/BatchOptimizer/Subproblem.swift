import AppointmentModel
import MIPModel
import RealTimeBooking

/// One neighbourhood of the schedule as an integer program: the *free* requests may be placed
/// anew (or left out), everything else stays exactly where it is.
///
/// Variables and constraint families (named as in `Docs/batch-formulation.md`, which gives the
/// maths):
/// - `x[r,c]` binary: free request r takes candidate c (a provider per role, a room or a room
///   pool, a start), generated only among placements feasible against the fixed bookings;
/// - `u[r]` binary: r stays unscheduled (absent for requests that must stay assigned);
/// - per provider session, over the segments between its visit boundaries: `started`, `open`
///   (and `used` when no fixed visit is in it), continuous in [0, 1].
///
/// - `assign`: Σ_c x[r,c] + u[r] = 1
/// - `provider`, `patient`, `room`: at every candidate start t, Σ x over candidates of the
///   resource covering t ≤ 1 (≤ the pool size for a room pool)
/// - `equipment`: Σ q·x over candidates covering t ≤ the pool's capacity minus fixed usage at t
/// - `group`, `series`: members and partners linked start by start
/// - `sessionFirst`, `sessionLast`, `sessionUsed`, `sessionCovered`: the session's span
///
/// Objective: Σ penalty·u + Σ (lead + preference + move − idleCost·duration)·x
/// + idleCost·Σ_s span(s): the spec's cost up to a constant.
struct Subproblem {
    /// Placements per request in a narrow neighbourhood, at most.
    static let narrowPlacementLimit = 120
    /// One candidate of a unit (a request, or a whole group): a placement per member.
    struct Choice {
        var unit: Int
        var placements: [(request: Int, placement: Placement)]
        var variable: Variable
    }

    /// The idle-time variables of one provider session: the distinct visit starts and ends in it
    /// (`points`), and per segment between two of them whether the session has started by its
    /// start and is still open at its end; `used` when no fixed visit keeps the session in use.
    struct SessionSpan {
        var points: [Int]
        var started: [Variable]
        var open: [Variable]
        var used: Variable?
    }

    var model: MIPModel
    var choices: [Choice] = []
    /// Whether the model holds every feasible placement of its free requests (then its bound is a
    /// bound for them): placements enumerated without a cap, every provider combination, groups
    /// modelled member by member.
    var isComplete = false
    /// Pools of interchangeable rooms: first room → every room of the pool (first included).
    var roomPools: [Int: [Int]] = [:]
    /// Per unit: its `u` variable, when it may stay out.
    var unscheduled: [Int: Variable] = [:]
    /// The units: the members of each (one request, or a group in placement order).
    var units: [[Int]] = []
    /// Values for the current placements of the free requests: a feasible warm start.
    var warmStart: [Double]
    /// Objective value of the warm start.
    var warmObjective: Double

    static func same(_ a: [(request: Int, placement: Placement)], _ b: [(Int, Placement)]) -> Bool {
        a.count == b.count && a.allSatisfy { x in b.contains { $0.0 == x.request && $0.1 == x.placement } }
    }

    /// Builds the program for `free` requests over `state` (which must hold the current schedule).
    ///
    /// - Parameter candidatesPerRequest: how many of the best-fit candidates per request.
    /// - Parameter exhaustive: every feasible placement instead of the best few (for small
    ///   instances solved as one model).
    /// - Parameter focus: the neighbourhood; a narrow one enumerates every placement it allows.
    static func build(state: BookingEngine, free: [Int], candidatesPerRequest: Int, exhaustive: Bool = false,
                      focus: Neighbourhood? = nil) -> Subproblem? {
        let instance = state.index.instance
        let index = state.index
        let ob = instance.objective
        var engine = state
        // Lift the free requests out; what remains is fixed.
        var current: [Int: Placement] = [:]
        for r in free {
            if let p = engine.booking(of: instance.requests[r].id) {
                current[r] = p
                try? engine.cancelForOptimizer(r)
            }
        }
        var model = MIPModel(name: "neighbourhood", sense: .minimize)
        var sub = Subproblem(model: model, warmStart: [], warmObjective: 0)
        var perUnit: [Int: [Int]] = [:]  // unit -> choice indices
        // Units: single requests, and groups (all members free). Where every placement is
        // enumerated, a group's members are units of their own tied by `group` rows; elsewhere a
        // group is one unit whose options are whole-group offers.
        let memberwise = exhaustive || focus?.isNarrow == true
        var groupLinks: [(group: GroupMembership, members: [Int])] = []
        var seenGroups = Set<String>()
        for r in free {
            if let g = instance.requests[r].group, let members = index.groups[g.id], members.count > 1 {
                guard seenGroups.insert(g.id).inserted else { continue }
                let ordered = engine.groupMembers(r)
                if memberwise {
                    for m in ordered { sub.units.append([m]) }
                    groupLinks.append((g, ordered))
                } else {
                    sub.units.append(ordered)
                }
            } else {
                sub.units.append([r])
            }
        }
        // A group stays whole: when one member must stay assigned, all must.
        var groupMustStay = Set<String>()
        for (g, members) in groupLinks where members.contains(where: { instance.requests[$0].current != nil }) {
            groupMustStay.insert(g.id)
        }
        let predecessorsOfBooked = Set(free.filter { r in engine.successorsBooked(r) })
        // Series partners free together (single requests both): their link is a row of the model,
        // so each is placed without the other's booking (`ignoring`).
        let singles = Set(sub.units.filter { $0.count == 1 }.map { $0[0] })
        var optionsOf: [[[(request: Int, placement: Placement)]]] = []
        sub.isComplete = exhaustive
        for members in sub.units {
            let lead = instance.requests[members[0]]
            var options: [[(request: Int, placement: Placement)]] = []
            if members.count > 1 {
                // Only where placements are not enumerated (there, members are units of their own).
                let offers = engine.offers(for: lead.id, limit: candidatesPerRequest).offers
                options = offers.map { o in o.placements.compactMap { p in index.request[p.request].map { ($0, p) } } }
                if let focus { options = options.filter { $0.allSatisfy { focus.allows($0.placement, of: $0.request, index: index) } } }
                sub.isComplete = false  // whole-group offers are a heuristic selection
                let now = members.compactMap { m in current[m].map { (m, $0) } }
                if now.count == members.count, !options.contains(where: { Self.same($0, now) }) { options.append(now) }
            } else {
                let r = members[0]
                var placements: [Placement]
                if exhaustive {
                    placements = engine.allPlacements(for: r, maxCount: 5000, ignoring: singles, everyProviderCombination: true)
                    if placements.count >= 5000 { sub.isComplete = false }  // capped
                } else if let focus, focus.isNarrow {
                    placements = engine.allPlacements(for: r, maxCount: 5000, within: focus.window, ignoring: singles,
                                                      everyProviderCombination: true)
                        .filter { focus.allows($0, of: r, index: index) }
                } else {
                    placements = engine.candidatePlacements(for: r, limit: candidatesPerRequest, ignoring: singles)
                }
                if let c = current[r], !placements.contains(c) { placements.append(c) }
                options = placements.map { [(r, $0)] }
            }
            optionsOf.append(options)
        }
        // Interchangeable rooms become one pool: a choice names the pool's first room, and the
        // pool's capacity bounds the choices that overlap (rows below). Only rooms that no fixed
        // booking uses where the choices could go join a pool, so the rows are exact: intervals
        // that never overlap more than k at once fit in k rooms (interval graphs are perfect).
        sub.roomPools = Self.roomPools(optionsOf.joined().joined().map { $0 }, engine: engine)
        var representative: [String: String] = [:]
        for (first, members) in sub.roomPools {
            for k in members { representative[instance.rooms[k].id] = instance.rooms[first].id }
        }
        func pooled(_ p: Placement) -> Placement {
            var p = p
            if let room = p.room, let first = representative[room] { p.room = first }
            return p
        }
        for r in current.keys { current[r] = pooled(current[r]!) }
        for (u, members) in sub.units.enumerated() {
            let lead = instance.requests[members[0]]
            let name = members.count > 1 ? "group_\(lead.group!.id)" : lead.id
            var options: [[(request: Int, placement: Placement)]] = []
            var seen = Set<[Placement]>()
            for option in optionsOf[u] {
                let mapped = option.map { (request: $0.request, placement: pooled($0.placement)) }
                if seen.insert(mapped.map(\.placement)).inserted { options.append(mapped) }
            }
            if members.count == 1, focus?.isNarrow == true, !exhaustive, options.count > narrowPlacementLimit {
                // The cheapest by lead, preference and move, and the current placement.
                let r = members[0]
                let cost = options.map { o -> Double in
                    if o[0].placement == current[r] { return -.infinity }
                    let c = engine.placementCost(r, o[0].placement)
                    return c.lead + c.preference + c.moves
                }
                options = options.indices.sorted { (cost[$0], $0) < (cost[$1], $1) }.prefix(narrowPlacementLimit).sorted().map { options[$0] }
            }
            let mustStay = members.contains {
                instance.requests[$0].current != nil || predecessorsOfBooked.contains($0)
                    || instance.requests[$0].group.map { groupMustStay.contains($0.id) } == true
            }
            if !mustStay {
                let penalty = members.reduce(0.0) { $0 + ob.unscheduledPenalty[instance.requests[$1].priority] }
                sub.unscheduled[u] = model.addVariable("u_\(name)", kind: .binary, objective: penalty)
            }
            var vars: [Variable] = []
            for (k, option) in options.enumerated() {
                let cost = option.reduce(0.0) { total, part in
                    let c = engine.placementCost(part.request, part.placement)
                    return total + c.lead + c.preference + c.moves
                }
                let v = model.addVariable("x_\(name)_\(k)", kind: .binary, objective: cost)
                vars.append(v)
                perUnit[u, default: []].append(sub.choices.count)
                sub.choices.append(Choice(unit: u, placements: option, variable: v))
            }
            var terms = vars.map { Term($0, 1) }
            if let uv = sub.unscheduled[u] { terms.append(Term(uv, 1)) }
            guard !terms.isEmpty else { return nil }
            model.addConstraint(terms, .equal(1), name: "assign_\(name)", group: "assign")
        }
        var unitOf: [Int: Int] = [:]
        for (u, members) in sub.units.enumerated() where members.count == 1 { unitOf[members[0]] = u }
        // `group`: members of a group in or out together (equal `u`); sameStart: as many of each
        // member's choices start at t; sequence: the next member starts at t only if the previous
        // one ends in [t − maxGap, t].
        for (g, members) in groupLinks {
            let lead = members[0]
            guard let lu = unitOf[lead] else { continue }
            for (a, b) in zip(members, members.dropFirst()) {
                guard let au = unitOf[a], let bu = unitOf[b] else { continue }
                let name = "\(g.id)_\(instance.requests[b].id)"
                if let ua = sub.unscheduled[au], let ub = sub.unscheduled[bu] {
                    model.addConstraint([Term(ub, 1), Term(ua, -1)], .equal(0), name: "groupWhole_\(name)", group: "group")
                }
                let bStarts = Dictionary(grouping: perUnit[bu] ?? []) { sub.choices[$0].placements[0].placement.start }
                switch g.mode {
                case .sameStart:
                    let leadStarts = Dictionary(grouping: perUnit[lu] ?? []) { sub.choices[$0].placements[0].placement.start }
                    for t in Set(leadStarts.keys).union(bStarts.keys).sorted() {
                        model.addConstraint((leadStarts[t] ?? []).map { Term(sub.choices[$0].variable, 1) }
                                            + (bStarts[t] ?? []).map { Term(sub.choices[$0].variable, -1) },
                                            .equal(0), name: "groupSameStart_\(name)_\(t)", group: "group")
                    }
                case .sequence:
                    let duration = index.requestType[a].map { instance.appointmentTypes[$0].durationMinutes } ?? 0
                    let previous = perUnit[au] ?? []
                    for t in bStarts.keys.sorted() {
                        let fitting = previous.filter {
                            let end = sub.choices[$0].placements[0].placement.start + duration
                            return end <= t && t <= end + g.maxGapMinutes
                        }
                        model.addConstraint(bStarts[t]!.map { Term(sub.choices[$0].variable, 1) } + fitting.map { Term(sub.choices[$0].variable, -1) },
                                            .lessOrEqual(0), name: "groupSequence_\(name)_\(t)", group: "group")
                    }
                }
            }
        }
        // `series`: a successor starts at t only if its predecessor starts in [t − max, t − min]
        // (one row per start t of the successor: at most one of its choices is taken).
        for (u, members) in sub.units.enumerated() where members.count == 1 {
            guard let link = instance.requests[members[0]].after, let p = index.request[link.request],
                  let pu = unitOf[p] else { continue }
            let mine = perUnit[u] ?? [], theirs = perUnit[pu] ?? []
            let starts = Dictionary(grouping: mine) { sub.choices[$0].placements[0].placement.start }
            for t in starts.keys.sorted() {
                let compatible = theirs.filter {
                    let ps = sub.choices[$0].placements[0].placement.start
                    return ps >= t - link.maxGapMinutes && ps <= t - link.minGapMinutes
                }
                model.addConstraint(starts[t]!.map { Term(sub.choices[$0].variable, 1) } + compatible.map { Term(sub.choices[$0].variable, -1) },
                                    .lessOrEqual(0), name: "series_\(instance.requests[members[0]].id)_\(t)", group: "series")
            }
        }
        // Resource intervals of every choice.
        struct Use { var choice: Int; var span: TimeSpan }
        var providerUse: [Int: [Use]] = [:], roomUse: [Int: [Use]] = [:], patientUse: [Int: [Use]] = [:]
        var poolUse: [Int: [(use: Use, quantity: Int)]] = [:]
        for (i, c) in sub.choices.enumerated() {
            for (r, placement) in c.placements {
                guard let t = index.requestType[r] else { continue }
                let type = instance.appointmentTypes[t]
                let visit = type.visit(at: placement.start)
                for pid in placement.providers { if let p = index.provider[pid] { providerUse[p, default: []].append(Use(choice: i, span: visit)) } }
                patientUse[index.patient[r], default: []].append(Use(choice: i, span: visit))
                if let roomID = placement.room, let k = index.room[roomID] {
                    let interval = type.roomInterval(at: placement.start)
                    roomUse[k, default: []].append(Use(choice: i, span: interval))
                    for need in type.equipment {
                        if let pool = index.poolByKindAndLocation[.init(kind: need.kind, location: instance.rooms[k].location)] {
                            poolUse[pool, default: []].append((Use(choice: i, span: interval), need.quantity))
                        }
                    }
                }
            }
        }
        /// One row per distinct start of a resource's intervals, over the intervals covering it,
        /// found with a sweep in start order.
        ///
        /// - Complexity: O(k log k + k × a) for k intervals with at most a overlapping at once.
        func noOverlap(_ uses: [Int: [Use]], _ family: String, capacity: (Int) -> Int = { _ in 1 }) {
            for key in uses.keys.sorted() {
                let list = uses[key]!.sorted { ($0.span.start, $0.choice) < ($1.span.start, $1.choice) }
                let limit = capacity(key)
                guard list.count > limit else { continue }
                var seen = Set<[Int]>()
                var active: [Use] = []
                var next = 0
                while next < list.count {
                    let t = list[next].span.start
                    while next < list.count, list[next].span.start == t { active.append(list[next]); next += 1 }
                    active.removeAll { $0.span.end <= t }
                    let covering = Array(Set(active.map(\.choice))).sorted()
                    guard covering.count > limit, seen.insert(covering).inserted else { continue }
                    // Choices of one unit already exclude each other through `assign`.
                    if Set(covering.map { sub.choices[$0].unit }).count < 2 { continue }
                    model.addConstraint(covering.map { Term(sub.choices[$0].variable, 1) }, .lessOrEqual(Double(limit)),
                                        name: "\(family)_\(key)_\(t)", group: family)
                }
            }
        }
        noOverlap(providerUse, "provider")
        noOverlap(patientUse, "patient")
        noOverlap(roomUse, "room", capacity: { sub.roomPools[$0]?.count ?? 1 })
        for pool in poolUse.keys.sorted() {
            let list = poolUse[pool]!
            let capacity = instance.equipment[pool].quantity
            var points = Set(list.map(\.use.span.start))
            for m in engine.poolChangePoints(pool, within: list.map(\.use.span)) { points.insert(m) }
            for t in points.sorted() {
                let covering = list.filter { $0.use.span.contains(minute: t) }
                guard covering.count > 1 else { continue }
                let free = capacity - engine.poolUsage(pool, at: t)
                model.addConstraint(covering.map { Term(sub.choices[$0.use.choice].variable, Double($0.quantity)) },
                                    .lessOrEqual(Double(free)), name: "equipment_\(pool)_\(t)", group: "equipment")
            }
        }
        // Idle time of every provider session a choice touches.
        var sessions: [SessionKey: [(choice: Int, visit: TimeSpan)]] = [:]
        for (i, c) in sub.choices.enumerated() {
            for (r, placement) in c.placements {
                guard let t = index.requestType[r] else { continue }
                let visit = instance.appointmentTypes[t].visit(at: placement.start)
                for pid in placement.providers {
                    guard let p = index.provider[pid], let k = index.session(of: p, containing: visit) else { continue }
                    sessions[SessionKey(provider: p, session: k), default: []].append((i, visit))
                }
            }
        }
        let idleCost = ob.idleMinuteCost
        var sessionRows: [SessionKey: SessionSpan] = [:]
        for key in sessions.keys.sorted(by: { ($0.provider, $0.session) < ($1.provider, $1.session) }) {
            let visits = sessions[key]!
            let fixed = engine.sessionVisitList(key.provider, key.session)
            var cuts = Set<Int>()
            for (_, visit) in visits { cuts.insert(visit.start); cuts.insert(visit.end) }
            if let f = fixed.map(\.start).min(), let l = fixed.map(\.end).max() { cuts.insert(f); cuts.insert(l) }
            let points = cuts.sorted()
            let name = "\(key.provider)_\(key.session)"
            var span = SessionSpan(points: points, started: [], open: [], used: nil)
            // started[j] = 1 when the session's first visit starts at or before points[j];
            // open[j] = 1 when its last visit ends at or after points[j+1]. Together they cover
            // segment j exactly when it lies between the first start and the last end.
            for j in 0..<(points.count - 1) {
                let w = Double(points[j + 1] - points[j])
                span.started.append(model.addVariable("started_\(name)_\(j)", upperBound: 1, objective: idleCost * w))
                span.open.append(model.addVariable("open_\(name)_\(j)", upperBound: 1, objective: idleCost * w))
                if j > 0 {
                    model.addConstraint([Term(span.started[j], 1), Term(span.started[j - 1], -1)], .greaterOrEqual(0),
                                        name: "startedGrows_\(name)_\(j)", group: "sessionFirst")
                    model.addConstraint([Term(span.open[j - 1], 1), Term(span.open[j], -1)], .greaterOrEqual(0),
                                        name: "openShrinks_\(name)_\(j)", group: "sessionLast")
                }
            }
            let segments = points.count - 1
            if let f = fixed.map(\.start).min(), let l = fixed.map(\.end).max() {
                // The fixed visits keep the session in use: the −W of a used session is a constant.
                for j in 0..<segments where points[j] >= f { model.setLowerBound(span.started[j], 1) }
                for j in 0..<segments where points[j + 1] <= l { model.setLowerBound(span.open[j], 1) }
            } else if segments > 0 {
                // used = 1 only when some visit is chosen; covering costs Σ w(started + open) − W·used.
                let used = model.addVariable("used_\(name)", upperBound: 1,
                                             objective: -idleCost * Double(points[segments] - points[0]))
                span.used = used
                model.addConstraint([Term(used, 1)] + visits.map { Term(sub.choices[$0.choice].variable, -1) }, .lessOrEqual(0),
                                    name: "usedByAVisit_\(name)", group: "sessionUsed")
                for j in 0..<segments {
                    model.addConstraint([Term(span.started[j], 1), Term(used, -1)], .lessOrEqual(0), name: "startedIfUsed_\(name)_\(j)",
                                        group: "sessionUsed")
                    model.addConstraint([Term(span.open[j], 1), Term(used, -1)], .lessOrEqual(0), name: "openIfUsed_\(name)_\(j)",
                                        group: "sessionUsed")
                }
            }
            // A segment covered by a chosen visit lies between the first start and the last end:
            // started + open − used ≥ Σ x over the visits covering it. So the span is never shorter
            // than the visits in it, and idle ≥ 0, in the relaxation too.
            var covering = [[Term]](repeating: [], count: segments)
            for (i, visit) in visits {
                let from = points.firstIndex(of: visit.start)!, to = points.firstIndex(of: visit.end)!
                for j in from..<to { covering[j].append(Term(sub.choices[i].variable, -1)) }
            }
            for j in 0..<segments where !covering[j].isEmpty {
                let usedTerm = span.used.map { [Term($0, -1)] } ?? []
                model.addConstraint([Term(span.started[j], 1), Term(span.open[j], 1)] + usedTerm + covering[j],
                                    .greaterOrEqual(span.used == nil ? 1 : 0), name: "covered_\(name)_\(j)", group: "sessionCovered")
            }
            for (i, visit) in visits {
                let c = sub.choices[i]
                let first = points.firstIndex(of: visit.start)!, end = points.firstIndex(of: visit.end)!
                if first < segments {
                    model.addConstraint([Term(span.started[first], 1), Term(c.variable, -1)], .greaterOrEqual(0),
                                        name: "startedBy_\(i)_\(name)", group: "sessionFirst")
                }
                if end > 0 {
                    model.addConstraint([Term(span.open[end - 1], 1), Term(c.variable, -1)], .greaterOrEqual(0),
                                        name: "openUntil_\(i)_\(name)", group: "sessionLast")
                }
                // −busy: each visit's minutes count against idle.
                model.setObjective(c.variable, model.variables[c.variable.index].objective - idleCost * Double(visit.duration))
            }
            sessionRows[key] = span
        }
        sub.model = model
        // The warm start: every free unit where it is now.
        var values = [Double](repeating: 0, count: model.variables.count)
        for (u, members) in sub.units.enumerated() {
            let now = members.compactMap { m in current[m].map { (m, $0) } }
            if now.count == members.count, let i = perUnit[u]?.first(where: { Self.same(sub.choices[$0].placements, now) }) {
                values[sub.choices[i].variable.index] = 1
            } else if let uv = sub.unscheduled[u] {
                values[uv.index] = 1
            }
        }
        for (key, span) in sessionRows {
            var visits = engine.sessionVisitList(key.provider, key.session)
            for (i, visit) in sessions[key]! where values[sub.choices[i].variable.index] == 1 { visits.append(visit) }
            guard let first = visits.map(\.start).min(), let last = visits.map(\.end).max() else { continue }
            for j in span.started.indices {
                values[span.started[j].index] = span.points[j] >= first ? 1 : 0
                values[span.open[j].index] = span.points[j + 1] <= last ? 1 : 0
            }
            if let used = span.used { values[used.index] = 1 }
        }
        sub.warmStart = values
        sub.warmObjective = model.objectiveValue(values)
        return sub
    }

    /// `state` with the free requests placed as `values` (a solution of the model) says; nil when
    /// a placement does not fit.
    ///
    /// Placements go in order of room-interval start, each in the room its choice names or, when
    /// an earlier one took it, another room of its pool: greedy interval colouring, which never
    /// fails when the pool's rows hold. A placement that waits for its series predecessor is tried
    /// again after the others.
    func schedule(_ values: [Double], on state: BookingEngine) -> BookingEngine? {
        let index = state.index
        let instance = index.instance
        var trial = state
        for unit in units {
            for r in unit where trial.isBooked(instance.requests[r].id) { try? trial.cancelForOptimizer(r) }
        }
        func roomStart(_ r: Int, _ p: Placement) -> Int {
            guard let t = index.requestType[r] else { return p.start }
            return instance.appointmentTypes[t].roomInterval(at: p.start).start
        }
        var pending = choices.filter { values[$0.variable.index] > 0.5 }.flatMap(\.placements)
            .sorted { (roomStart($0.request, $0.placement), $0.request) < (roomStart($1.request, $1.placement), $1.request) }
        while !pending.isEmpty {
            var waiting: [(request: Int, placement: Placement)] = []
            for (r, placement) in pending {
                var rooms: [String?] = [placement.room]
                if let k = placement.room.flatMap({ index.room[$0] }), let pool = roomPools[k] {
                    rooms += pool.filter { $0 != k }.map { instance.rooms[$0].id }
                }
                let placed = rooms.contains { room in
                    var p = placement
                    p.room = room
                    do throws(BookingError) { try trial.placeForOptimizer(r, p); return true } catch { return false }
                }
                if !placed { waiting.append((r, placement)) }
            }
            guard waiting.count < pending.count else { return nil }
            pending = waiting
        }
        return trial
    }

    /// Rooms of one class (``InstanceIndex/roomClass``) that no fixed booking uses during any
    /// of the room intervals the placements could take in that class, when there are two or more.
    static func roomPools(_ placements: [(request: Int, placement: Placement)], engine: BookingEngine) -> [Int: [Int]] {
        let index = engine.index
        let instance = index.instance
        var intervals: [Int: [TimeSpan]] = [:]  // class -> room intervals of the placements
        for (r, p) in placements {
            guard let k = p.room.flatMap({ index.room[$0] }), let t = index.requestType[r] else { continue }
            intervals[index.roomClass[k], default: []].append(instance.appointmentTypes[t].roomInterval(at: p.start))
        }
        var pools: [Int: [Int]] = [:]
        for (cls, spans) in intervals {
            let clean = instance.rooms.indices.filter { k in
                index.roomClass[k] == cls && spans.allSatisfy { engine.roomIsFree(k, during: $0) }
            }
            if clean.count > 1 { pools[clean[0]] = clean }
        }
        return pools
    }
}
