/// A deadline looked at every 64 steps of a loop, so that the clock is read rarely: the loops of
/// the heuristics and the optimiser's set-up that must stop within a time limit.
package struct DeadlineCheck {
    private let deadline: ContinuousClock.Instant?
    private var steps = 0

    /// A check of `deadline`; nil never passes.
    package init(_ deadline: ContinuousClock.Instant?) { self.deadline = deadline }

    /// Counts a step; true once the deadline has passed (read on every 64th step).
    package mutating func passed() -> Bool {
        steps += 1
        guard let deadline, steps % 64 == 0 else { return false }
        return ContinuousClock.now >= deadline
    }
}
