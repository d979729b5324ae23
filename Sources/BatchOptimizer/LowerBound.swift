import AppointmentModel

extension BatchOptimizer {
    /// A valid lower bound on the cost of every schedule of `instance`, from a relaxation that
    /// keeps each request alone: rooms, equipment, blocks, holds, other bookings, groups and series
    /// are dropped, and so is the idle time (never negative), the preference misses and the moves.
    ///
    /// What is left is a sum over requests. A request that no qualified provider's session can
    /// take (for every role, some qualified provider must work through a whole visit starting in
    /// its window) is unscheduled in every schedule: it costs its penalty. Any other request costs
    /// at least the lesser of its penalty and its lead cost at the earliest start this relaxation
    /// allows (the latest, over its roles, of the earliest start some qualified provider's session
    /// admits):
    ///
    ///     bound = Σ_r  min(penalty_r, leadPerDay_r · (s_r − earliest_r) / 1440)    (penalty_r when r fits nowhere)
    ///
    /// It is weak where idle time dominates the cost, which it ignores; it holds for every
    /// instance size, which the whole model's bound (small instances only) does not.
    ///
    /// - Complexity: O(roles × providers × sessions) to list each role's sessions once, then per
    ///   request the sessions of its roles up to the first that fits.
    public static func relaxationBound(_ instance: Instance) -> Double {
        relaxationBound(index: InstanceIndex(instance))
    }

    /// ``relaxationBound(_:)`` on an index already built.
    static func relaxationBound(index: InstanceIndex) -> Double {
        let instance = index.instance
        let objective = instance.objective
        // Per role (by its skills): the sessions of the providers who qualify, by start.
        var sessionsOfRole: [[String]: [TimeSpan]] = [:]
        func sessions(for role: Role) -> [TimeSpan] {
            let key = role.skills.sorted()
            if let known = sessionsOfRole[key] { return known }
            let spans = instance.providers.indices.filter { index.provider($0, qualifiesFor: role) }
                .flatMap { index.sessions[$0].map(\.span) }.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            sessionsOfRole[key] = spans
            return spans
        }
        var bound = 0.0
        for (r, request) in instance.requests.enumerated() {
            let penalty = objective.unscheduledPenalty[request.priority]
            guard let t = index.requestType[r] else { bound += penalty; continue }
            let type = instance.appointmentTypes[t]
            var start = request.earliest
            var fits = true
            for role in type.roles {
                // In start order the first session that admits a start in the window gives the
                // earliest start: later sessions start no earlier.
                var earliestForRole: Int?
                for session in sessions(for: role) {
                    let lo = max(request.earliest, session.start)
                    if lo > request.latest { break }
                    if lo <= session.end - type.durationMinutes {
                        earliestForRole = lo
                        break
                    }
                }
                guard let earliestForRole else { fits = false; break }
                start = max(start, earliestForRole)
            }
            guard fits else { bound += penalty; continue }
            let lead = objective.leadCostPerDay[request.priority] * Double(start - request.earliest) / 1440
            bound += min(penalty, lead)
        }
        return bound
    }
}
