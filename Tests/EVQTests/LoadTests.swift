import Foundation
import Testing
@testable import EVQ

@Suite struct LoadTests {
    static let entities = "id,kind,name,parent,partner,aliases\nli-auto,maker,Li Auto,,,理想|Li\n"
    static let facts = "\u{FEFF}entity,metric,period,value,unit,bound,source,line,note\r\n"
        + "li-auto,deliveries,2025-04,33939,vehicles,exact,my-notes.txt,3,\"my own, note\nover two lines\"\r\n"
        + "xiaomi,deliveries,2025-06,25000,vehicles,at-least,my-notes.txt,4,x\r\n"

    func session(_ files: [String: String]) -> Session {
        Session(data: Fixture.data) { path in
            guard let text = files[path] else { throw DataError(file: path, line: 0, column: nil, message: "no such file") }
            return ByteArraySource(Array(text.utf8))
        }
    }

    func run(_ session: inout Session, _ text: String) -> String {
        var out = ""
        ScriptRunner.run(SourceFile(name: "t", text: text), session: &session, options: RenderOptions(), keepGoing: true) { chunk in
            if case .standardOutput(let s) = chunk { out += s }
            if case .failure(let s) = chunk { out += s }
        }
        return out
    }

    @Test func loadedFactsAnswerQueriesAndCiteTheirFile() {
        var s = session(["e.csv": Self.entities, "f.csv": Self.facts])
        let out = run(&s, "load \"e.csv\"; load \"f.csv\"; compare xiaomi 理想 in 2025-04; why show deliveries of li-auto in 2025-04")
        #expect(out.contains("│ 2025-04 │ 28,585 │  33,939 │     -5,354 │ li-auto │"))
        #expect(out.contains("loaded from f.csv:2"))
        #expect(out.contains("my own, note over two lines"), "quoted fields keep commas and line breaks")
    }

    @Test func newNamesJoinTheCatalogue() {
        var s = session(["e.csv": Self.entities])
        _ = run(&s, "load \"e.csv\"")
        #expect(Completer(catalog: s.data.catalog).complete("describe 理", cursor: "describe 理".utf8.count).candidates.contains("理想"))
        #expect(run(&s, "describe li-auo").contains("did you mean 'li-auto'?"))
    }

    @Test func aBadRowRejectsTheWholeFile() {
        var s = session(["e.csv": Self.entities, "bad.csv": "entity,metric,period,value,unit,bound,source,line,note\nli-auto,deliveries,2025-05,1,vehicles,exact,x,1,ok\nli-auto,deliveries,2025-06,\"1,5\",vehicles,exact,x,2,bad\n"])
        let before = s.data.facts.count
        let out = run(&s, "load \"e.csv\"; load \"bad.csv\"")
        #expect(out.contains("error: 'bad.csv' was not loaded: bad.csv:3: error: column 'value': '1,5' is not a number"))
        #expect(s.data.facts.count == before)
    }

    @Test func unknownEntitiesNeedAnEntitiesFile() {
        var s = session(["f.csv": Self.facts])
        #expect(run(&s, "load \"f.csv\"").contains("f.csv:2: error: column 'entity': unknown entity 'li-auto'"))
    }

    @Test func safeModeCannotLoad() {
        var s = Session(data: Fixture.data)
        #expect(run(&s, "load \"x.csv\"").contains("error: loading files is not allowed here"))
    }

