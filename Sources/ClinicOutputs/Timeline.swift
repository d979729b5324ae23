import AppointmentModel

/// A picture of a local day: one row per provider, their sessions as pale bars, their visits as
/// blocks coloured by priority and labelled with the request id, idle gaps hatched. SVG 1.1.
public enum TimelineSVG {
    /// The SVG of local `date` on the first location's clock: a row per provider who works or sees
    /// someone that day, from the whole hour at or before the first session or visit to the end of
    /// the last (the whole day when there is none).
    public static func day(_ view: ScheduleView, date: LocalDate) -> String {
        let manifests = Manifest.providers(view, date: date).filter { !$0.hours.isEmpty || !$0.entries.isEmpty }
        let location = view.instance.locations.first?.id
        let day = view.clock.day(date, at: location)
        var first = day.end, last = day.start
        for m in manifests {
            for s in view.sessions(ofProvider: m.subject, within: day) { first = min(first, s.span.start); last = max(last, s.span.end) }
            for e in m.entries { first = min(first, e.visit.span.start); last = max(last, e.visit.span.end) }
        }
        if first >= last { first = day.start; last = day.end }
        first -= first % 60
        let rowHeight = 28, labelWidth = 110, width = 1000
        let scale = Double(width - labelWidth - 20) / Double(last - first)
        func x(_ m: Int) -> Double { Double(labelWidth) + Double(m - first) * scale }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        let height = 40 + rowHeight * max(manifests.count, 1)
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="10">
        <title>\(esc(view.instance.name)) — \(date)</title>

        """
        var hour = first
        while hour <= last {
            let t = view.clock.local(hour, at: location)
            out += String(format: "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>", x(hour), x(hour), height)
            out += String(format: "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">", x(hour)) + t.time + "</text>\n"
            hour += 60
        }
        let colour: [Priority: String] = [.urgent: "#d9534f", .soon: "#f0ad4e", .routine: "#5b9bd5"]
        for (k, m) in manifests.enumerated() {
            let y = 24 + k * rowHeight
            out += "<text x=\"4\" y=\"\(y + 17)\">\(esc(m.subject))</text>\n"
            for s in view.sessions(ofProvider: m.subject, within: day) {
                out += String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eee\" stroke=\"#bbb\"/>\n",
                              x(s.span.start), y, Double(s.span.duration) * scale, rowHeight - 4)
            }
            for g in view.idleGaps(ofProvider: m.subject, within: day) {
                out += String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fbe3e3\"><title>idle %d min</title></rect>\n",
                              x(g.start), y + 2, Double(g.duration) * scale, rowHeight - 8, g.duration)
            }
            for e in m.entries {
                let v = e.visit
                out += String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" ", x(v.span.start), y + 2,
                              Double(v.span.duration) * scale, rowHeight - 8) + "fill=\"\(colour[v.priority] ?? "#999")\" stroke=\"#333\">"
                out += "<title>\(esc(v.request)) \(esc(v.type)) \(e.start.time)–\(e.end.time) \(esc(v.room ?? "telehealth"))</title></rect>\n"
                out += String(format: "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\">", x(v.span.start) + 2, y + 16) + esc(v.request) + "</text>\n"
            }
        }
        return out + "</svg>\n"
    }
}
