import Foundation

/// A calendar date as a clinic's wall calendar shows it.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, from 1.
    public var day: Int

    /// Creates a date from its parts, unchecked (``init(_:)`` reads and checks text).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= RFC3339.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    var days: Int { RFC3339.daysFromCivil(year: year, month: month, day: day) }

    /// The next calendar day.
    public var next: LocalDate {
        let (y, m, d) = RFC3339.civilFromDays(days + 1)
        return LocalDate(year: y, month: m, day: d)
    }

    /// Whether `a` is an earlier date than `b`.
    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// A wall-clock reading: a local date and a time of day, with the UTC offset it was read at.
public struct LocalDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The local calendar date.
    public var date: LocalDate
    /// The hour of the day, 0–23.
    public var hour: Int
    /// The minute of the hour, 0–59.
    public var minute: Int
    /// Seconds east of UTC at that instant.
    public var offsetSeconds: Int

    /// `HH:MM`.
    public var time: String { String(format: "%02d:%02d", hour, minute) }
    /// `YYYY-MM-DD HH:MM`.
    public var description: String { "\(date) \(time)" }
    /// `YYYYMMDDTHHMMSS`, as iCalendar writes a local time (RFC 5545 §3.3.5, form 2).
    public var iCalendar: String { String(format: "%04d%02d%02dT%02d%02d00", date.year, date.month, date.day, hour, minute) }
}

/// Reads timeline minutes on the wall clocks of an instance's locations (their IANA zones, with
/// daylight-saving changes), and finds the minutes of a local calendar day. Outputs that people
/// read (manifests, calendars, reports) go through it; inside, time stays timeline minutes.
public struct LocalClock: Sendable {
    /// The timeline whose minutes this clock reads.
    public let timeline: Timeline
    private let zones: ZoneOffsets
    private let zoneNames: [String: String]
    private let firstLocation: String?

    /// Creates a clock for the locations of `instance` (an unknown zone reads as UTC).
    public init(_ instance: Instance) {
        timeline = instance.timeline
        zones = ZoneOffsets(locations: instance.locations)
        zoneNames = Dictionary(instance.locations.map { ($0.id, $0.timeZone) }, uniquingKeysWith: { a, _ in a })
        firstLocation = instance.locations.first?.id
    }

    /// The IANA zone name of `location` (nil: the first location's, else UTC).
    public func zoneName(_ location: String?) -> String {
        zoneNames[location ?? firstLocation ?? ""] ?? firstLocation.flatMap { zoneNames[$0] } ?? "UTC"
    }

    /// Seconds east of UTC at `location` at timeline minute `m`.
    public func offsetSeconds(_ m: Int, at location: String?) -> Int {
        zones.offsetSeconds(location: location ?? firstLocation, unixSeconds: timeline.unixSeconds(minute: m))
    }

    /// The wall-clock reading of timeline minute `m` at `location`.
    public func local(_ m: Int, at location: String?) -> LocalDateTime {
        let offset = offsetSeconds(m, at: location)
        let seconds = timeline.unixSeconds(minute: m) + offset
        let days = RFC3339.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, mo, d) = RFC3339.civilFromDays(days)
        return LocalDateTime(date: LocalDate(year: y, month: mo, day: d), hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
                             offsetSeconds: offset)
    }

    /// RFC 3339 text of timeline minute `m` in `location`'s offset at that instant.
    public func rfc3339(_ m: Int, at location: String?) -> String {
        RFC3339.format(unixSeconds: timeline.unixSeconds(minute: m), offsetSeconds: offsetSeconds(m, at: location))
    }

    /// The timeline minutes of local `date` at `location`: from its midnight to the next (23 or
    /// 25 hours on a day when the clocks change).
    public func day(_ date: LocalDate, at location: String?) -> TimeSpan {
        TimeSpan(start: midnight(date, location), end: midnight(date.next, location))
    }

    /// Timeline minute of local midnight starting `date` (the offset is found by two guesses).
    private func midnight(_ date: LocalDate, _ location: String?) -> Int {
        let wall = date.days * 86_400
        var unix = wall - zones.offsetSeconds(location: location ?? firstLocation, unixSeconds: wall)
        unix = wall - zones.offsetSeconds(location: location ?? firstLocation, unixSeconds: unix)
        return RFC3339.floorDiv(unix - timeline.originUnixSeconds, 60)
    }

    /// The local dates that timeline span `span` meets at `location`, in order.
    public func dates(in span: TimeSpan, at location: String?) -> [LocalDate] {
        guard !span.isEmpty else { return [] }
        var out: [LocalDate] = []
        var date = local(span.start, at: location).date
        let last = local(span.end - 1, at: location).date
        while date <= last {
            out.append(date)
            date = date.next
        }
        return out
    }
}

extension LocalDate {
    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate {
        let (y, m, d) = RFC3339.civilFromDays(self.days + days)
        return LocalDate(year: y, month: m, day: d)
    }
}
