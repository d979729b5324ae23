import AppointmentOptimizer
import Benchmark
import Foundation

/// The living desk on v2-large-01 (2,503 requests, 12 days, 115 holds): the latency of each live
/// change with its repair, and of `fill`, on a state whose waiting list was filled once (so a
/// displaced booking rarely finds a free place: the repair's program runs).
///
/// A desk owns its state: changes work in place. Each sample therefore runs on a state of its
/// own, warmed by a few changes of the same kind (so that the state's arrays are no longer shared
/// with the starting copy) before the measurement starts, which stops before the state is freed;
/// it applies a change with its undo (arrive + cancel, unbook + book, block + unblock, hold +
/// release, authorization pending + approved), so that the clinic stays the same from one
/// iteration to the next; the figure is per pair unless the name says otherwise.
let benchmarks: @Sendable () -> Void = {
    let shared = ProcessInfo.processInfo.environment["CLINIC_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    let url = URL(fileURLWithPath: shared).appendingPathComponent("instances/v2-large-01.json")
    guard let large = try? ExchangeFormat.readInstance(contentsOf: url), var base = try? ClinicState(large) else {
        fatalError("v2-large-01 not found under \(shared); set CLINIC_SHARED")
    }
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(4), maxIterations: 300)
    let now = large.decisionTime + 1
    _ = base.apply(ClinicEvent(at: now, .fill))
    let predecessors = Set(base.instance.requests.compactMap { $0.after?.request })
    let booked = base.instance.requests.filter { r in
        r.current.map { !$0.pinned } == true && r.group == nil && r.after == nil && !predecessors.contains(r.id)
    }
    let routine = booked.filter { $0.priority != .urgent }
    let inPerson = booked.filter { $0.current!.room != nil }

    /// Runs `pair` once per iteration on a state of its own, after `warm` unmeasured runs.
    func run(_ benchmark: Benchmark, budget: Duration, warm: Int = 3, _ pair: (inout ClinicState, Int) -> Void) {
        var state = base
        state.repairBudget = budget
        for i in 0..<warm { pair(&state, i) }
        benchmark.startMeasurement()
        var i = warm
        for _ in benchmark.scaledIterations {
            pair(&state, i)
            i += 1
        }
        benchmark.stopMeasurement()  // before the state is freed: freeing it is not a change
        blackHole(state)
    }

    Benchmark("v2-large-01: confirm (one change)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        run(benchmark, budget: .zero) { s, i in blackHole(s.apply(ClinicEvent(at: now, .confirm(request: booked[i % booked.count].id)))) }
    }

    Benchmark("v2-large-01: arrive + cancel") { benchmark in
        run(benchmark, budget: .zero) { s, i in
            var request = booked[i % booked.count]
            request.id = "BENCH-\(i)"
            request.current = nil
            blackHole(s.apply(ClinicEvent(at: now, .arrive(request))))
            blackHole(s.apply(ClinicEvent(at: now, .cancel(request: request.id))))
        }
    }

    Benchmark("v2-large-01: arrive (one change)") { benchmark in
        run(benchmark, budget: .zero) { s, i in
            var request = booked[i % booked.count]
            request.id = "BENCH-ARRIVE-\(i)"
            request.current = nil
            blackHole(s.apply(ClinicEvent(at: now, .arrive(request))))
        }
    }

    Benchmark("v2-large-01: unbook + book (best offer)") { benchmark in
        run(benchmark, budget: .zero) { s, i in
            let id = booked[i % booked.count].id
            blackHole(s.apply(ClinicEvent(at: now, .unbook(request: id))))
            blackHole(s.apply(ClinicEvent(at: now, .book(request: id))))
        }
    }

    for (label, budget) in [("greedy repair", Duration.zero), ("greedy, then the program (250 ms)", Duration.milliseconds(250))] {
        Benchmark("v2-large-01: block a provider's hour + unblock, \(label)") { benchmark in
            run(benchmark, budget: budget) { s, i in
                let victim = booked[i % booked.count].current!
                let span = TimeSpan(start: victim.start, end: victim.start + 60)
                blackHole(s.apply(ClinicEvent(at: now, .block(provider: victim.providers[0], span: span, reason: "sick", repair: true))))
                blackHole(s.apply(ClinicEvent(at: now, .unblock(provider: victim.providers[0], span: span))))
            }
        }

        Benchmark("v2-large-01: hold over a booking + release, \(label)") { benchmark in
            run(benchmark, budget: budget) { s, i in
                let victim = routine[i % routine.count].current!
                let hold = Hold(id: "BENCH-HOLD-\(i)", provider: victim.providers[0],
                                span: TimeSpan(start: victim.start, end: victim.start + 30), priorities: [.urgent])
                blackHole(s.apply(ClinicEvent(at: now, .hold(hold, repair: true))))
                blackHole(s.apply(ClinicEvent(at: now, .releaseHold(id: hold.id))))
            }
        }

        Benchmark("v2-large-01: close a room for 15 minutes (one change), \(label)") { benchmark in
            run(benchmark, budget: budget) { s, i in
                let victim = inPerson[i % inPerson.count].current!
                blackHole(s.apply(ClinicEvent(at: now, .closeRoom(room: victim.room!, span: TimeSpan(start: victim.start, end: victim.start + 15),
                                                                 repair: true))))
            }
        }
    }

    Benchmark("v2-large-01: authorization pending (displaced, waits) + approved") { benchmark in
        run(benchmark, budget: .milliseconds(250)) { s, i in
            let id = booked[i % booked.count].id
            blackHole(s.apply(ClinicEvent(at: now, .authorize(request: id, Authorization(status: .pending), repair: true))))
            blackHole(s.apply(ClinicEvent(at: now, .authorize(request: id, Authorization(status: .approved), repair: true))))
        }
    }

    Benchmark("v2-large-01: fill after an unbook (one unbook + one fill)") { benchmark in
        run(benchmark, budget: .zero) { s, i in
            blackHole(s.apply(ClinicEvent(at: now, .unbook(request: booked[i % booked.count].id))))
            blackHole(s.apply(ClinicEvent(at: now, .fill)))
        }
    }

    Benchmark("v2-large-01: fill with nothing freed (one change)") { benchmark in
        run(benchmark, budget: .zero) { s, _ in blackHole(s.apply(ClinicEvent(at: now, .fill))) }
    }
}
