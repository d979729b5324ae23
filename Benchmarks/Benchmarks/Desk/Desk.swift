import AppointmentOptimizer
import Benchmark
import Foundation

/// The living desk on v2-large-01 (2,503 requests, 12 days, 115 holds): the latency of each live
/// change with its repair, and of `fill`, on a state whose waiting list has been filled once.
/// Each iteration applies a change and its undo (arrive + cancel, book + unbook, block + unblock,
/// hold + release, authorize pending + approved) on a copy of that state, so that every iteration
/// starts from the same clinic; the figures are per pair unless the name says otherwise.
let benchmarks: @Sendable () -> Void = {
    let shared = ProcessInfo.processInfo.environment["CLINIC_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    let url = URL(fileURLWithPath: shared).appendingPathComponent("instances/v2-large-01.json")
    guard let large = try? ExchangeFormat.readInstance(contentsOf: url), var base = try? ClinicState(large) else {
        fatalError("v2-large-01 not found under \(shared); set CLINIC_SHARED")
    }
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 200)
    var now = large.decisionTime + 1
    _ = base.apply(ClinicEvent(at: now, .fill))
    let predecessors = Set(base.instance.requests.compactMap { $0.after?.request })
    let booked = base.instance.requests.filter { r in
        r.current.map { !$0.pinned } == true && r.group == nil && r.after == nil && !predecessors.contains(r.id)
    }
    let waiting = base.waitingList.filter { $0.group == nil && $0.after == nil && $0.authorization.map { $0.status == .approved } ?? true }
    now += 1

    Benchmark("v2-large-01: arrive + cancel") { benchmark in
        var request = waiting[0]
        request.id = "BENCH-NEW"
        request.current = nil
        for _ in benchmark.scaledIterations {
            var s = base
            blackHole(s.apply(ClinicEvent(at: now, .arrive(request))))
            blackHole(s.apply(ClinicEvent(at: now, .cancel(request: request.id))))
        }
    }

    Benchmark("v2-large-01: book (best offer) + unbook") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            var s = base
            let id = waiting[i % waiting.count].id
            blackHole(s.apply(ClinicEvent(at: now, .book(request: id))))
            blackHole(s.apply(ClinicEvent(at: now, .unbook(request: id))))
            i += 1
        }
    }

    Benchmark("v2-large-01: block a provider's hour with its repair + unblock") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            var s = base
            let victim = booked[i % booked.count].current!
            let span = TimeSpan(start: victim.start, end: victim.start + 60)
            blackHole(s.apply(ClinicEvent(at: now, .block(provider: victim.providers[0], span: span, reason: "sick", repair: true))))
            blackHole(s.apply(ClinicEvent(at: now, .unblock(provider: victim.providers[0], span: span))))
            i += 1
        }
    }

    Benchmark("v2-large-01: close a room for an hour with its repair (one change)") { benchmark in
        var i = 0
        let inPerson = booked.filter { $0.current!.room != nil }
        for _ in benchmark.scaledIterations {
            var s = base
            let victim = inPerson[i % inPerson.count].current!
            blackHole(s.apply(ClinicEvent(at: now, .closeRoom(room: victim.room!, span: TimeSpan(start: victim.start, end: victim.start + 60), repair: true))))
            i += 1
        }
    }

    Benchmark("v2-large-01: hold over a booking with its repair + release") { benchmark in
        var i = 0
        let routine = booked.filter { $0.priority != .urgent }
        for _ in benchmark.scaledIterations {
            var s = base
            let victim = routine[i % routine.count].current!
            let hold = Hold(id: "BENCH-HOLD", provider: victim.providers[0], span: TimeSpan(start: victim.start, end: victim.start + 30),
                            priorities: [.urgent])
            blackHole(s.apply(ClinicEvent(at: now, .hold(hold, repair: true))))
            blackHole(s.apply(ClinicEvent(at: now, .releaseHold(id: hold.id))))
            i += 1
        }
    }

    Benchmark("v2-large-01: authorization pending (displaced) + approved") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            var s = base
            let id = booked[i % booked.count].id
            blackHole(s.apply(ClinicEvent(at: now, .authorize(request: id, Authorization(status: .pending), repair: true))))
            blackHole(s.apply(ClinicEvent(at: now, .authorize(request: id, Authorization(status: .approved), repair: true))))
            i += 1
        }
    }

    Benchmark("v2-large-01: confirm (one change)") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            var s = base
            blackHole(s.apply(ClinicEvent(at: now, .confirm(request: booked[i % booked.count].id))))
            i += 1
        }
    }

    Benchmark("v2-large-01: cancel a booking, then fill the freed time (one cancel + one fill)") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            var s = base
            blackHole(s.apply(ClinicEvent(at: now, .cancel(request: booked[i % booked.count].id))))
            blackHole(s.apply(ClinicEvent(at: now, .fill)))
            i += 1
        }
    }

    Benchmark("v2-large-01: copy of the state (included in every figure above)") { benchmark in
        for _ in benchmark.scaledIterations {
            var s = base
            s.advanceClock(to: now + 1)
            blackHole(s)
        }
    }
}
