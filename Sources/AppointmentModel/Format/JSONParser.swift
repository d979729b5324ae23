/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Nesting is limited to ``maxDepth`` so that hostile input cannot exhaust the stack; invalid
/// UTF-8 inside strings is refused. The exchange-format readers use the underlying tape
/// directly; this entry point returns a ``JSONValue`` tree.
///
/// - Complexity: O(n) in the input length.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maxDepth = 256

    /// Parses a whole JSON document from UTF-8 bytes into a tree.
    ///
    /// - Throws: ``JSONSyntaxError`` for malformed text, including invalid UTF-8 in a string,
    ///   nesting deeper than ``maxDepth`` and text after the value.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let tape = try JSONTape(bytes: bytes)
        return withExtendedLifetime(tape) { tape.root.value }
    }
}
