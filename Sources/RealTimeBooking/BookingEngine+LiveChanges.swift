import AppointmentModel

/// Changes of the clinic itself applied in place (the living desk's changes): each updates the
/// instance, its index and the availability index, touching only what it changes. A change that
/// would break a booking is the caller's to prevent: release the bookings it breaks first
/// (``release(_:)``), then change the clinic.
extension BookingEngine {
    /// Adds a waiting request (no `current`).
    ///
    /// - Complexity: amortised O(1).
    public mutating func appendRequest(_ request: Request) {
        var request = request
        request.current = nil
        let r = instance.requests.count
        instance.requests.append(request)
        index.appendRequest(request)
        booked.append(nil)
        successors.append([])
        if index.isFirstRequest[r], let p = request.after.flatMap({ index.request[$0.request] }) { successors[p].append(r) }
        while patientVisits.count < index.patientCount { patientVisits.append([]) }
    }

    /// Takes request `r`'s booking out, whatever it is (a displaced booking; the caller keeps
    /// groups and series whole).
    public mutating func release(_ r: Int) { uncommit(r) }

    /// Replaces provider `p`'s blocks. The provider's bookings must lie inside the new sessions.
    ///
    /// - Complexity: O(b log b + n) for b blocks and n requests (the provider's visits are
    ///   sorted into the new sessions).
    public mutating func setBlocks(ofProvider p: Int, _ blocks: [Block]) {
        instance.providers[p].blocks = blocks
        index.setBlocks(ofProvider: p, blocks)
        sessionLocation[p] = index.sessions[p].map { index.location[$0.location] ?? -1 }
        var lists = [[TimeSpan]](repeating: [], count: index.sessions[p].count)
        for (r, b) in booked.enumerated() {
            guard let b, b.providers.contains(p), let t = index.requestType[r] else { continue }
            let visit = instance.appointmentTypes[t].visit(at: b.start)
            if let k = index.session(of: p, containing: visit) { lists[k].append(visit) }
        }
        sessionVisits[p] = lists.map { $0.sorted { ($0.start, $0.end) < ($1.start, $1.end) } }
    }

    /// Replaces room `k`'s opening intervals. Its bookings must lie inside them.
    public mutating func setOpen(ofRoom k: Int, _ open: [TimeSpan]) {
        instance.rooms[k].open = open
        index.setOpen(ofRoom: k, open)
    }

    /// Replaces the holds. Bookings must obey them at the decision time.
    public mutating func setHolds(_ holds: [Hold]) {
        instance.holds = holds
        index.setHolds(holds)
    }

    /// Sets request `r`'s authorization. Its booking, if any, must obey it.
    public mutating func setAuthorization(ofRequest r: Int, _ authorization: Authorization?) {
        instance.requests[r].authorization = authorization
        index.setAuthorization(ofRequest: r, authorization)
    }

    /// Records request `r`'s booking as its `current` (status, pinned), as a snapshot shows it.
    public mutating func setCurrent(ofRequest r: Int, _ current: ExistingBooking?) {
        instance.requests[r].current = current
        index.setCurrent(ofRequest: r, current)
    }

    /// Moves the clock: the instance's `asOf` and the decision time of new bookings.
    public mutating func setAsOf(_ t: Int) {
        instance.formatVersion = max(instance.formatVersion, 2)
        instance.asOf = t
        index.setAsOf(t)
        decisionTime = t
        holdDecisionTime = t
    }
}

extension BookingEngine {
    /// Removes the requests at `indices` (cancelled: they leave the clinic) with their bookings;
    /// the others keep their order and bookings, with new indices.
    ///
    /// - Complexity: O(n) in the requests, plus the removed bookings' resources.
    public mutating func removeRequests(_ indices: Set<Int>) {
        guard !indices.isEmpty else { return }
        for r in indices.sorted() where r < booked.count && booked[r] != nil { uncommit(r) }
        for r in indices.sorted(by: >) {
            instance.requests.remove(at: r)
            booked.remove(at: r)
        }
        index.removeRequests(indices)
        var successors = [[Int]](repeating: [], count: instance.requests.count)
        for (r, request) in instance.requests.enumerated() where index.isFirstRequest[r] {
            if let p = request.after.flatMap({ index.request[$0.request] }) { successors[p].append(r) }
        }
        self.successors = successors
        var visits = [[TimeSpan]](repeating: [], count: index.patientCount)
        for (r, b) in booked.enumerated() {
            guard let b, let t = index.requestType[r] else { continue }
            visits[index.patient[r]].append(instance.appointmentTypes[t].visit(at: b.start))
        }
        patientVisits = visits.map { $0.sorted { ($0.start, $0.end) < ($1.start, $1.end) } }
    }
}
