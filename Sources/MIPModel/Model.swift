/// A handle to a variable of a ``MIPModel``.
public struct Variable: Sendable, Hashable, Comparable {
    /// The variable's position in ``MIPModel/variables``.
    public let index: Int
    /// Creates a handle to the variable at `index`.
    public init(index: Int) { self.index = index }
    /// Orders variables by index, that is, in the order they were added.
    public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

/// A handle to a constraint of a ``MIPModel``.
public struct Constraint: Sendable, Hashable {
    /// The constraint's position in ``MIPModel/constraints``.
    public let index: Int
}

/// Which values a variable may take: any real number, integers, or only 0 and 1.
public enum VariableKind: Sendable, Hashable {
    /// Any real value within the bounds; an integer within them; 0 or 1.
    case continuous, integer, binary
}

/// One variable of a ``MIPModel``: its name, kind, bounds and objective coefficient.
public struct VariableDefinition: Sendable, Hashable {
    /// The variable's name, for exports and messages; at most ``MIPModel/maxNameLength`` bytes.
    public var name: String
    /// Whether the variable is continuous, integer or binary.
    public var kind: VariableKind
    /// The least value the variable may take; `-.infinity` for none.
    public var lowerBound: Double
    /// The greatest value the variable may take; `.infinity` for none.
    public var upperBound: Double
    /// The variable's coefficient in the objective.
    public var objective: Double
    /// Whether branch and bound branches on this variable, while it is fractional, before any
    /// variable without the mark (the most fractional first, its down branch first).
    public var branchesFirst: Bool = false
}

/// `lower ≤ Σ coefficient · variable ≤ upper`; either side may be infinite.
public struct LinearConstraint: Sendable, Hashable {
    /// The constraint's name, for exports and messages; `c` and its index when none was given.
    public var name: String
    /// The family the constraint belongs to (for reports and the formulation's documentation).
    public var group: String
    /// The linear expression, at most one term per variable.
    public var terms: [Term]
    /// The least value the expression may take; `-.infinity` for none.
    public var lowerBound: Double
    /// The greatest value the expression may take; `.infinity` for none.
    public var upperBound: Double
}

/// One `coefficient · variable` product of a linear expression.
public struct Term: Sendable, Hashable {
    /// The variable multiplied.
    public var variable: Variable
    /// The factor the variable is multiplied by.
    public var coefficient: Double
    /// Creates the term `coefficient · variable`.
    public init(_ variable: Variable, _ coefficient: Double) {
        self.variable = variable
        self.coefficient = coefficient
    }
}

/// How a constraint bounds its linear expression.
public enum Relation: Sendable, Hashable {
    /// At most the value: `Σ ≤ value`.
    case lessOrEqual(Double)
    /// At least the value: `Σ ≥ value`.
    case greaterOrEqual(Double)
    /// Exactly the value: `Σ = value`.
    case equal(Double)
    /// Between two values, both included: `lower ≤ Σ ≤ upper`.
    case range(Double, Double)

    var bounds: (Double, Double) {
        switch self {
        case .lessOrEqual(let u): (-.infinity, u)
        case .greaterOrEqual(let l): (l, .infinity)
        case .equal(let v): (v, v)
        case .range(let l, let u): (l, u)
        }
    }
}

/// Whether the objective is minimised or maximised.
public enum ObjectiveSense: Sendable, Hashable {
    /// Find the smallest objective value; find the largest.
    case minimize, maximize
}

/// A mixed-integer linear program, independent of any solver.
///
/// Built with ``addVariable(_:kind:lowerBound:upperBound:objective:branchesFirst:)`` and
/// ``addConstraint(_:_:name:group:)``; checked by ``validate()`` before any backend sees it.
public struct MIPModel: Sendable, Hashable {
    /// The model's name, passed to the solver and written in exports.
    public var name: String
    /// Whether the objective is minimised or maximised.
    public var sense: ObjectiveSense
    /// A constant added to the objective, whatever the variables' values.
    public var objectiveConstant: Double = 0
    /// The variables, in the order they were added; a ``Variable``'s index points here.
    public private(set) var variables: [VariableDefinition] = []
    /// The constraints, in the order they were added; a ``Constraint``'s index points here.
    public private(set) var constraints: [LinearConstraint] = []

    /// Creates an empty model.
    public init(name: String = "model", sense: ObjectiveSense = .minimize) {
        self.name = name
        self.sense = sense
    }

