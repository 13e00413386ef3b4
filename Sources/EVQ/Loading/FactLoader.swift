import Dispatch

/// Reads a facts.csv-shaped file a chunk at a time into the dataset's fact columns,
/// using both cores: a chunk's complete records are cut in two at a line break near the middle and two
/// `FactParser`s code the halves at once, each into its own `FactBatch`; the batches then join the store
/// in file order, and only then are names new to the catalogue given their codes.
///
/// A cut inside a quoted field would be wrong, so a chunk is split only once the header is read, and
/// if either half turns out to hold a quote (the parsers stop there, changing no byte), the chunk is read
/// again by one parser, as is the rest of the file. All or nothing: when a record is bad (the first bad
/// one in the file is the one reported), `rolledBack()` gives the dataset back as it was.
struct FactLoader {
    private(set) var data: Dataset
    let file: String
    /// What the dataset held before, to cut it back to if the load fails.
    private let storeBefore: FactStore.Mark, catalogBefore: Catalog
    /// Whether nothing has been read yet, so a UTF-8 byte order mark may come (once).
    private var atFileStart = true
    private var sizeHint: Int?
    /// The parser of the whole chunk or its first half (it also reads the header), and of the second half.
    private let first: Worker, second: Worker
    /// Cleared once a split chunk held a quote: the rest of the file is read by one parser.
    private var splitting = true
    /// Rows with link columns, numbered in the store, linked once every row is in.
    private var links: [PendingLinks] = []

    static let header = ["entity", "metric", "period", "value", "unit", "bound", "source", "line", "note"]

    /// Chunks smaller than this are read by one parser (not worth two threads); tests vary it.
    let minimumSplit: Int

    init(into data: Dataset, file: String, sizeHint: Int? = nil, minimumSplit: Int = 1 << 16) {
        self.data = data
        self.file = file
        storeBefore = data.facts.mark
        catalogBefore = data.catalog
        self.sizeHint = sizeHint
        self.minimumSplit = minimumSplit
        self.data.facts.begin(file: file)
        first = Worker(FactParser(file: file))
        second = Worker(FactParser(file: file))
    }

    /// The line the next unread byte is on.
    var line: Int { first.parser.line }

    /// Loads the complete records at the start of `chunk` (at the end of input, all of it) and returns how
    /// many bytes that was; the caller keeps the rest and offers it again with more bytes after it.
    mutating func feed(_ chunk: UnsafeMutableBufferPointer<UInt8>, atEnd: Bool) throws(DataError) -> Int {
        var i = 0
        if atFileStart {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            if !atEnd, chunk.count < bom.count, bom.starts(with: chunk) { return 0 }  // too few bytes yet to tell
            atFileStart = false
            if chunk.starts(with: bom) { i = bom.count }
        }
        let rowsBefore = data.facts.count
        let next: Int
        if let split = try feedSplit(chunk, from: i, atEnd: atEnd) { next = split } else { next = try feedWhole(chunk, from: i, atEnd: atEnd) }
        reserveOnce(rows: data.facts.count - rowsBefore, bytes: next)
        return next
    }

    /// Ends the load: an empty file is an error; the index is built once for all the rows.
    mutating func finish() throws(DataError) -> Dataset {
        guard first.parser.sawHeader else { throw Dataset.headerError(file: file, line: 1, header: FactLoader.header, empty: true) }
        if !links.isEmpty { try data.facts.link(links, file: file) }
        data.facts.finishIndex()
        return data
    }

    /// The dataset as it was before this load: the rows, files, notes, units and names it added cut off.
    mutating func rolledBack() -> Dataset {
        data.facts.truncate(to: storeBefore)
        data.catalog = catalogBefore
        return data
    }

    // MARK: - Parsing

    private func context() -> FactParser.Context { FactParser.Context(catalog: data.catalog, units: data.facts.unitCodes) }

    private mutating func feedWhole(_ chunk: UnsafeMutableBufferPointer<UInt8>, from i: Int, atEnd: Bool) throws(DataError) -> Int {
        let next = first.parser.parse(chunk, from: i, atEnd: atEnd, in: context(), into: &first.batch)
        try merge(first)
        return next
    }

