import AppointmentOptimizer
import ClinicServiceCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// The API over real HTTP on loopback, one behaviour per test.
@Suite struct APITests {
    @Test func aClinicIsCreatedOnceFromAnInstance() async throws {
        try await withLiveService { client, _ in
            let text = try String(contentsOf: Paths.instance("v2-tiny-01"), encoding: .utf8)
            let created = try await client.call(.put, "/clinics/tiny", text)
            #expect(created.status == 201)
            #expect(created["requests"]?.numberValue == 15)
            #expect(created["sequence"]?.numberValue == 0)
            let again = try await client.call(.put, "/clinics/tiny", text)
            #expect(again.status == 409)
            #expect(again.errorCode == "clinic-exists")
            let badID = try await client.call(.put, "/clinics/a%20b", text)
            #expect(badID.status == 400)
            #expect(badID.errorCode == "invalid-id")
            let listed = try await client.call(.get, "/clinics")
            #expect(listed["clinics"]?.arrayValue.compactMap { $0["id"]?.stringValue } == ["tiny"])
        }
    }

    @Test func anUnreadableInstanceNamesItsField() async throws {
        try await withLiveService { client, _ in
            let notJSON = try await client.call(.put, "/clinics/x", "{\"format\": ")
            #expect(notJSON.status == 400)
            #expect(notJSON.errorCode == "invalid-field")
            var text = try String(contentsOf: Paths.instance("v2-tiny-01"), encoding: .utf8)
            text = text.replacingOccurrences(of: "\"granularityMinutes\": 5", with: "\"granularityMinutes\": \"five\"")
            let wrongType = try await client.call(.put, "/clinics/x", text)
            #expect(wrongType.status == 400)
            #expect(wrongType["error"]?["field"]?.stringValue == "instance.granularityMinutes")
            #expect(try await client.call(.get, "/clinics/x").status == 404)
        }
    }

