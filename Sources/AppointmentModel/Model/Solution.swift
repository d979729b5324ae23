/// A request placed: one provider per role (in role order), a room (nil for telehealth), a start.
public struct Assignment: Sendable, Hashable {
    /// The id of the request placed.
    public var request: String
    /// One provider id per role, in role order.
    public var providers: [String]
    /// The room's id; nil for telehealth.
    public var room: String?
    /// Timeline minute of the visit start.
    public var start: Int

    /// Creates an assignment from its parts.
    public init(request: String, providers: [String], room: String?, start: Int) {
        self.request = request
        self.providers = providers
        self.room = room
        self.start = start
    }
}

/// A request left out, with the reason a coordinator can read.
public struct Unscheduled: Sendable, Hashable {
    /// The id of the request left out.
    public var request: String
    /// Why the request was left out, as free text.
    public var reason: String

    /// Creates an unscheduled entry from its parts.
    public init(request: String, reason: String) {
        self.request = request
        self.reason = reason
    }
}

/// An answer to an instance: every request once, assigned or unscheduled.
public struct Solution: Sendable, Hashable {
    /// The name of the instance this solution answers.
    public var instance: String
    /// The placed requests.
    public var assignments: [Assignment]
    /// The requests left out.
    public var unscheduled: [Unscheduled]
    /// The `format` field as read from a document; the validator checks it (rule 1).
    public var declaredFormat: String = ExchangeFormat.solutionFormat

    /// Creates a solution from its parts.
    public init(instance: String, assignments: [Assignment], unscheduled: [Unscheduled]) {
        self.instance = instance
        self.assignments = assignments
        self.unscheduled = unscheduled
    }

    /// The solution that keeps every existing booking exactly as it is and schedules nothing else.
    public static func baseline(of instance: Instance) -> Solution {
        var assignments: [Assignment] = []
        var unscheduled: [Unscheduled] = []
        for request in instance.requests {
            if let current = request.current {
                assignments.append(Assignment(request: request.id, providers: current.providers,
                                              room: current.room, start: current.start))
            } else {
                unscheduled.append(Unscheduled(request: request.id, reason: "baseline: not booked"))
            }
        }
        return Solution(instance: instance.name, assignments: assignments, unscheduled: unscheduled)
    }
}
