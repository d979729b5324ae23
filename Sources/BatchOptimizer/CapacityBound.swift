import AppointmentModel
import Foundation
import Logging
import MIPModel

extension BatchOptimizer {
    /// A valid lower bound on the cost of every schedule of `instance` that counts the providers'
    /// time: the optimum of a linear program in which each request is placed, in fractions, on
    /// days and at locations, and its visit minutes are drawn, for each of its roles, from the
    /// working minutes of providers who qualify. Rooms, equipment, blocks inside sessions, patients,
    /// groups, series, holds and authorisations are dropped, and so are idle time, preference
    /// misses and moves, which are never negative: every schedule is a point of this program at a
    /// cost no higher than its own, so the program's optimum is at most the optimum's cost.
    ///
    /// Providers of one location with the same skills form a class; `cap(c, d)` is the minutes
    /// the sessions of class `c` that start on day `d` hold. For request `r` with visit length
    /// `D_r`, `y(r, ℓ, d)` is the part of `r` placed at location `ℓ` (any, for telehealth) on day
    /// `d`, and `z(r, k, c, d)` the part of role `k` that class `c` fills:
    ///
    ///     minimise   Σ_r p_r · (1 − Σ_{ℓ,d} y(r,ℓ,d))  +  Σ_{r,ℓ,d} λ(r,ℓ,d) · y(r,ℓ,d)
    ///     subject to Σ_{ℓ,d} y(r,ℓ,d) ≤ 1            (= 1 for a request with a booking: rule 10)
    ///                Σ_c z(r,k,c,d) = y(r,ℓ,d)         for every role k (classes at ℓ)
    ///                Σ_{r,k} D_r · z(r,k,c,d) ≤ cap(c,d)
    ///
    /// where `p_r` is the unscheduled penalty and `λ(r,ℓ,d)` the lead cost at the earliest start
    /// that a session of that day and location admits for every role. Only the (class, day) pairs
    /// with a session that can hold a whole visit starting in the request's window appear.
    ///
    /// Where clinics are overloaded, most of the cost is the penalties of what does not fit, and
    /// this program sees how much fits; ``relaxationBound(_:)`` does not.
    ///
    /// - Parameters:
    ///   - instance: the clinic to bound.
    ///   - timeLimit: for the linear program; nil when it does not reach its optimum in time
    ///     (only an optimum is a bound).
    ///   - solver: the LP solver (GLPK by default).
    /// - Complexity: the LP has one `y` per request, location and day it can go to, and one `z`
    ///   per role and qualified class of that day; its solve dominates.
    public static func capacityBound(_ instance: Instance, timeLimit: Duration,
                                     solver: any SynchronousMIPSolver = BatchOptimizer().solver) -> Double? {
        capacityBound(index: InstanceIndex(instance), timeLimit: timeLimit, solver: solver, cancellation: OptimizerCancellation(),
                      logger: Logger(label: loggerLabel))
    }

