/// Writes a ``JSONValue`` as text: objects one member a line, short scalar lists inline.
public enum JSONWriter {
    /// Writes `value` as text ending in a newline, each nesting level indented by `indent` spaces.
    public static func write(_ value: JSONValue, indent: Int = 1) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        emit(value, level: 0, indent: indent, into: &out)
        out.append(10)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `value` on one line with no line breaks inside (JSON Lines), `, ` and `: ` between
    /// members as Python's `json.dumps` writes them.
    public static func writeLine(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        emitCompact(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func emitCompact(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                emitCompact(item, into: &out)
            }
            out.append(93)
        case .object(let object):
            out.append(123)
            for i in object.keys.indices {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                string(object.keys[i], into: &out)
                out.append(contentsOf: ": ".utf8)
                emitCompact(object.values[i], into: &out)
            }
            out.append(125)
        default:
            emit(value, level: 0, indent: 0, into: &out)
        }
    }

    private static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .array, .object: false
        default: true
        }
    }

    private static func emit(_ value: JSONValue, level: Int, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): out.append(contentsOf: numberText(d).utf8)
        case .string(let s): string(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            if items.allSatisfy(isScalar) {
                out.append(91)
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(contentsOf: ", ".utf8) }
                    emit(item, level: level, indent: indent, into: &out)
                }
                out.append(93)
                return
            }
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                newline(level + 1, indent, &out)
                emit(item, level: level + 1, indent: indent, into: &out)
            }
            newline(level, indent, &out)
            out.append(93)
        case .object(let object):
            if object.keys.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(123)
            for i in object.keys.indices {
                if i > 0 { out.append(44) }
                newline(level + 1, indent, &out)
                string(object.keys[i], into: &out)
                out.append(contentsOf: ": ".utf8)
                emit(object.values[i], level: level + 1, indent: indent, into: &out)
            }
            newline(level, indent, &out)
            out.append(125)
        }
    }

    private static func newline(_ level: Int, _ indent: Int, _ out: inout [UInt8]) {
        out.append(10)
        out.append(contentsOf: repeatElement(32, count: level * indent))
    }

    /// Whole numbers without a fraction; others in Swift's shortest round-tripping form.
    static func numberText(_ d: Double) -> String {
        // JSON has no infinity or NaN (a cost can overflow with huge weights): write null.
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return d.description
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        for c in s.utf8 {
            switch c {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: out.append(c)
            }
        }
        out.append(34)
    }
}