    @Test func dataOptionLoadsBeforeQueries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evq-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.entities.write(to: dir.appendingPathComponent("e.csv"), atomically: true, encoding: .utf8)
        try Self.facts.write(to: dir.appendingPathComponent("f.csv"), atomically: true, encoding: .utf8)
        let r = try Fixture.evq(["--data", dir.appendingPathComponent("e.csv").path, "--data", dir.appendingPathComponent("f.csv").path,
                                 "-c", "show deliveries of li in 2025-04"])
        #expect(r.status == 0)
        #expect(r.out.contains("33,939"))
        let safe = try Fixture.evq(["--safe", "-c", "load \"\(dir.appendingPathComponent("e.csv").path)\""])
        #expect(safe.status == 1)
    }

    /// The facts a load produced, as comparable text.
    static func rows(_ data: Dataset) -> [String] {
        (0..<data.facts.count).map { r in
            "\(data.catalog.entities[Int(data.facts.entity[r])].id) \(data.catalog.metrics[Int(data.facts.metric[r])].name) "
                + "\(data.facts.period(r)) \(data.facts.lo[r])..\(data.facts.hi[r]) \(data.facts.bound[r]) \(data.facts.unitName(r)) "
                + "\(data.facts.line[r]) [\(data.facts.note(r))] \(data.facts.origin(r))"
        }
    }

    @Test func recordsAcrossChunkBoundariesLoadTheSame() throws {
        let text = Self.facts + "xiaomi,deliveries,2025-07,\"1.5..2\",vehicles,range,\"a \"\"quoted\"\" source\",-,\r\n\n"
            + " xiaomi , price ,2025, -12.25 , CNY ,approx, s , 7 ,\"derived, no: it is approx\"\n"
            + "xiaomi,deliveries,2025-08,4e3,vehicles,derived,s,8,at-least: sum of parts"
        var whole = Fixture.data
        try whole.loadEntities(Array(Self.entities.utf8), file: "e.csv")
        let base = whole
        try whole.loadFacts(Array(text.utf8), file: "f.csv")
        let expected = Self.rows(whole)
        #expect(expected.count == base.facts.count + 5)
        #expect(expected.last == "xiaomi deliveries 2025-08 4000.0..4000.0 derived vehicles 8 [at-least: sum of parts] f.csv:8")
        for size in Array(1...48) + [97, 1000] {
            for (threads, split) in [(1, 1), (2, 1), (3, 1), (8, 1), (8, Int.max)] {
                var data = base
                var source = ByteArraySource(Array(text.utf8))
                try data.loadFacts(from: &source, file: "f.csv", chunkSize: size, threads: threads, minimumSplit: split)
                #expect(Self.rows(data) == expected, "chunk size \(size), \(threads) threads, pieces from \(split)")
            }
        }
    }

    @Test func errorsNameTheSameLineWhateverTheChunks() {
        let bad = "entity,metric,period,value,unit,bound,source,line,note\nxiaomi,deliveries,2025-06,1,vehicles,exact,f,1,\"two\nlines\"\n"
            + "xiaomi,deliveries,2025-07,1,vehicles,exact,f,1,ok\nxiaomi,deliveries,2025-08,x1,vehicles,exact,f,1,bad\n"
        for size in [1, 2, 5, 17, 64, 1 << 20] {
            var data = Fixture.data
            var source = ByteArraySource(Array(bad.utf8))
            #expect(throws: DataError(file: "b.csv", line: 5, column: "value", message: "'x1' is not a number")) {
                try data.loadFacts(from: &source, file: "b.csv", chunkSize: size, threads: size % 2 == 0 ? 3 : 1,
                                   minimumSplit: 1)
            }
            #expect(data.facts.count == Fixture.data.facts.count)
        }
    }

    @Test func plainDecimalsReadExactlyAsDoubleDoes() {
        var rng = SeededGenerator(seed: 20_000)
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...15, using: &rng)
            var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            if Bool.random(using: &rng) { text.insert(".", at: text.index(text.startIndex, offsetBy: Int.random(in: 0...digits, using: &rng))) }
            if Bool.random(using: &rng) { text = "-" + text }
            var bytes = Array(text.utf8)
            let fast = bytes.withUnsafeMutableBufferPointer { FactParser.decimal($0[...]) }
            #expect(fast.map { $0.bitPattern } == Double(text).map { $0.bitPattern }, "\(text)")
        }
    }

    @Test func manyMetricsAndEntitiesIndexSparsely() throws {
        var data = Fixture.data
        let ids = (0..<300).map { "e\($0)" }
        try data.loadEntities(Array(("id,kind,name,parent,partner,aliases\n" + ids.map { "\($0),brand,,,,\n" }.joined()).utf8), file: "e.csv")
        let facts = "entity,metric,period,value,unit,bound,source,line,note\n"
            + ids.enumerated().map { "\($1),m\($0),2025-01,\($0),u,exact,s,,\n" }.joined()
        try data.loadFacts(Array(facts.utf8), file: "f.csv")
        for (i, id) in ids.enumerated() {
            let e = try #require(data.catalog.entity(id: id)), m = try #require(data.catalog.metric(named: "m\(i)"))
            #expect(data.facts.rows(entity: e, metric: m).map { data.facts.lo[Int($0)] } == [Double(i)])
            #expect(data.facts.rows(entity: e, metric: (m + 1) % data.catalog.metrics.count).isEmpty)
        }
        #expect(!data.facts.rows(entity: data.catalog.entity(id: "xiaomi") ?? -1, metric: 0).isEmpty)
    }

    @Test func nameTableFindsEveryKeyAndNoOther() {
        let keys = (0..<5_000).map { i in String(repeating: "k", count: i % 23) + "\(i)" } + [""]
        var bytes = Array(keys.joined().utf8)
        bytes.withUnsafeMutableBufferPointer { p in
            var table = NameTable()
            var ranges: [Range<Int>] = [], at = 0
            for k in keys { ranges.append(at..<(at + k.utf8.count)); at += k.utf8.count }
            for (i, r) in ranges.enumerated() where i % 2 == 0 { table.insert(p[r], code: Int32(i)) }
            for (i, r) in ranges.enumerated() {
                #expect(table.code(for: p[r]) == (i % 2 == 0 ? Int32(i) : nil), "key \(keys[i])")
            }
        }
    }

    /// A source that hands out a few bytes per read, as a pipe may.
    struct TrickleSource: ByteSource {
        var bytes: [UInt8], offset = 0
        var size: Int? { nil }
        mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            let n = min(buffer.count, bytes.count - offset, offset % 3 + 1)
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    @Test func aSourceThatTricklesLoadsBothKinds() throws {
        var s = Session(data: Fixture.data)
        var entities = TrickleSource(bytes: Array(Self.entities.utf8)), facts = TrickleSource(bytes: Array(Self.facts.utf8))
        try s.load(&entities, name: "e.csv")
        try s.load(&facts, name: "f.csv")
        var whole = Session(data: Fixture.data)
        try whole.load(Array(Self.entities.utf8), name: "e.csv")
        try whole.load(Array(Self.facts.utf8), name: "f.csv")
        #expect(s.data.catalog.entity(id: "li-auto") != nil)
        #expect(Self.rows(s.data) == Self.rows(whole.data))
        #expect(s.data.facts.count == Fixture.data.facts.count + 2)
    }

    @Test func aMetricsFileSaysWhetherALoadedMetricAddsUp() {
        let exports = "entity,metric,period,value,unit,bound,source,line,note\nli-auto,exports,2026-01,1200,vehicles,exact,customs,,\n"
            + "li-auto,exports,2026-02,1500,vehicles,exact,customs,,\n"
        let metrics = "\u{FEFF}metric,aliases,additive,meaning\nexports,export|exported,yes,vehicles shipped abroad\n"
        var s = session(["e.csv": Self.entities, "x.csv": exports, "m.csv": metrics])
        let before = run(&s, "load \"e.csv\"; load \"x.csv\"; total exports of li-auto from 2026-01 to 2026-02")
        #expect(before.contains("latest figure within 2026-01..2026-02"), "an undeclared metric does not add up")
        let after = run(&s, "load \"m.csv\"; total exported of li-auto from 2026-01 to 2026-02; list metrics")
        #expect(after.contains("│ m.csv │     0 │        0 │       1 │"))
        #expect(after.contains("2,700*"), "declared additive, its months are summed")
        #expect(after.contains("vehicles shipped abroad"))
    }

    @Test(arguments: [
        ("deliveries,,no,", "column 'metric': 'deliveries' is built in; its definition cannot change"),
        ("sales,,no,", "column 'metric': 'sales' is already an alias of 'deliveries'"),
        ("foo,sales,yes,", "column 'aliases': 'sales' already names the metric 'deliveries'"),
        ("foo bar,,yes,", "column 'metric': 'foo bar' cannot be named in a query; use letters, digits, '-' and '_', and no keyword"),
        ("by,,yes,", "column 'metric': 'by' cannot be named in a query; use letters, digits, '-' and '_', and no keyword"),
        ("foo,,maybe,", "column 'additive': 'maybe' is not yes or no"),
        ("foo,,yes,\nfoo,,no,", "column 'metric': 'foo' is defined twice"),
    ])
    func badMetricDefinitionsRejectTheFile(row: String, message: String) {
        var data = Fixture.data
        let text = "metric,aliases,additive,meaning\n" + row + "\n"
        do {
            try data.loadMetrics(Array(text.utf8), file: "m.csv")
            Issue.record("\(row) loaded")
        } catch {
            #expect(error.description == "m.csv:\(row.contains("\n") ? 3 : 2): error: \(message)")
        }
        #expect(data.catalog.metrics == Fixture.data.catalog.metrics)
    }

    @Test func theHeaderNamesTheKindOfFile() {
        #expect(Dataset.kind(ofHeader: Array("\u{FEFF}id,kind,name,parent,partner,aliases\n".utf8)[...]) == .entities)
        #expect(Dataset.kind(ofHeader: Array(" Metric ,aliases,additive,meaning".utf8)[...]) == .metrics)
        #expect(Dataset.kind(ofHeader: Array("entity,metric,period".utf8)[...]) == .facts)
        #expect(Dataset.kind(ofHeader: Array("".utf8)[...]) == .facts)
    }

    /// Loads `text` as facts in chunks of each size and returns what happened: the facts' rows, or the error.
    static func outcomes(_ text: [UInt8], sizes: [Int], maxRecord: Int = 1 << 26) -> Set<String> {
        Set(sizes.flatMap { size in
            [1, 2, 3, 8].map { threads in
                var data = Fixture.data
                var source = ByteArraySource(text)
                do {
                    try data.loadFacts(from: &source, file: "f.csv", chunkSize: size, maxRecord: maxRecord,
                                       threads: threads, minimumSplit: 1)
                } catch {
                    return "\(error)"
                }
                return Self.rows(data).joined(separator: "\n")
            }
        })
    }

    /// A large file mixing plain rows with new metrics, units and sources, notes, quotes and CRLF, so that
    /// chunks cut into pieces meet every kind of name, and cuts fall inside and between quoted fields.
    static func mixedFile(rows: Int, quotesFrom: Int, error: Int? = nil) -> [UInt8] {
        var text = "entity,metric,period,value,unit,bound,source,line,note\r\n"
        for r in 0..<rows {
            let entity = ["xiaomi", "hima", "tesla", "byd"][r % 4], metric = r % 97 == 0 ? "m\(r % 5)" : "deliveries"
            let unit = r % 89 == 0 ? "u\(r % 3)" : "vehicles", source = r % 83 == 0 ? "s\(r % 7)" : "feed"
            let note = r >= quotesFrom && r % 50 == 0 ? "\"note \(r), with \"\"quotes\"\"\nand a line\"" : (r % 31 == 0 ? "n\(r)" : "")
            let value = r == error ? "oops" : "\(r % 1000).\(r % 7)"
            text += "\(entity),\(metric),\(2000 + r / 12 % 50)-\(String(format: "%02d", r % 12 + 1)),\(value),\(unit),exact,\(source),\(r % 9 + 1),\(note)\r\n"
        }
        return Array(text.utf8)
    }

    @Test func chunksCutIntoPiecesLoadAsOneParserWould() throws {
        for (quotesFrom, error) in [(Int.max, nil), (3_000, nil), (0, nil), (Int.max, 4_321), (2_000, 3_999)] {
            let text = Self.mixedFile(rows: 6_000, quotesFrom: quotesFrom, error: error)
            var one = Fixture.data
            var whole = ByteArraySource(text)
            let serial: String
            do {
                try one.loadFacts(from: &whole, file: "f.csv", chunkSize: 1 << 20, threads: 1)
                serial = Self.rows(one).joined(separator: "\n")
            } catch { serial = "\(error)" }
            for (size, split, threads) in [(1 << 20, 1 << 12, 2), (1 << 20, 1 << 10, 8), (100_000, 1 << 12, 3),
                                           (30_000, 1_000, 5), (4_096, 1, 16), (4_096, 1, 2)] {
                var data = Fixture.data
                var source = ByteArraySource(text)
                let got: String
                do {
                    try data.loadFacts(from: &source, file: "f.csv", chunkSize: size, threads: threads,
                                       minimumSplit: split)
                    got = Self.rows(data).joined(separator: "\n")
                } catch { got = "\(error)" }
                let setting = "chunk \(size), \(threads) threads, pieces from \(split), quotes from \(quotesFrom)"
                #expect(serial == got, "\(setting), error at \(String(describing: error))")
                if error == nil { #expect(data.facts.count == Fixture.data.facts.count + 6_000) }
            }
        }
    }

    @Test func oneByteOrderMarkIsSkippedWhateverTheChunks() {
        let once = [0xEF, 0xBB, 0xBF] + Array("entity,metric,period,value,unit,bound,source,line,note\nxiaomi,deliveries,2025-06,1,u,exact,s,,\n".utf8)
        let ok = Self.outcomes(once, sizes: Array(1...9) + [1 << 20])
        #expect(ok.count == 1 && !(ok.first ?? "").contains("error"))
        let twice = Self.outcomes([0xEF, 0xBB, 0xBF] + once, sizes: Array(1...9) + [1 << 20])
        #expect(twice == ["f.csv:1: error: expected the header entity,metric,period,value,unit,bound,source,line,note"])
    }

    @Test func theFirstFaultInTheFileIsReported() {
        let text = "entity,metric,period,value,unit,bound,source,line,note\nnobody,deliveries,2025-06,1,u,exact,s,,\n"
            + "xiaomi,deliveries,2025-07,1,u,exact,s,3000000000,\nxiaomi,deliveries,2025-08,1,u,exact,s,,\"never closed\n"
        #expect(Self.outcomes(Array(text.utf8), sizes: [1, 7, 1 << 20]) == ["f.csv:2: error: column 'entity': unknown entity 'nobody'"])
        let bigLine = text.replacingOccurrences(of: "nobody", with: "xiaomi")
        #expect(Self.outcomes(Array(bigLine.utf8), sizes: [1, 1 << 20]) == ["f.csv:3: error: column 'line': '3000000000' is not a line number"])
        let unclosed = bigLine.replacingOccurrences(of: "3000000000", with: "3")
        #expect(Self.outcomes(Array(unclosed.utf8), sizes: [1, 1 << 20]) == ["f.csv:4: error: a quoted field is never closed"])
        let runaway = unclosed + String(repeating: "no closing quote anywhere\n", count: 10)
        #expect(Self.outcomes(Array(runaway.utf8), sizes: [16], maxRecord: 64) == ["f.csv:4: error: a record longer than 64 bytes; is a quote never closed?"])
    }

    @Test func aLineOfTwoQuotesIsARecordNotABlankLine() {
        let text = "entity,metric,period,value,unit,bound,source,line,note\n\"\"\nxiaomi,deliveries,2025-06,1,u,exact,s,,\n"
        #expect(Self.outcomes(Array(text.utf8), sizes: [1, 1 << 20]) == ["f.csv:2: error: 1 columns, expected 9"])
        var data = Fixture.data
        #expect(throws: DataError(file: "e.csv", line: 2, column: nil, message: "1 columns, expected 6")) {
            try data.loadEntities(Array("id,kind,name,parent,partner,aliases\n\"\"\n".utf8), file: "e.csv")
        }
    }

    @Test func entitiesWhoseParentsGoRoundAreRejected() {
        var s = session(["e.csv": "id,kind,name,parent,partner,aliases\naa-co,maker,,bb-co,,\nbb-co,maker,,cc-co,,\ncc-co,maker,,aa-co,,\n"])
        let out = run(&s, "load \"e.csv\"")
        #expect(out.contains("e.csv:2: error: column 'parent': 'aa-co' would be its own ancestor; roll-ups need a tree"))
        #expect(s.data.catalog.entity(id: "aa-co") == nil)
    }

    /// Ranking 5,000 models in slices on several threads gives the table one thread gives: figures that tie
    /// (there are only 50 values), bounds, and models with no figure included.
    @Test func rankingOnSeveralThreadsRanksAsOneDoes() {
        var entities = "id,kind,name,parent,partner,aliases\n"
        var facts = "entity,metric,period,value,unit,bound,source,line,note\n"
        for i in 0..<5_000 {
            entities += "m\(i),model,Model \(i),xiaomi,,\n"
            if i % 7 == 0 { continue }
            facts += "m\(i),deliveries,2025-01,\(i * 37 % 50 + 1),vehicles,\(i % 3 == 0 ? "at-least" : "exact"),s,1,\n"
        }
        var outputs: Set<String> = []
        for threads in [1, 2, 3, 8] {
            var s = session(["e.csv": entities, "f.csv": facts])
            s.threads = threads
            outputs.insert(run(&s, "load \"e.csv\"; load \"f.csv\"; top 40 models by deliveries in 2025-01"))
        }
        #expect(outputs.count == 1)
        #expect(outputs.first?.contains("│   40 │ m") == true)
    }

    /// Where an entity's own facts tile a period, the ranking reads its key from the index; it must be the
    /// known side of the figure worked out in full, for every entity, metric and period that takes the path.
    @Test func theRankingsShortcutAgreesWithTheFigure() throws {
        // Monthly figures with gaps, bounds, a quarter stated over its months, and a month in another unit.
        var text = "entity,metric,period,value,unit,bound,source,line,note\n"
        for (k, entity) in ["xiaomi", "hima", "tesla", "byd"].enumerated() {
            for month in 0..<48 where (month + k) % 11 != 0 {
                let bound = month % 13 == 0 ? "at-least" : "exact", unit = month == 4 && k == 0 ? "units" : "vehicles"
                let period = "\(2000 + month / 12)-\(month % 12 < 9 ? "0" : "")\(month % 12 + 1)"
                text += "\(entity),deliveries,\(period),\(month * 37 % 1000 + k),\(unit),\(bound),s,1,\n"
            }
            text += "\(entity),deliveries,2001-Q2,\(900 + k),vehicles,exact,s,2,\n"
        }
        // A price each month: a year's price is the latest, not the sum, though the months tile it.
        text += (0..<12).map { "xiaomi,price,2000-\($0 < 9 ? "0" : "")\($0 + 1),\(100 + $0),CNY,exact,s,3,\n" }.joined()
        var data = Fixture.data
        try data.loadFacts(Array(text.utf8), file: "f.csv", threads: 1)
        var periods: [Period] = []
        for year in [2000, 2001, 2002, 2003, 2024, 2025] {
            let first = year * 12
            periods += [Period(start: first, end: first + 11), Period(start: first + 3, end: first + 5)]
            periods += (first..<first + 12).map { Period(start: $0, end: $0) }
        }
        var taken = 0
        for m in data.catalog.metrics.indices {
            let figures = PeriodValue(data: data, metric: m, explaining: false)
            for e in data.catalog.entities.indices {
                for p in periods {
                    guard let key = figures.tiledKnownSide(entity: e, period: p) else { continue }
                    taken += 1
                    #expect(key == figures.value(entity: e, period: p).compactMap(\.knownSide).max(), "\(e) \(m) \(p)")
                }
            }
        }
        #expect(taken > 100)
    }

    /// A failed entities load is taken back in place: ids, aliases shared with entities already there, and
    /// places among the children of existing parents are as they were.
    @Test func aFailedEntitiesLoadTakesBackOnlyWhatItAdded() throws {
        var data = Fixture.data
        let catalog = data.catalog
        let hima = try #require(catalog.entity(id: "hima"))
        let bad = "id,kind,name,parent,partner,aliases\nnew-one,model,New One,hima,,HIMA|xiaomi\n"
            + "new-two,model,,new-one,,n2\nnew-three,model,,nobody,,\n"
        #expect(throws: DataError.self) { try data.loadEntities(Array(bad.utf8), file: "e.csv") }
        #expect(data.catalog.entities == catalog.entities
                && data.catalog.entities.indices.allSatisfy { data.catalog.children(of: $0) == catalog.children(of: $0) })
        for name in ["hima", "xiaomi", "HIMA", "new-one", "n2", "New One"] {
            #expect(data.catalog.lookUpEntity(name) == catalog.lookUpEntity(name), "\(name)")
        }
        #expect(data.catalog.children(of: hima) == catalog.children(of: hima))
        // And the same file without its bad row loads.
        try data.loadEntities(Array(bad.split(separator: "\n").dropLast().joined(separator: "\n").utf8), file: "e.csv")
        #expect(data.catalog.entity(id: "new-two") != nil && data.catalog.lookUpEntity("n2").count == 1)
        #expect(data.catalog.children(of: hima).count == catalog.children(of: hima).count + 1)
    }

    @Test func aHeaderAfterBlankLinesOrInQuotesStillNamesTheKind() {
        #expect(Dataset.kind(ofHeader: Array("\n\r\n  \n\"id\",kind,name,parent,partner,aliases\n".utf8)[...]) == .entities)
        var s = session(["e.csv": "\n" + Self.entities])
        #expect(run(&s, "load \"e.csv\"").contains("│ e.csv │     0 │        1 │       0 │"))
    }

    /// Counts the reads that found the end, as a terminal would count Ctrl-Ds.
    struct CountingSource: ByteSource {
        var inner: ByteArraySource
        var endings = 0
        var size: Int? { nil }
        mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            let n = inner.read(into: buffer)
            if n == 0 { endings += 1 }
            return n
        }
    }

    @Test func aSourceIsNotReadAgainAfterItEnds() throws {
        for text in [Self.entities, Self.facts, Self.facts + String(repeating: "xiaomi,price,2025,1,CNY,exact,s,,\n", count: 40)] {
            var s = Session(data: Fixture.data)
            if text != Self.entities { try s.load(Array(Self.entities.utf8), name: "e.csv") }
            var source = CountingSource(inner: ByteArraySource(Array(text.utf8)))
            try s.load(&source, name: "x.csv")
            #expect(source.endings == 1, "\(text.prefix(20))")
        }
    }

    @Test func aFailedLoadLeavesEverythingAsItWas() throws {
        var s = Session(data: Fixture.data)
        try s.load(Array(Self.entities.utf8), name: "e.csv")
        try s.load(Array(Self.facts.utf8), name: "f.csv")
        let rows = Self.rows(s.data), catalog = s.data.catalog, units = s.data.facts.units, notes = s.data.facts.notes
        let bad = "entity,metric,period,value,unit,bound,source,line,note\nli-auto,exports,2026-01,5,crates,exact,new-src,1,a note\n"
            + "li-auto,deliveries,2026-02,x,vehicles,exact,new-src,2,\n"
        for threads in [1, 3] {
            var data = s.data
            var source = ByteArraySource(Array(bad.utf8))
            #expect(throws: DataError.self) {
                try data.loadFacts(from: &source, file: "bad.csv", chunkSize: 16, threads: threads, minimumSplit: 1)
            }
            #expect(Self.rows(data) == rows)
            #expect(data.catalog.metrics == catalog.metrics && data.catalog.sources == catalog.sources && data.catalog.entities == catalog.entities)
            #expect(data.facts.units == units && data.facts.notes == notes && data.catalog.metric(named: "exports") == nil)
            try data.loadFacts(Array(Self.facts.utf8.dropFirst(3)), file: "again.csv")
            #expect(data.facts.rows(entity: data.catalog.entity(id: "li-auto") ?? -1, metric: 0).count == 2, "the index is whole after a rollback")
        }
    }
}

