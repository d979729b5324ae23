import MIPModel
import TestSupport

/// Small models with known optima, and a large one that does not finish quickly.
enum Models {
    /// A seeded random knapsack: values 10–99, weights 5–44, capacity a fraction of the total weight.
    static func randomKnapsack(seed: UInt64, items: Int, capacityShare: Double) -> (values: [Double], weights: [Double], capacity: Double) {
        var rng = SplitMix64(seed: seed)
        let values = (0..<items).map { _ in Double(rng.next() % 90 + 10) }
        let weights = (0..<items).map { _ in Double(rng.next() % 40 + 5) }
        return (values, weights, weights.reduce(0, +) * capacityShare)
    }

    /// 0-1 knapsack; the optimum is found by enumeration in `bruteForceKnapsack`.
    static func knapsack(values: [Double], weights: [Double], capacity: Double) -> (MIPModel, [Variable]) {
        var m = MIPModel(name: "knapsack", sense: .maximize)
        let x = values.indices.map { m.addVariable("take_\($0)", kind: .binary, objective: values[$0]) }
        m.addConstraint(zip(x, weights).map { Term($0, $1) }, .lessOrEqual(capacity), name: "capacity", group: "capacity")
        return (m, x)
    }

    static func bruteForceKnapsack(values: [Double], weights: [Double], capacity: Double) -> Double {
        var best = 0.0
        for mask in 0..<(1 << values.count) {
            var v = 0.0, w = 0.0
            for i in values.indices where mask & (1 << i) != 0 { v += values[i]; w += weights[i] }
            if w <= capacity { best = max(best, v) }
        }
        return best
    }

    /// Assignment of n workers to n jobs at minimum cost.
    static func assignment(_ cost: [[Double]]) -> (MIPModel, [[Variable]]) {
        var m = MIPModel(name: "assignment")
        let n = cost.count
        let x = (0..<n).map { i in (0..<n).map { j in m.addVariable("x_\(i)_\(j)", kind: .binary, objective: cost[i][j]) } }
        for i in 0..<n { m.addConstraint((0..<n).map { Term(x[i][$0], 1) }, .equal(1), name: "worker_\(i)", group: "worker") }
        for j in 0..<n { m.addConstraint((0..<n).map { Term(x[$0][j], 1) }, .equal(1), name: "job_\(j)", group: "job") }
        return (m, x)
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        if items.count <= 1 { return [items] }
        return items.indices.flatMap { i -> [[Int]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }

    static func bruteForceAssignment(_ cost: [[Double]]) -> Double {
        return permutations(Array(cost.indices)).map { p in p.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] } }.min()!
    }

    /// Time-indexed single-machine scheduling: job j (duration d, weight w, release r) starts at
    /// one slot t; minimise Σ w·(t + d). At most one job runs in any slot.
    static func timeIndexed(durations: [Int], weights: [Double], releases: [Int], horizon: Int) -> (MIPModel, [[Variable?]]) {
        var m = MIPModel(name: "time_indexed")
        let x: [[Variable?]] = durations.indices.map { j in
            (0..<horizon).map { t in
                t >= releases[j] && t + durations[j] <= horizon
                    ? m.addVariable("start_\(j)_\(t)", kind: .binary, objective: weights[j] * Double(t + durations[j])) : nil
            }
        }
        for j in durations.indices {
            m.addConstraint(x[j].compactMap { $0 }.map { Term($0, 1) }, .equal(1), name: "once_\(j)", group: "once")
        }
        for s in 0..<horizon {
            var terms: [Term] = []
            for j in durations.indices {
                for t in max(0, s - durations[j] + 1)...s { if let v = x[j][t] { terms.append(Term(v, 1)) } }
            }
            m.addConstraint(terms, .lessOrEqual(1), name: "slot_\(s)", group: "machine")
        }
        return (m, x)
    }

    static func bruteForceSchedule(durations: [Int], weights: [Double], releases: [Int]) -> Double {
        // With releases, an optimal schedule is some order with each job as early as possible.
        return permutations(Array(durations.indices)).map { order in
            var time = 0, cost = 0.0
            for j in order {
                time = max(time, releases[j]) + durations[j]
                cost += weights[j] * Double(time)
            }
            return cost
        }.min()!
    }

    /// A multi-dimensional 0-1 knapsack large enough that GLPK does not prove it in seconds.
    static func hard(seed: UInt64, items: Int = 400, dimensions: Int = 30) -> MIPModel {
        var rng = SplitMix64(seed: seed)
        var m = MIPModel(name: "hard", sense: .maximize)
        let x = (0..<items).map { m.addVariable("x\($0)", kind: .binary, objective: Double(rng.next() % 1000 + 1)) }
        for d in 0..<dimensions {
            let weights = (0..<items).map { _ in Double(rng.next() % 1000 + 1) }
            m.addConstraint(zip(x, weights).map { Term($0, $1) }, .lessOrEqual(weights.reduce(0, +) / 4),
                            name: "dim_\(d)", group: "dimension")
        }
        return m
    }
}
