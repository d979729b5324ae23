import AppointmentOptimizer
import ClinicServiceCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// A clinic's day sent as API calls ends where the `desk` command ends on the same events.
@Suite struct EndToEndTests {
    @Test func aScriptedDayEndsInTheStateOfTheDeskCommand() async throws {
        let lines = try String(contentsOf: Paths.events("v2-small-01"), encoding: .utf8).split(separator: "\n").map(String.init)
        let (service, refusedLines) = try await withLiveService { client, _ in
            let text = try String(contentsOf: Paths.instance("v2-small-01"), encoding: .utf8)
            #expect(try await client.call(.put, "/clinics/small", text).status == 201)
            var refused: [Int] = []
            for (k, line) in lines.enumerated() {
                let reply = try await client.call(.post, "/clinics/small/events", line)
                #expect([200, 404, 409].contains(reply.status), "line \(k + 1): \(reply.text.prefix(300))")
                if reply.status != 200 { refused.append(k + 1) }
            }
            return (try await client.call(.get, "/clinics/small/snapshot").text, refused)
        }
        let cli = Paths.cliBinary
        try #require(FileManager.default.isExecutableFile(atPath: cli.path),
                     "build the library's command line first (swift build in \(Paths.repository.path)); make test does")
        let out = try Paths.temporaryDirectory().appendingPathComponent("end.json")
        let (status, report) = try run(cli.path, ["desk", Paths.instance("v2-small-01").path, "--events", Paths.events("v2-small-01").path,
                                                  "--out", out.path, "--json"])
        #expect(status == 0)
        let desk = try String(contentsOf: out, encoding: .utf8)
        #expect(service == desk)
        let cliRefused = try JSONParser.parse(Array(report.utf8))["refusals"]?.arrayValue.compactMap { $0["line"]?.numberValue.map(Int.init) }
        #expect(cliRefused == refusedLines)
        #expect(try refereeChecks(service).valid)
    }
}

/// Many clients at once never double-book.
@Suite struct ConcurrencyTests {
    @Test func clientsRacingForTheSameRequestsBookEachOnce() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let port = try #require(client.port)
            let waiting = try #require(registry.clinic("small")?.desk.state.waitingList.map(\.id))
            let results = Shared<[String: [Int]]>([:])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<8 {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { http in
                            // Each client goes through the list from its own point, so that they collide.
                            for k in 0..<waiting.count {
                                let id = waiting[(k + c * 7) % waiting.count]
                                let reply = try await http.call(.post, "/clinics/small/requests/\(id)/book")
                                results.withLock { $0[id, default: []].append(reply.status) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let byRequest = results.value
            let state = try #require(registry.clinic("small")?.desk.state)
            for id in waiting {
                let statuses = byRequest[id] ?? []
                #expect(statuses.count == 8)
                #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 }, "\(id): \(statuses)")
                // One booking per request at most, and exactly one when it is booked now.
                #expect(statuses.filter { $0 == 200 }.count == (state.booking(of: id) == nil ? 0 : 1), "\(id): \(statuses)")
            }
            #expect(byRequest.values.contains { $0.contains(200) })
            let snapshot = try await client.call(.get, "/clinics/small/snapshot").text
            #expect(try refereeChecks(snapshot).valid)
            #expect(ScheduleValidator(state.instance).validate(state.solution()).isValid)
        }
    }

    @Test func clientsRacingForOneSlotGetItOnce() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let port = try #require(client.port)
            let state = try #require(registry.clinic("small")?.desk.state)
            // The best slot of the first waiting request, asked for by every waiting request of its type.
            let first = try #require(registry.bookable("small").first)
            let offer = try await client.call(.get, "/clinics/small/requests/\(first.id)/offers?limit=1")
            let placement = try #require(offer["offers"]?.arrayValue.first?["placements"]?.arrayValue.first)
            let rivals = state.waitingList.filter { $0.type == first.type }.map(\.id)
            #expect(rivals.count >= 3)
            var body = JSONObject()
            body.append("providers", try #require(placement["providers"]))
            body.append("room", try #require(placement["room"]))
            body.append("start", try #require(placement["start"]))
            let text = JSONWriter.write(.object(body))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for id in rivals {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { http in
                            try await http.call(.put, "/clinics/small/requests/\(id)/placement", text).status
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 })
            #expect(try refereeChecks(try await client.call(.get, "/clinics/small/snapshot").text).valid)
        }
    }
}
