/// Changes of a living clinic applied to the index in place, each touching only what it
/// changes (the desk's live changes; see `Docs/living-clinic.md`). Every change updates
/// ``InstanceIndex/instance`` too, so that the index stays the index of its instance.
extension InstanceIndex {
    /// Adds a request at the end.
    ///
    /// - Complexity: amortised O(1) (O(n) once when the arrays are shared with another copy).
    public mutating func appendRequest(_ request: Request) {
        let r = instance.requests.count
        instance.requests.append(request)
        let first = self.request.insert(request.id, Int32(r))
        isFirstRequest.append(Int(first) == r)
        requestType.append(type[request.type])
        let number = Int(patientTable.insert(request.patient, Int32(firstRequestOfPatient.count)))
        if number == firstRequestOfPatient.count { firstRequestOfPatient.append(r) }
        patient.append(number)
        if Int(first) == r, let g = request.group {
            if groups[g.id] == nil { groupOrder.append(g.id) }
            groups[g.id, default: []].append(r)
        }
    }

    /// Replaces provider `p`'s blocks: its sessions and merged blocks follow.
    ///
    /// - Complexity: O(b log b + s) for the provider's blocks and shifts.
    public mutating func setBlocks(ofProvider p: Int, _ blocks: [Block]) {
        instance.providers[p].blocks = blocks
        sessions[p] = instance.providers[p].sessions
        mergedBlocks[p] = instance.providers[p].mergedBlocks
    }

    /// Replaces room `k`'s opening intervals.
    ///
    /// - Complexity: O(o log o + rooms) (interchangeable rooms are grouped again).
    public mutating func setOpen(ofRoom k: Int, _ open: [TimeSpan]) {
        instance.rooms[k].open = open
        sortedOpen[k] = open.sorted()
        var m = Int.min
        openMaxEnd[k] = sortedOpen[k].map { m = max(m, $0.end); return m }
        struct RoomShape: Hashable { var location: String; var kinds: [String]; var open: [TimeSpan] }
        var firstOfShape: [RoomShape: Int] = [:]
        roomClass = instance.rooms.enumerated().map { k, room in
            let shape = RoomShape(location: room.location, kinds: Set(room.kinds).sorted(), open: room.open.sorted())
            if firstOfShape[shape] == nil { firstOfShape[shape] = k }
            return firstOfShape[shape]!
        }
    }

    /// Replaces the holds.
    ///
    /// - Complexity: O(h log h).
    public mutating func setHolds(_ holds: [Hold]) {
        instance.holds = holds
        var byProvider = [[Hold]](repeating: [], count: instance.providers.count)
        for hold in holds.sorted(by: { ($0.span, $0.id) < ($1.span, $1.id) }) {
            if let p = provider[hold.provider] { byProvider[p].append(hold) }
        }
        holdsOfProvider = byProvider
    }

    /// Sets request `r`'s authorization.
    public mutating func setAuthorization(ofRequest r: Int, _ authorization: Authorization?) {
        instance.requests[r].authorization = authorization
    }

    /// Sets request `r`'s existing booking (its `current`).
    public mutating func setCurrent(ofRequest r: Int, _ current: ExistingBooking?) {
        instance.requests[r].current = current
    }

    /// Sets the decision time (`asOf`, format 2).
    public mutating func setAsOf(_ asOf: Int) {
        instance.formatVersion = max(instance.formatVersion, 2)
        instance.asOf = asOf
    }
}

extension InstanceIndex {
    /// Removes the requests at `indices`; the others keep their order (and get new, denser
    /// indices). The tables of requests, patients and groups are built again for the rest.
    ///
    /// - Complexity: O(n) in the requests left.
    public mutating func removeRequests(_ indices: Set<Int>) {
        guard !indices.isEmpty else { return }
        var kept = 0
        var newIndex = [Int](repeating: -1, count: instance.requests.count)
        for r in instance.requests.indices where !indices.contains(r) {
            newIndex[r] = kept
            kept += 1
        }
        // Removed from the back one by one: a move of the elements after each, no copy of the others.
        for r in indices.sorted(by: >) {
            instance.requests.remove(at: r)
            requestType.remove(at: r)
        }
        let requests = instance.requests
        let (table, firstWithID) = IDTable.withFirstOccurrences(requests.map(\.id))
        request = table
        isFirstRequest = firstWithID.indices.map { firstWithID[$0] == $0 }
        var patients = IDTable([])
        var first: [Int] = []
        patient = requests.indices.map { i in
            let n = Int(patients.insert(requests[i].patient, Int32(first.count)))
            if n == first.count { first.append(i) }
            return n
        }
        patientTable = patients
        firstRequestOfPatient = first
        var remapped: [String: [Int]] = [:]
        for (g, members) in groups {
            let left = members.map { newIndex[$0] }.filter { $0 >= 0 }
            if !left.isEmpty { remapped[g] = left }
        }
        groups = remapped
        groupOrder = groupOrder.filter { remapped[$0] != nil }
    }
}
