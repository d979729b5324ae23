/// One problem found in an instance or a document, naming where it is and the id involved.
///
/// `description` reads like `requests[17] (R0018).type: unknown appointment type "x-ray"`.
public struct InstanceIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// The instance cannot be scheduled as written.
        case error
        /// Legal but suspicious (for example a request that can never be scheduled).
        case warning
    }

    public var severity: Severity
    /// Where: a JSON path with the element's id, e.g. `providers[3] (PRV-004).shifts[1]`.
    public var path: String
    /// The id of the element concerned, when it has one.
    public var id: String?
    public var message: String

    public init(_ severity: Severity, path: String, id: String? = nil, message: String) {
        self.severity = severity
        self.path = path
        self.id = id
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A document that cannot be read: malformed JSON or fields of the wrong shape.
/// Every problem found is listed, not only the first.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being read ("instance", "solution").
    public var document: String
    public var issues: [InstanceIssue]

    public init(document: String, issues: [InstanceIssue]) {
        self.document = document
        self.issues = issues
    }

    public var description: String {
        if issues.count == 1 { return "\(document): \(issues[0])" }
        let head = "\(document): \(issues.count) problems"
        return ([head] + issues.prefix(50).map { "  - \($0)" }
                + (issues.count > 50 ? ["  … \(issues.count - 50) more"] : [])).joined(separator: "\n")
    }
}
