extension InstanceChecker {
    /// The errors that a request arriving in a valid instance would bring: unknown references,
    /// a group it would make inconsistent, an authorization that ends before it begins. The same
    /// readings as ``check(_:existingBookings:)`` for one request, without checking the rest.
    ///
    /// - Complexity: O(group size + lists of the request).
    public static func arrivalErrors(_ r: Request, in index: InstanceIndex) -> [InstanceIssue] {
        var issues = Issues()
        let p = "arrive.request (\(r.id))"
        if index.request[r.id] != nil { issues.error(p + ".id", r.id, "id \"\(r.id)\" is not unique among requests") }
        if index.type[r.type] == nil { issues.error(p + ".type", r.id, "unknown appointment type \"\(r.type)\"") }
        for l in r.locations ?? [] where index.location[l] == nil { issues.error(p + ".locations", r.id, "unknown location \"\(l)\"") }
        for q in r.providers ?? [] where index.provider[q] == nil { issues.error(p + ".providers", r.id, "unknown provider \"\(q)\"") }
        for q in r.preferredProviders ?? [] where index.provider[q] == nil {
            issues.error(p + ".preferredProviders", r.id, "unknown provider \"\(q)\"")
        }
        if r.current != nil { issues.error(p + ".current", r.id, "an arriving request has no booking; book or place it after it arrives") }
        if let a = r.after {
            if a.request == r.id {
                issues.error(p + ".after.request", r.id, "refers to the request itself")
            } else if index.request[a.request] == nil {
                issues.error(p + ".after.request", r.id, "unknown request \"\(a.request)\"")
            }
        }
        if let g = r.group {
            if g.maxGapMinutes < 0 { issues.error(p + ".group.maxGapMinutes", r.id, "is negative") }
            let requests = index.instance.requests
            if let first = index.groups[g.id]?.first, let g0 = requests[first].group {
                if g.mode != g0.mode {
                    issues.error(p + ".group", r.id, "group \(g.id): members disagree on mode (\(requests[first].id) has \(g0.mode.rawValue))")
                } else if g.mode == .sequence && g.maxGapMinutes != g0.maxGapMinutes {
                    issues.error(p + ".group", r.id, "group \(g.id): members disagree on maxGapMinutes")
                } else if g.mode == .sequence, index.groups[g.id]!.contains(where: { requests[$0].group?.order == g.order }) {
                    issues.error(p + ".group", r.id, "group \(g.id): sequence members share an order value")
                }
            }
        }
        if let a = r.authorization, let from = a.validFrom, let until = a.validUntil, until <= from {
            issues.error(p + ".authorization", r.id, "validUntil is not after validFrom")
        }
        return issues.errors
    }
}
