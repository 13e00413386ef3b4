/// Reads a facts.csv-shaped file a chunk at a time, straight from its bytes into a staged copy of the
/// dataset's fact columns: no String per field, so a 10-million-row file loads at disk-like speed.
///
/// Fields are found in place (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks;
/// CRLF and a UTF-8 BOM are accepted) and coded from their bytes: ids, metrics, units, bounds and sources
/// through `NameTable`s, periods by `Period.parse(bytes:)`, plain decimals by `decimal(_:)`. Anything
/// unusual (a value range, an exponent, a name not seen before) takes the String route the other
/// loaders use, so the messages are the same. All or nothing: the caller keeps `data` only if every
/// record was good.
struct FactLoader {
    private(set) var data: Dataset
    let file: String
    /// The line the next unread byte is on.
    private(set) var line = 1
    private var sawHeader = false
    /// Whether nothing has been read yet, so a UTF-8 byte order mark may come (once).
    private var atFileStart = true
    private var sizeHint: Int?
    private var entities = NameTable(), metrics = NameTable(), units = NameTable(), sources = NameTable(), bounds = NameTable()
    private var fields = Fields()

    static let header = ["entity", "metric", "period", "value", "unit", "bound", "source", "line", "note"]

    init(into data: Dataset, file: String, sizeHint: Int? = nil) {
        self.data = data
        self.file = file
        self.sizeHint = sizeHint
        self.data.facts.begin(file: file)
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
        let rowsBefore = data.facts.count
        while i < chunk.count {
            let recordLine = line
            guard let next = try scanRecord(chunk, from: i, atEnd: atEnd) else { break }
            i = next
            if fields.count == 1, fields[0].isEmpty, !fields.isQuoted(0) { continue }  // a blank line
            unescapeQuoted(chunk)
            if sawHeader { try addRow(chunk, line: recordLine) } else { try checkHeader(chunk, line: recordLine) }
        }
        reserveOnce(rows: data.facts.count - rowsBefore, bytes: i)
        return i
    }

    /// Ends the load: an empty file is an error; the index is built once for all the rows.
    mutating func finish() throws(DataError) -> Dataset {
        guard sawHeader else { throw Dataset.headerError(file: file, line: 1, header: FactLoader.header, empty: true) }
        data.facts.finishIndex()
        return data
    }

    // MARK: - Records

    /// Finds the fields of the record starting at `start`; returns where the next one starts, or nil
    /// when the record runs past the chunk and more input may follow.
    private mutating func scanRecord(_ p: UnsafeMutableBufferPointer<UInt8>, from start: Int, atEnd: Bool) throws(DataError) -> Int? {
        fields.removeAll()
        var i = start, fieldStart = start, newlines = 0
        let comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        func fail(_ message: String, at line: Int) -> DataError { DataError(file: file, line: line, column: nil, message: message) }
        while true {
            guard i < p.count else {
                guard atEnd else { return nil }
                fields.append(fieldStart..<i, quoted: false)
                break
            }
            let b = p[i]
            if b == comma || b == lf {
                let end = b == lf && i > fieldStart && p[i - 1] == cr ? i - 1 : i
                fields.append(fieldStart..<end, quoted: false)
                i += 1
                if b == lf { newlines += 1; break }
                fieldStart = i
            } else if b == quote {
                guard i == fieldStart else {
                    throw fail("a quote inside an unquoted field; quote the whole field and double the inner quotes", at: line + newlines)
                }
                guard let close = try closingQuote(p, after: i, newlines: &newlines, atEnd: atEnd) else { return nil }
                fields.append(i + 1..<close, quoted: true)
                i = close + 1
                if i < p.count, p[i] == cr { i += 1 }
                guard i < p.count else {
                    guard atEnd else { return nil }
                    break
                }
                guard p[i] == comma || p[i] == lf else {
                    throw fail("text after a closing quote; a quoted field must end at a comma or line end", at: line + newlines)
                }
                i += 1
                if p[i - 1] == lf { newlines += 1; break }
                fieldStart = i
            } else {
                i += 1
            }
        }
        line += newlines
        return i
    }

