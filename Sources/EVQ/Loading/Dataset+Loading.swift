/// Reading data files into a dataset: facts streamed a chunk at a time (`FactLoader`), entities, metric
/// definitions, events and sources parsed whole (`CSV`). Every loader is all or nothing.
extension Dataset {
    /// The kinds of file `load` takes, told apart by the first column of the header.
    public enum FileKind: Sendable {
        /// `entity,metric,period,…`: figures, read a chunk at a time.
        case facts
        /// `id,kind,name,…`: entities and their aliases.
        case entities
        /// `metric,aliases,additive,meaning`: metric definitions (whether a loaded metric adds up over time).
        case metrics
    }

    /// Reads a facts, entities or metrics file (see `FileKind`); all or nothing: on any bad row, or a read
    /// error, the dataset is unchanged.
    public mutating func load(from source: inout some ByteSource, file: String,
                              threads: Int = Parallel.available) throws(DataError) {
        // The first 256 bytes hold any header line, and say which kind of file this is.
        var head = [UInt8](repeating: 0, count: 256)
        head.removeSubrange(try Dataset.fill(&head, from: 0, source: &source, file: file)...)
        // A source is not read again once it has ended (on a terminal, that would wait for a second Ctrl-D).
        var ended = head.count < 256
        let kind = Dataset.kind(ofHeader: head[...])
        if kind == .facts {
            // A megabyte per thread, at least 4 MB: a chunk's pieces are parsed at once, then merged in turn.
            try loadFacts(from: &source, file: file, chunkSize: max(4, threads) << 20, prefix: head, ended: ended,
                          threads: threads)
            return
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !ended {
            let n = try Dataset.fill(&chunk, from: 0, source: &source, file: file)
            head += chunk[..<n]
            ended = n < chunk.count
        }
        if kind == .entities { try loadEntities(head, file: file) } else { try loadMetrics(head, file: file) }
    }

    /// Streams a facts.csv-shaped file through a `FactLoader`, `chunkSize` bytes at a time, after the bytes
    /// of `prefix` already read from it (all of it, if `ended`). Tests use tiny chunks to put records across
    /// chunk boundaries. A record may grow the buffer up to `maxRecord` bytes: past that, a quote is
    /// surely never closed, and reading on would only exhaust memory. A chunk is parsed in up to `threads`
    /// pieces of at least `minimumSplit` bytes at once (tests vary both to compare the results).
    mutating func loadFacts(from source: inout some ByteSource, file: String, chunkSize: Int, prefix: [UInt8] = [],
                            ended: Bool = false, maxRecord: Int = 1 << 26, threads: Int = Parallel.available,
                            minimumSplit: Int = 1 << 16) throws(DataError) {
        var buffer = prefix + repeatElement(0, count: max(1, chunkSize - prefix.count))
        let filled = ended ? prefix.count : try Dataset.fill(&buffer, from: prefix.count, source: &source, file: file,
                                                              threads: threads)
        var loader = FactLoader(into: self, file: file, sizeHint: source.size, threads: threads,
                                minimumSplit: minimumSplit)
        // The loader appends to the dataset's own columns: letting go of this copy lets them grow in place
        // instead of being copied whole, and a failed load cuts them back.
        self = Dataset()
        do throws(DataError) {
            try Dataset.stream(&source, through: &loader, buffer: &buffer, filled: filled, file: file,
                               maxRecord: maxRecord, threads: threads)
            self = try loader.finish()
        } catch {
            self = loader.rolledBack()
            throw error
        }
    }

    /// Feeds the loader until the source ends; `buffer` holds `filled` bytes already read.
    private static func stream(_ source: inout some ByteSource, through loader: inout FactLoader, buffer: inout [UInt8], filled: Int,
                               file: String, maxRecord: Int, threads: Int) throws(DataError) {
        var filled = filled
        while true {
            let atEnd = filled < buffer.count, end = filled
            let used = try buffer.withUnsafeMutableBufferPointer { p throws(DataError) in
                try loader.feed(UnsafeMutableBufferPointer(rebasing: p[..<end]), atEnd: atEnd)
            }
            if atEnd { break }
            // The unfinished record moves to the front; one longer than the buffer doubles it.
            let rest = filled - used
            if used == 0 {
                guard buffer.count < maxRecord else {
                    throw DataError(file: file, line: loader.line, column: nil,
                                    message: "a record longer than \(maxRecord >= 1 << 20 ? "\(maxRecord >> 20) MB" : "\(maxRecord) bytes"); is a quote never closed?")
                }
                buffer += repeatElement(0, count: buffer.count)
            }
            buffer.withUnsafeMutableBufferPointer { p in for j in 0..<rest { p[j] = p[used + j] } }
            filled = try Dataset.fill(&buffer, from: rest, source: &source, file: file, threads: threads)
        }
    }

    /// Reads into `buffer` from `start` until it is full or the source ends, in up to `threads` parts read
    /// at once (a megabyte each at least); returns the bytes now in it.
    private static func fill(_ buffer: inout [UInt8], from start: Int, source: inout some ByteSource, file: String,
                             threads: Int = 1) throws(DataError) -> Int {
        let parts = max(1, min(threads, (buffer.count - start) >> 20))
        do {
            return try start + buffer.withUnsafeMutableBufferPointer { p in
                try source.read(into: UnsafeMutableBufferPointer(rebasing: p[start...]), parts: parts)
            }
        } catch {
            throw DataError(file: file, line: 0, column: nil, message: "cannot read: \(error)")
        }
    }

    /// The kind of file whose first bytes these are: the first column of its header (its first line that is
    /// not blank, quoted or not) names it.
    static func kind(ofHeader bytes: ArraySlice<UInt8>) -> FileKind {
        let text = String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes, as: UTF8.self)
        let header = text.split(whereSeparator: \.isNewline).first { !Text.trimmed(String($0)).isEmpty } ?? ""
        var first = Text.trimmed(String(header.prefix { $0 != "," }))
        if first.count >= 2, first.hasPrefix("\""), first.hasSuffix("\"") { first = String(first.dropFirst().dropLast()) }
        switch Text.trimmed(first).lowercased() {
        case "id": return .entities
        case "metric": return .metrics
        default: return .facts
        }
    }

