/// Typed access to JSON fields that records every problem (with its path) instead of stopping.
///
/// `null` counts as absent, as the exchange format says for optional fields.
struct FieldReader {
    var issues: [InstanceIssue] = []
    /// Origin of the timeline; instants are converted to minutes from it.
    var timeline = Timeline(originUnixSeconds: 0)

    mutating func problem(_ path: String, id: String? = nil, _ message: String) {
        issues.append(InstanceIssue(.error, path: path, id: id, message: message))
    }

    /// The value, or nil when absent (reporting it when required).
    mutating func raw(_ object: JSONObject, _ key: String, _ path: String, id: String?, required: Bool) -> JSONValue? {
        guard let value = object[key], value != .null else {
            if required { problem("\(path).\(key)", id: id, "missing field '\(key)'") }
            return nil
        }
        return value
    }

    mutating func object(_ value: JSONValue, _ path: String, id: String? = nil) -> JSONObject? {
        guard case .object(let o) = value else {
            problem(path, id: id, "expected an object, found \(value.kindName)")
            return nil
        }
        return o
    }

    mutating func object(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> JSONObject? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        return object(v, "\(path).\(key)", id: id)
    }

    mutating func list(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> [JSONValue]? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        guard case .array(let items) = v else {
            problem("\(path).\(key)", id: id, "expected a list, found \(v.kindName)")
            return nil
        }
        return items
    }

    mutating func string(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> String? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        guard case .string(let s) = v, !s.isEmpty else {
            problem("\(path).\(key)", id: id, "expected a non-empty string, found \(v.kindName)")
            return nil
        }
        return s
    }

    mutating func strings(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> [String]? {
        guard let items = list(o, key, path, id: id, required: required) else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, !s.isEmpty else {
                problem("\(path).\(key)[\(i)]", id: id, "expected a non-empty string, found \(item.kindName)")
                return nil
            }
            out.append(s)
        }
        return out
    }

    mutating func number(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> Double? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        guard case .number(let d) = v else {
            problem("\(path).\(key)", id: id, "expected a number, found \(v.kindName)")
            return nil
        }
        return d
    }

    mutating func int(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> Int? {
        guard let d = number(o, key, path, id: id, required: required) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else {
            problem("\(path).\(key)", id: id, "expected a whole number, found \(d)")
            return nil
        }
        return Int(d)
    }

    mutating func bool(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> Bool? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        guard case .bool(let b) = v else {
            problem("\(path).\(key)", id: id, "expected true or false, found \(v.kindName)")
            return nil
        }
        return b
    }

    /// An RFC 3339 instant as seconds since the Unix epoch.
    mutating func unixSeconds(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> Int? {
        guard let v = raw(o, key, path, id: id, required: required) else { return nil }
        guard case .string(let s) = v else {
            problem("\(path).\(key)", id: id, "expected an RFC 3339 date-time string, found \(v.kindName)")
            return nil
        }
        if let fast = s.utf8.withContiguousStorageIfAvailable({ RFC3339.parse($0) }), let seconds = fast {
            return seconds
        }
        do {
            return try RFC3339.parseUnixSeconds(s)
        } catch {
            problem("\(path).\(key)", id: id, error.description)
            return nil
        }
    }

    /// An instant as a timeline minute; it must be a whole number of minutes from the origin.
    mutating func minute(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool = true) -> Int? {
        guard let seconds = unixSeconds(o, key, path, id: id, required: required) else { return nil }
        guard let m = timeline.minute(unixSeconds: seconds) else {
            problem("\(path).\(key)", id: id, "instant is not a whole minute (seconds must be :00)")
            return nil
        }
        return m
    }

    /// An interval `{start, end}` (a two-element list is accepted too) in timeline minutes.
    mutating func span(_ value: JSONValue, _ path: String, id: String?) -> TimeSpan? {
        var value = value
        if case .array(let pair) = value, pair.count == 2 {
            value = .object(JSONObject(["start": pair[0], "end": pair[1]]))
        }
        guard let o = object(value, path, id: id) else { return nil }
        let s = minute(o, "start", path, id: id)
        let e = minute(o, "end", path, id: id)
        guard let s, let e else { return nil }
        return TimeSpan(start: s, end: e)
    }

    mutating func spans(_ o: JSONObject, _ key: String, _ path: String, id: String?, required: Bool) -> [TimeSpan]? {
        guard let items = list(o, key, path, id: id, required: required) else { return nil }
        var out: [TimeSpan] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let span = span(item, "\(path).\(key)[\(i)]", id: id) { out.append(span) } else { ok = false }
        }
        return ok ? out : nil
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ o: JSONObject, _ key: String, _ path: String, id: String?, as: E.Type
    ) -> E? where E.RawValue == String {
        guard let s = string(o, key, path, id: id) else { return nil }
        guard let e = E(rawValue: s) else {
            problem("\(path).\(key)", id: id,
                    "\"\(s)\" is not one of \(E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            return nil
        }
        return e
    }
}
