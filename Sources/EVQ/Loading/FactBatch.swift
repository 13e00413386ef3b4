/// Fact rows one `FactParser` coded from a stretch of a file, in columns, before they join the store.
///
/// Entities and bounds carry the catalogue's codes. A metric, unit or source the catalogue does not have
/// yet carries a negative code, `-(k + 1)` for the k-th name in `newMetrics`, `newUnits` or `newSources`:
/// parsers only read the catalogue (two may run at once), and `FactLoader` names the new ones when it
/// merges batches in file order. Notes are numbered within the batch, 0 for none.
struct FactBatch {
    var entity: [Int32] = [], metric: [Int32] = [], start: [Int32] = [], end: [Int32] = [], day: [UInt8] = []
    var lo: [Double] = [], hi: [Double] = [], bound: [FactStore.Bound] = [], effectiveBound: [FactStore.Bound] = []
    var unit: [Int32] = [], source: [Int32] = [], line: [Int32] = [], note: [Int32] = [], fileLine: [Int32] = []
    var notes: [String] = []
    var newMetrics: [String] = [], newUnits: [String] = [], newSources: [String] = []
    /// Rows with link columns (`FactLinks`), numbered within the batch.
    var links: [PendingLinks] = []
    /// The first bad record; the rows before it are coded, but the load fails here.
    var error: DataError?

    var count: Int { entity.count }

    /// Whether the batch named anything the catalogue or store lacked.
    var hasNewNames: Bool { !newMetrics.isEmpty || !newUnits.isEmpty || !newSources.isEmpty }

    mutating func append(entity e: Int32, metric m: Int32, period: Period, lo l: Double, hi h: Double, bound b: FactStore.Bound,
                         effectiveBound eb: FactStore.Bound, unit u: Int32, source s: Int32, line n: Int32, note: String, fileLine: Int32) {
        entity.append(e); metric.append(m)
        start.append(Int32(truncatingIfNeeded: period.start)); end.append(Int32(truncatingIfNeeded: period.end))
        day.append(UInt8(truncatingIfNeeded: period.day))
        lo.append(l); hi.append(h); bound.append(b); effectiveBound.append(eb)
        unit.append(u); source.append(s); line.append(n)
        if note.isEmpty {
            self.note.append(0)
        } else {
            notes.append(note)
            self.note.append(Int32(notes.count))
        }
        self.fileLine.append(fileLine)
    }

    /// Gives new names their catalogue codes (`metrics[k]` for `-(k + 1)`, and so on) and notes their
    /// place after the `notesBefore` notes the store already holds.
    mutating func resolve(metrics: [Int32], units: [Int32], sources: [Int32], notesBefore: Int32) {
        func code(_ c: Int32, _ names: [Int32]) -> Int32 { c >= 0 ? c : names[Int(-c - 1)] }
        if !metrics.isEmpty { metric = metric.map { code($0, metrics) } }
        if !units.isEmpty { unit = unit.map { code($0, units) } }
        if !sources.isEmpty { source = source.map { code($0, sources) } }
        if !notes.isEmpty { note = note.map { $0 == 0 ? 0 : $0 + notesBefore } }
    }

    /// Empties the batch, keeping its memory for the next stretch.
    mutating func removeAll() {
        entity.removeAll(keepingCapacity: true); metric.removeAll(keepingCapacity: true)
        start.removeAll(keepingCapacity: true); end.removeAll(keepingCapacity: true); day.removeAll(keepingCapacity: true)
        lo.removeAll(keepingCapacity: true); hi.removeAll(keepingCapacity: true)
        bound.removeAll(keepingCapacity: true); effectiveBound.removeAll(keepingCapacity: true)
        unit.removeAll(keepingCapacity: true); source.removeAll(keepingCapacity: true); line.removeAll(keepingCapacity: true)
        note.removeAll(keepingCapacity: true); fileLine.removeAll(keepingCapacity: true)
        notes.removeAll(); newMetrics.removeAll(); newUnits.removeAll(); newSources.removeAll(); links.removeAll()
        error = nil
    }
}
