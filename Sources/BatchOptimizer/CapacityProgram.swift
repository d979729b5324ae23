import AppointmentModel
import Foundation
import MIPModel

/// The data of the capacity relaxation (``BatchOptimizer/capacityBound(_:timeLimit:solver:)``),
/// flattened: per request its options (a day and location with the lead cost of its earliest
/// admitted start), per option its roles, per role the provider classes (location × skills, on
/// that day) that qualify. Built once; solved as an LP (``linearProgram()``) or through its
/// Lagrangian dual (``lagrangianBound(target:until:cancellation:maxIterations:)``).
struct CapacityProgram {
    struct ClassDay: Hashable { var skills: [String]; var location: String; var day: Int }

    /// The (class, day) pairs with sessions, and the minutes their sessions hold.
    var classDays: [ClassDay] = []
    var capacity: [Double] = []
    /// The penalties of every request that is not booked or that can be placed somewhere: the
    /// objective when nothing is placed.
    var constant = 0.0
    /// Per request that can be placed: its index in the instance, penalty, visit minutes, whether
    /// it has a booking (rule 10: it must be placed), and its options `optionStart[q]..<optionStart[q+1]`.
    var request: [Int] = []
    var penalty: [Double] = []
    var duration: [Double] = []
    var booked: [Bool] = []
    var optionStart: [Int] = [0]
    /// Per option: its lead cost and its roles `roleStart[o]..<roleStart[o+1]`.
    var lead: [Double] = []
    var roleStart: [Int] = [0]
    /// Per role of an option: its classes `classes[classStart[i]..<classStart[i+1]]` (indices into `classDays`).
    var classStart: [Int] = [0]
    var classes: [Int32] = []

