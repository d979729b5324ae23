/// RFC 3339 date-times with an explicit UTC offset, the only textual time in the exchange format.
///
/// Parsing and formatting are hand-written integer arithmetic (no `DateFormatter`): an xl instance
/// holds over 100,000 instants, and this is where a reader spends its time.
public enum RFC3339 {
    /// Why a string is not an acceptable instant.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notRFC3339(String)
        case invalidDate(String)
        case subSecond(String)

        /// A message quoting the text and saying what is wrong with it.
        public var description: String {
            switch self {
            case .notRFC3339(let text):
                return "\"\(text)\" is not an RFC 3339 date-time with an explicit UTC offset (e.g. 2026-12-07T08:00:00-05:00)"
            case .invalidDate(let text):
                return "\"\(text)\" is not a valid calendar date-time"
            case .subSecond(let text):
                return "\"\(text)\" has sub-second precision; use whole seconds"
            }
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.0…](Z|±HH:MM)` into seconds since the Unix epoch.
    ///
    /// - Complexity: O(n) in the length of `text`, no allocation.
    public static func parseUnixSeconds(_ text: String) throws(ParseError) -> Int {
        var text = text
        let result: Result<Int, ParseError> = text.withUTF8 { bytes in
            if let seconds = parse(bytes) { return .success(seconds) }
            return .failure(diagnose(bytes, text: String(decoding: bytes, as: UTF8.self)))
        }
        return try result.get()
    }

    /// The fast path: the instant, or nil when the bytes are not an acceptable instant.
    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        guard n >= 20 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i] &- 48
            return c < 10 ? Int(c) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int? {
            guard let a = digit(i), let c = digit(i + 1) else { return nil }
            return a * 10 + c
        }
        guard let y1 = two(0), let y2 = two(2), b[4] == 45, let month = two(5), b[7] == 45,
              let day = two(8), b[10] == 84 || b[10] == 116,
              let hour = two(11), b[13] == 58, let minute = two(14), b[16] == 58, let second = two(17)
        else { return nil }
        var i = 19
        if b[i] == 46 {  // '.': fractional seconds, accepted only when zero
            i += 1
            let start = i
            while i < n, b[i] == 48 { i += 1 }
            if i == start || (i < n && digit(i) != nil) { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {  // 'Z' / 'z'
            guard i + 1 == n else { return nil }
        } else {
            guard b[i] == 43 || b[i] == 45, i + 6 == n, let oh = two(i + 1), b[i + 3] == 58,
                  let om = two(i + 4), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
        }
        let year = y1 * 100 + y2
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offset
    }

    private static func diagnose(_ b: UnsafeBufferPointer<UInt8>, text: String) -> ParseError {
        // Distinguish the three failures only on the slow path.
        if b.count > 20, b[19] == 46, b[20] >= 48, b[20] <= 57, b[20] != 48 { return .subSecond(text) }
        let shape = text.utf8.enumerated().allSatisfy { i, c in
            switch i {
            case 4, 7: return c == 45
            case 10: return c == 84 || c == 116
            case 13, 16: return c == 58
            case 0..<19: return c >= 48 && c <= 57
            default: return true
            }
        }
        if shape && b.count >= 20 && (b.last == 90 || b.last == 122 || (b.count >= 25 && b[b.count - 3] == 58)) {
            return .invalidDate(text)
        }
        return .notRFC3339(text)
    }

    /// Formats `unixSeconds` as it reads on a wall clock `offsetSeconds` east of UTC.
    /// An offset of 0 is written `Z`. Seconds are always written (`…T08:00:00-05:00`).
    public static func format(unixSeconds: Int, offsetSeconds: Int) -> String {
        let local = unixSeconds + offsetSeconds
        let days = floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civilFromDays(days)
        var out = [UInt8]()
        out.reserveCapacity(25)
        func put(_ value: Int, width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var v = value
            for k in stride(from: width - 1, through: 0, by: -1) {
                digits[k] = UInt8(48 + abs(v % 10))  // never traps, whatever the year
                v /= 10
            }
            out.append(contentsOf: digits)
        }
        put(year, width: 4); out.append(45); put(month, width: 2); out.append(45); put(day, width: 2)
        out.append(84)
        put(secondOfDay / 3600, width: 2); out.append(58)
        put(secondOfDay / 60 % 60, width: 2); out.append(58)
        put(secondOfDay % 60, width: 2)
        if offsetSeconds == 0 {
            out.append(90)
        } else {
            let magnitude = abs(offsetSeconds) / 60
            out.append(offsetSeconds < 0 ? 45 : 43)
            put(magnitude / 60, width: 2); out.append(58); put(magnitude % 60, width: 2)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Civil calendar (proleptic Gregorian), after H. Hinnant's public-domain algorithms.

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
