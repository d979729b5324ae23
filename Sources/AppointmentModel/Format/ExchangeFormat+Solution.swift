import Foundation

extension ExchangeFormat {
    /// Reads a solution for `instance` from a file.
    public static func readSolution(contentsOf url: URL, for instance: Instance) throws(FormatError) -> Solution {
        try readSolution(try bytes(of: url, document: "solution"), for: instance)
    }

    /// Reads a solution; starts become minutes on `instance`'s timeline.
    ///
    /// Unknown request, provider or room ids are *not* format errors: they are rule-1 violations
    /// that ``ScheduleValidator`` reports.
    public static func readSolution(_ bytes: [UInt8], for instance: Instance) throws(FormatError) -> Solution {
        let top = try parseJSON(bytes, document: "solution")
        var r = FieldReader()
        r.timeline = instance.timeline
        let format = r.string(top, "format", "solution", id: nil, required: false) ?? ""
        let name = r.string(top, "instance", "solution", id: nil, required: false) ?? instance.name
        var assignments: [Assignment] = []
        for (i, item) in (r.list(top, "assignments", "solution", id: nil, required: false) ?? []).enumerated() {
            let path = "assignments[\(i)]"
            guard let o = r.object(item, path) else { continue }
            guard let request = r.string(o, "request", path, id: nil) else { continue }
            let p = "\(path) (\(request))"
            let providers = r.strings(o, "providers", p, id: request, required: false) ?? []
            var room: String?
            switch o["room"] {
            case nil, .null?: room = nil
            case .string(let s)? where !s.isEmpty: room = s
            case let other?: r.problem("\(p).room", id: request, "expected a non-empty string or null, found \(other.kindName)")
            }
            if let start = r.minute(o, "start", p, id: request) {
                assignments.append(Assignment(request: request, providers: providers, room: room, start: start))
            }
        }
        var unscheduled: [Unscheduled] = []
        for (i, item) in (r.list(top, "unscheduled", "solution", id: nil, required: false) ?? []).enumerated() {
            if case .string(let s) = item, !s.isEmpty {
                unscheduled.append(Unscheduled(request: s, reason: ""))
                continue
            }
            let path = "unscheduled[\(i)]"
            guard let o = r.object(item, path), let request = r.string(o, "request", path, id: nil) else { continue }
            let reason = r.string(o, "reason", path, id: request, required: false) ?? ""
            unscheduled.append(Unscheduled(request: request, reason: reason))
        }
        if !r.issues.isEmpty { throw FormatError(document: "solution", issues: r.issues) }
        var solution = Solution(instance: name, assignments: assignments, unscheduled: unscheduled)
        solution.declaredFormat = format
        return solution
    }
}