    /// Reads a facts.csv-shaped file held in memory; all or nothing.
    public mutating func loadFacts(_ bytes: [UInt8], file: String,
                                   threads: Int = Parallel.available) throws(DataError) {
        var source = ByteArraySource(bytes)
        // One chunk, ending before the buffer does.
        try loadFacts(from: &source, file: file, chunkSize: bytes.count + 1, threads: threads)
    }

    /// A value field: a number or `lo..hi`.
    static func values(_ text: String, isRange: Bool, fail: (String) -> DataError) throws(DataError) -> (Double, Double) {
        func read(_ part: Substring) throws(DataError) -> Double {
            do throws(NumberProblem) { return try number(part) } catch {
                throw fail("'\(text)' \(error.message)")
            }
        }
        if let r = text.firstRange(of: "..") {
            let a = try read(text[..<r.lowerBound]), b = try read(text[r.upperBound...])
            guard a <= b else {
                throw fail("'\(text)' is not a range lo..hi: \(text[..<r.lowerBound]) "
                           + "is above \(text[r.upperBound...])")
            }
            return (a, b)
        }
        let v = try read(text[...])
        if isRange { throw fail("bound 'range' needs a value lo..hi, not '\(text)'") }
        return (v, v)
    }

    /// Why a field is not a number queries can use.
    enum NumberProblem: Error {
        case notDecimal, tooLarge, tooSmall
        var message: String {
            switch self {
            case .notDecimal: return "is not a number"
            case .tooLarge: return "is larger than 10^18, the largest value EVQ computes with exactly"
            case .tooSmall: return "is too small to tell from 0 (below 10^-300); write 0 if it is 0"
            }
        }
    }

