import Foundation

/// Runs the `appointment-optimizer` executable built beside the test bundle.
public enum CommandRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("appointment-optimizer")
    }

    /// Runs the main executable.
    public static func run(_ arguments: [String]) throws -> Output { try run(executable, arguments) }

    /// Runs a sample program built beside the main executable.
    public static func runSample(_ name: String, _ arguments: [String]) throws -> Output {
        try run(executable.deletingLastPathComponent().appendingPathComponent(name), arguments)
    }

    static func run(_ program: URL, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
