#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Typed access to JSON fields that records every problem (with its path) instead of stopping.
///
/// `null` counts as absent, as the exchange format says for optional fields. Paths are
/// autoclosures: they are only formatted when there is a problem to report.
struct FieldReader {
    var issues: [InstanceIssue] = []
    /// Origin of the timeline; instants are converted to minutes from it.
    var timeline = Timeline(originUnixSeconds: 0)

    typealias Path = () -> String

    mutating func problem(_ path: String, id: String? = nil, _ message: String) {
        issues.append(InstanceIssue(.error, path: path, id: id, message: message))
    }

    /// The member `key` of `o`, or nil when absent or null (reporting it when required).
    @inline(__always)
    mutating func field(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool) -> JSONView? {
        present(o[key], key, path(), id: id, required: required)
    }

    /// `value` unless it is absent or null (reporting it when required).
    @inline(__always)
    mutating func present(_ value: JSONView?, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool) -> JSONView? {
        guard let value, !value.isNull else {
            if required { problem("\(path()).\(key)", id: id, "missing field '\(key)'") }
            return nil
        }
        return value
    }

    mutating func object(_ value: JSONView, _ path: @autoclosure Path, id: String? = nil) -> JSONView? {
        guard value.kind == .object else {
            problem(path(), id: id, "expected an object, found \(value.kindName)")
            return nil
        }
        return value
    }

