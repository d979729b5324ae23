/// Dense integer handles for an instance's ids, and the derived tables every algorithm needs
/// (sessions, merged blocks, equipment pools by kind and location, group members).
///
/// Built once per instance in O(n log n); lookups are O(1) or O(log n).
/// When an id occurs twice, the first element wins (the instance check reports the duplicate).
public struct InstanceIndex: Sendable {
    /// The indexed instance; the living-clinic changes update it in place.
    public internal(set) var instance: Instance
    /// Location id → index in `instance.locations`.
    package let location: IDTable
    /// Room id → index in `instance.rooms`.
    package let room: IDTable
    /// Equipment pool id → index in `instance.equipment`.
    package let pool: IDTable
    /// Provider id → index in `instance.providers`.
    package let provider: IDTable
    /// Appointment type id → index in `instance.appointmentTypes`.
    package let type: IDTable
    /// Request id → index in `instance.requests`.
    package internal(set) var request: IDTable
    /// Per provider: sessions sorted by start.
    package internal(set) var sessions: [[Session]]
    /// Per provider: shifts sorted by start, with their original index.
    var sortedShifts: [[(span: TimeSpan, location: String, index: Int)]]
    /// Per provider: blocks merged into disjoint sorted spans.
    package internal(set) var mergedBlocks: [[TimeSpan]]
    /// Per room: opening intervals sorted, with the running maximum of their ends.
    var sortedOpen: [[TimeSpan]]
    var openMaxEnd: [[Int]]
    /// Per provider: skills as a set.
    package let skills: [Set<String>]
    /// Equipment pool index by (kind, location).
    package let poolByKindAndLocation: [PoolKey: Int]
    /// Group id → member request indices, in file order.
    package internal(set) var groups: [String: [Int]]
    /// Group ids in order of first appearance.
    package internal(set) var groupOrder: [String]
    /// Per request: its appointment type's index, nil when unknown.
    package internal(set) var requestType: [Int?]
    /// Per request: a dense number of its patient (same patient, same number).
    package internal(set) var patient: [Int]
    /// Per patient number: the first request of that patient.
    package internal(set) var firstRequestOfPatient: [Int]
    /// The number of distinct patients.
    package var patientCount: Int { firstRequestOfPatient.count }
    /// Patient id → patient number.
    var patientTable: IDTable

    /// Per request: whether it is the first with its id (later duplicates are ignored).
    package internal(set) var isFirstRequest: [Bool]
    /// Per room: the first room interchangeable with it (same location, same kinds, same open
    /// intervals). Since a change of room alone costs nothing, such rooms differ only in name.
    package internal(set) var roomClass: [Int]
    /// Per provider: its holds (format 2), sorted by start.
    package internal(set) var holdsOfProvider: [[Hold]]

    /// An equipment kind at a location: the key of ``poolByKindAndLocation``.
    package struct PoolKey: Hashable, Sendable {
        /// The equipment kind.
        package var kind: String
        /// The location id.
        package var location: String
        /// Creates a pool key from its parts.
        package init(kind: String, location: String) {
            self.kind = kind
            self.location = location
        }
    }

    /// Indexes `instance`.
    ///
    /// - Complexity: O(n log n) in the size of the instance.
    public init(_ instance: Instance) {
        self.instance = instance
        location = IDTable(instance.locations.map(\.id))
        room = IDTable(instance.rooms.map(\.id))
        pool = IDTable(instance.equipment.map(\.id))
        provider = IDTable(instance.providers.map(\.id))
        type = IDTable(instance.appointmentTypes.map(\.id))
        let requests = instance.requests
        let (requestIndex, firstWithID) = IDTable.withFirstOccurrences(requests.map(\.id))
        request = requestIndex
        isFirstRequest = firstWithID.indices.map { firstWithID[$0] == $0 }
        sessions = instance.providers.map(\.sessions)
        sortedShifts = instance.providers.map { p in
            p.shifts.enumerated().map { (span: $1.span, location: $1.location, index: $0) }
                .sorted { ($0.span, $0.index) < ($1.span, $1.index) }
        }
        mergedBlocks = instance.providers.map(\.mergedBlocks)
        sortedOpen = instance.rooms.map { $0.open.sorted() }
        openMaxEnd = sortedOpen.map { spans in
            var m = Int.min
            return spans.map { m = max(m, $0.end); return m }
        }
        skills = instance.providers.map { Set($0.skills) }
        struct RoomShape: Hashable { var location: String; var kinds: [String]; var open: [TimeSpan] }
        var firstOfShape: [RoomShape: Int] = [:]
        var roomClass: [Int] = []
        for (k, room) in instance.rooms.enumerated() {
            let shape = RoomShape(location: room.location, kinds: Set(room.kinds).sorted(), open: room.open.sorted())
            if firstOfShape[shape] == nil { firstOfShape[shape] = k }
            roomClass.append(firstOfShape[shape]!)
        }
        self.roomClass = roomClass
        var holds = [[Hold]](repeating: [], count: instance.providers.count)
        let providerIndex = provider
        for hold in instance.holds.sorted(by: { ($0.span, $0.id) < ($1.span, $1.id) }) {
            if let p = providerIndex[hold.provider] { holds[p].append(hold) }
        }
        holdsOfProvider = holds
        var pools: [PoolKey: Int] = [:]
        for (i, p) in instance.equipment.enumerated() {
            let key = PoolKey(kind: p.kind, location: p.location)
            if pools[key] == nil { pools[key] = i }
        }
        poolByKindAndLocation = pools
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for i in requests.indices where isFirstRequest[i] {
            guard let g = requests[i].group else { continue }
            if groups[g.id] == nil { order.append(g.id) }
            groups[g.id, default: []].append(i)
        }
        self.groups = groups
        groupOrder = order
        let typeIndex = type
        requestType = requests.map { typeIndex[$0.type] }
        // The table maps each patient id to its first request; number patients in that order.
        let (patients, firstOf) = IDTable.withFirstOccurrences(requests.map(\.patient))
        var patientNumbers = IDTable([])
        var number = [Int](repeating: -1, count: requests.count)
        var first: [Int] = []
        first.reserveCapacity(patients.count)
        var patient = [Int](repeating: 0, count: requests.count)
        for i in requests.indices {
            let f = firstOf[i]
            if number[f] < 0 {
                number[f] = first.count
                patientNumbers.insert(requests[f].patient, Int32(first.count))
                first.append(f)
            }
            patient[i] = number[f]
        }
        self.patient = patient
        firstRequestOfPatient = first
        patientTable = patientNumbers
        _ = patients
    }

