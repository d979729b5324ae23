import AppointmentOptimizer
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// The HTTP API (documented in `openapi.json`, served at `/openapi.json`).
///
/// Every change goes through one path: the call becomes a line of the event stream
/// (`clinic-events.md`), read by the library's reader (so that its errors name the field and the
/// id), applied by the clinic's desk and stored in the transaction that acknowledges it. A call
/// that names no `at` happens now: at the desk's clock, or the wall clock when later.
public struct ClinicAPI: Sendable {
    public let registry: ClinicRegistry
    /// The Prometheus text of the metrics, served at `/metrics`; nil serves nothing there.
    public let metricsText: (@Sendable () -> String)?

    public init(registry: ClinicRegistry, metricsText: (@Sendable () -> String)? = nil) {
        self.registry = registry
        self.metricsText = metricsText
    }

    /// The router of the whole API, with its middleware: JSON errors, request ids, request logs
    /// and metrics.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        addOperations(to: router)
        addClinics(to: router)
        addChanges(to: router)
        addOutputs(to: router)
        addOptimizations(to: router)
        return router
    }

    // MARK: Service

    private func addOperations(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in
            Reply.json(.object(JSONObject(["status": .string("ok"), "clinics": .number(Double(registry.ids.count))])))
        }
        router.get("/openapi.json") { _, _ in
            Reply.text(OpenAPIDocument.text, contentType: "application/json")
        }
        router.get("/metrics") { _, _ in
            guard let metricsText else { throw APIError(.notFound, "no-metrics", "metrics are not collected by this service") }
            return Reply.text(metricsText(), contentType: "text/plain; version=0.0.4")
        }
    }

    // MARK: Clinics

    private func addClinics(to router: Router<BasicRequestContext>) {
        router.get("/clinics") { _, _ in
            Reply.json(.object(JSONObject(["clinics": .array(registry.ids.compactMap { registry.clinic($0)?.summary() })])))
        }
        router.put("/clinics/{clinic}") { request, context in
            let id = try context.parameters.require("clinic")
            guard id.count <= 64, !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw APIError(.badRequest, "invalid-id", "a clinic id is 1 to 64 letters, digits, '-', '_' or '.'", field: "clinic")
            }
            let bytes = try await body(request)
            let instance: Instance
            do throws(FormatError) { instance = try ExchangeFormat.readInstance(bytes) } catch { throw APIError(error, what: "the instance") }
            let clinic = try registry.create(id, from: instance)
            return Reply.json(clinic.summary(), status: .created)
        }
        router.get("/clinics/{clinic}") { _, context in
            Reply.json(try clinic(context).summary())
        }
        router.get("/clinics/{clinic}/snapshot") { _, context in
            let clinic = try clinic(context)
            let (instance, sequence) = clinic.desk.snapshot()
            var response = Reply.text(ExchangeFormat.write(instance), contentType: "application/json")
            response.headers[HTTPField.Name("x-journal-sequence")!] = String(sequence)
            return response
        }
        router.get("/clinics/{clinic}/schedule") { _, context in
            let clinic = try clinic(context)
            let state = clinic.desk.state
            return Reply.text(ExchangeFormat.write(state.solution(), for: state.instance), contentType: "application/json")
        }
        router.get("/clinics/{clinic}/journal") { request, context in
            let clinic = try clinic(context)
            let after = try intQuery(request, "after") ?? 0
            let lines = try clinic.store.journal(clinic: clinic.id, after: after)
            return Reply.text(lines.map { $0.line + "\n" }.joined(), contentType: "application/jsonl")
        }
    }

    // MARK: Changes

    private func addChanges(to router: Router<BasicRequestContext>) {
        // Any line of the event stream.
        router.post("/clinics/{clinic}/events") { request, context in
            let clinic = try clinic(context)
            return try change(clinic, try await object(request), context: context)
        }
        router.post("/clinics/{clinic}/requests") { request, context in
            let clinic = try clinic(context)
            var body = try await object(request)
            let at = body.remove("at")
            var o = JSONObject()
            if let at { o.append("at", at) }
            o.append("op", .string("arrive"))
            o.append("request", .object(body))
            return try change(clinic, o, context: context, created: true)
        }
        router.get("/clinics/{clinic}/requests/{request}") { _, context in
            let clinic = try clinic(context)
            let id = try context.parameters.require("request")
            guard let json = clinic.json(request: id) else {
                throw APIError(.notFound, "unknown-request", "no request \(id) in clinic \(clinic.id)", field: "request", id: id)
            }
            return Reply.json(json)
        }
        router.get("/clinics/{clinic}/requests/{request}/offers") { request, context in
            let clinic = try clinic(context)
            let id = try context.parameters.require("request")
            let limit = try intQuery(request, "limit") ?? 5
            guard (1...50).contains(limit) else { throw APIError(.badRequest, "invalid-field", "limit is 1 to 50", field: "limit") }
            guard clinic.desk.state.instance.requests.contains(where: { $0.id == id }) else {
                throw APIError(.notFound, "unknown-request", "no request \(id) in clinic \(clinic.id)", field: "request", id: id)
            }
            return Reply.json(clinic.json(clinic.desk.offers(for: id, limit: limit), request: id))
        }
        // The changes that are one event line each: the op, the members from the path, the rest
        // from the body or the query.
        for route in Self.eventRoutes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                let clinic = try clinic(context)
                var o: JSONObject
                switch route.members {
                case .body: o = try await object(request)
                case .optionalBody: o = try await object(request, optional: true)
                case .query(let keys):
                    o = JSONObject()
                    for key in keys { if let v = request.uri.queryParameters.get(key) { o.append(key, .string(String(v))) } }
                }
                o.set("op", .string(route.op))
                for (member, parameter) in route.pathMembers { o.set(member, .string(try context.parameters.require(parameter))) }
                return try change(clinic, o, context: context, created: route.created)
            }
        }
        router.get("/clinics/{clinic}/fill/proposal") { _, context in
            let clinic = try clinic(context)
            return Reply.json(.object(JSONObject(["placements": .array(clinic.desk.proposeFill().map(clinic.json))])))
        }
    }

    /// Where a change's other members come from.
    enum Members: Sendable { case body, optionalBody, query([String]) }

    /// A route that is one event line.
    struct EventRoute: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var op: String
        var members: Members
        /// (member of the line, path parameter).
        var pathMembers: [(String, String)] = []
        var created = false
    }

    static let eventRoutes: [EventRoute] = [
        EventRoute(method: .post, path: "/clinics/{clinic}/requests/{request}/book", op: "book", members: .optionalBody,
                   pathMembers: [("request", "request")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/requests/{request}/confirm", op: "confirm", members: .optionalBody,
                   pathMembers: [("request", "request")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/requests/{request}/cancel", op: "cancel", members: .optionalBody,
                   pathMembers: [("request", "request")]),
        EventRoute(method: .put, path: "/clinics/{clinic}/requests/{request}/placement", op: "place", members: .body,
                   pathMembers: [("request", "request")]),
        EventRoute(method: .delete, path: "/clinics/{clinic}/requests/{request}/placement", op: "unbook", members: .query(["at"]),
                   pathMembers: [("request", "request")]),
        EventRoute(method: .put, path: "/clinics/{clinic}/requests/{request}/authorization", op: "authorize", members: .body,
                   pathMembers: [("request", "request")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/providers/{provider}/blocks", op: "block", members: .body,
                   pathMembers: [("provider", "provider")]),
        EventRoute(method: .delete, path: "/clinics/{clinic}/providers/{provider}/blocks", op: "unblock",
                   members: .query(["at", "start", "end"]), pathMembers: [("provider", "provider")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/rooms/{room}/closings", op: "closeRoom", members: .body,
                   pathMembers: [("room", "room")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/holds", op: "hold", members: .body, created: true),
        EventRoute(method: .delete, path: "/clinics/{clinic}/holds/{hold}", op: "releaseHold", members: .query(["at"]),
                   pathMembers: [("id", "hold")]),
        EventRoute(method: .post, path: "/clinics/{clinic}/fill", op: "fill", members: .optionalBody),
    ]

    /// Applies one change given as an event line's members; `at` absent: now.
    private func change(_ clinic: Clinic, _ members: JSONObject, context: BasicRequestContext, created: Bool = false) throws -> Response {
        var o = members
        let implicit = o["at"] == nil
        // The reader needs an `at`; the desk then applies the change at its clock or the wall clock.
        if implicit { o.set("at", .string(clinic.instant(clinic.desk.state.now))) }
        let event: ClinicEvent
        do { event = try ClinicEvent.read(line: Array(JSONWriter.writeLine(.object(o)).utf8), instance: clinic.base) } catch {
            throw APIError(error, what: "the change")
        }
        let outcome: ChangeOutcome
        do {
            outcome = implicit ? try clinic.apply(event.change, notBefore: clinic.wallClockMinute() ?? Int.min) : try clinic.apply(event)
        } catch {
            context.logger.error("the store refused a change", metadata: ["clinic": "\(clinic.id)", "error": "\(error)"])
            throw APIError(.serviceUnavailable, "not-stored", "the change was neither stored nor made (\(error)); try again",
                           field: nil, id: clinic.id)
        }
        ServiceMetrics.record(outcome)
        if let why = outcome.refusal {
            let subject = event.change.subject
            let notFound = why.hasPrefix("unknown ") || why.hasPrefix("no hold ")
            var error = APIError(notFound ? .notFound : .conflict, notFound ? "not-found" : "refused", why, field: subject?.field, id: subject?.id)
            error.issues = []
            return Reply.json(merge(error.json, outcome: clinic.json(outcome)), status: error.status)
        }
        context.logger.info("change applied", metadata: ["clinic": "\(clinic.id)", "op": "\(event.change.op)",
                                                         "journal": "\(outcome.journal.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "-")"])
        return Reply.json(clinic.json(outcome), status: created ? .created : .ok)
    }

    /// The error with the outcome beside it (what was asked, and that nothing changed).
    private func merge(_ error: JSONValue, outcome: JSONValue) -> JSONValue {
        guard case .object(var o) = error else { return error }
        o.append("outcome", outcome)
        return .object(o)
    }

    // MARK: Outputs

    private func addOutputs(to router: Router<BasicRequestContext>) {
        router.get("/clinics/{clinic}/manifests") { request, context in
            let clinic = try clinic(context)
            let state = clinic.desk.state
            let view = ScheduleView(state.instance, state.solution())
            let day = try date(request, clinic: clinic, view: view)
            let provider = request.uri.queryParameters.get("provider").map { String($0) }
            let room = request.uri.queryParameters.get("room").map { String($0) }
            var manifests: [Manifest] = []
            if room == nil { manifests += Manifest.providers(view, date: day, only: provider) }
            if provider == nil { manifests += Manifest.rooms(view, date: day, only: room) }
            let format = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
            switch format {
            case "json": return Reply.json(.array(manifests.map(\.json)))
            case "csv": return Reply.text(Manifest.csv(manifests), contentType: "text/csv")
            case "markdown": return Reply.text("# \(state.instance.name) — \(day)\n\n" + manifests.map(\.markdown).joined(separator: "\n"),
                                                contentType: "text/markdown")
            case "html": return Reply.text(Manifest.html(manifests, title: "\(state.instance.name) — \(day)"), contentType: "text/html")
            case let other: throw APIError(.badRequest, "invalid-field", "format \(other): expected json, csv, markdown or html", field: "format")
            }
        }
        router.get("/clinics/{clinic}/providers/{provider}/calendar") { _, context in
            let clinic = try clinic(context)
            let provider = try context.parameters.require("provider")
            let state = clinic.desk.state
            guard state.instance.providers.contains(where: { $0.id == provider }) else {
                throw APIError(.notFound, "unknown-provider", "no provider \(provider) in clinic \(clinic.id)", field: "provider", id: provider)
            }
            let feed = ICalendar.feed(.provider(provider), view: ScheduleView(state.instance, state.solution()))
            return Reply.text(feed.text, contentType: "text/calendar")
        }
        router.get("/clinics/{clinic}/rooms/{room}/calendar") { _, context in
            let clinic = try clinic(context)
            let room = try context.parameters.require("room")
            let state = clinic.desk.state
            guard state.instance.rooms.contains(where: { $0.id == room }) else {
                throw APIError(.notFound, "unknown-room", "no room \(room) in clinic \(clinic.id)", field: "room", id: room)
            }
            let feed = ICalendar.feed(.room(room), view: ScheduleView(state.instance, state.solution()))
            return Reply.text(feed.text, contentType: "text/calendar")
        }
        router.get("/clinics/{clinic}/metrics") { request, context in
            let clinic = try clinic(context)
            let state = clinic.desk.state
            let view = ScheduleView(state.instance, state.solution())
            let day = try request.uri.queryParameters.get("date") == nil ? nil : date(request, clinic: clinic, view: view)
            return Reply.json(Metrics(view, date: day).json())
        }
    }

    // MARK: Nightly optimisation

    private func addOptimizations(to router: Router<BasicRequestContext>) {
        router.post("/clinics/{clinic}/optimizations") { request, context in
            let clinic = try clinic(context)
            let body = try await object(request, optional: true)
            var seconds = 60.0
            if let v = body["timeLimitSeconds"] {
                guard case .number(let s) = v, s > 0, s <= registry.settings.maxOptimizationSeconds else {
                    throw APIError(.badRequest, "invalid-field",
                                   "timeLimitSeconds is a number of seconds above 0 and at most \(registry.settings.maxOptimizationSeconds)",
                                   field: "timeLimitSeconds")
                }
                seconds = s
            }
            let job = try clinic.startOptimization(seconds: seconds, logger: context.logger)
            return Reply.json(job.json(clinic), status: .accepted)
        }
        router.get("/clinics/{clinic}/optimizations/latest") { _, context in
            let clinic = try clinic(context)
            guard let job = clinic.optimization.withLock({ $0 }) else {
                throw APIError(.notFound, "no-optimization", "clinic \(clinic.id) has not been optimised since the service started", field: "clinic", id: clinic.id)
            }
            return Reply.json(job.json(clinic))
        }
        router.delete("/clinics/{clinic}/optimizations/latest") { _, context in
            let clinic = try clinic(context)
            guard let job = clinic.cancelOptimization() else {
                throw APIError(.conflict, "not-running", "no optimisation of clinic \(clinic.id) is running", field: "clinic", id: clinic.id)
            }
            return Reply.json(job.json(clinic), status: .accepted)
        }
    }

    // MARK: Reading requests

    private func clinic(_ context: BasicRequestContext) throws -> Clinic {
        let id = try context.parameters.require("clinic")
        guard let clinic = registry.clinic(id) else {
            throw APIError(.notFound, "unknown-clinic", "no clinic \(id); create it with PUT /clinics/\(id)", field: "clinic", id: id)
        }
        return clinic
    }

    private func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        let buffer = try await request.collectBody(upTo: registry.settings.maxBodyBytes)
        return Array(buffer.readableBytesView)
    }

    /// The body as a JSON object (an empty body is an empty object when `optional`).
    private func object(_ request: Request, optional: Bool = false) async throws -> JSONObject {
        let bytes = try await body(request)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if optional { return JSONObject() }
            throw APIError(.badRequest, "missing-body", "this call needs a JSON object as its body", field: "body")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw APIError(.badRequest, "invalid-json", "the body is not JSON: \(error)", field: "body")
        }
        guard case .object(let o) = value else {
            throw APIError(.badRequest, "invalid-json", "the body must be a JSON object", field: "body")
        }
        return o
    }

    private func intQuery(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let v = Int(text) else { throw APIError(.badRequest, "invalid-field", "\(name) is a whole number, found \(text)", field: name) }
        return v
    }

    private func date(_ request: Request, clinic: Clinic, view: ScheduleView) throws -> LocalDate {
        guard let text = request.uri.queryParameters.get("date") else {
            return view.clock.local(clinic.base.horizon.start, at: clinic.base.locations.first?.id).date
        }
        guard let d = LocalDate(String(text)) else {
            throw APIError(.badRequest, "invalid-field", "date \(text): expected YYYY-MM-DD", field: "date")
        }
        return d
    }
}

extension JSONObject {
    /// Sets `key` (replacing every member of that name).
    mutating func set(_ key: String, _ value: JSONValue) {
        _ = remove(key)
        append(key, value)
    }

    /// Removes every member named `key`; returns the first one's value.
    mutating func remove(_ key: String) -> JSONValue? {
        let found = self[key]
        var kept = JSONObject()
        for (k, v) in zip(keys, values) where k != key { kept.append(k, v) }
        self = kept
        return found
    }
}

extension ClinicEvent.Change {
    /// The field and id a refusal is about.
    var subject: (field: String, id: String)? {
        switch self {
        case .arrive(let r): ("request.id", r.id)
        case .book(let id), .cancel(let id), .confirm(let id), .unbook(let id), .authorize(let id, _, _): ("request", id)
        case .place(let p): ("request", p.request)
        case .block(let p, _, _, _), .unblock(let p, _): ("provider", p)
        case .closeRoom(let r, _, _): ("room", r)
        case .hold(let h, _): ("id", h.id)
        case .releaseHold(let id): ("id", id)
        case .fill: nil
        }
    }
}
