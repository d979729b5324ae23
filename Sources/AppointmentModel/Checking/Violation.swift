/// A broken hard rule of the spec, with the requests involved.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    /// The named checks; raw values match `shared/tools/referee.py`.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        // rule 1: the document, ids, the grid and the horizon
        case solutionFormat = "solution-format", instanceName = "instance-name"
        case unknownRequest = "unknown-request", missing, duplicate
        case offGrid = "off-grid", outsideHorizon = "outside-horizon"
        case unknownProvider = "unknown-provider", unknownRoom = "unknown-room"
        // rule 2
        case window
        // rule 3
        case roleCount = "role-count", providerRepeated = "provider-repeated", skills
        case providerNotAllowed = "provider-not-allowed"
        // rule 4
        case noShift = "no-shift", shiftLocation = "shift-location", blocked
        // rule 5
        case roomMissing = "room-missing", roomKind = "room-kind", roomLocation = "room-location"
        case roomClosed = "room-closed", roomNotNull = "room-not-null"
        // rule 6
        case providerOverlap = "provider-overlap", roomOverlap = "room-overlap", patientOverlap = "patient-overlap"
        // rule 7
        case noPool = "no-pool", equipmentCapacity = "equipment-capacity"
        // rule 8
        case availability
        // rule 9: groups and series
        case groupPartial = "group-partial", groupSameStart = "group-same-start", groupSequence = "group-sequence"
        case seriesPredecessor = "series-predecessor", seriesGap = "series-gap"
        // rule 10
        case currentUnscheduled = "current-unscheduled", pinnedMoved = "pinned-moved"
        // rules 11–13 (format 2)
        case notAuthorized = "not-authorized", authorizationWindow = "authorization-window"
        case held, inThePast = "in-the-past"
    }

    /// The spec's rule number, 1–13 (groups and series are rule 9; 11–13 exist in format 2).
    public var rule: Int
    /// The named check that failed; its raw value is the referee's code.
    public var check: Check
    /// The requests involved, the main one first.
    public var requests: [String]
    /// A readable account of what is wrong.
    public var detail: String

    /// Creates a violation from its parts.
    public init(rule: Int, check: Check, requests: [String], detail: String) {
        self.rule = rule
        self.check = check
        self.requests = requests
        self.detail = detail
    }

    /// The violation as `rule N [check] requests: detail`.
    public var description: String {
        "rule \(rule) [\(check.rawValue)] \(requests.joined(separator: ",")): \(detail)"
    }
}
