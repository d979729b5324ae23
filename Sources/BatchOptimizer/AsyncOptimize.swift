import AppointmentModel
import Foundation

extension BatchOptimizer {
    /// ``optimize(_:start:parameters:cancellation:progress:)`` for async code: the run goes on a
    /// thread of its own (GLPK blocks its thread for the whole run, which must not be one of the
    /// cooperative pool's few), and cancelling the calling task stops it promptly (latency:
    /// `Docs/glpk-binding.md`). A cancelled run returns the best schedule it has, with
    /// ``OptimizationResult/stop`` equal to ``OptimizationResult/Stop/cancelled``; it does not
    /// throw `CancellationError`, so that the work done is not lost.
    ///
    /// - Throws: ``OptimizerError`` as the synchronous call does.
    public func optimize(_ instance: Instance, start: Solution? = nil, parameters: OptimizerParameters = OptimizerParameters(),
                         progress: (@Sendable (OptimizerEvent) -> Void)? = nil) async throws(OptimizerError) -> OptimizationResult {
        let cancellation = OptimizerCancellation()
        let outcome: Result<OptimizationResult, OptimizerError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    do throws(OptimizerError) {
                        continuation.resume(returning: .success(try self.optimize(instance, start: start, parameters: parameters,
                                                                                  cancellation: cancellation, progress: progress)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try outcome.get()
    }
}
