import AppointmentOptimizer
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

@main
struct AppointmentOptimizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment-optimizer",
        abstract: "Schedules clinic appointments and packs provider calendars.",
        subcommands: [Validate.self, Baseline.self, Replay.self, Optimize.self, Desk.self, ReportCommand.self, Bench.self]
    )
}

/// Exit codes shared by every subcommand: 0 valid, 1 invalid, 2 unreadable input.
enum Outcome {
    static let valid = ExitCode(0)
    static let invalid = ExitCode(1)
    static let unreadable = ExitCode(2)
}

/// Reads an instance for a subcommand: a read error goes to stderr and exits 2.
func loadInstance(_ path: String) throws -> Instance {
    do {
        return try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: path))
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw Outcome.unreadable
    }
}

/// Writes a solution for a subcommand, atomically (a temporary file, then a rename): a write
/// that fails never leaves a truncated file where a good one was.
func writeSolution(_ solution: Solution, for instance: Instance, to path: String) throws {
    try writeAtomically(ExchangeFormat.write(solution, for: instance), to: path)
}

/// Checks an output path before the work starts: its folder exists and is writable, it is not a
/// folder, and it is none of the inputs (which it would overwrite).
func checkOutput(_ path: String?, option: String = "--out", inputs: [String]) throws {
    guard let path else { return }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let folder = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    func fail(_ message: String) throws -> Never {
        FileHandle.standardError.write(Data("error: \(option) \(path): \(message)\n".utf8))
        throw Outcome.unreadable
    }
    if inputs.map({ URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }).contains(url.resolvingSymlinksInPath().path) {
        try fail("is an input of this command; write elsewhere")
    }
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
        try fail("is a folder; name a file")
    }
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        try fail("its folder \(folder) does not exist")
    }
    guard FileManager.default.isWritableFile(atPath: folder) else { try fail("its folder \(folder) is not writable") }
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so that a
/// failed write never leaves a truncated file where a good one was.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        FileHandle.standardError.write(Data("error: cannot write \(path): \(error.localizedDescription)\n".utf8))
        throw Outcome.unreadable
    }
}
