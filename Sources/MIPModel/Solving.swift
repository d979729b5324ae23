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
    /// Nothing; errors only; the normal messages; every message.
    case off = 0, errors, normal, all
    /// Orders levels from `.off` (quietest) to `.all`.
    public static func < (a: SolverLogLevel, b: SolverLogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// How long a solve may run, when it may stop early, and how it searches.
public struct SolveParameters: Sendable, Hashable {
    /// Wall-clock limit for the whole solve, LP included. Nil: none.
    public var timeLimit: Duration?
    /// Stop when (|incumbent − bound|) / |incumbent| is at most this. 0 proves optimality.
    public var relativeGap: Double
    /// Let the solver presolve (off by default: it is not covered by the time limit in GLPK and
    /// prevents warm starts).
    public var presolve: Bool
    /// How much of the solver's own output goes to its logger.
    public var logLevel: SolverLogLevel
    /// Stop after this many branch-and-bound nodes: unlike a time limit, the same model then
    /// stops at the same point on any machine. Nil: none.
    public var nodeLimit: Int?
    /// Let the solver add cutting planes (Gomory, mixed-integer rounding, clique): a tighter bound
    /// for more work per node.
    public var cuts: Bool
    /// A feasible solution to start from, one value per variable; checked before use.
    public var warmStart: [Double]?

    /// Creates parameters; the defaults solve to proven optimality with no limits, presolve, cuts or warm start.
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

/// What a solve cost in work and time.
public struct SolveStatistics: Sendable, Hashable {
    /// Branch-and-bound nodes explored.
    public var nodes: Int
    /// Simplex iterations, over all nodes.
    public var lpIterations: Int
    /// Wall-clock time the solve took.
    public var wallTime: Duration

    /// Creates statistics from a backend's counts.
    public init(nodes: Int, lpIterations: Int, wallTime: Duration) {
        self.nodes = nodes
        self.lpIterations = lpIterations
        self.wallTime = wallTime
    }
}

/// The outcome of a solve: why it stopped, and what it found.
public struct SolveResult: Sendable, Hashable {
    /// Why the solve stopped.
    public var termination: TerminationStatus
    /// One value per variable, when a feasible solution was found.
    public var values: [Double]?
    /// The objective value of ``values``, when a feasible solution was found.
    public var objective: Double?
    /// The best proven bound on the optimum, when known.
    public var bestBound: Double?
    /// Nodes, simplex iterations and wall time of the solve.
    public var statistics: SolveStatistics
    /// Whether the solver took the warm start as its first incumbent.
    public var warmStartAccepted: Bool

    /// Creates a result from a backend's outcome.
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
    /// What changed since the previous report.
    public enum Event: Sendable, Hashable {
        /// A better feasible solution.
        case incumbent
        /// A better bound.
        case bound
        /// The warm start was taken as the first incumbent.
        case warmStart
    }

    /// What this report is about.
    public var event: Event
    /// The objective value of the best feasible solution so far, if any.
    public var incumbent: Double?
    /// The best proven bound on the optimum so far, if known.
    public var bound: Double?
    /// Branch-and-bound nodes explored so far.
    public var nodes: Int
    /// Wall-clock time since the solve started.
    public var elapsed: Duration

    /// Creates a progress report.
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

    /// A one-line message naming the error and its first five problems.
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

/// A request to stop one solve, shared by its caller and the solver: the caller cancels from
/// any thread; the solver stops at its next check and returns its best solution.
public protocol SolveCancellation: AnyObject, Sendable {
    /// Asks the solve to stop.
    func cancel()
    /// Whether ``cancel()`` was called.
    var isCancelled: Bool { get }
}

/// A solver that also solves on the calling thread, stoppable through a token it makes: what a
/// caller needs that runs several solves on threads of its own and stops them itself (the
/// batch optimiser does).
public protocol SynchronousMIPSolver: MIPSolver {
    /// A token for one solve, not cancelled.
    func makeCancellation() -> any SolveCancellation

    /// Solves on the calling thread, blocking it until the solve ends.
    ///
    /// - Parameters:
    ///   - model: the program to solve.
    ///   - parameters: limits, warm start and the solver's options.
    ///   - progress: called with incumbents and bounds as they come, possibly from another thread.
    ///   - cancellation: a token from ``makeCancellation()`` of this solver, or nil.
    func solveSynchronously(_ model: MIPModel, parameters: SolveParameters, progress: (@Sendable (SolveProgress) -> Void)?,
                            cancellation: (any SolveCancellation)?) throws(MIPError) -> SolveResult

    /// Writes `model` as free MPS, for another solver or a person.
    func writeFreeMPS(_ model: MIPModel, to path: String) throws(MIPError)
}
