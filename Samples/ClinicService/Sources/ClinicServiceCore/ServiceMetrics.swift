import AppointmentOptimizer
import Metrics

/// The service's own metrics (swift-metrics; Prometheus at `/metrics` when the executable
/// bootstraps it): changes by operation and result, bookings, displaced, repaired, refills and
/// optimiser runs. Request latency comes from Hummingbird's `MetricsMiddleware`.
enum ServiceMetrics {
    static func record(_ outcome: ChangeOutcome) {
        let op = outcome.event.change.op
        Counter(label: "clinic_changes_total", dimensions: [("op", op), ("result", outcome.isApplied ? "applied" : "refused")]).increment()
        guard outcome.isApplied else { return }
        if !outcome.booked.isEmpty {
            Counter(label: op == "fill" ? "clinic_refills_total" : "clinic_bookings_total").increment(by: outcome.booked.count)
        }
        if !outcome.displaced.isEmpty { Counter(label: "clinic_displaced_total").increment(by: outcome.displaced.count) }
        if !outcome.repaired.isEmpty { Counter(label: "clinic_repaired_total").increment(by: outcome.repaired.count) }
    }
}
