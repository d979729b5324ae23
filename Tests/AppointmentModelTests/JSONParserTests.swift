@testable import AppointmentModel
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let v = try parse(#" {"a": [1, -2.5e1, true, false, null], "b": {"c": "d\"\u00e9\ud83d\ude00"}} "#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o["a"] == .array([.number(1), .number(-25), .bool(true), .bool(false), .null]))
        #expect(o["b"] == .object(JSONObject(["c": .string("d\"é😀")])))
    }

    @Test func keepsNonASCIIText() throws {
        #expect(try parse("\"Zürich\"") == .string("Zürich"))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9), ("[1 2]", 1, 4), ("{\"a\"\n: tru}", 2, 3), ("\"abc", 1, 5), ("01", 1, 1), ("", 1, 1),
        ("[1] x", 1, 5),
    ])
    func locatesSyntaxErrors(text: String, line: Int, column: Int) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func refusesDeepNestingInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([34, 0xC3, 0x28, 34]) }
    }

    @Test func writerOutputParsesBackToTheSameValue() throws {
        let v = JSONValue.object(JSONObject([
            "s": .string("line\nbreak \"quoted\" \\ tab\t \u{01}"), "n": .number(0.1), "i": .number(-42),
            "l": .array([.object(JSONObject(["k": .null]))]), "e": .array([]), "o": .object(JSONObject()),
        ]))
        #expect(try parse(JSONWriter.write(v)) == v)
    }
}
