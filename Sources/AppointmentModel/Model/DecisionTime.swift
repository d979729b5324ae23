/// Time of a provider's kept for requests of some priorities (format 2): urgent capacity that the
/// clinic holds back and releases when nobody eligible has claimed it.
///
/// A visit of a request whose priority is not in ``priorities`` may not overlap the hold on
/// ``provider`` unless the booking is decided at or after ``releaseTime`` (rule 12).
public struct Hold: Sendable, Hashable, Identifiable {
    /// The hold's id.
    public var id: String
    /// The id of the provider whose time is held.
    public var provider: String
    /// The held time `[start, end)` on the timeline.
    public var span: TimeSpan
    /// Priorities that may use the held time before it is released; never empty in a valid instance.
    public var priorities: Set<Priority>
    /// The hold opens to every priority this many minutes before its start.
    public var releaseMinutesBefore: Int

    /// Creates a hold from its parts.
    public init(id: String, provider: String, span: TimeSpan, priorities: Set<Priority>, releaseMinutesBefore: Int = 0) {
        self.id = id
        self.provider = provider
        self.span = span
        self.priorities = priorities
        self.releaseMinutesBefore = releaseMinutesBefore
    }

    /// The timeline minute from which the hold admits every priority.
    public var releaseTime: Int { span.start - releaseMinutesBefore }

    /// Whether a booking of `priority` decided at `decisionTime` may overlap the held time.
    @inline(__always)
    public func admits(_ priority: Priority, decidedAt decisionTime: Int) -> Bool {
        priorities.contains(priority) || decisionTime >= releaseTime
    }
}

/// Where an insurer's authorization of a request stands (format 2).
public enum AuthorizationStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case approved, pending, denied
}

/// A request's authorization: only an approved request is booked, inside its validity (rule 11).
public struct Authorization: Sendable, Hashable {
    /// Whether the insurer has approved the request, is still deciding, or has denied it.
    public var status: AuthorizationStatus
    /// The visit starts at or after this minute (nil: no bound).
    public var validFrom: Int?
    /// The visit ends at or before this minute (nil: no bound).
    public var validUntil: Int?

    /// Creates an authorization from its parts; a nil bound does not restrict.
    public init(status: AuthorizationStatus, validFrom: Int? = nil, validUntil: Int? = nil) {
        self.status = status
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Whether a visit `[start, end)` is allowed by this authorization.
    @inline(__always)
    public func allows(_ visit: TimeSpan) -> Bool {
        status == .approved && (validFrom.map { visit.start >= $0 } ?? true) && (validUntil.map { visit.end <= $0 } ?? true)
    }
}
