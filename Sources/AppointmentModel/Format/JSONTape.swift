#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed JSON document as a flat *tape* of nodes over the original bytes.
///
/// The reader of the exchange format works on the tape directly: no value is copied out of
/// the buffer until it is needed, instants are parsed from their bytes, and a whole document
/// costs two allocations. ``JSONParser/parse(_:)`` builds a ``JSONValue`` tree from it for
/// general use.
///
/// - Complexity: parsing is O(n) in the document size; a member lookup is O(members).
final class JSONTape {
    enum Kind: UInt8 { case null, `false`, `true`, number, string, array, object }

    /// One value of the document in 8 bytes: kind (3 bits), flag (1 bit) and start (28 bits),
    /// then end. Documents are therefore limited to 256 MiB.
    struct Node {
        private var head: UInt32
        /// Strings and numbers: end of the byte range. Containers: index of the node after the subtree.
        var end: UInt32

        static let maxOffset = UInt32(1 << 28 - 1)

        init(kind: Kind, flag: Bool, start: UInt32, end: UInt32) {
            head = UInt32(kind.rawValue) << 29 | (flag ? 1 << 28 : 0) | (start & Self.maxOffset)
            self.end = end
        }

        /// The kind bits hold a `Kind` by construction (only `init` writes them).
        var kind: Kind {
            @inline(__always) get { unsafeBitCast(UInt8(truncatingIfNeeded: head >> 29), to: Kind.self) }
        }
        /// For strings: contains escapes. For numbers: has a fraction or exponent.
        var flag: Bool { head & (1 << 28) != 0 }
        /// Strings and numbers: start of the byte range (strings without their quotes).
        /// Containers: the member count.
        var start: UInt32 {
            get { head & Self.maxOffset }
            set { head = head & ~Self.maxOffset | (newValue & Self.maxOffset) }
        }
    }

    /// The document and its nodes, owned by the tape. Views carry this pair of raw pointers rather
    /// than the tape itself, so that field reads neither retain nor release anything.
    let document: Document
    var bytes: UnsafeBufferPointer<UInt8> { document.bytes }
    var nodes: UnsafeBufferPointer<Node> { document.nodes }

    private let blocks: [PageBuffer]

    deinit {
        for block in blocks { block.free() }
    }

    convenience init(bytes source: [UInt8]) throws(JSONSyntaxError) {
        let (owned, block) = PageBuffer.allocate(UInt8.self, count: source.count)
        _ = owned.initialize(from: source)
        try self.init(owning: UnsafeBufferPointer(owned), block: block)
    }

    /// Parses `bytes`, taking ownership of their `block` (freed with the tape, or at once when
    /// parsing fails).
    init(owning bytes: UnsafeBufferPointer<UInt8>, block: PageBuffer) throws(JSONSyntaxError) {
        // Room for one node per 10 bytes, more than exchange documents need (their density:
        // Docs/performance.md); the builder doubles the buffer when a denser document needs more.
        var builder = Builder(bytes: bytes, capacity: bytes.count / 10 + 64)
        guard bytes.count <= Int(Node.maxOffset) else {
            builder.nodeBlock.free()
            block.free()
            throw JSONSyntaxError(message: "document larger than 256 MiB", line: 1, column: 1)
        }
        do throws(JSONSyntaxError) {
            builder.skipWhitespace()
            try builder.value(depth: 0)
            builder.skipWhitespace()
            if builder.index < bytes.count { throw builder.failure("unexpected text after the JSON value") }
        } catch {
            builder.nodeBlock.free()
            block.free()
            throw error
        }
        blocks = [block, builder.nodeBlock]
        document = Document(bytes: bytes, nodes: UnsafeBufferPointer(rebasing: builder.nodes[0..<builder.count]))
    }

