/// A model with some variables fixed at zero and taken out: what is left of every row, and the
/// way back to the full model's variables.
///
/// A solver given the full model with those variables' bounds set to zero still carries their
/// columns and every row through each node's LP (GLPK without presolve does); the restriction
/// carries only what can still change.
public struct Restriction: Sendable {
    /// The smaller model: the remaining variables in their original order, the rows that still
    /// have a term.
    public let model: MIPModel
    /// For each variable of ``model``, its index in the full model.
    public let original: [Int]
    /// The full model's variable count.
    public let fullCount: Int

    /// The full model's values for a solution of ``model`` (zero for the variables taken out).
    ///
    /// - Parameter values: one value per variable of ``model``.
    public func expand(_ values: [Double]) -> [Double] {
        var full = [Double](repeating: 0, count: fullCount)
        for (j, o) in original.enumerated() where j < values.count { full[o] = values[j] }
        return full
    }

    /// The restricted model's values of a full-model assignment (for a warm start).
    ///
    /// - Parameter values: one value per variable of the full model.
    public func restrict(_ values: [Double]) -> [Double] {
        original.map { values[$0] }
    }
}
