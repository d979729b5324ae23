import AppointmentModel
import Foundation

/// iCalendar feeds (RFC 5545) of a provider's or a room's visits: one `VEVENT` per visit with a
/// stable `UID`, `DTSTART`/`DTEND` in the location's zone (`TZID`) with a matching `VTIMEZONE`
/// that lists every change of offset the feed's span meets, `SEQUENCE` raised when a visit moves,
/// and visits cancelled since the previous schedule as `STATUS:CANCELLED`. No patient data beyond
/// the opaque id.
public enum ICalendar {
    /// Which calendar: a provider's or a room's.
    public enum Subject: Sendable, Hashable {
        /// A provider's calendar, by provider id.
        case provider(String)
        /// A room's calendar, by room id.
        case room(String)
    }

    /// The feed of `subject` for the schedule `view`.
    ///
    /// - Parameters:
    ///   - subject: the provider or room whose visits the feed lists.
    ///   - view: the schedule now.
    ///   - previous: the schedule the subscribers last saw (yesterday's feed, the snapshot before
    ///     the night): a visit it had and `view` lacks is written cancelled; a visit that moved
    ///     gets the next sequence number.
    ///   - sequences: the sequence numbers last published, by request (0 when absent).
    ///   - productID: the feed's PRODID (who wrote it).
    /// - Returns: the text, and the sequence numbers now published.
    public static func feed(_ subject: Subject, view: ScheduleView, previous: ScheduleView? = nil,
                            sequences: [String: Int] = [:], productID: String = "-//AppointmentOptimizer//Clinic Feed//EN")
        -> (text: String, sequences: [String: Int]) {
        func mine(_ v: ScheduleView) -> [Visit] {
            switch subject {
            case .provider(let id): v.visits(ofProvider: id)
            case .room(let id): v.visits(inRoom: id)
            }
        }
        let now = mine(view)
        let before = previous.map(mine) ?? []
        let beforeByRequest = Dictionary(before.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        let nowIDs = Set(now.map(\.request))
        var sequence = sequences
        var events: [(Visit, status: String, ScheduleView)] = []
        for v in now {
            let old = beforeByRequest[v.request]
            if let old, old.span != v.span || old.providers != v.providers || old.room != v.room {
                sequence[v.request, default: 0] += 1
            }
            events.append((v, "CONFIRMED", view))
        }
        for v in before where !nowIDs.contains(v.request) {
            sequence[v.request, default: 0] += 1
            events.append((v, "CANCELLED", previous!))
        }
        let location: String? = switch subject {
        case .provider(let id): now.first?.location ?? before.first?.location ?? view.location(ofProvider: id, on: view.instance.horizon)
        case .room(let id): view.index.room[id].map { view.instance.rooms[$0].location }
        }
        let zone = view.clock.zoneName(location)
        let name: String = switch subject {
        case .provider(let id): "Provider \(id)"
        case .room(let id): "Room \(id)"
        }
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(text(name))", "X-WR-TIMEZONE:\(zone)"]
        // The zone's observances over the horizon and every event (a cancelled one may lie outside).
        let spans = events.map(\.0.span) + [view.instance.horizon]
        let first = spans.map(\.start).min()!, last = spans.map(\.end).max()!
        lines += timeZone(zone, from: view.clock.timeline.unixSeconds(minute: first), to: view.clock.timeline.unixSeconds(minute: last))
        let stamp = basicUTC(view.clock.timeline.unixSeconds(minute: view.instance.decisionTime))
        for (v, status, source) in events.sorted(by: { ($0.0.span.start, $0.0.request) < ($1.0.span.start, $1.0.request) }) {
            let start = source.clock.local(v.span.start, at: location), end = source.clock.local(v.span.end, at: location)
            lines += ["BEGIN:VEVENT",
                      "UID:\(text(v.request))@\(text(view.instance.name)).appointment-optimizer",
                      "DTSTAMP:\(stamp)",
                      "DTSTART;TZID=\(zone):\(start.iCalendar)",
                      "DTEND;TZID=\(zone):\(end.iCalendar)",
                      "SEQUENCE:\(sequence[v.request] ?? 0)",
                      "STATUS:\(status)",
                      "SUMMARY:\(text("\(v.type) — patient \(v.patient)"))"]
            if let room = v.room { lines.append("LOCATION:\(text(room))") } else { lines.append("LOCATION:telehealth") }
            let with = v.providers.map { "provider \($0)" } + (v.room.map { ["room \($0)"] } ?? [])
            var description = "Request \(v.request); \(with.joined(separator: ", "))"
            if !v.equipment.isEmpty { description += "; equipment " + v.equipment.map { "\($0.kind) × \($0.quantity)" }.joined(separator: ", ") }
            if let prep = v.prep { description += "; prep: \(prep)" }
            lines.append("DESCRIPTION:\(text(description))")
            lines.append("CATEGORIES:\(text(v.type))")
            lines.append("TRANSP:OPAQUE")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return (lines.map(fold).joined(separator: "\r\n") + "\r\n", sequence)
    }

    /// A `VTIMEZONE` for `zone` valid from `from` to `to` (Unix seconds): the observance in effect
    /// at `from`, then one per change of offset up to `to`, each with its onset in the local time
    /// before the change (RFC 5545 §3.6.5), without recurrence rules.
    static func timeZone(_ zone: String, from: Int, to: Int) -> [String] {
        guard let tz = TimeZone(identifier: zone) else { return [] }
        func offset(_ t: Int) -> Int { tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
        func hhmm(_ seconds: Int) -> String {
            let m = abs(seconds) / 60
            return (seconds < 0 ? "-" : "+") + String(format: "%02d%02d", m / 60, m % 60)
        }
        func local(_ t: Int, _ offset: Int) -> String {
            let clock = LocalClock.basic(unixSeconds: t + offset)
            return clock
        }
        func observance(_ onset: Int, fromOffset: Int, toOffset: Int) -> [String] {
            let daylight = tz.isDaylightSavingTime(for: Date(timeIntervalSince1970: TimeInterval(onset)))
            let kind = daylight ? "DAYLIGHT" : "STANDARD"
            var out = ["BEGIN:\(kind)", "DTSTART:\(local(onset, fromOffset))", "TZOFFSETFROM:\(hhmm(fromOffset))", "TZOFFSETTO:\(hhmm(toOffset))"]
            // A real abbreviation only (Foundation on Linux answers "GMT-5" where it has none).
            if let name = tz.abbreviation(for: Date(timeIntervalSince1970: TimeInterval(onset))), !name.hasPrefix("GMT") { out.append("TZNAME:\(name)") }
            return out + ["END:\(kind)"]
        }
        let begin = from - 86_400
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(zone)"]
        lines += observance(begin, fromOffset: offset(begin), toOffset: offset(begin))
        var cursor = Date(timeIntervalSince1970: TimeInterval(begin))
        while let next = tz.nextDaylightSavingTimeTransition(after: cursor), Int(next.timeIntervalSince1970) <= to + 86_400 {
            let t = Int(next.timeIntervalSince1970)
            lines += observance(t, fromOffset: offset(t - 1), toOffset: offset(t))
            cursor = next
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// `YYYYMMDDTHHMMSSZ`.
    static func basicUTC(_ unix: Int) -> String { LocalClock.basic(unixSeconds: unix) + "Z" }

    /// TEXT escaping (RFC 5545 §3.3.11).
    static func text(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var out = "", count = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if count + width > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(scalar)
            count += width
        }
        return out
    }
}

extension LocalClock {
    /// `YYYYMMDDTHHMMSS` of a wall-clock reading given as seconds since 1970-01-01 local.
    static func basic(unixSeconds local: Int) -> String {
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - days * 86_400
        let date = LocalDate(year: 1970, month: 1, day: 1).adding(days: days)
        return String(format: "%04d%02d%02dT%02d%02d%02d", date.year, date.month, date.day, second / 3600, second / 60 % 60, second % 60)
    }
}