/// A load into a store already indexed merges its rows into the index; the result must be the index a
/// build from scratch gives (`keeping` builds one for the same rows, numbered alike).
@Suite struct IndexExtensionTests {
    /// The index built on several threads (each counting and placing its slice of the rows) is the index
    /// one thread builds; 70,000 rows, so that it is built in parallel at all, with groups out of period order.
    @Test func theIndexBuiltOnSeveralThreadsIsTheSame() throws {
        let text = LoadTests.mixedFile(rows: 70_000, quotesFrom: 60_000)
        var one = Fixture.data, many = Fixture.data
        try one.loadFacts(text, file: "f.csv", threads: 1)
        try many.loadFacts(text, file: "f.csv", threads: 5)
        #expect(one.facts.extent == many.facts.extent)
        for e in 0..<one.catalog.entities.count {
            for m in 0..<one.catalog.metrics.count {
                #expect(one.facts.rows(entity: e, metric: m) == many.facts.rows(entity: e, metric: m),
                        "entity \(e), metric \(m)")
            }
        }
        #expect(many.facts.rows(entity: many.catalog.entity(id: "xiaomi") ?? -1, metric: 0).count > 17_000)
    }

    @Test func aSmallLoadAfterALargeOneIndexesAsARebuildWould() throws {
        let big = LoadTests.mixedFile(rows: 3_000, quotesFrom: 1_000)
        let text = String(decoding: LoadTests.mixedFile(rows: 400, quotesFrom: 0), as: UTF8.self)
        // Rows out of period order, into groups that exist, and a later load of rows before all of them.
        let small = Array(text.replacingOccurrences(of: "2000-", with: "2049-").utf8)
        let early = Array(("entity,metric,period,value,unit,bound,source,line,note\n"
                           + "xiaomi,deliveries,1990-01,1,vehicles,exact,feed,1,\n").utf8)
        var data = Fixture.data
        for (bytes, name) in [(big, "big.csv"), (small, "small.csv"), (early, "early.csv")] {
            try data.loadFacts(bytes, file: name, threads: 2)
            let rebuilt = data.facts.keeping(rows: Array(0..<data.facts.count))
            #expect(rebuilt.extent == data.facts.extent, "after \(name)")
            for e in 0..<data.catalog.entities.count {
                for m in 0..<data.catalog.metrics.count {
                    #expect(data.facts.rows(entity: e, metric: m) == rebuilt.rows(entity: e, metric: m),
                            "after \(name): entity \(e), metric \(m)")
                }
            }
        }
    }
}

