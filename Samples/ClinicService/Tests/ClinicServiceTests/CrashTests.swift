import AppointmentOptimizer
import ClinicServiceCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// The service killed with SIGKILL in the middle of a load of bookings loses nothing it
/// acknowledged and keeps nothing it refused.
@Suite struct CrashTests {
    @Test func aKilledServiceKeepsEveryAcknowledgedBookingAndNoRefusedOne() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Paths.serviceBinary.path), "swift build this package first; make test does")
        let database = try Paths.temporaryDirectory().appendingPathComponent("clinic.sqlite").path
        let first = try ServiceProcess(["--database", database, "--snapshot-every", "10",
                                        "--clinic", "small=\(Paths.instance("v2-small-01").path)", "--fast-commits"])
        let initial = try await TestClient.withClient(host: "127.0.0.1", port: first.port) { http in
            try await http.call(.get, "/clinics/small/snapshot").text
        }
        let start = try ExchangeFormat.readInstance(Array(initial.utf8))
        let waiting = start.requests.filter { $0.current == nil }.map(\.id)
        let alreadyBooked = Set(start.requests.filter { $0.current != nil }.map(\.id))

        enum Result: Sendable { case booked(String), confirmed(String), refused, unknown }
        let results = Shared<[String: Result]>([:])
        let acknowledged = Shared(0)
        let port = first.port
        await withTaskGroup(of: Void.self) { group in
            for c in 0..<4 {
                group.addTask {
                    try? await TestClient.withClient(host: "127.0.0.1", port: port) { http in
                        for id in waiting.enumerated().filter({ $0.offset % 4 == c }).map(\.element) {
                            results.withLock { $0[id] = .unknown }
                            let reply = try await http.call(.post, "/clinics/small/requests/\(id)/book")
                            guard reply.status == 200, let start = reply["booked"]?.arrayValue.first(where: { $0["request"]?.stringValue == id })?["start"]?.stringValue else {
                                results.withLock { $0[id] = reply.status == 409 ? .refused : .unknown }
                                continue
                            }
                            results.withLock { $0[id] = .booked(start) }
                            acknowledged.withLock { $0 += 1 }
                            if reply.status == 200, (try? await http.call(.post, "/clinics/small/requests/\(id)/confirm"))?.status == 200 {
                                results.withLock { $0[id] = .confirmed(start) }
                            }
                        }
                    }
                }
            }
            group.addTask {
                // Kill it in the middle: once a dozen bookings have been acknowledged.
                while acknowledged.value < 12 { try? await Task.sleep(for: .milliseconds(2)) }
                first.kill()
            }
            await group.waitForAll()
        }
        let outcome = results.value
        let booked = outcome.filter { if case .booked = $0.value { true } else if case .confirmed = $0.value { true } else { false } }
        #expect(booked.count >= 12)
        #expect(outcome.values.contains { if case .unknown = $0 { true } else { false } } || booked.count + outcome.count < waiting.count,
                "the kill came after the load")

        let second = try ServiceProcess(["--database", database])
        defer { _ = second.stop() }
        let restored = try await TestClient.withClient(host: "127.0.0.1", port: second.port) { http in
            try await http.call(.get, "/clinics/small/snapshot").text
        }
        let state = try ExchangeFormat.readInstance(Array(restored.utf8))
        let clock = LocalClock(state)
        let current: [String: ExistingBooking?] = Dictionary(uniqueKeysWithValues: state.requests.map { ($0.id, $0.current) })
        for (id, result) in outcome {
            switch result {
            case .booked(let start), .confirmed(let start):
                let kept = try #require(current[id] ?? nil, "acknowledged booking of \(id) lost")
                #expect(clock.rfc3339(kept.start, at: state.locations.first?.id) == start)
                if case .confirmed = result { #expect(kept.status == .confirmed, "\(id): acknowledged confirmation lost") }
            case .refused:
                #expect(current[id] ?? nil == nil, "\(id) was refused and is booked")
            case .unknown:
                break  // in flight when the service died: either is right
            }
        }
        let stored = Set(state.requests.filter { $0.current != nil }.map(\.id)).subtracting(alreadyBooked)
        let mayBeBooked = Set(outcome.compactMap { (id, result) -> String? in if case .refused = result { nil } else { id } })
        #expect(stored.isSubset(of: mayBeBooked))
        #expect(try refereeChecks(restored).valid)
    }

    @Test func aTerminatedServiceStopsGracefullyAndComesBackWithItsState() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Paths.serviceBinary.path), "swift build this package first; make test does")
        let database = try Paths.temporaryDirectory().appendingPathComponent("clinic.sqlite").path
        let first = try ServiceProcess(["--database", database, "--clinic", "small=\(Paths.instance("v2-small-01").path)"])
        let before = try await TestClient.withClient(host: "127.0.0.1", port: first.port) { http in
            let id = try #require(try await http.call(.get, "/clinics/small/fill/proposal")["placements"]?.arrayValue.first?["request"]?.stringValue)
            #expect(try await http.call(.post, "/clinics/small/requests/\(id)/book").status == 200)
            return try await http.call(.get, "/clinics/small/snapshot").text
        }
        #expect(first.stop() == 0)
        let second = try ServiceProcess(["--database", database, "--clinic", "small=\(Paths.instance("v2-small-01").path)"])
        defer { _ = second.stop() }
        let after = try await TestClient.withClient(host: "127.0.0.1", port: second.port) { http in
            try await http.call(.get, "/clinics/small/snapshot").text
        }
        #expect(after == before)
    }
}
