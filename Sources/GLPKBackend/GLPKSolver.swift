import CGLPKShim
import Foundation
import Logging
import MIPModel

/// The GLPK backend: the only Swift code that reaches GLPK (through the `CGLPKShim` C target).
///
/// **Threading rule.** GLPK keeps its state per OS thread and a problem belongs to the thread
/// that made it. Every solve here creates, solves and deletes its GLPK problem inside one C call
/// on one thread, so no GLPK object ever outlives a call or crosses an `await`. ``solve(_:parameters:progress:)``
/// runs that call on a thread of its own; `solveSynchronously(_:parameters:progress:cancellation:)`
/// on the caller's.
///
/// **Misuse never ends the process.** Arguments are validated in Swift first; should GLPK still
/// report misuse, the shim's error hook jumps back to a guard in C, frees the thread's GLPK
/// environment and the call throws `MIPError.backendFailure(_:)`.
public struct GLPKSolver: MIPSolver {
    /// Where GLPK's terminal output goes (at `.debug`), when `logLevel` asks for any.
    public var logger: Logger

    /// Creates a solver that writes GLPK's output, when asked for, to `logger`.
    public init(logger: Logger = Logger(label: "AppointmentOptimizer.GLPK")) {
        self.logger = logger
    }

    /// A flag that stops a running synchronous solve from another thread.
    public final class Cancellation: SolveCancellation, @unchecked Sendable {
        fileprivate let args: UnsafeMutablePointer<aog_solve_args>

        /// Creates a flag that is not yet set.
        public init() {
            args = .allocate(capacity: 1)
            args.initialize(to: aog_solve_args())
        }

        deinit { args.deallocate() }

        /// Asks the solve to stop; it returns its best solution at its next check (latency:
        /// `Docs/glpk-binding.md`).
        public func cancel() { aog_request_cancel(args) }

        /// Whether ``cancel()`` was called.
        public var isCancelled: Bool { aog_cancel_requested(args) != 0 }
    }

