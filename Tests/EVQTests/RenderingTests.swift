import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import EVQ

@Suite struct RenderingTests {
    func table(_ query: String) throws -> ResultTable {
        guard let result = Fixture.table(query) else { throw Diagnostic.error("no table", at: nil) }
        return result
    }

    /// An answer carries what its renderers say of its facts: every fact a figure names is cited in it, with the
    /// article, line, entity and figure, so that no renderer reads the dataset (none is given one).
    @Test func anAnswerCarriesItsCitations() throws {
        let t = try table("compare xiaomi hima by month 2025")
        let named = t.rows.flatMap { $0.flatMap { $0.quantities.flatMap { $0.facts + $0.revises + $0.subtracted } } }
        #expect(!named.isEmpty && named.allSatisfy { t.cited[$0] != nil })
        let data = Fixture.data
        for (row, fact) in t.cited {
            #expect(fact.origin == data.facts.origin(row) && fact.line == Int(data.facts.line[row]))
            #expect(fact.entity == data.catalog.entities[Int(data.facts.entity[row])].id && fact.figure == data.facts.quantity(row))
        }
        #expect(t.entityNames == ["xiaomi": "Xiaomi EV", "hima": "HIMA"])
    }

    @Test func chineseNamesLineUp() throws {
        // Columns are measured in terminal cells: every line of the box is equally wide, whatever the script.
        let out = Fixture.run("list entities")
        let box = out.split(separator: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("├") || $0.hasPrefix("└") }
        let widths = Set(box.map { DisplayWidth.of(String($0)) })
        #expect(widths.count == 1, "\(widths)")
        #expect(out.contains("小米"))
    }

    @Test func wideTablesFitTheTerminal() throws {
        let text = TableRenderer.render(try table("show price of su7"), options: RenderOptions(width: 70))
        for line in text.split(separator: "\n") where line.hasPrefix("│") { #expect(DisplayWidth.of(String(line)) <= 70) }
        #expect(text.contains("¥215,900–¥299,900"), "numbers are not cut while text can be")
        // Text wraps inside its column rather than being cut.
        #expect(!text.contains("…"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("│") }.count > 3)
    }

    @Test func maxRowsSaysHowManyMore() throws {
        let text = TableRenderer.render(try table("list entities"), options: RenderOptions(maxRows: 5))
        #expect(text.contains("… \(Fixture.data.catalog.entities.count - 5) more rows"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("│") }.count == 6)
    }

    @Test func barsShowBoundsDifferently() {
        let out = Fixture.run("compare xiaomi hima in 2025-11 as chart")
        #expect(out.contains("▷"), "an at-least figure ends open")
        #expect(out.contains("\n█ known  ▷ at least, no upper bound  — unknown\n"), "the legend lists the marks drawn")
        let quarter = Fixture.run("show deliveries of xiaomi by month 2025 as chart")
        #expect(quarter.contains("┄┄┄»"),
                "a month of which only a quarter's top is known is dotted and cut at the scale")
        let range = Fixture.run("show deliveries of xiaomi in q2 2025 as chart")
        #expect(range.contains("█░"), "a range is solid to its lower end, light to its upper")
    }

    @Test func svgIsWellFormedAndHasTheParts() throws {
        let svg = SVGRenderer.render(try table("compare xiaomi hima by month 2025"))
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.texts.contains("Xiaomi EV (xiaomi)") && collector.texts.contains("HIMA"),
                "a legend entry per entity, by name")
        #expect(collector.texts.contains("deliveries, vehicles"), "the axis names its unit")
        #expect(collector.texts.contains { $0.hasPrefix("Sources: 000 lines 13, 14") }, "the picture names its sources")
        #expect(!collector.texts.contains("hollow: approximate"), "the legend lists only the marks drawn")
        #expect(collector.texts.contains("2025-04"), "period labels on the axis")
        #expect(collector.count("polyline") >= 1 && collector.count("circle") >= 2)
        #expect(collector.texts.contains("deliveries of xiaomi, hima"))
    }

    @Test func svgRendersToAPicture() throws {
        // make deps installs rsvg-convert; without it this test fails rather than passing silently.
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert"), "rsvg-convert is missing: run make deps")
        let dir = FileManager.default.temporaryDirectory
        let svgURL = dir.appendingPathComponent("evq-\(UUID().uuidString).svg"), png = svgURL.appendingPathExtension("png")
        try SVGRenderer.render(try table("trend deliveries of xiaomi by quarter from 2024-q3 to 2025-q4"))
            .write(to: svgURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: svgURL); try? FileManager.default.removeItem(at: png) }
        let r = try Fixture.shell("rsvg-convert '\(svgURL.path)' -o '\(png.path)'")
        #expect(r.status == 0, "\(r.err)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 5_000)
    }

    @Test func csvRoundTripsThroughPythonsParser() throws {
        let csv = CSVRenderer.render(try table("show net-profit of xiaomi-group"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evq-\(UUID().uuidString).csv")
        try csv.write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))"
        let r = try Fixture.shell("python3 -c \"\(script)\" '\(dir.path)'")
        let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String]]
        #expect(rows?.first == ["entity", "period", "net-profit", "net-profit_lo", "net-profit_hi", "net-profit_bound", "net-profit_unit",
                                "net-profit_sources", "bound", "source", "note"])
        #expect(rows?.count == 6)
        // Notes with commas survive quoting.
        #expect(rows?.contains { $0.last?.contains(";") == true || $0.last?.contains(",") == true } == true)
        #expect(try CSV.parse(Array(csv.utf8)).map(\.fields) == rows)
    }

    @Test func jsonRoundTripsThroughFoundation() throws {
        let json = JSONRenderer.render(try table("show net-profit of xiaomi-group in q3 2025"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cell = try #require((object["rows"] as? [[Any]])?.first?[1] as? [String: Any])
        #expect(cell["value"] as? Double == 113_100_000_000)
        #expect(cell["unit"] as? String == "CNY")
        // The dollar form is the same figure, not an alternative; the $1.6B net profit is.
        #expect((cell["equivalents"] as? [[String: Any]])?.first?["value"] as? Double == 16_000_000_000)
        #expect((cell["alternatives"] as? [[String: Any]])?.first?["value"] as? Double == 1_600_000_000)
        #expect((object["sources"] as? [[String: Any]])?.count == 3)
    }
}

/// Collects element names and text from an SVG.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        let t = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if !t.isEmpty { texts.append(t) }
    }
    func count(_ name: String) -> Int { elements.filter { $0 == name }.count }
}
