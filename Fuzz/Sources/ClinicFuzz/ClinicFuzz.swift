import AppointmentModel

/// One input of the fuzzer: read it as an instance; when that works, check it, validate and
/// price its existing bookings, write it, read the text back (it must read, and mean the same),
/// and read it as an event line against the sample clinic. Any trap is a finding; a thrown
/// error is the expected answer to bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let instance = try? ExchangeFormat.readInstance(bytes) {
        let issues = InstanceChecker.check(instance)
        let report = ScheduleValidator(instance).validate(.baseline(of: instance))
        _ = JSONWriter.write(.number(report.cost.total))
        if issues.allSatisfy({ $0.severity != .error }) {
            let text = ExchangeFormat.write(instance)
            let again: Instance
            do { again = try ExchangeFormat.readInstance(Array(text.utf8)) } catch {
                fatalError("an instance written by the library does not read back: \(error)")
            }
            if again != instance { fatalError("an instance written and read back differs") }
            _ = ExchangeFormat.write(Solution.baseline(of: instance), for: instance)
        }
        _ = try? ClinicEvent.read(line: bytes, instance: instance)
    }
    _ = try? JSONParser.parse(bytes)
    return 0
}

/// libFuzzer's driver, which parses the command line and runs the fuzzing loop.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The executable's entry point (SwiftPM names it after the module): hands over to libFuzzer.
@_cdecl("ClinicFuzz_main")
func clinicFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
