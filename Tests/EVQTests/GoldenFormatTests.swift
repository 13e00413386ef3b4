import Foundation
import Testing
@testable import EVQ

/// Every output format and both kinds of picture against golden files, byte for byte.
/// `EVQ_UPDATE_GOLDEN=1 swift test --filter GoldenFormatTests` rewrites them (review the diff).
@Suite struct GoldenFormatTests {
    static let directory = Fixture.root.appendingPathComponent("Tests/EVQTests/Golden")

    static let cases: [(file: String, query: String, format: OutputFormat)] = [
        ("compare.table.txt", "compare xiaomi hima by month 2025", .table),
        ("compare.csv", "compare xiaomi hima by month 2025", .csv),
        ("compare.json", "compare xiaomi hima by month 2025", .json),
        ("compare.md", "compare xiaomi hima by month 2025", .markdown),
        ("conflict.csv", "show net-profit of xiaomi-group in q3 2025", .csv),
        ("conflict.json", "show target of xiaomi in 2025", .json),
        ("bars.chart.txt", "compare xiaomi hima by month 2025 as chart", .table),
        ("sparkline.chart.txt", "trend deliveries of xiaomi by month as chart", .table),
    ]

    func render(_ query: String, _ format: OutputFormat) -> String {
        var session = Session(data: Fixture.data)
        var out = ""
        ScriptRunner.run(SourceFile(name: "golden", text: query), session: &session, options: RenderOptions(format: format), keepGoing: true) { chunk in
            switch chunk {
            case .standardOutput(let s), .standardError(let s), .failure(let s): out += s
            case .file(_, let contents, _, _): out += contents
            }
        }
        return out
    }

    func check(_ name: String, _ actual: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["EVQ_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(expected == actual, "\(name):\n\(UnifiedDiff.diff(expected: expected, actual: actual, expectedName: name, actualName: "actual"))")
    }

    @Test(arguments: 0..<GoldenFormatTests.cases.count)
    func format(index: Int) throws {
        let c = Self.cases[index]
        try check(c.file, render(c.query, c.format))
    }

    @Test(arguments: [
        ("trend.svg", "plot trend deliveries of xiaomi by quarter from 2024-q3 to 2025-q4 to \"trend.svg\""),
        ("race.svg", "plot compare xiaomi hima by month 2025 to \"race.svg\""),
        ("may.svg", "plot compare xiaomi hima in 2025-05 to \"may.svg\""),
        ("top.svg", "plot top 3 models by deliveries in 2025-10 to \"top.svg\""),
    ])
    func svgPlot(file: String, query: String) throws {
        try check(file, render(query, .table))
    }
}
