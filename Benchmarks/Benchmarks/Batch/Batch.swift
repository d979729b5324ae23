import AppointmentOptimizer
@_spi(Benchmarks) import BatchOptimizer
import Benchmark
import Foundation

/// The batch optimiser's steps: building the integer program of one location-day, and one GLPK
/// solve of that fixed program.
let benchmarks: @Sendable () -> Void = {
    let shared = ProcessInfo.processInfo.environment["CLINIC_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    guard let large = try? ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: shared).appendingPathComponent("instances/large-01.json")),
          let location = large.locations.first?.id else {
        fatalError("large-01 not found under \(shared); set CLINIC_SHARED")
    }
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(10), maxIterations: 30)

    // The state the optimiser works on: the best-fit replay (many requests still waiting).
    let schedule = OnlineReplay.run(large).solution
    Benchmark("large-01: state + model of one location-day (day 2, replay schedule)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(BatchOptimizer.neighbourhoodModel(large, schedule: schedule, location: location, day: 2))
        }
    }

    guard let (model, warm) = BatchOptimizer.neighbourhoodModel(large, schedule: schedule, location: location, day: 2) else { return }
    Benchmark("large-01: one GLPK solve of that location-day model (\(model.variables.count) variables)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try GLPKSolver().solveSynchronously(model, parameters: SolveParameters(timeLimit: .seconds(10), warmStart: warm)))
        }
    }
}