    /// Maps a whole file into memory that a tape can own (read-only, pages populated up front:
    /// no copy out of the page cache and no fault per page).
    static func readFile(_ path: String) -> (UnsafeBufferPointer<UInt8>, PageBuffer)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        if (info.st_mode & S_IFMT) != S_IFREG {
            // A stream (a pipe, /dev/stdin): read it to its end from this descriptor (opening it
            // again could wait for a writer that has already gone).
            var data: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue }; return nil }
                if n == 0 { break }
                data.append(contentsOf: chunk[0..<n])
            }
            let (owned, block) = PageBuffer.allocate(UInt8.self, count: data.count)
            _ = owned.initialize(from: data)
            return (UnsafeBufferPointer(owned), block)
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            let (empty, block) = PageBuffer.allocate(UInt8.self, count: 0)
            return (UnsafeBufferPointer(rebasing: empty[0..<0]), block)
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let raw = mmap(nil, size, PROT_READ, flags, fd, 0), raw != MAP_FAILED else { return nil }
        let block = PageBuffer(base: raw, length: size, mapped: true)
        return (UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size), block)
    }

    var root: JSONView { JSONView(tape: document, node: 0) }

    /// Runs `body` on the root view while the tape is certainly alive.
    func withRoot<R>(_ body: (JSONView) throws(FormatError) -> R) throws(FormatError) -> R {
        try withExtendedLifetime(self) { () throws(FormatError) -> R in try body(root) }
    }

    /// The bytes of a parsed document and its nodes: what a ``JSONView`` reads through. Valid as
    /// long as the tape that owns them is alive.
    struct Document {
        let bytes: UnsafeBufferPointer<UInt8>
        let nodes: UnsafeBufferPointer<Node>

        func string(_ n: Int) -> String {
            let node = nodes[n]
            let slice = UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
            return node.flag ? JSONTape.unescape(slice) : String(decoding: slice, as: UTF8.self)
        }

        func number(_ n: Int) -> Double {
            let node = nodes[n]
            let b = bytes
            do {
                var i = Int(node.start)
                let end = Int(node.end)
                if !node.flag && end - i <= 16 {
                    let negative = b[i] == UInt8(ascii: "-")
                    if negative { i += 1 }
                    var v = 0
                    while i < end { v = v * 10 + Int(b[i] &- 48); i += 1 }
                    return Double(negative ? -v : v)
                }
                return Double(String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self)) ?? .nan
            }
        }

        /// The JSON text of a non-empty list of non-empty strings without escapes, from the first
        /// string's first byte to the last string's last byte; nil for any other value. Equal texts
        /// are equal lists.
        func plainStringListText(_ n: Int) -> UnsafeBufferPointer<UInt8>? {
            let list = nodes[n]
            guard list.kind == .array, list.start > 0 else { return nil }
            let end = Int(list.end)
            var i = n + 1
            while i < end {
                let x = nodes[i]
                guard x.kind == .string, !x.flag, x.end > x.start else { return nil }
                i += 1
            }
            return UnsafeBufferPointer(rebasing: bytes[Int(nodes[n + 1].start)..<Int(nodes[end - 1].end)])
        }

        /// The string's bytes passed to `body` (escapes resolved first when there are any).
        func withStringBytes<R>(_ n: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            let node = nodes[n]
            if node.flag {
                var s = string(n)
                return s.withUTF8(body)
            }
            return body(UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)]))
        }

        /// Whether string node `n` equals the ASCII `key`.
        @inline(__always)
        func stringEquals(_ n: Int, _ key: StaticString) -> Bool {
            let node = nodes[n]
            let count = key.utf8CodeUnitCount
            guard Int(node.end - node.start) == count, !node.flag else { return false }
            let k = key.utf8Start
            let s = Int(node.start)
            var i = 0
            while i < count {
                if bytes[s + i] != k[i] { return false }
                i += 1
            }
            return true
        }
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in at..<min(at + 4, raw.count) {
                let c = raw[k]
                v <<= 4
                switch c {
                case 48...57: v |= UInt32(c - 48)
                case 65...70: v |= UInt32(c - 55)
                default: v |= UInt32(c &- 87) & 15
                }
            }
            return v
        }
        while i < raw.count {
            let c = raw[i]
            guard c == 92, i + 1 < raw.count else { out.append(c); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                // The builder accepted only whole surrogate pairs; combine one.
                if (0xD800..<0xDC00).contains(scalar), i + 5 < raw.count, raw[i] == 92 {
                    let low = hex4(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); continue }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Building

    private struct Builder {
        let bytes: UnsafeBufferPointer<UInt8>
        var nodes: UnsafeMutableBufferPointer<Node>
        var nodeBlock: PageBuffer
        var index = 0
        var count = 0

        init(bytes: UnsafeBufferPointer<UInt8>, capacity: Int) {
            self.bytes = bytes
            (nodes, nodeBlock) = PageBuffer.allocate(Node.self, count: capacity, populate: true)
        }

        @inline(__always)
        mutating func append(_ node: Node) {
            if count == nodes.count { grow() }
            nodes[count] = node
            count += 1
        }

        mutating func grow() {
            let (bigger, block) = PageBuffer.allocate(Node.self, count: nodes.count * 2, populate: false)
            _ = bigger.initialize(fromContentsOf: nodes)
            nodeBlock.free()
            (nodes, nodeBlock) = (bigger, block)
        }

        func failure(_ message: String) -> JSONSyntaxError {
            var line = 1, column = 1
            for i in 0..<min(index, bytes.count) {
                if bytes[i] == 10 { line += 1; column = 1 } else { column += 1 }
            }
            return JSONSyntaxError(message: message, line: line, column: column)
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 32, 9, 10, 13: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) {
            guard index < bytes.count else { throw failure("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try container(object: true, depth: depth + 1)
            case UInt8(ascii: "["): try container(object: false, depth: depth + 1)
            case UInt8(ascii: "\""): append(try string())
            case UInt8(ascii: "t"): try literal("true"); append(Node(kind: .true, flag: false, start: 0, end: 0))
            case UInt8(ascii: "f"): try literal("false"); append(Node(kind: .false, flag: false, start: 0, end: 0))
            case UInt8(ascii: "n"): try literal("null"); append(Node(kind: .null, flag: false, start: 0, end: 0))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): append(try number())
            default: throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
            let n = word.utf8CodeUnitCount
            guard index + n <= bytes.count else { throw failure("unexpected end of input") }
            let w = word.utf8Start
            for k in 0..<n where bytes[index + k] != w[k] { throw failure("invalid literal") }
            index += n
        }

        mutating func container(object: Bool, depth: Int) throws(JSONSyntaxError) {
            guard depth <= JSONParser.maxDepth else { throw failure("nested too deeply") }
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let at = count
            append(Node(kind: object ? .object : .array, flag: false, start: 0, end: 0))
            index += 1
            var members: UInt32 = 0
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    if object {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                        append(try string())
                        skipWhitespace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                        index += 1
                        skipWhitespace()
                    }
                    try value(depth: depth)
                    members += 1
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("unexpected end of input in \(object ? "an object" : "a list")") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == close { index += 1; break }
                    throw failure(object ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
            nodes[at].start = members
            nodes[at].end = UInt32(count)
        }

        /// The value of four hexadecimal digits at `at`, or nil.
        func hex4(at: Int) -> UInt32? {
            guard at + 3 < bytes.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let h = bytes[k]
                switch h {
                case 48...57: v = v << 4 | UInt32(h - 48)
                case 65...70: v = v << 4 | UInt32(h - 55)
                case 97...102: v = v << 4 | UInt32(h - 87)
                default: return nil
                }
            }
            return v
        }

        mutating func string() throws(JSONSyntaxError) -> Node {
            index += 1
            let start = index
            var escaped = false
            var ascii = true
            while index < bytes.count {
                let c = bytes[index]
                if c &- 0x20 < 0x60 && c != 34 && c != 92 { index += 1; continue }  // printable ASCII other than a quote or a backslash
                if c == UInt8(ascii: "\"") {
                    let node = Node(kind: .string, flag: escaped, start: UInt32(start), end: UInt32(index))
                    if !ascii {
                        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                        if String(validating: raw, as: UTF8.self) == nil {
                            index = start
                            throw failure("a string is not valid UTF-8")
                        }
                    }
                    index += 1
                    return node
                }
                if c < 0x20 { throw failure("control character in a string") }
                if c >= 0x80 { ascii = false }
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                    guard index < bytes.count else { break }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        guard let unit = hex4(at: index + 1) else { throw failure("invalid \\u escape") }
                        index += 4
                        // UTF-16 surrogates come in pairs: a high one, then `\u` and a low one.
                        if (0xDC00...0xDFFF).contains(unit) { throw failure("a lone low UTF-16 surrogate in a \\u escape") }
                        if (0xD800...0xDBFF).contains(unit) {
                            guard index + 6 < bytes.count, bytes[index + 1] == 92, bytes[index + 2] == UInt8(ascii: "u"),
                                  let low = hex4(at: index + 3), (0xDC00...0xDFFF).contains(low) else {
                                throw failure("a high UTF-16 surrogate in a \\u escape without its low surrogate")
                            }
                            index += 6
                        }
                    default: throw failure("invalid escape")
                    }
                }
                index += 1
            }
            throw failure("unterminated string")
        }

        mutating func number() throws(JSONSyntaxError) -> Node {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let intStart = index
            while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
            let digits = index - intStart
            guard digits > 0 else { throw failure("invalid number") }
            if digits > 1, bytes[intStart] == 48 {
                index = start
                throw failure("invalid number (leading zero)")
            }
            var fraction = digits > 15
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                fraction = true
                index += 1
                let f = index
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
                guard index > f else { throw failure("invalid number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                fraction = true
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let f = index
                while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
                guard index > f else { throw failure("invalid number") }
            }
            if fraction {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                guard let d = Double(text), d.isFinite else { throw failure("number out of range") }
            }
            return Node(kind: .number, flag: fraction, start: UInt32(start), end: UInt32(index))
        }
    }
}

/// A position in a ``JSONTape``: one value of the document.
///
/// Views hold the tape's ``JSONTape/Document`` (raw pointers), not the tape: a reference would
/// cost a retain and a release per field read. Whoever makes views keeps the tape alive, as the
/// exchange-format readers do with `withExtendedLifetime`.
struct JSONView {
    let tape: JSONTape.Document
    let node: Int

    var kind: JSONTape.Kind {
        @inline(__always) get { tape.nodes[node].kind }
    }
    var isNull: Bool { kind == .null }

    /// The next sibling's node index.
    @inline(__always)
    private func after(_ n: Int) -> Int {
        let x = tape.nodes[n]
        return x.kind == .array || x.kind == .object ? Int(x.end) : n + 1
    }

    /// The members' values of an array, in order.
    var elements: [JSONView] {
        var out: [JSONView] = []
        out.reserveCapacity(Int(tape.nodes[node].start))
        var n = node + 1
        let end = Int(tape.nodes[node].end)
        while n < end {
            out.append(JSONView(tape: tape, node: n))
            n = after(n)
        }
        return out
    }

    /// The value of the first member named `key`, when this is an object.
    subscript(key: StaticString) -> JSONView? {
        guard kind == .object else { return nil }
        var n = node + 1
        let end = Int(tape.nodes[node].end)
        while n < end {
            if tape.stringEquals(n, key) { return JSONView(tape: tape, node: n + 1) }
            n = after(n + 1)
        }
        return nil
    }

    /// The number of elements of an array or members of an object.
    var count: Int { Int(tape.nodes[node].start) }

    /// Calls `body` with each element of an array, in order.
    @inline(__always)
    func forEachElement(_ body: (Int, JSONView) -> Void) {
        var n = node + 1
        let end = Int(tape.nodes[node].end)
        var i = 0
        while n < end {
            body(i, JSONView(tape: tape, node: n))
            n = after(n)
            i += 1
        }
    }

    /// Calls `body` with each member's key node and value, in document order.
    @inline(__always)
    func forEachMember(_ body: (Int, JSONView) -> Void) {
        guard kind == .object else { return }
        var n = node + 1
        let end = Int(tape.nodes[node].end)
        while n < end {
            body(n, JSONView(tape: tape, node: n + 1))
            n = after(n + 1)
        }
    }

    var string: String { tape.string(node) }
    var number: Double { tape.number(node) }

    /// This value as a ``JSONValue`` tree.
    var value: JSONValue {
        switch kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(number)
        case .string: return .string(string)
        case .array: return .array(elements.map(\.value))
        case .object:
            var o = JSONObject()
            var n = node + 1
            let end = Int(tape.nodes[node].end)
            while n < end {
                o.append(tape.string(n), JSONView(tape: tape, node: n + 1).value)
                n = after(n + 1)
            }
            return .object(o)
        }
    }

    var kindName: String {
        switch kind {
        case .null: "null"
        case .true, .false: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// Memory for large, short-lived parse buffers, mapped directly so that a tape owns its pages
/// and returns them at once. (Advising transparent huge pages was tried: with the kernel's
/// `defrag=madvise` it stalled some parses in compaction; figures: Docs/performance.md.) Falls
/// back to the ordinary allocator when mapping fails.
struct PageBuffer {
    let base: UnsafeMutableRawPointer
    let length: Int
    let mapped: Bool

    private static let pageSize = 4096

    /// - Parameter populate: fault every page in at once (cheaper than one fault per page when
    ///   the buffer will be filled).
    static func allocate<T>(_ type: T.Type, count: Int, populate: Bool = false) -> (UnsafeMutableBufferPointer<T>, PageBuffer) {
        let bytes = max(count * MemoryLayout<T>.stride, 1)
        let length = (bytes + pageSize - 1) / pageSize * pageSize
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0)
        #else
        let flags = MAP_PRIVATE | MAP_ANONYMOUS
        #endif
        let raw = mmap(nil, length, PROT_READ | PROT_WRITE, flags, -1, 0)
        let block: PageBuffer
        if let raw, raw != MAP_FAILED {
            block = PageBuffer(base: raw, length: length, mapped: true)
        } else {
            block = PageBuffer(base: .allocate(byteCount: length, alignment: 16), length: length, mapped: false)
        }
        return (UnsafeMutableBufferPointer(start: block.base.bindMemory(to: T.self, capacity: count), count: count), block)
    }

    func free() {
        if mapped { munmap(base, length) } else { base.deallocate() }
    }
}
