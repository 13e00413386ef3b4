import Testing
@testable import EVQ

@Suite struct CheckerTests {
    func withFacts(_ rows: String) throws -> Dataset {
        var data = Fixture.data
        try data.loadFacts(Array(("entity,metric,period,value,unit,bound,source,line,note\n" + rows).utf8), file: "extra.csv")
        return data
    }

    @Test func embeddedDataPasses() {
        let findings = Checker(data: Fixture.data).run()
        #expect(findings.filter { $0.severity == .inconsistency }.isEmpty, "\(findings)")
        #expect(findings.contains { $0.message.hasPrefix("unresolved conflict on 2025-Q3") })
        // The raised target revises the first: a revision, not a conflict.
        #expect(!findings.contains { $0.message.contains("on 2025:") })
    }

    @Test func monthsThatOverflowTheirQuarterAreCaught() throws {
        // February "over 60,000" with January and March over 20,000 each cannot fit in Q1's 75,869.
        let data = try withFacts("xiaomi,deliveries,2025-02,60000,vehicles,at-least,x,1,test\n")
        let problems = Checker(data: data).run().filter { $0.severity == .inconsistency }
        #expect(problems.contains { $0.message.hasPrefix("the parts of 2025-Q1 add up to at least 100,000") })
    }

    @Test func aBoundBelowAStatedFigureIsCaught() throws {
        let data = try withFacts("hima,deliveries,2025-04,30000,vehicles,at-least,x,1,test\n")
        let problems = Checker(data: data).run().filter { $0.severity == .inconsistency }
        #expect(problems.contains { $0.message == "a bound contradicts a figure for 2025-04" })
        let checker = Checker(data: data)
        #expect(problems.first.map { checker.describe($0.facts[0]) }?.hasPrefix("facts.csv:") == true)
    }

    @Test func duplicateRowsAreCaught() throws {
        let data = try withFacts("hima,deliveries,2025-04,27555,vehicles,exact,001_6e02a3166eaa90f7.txt,10,again\n")
        #expect(Checker(data: data).run().contains { $0.message == "the same fact twice" })
    }

    @Test func tiledPartsMustAddUp() throws {
        let data = try withFacts("""
            nio,deliveries,2025-Q1,100,vehicles,exact,x,1,test
            nio,deliveries,2025-01,30,vehicles,exact,x,2,test
            nio,deliveries,2025-02,30,vehicles,exact,x,3,test
            nio,deliveries,2025-03,30,vehicles,exact,x,4,test

            """)
        #expect(Checker(data: data).run().contains { $0.message == "the parts of 2025-Q1 add up to 90, not its figure 100" })
    }
}
