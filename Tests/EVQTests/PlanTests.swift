import Foundation
import Testing
@testable import EVQ

/// The logical plan as a tree of typed operators (`Operator`): what the planner builds, `explain` prints and JSON
/// gives.
@Suite struct PlanTests {
    func tree(_ query: String) throws -> Operator {
        let file = SourceFile(name: "t", text: query)
        guard case .success(let statement)? = Parser.Statements(file).first(where: { _ in true }) else {
            throw Diagnostic.error("does not parse", at: nil)
        }
        let data = Fixture.data
        return try Plan(try Resolver(catalog: data.catalog).resolve(statement), data: data).operator(data.catalog)
    }

    /// Entities and metrics are named in the tree as the catalogue names them.
    func id(_ name: String) -> String { Fixture.data.catalog.entity(id: name).map { Fixture.data.catalog.entities[$0].id } ?? "?" }
    func metric(_ name: String) -> String { Fixture.data.catalog.metric(named: name).map { Fixture.data.catalog.metrics[$0].name } ?? "?" }

    @Test func compareIsAGridOfFiguresOverScans() throws {
        let op = try tree("compare xiaomi hima by month 2025")
        guard case .compare(let columns, .grid(let rows, let gridColumns, .figure(let f, let inputs))) = op else {
            Issue.record("not compare → grid → figure: \(op)")
            return
        }
        #expect(columns == [id("xiaomi"), id("hima")] && gridColumns == columns)
        #expect(rows.count == 12 && rows.first == Period.parse("2025-01"))
        #expect(f == Operator.Figure(subject: .column, metric: metric("deliveries"), period: .row, additive: true))
        #expect(inputs == [
            .scan(.init(subject: .column, metric: metric("deliveries"), window: .row, overlapping: nil)),
            .scan(.init(subject: .column, metric: metric("deliveries"), window: nil, overlapping: nil)),
            .rollUp(of: .column, input: .scan(.init(subject: .children(of: .column), metric: metric("deliveries"),
                                                    window: nil, overlapping: nil))),
        ])
    }

    @Test func aFigureOfAMetricThatDoesNotAddUpReadsItsFactsOnly() throws {
        // `show … in PERIOD` is a one-row grid; its cell is the figure.
        guard case .grid(_, _, .figure(let f, let inputs)) = try tree("show price of su7 in 2025") else {
            Issue.record("show with a period is not a grid of figures")
            return
        }
        #expect(!f.additive && inputs.count == 1)
    }

    @Test func rankingAndArithmeticAreOperators() throws {
        guard case .rank(let kind, let limit, .figure(let f, _)) = try tree("top 3 models by deliveries in 2025-10") else {
            Issue.record("top is not a rank over a figure")
            return
        }
        #expect(kind == .model && limit == 3 && f.subject == .candidate)
        guard case .print(.arithmetic(.binary(.subtract, .figure(.figure(let a, _)), .figure(.figure(let b, _))))) =
                try tree("print deliveries of hima in may 2025 - deliveries of xiaomi in may 2025") else {
            Issue.record("print is not arithmetic over two figures")
            return
        }
        #expect(a.subject == .entities([id("hima")]) && b.subject == .entities([id("xiaomi")]))
    }

    /// `explain` in JSON gives the tree itself, every operator with its inputs.
    @Test func explainInJSONIsTheTree() throws {
        var options = RenderOptions()
        options.format = .json
        var session = Session(data: Fixture.data)
        var json = ""
        session.run(SourceFile(name: "t", text: "explain compare xiaomi hima by month 2025")) { output, _ in
            if case .table(let t) = output { json = Renderer.render(t, options: options) }
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let plan = try #require(object["plan"] as? [String: Any])
        #expect(plan["operator"] as? String == "compare")
        let grid = try #require((plan["inputs"] as? [[String: Any]])?.first)
        #expect(grid["operator"] as? String == "grid" && (grid["rows"] as? [String])?.count == 12)
        let figure = try #require((grid["inputs"] as? [[String: Any]])?.first)
        #expect(figure["operator"] as? String == "figure" && figure["entities"] as? String == "$column")
        let scans = try #require(figure["inputs"] as? [[String: Any]])
        #expect(scans.map { $0["operator"] as? String } == ["scan", "scan", "roll_up"])
        #expect(scans[0]["starting_in"] as? String == "$row")
    }
}