    /// Parses the two halves of the chunk at once, cut after a line break near the middle; nil when the chunk
    /// is not to be split or either half holds a quote (see the type's comment), having changed nothing.
    /// The second half ends where the chunk does: a record cut off there waits for more input, as in `feedWhole`.
    private mutating func feedSplit(_ chunk: UnsafeMutableBufferPointer<UInt8>, from i: Int, atEnd: Bool) throws(DataError) -> Int? {
        guard splitting, first.parser.sawHeader, chunk.count - i >= max(1, minimumSplit),
              let cut = (i + (chunk.count - i) / 2..<chunk.count).first(where: { chunk[$0] == UInt8(ascii: "\n") }).map({ $0 + 1 })
        else { return nil }
        let lineBefore = first.parser.line
        // The second half's lines count from 1 until the first half has been counted.
        second.parser.line = 1
        second.parser.sawHeader = true
        second.parser.columns = first.parser.columns
        for w in [first, second] {
            w.parser.sawQuote = false
            w.parser.stopsAtQuotes = true
        }
        let halves = [Half(worker: first, bytes: UnsafeMutableBufferPointer(rebasing: chunk[i..<cut]), atEnd: true),
                      Half(worker: second, bytes: UnsafeMutableBufferPointer(rebasing: chunk[cut...]), atEnd: atEnd)]
        let context = context()
        DispatchQueue.concurrentPerform(iterations: halves.count) { k in halves[k].parse(in: context) }
        first.parser.stopsAtQuotes = false
        guard !first.parser.sawQuote, !second.parser.sawQuote else {
            // The cut may have fallen inside a quoted field: forget both halves and read the chunk whole.
            first.parser.line = lineBefore
            for w in [first, second] { w.forget() }
            splitting = false
            return nil
        }
        second.shiftLines(by: first.parser.line - 1)
        try merge(first)
        try merge(second)
        first.parser.line = second.parser.line
        return cut + halves[1].consumed
    }

    /// Adds a worker's batch to the store, giving names new to the catalogue their codes; its error, if any, ends the load.
    private mutating func merge(_ w: Worker) throws(DataError) {
        defer { w.batch.removeAll() }
        if let error = w.batch.error { throw error }
        if w.batch.hasNewNames { w.parser.forgetNewNames() }
        w.batch.resolve(metrics: w.batch.newMetrics.map { Int32(clamping: data.catalog.addMetric(named: $0)) },
                        units: w.batch.newUnits.map { data.facts.code(unit: $0) },
                        sources: w.batch.newSources.map { Int32(clamping: data.catalog.sourceIndex(file: $0)) },
                        notesBefore: Int32(clamping: data.facts.notes.count - 1))
        links += w.batch.links.map {
            PendingLinks(row: data.facts.count + $0.row, fileLine: $0.fileLine, fields: $0.fields)
        }
        data.facts.append(w.batch)
    }

    /// Reserves the columns for the whole file once the first chunk shows how long a row is.
    private mutating func reserveOnce(rows: Int, bytes: Int) {
        guard let size = sizeHint, rows > 0, bytes > 0 else { return }
        sizeHint = nil
        data.facts.reserve(Int(Double(size) / Double(bytes) * Double(rows) * 1.02) + 64)
    }

    // MARK: - Workers

    /// A parser and the batch it fills. A class, so that `concurrentPerform` can hand each thread its own;
    /// unchecked Sendable because each is used by one thread at a time: its half while parsing, the loader after.
    private final class Worker: @unchecked Sendable {
        var parser: FactParser
        var batch = FactBatch()

        init(_ parser: FactParser) { self.parser = parser }

        /// Drops what the last parse coded (a chunk read again).
        func forget() {
            if batch.hasNewNames { parser.forgetNewNames() }
            batch.removeAll()
        }

        /// Counts the batch's lines from `offset` lines further on (the first half's, once known).
        func shiftLines(by offset: Int) {
            let shift = Int32(clamping: offset)
            batch.fileLine = batch.fileLine.map { $0 &+ shift }
            for k in batch.links.indices { batch.links[k].fileLine &+= shift }
            if let e = batch.error { batch.error?.line = e.line + offset }
            parser.line += offset
        }
    }

    /// One half of a chunk and the worker for it; the bytes are the loader's buffer, which outlives the parse.
    private final class Half: @unchecked Sendable {
        let worker: Worker
        let bytes: UnsafeMutableBufferPointer<UInt8>
        let atEnd: Bool
        /// How many of the bytes the parse used.
        private(set) var consumed = 0

        init(worker: Worker, bytes: UnsafeMutableBufferPointer<UInt8>, atEnd: Bool) {
            self.worker = worker
            self.bytes = bytes
            self.atEnd = atEnd
        }

        func parse(in context: FactParser.Context) {
            consumed = worker.parser.parse(bytes, from: 0, atEnd: atEnd, in: context, into: &worker.batch)
        }
    }
}
