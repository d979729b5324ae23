import AppointmentModel

/// The spec's online replay: requests answered one by one in arrival order against a schedule
/// that starts with every existing booking, nothing answered earlier ever moved.
///
/// A group is answered as one unit when its last member arrives; a series member is answered
/// when it arrives, against its predecessor's answer (it waits when that answer is not given yet).
public struct OnlineReplay {
    /// What a replay produced: the schedule, the decisions' latencies and the counts.
    public struct Report: Sendable {
        /// Every booking at the end, existing ones included; each refused request is unscheduled with its reason.
        public var solution: Solution
        /// One entry per decision (a group is one decision): offer search and booking.
        public var latencies: [Duration]
        /// Requests booked by the replay (each member of a group counts); existing bookings are not counted.
        public var booked: Int
        /// Requests refused by the replay (each member of a group counts).
        public var refused: Int
        /// Bytes of the availability index at the end (see ``BookingEngine/indexBytes``).
        public var indexBytes: Int

        /// The median decision latency; zero when there was no decision.
        public var medianLatency: Duration { Self.percentile(latencies, 0.5) }
        /// The 99th percentile of the decision latencies (nearest rank); zero when there was no decision.
        public var p99Latency: Duration { Self.percentile(latencies, 0.99) }
        /// The longest decision; zero when there was no decision.
        public var maxLatency: Duration { latencies.max() ?? .zero }

        static func percentile(_ values: [Duration], _ q: Double) -> Duration {
            guard !values.isEmpty else { return .zero }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
        }
    }

    /// Replays every request of `instance` with `policy`.
    ///
    /// - Parameters:
    ///   - instance: the clinic; its existing bookings stay where they are.
    ///   - policy: how offers are ranked (best fit by default).
    ///   - deadline: when given, the replay stops deciding then (checked every 64 decisions, for a
    ///     start of the batch optimiser under its time limit); the requests it did not reach stay
    ///     unscheduled, with that reason.
    /// - Complexity: one offer search and one booking per decision.
    public static func run(_ instance: Instance, policy: some RankingPolicy = BestFit(),
                           until deadline: ContinuousClock.Instant? = nil) -> Report {
        var engine = BookingEngine(instance)
        let index = engine.index
        let requests = instance.requests
        let order = requests.indices.filter { index.isFirstRequest[$0] }.sorted { (requests[$0].arrival, $0) < (requests[$1].arrival, $1) }
        var answered = [Bool](repeating: false, count: requests.count)
        var arrived: [String: Int] = [:]
        var waiting: [Int: [Int]] = [:]
        var reasons: [String: String] = [:]
        var latencies: [Duration] = []
        latencies.reserveCapacity(requests.count)
        var bookedCount = 0, refused = 0
        let clock = ContinuousClock()

        var stopped = false
        var deadlineCheck = DeadlineCheck(deadline)
        func decide(_ r: Int) {
            let members = engine.groupMembers(r)
            if !stopped, deadlineCheck.passed() { stopped = true }
            if stopped {
                for m in members where engine.booked[m] == nil { reasons[requests[m].id] = "replay: stopped at its time limit" }
                for m in members { answered[m] = true }
                for m in members { for s in waiting.removeValue(forKey: m) ?? [] { arrive(s) } }
                return
            }
            // Format 2: each new booking is decided at its request's arrival; a group, answered when
            // its last member arrives, is judged against holds at its first member's arrival.
            let arrivals = members.map { requests[$0].arrival }
            engine.setDecisionTime(arrivals.max() ?? requests[r].arrival, holdsAt: arrivals.min())
            let start = clock.now
            let result = engine.offers(for: requests[r].id, limit: 1, policy: policy)
            var ok = false
            if let best = result.offers.first {
                do throws(BookingError) {
                    try engine.book(best)
                    ok = true
                } catch {
                    for m in members { reasons[requests[m].id] = "refused: \(error)" }
                }
            } else {
                let why = result.explanation?.main?.rawValue ?? "no offer"
                for m in members { reasons[requests[m].id] = "refused: \(why)" }
            }
            latencies.append(clock.now - start)
            if ok { bookedCount += members.count } else { refused += members.count }
            for m in members { answered[m] = true }
            for m in members { for s in waiting.removeValue(forKey: m) ?? [] { arrive(s) } }
        }

        func arrive(_ r: Int) {
            guard !answered[r] else { return }
            if engine.booked[r] != nil {  // an existing booking: already in place
                answered[r] = true
                for s in waiting.removeValue(forKey: r) ?? [] { arrive(s) }
                return
            }
            if let g = requests[r].group, let members = index.groups[g.id], members.count > 1 {
                arrived[g.id, default: 0] += 1
                guard arrived[g.id]! >= members.count else { return }
            } else if let link = requests[r].after, let p = index.request[link.request], !answered[p] {
                waiting[p, default: []].append(r)
                return
            }
            decide(r)
        }

        for r in order { arrive(r) }
        // Successors whose predecessor never got an answer (it had no arrival in range) are refused.
        for (_, list) in waiting { for r in list where !answered[r] { decide(r) } }
        return Report(solution: engine.solution(reasons: reasons), latencies: latencies, booked: bookedCount, refused: refused,
                      indexBytes: engine.indexBytes)
    }
}
