/// Something that makes a model unusable, named by variable or constraint.
public struct ModelIssue: Sendable, Hashable, CustomStringConvertible {
    /// What is at fault: the objective, a solve parameter, or a variable or constraint by index and name.
    public var subject: String
    /// What is wrong with it.
    public var message: String
    /// Creates an issue.
    public init(subject: String, message: String) {
        self.subject = subject
        self.message = message
    }
    /// `subject: message`.
    public var description: String { "\(subject): \(message)" }
}

/// A broken constraint or bound of a candidate solution.
public struct SolutionViolation: Sendable, Hashable, CustomStringConvertible {
    /// The bound, integrality or constraint broken.
    public var subject: String
    /// How far the value lies beyond the limit; `.infinity` for a non-finite value or a wrong number of values.
    public var amount: Double
    /// Creates a violation.
    public init(subject: String, amount: Double) {
        self.subject = subject
        self.amount = amount
    }
    /// `subject violated by amount`.
    public var description: String { "\(subject) violated by \(amount)" }
}

extension MIPModel {
    /// Names longer than this are refused (GLPK's limit for symbolic names).
    public static let maxNameLength = 255

    /// Every problem that would make a solver refuse or misread the model.
    ///
    /// - Complexity: O(variables + non-zeros).
    public func validate() -> [ModelIssue] {
        var issues: [ModelIssue] = []
        func name(_ kind: String, _ index: Int, _ given: String) -> String {
            given.isEmpty ? "\(kind) \(index)" : "\(kind) \(index) (\(given))"
        }
        if !objectiveConstant.isFinite { issues.append(ModelIssue(subject: "objective", message: "constant is not finite")) }
        for (j, v) in variables.enumerated() {
            let subject = name("variable", j, v.name)
            if v.name.utf8.count > Self.maxNameLength { issues.append(ModelIssue(subject: subject, message: "name longer than 255 bytes")) }
            if v.lowerBound.isNaN || v.upperBound.isNaN || v.lowerBound == .infinity || v.upperBound == -.infinity {
                issues.append(ModelIssue(subject: subject, message: "bounds [\(v.lowerBound), \(v.upperBound)] are not usable"))
            } else if v.lowerBound > v.upperBound {
                issues.append(ModelIssue(subject: subject, message: "lower bound \(v.lowerBound) exceeds upper bound \(v.upperBound)"))
            }
            if !v.objective.isFinite { issues.append(ModelIssue(subject: subject, message: "objective coefficient is not finite")) }
        }
        for (i, c) in constraints.enumerated() {
            let subject = name("constraint", i, c.name)
            if c.name.utf8.count > Self.maxNameLength { issues.append(ModelIssue(subject: subject, message: "name longer than 255 bytes")) }
            if c.lowerBound.isNaN || c.upperBound.isNaN || c.lowerBound == .infinity || c.upperBound == -.infinity {
                issues.append(ModelIssue(subject: subject, message: "bounds [\(c.lowerBound), \(c.upperBound)] are not usable"))
            } else if c.lowerBound > c.upperBound {
                issues.append(ModelIssue(subject: subject, message: "lower bound \(c.lowerBound) exceeds upper bound \(c.upperBound)"))
            }
            for t in c.terms {
                if t.variable.index < 0 || t.variable.index >= variables.count {
                    issues.append(ModelIssue(subject: subject, message: "refers to variable \(t.variable.index), which does not exist"))
                } else if !t.coefficient.isFinite {
                    issues.append(ModelIssue(subject: subject, message: "coefficient of \(variables[t.variable.index].name) is not finite"))
                }
            }
        }
        return issues
    }

    /// The bounds, integrality and constraints that `values` break, beyond `tolerance`.
    ///
    /// - Complexity: O(variables + non-zeros).
    public func violations(of values: [Double], tolerance: Double = 1e-6) -> [SolutionViolation] {
        guard values.count == variables.count else {
            return [SolutionViolation(subject: "solution has \(values.count) values for \(variables.count) variables", amount: .infinity)]
        }
        var out: [SolutionViolation] = []
        for (j, v) in variables.enumerated() {
            let x = values[j]
            guard x.isFinite else {
                out.append(SolutionViolation(subject: "variable \(v.name)", amount: .infinity))
                continue
            }
            if x < v.lowerBound - tolerance { out.append(SolutionViolation(subject: "lower bound of \(v.name)", amount: v.lowerBound - x)) }
            if x > v.upperBound + tolerance { out.append(SolutionViolation(subject: "upper bound of \(v.name)", amount: x - v.upperBound)) }
            if v.kind != .continuous, abs(x - x.rounded()) > tolerance {
                out.append(SolutionViolation(subject: "integrality of \(v.name)", amount: abs(x - x.rounded())))
            }
        }
        for c in constraints {
            let lhs = c.terms.reduce(0.0) { $0 + $1.coefficient * values[$1.variable.index] }
            let scale = max(1, abs(lhs))
            if lhs < c.lowerBound - tolerance * scale { out.append(SolutionViolation(subject: "constraint \(c.name)", amount: c.lowerBound - lhs)) }
            if lhs > c.upperBound + tolerance * scale { out.append(SolutionViolation(subject: "constraint \(c.name)", amount: lhs - c.upperBound)) }
        }
        return out
    }
}
