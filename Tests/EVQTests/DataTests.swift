import Testing
@testable import EVQ

@Suite struct DataTests {
    @Test func embeddedDataLoads() {
        #expect(Fixture.data.facts.count > 40)
        #expect(Fixture.data.catalog.entities.count > 20)
        #expect(!Fixture.data.events.isEmpty)
    }

    @Test func csvReadsQuotesNewlinesBOMAndCRLF() throws {
        let text = "\u{FEFF}a,b\r\n\"x, y\",\"two\nlines\"\r\n\"say \"\"hi\"\"\",3\r\n"
        let records = try CSV.parse(Array(text.utf8))
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "two\nlines"], ["say \"hi\"", "3"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func badRowsRejectTheWholeFile() {
        var data = Fixture.data
        let before = data.facts.count
        let bad = "entity,metric,period,value,unit,bound,source,line,note\nxiaomi,deliveries,2025-06,1,vehicles,exact,f,1,ok\nxiaomi,deliveries,2025-13,1,vehicles,exact,f,1,bad month\n"
        #expect(throws: DataError(file: "x.csv", line: 3, column: "period", message: "'2025-13' is not a period (2025, 2025-04, 2025-04-28, 2025-Q1, 2025-H2, A..B or -)")) {
            try data.loadFacts(Array(bad.utf8), file: "x.csv")
        }
        #expect(data.facts.count == before)
    }

    @Test func periodParsing() {
        #expect(Period.parse("2025-Q1") == .quarter(2025, 1))
        #expect(Period.parse("2025-01..2025-10") == Period(start: 2025 * 12, end: 2025 * 12 + 9))
        #expect(Period.parse("-")?.isTimeless == true)
        #expect(Period.parse("2025-02-30") == nil)
        #expect(Period.parse("2025-04-28")?.description == "2025-04-28")
    }
}
