/// One problem found in an instance or a document, naming where it is and the id involved.
///
/// `description` reads like `requests[17] (R0018).type: unknown appointment type "x-ray"`.
public struct InstanceIssue: Sendable, Hashable, CustomStringConvertible {
    /// How bad an issue is.
    public enum Severity: String, Sendable, Hashable {
        /// The instance cannot be scheduled as written.
        case error
        /// Legal but suspicious (for example a request that can never be scheduled).
        case warning
    }

    /// Whether the issue is an error or a warning.
    public var severity: Severity
    /// Where: a JSON path with the element's id, e.g. `providers[3] (PRV-004).shifts[1]`.
    public var path: String
    /// The id of the element concerned, when it has one.
    public var id: String?
    /// What is wrong, in words a coordinator can read.
    public var message: String

    /// Creates an issue from its parts.
    public init(_ severity: Severity, path: String, id: String? = nil, message: String) {
        self.severity = severity
        self.path = path
        self.id = id
        self.message = message
    }

    /// The issue as `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// A document that cannot be read: malformed JSON or fields of the wrong shape.
/// Every problem found is listed, not only the first.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being read ("instance", "solution").
    public var document: String
    /// Every problem found in the document.
    public var issues: [InstanceIssue]

    /// Creates a format error from its parts.
    public init(document: String, issues: [InstanceIssue]) {
        self.document = document
        self.issues = issues
    }

    /// The document and its one issue, or the count and then one issue a line (at most 50 listed).
    public var description: String {
        if issues.count == 1 { return "\(document): \(issues[0])" }
        let head = "\(document): \(issues.count) problems"
        return ([head] + issues.prefix(50).map { "  - \($0)" }
                + (issues.count > 50 ? ["  … \(issues.count - 50) more"] : [])).joined(separator: "\n")
    }
}