    /// A decimal number as a data file writes it — `-12`, `3.5`, `.5`, `1.2e9` — and nothing else: no `0x10`,
    /// `inf` or `nan`, which `Double(String)` would also read; no magnitude past `Quantity.largestExact`, and no non-zero
    /// figure so small that it reads as 0.
    static func number(_ text: Substring) throws(NumberProblem) -> Double {
        let bytes = Array(text.utf8)
        var i = 0, digits = 0, nonZero = false
        func digitRun() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { nonZero = nonZero || bytes[i] != 0x30; i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        digits += digitRun()
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            digits += digitRun()
        }
        guard digits > 0 else { throw .notDecimal }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let mantissaNonZero = nonZero
            guard digitRun() > 0 else { throw .notDecimal }
            nonZero = mantissaNonZero
        }
        guard i == bytes.count, let v = Double(text) else { throw .notDecimal }
        guard abs(v) <= Quantity.largestExact else { throw .tooLarge }
        guard !nonZero || abs(v) >= 1e-300 else { throw .tooSmall }
        return v
    }

    /// Reads an entities.csv-shaped file into the catalogue, in place: all or nothing, at the cost of the
    /// entities it adds (a failed load takes back only those, not a copy of the whole catalogue).
    public mutating func loadEntities(_ bytes: [UInt8], file: String) throws(DataError) {
        let records = try Dataset.records(bytes, file: file, header: ["id", "kind", "name", "parent", "partner", "aliases"])
        let known = catalog.entities.count
        do throws(DataError) {
            try addEntities(records.dropFirst(), file: file)
        } catch {
            catalog.removeEntities(from: known)
            throw error
        }
    }

    /// Adds the entities of an entities file's records after `known` others, then links and checks them.
    private mutating func addEntities(_ records: ArraySlice<CSV.Record>, file: String) throws(DataError) {
        let known = catalog.entities.count
        var parents: [String?] = [], partners: [String?] = [], lines: [Int] = []
        for r in records {
            let f = r.fields.map(Text.trimmed)
            guard !f[0].isEmpty else { throw DataError(file: file, line: r.line, column: "id", message: "empty id") }
            guard catalog.entity(id: f[0]) == nil else {
                throw DataError(file: file, line: r.line, column: "id", message: "entity '\(f[0])' is defined twice")
            }
            guard let kind = EntityKind(rawValue: f[1]) else {
                throw DataError(file: file, line: r.line, column: "kind",
                                message: "'\(f[1])' is not one of \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let aliases = f[5].split(separator: "|").map { Text.trimmed(String($0)) }.filter { !$0.isEmpty }
            catalog.add(Entity(id: f[0], kind: kind, name: f[2].isEmpty ? f[0] : f[2], parent: nil, partner: nil,
                               aliases: aliases))
            parents.append(f[3]); partners.append(f[4]); lines.append(r.line)
        }
        if let (i, id) = catalog.link(parents: parents, partners: partners, from: known).first {
            throw DataError(file: file, line: lines[i - known], column: "parent", message: "unknown entity '\(id)'")
        }
        switch catalog.ancestryProblem(from: known) {
        case (_, .cycle(let i))?:
            throw DataError(file: file, line: lines[i - known], column: "parent",
                            message: "'\(catalog.entities[i].id)' would be its own ancestor; "
                                 + "roll-ups need a tree")
        case (let i, .tooDeep)?:
            throw DataError(file: file, line: lines[i - known], column: "parent",
                            message: "'\(catalog.entities[i].id)' is more than \(Catalog.maximumDepth) levels "
                                 + "below the top of its hierarchy; "
                                + "roll-ups go \(Catalog.maximumDepth) levels at most")
        case nil:
            break
        }
    }

    /// Reads a metrics.csv-shaped file: new metrics, or definitions of metrics only facts have named so
    /// far (which otherwise never add up over time). Built-in metrics keep theirs. All or nothing.
    /// `skippingBuiltIn` passes over rows for built-in metrics (a table that lists every metric, `SQLTable.metrics`).
    public mutating func loadMetrics(_ bytes: [UInt8], file: String, skippingBuiltIn: Bool = false) throws(DataError) {
        let records = try Dataset.records(bytes, file: file, header: ["metric", "aliases", "additive", "meaning"])
        var staged = catalog
        var defined: Set<String> = []
        let builtIn = skippingBuiltIn ? Set(Metric.builtIn.map(\.name)) : []
        for r in records.dropFirst() where !builtIn.contains(Text.trimmed(r.fields[0]).lowercased()) {
            func fail(_ column: String, _ message: String) -> DataError { DataError(file: file, line: r.line, column: column, message: message) }
            let f = r.fields.map(Text.trimmed)
            let name = f[0].lowercased()
            guard Dataset.isQueryName(name) else { throw fail("metric", "'\(f[0])' cannot be named in a query; use letters, digits, '-' and '_', and no keyword") }
            guard defined.insert(name).inserted else { throw fail("metric", "'\(name)' is defined twice") }
            let aliases = f[1].split(separator: "|").map { Text.trimmed(String($0)).lowercased() }.filter { !$0.isEmpty }
            if let bad = aliases.first(where: { !Dataset.isQueryName($0) }) {
                throw fail("aliases", "'\(bad)' cannot be named in a query; use letters, digits, '-' and '_', and no keyword")
            }
            let additive: Bool
            switch f[2].lowercased() {
            case "yes", "true": additive = true
            case "no", "false": additive = false
            default: throw fail("additive", "'\(f[2])' is not yes or no")
            }
            let summary = f[3].isEmpty ? "defined in \(file)" : f[3]
            do { try staged.define(Metric(name: name, aliases: aliases, additive: additive, summary: summary)) } catch {
                throw fail(error.column, error.message)
            }
        }
        catalog = staged
    }

    /// Whether `name` reads as one word in a query, so a metric or alias of that name can be asked for.
    static func isQueryName(_ name: String) -> Bool {
        guard let tokens = try? Lexer.tokenize(SourceFile(name: "", text: name)), tokens.count == 2,
              tokens[0].kind == .word, tokens[0].text == name else { return false }
        return Keyword(rawValue: name) == nil
    }

    public mutating func loadEvents(_ bytes: [UInt8], file: String) throws(DataError) {
        let records = try Dataset.records(bytes, file: file, header: ["date", "entity", "kind", "description", "source", "line"])
        var staged = self
        for r in records.dropFirst() {
            let f = r.fields.map(Text.trimmed)
            guard let period = Period.parse(f[0]) else { throw DataError(file: file, line: r.line, column: "date", message: "'\(f[0])' is not a period") }
            guard let entity = staged.catalog.entity(id: f[1]) else {
                throw DataError(file: file, line: r.line, column: "entity", message: "unknown entity '\(f[1])'")
            }
            staged.events.append(Event(period: period, entity: entity, kind: f[2], description: f[3],
                                       source: staged.catalog.sourceIndex(file: f[4]), line: Int(f[5]) ?? 0))
        }
        staged.events.sort { ($0.period.start, $0.period.day, $0.entity) < ($1.period.start, $1.period.day, $1.entity) }
        self = staged
    }

    /// Reads stated rankings (`period,metric,leader,trailer,source,line,note`); all or nothing.
    public mutating func loadRankings(_ bytes: [UInt8], file: String) throws(DataError) {
        let records = try Dataset.records(bytes, file: file,
                                          header: ["period", "metric", "leader", "trailer", "source", "line", "note"])
        var staged = self
        for r in records.dropFirst() {
            let f = r.fields.map(Text.trimmed)
            func fail(_ column: String, _ message: String) -> DataError {
                DataError(file: file, line: r.line, column: column, message: message)
            }
            guard let period = Period.parse(f[0]), !period.isTimeless else {
                throw fail("period", "'\(f[0])' is not a period")
            }
            guard let metric = staged.catalog.metric(named: f[1]) else {
                throw fail("metric", "unknown metric '\(f[1])'")
            }
            guard let leader = staged.catalog.entity(id: f[2]) else { throw fail("leader", "unknown entity '\(f[2])'") }
            guard let trailer = staged.catalog.entity(id: f[3]), trailer != leader else {
                throw fail("trailer", "'\(f[3])' is not another known entity")
            }
            staged.rankings.append(Ranking(period: period, metric: metric, leader: leader, trailer: trailer,
                                           source: staged.catalog.sourceIndex(file: f[4]), line: Int(f[5]) ?? 0,
                                           note: f[6]))
        }
        self = staged
    }

    public mutating func loadSources(_ bytes: [UInt8], file: String) throws(DataError) {
        let records = try Dataset.records(bytes, file: file, header: ["source", "id", "title", "author", "publisher", "note"])
        for r in records.dropFirst() {
            let f = r.fields.map(Text.trimmed)
            catalog.add(Source(file: f[0], id: f[1], title: f[2], author: f[3], publisher: f[4], note: f[5]))
        }
    }

    /// A file whose first record is not the header it must have.
    static func headerError(file: String, line: Int, header: [String], empty: Bool) -> DataError {
        let expected = "expected the header \(header.joined(separator: ","))"
        return DataError(file: file, line: line, column: nil, message: empty ? "empty file; " + expected : expected)
    }

    /// Parses CSV and checks the header and every record's width.
    static func records(_ bytes: [UInt8], file: String, header: [String]) throws(DataError) -> [CSV.Record] {
        let records: [CSV.Record]
        do { records = try CSV.parse(bytes) } catch { throw DataError(file: file, line: error.line, column: nil, message: error.message) }
        guard let first = records.first else { throw headerError(file: file, line: 1, header: header, empty: true) }
        guard first.fields.map(Text.trimmed) == header else { throw headerError(file: file, line: first.line, header: header, empty: false) }
        for r in records where r.fields.count != header.count {
            throw DataError(file: file, line: r.line, column: nil, message: "\(r.fields.count) columns, expected \(header.count)")
        }
        return records
    }
}
