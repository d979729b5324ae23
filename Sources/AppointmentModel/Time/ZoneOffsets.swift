import Foundation

/// UTC offsets of the instance's locations, for writing instants as a clinic reads them.
///
/// Looks zones up by IANA name once; an unknown name falls back to UTC (the instance check
/// reports it). Offsets are asked per instant, so daylight-saving changes are honoured.
struct ZoneOffsets: Sendable {
    private var zones: [String: TimeZone] = [:]
    private let fallback: TimeZone

    init(locations: [Location]) {
        fallback = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        for location in locations where zones[location.id] == nil {
            zones[location.id] = TimeZone(identifier: location.timeZone)
        }
    }

    /// Whether the system knows the IANA zone name.
    static func isKnown(_ identifier: String) -> Bool { TimeZone(identifier: identifier) != nil }

    func offsetSeconds(location: String?, unixSeconds: Int) -> Int {
        let zone = location.flatMap { zones[$0] } ?? fallback
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
    }
}
