import AppointmentOptimizer

/// Human and JSON renderings of check and validation results.
enum Report {
    static func breakdownJSON(_ c: CostBreakdown) -> JSONValue {
        .object(JSONObject([
            "unscheduled": .number(c.unscheduled), "idle": .number(c.idle), "lead": .number(c.lead),
            "preference": .number(c.preference), "moves": .number(c.moves),
        ]))
    }

    static func solutionJSON(_ instance: Instance, _ report: ValidationReport) -> String {
        let c = report.cost
        let violations = JSONValue.array(report.violations.map { v in
            .object(JSONObject([
                "rule": .number(Double(v.rule)), "check": .string(v.check.rawValue),
                "requests": .array(v.requests.map(JSONValue.string)), "detail": .string(v.detail),
            ]))
        })
        return JSONWriter.write(.object(JSONObject([
            "instance": .string(instance.name),
            "valid": .bool(report.isValid),
            "violationCount": .number(Double(report.violations.count)),
            "violations": violations,
            "cost": .number(c.total),
            "breakdown": breakdownJSON(c),
            "stats": .object(JSONObject([
                "unscheduledByPriority": .object(JSONObject([
                    "urgent": .number(Double(c.unscheduledByPriority.urgent)),
                    "soon": .number(Double(c.unscheduledByPriority.soon)),
                    "routine": .number(Double(c.unscheduledByPriority.routine)),
                ])),
                "idleMinutes": .number(Double(c.idleMinutes)),
                "preferenceMisses": .number(Double(c.preferenceMisses)),
                "moved": .object(JSONObject(["confirmed": .number(Double(c.moved.confirmed)),
                                             "tentative": .number(Double(c.moved.tentative))])),
            ])),
            "assigned": .number(Double(report.assigned)),
            "unscheduled": .number(Double(report.unscheduled)),
            "requests": .number(Double(report.requests)),
        ])))
    }

    static func solutionText(_ instance: Instance, _ report: ValidationReport) -> String {
        var lines = ["instance \(instance.name): \(report.requests) requests"]
        lines.append("solution: \(report.isValid ? "VALID" : "INVALID (\(report.violations.count) violations)")  (\(report.assigned) assigned, \(report.unscheduled) unscheduled)")
        for rule in report.violatedRules.sorted() {
            let vs = report.violations.filter { $0.rule == rule }
            lines.append("  rule \(rule): \(vs.count) violation(s)")
            for v in vs.prefix(15) {
                lines.append("    [\(v.check.rawValue)] \(v.requests.isEmpty ? "-" : v.requests.joined(separator: ",")): \(v.detail)")
            }
            if vs.count > 15 { lines.append("    ... \(vs.count - 15) more") }
        }
        let c = report.cost
        let u = c.unscheduledByPriority
        lines.append("cost \(fixed(c.total))\(report.isValid ? "" : "  (solution invalid: indicative only)")")
        lines.append("  unscheduled \(pad(c.unscheduled))   (urgent \(u.urgent), soon \(u.soon), routine \(u.routine))")
        lines.append("  idle        \(pad(c.idle))   (\(c.idleMinutes) idle minutes)")
        lines.append("  lead        \(pad(c.lead))")
        lines.append("  preference  \(pad(c.preference))   (\(c.preferenceMisses) misses)")
        lines.append("  moves       \(pad(c.moves))   (confirmed \(c.moved.confirmed), tentative \(c.moved.tentative))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func instanceJSON(_ instance: Instance, _ issues: [InstanceIssue]) -> String {
        func list(_ severity: InstanceIssue.Severity) -> JSONValue {
            .array(issues.filter { $0.severity == severity }.map { i in
                .object(JSONObject(["path": .string(i.path), "id": i.id.map(JSONValue.string) ?? .null,
                                    "message": .string(i.message)]))
            })
        }
        return JSONWriter.write(.object(JSONObject([
            "instance": .string(instance.name),
            "valid": .bool(!issues.contains { $0.severity == .error }),
            "errors": list(.error), "warnings": list(.warning),
            "stats": stats(instance),
        ])))
    }

    static func stats(_ instance: Instance) -> JSONValue {
        .object(JSONObject([
            "locations": .number(Double(instance.locations.count)), "rooms": .number(Double(instance.rooms.count)),
            "providers": .number(Double(instance.providers.count)),
            "appointmentTypes": .number(Double(instance.appointmentTypes.count)),
            "equipmentPools": .number(Double(instance.equipment.count)),
            "requests": .number(Double(instance.requests.count)),
            "current": .number(Double(instance.requests.filter { $0.current != nil }.count)),
        ]))
    }

    static func instanceText(_ instance: Instance, _ issues: [InstanceIssue]) -> String {
        let errors = issues.filter { $0.severity == .error }
        let warnings = issues.filter { $0.severity == .warning }
        var lines = ["instance \(instance.name): \(errors.isEmpty ? "OK" : "INVALID (\(errors.count) errors)")"]
        let current = instance.requests.filter { $0.current != nil }
        lines.append("  \(instance.locations.count) locations, \(instance.rooms.count) rooms, \(instance.providers.count) providers, \(instance.appointmentTypes.count) types, \(instance.requests.count) requests (\(current.count) current, \(current.filter { $0.current!.pinned }.count) pinned)")
        lines += errors.prefix(50).map { "error: \($0)" }
        if errors.count > 50 { lines.append("... \(errors.count - 50) more errors") }
        lines += warnings.prefix(30).map { "warning: \($0)" }
        if warnings.count > 30 { lines.append("... \(warnings.count - 30) more warnings") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fixed(_ x: Double) -> String {
        let scaled = (x * 10_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let a = abs(scaled)
        let whole = Int(a / 10_000)
        let frac = Int(a.truncatingRemainder(dividingBy: 10_000))
        let f = String(frac)
        return "\(sign)\(whole).\(String(repeating: "0", count: 4 - f.count))\(f)"
    }

    static func pad(_ x: Double) -> String {
        let s = fixed(x)
        return String(repeating: " ", count: max(0, 14 - s.count)) + s
    }
}
