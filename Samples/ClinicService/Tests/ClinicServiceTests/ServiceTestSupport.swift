import AppointmentModel
import AppointmentOptimizer
import ClinicServiceCore
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Synchronization
import NIOCore
import Testing

/// Where things are: this package, the repository, the shared folder (CLINIC_SHARED or ../shared).
enum Paths {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let repository = package.deletingLastPathComponent().deletingLastPathComponent()
    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["CLINIC_SHARED"] { return URL(fileURLWithPath: path) }
        return repository.deletingLastPathComponent().appendingPathComponent("shared")
    }
    static func instance(_ name: String) -> URL { shared.appendingPathComponent("instances/\(name).json") }
    static func events(_ name: String) -> URL { shared.appendingPathComponent("events/\(name).jsonl") }
    static var referee: URL { shared.appendingPathComponent("tools/referee.py") }
    /// The service's executable, built by `swift build` in this package (`make test` does).
    static var serviceBinary: URL { package.appendingPathComponent(".build/debug/clinic-service") }
    /// The library's command line, built by the repository's `swift build` or `swift test`.
    static var cliBinary: URL { repository.appendingPathComponent(".build/debug/appointment-optimizer") }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs a program and returns its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `referee.py INSTANCE --check-instance`: whether a desk's state passes the independent checker.
func refereeChecks(_ snapshot: String) throws -> (valid: Bool, output: String) {
    let file = try Paths.temporaryDirectory().appendingPathComponent("state.json")
    try snapshot.write(to: file, atomically: true, encoding: .utf8)
    let (status, output) = try run("/usr/bin/env", ["python3", Paths.referee.path, file.path, "--check-instance", "--json"])
    return (status == 0 && output.contains("\"valid\": true"), output)
}

/// A reply of the API, its body parsed when it is JSON.
struct Reply: Sendable {
    var status: Int
    var text: String
    var json: JSONValue?

    subscript(_ key: String) -> JSONValue? {
        guard case .object(let o)? = json else { return nil }
        return o[key]
    }

    /// The error's code of a JSON error.
    var errorCode: String? { self["error"]?["code"]?.stringValue }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var arrayValue: [JSONValue] { if case .array(let a) = self { a } else { [] } }
    var numberValue: Double? { if case .number(let n) = self { n } else { nil } }
    var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
}

/// Calls over a `TestClientProtocol` (the live server of HummingbirdTesting) or a `TestClient`.
extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> Reply {
        try await execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(response.status.code, response.body)
        }
    }
}

extension TestClient {
    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> Reply {
        let response = try await execute(TestClient.Request(uri, method: method, headers: [:], body: body.map { ByteBuffer(string: $0) }))
        return Reply(response.status.code, response.body ?? ByteBuffer())
    }
}

extension Reply {
    init(_ status: Int, _ body: ByteBuffer) {
        self.status = status
        text = String(buffer: body)
        json = try? JSONParser.parse(Array(text.utf8))
    }
}

/// The service in this process on a loopback port (HummingbirdTesting's live framework), over
/// `store` (in memory by default), with clinics made from shared instances.
func withLiveService<T: Sendable>(store: (any ClinicStore)? = nil, settings: ServiceSettings = ServiceSettings(),
                                  clinics: [String: String] = [:],
                                  _ body: @Sendable (any TestClientProtocol, ClinicRegistry) async throws -> T) async throws -> T {
    let registry = try ClinicRegistry(store: store ?? SQLiteStore(path: nil), settings: settings)
    for (id, name) in clinics.sorted(by: { $0.key < $1.key }) {
        _ = try registry.create(id, from: ExchangeFormat.readInstance(contentsOf: Paths.instance(name)))
    }
    let app = Application(router: ClinicAPI(registry: registry).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in try await body(client, registry) }
}

/// The service as a separate process (the built executable), for the crash test.
final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// Starts `clinic-service` with `arguments` and waits for the line that names its port.
    init(_ arguments: [String]) throws {
        process.executableURL = Paths.serviceBinary
        process.arguments = ["--port", "0", "--log-level", "warning"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("\n"), Date() < deadline {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"listening on [0-9.]+:([0-9]+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw ServiceStartError(output: text)
        }
        self.port = port
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct ServiceStartError: Error, CustomStringConvertible {
    var output: String
    var description: String { "the service did not say where it listens; it printed: \(output)" }
}

/// A value shared by concurrent tasks.
final class Shared<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout T) -> R) -> R { mutex.withLock { body(&$0) } }
    var value: T { mutex.withLock { $0 } }
}

extension ClinicRegistry {
    /// The waiting requests of `clinic` that have an offer now, in instance order.
    func bookable(_ clinic: String) -> [AppointmentModel.Request] {
        guard let desk = self.clinic(clinic)?.desk else { return [] }
        return desk.state.waitingList.filter { !desk.offers(for: $0.id, limit: 1).offers.isEmpty }
    }
}
