import Testing
@testable import EVQ

/// The SQL side that needs no engine: quoting, the tables `evq push` writes and reading them back, and the SELECTs a
/// statement compiles to. Tests/Engines/duckdb.sh runs the same against DuckDB itself.
@Suite struct SQLTests {
    @Test func namesAndTextAreQuotedPerDialect() {
        let hostile = "x'); DROP TABLE facts; -- \\ \"q\" `b`"
        #expect(SQLDialect.duckdb.literal(hostile) == "'x''); DROP TABLE facts; -- \\ \"q\" `b`'")
        #expect(SQLDialect.postgres.literal(hostile) == "'x''); DROP TABLE facts; -- \\ \"q\" `b`'")
        #expect(SQLDialect.spark.literal(hostile) == "'x\\'); DROP TABLE facts; -- \\\\ \"q\" `b`'")
        #expect(SQLDialect.duckdb.identifier("fr\"om") == "\"fr\"\"om\"")
        #expect(SQLDialect.spark.identifier("fr`om") == "`fr``om`")
        #expect(SQLDialect.postgres.literal("a\u{0}b") == "'a\u{FFFD}b'")
        #expect(SQLDialect.duckdb.isIn("entity", []) == "FALSE")
    }

    @Test func tablesAreCreatedWithEachDialectsTypes() {
        #expect(SQLTable.events.create(.duckdb)
                == "CREATE TABLE \"events\" (\"seq\" BIGINT, \"date\" VARCHAR, \"entity\" VARCHAR, \"kind\" VARCHAR, "
                + "\"description\" VARCHAR, \"source\" VARCHAR, \"line\" INTEGER)")
        #expect(SQLTable.facts.create(.postgres).contains("\"lo\" DOUBLE PRECISION"))
        #expect(SQLTable.factLinks.create(.spark).contains("`from` STRING"))
        #expect(!SQLTable.facts.create(.duckdb).contains("\"note\""), "notes and links are in fact_links")
    }

    /// Every table as `evq push` writes it, read back the way the SQL executor reads an engine's rows, gives the same
    /// facts: values, bounds, periods, citations, notes and links.
    @Test func pushedRowsReadBackToTheSameFacts() throws {
        let data = Fixture.data
        var back = Dataset()
        // As the executor puts them together: a fact's note and links from fact_links, by seq, empty where none.
        let links = Dictionary(data.rows(of: .factLinks).map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        func fetched(_ table: SQLTable) -> [[String]] {
            let wanted = ["seq"] + table.fileColumns + table.extraColumns
            return data.rows(of: table).map { row in
                wanted.map { name in
                    if let at = table.columns.firstIndex(where: { $0.name == name }) { return row[at] }
                    let at = SQLTable.factLinks.columns.firstIndex { $0.name == name } ?? 0
                    return links[row[0]]?[at] ?? ""
                }
            }
        }
        #expect(!links.isEmpty, "a row for each fact with a note or a link")
        try back.loadSources(Dataset.file(.sources, fetched: fetched(.sources)), file: "t")
        try back.loadEntities(Dataset.file(.entities, fetched: fetched(.entities)), file: "t")
        let builtIn = Set(Metric.builtIn.map(\.name))
        try back.loadMetrics(Dataset.file(.metrics, fetched: fetched(.metrics).filter { !builtIn.contains($0[1]) }), file: "t")
        try back.loadFacts(Dataset.file(.facts, fetched: fetched(.facts)), file: "t")
        try back.loadEvents(Dataset.file(.events, fetched: fetched(.events)), file: "t")
        try back.loadRankings(Dataset.file(.rankings, fetched: fetched(.rankings)), file: "t")
        #expect(back.catalog.entities == data.catalog.entities)
        #expect(back.catalog.metrics == data.catalog.metrics)
        #expect(back.catalog.sources == data.catalog.sources)
        #expect(back.events == data.events)
        #expect(back.rankings == data.rankings)
        #expect(back.facts.count == data.facts.count)
        for row in 0..<data.facts.count {
            #expect(back.facts.quantity(row) == data.facts.quantity(row), "row \(row)")
            #expect(back.facts.period(row) == data.facts.period(row))
            #expect(back.facts.note(row) == data.facts.note(row))
            #expect(Renderer.citation(CitedFact(row: row, of: back)) == Renderer.citation(CitedFact(row: row, of: data)))
            #expect(back.facts.links[row] == data.facts.links[row])
            #expect(back.facts.isCurrent(row) == data.facts.isCurrent(row))
        }
    }

    /// DuckDB reads every column of every row a scan keeps before an `IN` list of several entities filters them:
    /// a window of a few entities' monthly figures is asked for by `rowid` as well. Other engines, one entity, and a
    /// window of more rows than DuckDB makes a filter of get the plain SELECT.
    @Test func duckDBIsAskedForAFewEntitiesRowsByRowID() {
        let several = SQLExecutor.facts(where: "\"entity\" IN ('a', 'b')", entities: 2, months: 12, .duckdb)
        #expect(several.contains("AND rowid IN (\n    SELECT rowid FROM \"facts\"\n    WHERE \"entity\" IN ('a', 'b')\n  )"))
        #expect(!SQLExecutor.facts(where: "\"entity\" IN ('a')", entities: 1, months: 12, .duckdb).contains("rowid"))
        #expect(!SQLExecutor.facts(where: "\"entity\" IN ('a', 'b')", entities: 2, months: 12, .postgres).contains("rowid"))
        #expect(!SQLExecutor.facts(where: "\"entity\" IN ('a', 'b', 'c', 'd', 'e')", entities: 5, months: 12, .duckdb).contains("rowid"))
        #expect(!SQLExecutor.facts(where: "\"entity\" IN ('a', 'b')", .duckdb).contains("rowid"), "a whole history")
    }

    /// A parent fetched whole had no facts tiling the months asked for: its children come with all their facts in the
    /// same round, not a window now and their histories a round later.
    @Test func childrenOfAParentFetchedWholeComeWhole() throws {
        let c = Fixture.data.catalog
        let aito = try #require(c.entity(id: "aito")), deliveries = try #require(c.metric(named: "deliveries"))
        let group = Int64(aito) << 32 | Int64(deliveries)
        var wants = ScanLog.Wants()
        wants.groups = [group]
        wants.children = [aito]
        let window = Period(start: 24288, end: 24299)
        let scans = SQLExecutor.plan(wants, catalog: c, windows: [group: [window]])
        #expect(scans.childGroups == [group] && scans.childWindows.isEmpty)
        let sql = SQLExecutor.sql(scans, catalog: c, dialect: .postgres)
        #expect(sql.count == 3, "the group, the children's facts, the children")
        #expect(sql[1].contains("lower(\"parent\") IN ('aito')") && !sql[1].contains("start_month"))
        // Fetched a window only, the parent's children come with the facts starting in it.
        var windowed = ScanLog.Wants()
        windowed.children = [aito]
        let later = SQLExecutor.plan(windowed, catalog: c, windows: [group: [window]])
        #expect(later.childGroups.isEmpty && later.childWindows[group] == window)
    }

    @Test func numbersAreWrittenSoTheyReadBackExactly() throws {
        for v in [0, 1, -12, 75_869, 0.1, 1.0 / 3, 2.5e-7, 123_456_789.125, 9.9e17, -1e18] {
            let text = Dataset.exactText(v)
            #expect(try Dataset.number(text[...]) == v, "\(v) written as \(text)")
        }
    }

    /// A statement compiles to one SELECT per metric, naming the entities it looks up, children included where the
    /// figure rolls up; a ranking names every candidate; `list` counts in the engine.
    @Test func statementsCompileToScans() throws {
        func sql(_ query: String, _ dialect: SQLDialect = .duckdb) throws -> [String] {
            var session = Session(data: Fixture.data)
            let file = SourceFile(name: "t", text: query)
            guard case .success(let statement)? = Parser.Statements(file).first(where: { _ in true }) else { return [] }
            return try session.scans(statement, in: file, dialect: dialect)
        }
        let compare = try sql("compare xiaomi hima by month 2025")
        #expect(compare.count == 2)
        #expect(compare[0].contains("FROM \"entities\"") && compare[0].contains("lower(\"id\") IN ('hima', 'xiaomi')"),
                "the entities named come first")
        #expect(compare[1].contains("WHERE \"metric\" = 'deliveries'"))
        #expect(compare[1].contains("'xiaomi'") && compare[1].contains("'su7'") && compare[1].contains("'aito'"))
        #expect(compare[1].contains("NULL AS \"note\", NULL AS \"id\""), "notes and links are read apart, by seq")
        #expect(compare[1].hasSuffix("ORDER BY \"seq\""))
        #expect(try sql("top 3 brands by deliveries in 2025", .postgres)[0].contains("\"kind\" IN ('brand')"))
        #expect(try sql("show deliveries of su7", .spark)[1].contains("`entity` IN ('su7')"))
        let lists = try sql("list metrics")
        #expect(lists.contains { $0.contains("GROUP BY \"metric\"") } && !lists.contains { $0.contains("ORDER BY") },
                "list counts in the engine and fetches no fact")
        let month = try sql("show deliveries of xiaomi in 2025-04")
        #expect(month.count == 2 && month[1].contains("\"start_month\" BETWEEN 24303 AND 24303"),
                "a figure asks first for the facts starting in its period")
        let growth = try sql("growth of deliveries of xiaomi yoy in 2025-Q3")
        #expect(growth.count == 3, "the entity, deliveries, and the stated growth metric")
    }
}
