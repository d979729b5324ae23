import AppointmentModel

/// One bit per minute of a span (the instance's ``Instance/availabilitySpan``): set while a
/// resource is taken. Minutes outside the span count as taken.
///
/// A feasibility test over a span is a handful of word operations: a 60-minute visit touches at
/// most two words.
struct MinuteBitset: Sendable, Hashable {
    private(set) var words: [UInt64]
    /// The first minute covered.
    let origin: Int
    /// The minutes covered.
    let length: Int

    init(covering span: TimeSpan) {
        origin = span.start
        length = max(span.duration, 0)
        words = [UInt64](repeating: 0, count: (length + 63) / 64)
    }

    /// Calls `body(wordIndex, mask)` for the words covering `[start, end)` (already clamped).
    @inline(__always)
    private static func forEachWord(_ start: Int, _ end: Int, _ body: (Int, UInt64) -> Bool) {
        var s = start
        while s < end {
            let w = s >> 6
            let lo = s & 63
            let hi = min(64, end - (w << 6))
            let width = hi - lo
            let mask: UInt64 = width == 64 ? ~0 : ((1 << UInt64(width)) - 1) << UInt64(lo)
            if !body(w, mask) { return }
            s = (w + 1) << 6
        }
    }

    /// Whether no minute of `span` is taken. Minutes outside the covered span count as taken.
    ///
    /// - Complexity: O(span / 64).
    @inline(__always)
    func isFree(_ span: TimeSpan) -> Bool {
        guard span.start >= origin, span.end <= origin + length else { return false }
        var free = true
        Self.forEachWord(span.start - origin, span.end - origin) { w, mask in
            if words[w] & mask != 0 { free = false; return false }
            return true
        }
        return free
    }

    mutating func set(_ span: TimeSpan) {
        let s = max(span.start - origin, 0), e = min(span.end - origin, length)
        Self.forEachWord(s, e) { w, mask in words[w] |= mask; return true }
    }

    mutating func clear(_ span: TimeSpan) {
        let s = max(span.start - origin, 0), e = min(span.end - origin, length)
        Self.forEachWord(s, e) { w, mask in words[w] &= ~mask; return true }
    }
}
