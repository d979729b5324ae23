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

    /// The offset at that instant in whole minutes; 0 (UTC) when the zone's offset then has
    /// seconds (local mean time before standard time, such as New York's −4:56:02 before 1883),
    /// which RFC 3339 cannot write: the instant is then written exactly, in UTC. (Found by the
    /// fuzzer: such an instant was written 2 seconds off, and did not read back.)
    func offsetSeconds(location: String?, unixSeconds: Int) -> Int {
        let zone = location.flatMap { zones[$0] } ?? fallback
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
        return offset % 60 == 0 ? offset : 0
    }
}
