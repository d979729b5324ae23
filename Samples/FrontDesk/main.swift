// A front desk's morning with the real-time booking engine: load a clinic, ask for offers,
// book, hit a conflict, move, cancel, and read the explanations when nothing fits.
//
//     swift run front-desk [CLINIC.json]
import AppointmentOptimizer
import Foundation

let path = CommandLine.arguments.dropFirst().first ?? "Samples/clinics/riverside-clinic.json"
let clinic: Instance
do {
    clinic = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: path))
} catch {
    print("cannot read \(path): \(error)")
    exit(2)
}
let desk = try BookingDesk(clinic)

func clock(_ minute: Int) -> String {
    String(format: "day %d %02d:%02d", minute / 1440 + 1, minute % 1440 / 60, minute % 60)
}

func show(_ offer: Offer) -> String {
    offer.placements.map { p in
        "\(p.request) \(clock(p.start)) with \(p.providers.joined(separator: " + ")) in \(p.room ?? "telehealth")"
    }.joined(separator: "; ") + String(format: "  (marginal cost %.2f, idle %+d min)", offer.cost.total, offer.cost.idleMinutes)
}

print("== \(clinic.name): \(clinic.requests.count) requests, \(clinic.providers.count) providers, \(clinic.rooms.count) rooms")

// 1. An urgent caller: what can we offer?
print("\n1. Offers for the urgent follow-up RQ-07:")
let offers = desk.offers(for: "RQ-07", limit: 3)
for (i, offer) in offers.offers.enumerated() { print("   \(i + 1). \(show(offer))") }

// 2. Book the best one.
guard let chosen = offers.offers.first else { print("no offer"); exit(1) }
do {
    try desk.book(chosen)
    print("\n2. Booked: \(show(chosen))")
} catch {
    print("booking failed: \(error)")
    exit(1)
}

// 3. A second caller grabs a stale offer for the same provider and time: a typed conflict.
var stale = chosen
stale.placements[0].request = "RQ-14"
stale.placements[0].room = chosen.placements[0].room == "RIV-EX2" ? "RIV-EX1" : "RIV-EX2"
do {
    try desk.book(stale)
    print("\n3. unexpected: the stale offer was booked")
    exit(1)
} catch {
    print("\n3. Stale offer refused: \(error)")
}

// 4. The family visit is booked whole, one after the other.
if let family = desk.offers(for: "RQ-09", limit: 1).offers.first {
    try? desk.book(family)
    print("\n4. Family booked together: \(show(family))")
}

// 5. RQ-02 asks to come at another time: move it (all or nothing).
if let move = desk.offers(for: "RQ-02", limit: 1).offers.first {
    do {
        try desk.move(move)
        print("\n5. Moved: \(show(move))")
    } catch {
        print("\n5. Move refused: \(error)")
    }
}

// 6. The pinned booking stays put.
if let any = desk.offers(for: "RQ-01", limit: 1).offers.first {
    do { try desk.move(any) } catch { print("\n6. \(error)") }
}

// 7. A cancellation frees the slot again.
do {
    try desk.cancel("RQ-07")
    print("\n7. Cancelled RQ-07; it is \(desk.booking(of: "RQ-07") == nil ? "free again" : "still booked")")
} catch {
    print("\n7. Cancel refused: \(error)")
}

// 8. When nothing fits, say why.
let followUp = desk.offers(for: "RQ-12")
print("\n8. RQ-12 (a follow-up one to two days after RQ-11, not booked yet): "
      + (followUp.explanation.map { "no offer because \($0)" } ?? "\(followUp.offers.count) offers"))

// The state is a valid schedule.
let report = ScheduleValidator(clinic).validate(desk.snapshot.solution())
print("\nSchedule valid: \(report.isValid); cost \(String(format: "%.2f", report.cost.total)), \(report.assigned) booked")
exit(report.isValid ? 0 : 1)
