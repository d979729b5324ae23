import AppointmentModel
import Synchronization

/// The booking front that many tasks call at once: one ``BookingEngine`` behind a lock.
///
/// Every call runs whole under the lock, so an offer search sees one consistent state and a
/// booking is all or nothing; two callers racing for the same slot get one success and one
/// ``BookingError/slotTaken(_:_:)``. Calls are synchronous and short (microseconds): no `await`
/// is held across the lock.
public final class BookingDesk: Sendable {
    private let engine: Mutex<BookingEngine>

    /// A desk over `instance`, which must pass the instance checker.
    ///
    /// - Throws: ``InvalidInstanceError`` with the checker's errors, each naming its field and id.
    public init(_ instance: Instance) throws(InvalidInstanceError) {
        let errors = InstanceChecker.errors(in: instance)
        guard errors.isEmpty else { throw InvalidInstanceError(issues: errors) }
        engine = Mutex(BookingEngine(instance))
    }

    /// A desk holding the bookings of `solution` on `instance` (see
    /// ``BookingEngine/init(_:loading:)``).
    public init(_ instance: Instance, loading solution: Solution) throws(BookingError) {
        engine = Mutex(try BookingEngine(instance, loading: solution))
    }

    /// The best offers for request `id` that answer `query`.
    public func offers(for request: String, query: OfferQuery, policy: some RankingPolicy = BestFit()) -> OfferResult {
        engine.withLock { $0.offers(for: request, query: query, policy: policy) }
    }

    /// A desk over `engine` as it is: its state is taken whole and the instance is not checked again.
    public init(engine: BookingEngine) {
        self.engine = Mutex(engine)
    }

    /// The best offers for `request` right now, at most `limit`, ranked by `policy`, or why there
    /// are none (see ``BookingEngine/offers(for:limit:policy:)``).
    public func offers(for request: String, limit: Int = 5, policy: some RankingPolicy = BestFit()) -> OfferResult {
        engine.withLock { $0.offers(for: request, limit: limit, policy: policy) }
    }

    /// Books every placement of `offer`, all or nothing (see ``BookingEngine/book(_:)``).
    public func book(_ offer: Offer) throws(BookingError) {
        try engine.withLock { (e: inout BookingEngine) throws(BookingError) in try e.book(offer) }
    }

    /// Cancels the booking of `request`, the whole group for a group member (see ``BookingEngine/cancel(_:)``).
    public func cancel(_ request: String) throws(BookingError) {
        try engine.withLock { (e: inout BookingEngine) throws(BookingError) in try e.cancel(request) }
    }

    /// Moves booked requests to the placements of `offer`, all or nothing (see ``BookingEngine/move(_:)``).
    public func move(_ offer: Offer) throws(BookingError) {
        try engine.withLock { (e: inout BookingEngine) throws(BookingError) in try e.move(offer) }
    }

    /// Finds the best offer and books it in one step (nobody can take it in between).
    public func bookBest(_ request: String, policy: some RankingPolicy = BestFit()) -> Result<Offer, BookingError>? {
        engine.withLock { e in
            guard let best = e.offers(for: request, limit: 1, policy: policy).offers.first else { return nil }
            do throws(BookingError) {
                try e.book(best)
                return .success(best)
            } catch {
                return .failure(error)
            }
        }
    }

    /// The current booking of `request`, if any.
    public func booking(of request: String) -> Placement? { engine.withLock { $0.booking(of: request) } }

    /// A copy of the current state.
    public var snapshot: BookingEngine { engine.withLock { $0 } }
}

/// An instance that cannot be booked against: the instance checker's errors.
public struct InvalidInstanceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The checker's errors, each naming its field and id.
    public var issues: [InstanceIssue]

    /// The first ten errors on one line, and how many more there are.
    public var description: String {
        "the instance is invalid: " + issues.prefix(10).map(\.description).joined(separator: "; ")
            + (issues.count > 10 ? " (and \(issues.count - 10) more)" : "")
    }
}
