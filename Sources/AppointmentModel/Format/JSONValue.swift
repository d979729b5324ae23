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
    public var keys: [String] = []
    public var values: [JSONValue] = []

    public init() {}

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        for (k, v) in pairs { append(k, v) }
    }

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
    public var message: String
    public var line: Int
    public var column: Int

    public var description: String { "\(message) (line \(line), column \(column))" }
}
