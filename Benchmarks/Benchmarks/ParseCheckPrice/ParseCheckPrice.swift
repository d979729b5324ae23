import AppointmentOptimizer
import Benchmark
import Foundation

/// Reading, checking and pricing the largest public instance (`xl-01`, 13,723 requests), each
/// step alone and the whole pipeline that `appointment-optimizer validate` runs.
let benchmarks: @Sendable () -> Void = {
    let shared = ProcessInfo.processInfo.environment["CLINIC_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    let url = URL(fileURLWithPath: shared).appendingPathComponent("instances/xl-01.json")
    guard let instance = try? ExchangeFormat.readInstance(contentsOf: url) else {
        fatalError("xl-01 not found under \(shared); set CLINIC_SHARED")
    }
    let baseline = Solution.baseline(of: instance)
    let solutionText = Array(ExchangeFormat.write(baseline, for: instance).utf8)

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 50)

    Benchmark("xl-01: read instance") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ExchangeFormat.readInstance(contentsOf: url))
        }
    }
    Benchmark("xl-01: index") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(InstanceIndex(instance)) }
    }
    Benchmark("xl-01: check instance (with existing bookings)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(InstanceChecker.check(instance)) }
    }
    Benchmark("xl-01: read solution") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try ExchangeFormat.readSolution(solutionText, for: instance)) }
    }
    let index = InstanceIndex(instance)
    Benchmark("xl-01: validate and price") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ScheduleValidator(index).validate(baseline)) }
    }
    Benchmark("xl-01: parse, check and price (validate pipeline)") { benchmark in
        for _ in benchmark.scaledIterations {
            let model = try ExchangeFormat.readInstance(contentsOf: url)
            let index = InstanceIndex(model)
            blackHole(InstanceChecker.check(index, existingBookings: false))
            let solution = try ExchangeFormat.readSolution(solutionText, for: model)
            blackHole(ScheduleValidator(index).validate(solution))
        }
    }
}
