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
    struct Choice {
        var request: Int
        var placement: Placement
        var variable: Variable
    }

    var model: MIPModel
    var choices: [Choice] = []
    var unscheduled: [Int: Variable] = [:]
    /// Values for the current placements of the free requests: a feasible warm start.
    var warmStart: [Double]
    /// Objective value of the warm start.
    var warmObjective: Double

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
        var perRequest: [Int: [Int]] = [:]  // request -> choice indices
        for r in free {
            let request = instance.requests[r]
            var placements = exhaustive ? engine.allPlacements(for: r, maxCount: 5000)
                : engine.candidatePlacements(for: r, limit: candidatesPerRequest)
            if let c = current[r], !placements.contains(c) { placements.append(c) }
            if request.current == nil {
                sub.unscheduled[r] = model.addVariable("u_\(request.id)", kind: .binary,
                                                       objective: ob.unscheduledPenalty[request.priority])
            }
            var vars: [Variable] = []
            for (k, p) in placements.enumerated() {
                let cost = engine.placementCost(r, p)
                let v = model.addVariable("x_\(request.id)_\(k)", kind: .binary, objective: cost.lead + cost.preference + cost.moves)
                vars.append(v)
                perRequest[r, default: []].append(sub.choices.count)
                sub.choices.append(Choice(request: r, placement: p, variable: v))
            }
            var terms = vars.map { Term($0, 1) }
            if let u = sub.unscheduled[r] { terms.append(Term(u, 1)) }
            guard !terms.isEmpty else { return nil }
            model.addConstraint(terms, .equal(1), name: "assign_\(request.id)", group: "assign")
        }
        // Resource intervals of every choice.
        struct Use { var choice: Int; var span: TimeSpan }
        var providerUse: [Int: [Use]] = [:], roomUse: [Int: [Use]] = [:], patientUse: [Int: [Use]] = [:]
        var poolUse: [Int: [(use: Use, quantity: Int)]] = [:]
        for (i, c) in sub.choices.enumerated() {
            guard let t = index.requestType[c.request] else { continue }
            let type = instance.appointmentTypes[t]
            let visit = type.visit(at: c.placement.start)
            for pid in c.placement.providers { if let p = index.provider[pid] { providerUse[p, default: []].append(Use(choice: i, span: visit)) } }
            patientUse[index.patient[c.request], default: []].append(Use(choice: i, span: visit))
            if let roomID = c.placement.room, let k = index.room[roomID] {
                let interval = type.roomInterval(at: c.placement.start)
                roomUse[k, default: []].append(Use(choice: i, span: interval))
                for need in type.equipment {
                    if let pool = index.poolByKindAndLocation[.init(kind: need.kind, location: instance.rooms[k].location)] {
                        poolUse[pool, default: []].append((Use(choice: i, span: interval), need.quantity))
                    }
                }
            }
        }
        func noOverlap(_ uses: [Int: [Use]], _ family: String) {
            for key in uses.keys.sorted() {
                let list = uses[key]!
                guard list.count > 1 else { continue }
                var seen = Set<[Int]>()
                for t in Set(list.map(\.span.start)).sorted() {
                    let covering = list.filter { $0.span.contains(minute: t) }.map(\.choice)
                    guard covering.count > 1, seen.insert(covering).inserted else { continue }
                    // Choices of one request already exclude each other through `assign`.
                    if Set(covering.map { sub.choices[$0].request }).count < 2 { continue }
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
        var sessions: [SessionKey: [Int]] = [:]
        for (i, c) in sub.choices.enumerated() {
            guard let t = index.requestType[c.request] else { continue }
            let visit = instance.appointmentTypes[t].visit(at: c.placement.start)
            for pid in c.placement.providers {
                guard let p = index.provider[pid], let k = index.session(of: p, containing: visit) else { continue }
                sessions[SessionKey(provider: p, session: k), default: []].append(i)
            }
        }
        let idleCost = ob.idleMinuteCost
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
            for i in sessions[key]! {
                let c = sub.choices[i]
                let t = index.requestType[c.request]!
                let visit = instance.appointmentTypes[t].visit(at: c.placement.start)
                // first ≤ start + M(1 − x)   ⇔   first + M·x ≤ start + M
                model.addConstraint([Term(first, 1), Term(c.variable, bigM)], .lessOrEqual(Double(visit.start) + bigM),
                                    name: "first_\(i)", group: "sessionFirst")
                // last ≥ end·x   (last ≥ span.start holds anyway)
                model.addConstraint([Term(last, 1), Term(c.variable, -Double(visit.end - span.start))],
                                    .greaterOrEqual(Double(span.start)), name: "last_\(i)", group: "sessionLast")
                // −busy: each visit's minutes count against idle.
                model.setObjective(c.variable, model.variables[c.variable.index].objective - idleCost * Double(visit.duration))
            }
        }
        sub.model = model
        // The warm start: every free request where it is now.
        var values = [Double](repeating: 0, count: model.variables.count)
        for r in free {
            if let c = current[r], let i = perRequest[r]?.first(where: { sub.choices[$0].placement == c }) {
                values[sub.choices[i].variable.index] = 1
            } else if let u = sub.unscheduled[r] {
                values[u.index] = 1
            }
        }
        // Session extents implied by the warm start.
        for key in sessions.keys {
            let fixed = engine.sessionVisitList(key.provider, key.session)
            var spans = fixed
            for i in sessions[key]! where values[sub.choices[i].variable.index] == 1 {
                let c = sub.choices[i]
                spans.append(instance.appointmentTypes[index.requestType[c.request]!].visit(at: c.placement.start))
            }
            let span = index.sessions[key.provider][key.session].span
            let f = spans.map(\.start).min() ?? span.start, l = spans.map(\.end).max() ?? span.start
            if let v = model.variables.firstIndex(where: { $0.name == "first_\(key.provider)_\(key.session)" }) { values[v] = Double(f) }
            if let v = model.variables.firstIndex(where: { $0.name == "last_\(key.provider)_\(key.session)" }) { values[v] = Double(l) }
        }
        sub.warmStart = values
        sub.warmObjective = model.objectiveValue(values)
        return sub
    }
}
