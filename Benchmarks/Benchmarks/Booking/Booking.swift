import AppointmentOptimizer
import Benchmark
import Foundation

/// The real-time path: building the availability index, one offer search, one booking, and the
/// whole online replay (parse included for xl-01).
let benchmarks: @Sendable () -> Void = {
    let shared = ProcessInfo.processInfo.environment["CLINIC_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    func url(_ name: String) -> URL { URL(fileURLWithPath: shared).appendingPathComponent("instances/\(name).json") }
    guard let large = try? ExchangeFormat.readInstance(contentsOf: url("large-01")),
          let xl = try? ExchangeFormat.readInstance(contentsOf: url("xl-01")) else {
        fatalError("instances not found under \(shared); set CLINIC_SHARED")
    }
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 200)

    Benchmark("xl-01: build the availability index") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(BookingEngine(xl)) }
    }

    // A mid-replay state of large-01: the first half of the requests booked by the replay.
    let half = OnlineReplay.run(large).solution
    var midState = BookingEngine(large)
    let firstHalf = Set(large.requests.prefix(large.requests.count / 2).map(\.id))
    for a in half.assignments where firstHalf.contains(a.request) && !midState.isBooked(a.request)
        && large.requests.first(where: { $0.id == a.request })?.group == nil {
        try? midState.book(Offer(placements: [Placement(request: a.request, providers: a.providers, room: a.room, start: a.start)],
                                 cost: MarginalCost(), score: 0))
    }
    let probes = large.requests.suffix(200).filter { $0.group == nil && $0.after == nil && $0.current == nil }.map(\.id)

    Benchmark("large-01: one offer search (best-fit, mid-replay)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var engine = midState
        var i = 0
        for _ in benchmark.scaledIterations {
            blackHole(engine.offers(for: probes[i % probes.count], limit: 1))
            i += 1
        }
    }

    Benchmark("large-01: one booking and its cancellation (mid-replay)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var engine = midState
        let offers = probes.compactMap { engine.offers(for: $0, limit: 1).offers.first }
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let offer = offers[i % offers.count]
            try? engine.book(offer)
            try? engine.cancel(offer.placements[0].request)
            i += 1
        }
    }

    Benchmark("large-01: online replay (best-fit)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(OnlineReplay.run(large)) }
    }

    Benchmark("xl-01: online replay, parse included (best-fit)") { benchmark in
        for _ in benchmark.scaledIterations {
            let instance = try ExchangeFormat.readInstance(contentsOf: url("xl-01"))
            blackHole(OnlineReplay.run(instance))
        }
    }
}