    /// Adds a variable. Binary variables have bounds [0, 1] whatever is given.
    ///
    /// - Parameters:
    ///   - name: for exports and messages.
    ///   - kind: continuous, integer or binary.
    ///   - lowerBound: the least value; `-.infinity` for none.
    ///   - upperBound: the greatest value; `.infinity` for none.
    ///   - objective: the coefficient in the objective.
    ///   - branchesFirst: branch on it before unmarked variables (``VariableDefinition/branchesFirst``).
    /// - Returns: the new variable.
    @discardableResult
    public mutating func addVariable(_ name: String, kind: VariableKind = .continuous, lowerBound: Double = 0,
                                     upperBound: Double = .infinity, objective: Double = 0, branchesFirst: Bool = false) -> Variable {
        let binary = kind == .binary
        variables.append(VariableDefinition(name: name, kind: kind, lowerBound: binary ? 0 : lowerBound,
                                            upperBound: binary ? 1 : upperBound, objective: objective, branchesFirst: branchesFirst))
        return Variable(index: variables.count - 1)
    }

    /// Raises (or lowers) the lower bound of a continuous or integer `variable`.
    public mutating func setLowerBound(_ variable: Variable, _ bound: Double) {
        variables[variable.index].lowerBound = bound
    }

    /// The linear relaxation: the same model with every variable continuous within its bounds.
    /// Its optimum is a lower (for a maximisation, upper) bound on the model's.
    public func relaxation() -> MIPModel {
        var relaxed = self
        for j in relaxed.variables.indices { relaxed.variables[j].kind = .continuous }
        return relaxed
    }

    /// Marks `variable` to be branched on before unmarked ones (``VariableDefinition/branchesFirst``), or unmarks it.
    ///
    /// - Parameters:
    ///   - variable: the variable to mark.
    ///   - value: whether it branches first.
    public mutating func setBranchesFirst(_ variable: Variable, _ value: Bool = true) {
        variables[variable.index].branchesFirst = value
    }

    /// Sets the objective coefficient of `variable`.
    public mutating func setObjective(_ variable: Variable, _ coefficient: Double) {
        variables[variable.index].objective = coefficient
    }

    /// Adds `relation` over `Σ terms`. Repeated variables are summed.
    @discardableResult
    public mutating func addConstraint(_ terms: [Term], _ relation: Relation, name: String = "",
                                       group: String = "") -> Constraint {
        var merged: [Variable: Double] = [:]
        var order: [Variable] = []
        for t in terms {
            if merged[t.variable] == nil { order.append(t.variable) }
            merged[t.variable, default: 0] += t.coefficient
        }
        let (lo, hi) = relation.bounds
        constraints.append(LinearConstraint(name: name.isEmpty ? "c\(constraints.count)" : name, group: group,
                                            terms: order.map { Term($0, merged[$0]!) }, lowerBound: lo, upperBound: hi))
        return Constraint(index: constraints.count - 1)
    }

    /// The objective value of an assignment of values to every variable.
    public func objectiveValue(_ values: [Double]) -> Double {
        zip(variables, values).reduce(objectiveConstant) { $0 + $1.0.objective * $1.1 }
    }
}

// In this file: it sets the variables and rows directly.
extension MIPModel {
    /// This model with the variables in `zero` fixed at zero and removed.
    ///
    /// - Parameter zero: indices (in ``variables``) of the variables to fix at zero.
    /// - Returns: nil when some row cannot hold with them at zero (a row left without terms
    ///   whose bounds exclude zero, or a removed variable whose bounds exclude zero).
    /// - Complexity: O(variables + non-zeros).
    public func restricted(fixingAtZero zero: Set<Int>) -> Restriction? {
        var newIndex = [Int](repeating: -1, count: variables.count)
        var original: [Int] = []
        var model = MIPModel(name: name, sense: sense)
        model.objectiveConstant = objectiveConstant
        for (j, v) in variables.enumerated() {
            if zero.contains(j) {
                guard v.lowerBound <= 0, v.upperBound >= 0 else { return nil }
                continue
            }
            newIndex[j] = original.count
            original.append(j)
            model.variables.append(v)
        }
        for row in constraints {
            let terms = row.terms.compactMap { t in newIndex[t.variable.index] >= 0 ? Term(Variable(index: newIndex[t.variable.index]), t.coefficient) : nil }
            if terms.isEmpty {
                guard row.lowerBound <= 0, row.upperBound >= 0 else { return nil }
                continue
            }
            model.constraints.append(LinearConstraint(name: row.name, group: row.group, terms: terms,
                                                      lowerBound: row.lowerBound, upperBound: row.upperBound))
        }
        return Restriction(model: model, original: original, fullCount: variables.count)
    }
}
