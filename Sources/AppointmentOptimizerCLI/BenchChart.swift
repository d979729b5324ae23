import Foundation

/// The harness's chart: one panel per instance, cost (as a multiple of the best reference, or of
/// the lowest cost seen) against wall time on a logarithmic axis; a point per replay strategy,
/// the batch optimiser's incumbent curve as a step line. Plain SVG, readable in any browser.
enum BenchChart {
    static let colours = ["earliest": "#d95f02", "best-fit": "#1b9e77", "batch": "#7570b3", "best-fit+batch": "#e7298a"]

    static func svg(_ rows: [Bench.Row]) -> String {
        let instances = rows.map(\.instance).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let columns = 3, panelW = 300.0, panelH = 210.0, margin = 46.0
        let rowsCount = (instances.count + columns - 1) / columns
        let width = Double(columns) * panelW + 20, height = Double(rowsCount) * panelH + 70
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="18" font-size="14">Cost (× best reference) against wall time (s, log scale), per instance and strategy</text>\n
        """
        var legendX = 10.0
        for (name, colour) in colours.sorted(by: { $0.key < $1.key }) {
            s += "<rect x=\"\(legendX)\" y=\"28\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(legendX + 14)\" y=\"37\">\(name)</text>\n"
            legendX += 110
        }
        for (k, instance) in instances.enumerated() {
            let list = rows.filter { $0.instance == instance }
            let x0 = Double(k % columns) * panelW + 10, y0 = Double(k / columns) * panelH + 50
            let scale = list.first?.best ?? list.map(\.cost.total).min() ?? 1
            let points = list.flatMap { $0.curve.map { (max($0.0, 1e-4), $0.1 / max(scale, 1e-9)) } }
            let tMin = log10(points.map(\.0).min() ?? 1e-3), tMax = max(log10(points.map(\.0).max() ?? 1), tMin + 1)
            let yMin = min(1, points.map(\.1).min() ?? 1), yMax = max(yMin * 1.05 + 0.01, points.map(\.1).max() ?? 2)
            let pw = panelW - margin - 10, ph = panelH - 60
            func px(_ t: Double) -> Double { x0 + margin + (log10(t) - tMin) / (tMax - tMin) * pw }
            func py(_ y: Double) -> Double { y0 + 20 + (1 - (y - yMin) / (yMax - yMin)) * ph }
            s += "<g><text x=\"\(x0 + margin)\" y=\"\(y0 + 12)\" font-weight=\"bold\">\(escape(instance))</text>\n"
            s += "<rect x=\"\(x0 + margin)\" y=\"\(y0 + 20)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#999\"/>\n"
            for y in [yMin, (yMin + yMax) / 2, yMax] {
                s += "<text x=\"\(x0 + 4)\" y=\"\(py(y) + 4)\">\(String(format: "%.2f", y))</text>\n"
            }
            for t in [tMin, (tMin + tMax) / 2, tMax] {
                s += "<text x=\"\(px(pow(10, t)) - 12)\" y=\"\(y0 + 34 + ph)\">\(String(format: "%.3g", pow(10, t)))</text>\n"
            }
            if yMin <= 1 && 1 <= yMax {
                s += "<line x1=\"\(x0 + margin)\" x2=\"\(x0 + margin + pw)\" y1=\"\(py(1))\" y2=\"\(py(1))\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>\n"
            }
            for r in list {
                let colour = colours[r.strategy] ?? "black"
                let curve = r.curve.map { (max($0.0, 1e-4), $0.1 / max(scale, 1e-9)) }
                if curve.count > 1 {
                    var d = ""
                    for (i, p) in curve.enumerated() {
                        d += i == 0 ? "M\(px(p.0)),\(py(p.1))" : " H\(px(p.0)) V\(py(p.1))"
                    }
                    s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
                }
                if let last = curve.last {
                    s += "<circle cx=\"\(px(last.0))\" cy=\"\(py(last.1))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(r.strategy)): \(String(format: "%.1f", r.cost.total))</title></circle>\n"
                }
            }
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