    static func capacityBound(index: InstanceIndex, timeLimit: Duration, solver: any SynchronousMIPSolver,
                              cancellation: OptimizerCancellation, logger: Logger) -> Double? {
        let deadline = ContinuousClock.now + timeLimit
        let instance = index.instance
        let objective = instance.objective
        let horizonStart = instance.horizon.start
        struct ClassDay: Hashable { var skills: [String]; var location: String; var day: Int }
        // Sessions by class and day, and the classes' minutes.
        var sessionsOf: [ClassDay: [TimeSpan]] = [:]
        var capacity: [ClassDay: Int] = [:]
        for (p, provider) in instance.providers.enumerated() {
            let skills = Array(Set(provider.skills)).sorted()
            for session in index.sessions[p] {
                let day = Int((Double(session.span.start - horizonStart) / 1440).rounded(.down))
                let key = ClassDay(skills: skills, location: session.location, day: day)
                sessionsOf[key, default: []].append(session.span)
                capacity[key, default: 0] += session.span.end - session.span.start
            }
        }
        let classDays = sessionsOf.keys.sorted { ($0.day, $0.location, $0.skills.joined(separator: ",")) < ($1.day, $1.location, $1.skills.joined(separator: ",")) }

        var model = MIPModel(name: "capacity-bound")
        var rows: [ClassDay: [Term]] = [:]
        var penalties = 0.0
        for (r, request) in instance.requests.enumerated() {
            let penalty = objective.unscheduledPenalty[request.priority]
            // A request with a booking is always assigned (rule 10): no penalty, whatever this finds.
            guard let t = index.requestType[r] else {
                if request.current == nil { penalties += penalty }
                continue
            }
            let type = instance.appointmentTypes[t]
            let inPerson = !type.roomKinds.isEmpty
            let duration = type.durationMinutes
            // Per (location, day): for each role, the classes that admit a start, and the earliest.
            struct Place: Hashable { var location: String; var day: Int }
            var options: [Place: [[(ClassDay, Int)]]] = [:]
            for (k, role) in type.roles.enumerated() {
                for key in classDays where role.skills.allSatisfy(key.skills.contains) {
                    if inPerson, let allowed = request.locations, !allowed.contains(key.location) { continue }
                    // The earliest start in the window that one of the class's sessions of that day admits.
                    var earliest: Int?
                    for span in sessionsOf[key]! {
                        let lo = max(request.earliest, span.start)
                        if lo <= request.latest, lo <= span.end - duration { earliest = min(earliest ?? lo, lo) }
                    }
                    guard let earliest else { continue }
                    let place = Place(location: inPerson ? key.location : "", day: key.day)
                    var perRole = options[place] ?? Array(repeating: [], count: type.roles.count)
                    perRole[k].append((key, earliest))
                    options[place] = perRole
                }
            }
            var placed: [Term] = []
            for place in options.keys.sorted(by: { ($0.day, $0.location) < ($1.day, $1.location) }) {
                let perRole = options[place]!
                guard perRole.allSatisfy({ !$0.isEmpty }) else { continue }
                let start = perRole.map { $0.map(\.1).min()! }.max()!
                let lead = objective.leadCostPerDay[request.priority] * Double(start - request.earliest) / 1440
                let y = model.addVariable("y_\(r)_\(place.location)_\(place.day)", upperBound: 1, objective: lead - penalty)
                placed.append(Term(y, 1))
                for (k, classes) in perRole.enumerated() {
                    var fill: [Term] = [Term(y, -1)]
                    for (key, _) in classes {
                        let z = model.addVariable("z_\(r)_\(k)_\(key.location)_\(key.day)", upperBound: 1)
                        fill.append(Term(z, 1))
                        rows[key, default: []].append(Term(z, Double(duration)))
                    }
                    model.addConstraint(fill, .equal(0), name: "roles_\(r)_\(k)_\(place.day)")
                }
            }
            guard !placed.isEmpty else {
                if request.current == nil { penalties += penalty }
                continue
            }
            penalties += penalty
            model.addConstraint(placed, request.current != nil ? .equal(1) : .lessOrEqual(1), name: "once_\(r)")
        }
        for key in classDays {
            guard let terms = rows[key] else { continue }
            model.addConstraint(terms, .lessOrEqual(Double(capacity[key]!)), name: "minutes_\(key.location)_\(key.day)")
        }
        model.objectiveConstant = penalties
        guard deadline > .now else { return nil }
        guard let result = cancellation.whileSolving(with: solver, { token in
            Self.solve(solver, model, parameters: SolveParameters(timeLimit: deadline - .now), token: token, logger: logger,
                       what: "capacity bound")
        }) else { return nil }
        // Only an optimum bounds the schedules; a hair below it, for the LP's rounding.
        guard result.termination == .optimal, let value = result.objective else { return nil }
        return value - 1e-7 * max(1, abs(value))
    }
}
