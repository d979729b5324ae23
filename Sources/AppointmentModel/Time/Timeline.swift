/// The library's internal clock: whole minutes counted from the horizon start.
///
/// Every instant inside the library is an `Int` minute on this timeline; RFC 3339 strings and
/// time zones exist only in the exchange format (``ExchangeFormat``). Daylight-saving changes are
/// therefore invisible inside: a day with a 23-hour wall clock is simply 1,380 minutes long.
public struct Timeline: Sendable, Hashable {
    /// The horizon start, in seconds since the Unix epoch.
    public var originUnixSeconds: Int

    /// Creates a timeline whose minute 0 is the instant `originUnixSeconds`.
    public init(originUnixSeconds: Int) {
        self.originUnixSeconds = originUnixSeconds
    }

    /// The timeline minute of an absolute instant, or nil when it is not a whole minute away
    /// from the origin.
    @inline(__always)
    public func minute(unixSeconds: Int) -> Int? {
        let delta = unixSeconds - originUnixSeconds
        return delta % 60 == 0 ? delta / 60 : nil
    }

    /// The absolute instant of a timeline minute, in seconds since the Unix epoch.
    @inline(__always)
    public func unixSeconds(minute: Int) -> Int { originUnixSeconds + minute * 60 }
}

/// A half-open interval `[start, end)` of timeline minutes.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first minute inside the span.
    public var start: Int
    /// The first minute after the span.
    public var end: Int

    /// Creates a span from its bounds (unchecked: `end` may precede `start`).
    @inline(__always)
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Length in minutes (negative when reversed).
    public var duration: Int { end - start }
    /// Whether the span holds no minute (`end ≤ start`).
    public var isEmpty: Bool { end <= start }

    /// Whether `other` lies entirely inside this span.
    @inline(__always)
    public func contains(_ other: TimeSpan) -> Bool { start <= other.start && other.end <= end }

    /// Whether `minute` lies in `[start, end)`.
    @inline(__always)
    public func contains(minute: Int) -> Bool { start <= minute && minute < end }

    /// Whether the two half-open spans share at least one minute.
    @inline(__always)
    public func overlaps(_ other: TimeSpan) -> Bool { start < other.end && other.start < end }

    /// Orders by start, then by end.
    public static func < (a: TimeSpan, b: TimeSpan) -> Bool {
        (a.start, a.end) < (b.start, b.end)
    }

    /// `[start, end)`.
    public var description: String { "[\(start), \(end))" }
}