    /// Solves on a thread of its own, so no GLPK state crosses an `await`; cancelling the calling task
    /// stops the solve at its next check and returns the best solution found so far (latency:
    /// `Docs/glpk-binding.md`).
    ///
    /// - Complexity: that of `solveSynchronously(_:parameters:progress:cancellation:)`.
    public func solve(_ model: MIPModel, parameters: SolveParameters = SolveParameters(),
                      progress: (@Sendable (SolveProgress) -> Void)? = nil) async throws(MIPError) -> SolveResult {
        let cancellation = Cancellation()
        let result: Result<SolveResult, MIPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    do throws(MIPError) {
                        continuation.resume(returning: .success(try solveSynchronously(
                            model, parameters: parameters, progress: progress, cancellation: cancellation)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                thread.name = "GLPK solve"
                thread.stackSize = 16 << 20
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Solves on the calling thread.
    ///
    /// - Complexity: that of GLPK's branch and bound; the time limit bounds the wall time, the
    ///   root LP included (it is solved in slices of 5,000 simplex iterations, between which the
    ///   deadline and the cancellation are checked).
    public func solveSynchronously(_ model: MIPModel, parameters: SolveParameters = SolveParameters(),
                                   progress: (@Sendable (SolveProgress) -> Void)? = nil,
                                   cancellation: Cancellation? = nil) throws(MIPError) -> SolveResult {
        let control = cancellation ?? Cancellation()
        // A solve cancelled before it starts returns at once: checking and building the model
        // for GLPK cost time in proportion to its size.
        if control.isCancelled {
            return SolveResult(termination: .cancelled, values: nil, objective: nil, bestBound: nil,
                               statistics: SolveStatistics(nodes: 0, lpIterations: 0, wallTime: .zero))
        }
        let issues = model.validate()
        guard issues.isEmpty else { throw .invalidModel(issues) }
        guard parameters.relativeGap >= 0, parameters.relativeGap.isFinite else {
            throw .invalidModel([ModelIssue(subject: "parameters.relativeGap", message: "must be a finite number ≥ 0")])
        }
        if let warm = parameters.warmStart {
            let broken = model.violations(of: warm)
            guard broken.isEmpty else { throw .infeasibleWarmStart(broken) }
        }
        let compiled = CompiledModel(model, withNames: false)
        let args = control.args
        let start = ContinuousClock.now
        let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(model.variables.count, 1))
        values.initialize(repeating: 0)
        defer { values.deallocate() }
        let progressBox = ProgressBox(progress: progress, start: start)
        let logBox = LogBox(logger: logger)
        let warm: UnsafeMutableBufferPointer<Double>? = parameters.warmStart.map { w in
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(w.count, 1))
            _ = b.initialize(from: w)
            return b
        }
        defer { warm?.deallocate() }

        args.pointee.time_limit_seconds = parameters.timeLimit.map(Self.seconds) ?? 0
        args.pointee.mip_gap = parameters.relativeGap
        args.pointee.presolve = parameters.presolve ? 1 : 0
        args.pointee.cuts = parameters.cuts ? 1 : 0
        args.pointee.node_limit = Int32(clamping: max(parameters.nodeLimit ?? 0, 0))
        args.pointee.msg_level = Int32(parameters.logLevel.rawValue)
        args.pointee.warm_start = UnsafePointer(warm?.baseAddress)
        args.pointee.values = values.baseAddress
        args.pointee.progress = progress == nil ? nil : onProgress
        args.pointee.progress_context = Unmanaged.passUnretained(progressBox).toOpaque()
        args.pointee.log = onLog
        args.pointee.log_context = Unmanaged.passUnretained(logBox).toOpaque()

        let status = withExtendedLifetime((compiled, progressBox, logBox)) {
            withUnsafePointer(to: compiled.raw) { aog_solve($0, args) }
        }
        let a = args.pointee
        let message = Self.text(of: a)
        let statistics = SolveStatistics(nodes: Int(a.nodes), lpIterations: Int(a.lp_iterations),
                                         wallTime: ContinuousClock.now - start)
        let termination: TerminationStatus
        switch status {
        case Int32(AOG_OPTIMAL): termination = .optimal
        case Int32(AOG_GAP_REACHED): termination = .gapReached
        case Int32(AOG_TIME_LIMIT): termination = a.has_solution != 0 ? .timeLimitFeasible : .timeLimitNoSolution
        case Int32(AOG_INFEASIBLE): termination = .infeasible
        case Int32(AOG_UNBOUNDED): termination = .unbounded
        case Int32(AOG_CANCELLED): termination = .cancelled
        case Int32(AOG_NODE_LIMIT): termination = a.has_solution != 0 ? .nodeLimitFeasible : .nodeLimitNoSolution
        case Int32(AOG_GLPK_ERROR): throw .backendFailure(message.isEmpty ? "GLPK reported misuse" : message)
        default: throw .backendFailure("GLPK failed (return code \(a.glpk_return))" + (message.isEmpty ? "" : ": \(message)"))
        }
        let found = a.has_solution != 0 && termination.mayHaveSolution
        return SolveResult(termination: termination,
                           values: found ? Array(values.prefix(model.variables.count)) : nil,
                           objective: found ? a.objective : nil,
                           bestBound: a.has_bound != 0 ? a.bound : nil,
                           statistics: statistics,
                           warmStartAccepted: a.warm_start_accepted != 0)
    }

    /// The model's export formats.
    public enum ExportFormat: Sendable {
        /// CPLEX LP, readable by `glpsol --lp` and most solvers.
        case cplexLP
        /// Free MPS, readable by `glpsol --freemps`.
        case freeMPS
    }

    /// Writes `model` to `path` (a name ending in `.gz` is compressed by GLPK).
    public func write(_ model: MIPModel, to path: String, format: ExportFormat) throws(MIPError) {
        let issues = model.validate()
        guard issues.isEmpty else { throw .invalidModel(issues) }
        let compiled = CompiledModel(model, withNames: true)
        var buffer = [CChar](repeating: 0, count: 512)
        let code = withExtendedLifetime(compiled) {
            withUnsafePointer(to: compiled.raw) { m in
                aog_write(m, path, format == .cplexLP ? 0 : 1, &buffer, Int32(buffer.count))
            }
        }
        if code != 0 {
            throw .backendFailure("cannot write \(path): " + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// Makes a deliberate GLPK misuse under the guard, to test that the process survives it.
    @_spi(Testing)
    public static func provokeMisuse() -> MIPError? {
        var buffer = [CChar](repeating: 0, count: 512)
        guard aog_provoke_misuse(&buffer, Int32(buffer.count)) == Int32(AOG_GLPK_ERROR) else { return nil }
        return .backendFailure(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// GLPK's `tm_lim` is in milliseconds; clamp into what the shim accepts.
    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return max(0.001, min(Double(s) + Double(atto) * 1e-18, 1e9))
    }

    private static func text(of a: aog_solve_args) -> String {
        withUnsafeBytes(of: a.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// Swift context of the progress callback: the caller's closure and the solve's start.
private final class ProgressBox {
    let progress: (@Sendable (SolveProgress) -> Void)?
    let start: ContinuousClock.Instant
    init(progress: (@Sendable (SolveProgress) -> Void)?, start: ContinuousClock.Instant) {
        self.progress = progress
        self.start = start
    }
}

private final class LogBox {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}

/// Called by the shim on the solving thread; makes no GLPK call.
private let onProgress: aog_progress_fn = { context, event, incumbent, hasIncumbent, bound, hasBound, nodes in
    guard let context else { return }
    let box = Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue()
    let kind: SolveProgress.Event = switch event {
    case Int32(AOG_EVENT_INCUMBENT): .incumbent
    case Int32(AOG_EVENT_WARM_START): .warmStart
    default: .bound
    }
    box.progress?(SolveProgress(event: kind, incumbent: hasIncumbent != 0 ? incumbent : nil,
                                bound: hasBound != 0 ? bound : nil, nodes: Int(nodes),
                                elapsed: ContinuousClock.now - box.start))
}

/// GLPK's terminal output, line by line, to the logger; makes no GLPK call.
private let onLog: aog_log_fn = { context, text in
    guard let context, let text else { return }
    let box = Unmanaged<LogBox>.fromOpaque(context).takeUnretainedValue()
    let line = String(cString: text).trimmingCharacters(in: .newlines)
    if !line.isEmpty { box.logger.debug("\(line)") }
}

extension GLPKSolver: SynchronousMIPSolver {
    /// A ``Cancellation``.
    public func makeCancellation() -> any SolveCancellation { Cancellation() }

    /// `solveSynchronously(_:parameters:progress:cancellation:)` with a token of the
    /// solver-neutral kind, which must come from ``makeCancellation()``.
    ///
    /// - Throws: `MIPError.backendFailure(_:)` for a token that another solver made.
    public func solveSynchronously(_ model: MIPModel, parameters: SolveParameters, progress: (@Sendable (SolveProgress) -> Void)?,
                                   cancellation: (any SolveCancellation)?) throws(MIPError) -> SolveResult {
        guard let token = cancellation else {
            return try solveSynchronously(model, parameters: parameters, progress: progress, cancellation: Cancellation?.none)
        }
        guard let mine = token as? Cancellation else {
            throw .backendFailure("the cancellation token was not made by GLPKSolver.makeCancellation()")
        }
        return try solveSynchronously(model, parameters: parameters, progress: progress, cancellation: mine)
    }

    /// Writes `model` as free MPS (``write(_:to:format:)``).
    public func writeFreeMPS(_ model: MIPModel, to path: String) throws(MIPError) {
        try write(model, to: path, format: .freeMPS)
    }
}