    init(_ index: InstanceIndex) {
        let instance = index.instance
        let objective = instance.objective
        let horizonStart = instance.horizon.start
        // Sessions by class and day, and the classes' minutes.
        var sessionsOf: [ClassDay: [TimeSpan]] = [:]
        var minutes: [ClassDay: Int] = [:]
        for (p, provider) in instance.providers.enumerated() {
            let skills = Array(Set(provider.skills)).sorted()
            for session in index.sessions[p] {
                let day = Int((Double(session.span.start - horizonStart) / 1440).rounded(.down))
                let key = ClassDay(skills: skills, location: session.location, day: day)
                sessionsOf[key, default: []].append(session.span)
                minutes[key, default: 0] += session.span.end - session.span.start
            }
        }
        classDays = sessionsOf.keys.sorted { ($0.day, $0.location, $0.skills.joined(separator: ",")) < ($1.day, $1.location, $1.skills.joined(separator: ",")) }
        capacity = classDays.map { Double(minutes[$0]!) }
        let classNumber = Dictionary(uniqueKeysWithValues: classDays.enumerated().map { ($1, Int32($0)) })

        for (r, request) in instance.requests.enumerated() {
            let requestPenalty = objective.unscheduledPenalty[request.priority]
            // A request with a booking is always assigned (rule 10): no penalty, whatever this finds.
            guard let t = index.requestType[r] else {
                if request.current == nil { constant += requestPenalty }
                continue
            }
            let type = instance.appointmentTypes[t]
            let inPerson = !type.roomKinds.isEmpty
            let visit = type.durationMinutes
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
                        if lo <= request.latest, lo <= span.end - visit { earliest = min(earliest ?? lo, lo) }
                    }
                    guard let earliest else { continue }
                    let place = Place(location: inPerson ? key.location : "", day: key.day)
                    var perRole = options[place] ?? Array(repeating: [], count: type.roles.count)
                    perRole[k].append((key, earliest))
                    options[place] = perRole
                }
            }
            let before = lead.count
            for place in options.keys.sorted(by: { ($0.day, $0.location) < ($1.day, $1.location) }) {
                let perRole = options[place]!
                guard perRole.allSatisfy({ !$0.isEmpty }) else { continue }
                let start = perRole.map { $0.map(\.1).min()! }.max()!
                lead.append(objective.leadCostPerDay[request.priority] * Double(start - request.earliest) / 1440)
                for roleClasses in perRole {
                    classes.append(contentsOf: roleClasses.map { classNumber[$0.0]! })
                    classStart.append(classes.count)
                }
                roleStart.append(classStart.count - 1)
            }
            guard lead.count > before else {
                if request.current == nil { constant += requestPenalty }
                continue
            }
            constant += requestPenalty
            self.request.append(r)
            penalty.append(requestPenalty)
            duration.append(Double(visit))
            booked.append(request.current != nil)
            optionStart.append(lead.count)
        }
    }

    /// The relaxation as a linear program: `y` per option, `z` per role and class, a row per
    /// request (at most once, exactly once when booked), per option and role (the classes fill
    /// the role as far as the option is taken) and per class-day (its minutes).
    func linearProgram() -> MIPModel {
        var model = MIPModel(name: "capacity-bound")
        var rows = [[Term]](repeating: [], count: classDays.count)
        for q in request.indices {
            var placed: [Term] = []
            for o in optionStart[q]..<optionStart[q + 1] {
                let y = model.addVariable("y_\(request[q])_\(o)", upperBound: 1, objective: lead[o] - penalty[q])
                placed.append(Term(y, 1))
                for i in roleStart[o]..<roleStart[o + 1] {
                    var fill: [Term] = [Term(y, -1)]
                    for c in classes[classStart[i]..<classStart[i + 1]] {
                        let z = model.addVariable("z_\(request[q])_\(i)_\(c)", upperBound: 1)
                        fill.append(Term(z, 1))
                        rows[Int(c)].append(Term(z, duration[q]))
                    }
                    model.addConstraint(fill, .equal(0), name: "roles_\(request[q])_\(i)")
                }
            }
            model.addConstraint(placed, booked[q] ? .equal(1) : .lessOrEqual(1), name: "once_\(request[q])")
        }
        for (c, terms) in rows.enumerated() where !terms.isEmpty {
            let key = classDays[c]
            model.addConstraint(terms, .lessOrEqual(capacity[c]), name: "minutes_\(key.location)_\(key.day)_\(c)")
        }
        model.objectiveConstant = constant
        return model
    }

    /// The Lagrangian function at prices `price` (one per class-day, each ≥ 0) on the minutes
    /// rows: each request alone picks its cheapest option at those prices (or none, unless it is
    /// booked), and the minutes the prices charge beyond the capacity are given back,
    ///
    ///     L(μ) = constant − Σ_c μ_c·cap_c + Σ_r min(0 unless booked, min_o (λ_o − p_r + D_r Σ_k min_{c∈k} μ_c)).
    ///
    /// Every schedule's point of the LP is feasible for each request's choice and uses at most
    /// cap_c minutes of c, so L(μ) is at most its cost, for every μ ≥ 0. `use` receives, per
    /// class-day, the minutes the chosen options draw (a subgradient of L is `use − cap`).
    ///
    /// - Complexity: O(number of class entries), one pass.
    func lagrangian(at price: [Double], use: inout [Double]) -> Double {
        for c in use.indices { use[c] = 0 }
        var value = constant
        for c in capacity.indices { value -= price[c] * capacity[c] }
        for q in request.indices {
            var bestOption = -1
            var best = booked[q] ? Double.infinity : 0
            for o in optionStart[q]..<optionStart[q + 1] {
                var charge = 0.0
                for i in roleStart[o]..<roleStart[o + 1] { charge += price[cheapestClass(i, price)] }
                let v = lead[o] - penalty[q] + duration[q] * charge
                if v < best { best = v; bestOption = o }
            }
            value += best
            guard bestOption >= 0 else { continue }
            for i in roleStart[bestOption]..<roleStart[bestOption + 1] { use[cheapestClass(i, price)] += duration[q] }
        }
        return value
    }

    /// The class of role entry `i` with the lowest price (the first of equals).
    private func cheapestClass(_ i: Int, _ price: [Double]) -> Int {
        var cheapest = Int(classes[classStart[i]])
        for c in classes[classStart[i]..<classStart[i + 1]] where price[Int(c)] < price[cheapest] { cheapest = Int(c) }
        return cheapest
    }

    /// The best value of the Lagrangian dual that subgradient steps find before the deadline or
    /// `maxIterations`: Polyak's rule towards `target` (an upper bound, such as a schedule's cost)
    /// or twice the best value so far, whichever is higher; after 30 steps without a better value
    /// the step factor is halved, and when the value has fallen below the best by more than the
    /// best's size the prices go back to the best ones (a target far above the optimum throws them
    /// far off, and shorter steps alone would leave them there: xl-01 from its existing bookings,
    /// target 11.7 million, stayed at the zero prices' 147,675 without the reset and reaches
    /// 270,900 in 60 s with it; resetting at every halving cost medium-01 3 points). Measured on
    /// medium-01: 98.9 % of the LP's optimum in 1,401 steps without a target, 99.3 % with a target
    /// fifty times the optimum; targets 1–30 % above the best value stayed at 93–98.5 %.
    /// Each value is a valid bound (see ``lagrangian(at:use:)``); the dual's optimum equals the
    /// LP's, since each request's choice alone is an integral polytope.
    func lagrangianBound(target: Double?, until deadline: ContinuousClock.Instant, cancellation: OptimizerCancellation,
                         maxIterations: Int = 2_000) -> (bound: Double, iterations: Int) {
        var price = [Double](repeating: 0, count: capacity.count)
        var use = [Double](repeating: 0, count: capacity.count)
        var best = -Double.infinity
        var bestPrice = price
        var step = 1.0, sinceBest = 0, iterations = 0
        while iterations < maxIterations, step > 1e-6 {
            if iterations > 0, iterations % 8 == 0, ContinuousClock.now >= deadline || cancellation.isCancelled { break }
            iterations += 1
            var value = lagrangian(at: price, use: &use)
            if !best.isFinite || value > best + 1e-9 * max(1, abs(best)) {
                best = value
                bestPrice = price
                sinceBest = 0
            } else {
                sinceBest += 1
                // Shorter steps from the best prices: a target far above the optimum throws the
                // prices far off, and shorter steps alone would leave them there.
                if sinceBest >= 30 {
                    step /= 2
                    sinceBest = 0
                    if value < best - abs(best) {
                        price = bestPrice
                        value = lagrangian(at: price, use: &use)
                    }
                }
            }
            // The subgradient, projected onto the prices' bounds (a zero price cannot fall).
            var norm = 0.0
            for c in price.indices {
                var g = use[c] - capacity[c]
                if price[c] <= 0, g < 0 { g = 0 }
                use[c] = g
                norm += g * g
            }
            if norm == 0 { break }  // the prices' choices fit: L at these prices is the LP's optimum
            let goal = max(target ?? -.infinity, best + max(1e-3, abs(best)))
            let length = step * (goal - value) / norm
            for c in price.indices { price[c] = max(0, price[c] + length * use[c]) }
        }
        // Rounding: the sums above carry relative errors far below this.
        return (best - 1e-9 * max(1, abs(best)), iterations)
    }
}
