import AppointmentModel
import Testing
import TestSupport

@Suite struct IDTableTests {
    @Test func mapsEachIDToItsFirstIndex() {
        let table = IDTable(["a", "b", "a", "a-much-longer-identifier-than-fifteen-bytes", "Zürich"])
        #expect(table["a"] == 0)
        #expect(table["b"] == 1)
        #expect(table["a-much-longer-identifier-than-fifteen-bytes"] == 3)
        #expect(table["Zürich"] == 4)
        #expect(table["c"] == nil)
        #expect(table.count == 4)
    }

    @Test func agreesWithADictionaryOnSeededRandomIDs() {
        var rng = SplitMix64(seed: 42)
        let ids = (0..<5000).map { _ in "R\(rng.next() % 3000)" }
        let table = IDTable(ids)
        var first: [String: Int] = [:]
        for (i, id) in ids.enumerated() where first[id] == nil { first[id] = i }
        for id in Set(ids) { #expect(table[id] == first[id]) }
        for k in 0..<100 { #expect(table["missing-\(k)"] == nil) }
    }
}