    /// The index of the quote that closes the field opened at `open`, skipping doubled quotes.
    private func closingQuote(_ p: UnsafeMutableBufferPointer<UInt8>, after open: Int, newlines: inout Int, atEnd: Bool) throws(DataError) -> Int? {
        var i = open + 1
        while i < p.count {
            if p[i] == UInt8(ascii: "\"") {
                guard i + 1 < p.count else { return atEnd ? i : nil }
                if p[i + 1] != UInt8(ascii: "\"") { return i }
                i += 2
                continue
            }
            if p[i] == UInt8(ascii: "\n") { newlines += 1 }
            i += 1
        }
        guard atEnd else { return nil }
        throw DataError(file: file, line: line, column: nil, message: "a quoted field is never closed")
    }

    /// Turns each quoted field's doubled quotes into one, in place (the text only shrinks).
    private mutating func unescapeQuoted(_ p: UnsafeMutableBufferPointer<UInt8>) {
        for f in 0..<fields.stored where fields.isQuoted(f) {
            var write = fields[f].lowerBound, read = write
            while read < fields[f].upperBound {
                p[write] = p[read]
                read += p[read] == UInt8(ascii: "\"") ? 2 : 1
                write += 1
            }
            fields[f] = fields[f].lowerBound..<write
        }
    }

    private mutating func checkHeader(_ p: UnsafeMutableBufferPointer<UInt8>, line: Int) throws(DataError) {
        let names = (0..<fields.stored).map { Text.trimmed(FactLoader.string(p, fields[$0])) }
        guard fields.count == fields.stored, names == FactLoader.header else {
            throw Dataset.headerError(file: file, line: line, header: FactLoader.header, empty: false)
        }
        sawHeader = true
    }

    /// Reserves the columns for the whole file once the first chunk shows how long a row is.
    private mutating func reserveOnce(rows: Int, bytes: Int) {
        guard let size = sizeHint, rows > 0, bytes > 0 else { return }
        sizeHint = nil
        data.facts.reserve(Int(Double(size) / Double(bytes) * Double(rows) * 1.02) + 64)
    }

    // MARK: - Fields

