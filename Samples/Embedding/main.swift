import AppointmentOptimizer
import Foundation

let clinic = try ExchangeFormat.readInstance(contentsOf: URL(fileURLWithPath: "clinic.json"))
let desk = try BookingDesk(clinic)                               // real-time booking, safe across tasks
if let offer = desk.offers(for: "RQ-07", limit: 3).offers.first { try desk.book(offer) }
let report = ScheduleValidator(clinic).validate(desk.snapshot.solution())
print(report.isValid, report.cost.total, report.cost.idleMinutes)

// The living clinic: every change atomic, repaired, journaled (Docs/living-clinic.md).
let day = try ClinicDesk(clinic)
let sick = day.apply(ClinicEvent(at: day.state.now + 5, .block(provider: "DR-ADAMS", span: TimeSpan(start: 600, end: 660),
                                                                reason: "sick", repair: true)))
print(sick.displaced.map(\.reason), sick.repaired.map(\.to), sick.waiting, sick.journal as Any)
let (snapshot, _) = day.snapshot()                              // a clinic-schedule/2 instance for the night
