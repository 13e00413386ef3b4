/// The facts in columns: entities, metrics, units, sources and notes dictionary-coded as integers, periods
/// as integer month ranges, values and bounds in flat arrays, and an index from (entity, metric) to rows
/// sorted by period, built once when facts are added (one flat array of row numbers, grouped by key).
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
    /// The row's note, coded in `notes`; code 0 is no note.
    public private(set) var noteCode: [Int32] = []
    public private(set) var notes: [String] = [""]
    /// Where each row was read: a file (coded in `files`) and the line its record starts on.
    public private(set) var originFile: [Int32] = []
    public private(set) var originLine: [Int32] = []
    public private(set) var files: [String] = []
    public private(set) var units: [String] = []
    private(set) var unitCodes: [String: Int32] = [:]
    /// Row numbers grouped by (entity, metric), each group sorted by period; `indexStart[key]..<indexStart[key + 1]`
    /// is a group's place in `indexRows`, where key is `entity * indexMetrics + metric`.
    private var indexRows: [Int32] = []
    private var indexStart: [Int32] = [0]
    private var indexMetrics = 0
    private var groupCount = 0
    private var sparseGroups: [Int64: Int32] = [:]
    /// The rows the index covers: those before the load in progress.
    private var indexedRows = 0
    /// The months the dated facts span, found when the index is built.
    public private(set) var extent: Period?
    /// What some facts say of others (`FactLinks`), by row; most rows have none.
    public internal(set) var links: [Int: FactLinks] = [:]
    /// Fact ids (the optional `id` column) to rows.
    public internal(set) var factIDs: [String: Int] = [:]
    /// The fact that revises each revised row.
    public internal(set) var revisedBy: [Int: Int] = [:]
    /// The rows that restate each row in other units (stated conversions).
    public internal(set) var conversionsOf: [Int: [Int]] = [:]
    /// The (entity, metric) groups holding a revised row or a conversion, so that the others skip the look-up per row.
    var linkedGroups: Set<Int64> = []
    /// Set where the store holds only the facts an engine has sent so far (`SQLExecutor`): every look-up of an
    /// (entity, metric) group is written down, so that the groups not yet fetched can be.
    var scanLog: ScanLog?

    public init() {}

    public var count: Int { entity.count }

    /// One row as the loader reads it.
    public struct Row: Sendable {
        public var entity: Int, metric: Int, period: Period, lo: Double, hi: Double
        public var bound: Bound, effectiveBound: Bound, unit: String, source: Int, line: Int, note: String
        public var file = "", fileLine = 0
    }

    /// Appends a row; `finishIndex()` must follow before the rows are looked up.
    mutating func append(_ r: Row) {
        if files.last != r.file { files.append(r.file) }
        append(entity: Int32(r.entity), metric: Int32(r.metric), period: r.period, lo: r.lo, hi: r.hi, bound: r.bound,
               effectiveBound: r.effectiveBound, unit: code(unit: r.unit), source: Int32(r.source), line: Int32(r.line),
               note: code(note: r.note), fileLine: Int32(r.fileLine))
    }

    /// Appends a row already coded; the loader's path, with `files.last` the file being read.
    mutating func append(entity e: Int32, metric m: Int32, period: Period, lo l: Double, hi h: Double, bound b: Bound,
                         effectiveBound eb: Bound, unit u: Int32, source s: Int32, line n: Int32, note t: Int32, fileLine: Int32) {
        entity.append(e); metric.append(m)
        start.append(Int32(truncatingIfNeeded: period.start)); end.append(Int32(truncatingIfNeeded: period.end))
        day.append(UInt8(truncatingIfNeeded: period.day))
        lo.append(l); hi.append(h); bound.append(b); effectiveBound.append(eb)
        unit.append(u); source.append(s); line.append(n); noteCode.append(t)
        originFile.append(Int32(files.count - 1)); originLine.append(fileLine)
    }

    /// Appends loaders' batches in order, their codes already resolved (`FactBatch.resolve`), as rows of
    /// `files.last`, each batch's lines moved on by its `lineShifts` entry. Every column takes its part of
    /// every batch on a thread of its own: each is moved out of the store into a job and back, so that no two
    /// threads touch one value.
    mutating func append(_ batches: [FactBatch], lineShifts: [Int32]) {
        let file = Int32(files.count - 1)
        notes += batches.flatMap(\.notes)
        var jobs: [any ColumnJob] = []
        func job<T>(_ column: inout [T], _ parts: [[T]]) -> Column<T> {
            let job = Column(&column, parts)
            jobs.append(job)
            return job
        }
        let entityJob = job(&entity, batches.map(\.entity)), metricJob = job(&metric, batches.map(\.metric))
        let startJob = job(&start, batches.map(\.start)), endJob = job(&end, batches.map(\.end))
        let dayJob = job(&day, batches.map(\.day)), loJob = job(&lo, batches.map(\.lo))
        let hiJob = job(&hi, batches.map(\.hi)), boundJob = job(&bound, batches.map(\.bound))
        let effectiveJob = job(&effectiveBound, batches.map(\.effectiveBound))
        let unitJob = job(&unit, batches.map(\.unit)), sourceJob = job(&source, batches.map(\.source))
        let lineJob = job(&line, batches.map(\.line)), noteJob = job(&noteCode, batches.map(\.note))
        let fileJob = job(&originFile, batches.map { [Int32](repeating: file, count: $0.count) })
        let fileLineJob = job(&originLine, zip(batches, lineShifts).map { b, shift in
            shift == 0 ? b.fileLine : b.fileLine.map { $0 &+ shift }
        })
        // Threads are not worth waking for a small file (evq's own data, at every start).
        let all = jobs, rows = batches.reduce(0) { $0 + $1.count }
        if rows < 1 << 14 { all.forEach { $0.run() } } else { _ = Parallel.map(all.count) { all[$0].run() } }
        entity = entityJob.take(); metric = metricJob.take(); start = startJob.take(); end = endJob.take()
        day = dayJob.take(); lo = loJob.take(); hi = hiJob.take(); bound = boundJob.take()
        effectiveBound = effectiveJob.take(); unit = unitJob.take(); source = sourceJob.take(); line = lineJob.take()
        noteCode = noteJob.take(); originFile = fileJob.take(); originLine = fileLineJob.take()
    }

    /// Gives the rows from `first` on the places they were first read from (file, line), for facts an engine sent
    /// that evq once loaded from files: provenance names the file, not the engine.
    mutating func restoreOrigins(from first: Int, _ origins: [(file: String, line: Int32)]) {
        for (k, origin) in origins.enumerated() where first + k < count {
            let code = files.firstIndex(of: origin.file) ?? {
                files.append(origin.file)
                return files.count - 1
            }()
            originFile[first + k] = Int32(code)
            originLine[first + k] = origin.line
        }
    }

    /// How far the store's lists reach, so a failed load can cut them back (`truncate(to:)`).
    struct Mark {
        let rows: Int, files: Int, notes: Int, units: Int
    }

    var mark: Mark { Mark(rows: count, files: files.count, notes: notes.count, units: units.count) }

    /// Cuts off what was appended since `mark`; the index, built only when a load finishes, still fits.
    mutating func truncate(to mark: Mark) {
        let rows = mark.rows..<count
        indexedRows = min(indexedRows, mark.rows)
        entity.removeSubrange(rows); metric.removeSubrange(rows); start.removeSubrange(rows); end.removeSubrange(rows)
        day.removeSubrange(rows); lo.removeSubrange(rows); hi.removeSubrange(rows); bound.removeSubrange(rows)
        effectiveBound.removeSubrange(rows); unit.removeSubrange(rows); source.removeSubrange(rows); line.removeSubrange(rows)
        noteCode.removeSubrange(rows); originFile.removeSubrange(rows); originLine.removeSubrange(rows)
        files.removeSubrange(mark.files...)
        notes.removeSubrange(mark.notes...)
        for name in units[mark.units...] { unitCodes[name] = nil }
        units.removeSubrange(mark.units...)
        links = links.filter { $0.key < mark.rows }
        factIDs = factIDs.filter { $0.value < mark.rows }
        revisedBy = revisedBy.filter { $0.key < mark.rows && $0.value < mark.rows }
        conversionsOf = conversionsOf.filter { $0.key < mark.rows }.mapValues { $0.filter { $0 < mark.rows } }
        linkedGroups = Set(revisedBy.keys.map(linkGroup) + conversionsOf.values.flatMap { $0 }.map(linkGroup))
    }

    /// Starts rows read from `file`.
    mutating func begin(file: String) { files.append(file) }

    /// Makes room for `more` rows at once, so a large load does not keep doubling (and briefly holding twice) every
    /// column. Room already there is kept, and growth is by half again at least, so that a small load after a
    /// large one does not copy every column to add its few rows.
    mutating func reserve(_ more: Int) {
        func grow<T>(_ column: inout [T]) {
            let n = column.count + more
            if column.capacity < n { column.reserveCapacity(max(n, column.capacity + column.capacity / 2)) }
        }
        grow(&entity); grow(&metric); grow(&start); grow(&end); grow(&day); grow(&lo); grow(&hi); grow(&bound)
        grow(&effectiveBound); grow(&unit); grow(&source); grow(&line); grow(&noteCode); grow(&originFile)
        grow(&originLine)
    }

    /// Brings the index up to date once a load is done, on up to `threads` threads. Rows added to groups
    /// already indexed are merged into them, at the cost of the rows added and one copy of the index; a load
    /// that brings new entities or metrics, or more rows than there were, has the whole index built again.
    mutating func finishIndex(threads: Int = 1) {
        if indexedRows > 0, count - indexedRows <= indexedRows, extendIndex() {
            indexedRows = count
            return
        }
        buildIndex(threads: count < 1 << 16 ? 1 : max(1, threads))
        indexedRows = count
    }

    /// Builds the index: a counting sort of the rows by (entity, metric) group, which keeps file order within a
    /// group, then each group sorted by period unless it already is (files usually are). Each thread counts
    /// and places the rows of its slice of the store; the slices' places within a group follow their order,
    /// so the sort stays stable.
    private mutating func buildIndex(threads: Int) {
        let groupOfRow = numberGroups(threads: threads)
        let groups = groupCount, rowCount = count
        // A slice's counts take a place per group: many groups of few rows are counted by fewer threads.
        let parts = max(1, min(threads, rowCount / max(groups, 1)))
        var (rows, starts) = FactStore.grouped(groupOfRow, groups: groups, firstRow: 0, parts: parts)
        let store = ReadOnly(value: self), bounds = starts
        rows.withUnsafeMutableBufferPointer { out in
            let index = Shared(out)
            _ = Parallel.map(parts) { k in
                for g in Parallel.slice(groups, parts: parts, k) where bounds[g + 1] - bounds[g] > 1 {
                    var group = UnsafeMutableBufferPointer(rebasing: index.p[Int(bounds[g])..<Int(bounds[g + 1])])
                    if !store.value.isSortedByPeriod(group) { group.sort(by: store.value.precedes) }
                }
            }
        }
        indexRows = rows
        indexStart = starts
        let extents = ReadOnly(value: self)
        extent = FactStore.hull(Parallel.map(parts) { k in
            extents.value.datedExtent(Parallel.slice(rowCount, parts: parts, k))
        })
    }

    /// Row numbers grouped by group, in file order within each (a counting sort): `groupOfRow[i]` is the
    /// group of row `firstRow + i`. Each of `parts` threads counts its slice of the rows, then places them
    /// after the earlier slices' rows of the same group, which keeps the order. Returns the rows and where
    /// each group starts among them (`groups + 1` offsets).
    private static func grouped(_ groupOfRow: [Int32], groups: Int, firstRow: Int, parts: Int)
        -> (rows: [Int32], starts: [Int32]) {
        let rowCount = groupOfRow.count
        // Rows of each group in each slice, then where each slice's rows of each group go.
        var counts = [Int32](repeating: 0, count: parts * groups)
        counts.withUnsafeMutableBufferPointer { c in
            let shared = Shared(c)
            _ = Parallel.map(parts) { k in
                for r in Parallel.slice(rowCount, parts: parts, k) { shared.p[k * groups + Int(groupOfRow[r])] += 1 }
            }
        }
        var starts = [Int32](repeating: 0, count: groups + 1)
        var place: Int32 = 0
        for g in 0..<groups {
            starts[g] = place
            for k in 0..<parts {
                let n = counts[k * groups + g]
                counts[k * groups + g] = place
                place += n
            }
        }
        starts[groups] = place
        var rows = [Int32](repeating: 0, count: rowCount)
        rows.withUnsafeMutableBufferPointer { out in
            let target = Shared(out)
            counts.withUnsafeMutableBufferPointer { c in
                let next = Shared(c)
                _ = Parallel.map(parts) { k in
                    for r in Parallel.slice(rowCount, parts: parts, k) {
                        let slot = k * groups + Int(groupOfRow[r])
                        target.p[Int(next.p[slot])] = Int32(firstRow + r)
                        next.p[slot] += 1
                    }
                }
            }
        }
        return (rows, starts)
    }

    /// The smallest period holding all of them; nil when there is none.
    private static func hull(_ periods: [Period?]) -> Period? {
        periods.compactMap { $0 }.reduce(nil) { union, p in
            union.map { Period(start: min($0.start, p.start), end: max($0.end, p.end)) } ?? p
        }
    }

    /// Merges the rows after `indexedRows` into the index; false, having changed nothing, when one of them
    /// belongs to a group the index has no place for.
    private mutating func extendIndex() -> Bool {
        let added = indexedRows..<count
        var groupOfRow: [Int32] = []
        groupOfRow.reserveCapacity(added.count)
        for r in added {
            guard let g = group(entity: Int(entity[r]), metric: Int(metric[r])) else { return false }
            groupOfRow.append(Int32(g))
        }
        // The new rows by group, in file order within each.
        let (newRows, newStarts) = FactStore.grouped(groupOfRow, groups: groupCount, firstRow: added.lowerBound,
                                                     parts: 1)
        // Old and new rows group by group; runs of groups with nothing new are copied whole.
        var rows: [Int32] = []
        rows.reserveCapacity(count)
        var copiedTo = 0
        for g in 0..<groupCount where newStarts[g + 1] > newStarts[g] {
            rows += indexRows[copiedTo..<Int(indexStart[g + 1])]
            copiedTo = Int(indexStart[g + 1])
            let groupStart = Int(indexStart[g] + newStarts[g])
            rows += newRows[Int(newStarts[g])..<Int(newStarts[g + 1])]
            if !isSortedByPeriod(rows[groupStart...]) { rows[groupStart...].sort(by: precedes) }
        }
        rows += indexRows[copiedTo...]
        indexStart = zip(indexStart, newStarts).map { $0 + $1 }
        indexRows = rows
        extent = FactStore.hull([extent, datedExtent(added)])
        return true
    }

    /// Each row's (entity, metric) group: `entity * metrics + metric` when that grid is not much larger than
    /// the rows, else the pairs that occur, numbered (a file of many entities and many metrics stays small).
    private mutating func numberGroups(threads: Int) -> [Int32] {
        indexMetrics = Int(metric.max() ?? -1) + 1
        let grid = (Int(entity.max() ?? -1) + 1) * indexMetrics
        sparseGroups = [:]
        if grid <= 4 * count + 4096 {
            groupCount = grid
            var groups = [Int32](repeating: 0, count: count)
            let store = ReadOnly(value: self), rowCount = count
            groups.withUnsafeMutableBufferPointer { out in
                let shared = Shared(out)
                _ = Parallel.map(threads) { k in
                    let s = store.value
                    for r in Parallel.slice(rowCount, parts: threads, k) {
                        shared.p[r] = Int32(Int(s.entity[r]) * s.indexMetrics + Int(s.metric[r]))
                    }
                }
            }
            return groups
        }
        var groups = [Int32](repeating: 0, count: count)
        for r in 0..<count {
            let k = FactStore.pair(Int(entity[r]), Int(metric[r]))
            if let g = sparseGroups[k] { groups[r] = g; continue }
            groups[r] = Int32(sparseGroups.count)
            sparseGroups[k] = groups[r]
        }
        groupCount = sparseGroups.count
        return groups
    }

    static func pair(_ e: Int, _ m: Int) -> Int64 { Int64(e) << 32 | Int64(m) }

    /// The index group of an entity and metric, if it has rows.
    private func group(entity e: Int, metric m: Int) -> Int? {
        if !sparseGroups.isEmpty { return sparseGroups[FactStore.pair(e, m)].map(Int.init) }
        guard e >= 0, m >= 0, m < indexMetrics, e * indexMetrics + m < groupCount else { return nil }
        return e * indexMetrics + m
    }

    private func precedes(_ a: Int32, _ b: Int32) -> Bool {
        (start[Int(a)], end[Int(a)], a) < (start[Int(b)], end[Int(b)], b)
    }

    private func isSortedByPeriod<Rows: Collection<Int32>>(_ rows: Rows) -> Bool {
        zip(rows, rows.dropFirst()).allSatisfy { precedes($0, $1) }
    }

    private func datedExtent(_ rows: Range<Int>) -> Period? {
        var lo = Int32.max, hi = Int32.min
        for i in rows where start[i] <= end[i] {
            lo = min(lo, start[i]); hi = max(hi, end[i])
        }
        return lo <= hi ? Period(start: Int(lo), end: Int(hi)) : nil
    }

    /// Rows for one entity and metric, sorted by period.
    public func rows(entity e: Int, metric m: Int) -> ArraySlice<Int32> {
        scanLog?.touch(FactStore.pair(e, m))
        return indexedRows(entity: e, metric: m)
    }

    /// `rows` without writing the look-up down (see `currentRows(inWindowOf:metric:)`).
    func indexedRows(entity e: Int, metric m: Int) -> ArraySlice<Int32> {
        guard let g = group(entity: e, metric: m) else { return [] }
        return indexRows[Int(indexStart[g])..<Int(indexStart[g + 1])]
    }

    /// Whether any row exists for the entity and metric.
    public func has(entity e: Int, metric m: Int) -> Bool { !rows(entity: e, metric: m).isEmpty }

    /// The row's note, or "".
    public func note(_ row: Int) -> String { notes[Int(noteCode[row])] }

    public func period(_ row: Int) -> Period { Period(start: Int(start[row]), end: Int(end[row]), day: Int(day[row])) }

    public func unitName(_ row: Int) -> String { units[Int(unit[row])] }

    /// `facts.csv:12`: where a row was read.
    public func origin(_ row: Int) -> String { "\(files[Int(originFile[row])]):\(originLine[row])" }

    /// The row's figure as a quantity, its bound applied, with what its links say: when it was stated, the
    /// same figure in other units, the figures it revises and the facts it rests on.
    public func quantity(_ row: Int) -> Quantity {
        var q = statedQuantity(row)
        guard !links.isEmpty else { return q }
        if let l = links[row] {
            q.asOf = l.asOf
            q.revises = l.revises
            q.basis = l.from
        }
        q.equivalents = (conversionsOf[row] ?? []).map(statedQuantity)
        return q
    }

    /// The row's figure as its columns state it, its bound applied.
    private func statedQuantity(_ row: Int) -> Quantity {
        var q = Quantity(lo: lo[row], hi: hi[row], unit: unitName(row))
        switch effectiveBound[row] {
        case .exact, .derived: break
        case .target: q.isTarget = true
        case .atLeast: q.hi = .infinity
        case .atMost: q.lo = -.infinity; q.hi = hi[row]
        case .approx: q.approximate = true
        case .range: q.isRange = true
        }
        if bound[row] == .derived {
            q.derived = true
            // The note's first word declares the bound (`at-least: …`); the mark on the figure already says it.
            let text = note(row)
            if let colon = text.firstIndex(of: ":"), FactStore.Bound(rawValue: String(text[..<colon])) != nil {
                q.how = .noted(Text.trimmed(String(text[text.index(after: colon)...])))
            } else {
                q.how = .noted(text)
            }
        }
        q.facts = [row]
        return q
    }

    /// Whether the row is a figure as it now stands: not revised by a later one, and not a conversion of another.
    public func isCurrent(_ row: Int) -> Bool { links.isEmpty || (revisedBy[row] == nil && convertedFrom(row) == nil) }

    /// The rows of an entity and metric that stand now (`isCurrent`), sorted by period.
    public func currentRows(entity e: Int, metric m: Int) -> [Int] {
        scanLog?.touch(FactStore.pair(e, m))
        return currentRows(inWindowOf: e, metric: m)
    }

    /// Whether the store holds every fact of the entity and metric that starts in the period: always, unless it
    /// holds only what an engine has sent (`scanLog`), which then hears that they are wanted.
    func holds(entity e: Int, metric m: Int, startingIn period: Period) -> Bool {
        scanLog?.holds(FactStore.pair(e, m), startingIn: period) ?? true
    }

    /// `currentRows` without writing the look-up down: for a caller that reads only the rows starting in a period it
    /// has checked the store `holds`.
    func currentRows(inWindowOf e: Int, metric m: Int) -> [Int] {
        let all = indexedRows(entity: e, metric: m).map(Int.init)
        return isLinked(entity: e, metric: m) ? all.filter(isCurrent) : all
    }

    /// Whether an entity's facts of a metric include a revised one or a stated conversion, which not every
    /// row of the group is current.
    func isLinked(entity e: Int, metric m: Int) -> Bool { linkedGroups.contains(FactStore.pair(e, m)) }

    /// The group key of a row, for `linkedGroups`.
    func linkGroup(_ row: Int) -> Int64 { FactStore.pair(Int(entity[row]), Int(metric[row])) }

    /// A copy with only some rows, for checks that ask what the other facts imply.
    func keeping(rows: [Int]) -> FactStore {
        var copy = FactStore()
        copy.units = units
        copy.unitCodes = unitCodes
        for row in rows {
            copy.append(Row(entity: Int(entity[row]), metric: Int(metric[row]), period: period(row), lo: lo[row], hi: hi[row],
                            bound: bound[row], effectiveBound: effectiveBound[row], unit: unitName(row), source: Int(source[row]),
                            line: Int(line[row]), note: note(row), file: files[Int(originFile[row])], fileLine: Int(originLine[row])))
        }
        copy.finishIndex()
        return copy
    }

    mutating func code(unit: String) -> Int32 {
        if let c = unitCodes[unit] { return c }
        units.append(unit)
        unitCodes[unit] = Int32(units.count - 1)
        return Int32(units.count - 1)
    }

    /// Notes are mostly empty or distinct, so they are numbered, not looked up.
    mutating func code(note: String) -> Int32 {
        guard !note.isEmpty else { return 0 }
        notes.append(note)
        return Int32(notes.count - 1)
    }
}

/// One column's share of `FactStore.append(_:lineShifts:)`: the column, moved out of the store (it stays
/// uniquely referenced, so it grows in place), and the parts to add to it.
private protocol ColumnJob: Sendable {
    func run()
}

private final class Column<Element>: ColumnJob, @unchecked Sendable {
    private var column: [Element]
    private let parts: [[Element]]

    init(_ column: inout [Element], _ parts: [[Element]]) {
        self.column = column
        column = []
        self.parts = parts
    }

    func run() { for part in parts { column += part } }

    /// The column back, grown.
    func take() -> [Element] {
        defer { column = [] }
        return column
    }
}
