import Foundation
import Testing
@testable import EVQ

/// Data and inputs made to hurt: many disagreeing rows, huge fields, numbers out of range, escape sequences.
/// Each test fails on d650e20.
@Suite struct HostileDataTests {
    static let header = "entity,metric,period,value,unit,bound,source,line,note\n"

    static func loading(_ csv: String) throws -> Dataset {
        var data = Fixture.data
        try data.loadFacts(Array((header + csv).utf8), file: "hostile.csv")
        return data
    }

    @Test func thousandsOfDisagreeingRowsAreCountedNotListed() throws {
        var rows = ""
        for entity in ["xiaomi", "hima"] {
            for i in 0..<2_000 { rows += "\(entity),deliveries,2025-06,\(10_000 + i),vehicles,exact,mine,,n\n" }
        }
        let data = try Self.loading(rows)
        let clock = ContinuousClock(), started = clock.now
        let out = Fixture.run("compare xiaomi hima by month 2025", data: data)
        // On d650e20 this took minutes and printed a quarter of a megabyte of alternatives.
        #expect(clock.now - started < .seconds(20))
        #expect(out.utf8.count < 8_000)
        #expect(out.contains("one of 2,000 figures stated for 2025-06 (10,000–11,999)"))
        #expect(out.contains("│ 2025-06 │ 10,000–11,999* │"))
    }

    /// The sweep that finds the largest sets of disagreeing figures that agree finds what comparing every
    /// point with every interval finds.
    @Test func meetingSetsMatchBruteForce() {
        var rng = RobustnessTests.SplitMix(state: 17)
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 7) + 1
            let cs = (0..<n).map { _ -> SpanSolver.Constraint in
                let a = Double(rng.next() % 10), b = a + Double(rng.next() % 4)
                let open = rng.next() % 6
                return .init(start: 0, end: 0, lo: open == 0 ? -.infinity : a, hi: open == 1 ? .infinity : b)
            }
            var brute: [[Int]] = []
            for point in cs.flatMap({ [$0.lo, $0.hi] }) where point.isFinite {
                let set = cs.indices.filter { cs[$0].lo <= point && point <= cs[$0].hi }
                if !brute.contains(set) { brute.append(set) }
            }
            if cs.allSatisfy({ !$0.lo.isFinite && !$0.hi.isFinite }) || PeriodValue.allMeet(cs) { brute = [Array(cs.indices)] }
            brute = brute.filter { s in !brute.contains { $0 != s && Set(s).isSubset(of: Set($0)) } }
            let swept = PeriodValue.meetingSets(cs) ?? []
            #expect(Set(swept.map { Set($0) }) == Set(brute.map { Set($0) }), "\(cs)")
            #expect(PeriodValue.meetingSets(cs, limit: max(0, swept.count - 1)) == nil || swept.count <= 1)
        }
    }
}
