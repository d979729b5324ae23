import AppointmentModel
import Foundation
import Testing
import TestSupport

/// Inputs that trapped or misled before (the hardening issue), one test each.
@Suite struct HardeningTests {
    /// A high surrogate followed by another escape trapped with an arithmetic overflow; a lone
    /// surrogate became U+FFFD silently. Both are now errors; a whole pair still reads.
    @Test(arguments: [#""\uD800\u0041""#, #""\ud800""#, #""\udc00""#, #""\uD800x""#, #""\uDBFF\uD800""#])
    func aLoneSurrogateIsAnErrorNotATrap(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func aSurrogatePairReads() throws {
        #expect(try JSONParser.parse(Array(#""\ud83d\ude00 \u00e9""#.utf8)) == .string("😀 é"))
    }

    /// The reader agrees with Foundation's JSONSerialization on escapes, numbers and Unicode.
    @Test(arguments: [#"["a\"b\\c\/d\b\f\n\r\t"]"#, #"["\u0000\u001f\u007f\u00ff\u0100\uffff"]"#, #"["\ud83d\ude00", "é", "日本"]"#,
                      #"[0, -0, 1.5, -2.25e3, 1e-7, 123456789012345, 1E2, 0.1]"#, #"{"k": [true, false, null, {}, []]}"#])
    func theReaderAgreesWithFoundation(text: String) throws {
        let ours = try JSONParser.parse(Array(text.utf8))
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.same(ours, theirs), "\(text): \(ours) vs \(theirs)")
    }

    static func same(_ a: JSONValue, _ b: Any) -> Bool {
        switch a {
        case .null: return b is NSNull
        case .bool(let x): return (b as? Bool) == x && !(b is Int && !(b is Bool))
        case .number(let x): return (b as? NSNumber).map { $0.doubleValue == x } ?? false
        case .string(let x): return (b as? String) == x
        case .array(let xs):
            guard let ys = b as? [Any], ys.count == xs.count else { return false }
            return zip(xs, ys).allSatisfy { same($0, $1) }
        case .object(let o):
            guard let d = b as? [String: Any], d.count == o.keys.count else { return false }
            return zip(o.keys, o.values).allSatisfy { k, v in d[k].map { same(v, $0) } ?? false }
        }
    }

    /// A huge number where a whole number is expected says "out of range" and the range.
    @Test func aHugeWholeNumberIsOutOfRange() throws {
        var text = try String(contentsOf: SharedFiles.sample("riverside-clinic"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"durationMinutes\": 40", with: "\"durationMinutes\": 9.3e18")
        do {
            _ = try ExchangeFormat.readInstance(Array(text.utf8))
            Issue.record("read a duration of 9.3e18 minutes")
        } catch {
            #expect(error.description.contains("out of range") && error.description.contains("999999999999999"), "\(error)")
        }
    }

    /// A start near Int.max in a hand-built solution is rule 1, not a trap.
    @Test func aStartNearIntMaxIsOutsideTheHorizon() throws {
        let instance = try ExchangeFormat.readInstance(contentsOf: SharedFiles.sample("riverside-clinic"))
        var solution = Solution.baseline(of: instance)
        solution.assignments[0].start = Int.max - 10
        let report = ScheduleValidator(instance).validate(solution)
        #expect(report.violations.contains { $0.check == .outsideHorizon })
    }

    /// Weights so large that the cost overflows: the JSON writer writes null, never `inf`.
    @Test func aNonFiniteNumberIsWrittenAsNull() throws {
        let text = JSONWriter.write(.array([.number(.infinity), .number(-.infinity), .number(.nan), .number(1)]))
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [Any])
        #expect(text.filter { !$0.isWhitespace } == "[null,null,null,1]")
    }

    /// A directory names the problem; a stream (a pipe, /dev/stdin) is read to its end.
    @Test func aDirectoryIsNamedAndAStreamIsRead() throws {
        do {
            _ = try ExchangeFormat.readInstance(contentsOf: FileManager.default.temporaryDirectory)
            Issue.record("read a directory")
        } catch {
            #expect(error.description.contains("is a directory"), "\(error)")
        }
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(at: fifo) }
        let sample = try Data(contentsOf: SharedFiles.sample("riverside-clinic"))
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo.path) { handle.write(sample); try? handle.close() }
        }
        writer.start()
        let instance = try ExchangeFormat.readInstance(contentsOf: fifo)
        #expect(instance.name == "riverside-clinic")
    }
}

/// Found by the fuzzer: an instant in a zone's local mean time (an offset with seconds) was
/// written a few seconds off and did not read back; it is now written in UTC, exactly.
@Suite struct LocalMeanTimeTests {
    @Test func anInstanceFrom1850WritesAndReadsBack() throws {
        var text = try String(contentsOf: SharedFiles.sample("riverside-clinic"), encoding: .utf8)
        text = text.replacingOccurrences(of: "2027-", with: "1850-")
        let instance = try ExchangeFormat.readInstance(Array(text.utf8))
        let again = try ExchangeFormat.readInstance(Array(ExchangeFormat.write(instance).utf8))
        #expect(again == instance)
    }

    /// A horizon to the year 9999 made the per-minute tables grow with it (19.5 GB for a replay):
    /// they now cover the shifts and room openings only, a day of them here.
    @Test func aHorizonToTheYear9999CostsWhatItsShiftsCost() throws {
        let instance = try SharedFiles.instanceToTheYear9999("small-01")
        #expect(instance.horizon.duration > 4_000_000_000)
        #expect(InstanceChecker.errors(in: instance).isEmpty)
        #expect(instance.availabilitySpan.duration <= 1440)
        #expect(instance.availabilityTableBytes < 1 << 20)
    }

    /// Shifts millennia apart would need tables that cannot fit: the checker says so, naming the
    /// field, instead of the process running out of memory.
    @Test func shiftsMillenniaApartAreRefusedWithAClearError() throws {
        var instance = try SharedFiles.instanceToTheYear9999("small-01")
        let late = instance.horizon.end - 1440
        instance.providers[0].shifts.append(Shift(location: instance.providers[0].shifts[0].location,
                                                  span: TimeSpan(start: late, end: late + 480)))
        let errors = InstanceChecker.errors(in: instance)
        let error = try #require(errors.first { $0.message.contains("availability tables would need") })
        #expect(error.path == "providers.shifts")
        #expect(error.message.contains("GiB allowed"))
    }
}
