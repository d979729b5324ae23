import CGLPKShim
import MIPModel

#if canImport(Glibc)
import Glibc
#endif

/// A ``MIPModel`` laid out as the C arrays the shim reads. Owns its memory; pointers stay valid
/// until it is deinitialised, so a C call may use them for its whole duration.
final class CompiledModel {
    private(set) var raw = aog_model()
    private var doubles: [UnsafeMutableBufferPointer<Double>] = []
    private var ints: [UnsafeMutableBufferPointer<Int32>] = []
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var nameTables: [UnsafeMutableBufferPointer<UnsafePointer<CChar>?>] = []

    init(_ model: MIPModel, withNames: Bool) {
        let n = model.variables.count
        let m = model.constraints.count
        let nz = model.constraints.reduce(0) { $0 + $1.terms.count }
        let obj = double(n), colLB = double(n), colUB = double(n), rowLB = double(m), rowUB = double(m), vals = double(nz)
        let kinds = int(n), rows = int(nz), cols = int(nz)
        for (j, v) in model.variables.enumerated() {
            obj[j] = v.objective
            colLB[j] = v.lowerBound
            colUB[j] = v.upperBound
            kinds[j] = switch v.kind {
            case .continuous: 0
            case .integer: 1
            case .binary: 2
            }
        }
        var k = 0
        for (i, c) in model.constraints.enumerated() {
            rowLB[i] = c.lowerBound
            rowUB[i] = c.upperBound
            for t in c.terms {
                rows[k] = Int32(i)
                cols[k] = Int32(t.variable.index)
                vals[k] = t.coefficient
                k += 1
            }
        }
        raw.name = UnsafePointer(string(model.name))
        raw.n_cols = Int32(n)
        raw.n_rows = Int32(m)
        raw.maximize = model.sense == .maximize ? 1 : 0
        raw.obj_constant = model.objectiveConstant
        raw.obj = UnsafePointer(obj.baseAddress)
        raw.col_lb = UnsafePointer(colLB.baseAddress)
        raw.col_ub = UnsafePointer(colUB.baseAddress)
        raw.col_kind = UnsafePointer(kinds.baseAddress)
        raw.row_lb = UnsafePointer(rowLB.baseAddress)
        raw.row_ub = UnsafePointer(rowUB.baseAddress)
        raw.n_nz = Int32(nz)
        raw.nz_row = UnsafePointer(rows.baseAddress)
        raw.nz_col = UnsafePointer(cols.baseAddress)
        raw.nz_val = UnsafePointer(vals.baseAddress)
        if model.variables.contains(where: \.branchesFirst) {
            let marks = int(n)
            for (j, v) in model.variables.enumerated() where v.branchesFirst { marks[j] = 1 }
            raw.branch_first = UnsafePointer(marks.baseAddress)
        }
        if withNames {
            raw.col_names = UnsafePointer(names(model.variables.map { Self.symbol($0.name) }).baseAddress)
            raw.row_names = UnsafePointer(names(model.constraints.map { Self.symbol($0.name) }).baseAddress)
        }
    }

    deinit {
        doubles.forEach { $0.deallocate() }
        ints.forEach { $0.deallocate() }
        strings.forEach { free($0) }
        nameTables.forEach { $0.deallocate() }
    }

    /// A name GLPK's LP and MPS writers accept: printable, no blanks, at most 255 bytes.
    static func symbol(_ name: String) -> String {
        let cleaned = String(name.unicodeScalars.map { $0.isASCII && $0.value > 32 && $0.value < 127 ? Character($0) : "_" })
        return String(cleaned.utf8.prefix(MIPModel.maxNameLength)) ?? "x"
    }

    private func double(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
        b.initialize(repeating: 0)
        doubles.append(b)
        return b
    }

    private func int(_ count: Int) -> UnsafeMutableBufferPointer<Int32> {
        let b = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(count, 1))
        b.initialize(repeating: 0)
        ints.append(b)
        return b
    }

    private func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        let p = strdup(s)!
        strings.append(p)
        return p
    }

    private func names(_ list: [String]) -> UnsafeMutableBufferPointer<UnsafePointer<CChar>?> {
        let table = UnsafeMutableBufferPointer<UnsafePointer<CChar>?>.allocate(capacity: max(list.count, 1))
        table.initialize(repeating: nil)
        for (i, s) in list.enumerated() where !s.isEmpty { table[i] = UnsafePointer(string(s)) }
        nameTables.append(table)
        return table
    }
}
