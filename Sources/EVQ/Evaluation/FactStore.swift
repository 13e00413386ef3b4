/// The facts in columns: entities, metrics, units and sources dictionary-coded as integers, periods as
/// integer month ranges, values and bounds in flat arrays, and an index from (entity, metric) to rows
/// sorted by period, built once when facts are added.
public struct FactStore: Sendable {
    /// How a row's figure is bounded, as the data files spell it.
    public enum Bound: String, Sendable, CaseIterable {
        case exact, atLeast = "at-least", atMost = "at-most", approx, range, target, derived
    }

    public private(set) var entity: [Int32] = []
    public private(set) var metric: [Int32] = []
    public private(set) var start: [Int32] = []
    public private(set) var end: [Int32] = []
    public private(set) var day: [UInt8] = []
    public private(set) var lo: [Double] = []
    public private(set) var hi: [Double] = []
    public private(set) var bound: [Bound] = []
    /// For derived rows, the bound the note declares (`at-least: …`); the row's own bound otherwise.
    public private(set) var effectiveBound: [Bound] = []
    public private(set) var unit: [Int32] = []
    public private(set) var source: [Int32] = []
    public private(set) var line: [Int32] = []
    public private(set) var note: [String] = []
    /// Where each row was read: a file (coded in `files`) and the line its record starts on.
    public private(set) var originFile: [Int32] = []
    public private(set) var originLine: [Int32] = []
    public private(set) var files: [String] = []
    public private(set) var units: [String] = []
    private var unitCodes: [String: Int32] = [:]
    private var index: [Int64: [Int32]] = [:]

    public init() {}

    public var count: Int { entity.count }

    /// One row as the loader reads it.
    public struct Row: Sendable {
        public var entity: Int, metric: Int, period: Period, lo: Double, hi: Double
        public var bound: Bound, effectiveBound: Bound, unit: String, source: Int, line: Int, note: String
        public var file = "", fileLine = 0
    }

    mutating func append(_ r: Row) {
        let row = Int32(count)
        entity.append(Int32(r.entity)); metric.append(Int32(r.metric))
        start.append(Int32(truncatingIfNeeded: r.period.start)); end.append(Int32(truncatingIfNeeded: r.period.end))
        day.append(UInt8(truncatingIfNeeded: r.period.day))
        lo.append(r.lo); hi.append(r.hi); bound.append(r.bound); effectiveBound.append(r.effectiveBound)
        unit.append(code(r.unit)); source.append(Int32(r.source)); line.append(Int32(r.line)); note.append(r.note)
        if files.last != r.file { files.append(r.file) }
        originFile.append(Int32(files.count - 1)); originLine.append(Int32(r.fileLine))
        index[key(r.entity, r.metric), default: []].append(row)
    }

    /// Sorts each index list by period once loading is done.
    mutating func finishIndex() {
        for (k, rows) in index {
            index[k] = rows.sorted { (start[Int($0)], end[Int($0)], $0) < (start[Int($1)], end[Int($1)], $1) }
        }
    }

    /// Rows for one entity and metric, sorted by period.
    public func rows(entity e: Int, metric m: Int) -> [Int32] { index[key(e, m)] ?? [] }

    /// Whether any row exists for the entity and metric.
    public func has(entity e: Int, metric m: Int) -> Bool { index[key(e, m)] != nil }

    public func period(_ row: Int) -> Period { Period(start: Int(start[row]), end: Int(end[row]), day: Int(day[row])) }

    public func unitName(_ row: Int) -> String { units[Int(unit[row])] }

    /// `facts.csv:12`: where a row was read.
    public func origin(_ row: Int) -> String { "\(files[Int(originFile[row])]):\(originLine[row])" }

    /// The row's figure as a quantity, its bound applied.
    public func quantity(_ row: Int) -> Quantity {
        var q = Quantity(lo: lo[row], hi: hi[row], unit: unitName(row))
        switch effectiveBound[row] {
        case .exact, .target, .derived: break
        case .atLeast: q.hi = .infinity
        case .atMost: q.lo = -.infinity; q.hi = hi[row]
        case .approx: q.approximate = true
        case .range: q.isRange = true
        }
        if bound[row] == .derived {
            q.derived = true
            // The note's first word declares the bound (`at-least: …`); the mark on the figure already says it.
            let text = note[row]
            if let colon = text.firstIndex(of: ":"), FactStore.Bound(rawValue: String(text[..<colon])) != nil {
                q.how = Text.trimmed(String(text[text.index(after: colon)...]))
            } else {
                q.how = text
            }
        }
        q.facts = [row]
        return q
    }

    /// A copy without some rows, for checks that ask what the other facts imply.
    func removing(rows: [Int]) -> FactStore {
        let drop = Set(rows)
        var copy = FactStore()
        copy.units = units
        copy.unitCodes = unitCodes
        for row in 0..<count where !drop.contains(row) {
            copy.append(Row(entity: Int(entity[row]), metric: Int(metric[row]), period: period(row), lo: lo[row], hi: hi[row],
                            bound: bound[row], effectiveBound: effectiveBound[row], unit: unitName(row), source: Int(source[row]),
                            line: Int(line[row]), note: note[row], file: files[Int(originFile[row])], fileLine: Int(originLine[row])))
        }
        copy.finishIndex()
        return copy
    }

    private func key(_ e: Int, _ m: Int) -> Int64 { Int64(e) << 32 | Int64(m) }

    private mutating func code(_ unit: String) -> Int32 {
        if let c = unitCodes[unit] { return c }
        units.append(unit)
        unitCodes[unit] = Int32(units.count - 1)
        return Int32(units.count - 1)
    }
}
