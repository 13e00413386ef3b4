/// Reads a facts.csv-shaped file a chunk at a time into the dataset's fact columns, on up to `threads`
/// threads: a chunk's complete records are cut into pieces at record starts (`RecordCuts`, which finds them
/// by the parity of quotes, so quoted fields with line breaks split like any other) and a `FactParser` per
/// piece codes it into its own `FactBatch`, reading the catalogue but never changing it; the batches then
/// join the store in file order, and only then are names new to the catalogue given their codes.
///
/// All or nothing: when a record is bad (the first bad one in the file is the one reported: pieces are
/// merged in order and the first error ends the load), `rolledBack()` gives the dataset back as it was.
struct FactLoader {
    private(set) var data: Dataset
    let file: String
    /// What the dataset held before, to cut it back to if the load fails.
    private let storeBefore: FactStore.Mark, catalogBefore: Catalog
    /// Whether nothing has been read yet, so a UTF-8 byte order mark may come (once).
    private var atFileStart = true
    private var sizeHint: Int?
    /// One parser per thread; the first also reads the header.
    private let workers: [Worker]
    /// Rows with link columns, numbered in the store, linked once every row is in.
    private var links: [PendingLinks] = []
    /// The line the next unread byte is on.
    private(set) var line = 1

    static let header = ["entity", "metric", "period", "value", "unit", "bound", "source", "line", "note"]

    /// Pieces smaller than this are not worth a thread of their own; tests vary it.
    let minimumSplit: Int

    init(into data: Dataset, file: String, sizeHint: Int? = nil, threads: Int, minimumSplit: Int = 1 << 16) {
        self.data = data
        self.file = file
        storeBefore = data.facts.mark
        catalogBefore = data.catalog
        self.sizeHint = sizeHint
        self.minimumSplit = minimumSplit
        self.data.facts.begin(file: file)
        // Each parser its own copy of the name, so that the threads share no reference count on the hot path.
        workers = (0..<max(1, threads)).map { _ in
            Worker(FactParser(file: String(decoding: Array(file.utf8), as: UTF8.self)))
        }
    }

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
        let header = workers[0]
        if !header.parser.sawHeader {
            header.parser.line = 1
            i = header.parser.parse(chunk, from: i, atEnd: atEnd, in: context(), into: &header.batch, untilHeader: true)
            try merge([header])
            guard header.parser.sawHeader else { return i }
        }
        let rowsBefore = data.facts.count
        let next = try feedPieces(chunk, from: i, atEnd: atEnd)
        reserveOnce(rows: data.facts.count - rowsBefore, bytes: next - i)
        return next
    }

    /// Ends the load: an empty file is an error; the index is built once for all the rows.
    mutating func finish() throws(DataError) -> Dataset {
        guard workers[0].parser.sawHeader else {
            throw Dataset.headerError(file: file, line: 1, header: FactLoader.header, empty: true)
        }
        if !links.isEmpty { try data.facts.link(links, file: file) }
        data.facts.finishIndex(threads: workers.count)
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

    /// Parses the records of `chunk[i...]`, after the header, in as many pieces as there are workers (fewer
    /// when the pieces would be small), and adds them to the store in order. A piece ending at a cut ends
    /// with a whole record; the one ending where the chunk does may end with a record cut off, which waits
    /// for more input unless `atEnd`.
    private mutating func feedPieces(_ chunk: UnsafeMutableBufferPointer<UInt8>, from i: Int,
                                     atEnd: Bool) throws(DataError) -> Int {
        let parts = min(workers.count, max(1, (chunk.count - i) / max(1, minimumSplit)))
        let cuts = RecordCuts.find(chunk, from: i, parts: parts)
        let pieces = (0..<cuts.count).map { k in
            let range = cuts.starts[k]..<cuts.starts[k + 1]
            return Piece(worker: workers[k], bytes: UnsafeMutableBufferPointer(rebasing: chunk[range]),
                         atEnd: range.upperBound == chunk.count ? atEnd : true, columns: workers[0].parser.columns)
        }
        let context = context()
        _ = Parallel.map(pieces.count) { k in pieces[k].parse(in: context) }
        var next = i
        var merged: [Worker] = []
        for (k, piece) in pieces.enumerated() where !piece.bytes.isEmpty {
            merged.append(piece.worker)
            next = cuts.starts[k] + piece.consumed
        }
        try merge(merged)
        return next
    }

    /// Adds workers' batches to the store in file order: names new to the catalogue get their codes, one
    /// batch after the other, and then every column takes its part of every batch at once. A batch counted
    /// its lines from 1 (its piece's first line); the first error ends the load.
    private mutating func merge(_ workers: [Worker]) throws(DataError) {
        defer { for w in workers { w.batch.removeAll() } }
        var batches: [FactBatch] = [], shifts: [Int32] = []
        var rows = data.facts.count, notes = data.facts.notes.count
        for w in workers {
            let shift = line - 1
            if var error = w.batch.error {
                error.line += shift
                throw error
            }
            if w.batch.hasNewNames { w.parser.forgetNewNames() }
            w.batch.resolve(metrics: w.batch.newMetrics.map { Int32(clamping: data.catalog.addMetric(named: $0)) },
                            units: w.batch.newUnits.map { data.facts.code(unit: $0) },
                            sources: w.batch.newSources.map { Int32(clamping: data.catalog.sourceIndex(file: $0)) },
                            notesBefore: Int32(clamping: notes - 1))
            links += w.batch.links.map {
                PendingLinks(row: rows + $0.row, fileLine: $0.fileLine &+ Int32(clamping: shift), fields: $0.fields)
            }
            batches.append(w.batch)
            shifts.append(Int32(clamping: shift))
            rows += w.batch.count
            notes += w.batch.notes.count
            line = w.parser.line + shift
        }
        data.facts.append(batches, lineShifts: shifts)
    }

    /// Reserves the columns for the whole file once the first chunk shows how long a row is.
    private mutating func reserveOnce(rows: Int, bytes: Int) {
        guard let size = sizeHint, rows > 0, bytes > 0 else { return }
        sizeHint = nil
        data.facts.reserve(Int(Double(size) / Double(bytes) * Double(rows) * 1.02) + 64)
    }

    // MARK: - Workers

    /// A parser and the batch it fills. A class, so that each thread can be handed its own; unchecked
    /// Sendable because each is used by one thread at a time: its piece while parsing, the loader after.
    private final class Worker: @unchecked Sendable {
        var parser: FactParser
        var batch = FactBatch()

        init(_ parser: FactParser) { self.parser = parser }
    }

    /// One piece of a chunk and the worker for it; the bytes are the loader's buffer, which outlives the parse.
    private final class Piece: @unchecked Sendable {
        let worker: Worker
        let bytes: UnsafeMutableBufferPointer<UInt8>
        let atEnd: Bool, columns: Int
        /// How many of the bytes the parse used.
        private(set) var consumed = 0

        init(worker: Worker, bytes: UnsafeMutableBufferPointer<UInt8>, atEnd: Bool, columns: Int) {
            self.worker = worker
            self.bytes = bytes
            self.atEnd = atEnd
            self.columns = columns
        }

        func parse(in context: FactParser.Context) {
            worker.parser.line = 1
            worker.parser.sawHeader = true
            worker.parser.columns = columns
            consumed = worker.parser.parse(bytes, from: 0, atEnd: atEnd, in: context, into: &worker.batch)
        }
    }
}
