extension Instance {
    /// The minutes in which anything can be booked: from the first provider shift or room opening
    /// to the last one, inside the horizon. The booking engine's per-minute tables cover this span
    /// only, so that their size follows the shifts, not the horizon's length (a horizon to the
    /// year 9999 with one week of shifts needs a week of tables).
    ///
    /// - Complexity: O(shifts + room openings).
    public var availabilitySpan: TimeSpan {
        var lo = Int.max, hi = Int.min
        for provider in providers {
            for shift in provider.shifts {
                lo = min(lo, shift.span.start)
                hi = max(hi, shift.span.end)
            }
        }
        for room in rooms {
            for open in room.open {
                lo = min(lo, open.start)
                hi = max(hi, open.end)
            }
        }
        guard lo < hi else { return TimeSpan(start: max(horizon.start, 0), end: max(horizon.start, 0)) }
        let start = max(lo, horizon.start, 0)
        return TimeSpan(start: start, end: max(start, min(hi, horizon.end)))
    }

    /// The bytes of the booking engine's per-minute tables over ``availabilitySpan``: a bit per
    /// minute for each provider and room, two bytes per minute for each equipment pool.
    public var availabilityTableBytes: Int {
        let minutes = availabilitySpan.duration
        let (bits, overflowBits) = minutes.multipliedReportingOverflow(by: providers.count + rooms.count)
        let (pools, overflowPools) = minutes.multipliedReportingOverflow(by: 2 * equipment.count)
        guard !overflowBits, !overflowPools else { return .max }
        let (sum, overflow) = (bits / 8).addingReportingOverflow(pools)
        return overflow ? .max : sum
    }

    /// The most ``availabilityTableBytes`` the library accepts (4 GiB): the instance checker
    /// refuses an instance whose shifts and opening hours span more.
    public static let maximumAvailabilityTableBytes = 4 << 30
}
