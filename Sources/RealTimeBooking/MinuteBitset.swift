import AppointmentModel

/// One bit per minute of the horizon: set while a resource is taken.
///
/// A feasibility test over a span is a handful of word operations: a 60-minute visit touches at
/// most two words.
struct MinuteBitset: Sendable, Hashable {
    private(set) var words: [UInt64]
    let length: Int

    init(length: Int) {
        self.length = max(length, 0)
        words = [UInt64](repeating: 0, count: (self.length + 63) / 64)
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

    /// Whether no minute of `span` is taken. Minutes outside the horizon count as taken.
    ///
    /// - Complexity: O(span / 64).
    @inline(__always)
    func isFree(_ span: TimeSpan) -> Bool {
        guard span.start >= 0, span.end <= length else { return false }
        var free = true
        Self.forEachWord(span.start, span.end) { w, mask in
            if words[w] & mask != 0 { free = false; return false }
            return true
        }
        return free
    }

    mutating func set(_ span: TimeSpan) {
        let s = max(span.start, 0), e = min(span.end, length)
        Self.forEachWord(s, e) { w, mask in words[w] |= mask; return true }
    }

    mutating func clear(_ span: TimeSpan) {
        let s = max(span.start, 0), e = min(span.end, length)
        Self.forEachWord(s, e) { w, mask in words[w] &= ~mask; return true }
    }
}
