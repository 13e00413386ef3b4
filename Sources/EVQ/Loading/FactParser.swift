/// Finds the records of a stretch of a facts.csv-shaped file and codes their fields into a `FactBatch`,
/// straight from the bytes: no String per field. It reads the catalogue but never changes it, so several
/// parsers can work on pieces of a chunk at once (`FactLoader`).
///
/// Fields are found in place (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks;
/// CRLF is accepted) and coded from their bytes: ids, metrics, units, bounds and sources through
/// `NameTable`s, periods by `Period.parse(bytes:)`, plain decimals by `decimal(_:)`. Anything unusual
/// (a value range, an exponent, a name not seen before) takes the String route the other loaders use,
/// so the messages are the same.
struct FactParser {
    let file: String
    /// The line the next unread byte is on.
    var line = 1
    /// Whether the header has been read: records before it are the header.
    var sawHeader = false
    /// The header's width: the nine columns every facts file has, or those and `FactLinks.columns`.
    var columns = FactLoader.header.count
    private var entities = NameTable(), metrics = NameTable(), units = NameTable(), sources = NameTable(), bounds = NameTable()
    private var fields = Fields()

    init(file: String) { self.file = file }

    /// What the parser reads while coding: the catalogue and the store's units, as they were before the chunk.
    struct Context: Sendable {
        let catalog: Catalog
        let units: [String: Int32]
    }

    /// Codes the records of `p` from `start` into `batch`, stopping at the first bad one (left in
    /// `batch.error`). Returns where the unread rest starts: a record that the end of `p` cuts off waits
    /// for more input, unless `atEnd`. With `untilHeader`, stops after the header.
    mutating func parse(_ p: UnsafeMutableBufferPointer<UInt8>, from start: Int, atEnd: Bool, in context: Context,
                        into batch: inout FactBatch, untilHeader: Bool = false) -> Int {
        var i = start
        do throws(DataError) {
            while i < p.count {
                let recordLine = line
                guard let next = try scanRecord(p, from: i, atEnd: atEnd) else { break }
                i = next
                if fields.count == 1, fields[0].isEmpty, !fields.isQuoted(0) { continue }  // a blank line
                unescapeQuoted(p)
                if sawHeader {
                    try addRow(p, line: recordLine, in: context, into: &batch)
                } else {
                    try checkHeader(p, line: recordLine)
                    if untilHeader { break }
                }
            }
        } catch {
            batch.error = error
        }
        return i
    }

    /// Forgets the codes given to names that were new in the last batch (they were batch-local).
    mutating func forgetNewNames() {
        metrics = NameTable()
        units = NameTable()
        sources = NameTable()
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
        let names = (0..<fields.stored).map { Text.trimmed(FactParser.string(p, fields[$0])) }
        guard fields.count == fields.stored,
              names == FactLoader.header || names == FactLoader.header + FactLinks.columns else {
            throw Dataset.headerError(file: file, line: line, header: FactLoader.header, empty: false)
        }
        columns = names.count
        sawHeader = true
    }

    // MARK: - Fields

    private mutating func addRow(_ p: UnsafeMutableBufferPointer<UInt8>, line recordLine: Int, in context: Context,
                                 into batch: inout FactBatch) throws(DataError) {
        guard fields.count == columns else {
            throw DataError(file: file, line: recordLine, column: nil,
                            message: "\(fields.count) columns, expected \(columns)")
        }
        let file = self.file
        func fail(_ column: String, _ message: String) -> DataError { DataError(file: file, line: recordLine, column: column, message: message) }
        for k in 0..<fields.count { fields[k] = FactParser.trim(p, fields[k]) }
        let f = fields
        let entity = try FactParser.code(p[f[0]], in: &entities) { text throws(DataError) in
            guard let e = context.catalog.entity(id: text) else { throw fail("entity", "unknown entity '\(text)'") }
            return Int32(clamping: e)
        }
        guard !f[1].isEmpty else { throw fail("metric", "empty metric") }
        let metric = try FactParser.code(p[f[1]], in: &metrics) { text throws(DataError) in
            context.catalog.metric(named: text).map { Int32(clamping: $0) } ?? FactParser.newName(text, in: &batch.newMetrics)
        }
        guard let period = Period.parse(bytes: p[f[2]]) else {
            throw fail("period", "'\(FactParser.string(p, f[2]))' is not a period (2025, 2025-04, 2025-04-28, 2025-Q1, 2025-H2, A..B or -)")
        }
        let boundCode = try FactParser.code(p[f[5]], in: &bounds) { text throws(DataError) in
            guard let b = FactStore.Bound.allCases.firstIndex(where: { $0.rawValue == text }) else {
                throw fail("bound", "'\(text)' is not one of \(FactStore.Bound.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return Int32(b)
        }
        let bound = FactStore.Bound.allCases[Int(boundCode)]
        let (lo, hi) = try FactParser.value(p, f[3], bound: bound) { fail("value", $0) }
        let note = f[8].isEmpty ? "" : FactParser.string(p, f[8])
        let unit = try FactParser.code(p[f[4]], in: &units) { text throws(DataError) in
            context.units[text] ?? FactParser.newName(text, in: &batch.newUnits)
        }
        let source = try FactParser.code(p[f[6]], in: &sources) { text throws(DataError) in
            let name = text.isEmpty ? file : text
            return context.catalog.source(file: name).map { Int32(clamping: $0) } ?? FactParser.newName(name, in: &batch.newSources)
        }
        batch.append(entity: entity, metric: metric, period: period, lo: lo, hi: hi, bound: bound,
                     effectiveBound: FactParser.effectiveBound(bound, note: note), unit: unit, source: source,
                     line: try FactParser.citedLine(p, f[7]) { fail("line", $0) }, note: note, fileLine: Int32(clamping: recordLine))
        if columns > FactLoader.header.count, (FactLoader.header.count..<columns).contains(where: { !f[$0].isEmpty }) {
            let linkFields = (FactLoader.header.count..<columns).map { FactParser.string(p, f[$0]) }
            batch.links.append(PendingLinks(row: batch.count - 1, fileLine: Int32(clamping: recordLine),
                                            fields: linkFields))
        }
    }

    /// The code for a name new to the catalogue or store: `-(k + 1)` for the k-th in `names` (see `FactBatch`).
    private static func newName(_ name: String, in names: inout [String]) -> Int32 {
        names.append(name)
        return -Int32(clamping: names.count)
    }

    /// A name's code: from the table when these bytes were seen before, else from `make` (which may throw), remembered.
    private static func code(_ key: Slice<UnsafeMutableBufferPointer<UInt8>>, in table: inout NameTable,
                             make: (String) throws(DataError) -> Int32) throws(DataError) -> Int32 {
        if let c = table.code(for: key) { return c }
        let c = try make(String(decoding: key, as: UTF8.self))
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
        if bound != .range, let v = FactParser.decimal(p[r]) { return (v, v) }
        return try Dataset.values(FactParser.string(p, r), isRange: bound == .range, fail: fail)
    }

    /// The article line a fact cites: empty or `-` for none.
    private static func citedLine(_ p: UnsafeMutableBufferPointer<UInt8>, _ r: Range<Int>, fail: (String) -> DataError) throws(DataError) -> Int32 {
        if r.isEmpty || (r.count == 1 && p[r.lowerBound] == UInt8(ascii: "-")) { return 0 }
        let text = FactParser.string(p, r)
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
        let v = fraction > 0 ? Double(n) / FactParser.powersOfTen[fraction] : Double(n)
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