    /// Index of the last element of a sorted array whose key is ≤ `value`, or -1.
    @inline(__always)
    package static func lastIndex<T>(in items: [T], atMost value: Int, key: (T) -> Int) -> Int {
        var lo = 0, hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if key(items[mid]) <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    /// The shift of provider `p` that contains `visit` (adjacent shifts are not merged).
    ///
    /// - Complexity: O(log s).
    package func shift(of p: Int, containing visit: TimeSpan) -> (span: TimeSpan, location: String, index: Int)? {
        let shifts = sortedShifts[p]
        var i = Self.lastIndex(in: shifts, atMost: visit.start) { $0.span.start }
        while i >= 0 {
            if shifts[i].span.end >= visit.end { return shifts[i] }
            i -= 1
            // Shifts of a valid instance do not overlap, so one step back is the most ever needed.
            if i >= 0, shifts[i].span.end < visit.start { break }
        }
        return nil
    }

    /// A merged block of provider `p` overlapping `visit`, if any.
    ///
    /// - Complexity: O(log b).
    package func block(of p: Int, overlapping visit: TimeSpan) -> TimeSpan? {
        let blocks = mergedBlocks[p]
        var lo = 0, hi = blocks.count
        while lo < hi {  // first block starting at or after visit.end
            let mid = (lo + hi) / 2
            if blocks[mid].start < visit.end { lo = mid + 1 } else { hi = mid }
        }
        if lo > 0, blocks[lo - 1].end > visit.start { return blocks[lo - 1] }
        return nil
    }

    /// Index (in `sessions[p]`) of the session of provider `p` that contains `visit`.
    ///
    /// - Complexity: O(log s).
    package func session(of p: Int, containing visit: TimeSpan) -> Int? {
        let list = sessions[p]
        let i = Self.lastIndex(in: list, atMost: visit.start) { $0.span.start }
        return i >= 0 && list[i].span.end >= visit.end ? i : nil
    }

    /// Whether one opening interval of room `r` contains `interval`.
    ///
    /// - Complexity: O(log o).
    package func roomIsOpen(_ r: Int, for interval: TimeSpan) -> Bool {
        let i = Self.lastIndex(in: sortedOpen[r], atMost: interval.start) { $0.start }
        return i >= 0 && openMaxEnd[r][i] >= interval.end
    }

    /// The holds of the provider with id `id` (empty for an unknown id).
    package func holds(of id: String) -> [Hold] { provider[id].map { holdsOfProvider[$0] } ?? [] }

    /// The first hold of provider `p` that overlaps `visit` and does not admit `priority` at
    /// `decisionTime` (rule 12), if any.
    ///
    /// - Complexity: O(h) for h holds of the provider (a handful).
    @inline(__always)
    package func blockingHold(of p: Int, for priority: Priority, decidedAt decisionTime: Int, overlapping visit: TimeSpan) -> Hold? {
        for hold in holdsOfProvider[p] {
            if hold.span.start >= visit.end { break }
            if hold.span.end > visit.start, !hold.admits(priority, decidedAt: decisionTime) { return hold }
        }
        return nil
    }

    /// Whether provider `p` holds every skill of `role`.
    @inline(__always)
    package func provider(_ p: Int, qualifiesFor role: Role) -> Bool {
        role.skills.allSatisfy { skills[p].contains($0) }
    }

    /// The location whose time zone is used to write an instant about request `r`: its first
    /// allowed location, else the location of its current room, else the instance's first location.
    func displayLocation(ofRequest r: Int) -> String? {
        let request = instance.requests[r]
        if let first = request.locations?.first(where: { location[$0] != nil }) { return first }
        if let roomID = request.current?.room, let k = room[roomID] { return instance.rooms[k].location }
        return instance.locations.first?.id
    }
}