    @Test func aVisitIsOfferedBookedConfirmedAndCancelled() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let waiting = try #require(registry.bookable("small").first?.id)
            let offers = try await client.call(.get, "/clinics/small/requests/\(waiting)/offers?limit=3")
            #expect(offers.status == 200)
            let best = try #require(offers["offers"]?.arrayValue.first)
            let booked = try await client.call(.post, "/clinics/small/requests/\(waiting)/book")
            #expect(booked.status == 200)
            #expect(booked["booked"]?.arrayValue.first?["start"] == best["start"])
            #expect(booked["journal"]?["first"]?.numberValue == 1)
            let read = try await client.call(.get, "/clinics/small/requests/\(waiting)")
            #expect(read["current"]?["start"] == best["start"])
            #expect(try await client.call(.post, "/clinics/small/requests/\(waiting)/confirm").status == 200)
            #expect(try await client.call(.get, "/clinics/small/requests/\(waiting)")["current"]?["status"]?.stringValue == "confirmed")
            let cancelled = try await client.call(.post, "/clinics/small/requests/\(waiting)/cancel")
            #expect(cancelled["cancelled"]?.arrayValue.contains(.string(waiting)) == true)
            let gone = try await client.call(.get, "/clinics/small/requests/\(waiting)")
            #expect(gone.status == 404)
            #expect(gone.errorCode == "unknown-request")
            let journal = try await client.call(.get, "/clinics/small/journal")
            #expect(journal.text.split(separator: "\n").count == 3)
        }
    }

    @Test func refusalsAndBadFieldsSayWhatAndWhich() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let unknown = try await client.call(.post, "/clinics/small/requests/NOPE/book")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not-found")
            #expect(unknown["error"]?["id"]?.stringValue == "NOPE")
            let booked = try #require(registry.clinic("small")?.desk.state.instance.requests.first { $0.current != nil }?.id)
            let twice = try await client.call(.post, "/clinics/small/requests/\(booked)/book")
            #expect(twice.status == 409)
            #expect(twice.errorCode == "refused")
            #expect(twice["outcome"]?["applied"]?.boolValue == false)
            let badStart = try await client.call(.put, "/clinics/small/requests/\(booked)/placement",
                                                 #"{"providers": ["PRV-001"], "room": null, "start": "tomorrow"}"#)
            #expect(badStart.status == 400)
            #expect(badStart["error"]?["field"]?.stringValue == "event(place \(booked)).start")
            let notJSON = try await client.call(.post, "/clinics/small/providers/PRV-001/blocks", "start=9")
            #expect(notJSON.status == 400)
            #expect(notJSON.errorCode == "invalid-json")
            let noBody = try await client.call(.post, "/clinics/small/holds")
            #expect(noBody.errorCode == "missing-body")
            let limit = try await client.call(.get, "/clinics/small/requests/\(booked)/offers?limit=0")
            #expect(limit["error"]?["field"]?.stringValue == "limit")
            let route = try await client.call(.get, "/clinic")
            #expect(route.status == 404)
            #expect(route.errorCode == "http-404")
            let back = try await client.call(.post, "/clinics/small/events", #"{"at": "2027-01-26T19:00:00-05:00", "op": "fill"}"#)
            #expect(back.status == 409)
            #expect(back["error"]?["message"]?.stringValue?.contains("at goes back") == true)
        }
    }

    @Test func outputsAreServed() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let instance = try #require(registry.clinic("small")?.desk.state.instance)
            let provider = try #require(instance.requests.first { $0.current != nil }?.current?.providers.first)
            let room = try #require(instance.rooms.first?.id)
            let manifests = try await client.call(.get, "/clinics/small/manifests?date=2027-01-27&provider=\(provider)")
            #expect(manifests.status == 200)
            #expect(manifests.json?.arrayValue.count == 1)
            let csv = try await client.call(.get, "/clinics/small/manifests?date=2027-01-27&format=csv")
            #expect(csv.text.hasPrefix("kind,"))
            #expect(try await client.call(.get, "/clinics/small/manifests?format=pdf")["error"]?["field"]?.stringValue == "format")
            #expect(try await client.call(.get, "/clinics/small/manifests?date=27.1.2027")["error"]?["field"]?.stringValue == "date")
            let ics = try await client.call(.get, "/clinics/small/providers/\(provider)/calendar")
            #expect(ics.text.hasPrefix("BEGIN:VCALENDAR"))
            #expect(ics.text.contains("BEGIN:VEVENT"))
            #expect(try await client.call(.get, "/clinics/small/rooms/\(room)/calendar").text.hasPrefix("BEGIN:VCALENDAR"))
            #expect(try await client.call(.get, "/clinics/small/providers/NOBODY/calendar").errorCode == "unknown-provider")
            let metrics = try await client.call(.get, "/clinics/small/metrics")
            let expected = Metrics(ScheduleView(instance, .baseline(of: instance))).json()
            #expect(metrics["fillRate"] == expected["fillRate"])
            #expect(metrics["fillRate"]?.numberValue ?? 0 > 0)
            let schedule = try await client.call(.get, "/clinics/small/schedule")
            let solution = try ExchangeFormat.readSolution(Array(schedule.text.utf8), for: instance)
            #expect(ScheduleValidator(instance).validate(solution).isValid)
        }
    }

    /// The OpenAPI document lists every route, and every route answers with a status it documents.
    @Test func everyDocumentedOperationAnswersAsDocumented() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, registry in
            let document = try await client.call(.get, "/openapi.json")
            let paths = try #require(document["paths"])
            guard case .object(let byPath) = paths else { Issue.record("no paths"); return }
            let instance = try #require(registry.clinic("small")?.desk.state.instance)
            let booked = try #require(instance.requests.first { $0.current != nil })
            let bookedProvider = try #require(booked.current?.providers.first)
            let substitutions = ["{clinic}": "small", "{request}": booked.id, "{provider}": bookedProvider,
                                 "{room}": instance.rooms[0].id, "{hold}": instance.holds.first?.id ?? "H"]
            let bodies = ["/clinics/{clinic}/optimizations": #"{"timeLimitSeconds": 1}"#,
                          "/clinics/{clinic}": try String(contentsOf: Paths.instance("v2-tiny-01"), encoding: .utf8)]
            var operations = 0
            for (path, item) in zip(byPath.keys, byPath.values) {
                guard case .object(let methods) = item else { continue }
                for (method, operation) in zip(methods.keys, methods.values) where method != "parameters" {
                    var uri = path
                    for (k, v) in substitutions { uri = uri.replacingOccurrences(of: k, with: v) }
                    let verb: HTTPRequest.Method = switch method {
                    case "get": .get
                    case "post": .post
                    case "put": .put
                    default: .delete
                    }
                    let reply = try await client.call(verb, uri, bodies[path] ?? "{}")
                    let documented = operation["responses"].map { r -> [String] in if case .object(let o) = r { o.keys } else { [] } } ?? []
                    #expect(documented.contains(String(reply.status)), "\(method.uppercased()) \(uri) answered \(reply.status): \(reply.text.prefix(300))")
                    if reply.status >= 400, reply.json != nil { #expect(reply.errorCode != nil, "\(method) \(uri): an error without a code") }
                    operations += 1
                }
            }
            #expect(operations == 33)
            // The optimisation started above finishes before the service goes.
            for _ in 0..<200 where try await client.call(.get, "/clinics/small/optimizations/latest")["status"]?.stringValue == "running" {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test func aChangeTheStoreRefusesIsNotMade() async throws {
        let store = try FailingStore()
        try await withLiveService(store: store, clinics: ["small": "v2-small-01"]) { client, registry in
            let waiting = try #require(registry.bookable("small").first?.id)
            store.failing.withLock { $0 = true }
            let refused = try await client.call(.post, "/clinics/small/requests/\(waiting)/book")
            #expect(refused.status == 503)
            #expect(refused.errorCode == "not-stored")
            #expect(registry.clinic("small")?.desk.booking(of: waiting) == nil)
            #expect(registry.clinic("small")?.desk.snapshot().sequence == 0)
            store.failing.withLock { $0 = false }
            let booked = try await client.call(.post, "/clinics/small/requests/\(waiting)/book")
            #expect(booked.status == 200)
            #expect(booked["journal"]?["first"]?.numberValue == 1)
        }
    }

    @Test func aRestartRestoresTheSnapshotAndTheJournalAfterIt() async throws {
        let file = try Paths.temporaryDirectory().appendingPathComponent("clinic.sqlite").path
        var settings = ServiceSettings()
        settings.snapshotEvery = 7
        let lines = try String(contentsOf: Paths.events("v2-small-01"), encoding: .utf8).split(separator: "\n").prefix(40)
        let before = try await withLiveService(store: try SQLiteStore(path: file), settings: settings, clinics: ["small": "v2-small-01"]) { client, registry in
            for line in lines { _ = try await client.call(.post, "/clinics/small/events", String(line)) }
            return try #require(registry.clinic("small")?.desk.snapshot())
        }
        #expect(before.sequence > 14)
        let stored = try #require(try SQLiteStore(path: file).load(clinic: "small"))
        #expect(stored.snapshot.sequence > before.sequence - 7)
        #expect(stored.lines.count == before.sequence - stored.snapshot.sequence)
        let restored = try ClinicRegistry(store: SQLiteStore(path: file), settings: settings)
        let after = try #require(restored.clinic("small")?.desk.snapshot())
        #expect(after.sequence == before.sequence)
        #expect(ExchangeFormat.write(after.instance) == ExchangeFormat.write(before.instance))
        #expect(try refereeChecks(ExchangeFormat.write(after.instance)).valid)
    }

    @Test func theNightlyRunIsOneAtATimeAndApplied() async throws {
        try await withLiveService(clinics: ["small": "v2-small-01"]) { client, _ in
            let started = try await client.call(.post, "/clinics/small/optimizations", #"{"timeLimitSeconds": 2}"#)
            #expect(started.status == 202)
            #expect(started["status"]?.stringValue == "running")
            let second = try await client.call(.post, "/clinics/small/optimizations", #"{"timeLimitSeconds": 2}"#)
            #expect(second.status == 409)
            #expect(second.errorCode == "optimization-running")
            #expect(try await client.call(.post, "/clinics/small/optimizations", #"{"timeLimitSeconds": -1}"#)["error"]?["field"]?.stringValue
                    == "timeLimitSeconds")
            var latest = started
            for _ in 0..<300 where latest["status"]?.stringValue == "running" {
                try await Task.sleep(for: .milliseconds(100))
                latest = try await client.call(.get, "/clinics/small/optimizations/latest")
            }
            #expect(latest["status"]?.stringValue == "applied")
            let start = try #require(latest["startCost"]?.numberValue)
            let best = try #require(latest["bestCost"]?.numberValue)
            #expect(best <= start)
            #expect((latest["newlyBooked"]?.numberValue ?? 0) + (latest["moved"]?.numberValue ?? 0) > 0)
            let snapshot = try await client.call(.get, "/clinics/small/snapshot")
            #expect(try refereeChecks(snapshot.text).valid)
        }
    }
}

/// A store that refuses to append while `failing` is set (a full disk, a lost database).
final class FailingStore: ClinicStore {
    let inner: SQLiteStore
    let failing = Mutex(false)

    init() throws { inner = try SQLiteStore(path: nil) }

    struct Refused: Error {}

    func clinicIDs() throws -> [String] { try inner.clinicIDs() }
    func create(clinic: String, snapshot: StoredSnapshot) throws { try inner.create(clinic: clinic, snapshot: snapshot) }
    func append(clinic: String, lines: [StoredLine], snapshot: StoredSnapshot?) throws {
        if failing.withLock({ $0 }) { throw Refused() }
        try inner.append(clinic: clinic, lines: lines, snapshot: snapshot)
    }
    func load(clinic: String) throws -> StoredClinic? { try inner.load(clinic: clinic) }
    func journal(clinic: String, after sequence: Int) throws -> [StoredLine] { try inner.journal(clinic: clinic, after: sequence) }
}
