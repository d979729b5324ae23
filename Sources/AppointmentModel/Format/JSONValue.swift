/// A decoded JSON document: the exchange format's reader walks this tree so that it can report
/// every problem at once, each with its path and id, which `Codable` cannot do.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's JSON type, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A JSON object, keys in document order (objects here are small: lookup is a linear scan).
public struct JSONObject: Sendable, Equatable {
    /// Member names in document order (a name may occur more than once).
    public var keys: [String] = []
    /// Member values, parallel to `keys`.
    public var values: [JSONValue] = []

    /// Creates an empty object.
    public init() {}

    /// Creates an object with the members of `pairs`, in their order.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        for (k, v) in pairs { append(k, v) }
    }

    /// Adds a member at the end; a member of the same name already present is kept, not replaced.
    public mutating func append(_ key: String, _ value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    /// The value of the first member named `key`.
    public subscript(key: String) -> JSONValue? {
        for i in keys.indices where keys[i] == key { return values[i] }
        return nil
    }
}

/// Malformed JSON text, located by line and column (1-based).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the text.
    public var message: String
    /// The line of the problem, from 1.
    public var line: Int
    /// The column of the problem, from 1, counted in bytes.
    public var column: Int

    /// The message followed by its line and column.
    public var description: String { "\(message) (line \(line), column \(column))" }
}
