// The clinic scheduling service: a Hummingbird 2 HTTP API over one living desk per clinic, in
// SQLite through GRDB.
//
//     swift run clinic-service --database clinic.sqlite --clinic riverside=../clinics/riverside-clinic.json
import AppointmentOptimizer
import ArgumentParser
import ClinicServiceCore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

@main
struct ClinicServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic-service",
        abstract: "Serve clinics' living desks over HTTP, stored in SQLite.",
        discussion: """
        Every option may also be set in the environment: CLINIC_SERVICE_HOST, CLINIC_SERVICE_PORT,
        CLINIC_SERVICE_DATABASE, CLINIC_SERVICE_SNAPSHOT_EVERY, CLINIC_SERVICE_LOG_LEVEL (a flag wins).
        The API is described at /openapi.json; Prometheus metrics are at /metrics. SIGTERM or
        SIGINT stop it gracefully: requests in flight finish, nothing acknowledged is lost.
        """
    )

    @Option(help: "Address to listen on (env CLINIC_SERVICE_HOST).") var host: String?
    @Option(help: "Port; 0 picks a free one, printed at start (env CLINIC_SERVICE_PORT).") var port: Int?
    @Option(help: "SQLite database file, created when missing; ':memory:' keeps nothing (env CLINIC_SERVICE_DATABASE).")
    var database: String?
    @Option(help: "A snapshot every N journal lines per clinic (env CLINIC_SERVICE_SNAPSHOT_EVERY).") var snapshotEvery: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env CLINIC_SERVICE_LOG_LEVEL).") var logLevel: String?
    @Option(help: "Create a clinic at start unless it is stored: ID=INSTANCE.json (repeatable).") var clinic: [String] = []
    @Flag(help: "Commit with synchronous=NORMAL: survives a killed process, not a power cut.") var fastCommits = false

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let host = host ?? env["CLINIC_SERVICE_HOST"] ?? "127.0.0.1"
        let port = try port ?? env["CLINIC_SERVICE_PORT"].map { text in
            guard let p = Int(text) else { throw ValidationError("CLINIC_SERVICE_PORT \(text): expected a port number") }
            return p
        } ?? 8080
        let database = database ?? env["CLINIC_SERVICE_DATABASE"] ?? "clinic-service.sqlite"
        var settings = ServiceSettings()
        if let n = snapshotEvery ?? env["CLINIC_SERVICE_SNAPSHOT_EVERY"].flatMap(Int.init) {
            guard n > 0 else { throw ValidationError("--snapshot-every \(n): expected a positive number of lines") }
            settings.snapshotEvery = n
        }
        let levelText = logLevel ?? env["CLINIC_SERVICE_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("--log-level \(levelText): expected trace, debug, info, notice, warning or error")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registryOfMetrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registryOfMetrics))
        let logger = Logger(label: "clinic-service")

        let store = try SQLiteStore(path: database == ":memory:" ? nil : database, durable: !fastCommits)
        let registry = try ClinicRegistry(store: store, settings: settings, logger: logger)
        for spec in clinic {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--clinic \(spec): expected ID=INSTANCE.json") }
            guard registry.clinic(parts[0]) == nil else { continue }
            let instance = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: parts[1]))
            _ = try registry.create(parts[0], from: instance)
        }
        let api = ClinicAPI(registry: registry, metricsText: {
            var buffer: [UInt8] = []
            registryOfMetrics.emit(into: &buffer)
            return String(decoding: buffer, as: UTF8.self)
        })
        let app = Application(
            router: api.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "clinic-service"),
            onServerRunning: { channel in
                // Tests and scripts read the port from this line.
                FileHandle.standardOutput.write(Data("clinic-service listening on \(host):\(channel.localAddress?.port ?? port)\n".utf8))
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped", metadata: ["clinics": "\(registry.ids.count)"])
    }
}
