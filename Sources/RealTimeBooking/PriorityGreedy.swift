import AppointmentModel

/// An offline greedy: every request that is not booked yet, most urgent first (then the tightest
/// deadline, then arrival), each given its best offer. Unlike the online replay it sees all
/// requests at once, so urgent visits are never crowded out by earlier routine ones. A start
/// for the batch optimiser.
public enum PriorityGreedy {
    /// - Parameters:
    ///   - instance: the clinic; its existing bookings stay where they are.
    ///   - policy: how offers are ranked (best fit by default).
    ///   - deadline: when given, the greedy stops deciding then (checked every 64 requests); the
    ///     requests it did not reach stay unscheduled, with that reason.
    /// - Complexity: one offer search and one booking per request (a group counts once).
    public static func run(_ instance: Instance, policy: some RankingPolicy = BestFit(),
                           until deadline: ContinuousClock.Instant? = nil) -> Solution {
        var engine = BookingEngine(instance)
        let requests = instance.requests
        let rank: (Priority) -> Int = { p in p == .urgent ? 0 : p == .soon ? 1 : 2 }
        let order = requests.indices.filter { engine.index.isFirstRequest[$0] }.sorted {
            (rank(requests[$0].priority), requests[$0].latest, requests[$0].arrival, $0)
                < (rank(requests[$1].priority), requests[$1].latest, requests[$1].arrival, $1)
        }
        var reasons: [String: String] = [:]
        var clock = DeadlineCheck(deadline)
        // Predecessors before successors: a pass per series depth (chains are short).
        passes: for _ in 0..<4 {
            for r in order where !engine.isBooked(requests[r].id) {
                if clock.passed() {
                    for q in order where !engine.isBooked(requests[q].id) && reasons[requests[q].id] == nil {
                        reasons[requests[q].id] = "greedy: stopped at its time limit"
                    }
                    break passes
                }
                let result = engine.offers(for: requests[r].id, limit: 1, policy: policy)
                if let best = result.offers.first, (try? engine.book(best)) != nil {
                    for p in best.placements { reasons[p.request] = nil }
                } else {
                    reasons[requests[r].id] = "greedy: " + (result.explanation?.main?.rawValue ?? "no offer")
                }
            }
        }
        return engine.solution(reasons: reasons)
    }
}
