import AppointmentModel
import MIPModel
@_spi(Optimizer) import RealTimeBooking

/// One neighbourhood of the schedule as an integer program: the *free* requests may be placed
/// anew (or left out), everything else stays exactly where it is.
///
/// Variables and constraint families (named as in `Docs/batch-formulation.md`):
/// - `x[r,c]` binary: free request r takes candidate c (a provider per role, a room, a start),
///   generated only among placements feasible against the fixed bookings;
/// - `u[r]` binary: r stays unscheduled (fixed to 0 for requests with an existing booking);
/// - `first[p,s]`, `last[p,s]` continuous: the first start and last end in provider session s.
///
/// - `assign`: Σ_c x[r,c] + u[r] = 1
/// - `provider`, `room`, `patient`: at every candidate start t, Σ x over candidates of the
///   resource that cover t ≤ 1 (intervals overlap exactly when one covers the other's start)
/// - `equipment`: at every point t where usage can change, Σ q·x over candidates covering t ≤
///   the pool's capacity minus the fixed usage at t
/// - `sessionFirst`, `sessionLast`: first ≤ start + M(1 − x), last ≥ end·x, and the fixed visits
///
/// Objective: Σ penalty·u + Σ (lead + preference + move)·x + idleCost·Σ_s (last − first − busy).
struct Subproblem {
    /// One candidate of a unit (a request, or a whole group): a placement per member.
    struct Choice {
        var unit: Int
        var placements: [(request: Int, placement: Placement)]
        var variable: Variable
    }

    var model: MIPModel
    var choices: [Choice] = []
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
    static func build(state: BookingEngine, free: [Int], candidatesPerRequest: Int, exhaustive: Bool = false) -> Subproblem? {
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
        // Units: a group's members together (all of them are free), otherwise single requests.
        var seenGroups = Set<String>()
        for r in free {
            if let g = instance.requests[r].group, let members = index.groups[g.id], members.count > 1 {
                guard seenGroups.insert(g.id).inserted else { continue }
                sub.units.append(engine.groupMembers(r))
            } else {
                sub.units.append([r])
            }
        }
        let predecessorsOfBooked = Set(free.filter { r in engine.successorsBooked(r) })
        for (u, members) in sub.units.enumerated() {
            let lead = instance.requests[members[0]]
            let name = members.count > 1 ? "group_\(lead.group!.id)" : lead.id
            var options: [[(request: Int, placement: Placement)]] = []
            if members.count > 1 {
                let offers = engine.offers(for: lead.id, limit: exhaustive ? 40 : candidatesPerRequest).offers
                options = offers.map { o in o.placements.compactMap { p in index.request[p.request].map { ($0, p) } } }
                let now = members.compactMap { m in current[m].map { (m, $0) } }
                if now.count == members.count, !options.contains(where: { Self.same($0, now) }) { options.append(now) }
            } else {
                let r = members[0]
                var placements = exhaustive ? engine.allPlacements(for: r, maxCount: 5000)
                    : engine.candidatePlacements(for: r, limit: candidatesPerRequest)
                if let c = current[r], !placements.contains(c) { placements.append(c) }
                options = placements.map { [(r, $0)] }
            }
            let mustStay = members.contains { instance.requests[$0].current != nil || predecessorsOfBooked.contains($0) }
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
        func noOverlap(_ uses: [Int: [Use]], _ family: String) {
            for key in uses.keys.sorted() {
                let list = uses[key]!.sorted { ($0.span.start, $0.choice) < ($1.span.start, $1.choice) }
                guard list.count > 1 else { continue }
                var seen = Set<[Int]>()
                var active: [Use] = []
                var next = 0
                while next < list.count {
                    let t = list[next].span.start
                    while next < list.count, list[next].span.start == t { active.append(list[next]); next += 1 }
                    active.removeAll { $0.span.end <= t }
                    let covering = Array(Set(active.map(\.choice))).sorted()
                    guard covering.count > 1, seen.insert(covering).inserted else { continue }
                    // Choices of one unit already exclude each other through `assign`.
                    if Set(covering.map { sub.choices[$0].unit }).count < 2 { continue }
                    model.addConstraint(covering.map { Term(sub.choices[$0].variable, 1) }, .lessOrEqual(1),
                                        name: "\(family)_\(key)_\(t)", group: family)
                }
            }
        }
        noOverlap(providerUse, "provider")
        noOverlap(roomUse, "room")
        noOverlap(patientUse, "patient")
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
        var sessionVariables: [SessionKey: (first: Variable, last: Variable)] = [:]
        for key in sessions.keys.sorted(by: { ($0.provider, $0.session) < ($1.provider, $1.session) }) {
            let span = index.sessions[key.provider][key.session].span
            let fixed = engine.sessionVisitList(key.provider, key.session)
            let first = model.addVariable("first_\(key.provider)_\(key.session)", lowerBound: Double(span.start),
                                          upperBound: Double(span.end), objective: -idleCost)
            let last = model.addVariable("last_\(key.provider)_\(key.session)", lowerBound: Double(span.start),
                                         upperBound: Double(span.end), objective: idleCost)
            model.addConstraint([Term(last, 1), Term(first, -1)], .greaterOrEqual(0), name: "order_\(key.provider)_\(key.session)",
                                group: "sessionOrder")
            if let f = fixed.map(\.start).min(), let l = fixed.map(\.end).max() {
                model.addConstraint([Term(first, 1)], .lessOrEqual(Double(f)), name: "fixedFirst_\(key.provider)_\(key.session)", group: "sessionFirst")
                model.addConstraint([Term(last, 1)], .greaterOrEqual(Double(l)), name: "fixedLast_\(key.provider)_\(key.session)", group: "sessionLast")
            }
            let bigM = Double(span.end - span.start)
            for (i, visit) in sessions[key]! {
                let c = sub.choices[i]
                // first ≤ start + M(1 − x)   ⇔   first + M·x ≤ start + M
                model.addConstraint([Term(first, 1), Term(c.variable, bigM)], .lessOrEqual(Double(visit.start) + bigM),
                                    name: "first_\(i)_\(visit.start)", group: "sessionFirst")
                // last ≥ end·x   (last ≥ span.start holds anyway)
                model.addConstraint([Term(last, 1), Term(c.variable, -Double(visit.end - span.start))],
                                    .greaterOrEqual(Double(span.start)), name: "last_\(i)_\(visit.start)", group: "sessionLast")
                // −busy: each visit's minutes count against idle.
                model.setObjective(c.variable, model.variables[c.variable.index].objective - idleCost * Double(visit.duration))
            }
            sessionVariables[key] = (first, last)
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
        for (key, vars) in sessionVariables {
            var spans = engine.sessionVisitList(key.provider, key.session)
            for (i, visit) in sessions[key]! where values[sub.choices[i].variable.index] == 1 { spans.append(visit) }
            let span = index.sessions[key.provider][key.session].span
            values[vars.first.index] = Double(spans.map(\.start).min() ?? span.start)
            values[vars.last.index] = Double(spans.map(\.end).max() ?? span.start)
        }
        sub.warmStart = values
        sub.warmObjective = model.objectiveValue(values)
        return sub
    }
}