    private mutating func addRow(_ p: UnsafeMutableBufferPointer<UInt8>, line recordLine: Int) throws(DataError) {
        guard fields.count == FactLoader.header.count else {
            throw DataError(file: file, line: recordLine, column: nil, message: "\(fields.count) columns, expected \(FactLoader.header.count)")
        }
        func fail(_ column: String, _ message: String) -> DataError { DataError(file: file, line: recordLine, column: column, message: message) }
        for k in 0..<fields.count { fields[k] = FactLoader.trim(p, fields[k]) }
        let f = fields
        let entity = try FactLoader.code(p[f[0]], in: &entities) { text throws(DataError) in
            guard let e = data.catalog.entity(id: text) else { throw fail("entity", "unknown entity '\(text)'") }
            return e
        }
        guard !f[1].isEmpty else { throw fail("metric", "empty metric") }
        let metric = try FactLoader.code(p[f[1]], in: &metrics) { text throws(DataError) in data.catalog.addMetric(named: text) }
        guard let period = Period.parse(bytes: p[f[2]]) else {
            throw fail("period", "'\(FactLoader.string(p, f[2]))' is not a period (2025, 2025-04, 2025-04-28, 2025-Q1, 2025-H2, A..B or -)")
        }
        let boundCode = try FactLoader.code(p[f[5]], in: &bounds) { text throws(DataError) in
            guard let b = FactStore.Bound.allCases.firstIndex(where: { $0.rawValue == text }) else {
                throw fail("bound", "'\(text)' is not one of \(FactStore.Bound.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return b
        }
        let bound = FactStore.Bound.allCases[Int(boundCode)]
        let (lo, hi) = try FactLoader.value(p, f[3], bound: bound) { fail("value", $0) }
        let note = f[8].isEmpty ? "" : FactLoader.string(p, f[8])
        let unit = try FactLoader.code(p[f[4]], in: &units) { text throws(DataError) in Int(data.facts.code(unit: text)) }
        let source = try FactLoader.code(p[f[6]], in: &sources) { text throws(DataError) in data.catalog.sourceIndex(file: text.isEmpty ? file : text) }
        data.facts.append(entity: entity, metric: metric, period: period, lo: lo, hi: hi, bound: bound,
                          effectiveBound: FactLoader.effectiveBound(bound, note: note), unit: unit, source: source,
                          line: try FactLoader.citedLine(p, f[7]) { fail("line", $0) }, note: data.facts.code(note: note), fileLine: Int32(clamping: recordLine))
    }

    /// A name's code: from the table when these bytes were seen before, else from `make` (which may throw), remembered.
    private static func code(_ key: Slice<UnsafeMutableBufferPointer<UInt8>>, in table: inout NameTable,
                      make: (String) throws(DataError) -> Int) throws(DataError) -> Int32 {
        if let c = table.code(for: key) { return c }
        let c = Int32(clamping: try make(String(decoding: key, as: UTF8.self)))
        table.insert(key, code: c)
        return c
    }

    /// For derived rows, the bound the note declares (`at-least: …`), else exact; the row's own bound otherwise.
    private static func effectiveBound(_ bound: FactStore.Bound, note: String) -> FactStore.Bound {
        guard bound == .derived else { return bound }
        let kind = note.split(separator: ":", maxSplits: 1).first.map { Text.trimmed(String($0)) } ?? ""
        let declared = FactStore.Bound(rawValue: kind) ?? .exact
        return declared == .derived ? .exact : declared
    }

    /// The value: a plain decimal from its bytes, else (ranges, exponents, signs) the general parser.
    private static func value(_ p: UnsafeMutableBufferPointer<UInt8>, _ r: Range<Int>, bound: FactStore.Bound,
                       fail: (String) -> DataError) throws(DataError) -> (Double, Double) {
        if bound != .range, let v = FactLoader.decimal(p[r]) { return (v, v) }
        return try Dataset.values(FactLoader.string(p, r), isRange: bound == .range, fail: fail)
    }

    /// The article line a fact cites: empty or `-` for none.
    private static func citedLine(_ p: UnsafeMutableBufferPointer<UInt8>, _ r: Range<Int>, fail: (String) -> DataError) throws(DataError) -> Int32 {
        if r.isEmpty || (r.count == 1 && p[r.lowerBound] == UInt8(ascii: "-")) { return 0 }
        let text = FactLoader.string(p, r)
        guard let n = Int32(text), n > 0 else { throw fail("'\(text)' is not a line number") }
        return n
    }

    /// `[-]digits[.digits]` with at most 15 digits, exactly as `Double(String)` reads it: the digits form an
    /// integer below 2^53 and dividing by a power of ten up to 10^15 rounds once, correctly. Nil for anything else.
    static func decimal(_ b: Slice<UnsafeMutableBufferPointer<UInt8>>) -> Double? {
        var i = b.startIndex, digits = 0, fraction = -1
        var n: Int64 = 0
        let negative = i < b.endIndex && b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        while i < b.endIndex {
            let c = b[i]
            if c == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), digits < 15 {
                n = n * 10 + Int64(c - UInt8(ascii: "0"))
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let v = fraction > 0 ? Double(n) / FactLoader.powersOfTen[fraction] : Double(n)
        return negative ? -v : v
    }

    private static let powersOfTen: [Double] = (0...15).map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }

    // MARK: - Bytes

    private static func trim(_ p: UnsafeMutableBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, z = r.upperBound
        while a < z, Text.isSpace(p[a]) { a += 1 }
        while z > a, Text.isSpace(p[z - 1]) { z -= 1 }
        return a..<z
    }

    private static func string(_ p: UnsafeMutableBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: p[r], as: UTF8.self)
    }

    /// The current record's fields as byte ranges in the chunk, held inline: a record costs no allocation.
    /// Only the first 16 are kept; `count` still counts them all, for the "N columns" message.
    private struct Fields {
        private var ranges = InlineArray<16, Range<Int>>(repeating: 0..<0)
        private var quotedBits: UInt32 = 0
        private(set) var count = 0

        /// How many ranges are kept.
        var stored: Int { min(count, ranges.count) }

        subscript(i: Int) -> Range<Int> {
            get { ranges[i] }
            set { ranges[i] = newValue }
        }

        func isQuoted(_ i: Int) -> Bool { quotedBits & (1 << UInt32(i)) != 0 }

        mutating func removeAll() {
            count = 0
            quotedBits = 0
        }

        mutating func append(_ range: Range<Int>, quoted: Bool) {
            if count < ranges.count {
                ranges[count] = range
                if quoted { quotedBits |= 1 << UInt32(count) }
            }
            count += 1
        }
    }
}
