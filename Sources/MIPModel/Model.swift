/// A handle to a variable of a ``MIPModel``.
public struct Variable: Sendable, Hashable, Comparable {
    public let index: Int
    public init(index: Int) { self.index = index }
    public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

/// A handle to a constraint of a ``MIPModel``.
public struct Constraint: Sendable, Hashable {
    public let index: Int
}

public enum VariableKind: Sendable, Hashable {
    case continuous, integer, binary
}

public struct VariableDefinition: Sendable, Hashable {
    public var name: String
    public var kind: VariableKind
    public var lowerBound: Double
    public var upperBound: Double
    public var objective: Double
}

/// `lower ≤ Σ coefficient · variable ≤ upper`; either side may be infinite.
public struct LinearConstraint: Sendable, Hashable {
    public var name: String
    /// The family the constraint belongs to (for reports and the formulation's documentation).
    public var group: String
    public var terms: [Term]
    public var lowerBound: Double
    public var upperBound: Double
}

public struct Term: Sendable, Hashable {
    public var variable: Variable
    public var coefficient: Double
    public init(_ variable: Variable, _ coefficient: Double) {
        self.variable = variable
        self.coefficient = coefficient
    }
}

/// How a constraint bounds its linear expression.
public enum Relation: Sendable, Hashable {
    case lessOrEqual(Double)
    case greaterOrEqual(Double)
    case equal(Double)
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

public enum ObjectiveSense: Sendable, Hashable {
    case minimize, maximize
}

/// A mixed-integer linear program, independent of any solver.
///
/// Built with ``addVariable(_:kind:lowerBound:upperBound:objective:)`` and
/// ``addConstraint(_:_:name:group:)``; checked by ``validate()`` before any backend sees it.
public struct MIPModel: Sendable, Hashable {
    public var name: String
    public var sense: ObjectiveSense
    public var objectiveConstant: Double = 0
    public private(set) var variables: [VariableDefinition] = []
    public private(set) var constraints: [LinearConstraint] = []

    public init(name: String = "model", sense: ObjectiveSense = .minimize) {
        self.name = name
        self.sense = sense
    }

    /// Adds a variable. Binary variables have bounds [0, 1] whatever is given.
    @discardableResult
    public mutating func addVariable(_ name: String, kind: VariableKind = .continuous, lowerBound: Double = 0,
                                     upperBound: Double = .infinity, objective: Double = 0) -> Variable {
        let binary = kind == .binary
        variables.append(VariableDefinition(name: name, kind: kind, lowerBound: binary ? 0 : lowerBound,
                                            upperBound: binary ? 1 : upperBound, objective: objective))
        return Variable(index: variables.count - 1)
    }

    /// Raises (or lowers) the lower bound of a continuous or integer `variable`.
    public mutating func setLowerBound(_ variable: Variable, _ bound: Double) {
        variables[variable.index].lowerBound = bound
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
