import Foundation

extension ExchangeFormat {
    /// Reads a solution for `instance` from a file.
    public static func readSolution(contentsOf url: URL, for instance: Instance) throws(FormatError) -> Solution {
        try parseFile(url, document: "solution").withRoot { top throws(FormatError) in try readSolution(top, for: instance) }
    }

    /// Reads a solution; starts become minutes on `instance`'s timeline.
    ///
    /// Unknown request, provider or room ids are *not* format errors: they are rule-1 violations
    /// that ``ScheduleValidator`` reports.
    public static func readSolution(_ bytes: [UInt8], for instance: Instance) throws(FormatError) -> Solution {
        try parseJSON(bytes, document: "solution").withRoot { top throws(FormatError) in try readSolution(top, for: instance) }
    }

    private static func readSolution(_ top: JSONView, for instance: Instance) throws(FormatError) -> Solution {
        var r = FieldReader()
        r.timeline = instance.timeline
        let format = r.string(top, "format", "solution", id: nil, required: false) ?? ""
        let name = r.string(top, "instance", "solution", id: nil, required: false) ?? instance.name
        var assignments: [Assignment] = []
        let items = r.listView(top, "assignments", "solution", id: nil, required: false)
        assignments.reserveCapacity(items?.count ?? 0)
        items?.forEachElement { i, item in
            guard let o = r.object(item, "assignments[\(i)]") else { return }
            guard let request = r.string(o, "request", "assignments[\(i)]", id: nil) else { return }
            let providers = r.strings(o, "providers", "assignments[\(i)] (\(request))", id: request, required: false) ?? []
            var room: String?
            if let v = o["room"], !v.isNull {
                if v.kind == .string, !v.string.isEmpty {
                    room = v.string
                } else {
                    r.problem("assignments[\(i)] (\(request)).room", id: request,
                              "expected a non-empty string or null, found \(v.kind == .string ? "an empty string" : v.kindName)")
                }
            }
            if let start = r.minute(o, "start", "assignments[\(i)] (\(request))", id: request) {
                assignments.append(Assignment(request: request, providers: providers, room: room, start: start))
            }
        }
        var unscheduled: [Unscheduled] = []
        let left = r.listView(top, "unscheduled", "solution", id: nil, required: false)
        unscheduled.reserveCapacity(left?.count ?? 0)
        left?.forEachElement { i, item in
            if item.kind == .string, !item.string.isEmpty {
                unscheduled.append(Unscheduled(request: item.string, reason: ""))
                return
            }
            guard let o = r.object(item, "unscheduled[\(i)]"), let request = r.string(o, "request", "unscheduled[\(i)]", id: nil) else { return }
            let reason = r.sharedString(o, "reason", "unscheduled[\(i)] (\(request))", id: request, required: false) ?? ""
            unscheduled.append(Unscheduled(request: request, reason: reason))
        }
        if !r.issues.isEmpty { throw FormatError(document: "solution", issues: r.issues) }
        var solution = Solution(instance: name, assignments: assignments, unscheduled: unscheduled)
        solution.declaredFormat = format
        return solution
    }
}
