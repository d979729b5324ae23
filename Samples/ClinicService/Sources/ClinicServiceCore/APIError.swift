import AppointmentOptimizer
import HTTPTypes
import Hummingbird

/// An error the API answers with: JSON with a code, a message that says what to fix, and the
/// offending field and id when there is one.
///
///     {"error": {"code": "invalid-field", "message": "...", "field": "event(book).request", "id": "R7",
///                "issues": [{"field": ..., "id": ..., "message": ...}]}}
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var id: String?
    /// Every problem, when there are several (a document's fields).
    public var issues: [InstanceIssue] = []

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil, id: String? = nil,
                issues: [InstanceIssue] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.id = id
        self.issues = issues
    }

    /// A document that cannot be read: its first problem, and all of them in `issues`.
    init(_ error: FormatError, what: String) {
        let first = error.issues.first
        self.init(.badRequest, "invalid-field", first.map { "\(what): \($0.path): \($0.message)" } ?? "\(what) cannot be read",
                  field: first?.path, id: first?.id, issues: error.issues)
    }

    public var json: JSONValue {
        var e = JSONObject()
        e.append("code", .string(code))
        e.append("message", .string(message))
        e.append("field", field.map(JSONValue.string) ?? .null)
        e.append("id", id.map(JSONValue.string) ?? .null)
        if !issues.isEmpty {
            e.append("issues", .array(issues.prefix(100).map { i in
                .object(JSONObject(["field": .string(i.path), "id": i.id.map(JSONValue.string) ?? .null, "message": .string(i.message)]))
            }))
        }
        return .object(JSONObject(["error": .object(e)]))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Reply.json(json, status: status)
    }
}

/// Turns every error into a JSON error: the router's own (no such route, a body too large) and,
/// as a 500 that is logged, anything unexpected.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = Reply.json(error.json, status: error.status)
        } catch let error as HTTPError {
            let message: String = switch error.status {
            case .notFound: "no such route: \(request.method) \(request.uri.path); see /openapi.json"
            case .contentTooLarge: "the body is too large"
            case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path); see /openapi.json"
            default: error.body ?? error.status.reasonPhrase
            }
            response = Reply.json(APIError(error.status, "http-\(error.status.code)", message).json, status: error.status)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            response = Reply.json(APIError(.internalServerError, "internal", "the service failed; it is logged under this request's id").json,
                                  status: .internalServerError)
        }
        response.headers[HTTPField.Name("x-request-id")!] = context.id
        return response
    }
}

/// Responses of the API.
enum Reply {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        text(JSONWriter.write(value), contentType: "application/json", status: status)
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
