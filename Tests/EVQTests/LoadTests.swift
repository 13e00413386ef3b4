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
            return Array(text.utf8)
        }
    }

    func run(_ session: inout Session, _ text: String) -> String {
        var out = ""
        ScriptRunner.run(SourceFile(name: "t", text: text), session: &session, options: RenderOptions(), keepGoing: true) { chunk in
            if case .standardOutput(let s) = chunk { out += s }
            if case .standardError(let s) = chunk { out += s }
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
}