    mutating func list(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> [JSONView]? {
        guard let v else { return nil }
        guard v.kind == .array else {
            problem(path(), id: id, "expected a list, found \(v.kindName)")
            return nil
        }
        return v.elements
    }

    mutating func string(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> String? {
        guard let v else { return nil }
        guard v.kind == .string else {
            problem(path(), id: id, "expected a non-empty string, found \(v.kindName)")
            return nil
        }
        let s = v.string
        guard !s.isEmpty else {
            problem(path(), id: id, "expected a non-empty string, found an empty one")
            return nil
        }
        return s
    }

    /// ``string(_:_:id:)`` for values that repeat through a document (appointment types,
    /// unscheduled reasons): a string longer than 15 UTF-8 bytes lives on the heap, so equal
    /// ones share the first one's storage.
    mutating func sharedString(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> String? {
        guard let v, v.kind == .string else { return string(v, path(), id: id) }
        let node = v.tape.nodes[v.node]
        guard !node.flag, node.end - node.start > 15 else { return string(v, path(), id: id) }
        let bytes = UnsafeBufferPointer(rebasing: v.tape.bytes[Int(node.start)..<Int(node.end)])
        if Self.equal(lastShared, bytes) { return lastShared }
        let key = Self.hash(bytes)
        if let known = sharedStrings[key], Self.equal(known, bytes) {
            lastShared = known
            return known
        }
        let s = v.string
        if sharedStrings.count < Self.sharedListLimit { sharedStrings[key] = s }
        lastShared = s
        return s
    }

    private var sharedStrings: [UInt64: String] = [:]
    /// The last shared string: runs of equal values (a solution's reasons) skip the table.
    private var lastShared = ""

    mutating func strings(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> [String]? {
        guard let v else { return nil }
        guard v.kind == .array else {
            problem(path(), id: id, "expected a list, found \(v.kindName)")
            return nil
        }
        // A list of plain strings whose text was seen before is the same list: share its array.
        if let text = v.tape.plainStringListText(v.node) {
            let key = Self.hash(text)
            if let known = sharedLists[key], known.text.withUnsafeBufferPointer({ Self.equal($0, text) }) { return known.list }
            let list = decodeStrings(v, path(), id: id)
            if let list, sharedLists.count < Self.sharedListLimit { sharedLists[key] = (Array(text), list) }
            return list
        }
        return decodeStrings(v, path(), id: id)
    }

    /// Lists of ids repeat from request to request (counts: Docs/performance.md, *Fourth session*).
    /// Equal lists share one array, keyed by a hash of their JSON text: fewer allocations, less
    /// memory, fewer page faults.
    private var sharedLists: [UInt64: (text: [UInt8], list: [String])] = [:]
    /// Entries kept per table (lists and shared strings): a bound on memory for odd documents.
    private static let sharedListLimit = 4096

    /// Whether two byte ranges are equal (`memcmp`; the generic `elementsEqual` compares byte by byte).
    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    @inline(__always)
    private static func equal(_ s: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        s.utf8.count == b.count && (s.utf8.withContiguousStorageIfAvailable { equal($0, b) } ?? s.utf8.elementsEqual(b))
    }

    /// FNV-1a over the bytes.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private mutating func decodeStrings(_ v: JSONView, _ path: @autoclosure Path, id: String?) -> [String]? {
        var out: [String] = []
        out.reserveCapacity(v.count)
        var bad: (Int, JSONView)?
        v.forEachElement { i, item in
            guard bad == nil else { return }
            if item.kind == .string, case let s = item.string, !s.isEmpty { out.append(s) } else { bad = (i, item) }
        }
        if let (i, item) = bad {
            _ = string(item, "\(path())[\(i)]", id: id)
            return nil
        }
        return out
    }

    mutating func number(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> Double? {
        guard let v else { return nil }
        guard v.kind == .number else {
            problem(path(), id: id, "expected a number, found \(v.kindName)")
            return nil
        }
        return v.number
    }

    mutating func int(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> Int? {
        guard let d = number(v, path(), id: id) else { return nil }
        guard d == d.rounded() else {
            problem(path(), id: id, "expected a whole number, found \(d)")
            return nil
        }
        guard abs(d) < 1e15 else {
            problem(path(), id: id, "\(d) is out of range: whole numbers here lie between -999999999999999 and 999999999999999")
            return nil
        }
        return Int(d)
    }

    mutating func bool(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> Bool? {
        guard let v else { return nil }
        guard v.kind == .true || v.kind == .false else {
            problem(path(), id: id, "expected true or false, found \(v.kindName)")
            return nil
        }
        return v.kind == .true
    }

    /// An RFC 3339 instant as seconds since the Unix epoch.
    mutating func unixSeconds(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> Int? {
        guard let v else { return nil }
        guard v.kind == .string else {
            problem(path(), id: id, "expected an RFC 3339 date-time string, found \(v.kindName)")
            return nil
        }
        if let seconds = v.tape.withStringBytes(v.node, { RFC3339.parse($0) }) { return seconds }
        do {
            return try RFC3339.parseUnixSeconds(v.string)
        } catch {
            problem(path(), id: id, error.description)
            return nil
        }
    }

    /// An instant as a timeline minute; it must be a whole number of minutes from the origin.
    mutating func minute(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> Int? {
        guard let seconds = unixSeconds(v, path(), id: id) else { return nil }
        guard let m = timeline.minute(unixSeconds: seconds) else {
            problem(path(), id: id, "instant is not a whole minute (seconds must be :00)")
            return nil
        }
        return m
    }

    /// An interval `{start, end}` (a two-element list is accepted too) in timeline minutes.
    mutating func span(_ value: JSONView, _ path: @autoclosure Path, id: String?) -> TimeSpan? {
        let s: Int?, e: Int?
        if value.kind == .array, case let pair = value.elements, pair.count == 2 {
            s = minute(pair[0], "\(path())[0]", id: id)
            e = minute(pair[1], "\(path())[1]", id: id)
        } else {
            guard let o = object(value, path(), id: id) else { return nil }
            s = minute(field(o, "start", path(), id: id, required: true), "\(path()).start", id: id)
            e = minute(field(o, "end", path(), id: id, required: true), "\(path()).end", id: id)
        }
        guard let s, let e else { return nil }
        return TimeSpan(start: s, end: e)
    }

    /// The common form `{"start": …, "end": …}` read in one pass, without paths or lookups by
    /// key (patient availability lists run to thousands of spans); nil for anything else, which
    /// ``span(_:_:id:)`` then reads and reports.
    @inline(__always)
    private func plainSpan(_ value: JSONView) -> TimeSpan? {
        let doc = value.tape
        let o = doc.nodes[value.node]
        guard o.kind == .object, o.start == 2, Int(o.end) == value.node + 5 else { return nil }
        func minute(_ n: Int) -> Int? {
            let v = doc.nodes[n]
            guard v.kind == .string, !v.flag,
                  let seconds = RFC3339.parse(UnsafeBufferPointer(rebasing: doc.bytes[Int(v.start)..<Int(v.end)])) else { return nil }
            return timeline.minute(unixSeconds: seconds)
        }
        let first = value.node + 1, second = value.node + 3
        let (s, e) = doc.stringEquals(first, "start") && doc.stringEquals(second, "end") ? (first, second)
            : doc.stringEquals(first, "end") && doc.stringEquals(second, "start") ? (second, first) : (0, 0)
        guard s > 0, let start = minute(s + 1), let end = minute(e + 1) else { return nil }
        return TimeSpan(start: start, end: end)
    }

    mutating func spans(_ v: JSONView?, _ path: @autoclosure Path, id: String?) -> [TimeSpan]? {
        guard let v else { return nil }
        guard v.kind == .array else {
            problem(path(), id: id, "expected a list, found \(v.kindName)")
            return nil
        }
        var out: [TimeSpan] = []
        out.reserveCapacity(v.count)
        var ok = true
        var i = 0
        var n = v.node + 1
        let end = Int(v.tape.nodes[v.node].end)
        while n < end {
            let item = JSONView(tape: v.tape, node: n)
            if let span = plainSpan(item) ?? span(item, "\(path())[\(i)]", id: id) { out.append(span) } else { ok = false }
            n = item.kind == .array || item.kind == .object ? Int(v.tape.nodes[n].end) : n + 1
            i += 1
        }
        return ok ? out : nil
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ v: JSONView?, _ path: @autoclosure Path, id: String?, as: E.Type
    ) -> E? where E.RawValue == String {
        guard let s = string(v, path(), id: id) else { return nil }
        guard let e = E(rawValue: s) else {
            problem(path(), id: id, "\"\(s)\" is not one of \(E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            return nil
        }
        return e
    }
}

extension FieldReader {
    // Members of an object by key, reporting a missing required field.

    mutating func string(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> String? {
        string(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func sharedString(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> String? {
        sharedString(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func strings(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> [String]? {
        strings(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    /// The member `key` when it is a list, as a view (for iterating long lists without an array of views).
    mutating func listView(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> JSONView? {
        guard let v = field(o, key, path(), id: id, required: required) else { return nil }
        guard v.kind == .array else {
            problem("\(path()).\(key)", id: id, "expected a list, found \(v.kindName)")
            return nil
        }
        return v
    }

    mutating func list(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> [JSONView]? {
        listView(o, key, path(), id: id, required: required)?.elements
    }

    mutating func number(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> Double? {
        number(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func int(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> Int? {
        int(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func bool(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> Bool? {
        bool(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func unixSeconds(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> Int? {
        unixSeconds(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func minute(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> Int? {
        minute(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func object(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool = true) -> JSONView? {
        guard let v = field(o, key, path(), id: id, required: required) else { return nil }
        return object(v, "\(path()).\(key)", id: id)
    }

    mutating func spans(_ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, required: Bool) -> [TimeSpan]? {
        spans(field(o, key, path(), id: id, required: required), "\(path()).\(key)", id: id)
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ o: JSONView, _ key: StaticString, _ path: @autoclosure Path, id: String?, as type: E.Type
    ) -> E? where E.RawValue == String {
        enumeration(field(o, key, path(), id: id, required: true), "\(path()).\(key)", id: id, as: type)
    }
}
