import AppointmentModel
@testable import BatchOptimizer
import Foundation
import MIPModel
import Testing
import TestSupport

/// The Lagrangian dual of the capacity relaxation: a bound at any prices, the LP's value at the
/// best ones.
@Suite struct LagrangianBoundTests {
    static func bestKnown(_ name: String) throws -> Double {
        let data = try Data(contentsOf: SharedFiles.shared.appendingPathComponent("reference/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(((reference[name] as? [String: Any])?["best"] as? [String: Any])?["objective"] as? NSNumber).doubleValue
    }

    /// Weak duality on every public instance, xl included: at random prices (seeded) and at the
    /// prices of a few subgradient steps the Lagrangian stays below the best known schedule, and
    /// the steps never end below where they started (zero prices).
    @Test(arguments: SharedFiles.instanceNames)
    func everyPriceGivesABound(name: String) throws {
        let best = try Self.bestKnown(name)
        let program = CapacityProgram(InstanceIndex(try SharedFiles.instance(name)))
        var generator = SplitMix64(seed: 18)
        var use = [Double](repeating: 0, count: program.capacity.count)
        for _ in 0..<3 {
            let price = program.capacity.map { _ in Double.random(in: 0...2, using: &generator) }
            #expect(program.lagrangian(at: price, use: &use) <= best + 1e-6, "\(name)")
        }
        let stepped = program.lagrangianBound(target: best, until: .now + .seconds(600), cancellation: OptimizerCancellation(),
                                              maxIterations: 20)
        #expect(stepped.bound.isFinite)
        #expect(stepped.bound <= best + 1e-6, "\(name): \(stepped.bound) above the best known \(best)")
        let zero = program.lagrangian(at: [Double](repeating: 0, count: program.capacity.count), use: &use)
        #expect(stepped.bound >= zero - 1e-8 * max(1, abs(zero)), "\(name): the steps end below their start")
    }

    /// The dual's optimum is the LP's: on medium-01 the steps get within 2 % of the LP optimum
    /// and never above it, and within 5 % from a target fifty times too high.
    @Test func theStepsReachTheLinearProgramsOptimum() throws {
        let program = CapacityProgram(InstanceIndex(try SharedFiles.instance("medium-01")))
        let lp = try BatchOptimizer().solver.solveSynchronously(program.linearProgram(), parameters: SolveParameters(timeLimit: .seconds(300)),
                                                     progress: nil, cancellation: nil)
        #expect(lp.termination == .optimal)
        let optimum = try #require(lp.objective)
        let dual = program.lagrangianBound(target: nil, until: .now + .seconds(600), cancellation: OptimizerCancellation())
        #expect(dual.bound <= optimum + 1e-6)
        #expect(dual.bound >= 0.98 * optimum, "\(dual.bound) against the LP's \(optimum) after \(dual.iterations) steps")
        // A target far above the optimum (a start with nothing placed costs about this) still gets there.
        let far = program.lagrangianBound(target: 50 * optimum, until: .now + .seconds(600), cancellation: OptimizerCancellation())
        #expect(far.bound <= optimum + 1e-6)
        #expect(far.bound >= 0.95 * optimum, "\(far.bound) against the LP's \(optimum) after \(far.iterations) steps, target 50 × optimum")
    }
}
