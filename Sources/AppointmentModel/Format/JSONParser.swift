/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Written for the exchange format's volume (an xl instance is 5.5 MB): one pass, no
/// intermediate tokens, strings without escapes copied straight from the buffer.
/// Nesting is limited to ``maxDepth`` so hostile input cannot exhaust the stack.
///
/// - Complexity: O(n) in the input length.
public struct JSONParser {
    public static let maxDepth = 256

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Cursor(bytes: buffer)
            do throws(JSONSyntaxError) {
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                if parser.index < buffer.count { throw parser.failure("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func failure(_ message: String) -> JSONSyntaxError {
            var line = 1, column = 1
            for i in 0..<min(index, bytes.count) {
                if bytes[i] == 10 { line += 1; column = 1 } else { column += 1 }
            }
            return JSONSyntaxError(message: message, line: line, column: column)
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 32, 9, 10, 13: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            guard index < bytes.count else { throw failure("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return .object(try object(depth: depth + 1))
            case UInt8(ascii: "["): return .array(try array(depth: depth + 1))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
            let n = word.utf8CodeUnitCount
            guard index + n <= bytes.count else { throw failure("unexpected end of input") }
            let w = word.utf8Start
            for k in 0..<n where bytes[index + k] != w[k] { throw failure("invalid literal") }
            index += n
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONObject {
            guard depth <= JSONParser.maxDepth else { throw failure("nested too deeply") }
            index += 1
            var out = JSONObject()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return out }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw failure("expected a string key")
                }
                let key = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                skipWhitespace()
                out.append(key, try value(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw failure("unexpected end of input in an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return out }
                throw failure("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
            guard depth <= JSONParser.maxDepth else { throw failure("nested too deeply") }
            index += 1
            var out: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return out }
            while true {
                skipWhitespace()
                out.append(try value(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw failure("unexpected end of input in a list") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return out }
                throw failure("expected ',' or ']'")
            }
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            index += 1
            let start = index
            var ascii = true
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    if ascii { return String(decoding: slice, as: UTF8.self) }
                    guard let s = String(validating: slice, as: UTF8.self) else {
                        index = start
                        throw failure("a string is not valid UTF-8")
                    }
                    return s
                }
                if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
                if c < 0x20 { throw failure("control character in a string") }
                if c >= 0x80 { ascii = false }
                index += 1
            }
            throw failure("unterminated string")
        }

        mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
            var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    index += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                    return s
                }
                if c < 0x20 { throw failure("control character in a string") }
                if c != UInt8(ascii: "\\") { out.append(c); index += 1; continue }
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == 92, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate in a \\u escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw failure("invalid escape")
                }
            }
            throw failure("unterminated string")
        }

        mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("unexpected end of input in \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 65...70: d = UInt32(c - 55)
                case 97...102: d = UInt32(c - 87)
                default: throw failure("invalid \\u escape")
                }
                v = v << 4 | d
                index += 1
            }
            return v
        }

        mutating func number() throws(JSONSyntaxError) -> Double {
            let start = index
            var negative = false
            if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            var integer: Int = 0
            var digits = 0
            let intStart = index
            while index < bytes.count, bytes[index] &- 48 < 10 {
                if digits < 18 { integer = integer * 10 + Int(bytes[index] &- 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw failure("invalid number") }
            if digits > 1, bytes[intStart] == 48 {
                index = start
                throw failure("invalid number (leading zero)")
            }
            var simple = digits <= 15
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                simple = false
                index += 1
                let f = index
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
                guard index > f else { throw failure("invalid number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                simple = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let f = index
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
                guard index > f else { throw failure("invalid number") }
            }
            if simple { return negative ? -Double(integer) : Double(integer) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let d = Double(text), d.isFinite else { throw failure("number out of range") }
            return d
        }
    }
}
