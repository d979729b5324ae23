import AppointmentModel
import RealTimeBooking
import Testing
import TestSupport

/// Seeded random sequences of offers, bookings, cancellations and moves on generated clinics.
/// Replay a failure with its seed.
@Suite struct PropertyTests {
    @Test(arguments: Array(UInt64(1)...UInt64(24)))
    func randomOperationsKeepAValidScheduleAndEveryOfferIsBookable(seed: UInt64) throws {
        let instance = ClinicGenerator.make(seed: seed)
        #expect(InstanceChecker.errors(in: instance).isEmpty, "seed \(seed): \(InstanceChecker.errors(in: instance).prefix(3))")
        var engine = BookingEngine(instance)
        var rng = SplitMix64(seed: seed &* 7919)
        var booked = 0, moved = 0, cancelled = 0
        for step in 0..<160 {
            let request = instance.requests[Int(rng.next() % UInt64(instance.requests.count))]
            let bestFit = rng.next() % 2 == 0
            func offers(_ limit: Int) -> OfferResult {
                bestFit ? engine.offers(for: request.id, limit: limit, policy: BestFit())
                    : engine.offers(for: request.id, limit: limit, policy: EarliestFirst())
            }
            if engine.isBooked(request.id) {
                if rng.next() % 2 == 0 {
                    do {
                        try engine.cancel(request.id)
                        cancelled += 1
                    } catch {
                        // The one allowed refusal: a series successor is still booked.
                        guard case .successorBooked = error else { throw error }
                    }
                } else {
                    let result = offers(3)
                    if !result.offers.isEmpty, case let offer = result.offers[Int(rng.next() % UInt64(result.offers.count))] {
                        try engine.move(offer)  // every offer is bookable at that moment
                        moved += 1
                    }
                }
            } else {
                let result = offers(4)
                if !result.offers.isEmpty, case let offer = result.offers[Int(rng.next() % UInt64(result.offers.count))] {
                    try engine.book(offer)
                    booked += 1
                    for p in offer.placements { #expect(engine.booking(of: p.request) == p) }
                } else {
                    #expect(result.explanation?.main != nil, "seed \(seed) step \(step): no offer and no reason")
                }
            }
            if step % 20 == 19 || step == 159 {
                let report = ScheduleValidator(instance).validate(engine.solution())
                #expect(report.isValid, "seed \(seed) step \(step): \(report.violations.prefix(3))")
            }
        }
        #expect(booked > 0)
        _ = (moved, cancelled)
    }
}