/// `RecordCuts` cuts only where a record starts, whatever quotes, doubled quotes, CRLF and quoted line
/// breaks surround its nominal cuts.
@Suite struct RecordCutsTests {
    /// Offsets where records start, found by reading the text one byte at a time.
    static func recordStarts(_ bytes: [UInt8]) -> Set<Int> {
        var starts: Set = [0], quoted = false
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if b == UInt8(ascii: "\n"), !quoted { starts.insert(i + 1) }
        }
        return starts
    }

    @Test func cutsFallOnRecordStarts() {
        var rng = SeededGenerator(seed: 15)
        let fields = ["a", "\"b,c\"", "\"d\"\"e\"", "\"f\ng\"", "\"\"", "h\r", "", "\"i\r\nj\"\r", "\"\"\"\""]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let width = Int.random(in: 1...4, using: &rng)
                let record = (0..<width).map { _ in fields.randomElement(using: &rng) ?? "" }
                text += record.joined(separator: ",") + "\n"
            }
            var bytes = Array(text.utf8)
            let starts = Self.recordStarts(bytes)
            for parts in [1, 2, 3, 7, 16] {
                let cuts = bytes.withUnsafeMutableBufferPointer { RecordCuts.find($0, from: 0, parts: parts) }
                #expect(cuts.count == parts && cuts.starts.last == bytes.count)
                for k in 0..<cuts.count where cuts.starts[k] < bytes.count {
                    #expect(starts.contains(cuts.starts[k]),
                            "\(parts) parts, cut \(k) at \(cuts.starts[k]) of \(text.debugDescription)")
                }
                #expect(zip(cuts.starts, cuts.starts.dropFirst()).allSatisfy { $0 <= $1 })
            }
        }
    }
}
