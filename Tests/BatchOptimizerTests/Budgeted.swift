import BatchOptimizer

extension OptimizerParameters {
    /// A budgeted run: each GLPK solve stops after `nodes` nodes and the search after
    /// `neighbourhoods` neighbourhoods, so time decides nothing within `timeLimit`.
    static func budgeted(nodes: Int, neighbourhoods: Int, seed: UInt64, timeLimit: Duration) -> OptimizerParameters {
        var parameters = OptimizerParameters(timeLimit: timeLimit, seed: seed)
        parameters.nodeLimit = nodes
        parameters.maxNeighbourhoods = neighbourhoods
        return parameters
    }
}
