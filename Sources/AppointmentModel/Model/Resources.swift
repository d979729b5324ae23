/// A site with its IANA time zone (used for local dates and for writing instants).
public struct Location: Sendable, Hashable, Identifiable {
    /// The location's id.
    public var id: String
    /// An IANA zone name such as `America/New_York`.
    public var timeZone: String

    /// Creates a location from its parts.
    public init(id: String, timeZone: String) {
        self.id = id
        self.timeZone = timeZone
    }
}

/// A room at a location, of one or more kinds, usable only inside its opening hours.
public struct Room: Sendable, Hashable, Identifiable {
    /// The room's id.
    public var id: String
    /// The id of the location the room is at.
    public var location: String
    /// The room's kinds, matched against ``AppointmentType/roomKinds``.
    public var kinds: [String]
    /// Opening intervals; a room interval must lie inside one of them (adjacent ones are not merged).
    public var open: [TimeSpan]

    /// Creates a room from its parts.
    public init(id: String, location: String, kinds: [String], open: [TimeSpan]) {
        self.id = id
        self.location = location
        self.kinds = kinds
        self.open = open
    }
}

/// A pool of `quantity` interchangeable units of one equipment kind at one location.
public struct EquipmentPool: Sendable, Hashable, Identifiable {
    /// The pool's id.
    public var id: String
    /// The equipment kind, matched against ``EquipmentNeed/kind``.
    public var kind: String
    /// The id of the location the pool is at.
    public var location: String
    /// Units in the pool: room intervals using it hold at most this many at any instant.
    public var quantity: Int

    /// Creates an equipment pool from its parts.
    public init(id: String, kind: String, location: String, quantity: Int) {
        self.id = id
        self.kind = kind
        self.location = location
        self.quantity = quantity
    }
}

/// A provider's working interval at one location.
public struct Shift: Sendable, Hashable {
    /// The id of the location where the provider works during the shift.
    public var location: String
    /// The working interval.
    public var span: TimeSpan

    /// Creates a shift from its parts.
    public init(location: String, span: TimeSpan) {
        self.location = location
        self.span = span
    }
}

/// Time a provider is not bookable inside a shift (lunch, admin, a meeting).
public struct Block: Sendable, Hashable {
    /// The interval in which the provider is not bookable.
    public var span: TimeSpan
    /// Why the provider is away, as free text; nil when not given.
    public var reason: String?

    /// Creates a block from its parts.
    public init(span: TimeSpan, reason: String? = nil) {
        self.span = span
        self.reason = reason
    }
}

/// A maximal part of a shift not covered by blocks: the unit over which idle time is counted.
public struct Session: Sendable, Hashable {
    /// The session's interval.
    public var span: TimeSpan
    /// The id of the location of the session's shift.
    public var location: String
    /// Index of the shift (in the provider's `shifts`) this session lies in.
    public var shift: Int
}

/// A person who can fill roles that need skills they hold.
public struct Provider: Sendable, Hashable, Identifiable {
    /// The provider's id.
    public var id: String
    /// The skills the provider holds.
    public var skills: [String]
    /// Working intervals; one provider's shifts never overlap in a valid instance.
    public var shifts: [Shift]
    /// Times the provider is not bookable, in any order (see ``mergedBlocks``).
    public var blocks: [Block]

    /// Creates a provider from its parts.
    public init(id: String, skills: [String], shifts: [Shift], blocks: [Block] = []) {
        self.id = id
        self.skills = skills
        self.shifts = shifts
        self.blocks = blocks
    }

    /// Blocks as a sorted list of disjoint spans (empty or reversed blocks are ignored).
    ///
    /// - Complexity: O(b log b) for b blocks.
    public var mergedBlocks: [TimeSpan] { TimeSpan.union(blocks.map(\.span)) }

    /// The sessions: each shift minus the provider's blocks, sorted by start.
    ///
    /// - Complexity: O((s + b) log(s + b)) for s shifts and b blocks.
    public var sessions: [Session] {
        let merged = mergedBlocks
        var out: [Session] = []
        for (index, shift) in shifts.enumerated() {
            var cursor = shift.span.start
            for block in merged where block.end > shift.span.start && block.start < shift.span.end {
                if block.start > cursor {
                    out.append(Session(span: TimeSpan(start: cursor, end: block.start),
                                       location: shift.location, shift: index))
                }
                cursor = max(cursor, block.end)
            }
            if cursor < shift.span.end {
                out.append(Session(span: TimeSpan(start: cursor, end: shift.span.end),
                                   location: shift.location, shift: index))
            }
        }
        out.sort { $0.span < $1.span }
        return out
    }
}

extension TimeSpan {
    /// The union of spans as a sorted list of disjoint, non-touching spans; empty spans vanish.
    public static func union(_ spans: [TimeSpan]) -> [TimeSpan] {
        var out: [TimeSpan] = []
        for span in spans.filter({ !$0.isEmpty }).sorted() {
            if let last = out.last, span.start <= last.end {
                out[out.count - 1].end = max(last.end, span.end)
            } else {
                out.append(span)
            }
        }
        return out
    }
}
