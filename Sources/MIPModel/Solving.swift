/// Why a solve stopped. Normal outcomes are data, not errors.
public enum TerminationStatus: String, Sendable, Hashable {
    /// Proven optimal (within the solver's tolerances).
    case optimal
    /// The relative gap tolerance was met; the solution is within it of optimal.
    case gapReached
    /// The time limit ran out after a feasible solution was found.
    case timeLimitFeasible
    /// The time limit ran out before any feasible solution was found.
    case timeLimitNoSolution
    /// No solution satisfies the constraints.
    case infeasible
    /// The objective can improve without bound (or the relaxation is unbounded).
    case unbounded
    /// Cancelled by the caller; `values` holds the best solution found, if any.
    case cancelled
    /// The node limit was reached after a feasible solution was found.
    case nodeLimitFeasible
    /// The node limit was reached before any feasible solution was found.
    case nodeLimitNoSolution

    /// Whether a feasible solution can come with this status.
    public var mayHaveSolution: Bool {
        switch self {
        case .optimal, .gapReached, .timeLimitFeasible, .cancelled, .nodeLimitFeasible: true
        case .timeLimitNoSolution, .infeasible, .unbounded, .nodeLimitNoSolution: false
        }
    }
}

/// How much output a backend writes to its logger.
public enum SolverLogLevel: Int, Sendable, Hashable, Comparable {
    case off = 0, errors, normal, all
    public static func < (a: SolverLogLevel, b: SolverLogLevel) -> Bool { a.rawValue < b.rawValue }
}

public struct SolveParameters: Sendable, Hashable {
    /// Wall-clock limit for the whole solve, LP included. Nil: none.
    public var timeLimit: Duration?
    /// Stop when (|incumbent − bound|) / |incumbent| is at most this. 0 proves optimality.
    public var relativeGap: Double
    /// Let the solver presolve (off by default: it is not covered by the time limit in GLPK and
    /// prevents warm starts).
    public var presolve: Bool
    public var logLevel: SolverLogLevel
    /// Stop after this many branch-and-bound nodes: unlike a time limit, the same model then
    /// stops at the same point on any machine. Nil: none.
    public var nodeLimit: Int?
    /// Let the solver add cutting planes (Gomory, mixed-integer rounding, clique): a tighter bound
    /// for more work per node.
    public var cuts: Bool
    /// A feasible solution to start from, one value per variable; checked before use.
    public var warmStart: [Double]?

    public init(timeLimit: Duration? = nil, relativeGap: Double = 0, presolve: Bool = false,
                logLevel: SolverLogLevel = .off, warmStart: [Double]? = nil, cuts: Bool = false, nodeLimit: Int? = nil) {
        self.timeLimit = timeLimit
        self.nodeLimit = nodeLimit
        self.cuts = cuts
        self.relativeGap = relativeGap
        self.presolve = presolve
        self.logLevel = logLevel
        self.warmStart = warmStart
    }
}

public struct SolveStatistics: Sendable, Hashable {
    public var nodes: Int
    public var lpIterations: Int
    public var wallTime: Duration

    public init(nodes: Int, lpIterations: Int, wallTime: Duration) {
        self.nodes = nodes
        self.lpIterations = lpIterations
        self.wallTime = wallTime
    }
}

/// The outcome of a solve: why it stopped, and what it found.
public struct SolveResult: Sendable, Hashable {
    public var termination: TerminationStatus
    /// One value per variable, when a feasible solution was found.
    public var values: [Double]?
    public var objective: Double?
    /// The best proven bound on the optimum, when known.
    public var bestBound: Double?
    public var statistics: SolveStatistics
    /// Whether the solver took the warm start as its first incumbent.
    public var warmStartAccepted: Bool

    public init(termination: TerminationStatus, values: [Double]?, objective: Double?, bestBound: Double?,
                statistics: SolveStatistics, warmStartAccepted: Bool = false) {
        self.termination = termination
        self.values = values
        self.objective = objective
        self.bestBound = bestBound
        self.statistics = statistics
        self.warmStartAccepted = warmStartAccepted
    }

    /// |objective − bound| / max(|objective|, 1e-10), when both are known.
    public var relativeGap: Double? {
        guard let objective, let bestBound else { return nil }
        return abs(objective - bestBound) / max(abs(objective), 1e-10)
    }

    /// The value of `variable` in the solution found.
    public func value(_ variable: Variable) -> Double? { values?[variable.index] }
}

/// What the solver reports while it runs.
public struct SolveProgress: Sendable, Hashable {
    public enum Event: Sendable, Hashable {
        /// A better feasible solution.
        case incumbent
        /// A better bound.
        case bound
        /// The warm start was taken as the first incumbent.
        case warmStart
    }

    public var event: Event
    public var incumbent: Double?
    public var bound: Double?
    public var nodes: Int
    public var elapsed: Duration

    public init(event: Event, incumbent: Double?, bound: Double?, nodes: Int, elapsed: Duration) {
        self.event = event
        self.incumbent = incumbent
        self.bound = bound
        self.nodes = nodes
        self.elapsed = elapsed
    }
}

/// Only invalid input and broken backends throw; every normal outcome is a ``SolveResult``.
public enum MIPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model cannot be given to a solver; every problem is listed.
    case invalidModel([ModelIssue])
    /// The warm start breaks bounds or constraints; it was not used.
    case infeasibleWarmStart([SolutionViolation])
    /// The backend reported misuse or failed; the message is the backend's.
    case backendFailure(String)

    public var description: String {
        switch self {
        case .invalidModel(let issues):
            "invalid model (\(issues.count) problems): " + issues.prefix(5).map(\.description).joined(separator: "; ")
        case .infeasibleWarmStart(let v):
            "the warm start is infeasible (\(v.count) violations): " + v.prefix(5).map(\.description).joined(separator: "; ")
        case .backendFailure(let message): "solver failure: \(message)"
        }
    }
}

/// A solver that can take a ``MIPModel``.
public protocol MIPSolver: Sendable {
    /// Solves on a thread the solver controls; cancelling the calling task stops the solve and
    /// returns the best solution found so far.
    func solve(_ model: MIPModel, parameters: SolveParameters,
               progress: (@Sendable (SolveProgress) -> Void)?) async throws(MIPError) -> SolveResult
}
