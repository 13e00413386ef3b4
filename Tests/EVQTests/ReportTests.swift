import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import EVQ

/// `evq report` and `--format html`: the page for every Examples script against a golden, parsed as XML, every
/// figure cited, hostile text escaped; the checksum; the command line's files and exit statuses.
@Suite struct ReportTests {
    static let goldens = Fixture.root.appendingPathComponent("Tests/EVQTests/Golden/report")
    static let examples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(
            atPath: Fixture.root.appendingPathComponent("Examples").path)) ?? []
        return names.filter { $0.hasSuffix(".evq") }.sorted()
    }()

    /// The page for one Examples script, as `evq report --keep-going` makes it, without a date.
    static func page(_ name: String, data: Dataset = Fixture.data, title: String? = nil) throws -> (Report, String) {
        let bytes = try [UInt8](Data(contentsOf: Fixture.root.appendingPathComponent("Examples/\(name)")))
        var session = Session(data: data)
        var report = Report(title: title ?? String(name.dropLast(4)))
        report.run(SourceFile(name: name, bytes: bytes), session: &session, keepGoing: true)
        return (report, HTMLRenderer.document(report))
    }

    @Test func examplesHaveScripts() {
        #expect(Self.examples.count >= 20)
    }

    @Test(arguments: ReportTests.examples)
    func golden(name: String) throws {
        let (_, html) = try Self.page(name)
        let url = Self.goldens.appendingPathComponent(name.dropLast(4) + ".html")
        if ProcessInfo.processInfo.environment["EVQ_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true)
            try html.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(expected == html, """
            \(name):
            \(UnifiedDiff.diff(expected: expected, actual: html, expectedName: url.lastPathComponent,
                               actualName: "actual"))
            """)
    }

    @Test(arguments: ReportTests.examples)
    func wellFormedAndCited(name: String) throws {
        let (report, html) = try Self.page(name)
        let page = try Page(html)
        // Every link on the page points at something on the page.
        for target in page.linkTargets { #expect(page.ids.contains(target), "\(name): link to missing #\(target)") }
        // Every figure drawn from facts carries its citations, one link per cited article line.
        var expected: [Int] = []
        for section in report.sections {
            guard case .table(let table) = section.output else { continue }
            for row in table.rows {
                for cell in row {
                    for q in cell.quantities {
                        expected.append(
                            Set(HTMLRenderer.uniqueTargets(q.statingFacts.compactMap { table.cited[$0] }).map(\.anchor)).count)
                    }
                }
            }
        }
        #expect(page.figures.map(\.citations) == expected, "\(name): a figure lost a citation")
        // Figures from no fact (numbers typed in a query) are marked as such, and nothing else is.
        for figure in page.figures {
            #expect(figure.typed == (figure.citations == 0), "\(name): figure marked wrongly")
        }
    }

    @Test func aFigureWithoutItsCitationFailsTheCheck() throws {
        let (_, html) = try Self.page("07-total.evq")
        let stripped = html.replacingOccurrences(of: ##"<sup class="cite"><a href="#s4-2">004:2</a></sup>"##, with: "")
        #expect(stripped != html)
        let figures = try Page(stripped).figures
        #expect(figures.contains { $0.citations == 0 && !$0.typed })
    }

    @Test func hostileTextIsShownNotRun() throws {
        var session = Session(data: Fixture.data)
        // A loaded source is named only by its id; the id, a name, an alias and a note are all hostile.
        let entities = "id,kind,name,parent,partner,aliases\n"
            + "evil,brand,\"<img src=x onerror=alert(1)>\",,,\"<svg onload=alert(1)>\"\n"
        let facts = "entity,metric,period,value,unit,bound,source,line,note\n"
            + "evil,deliveries,2025-01,5,vehicles,exact,\"<script>alert(1)</script>\",3,\"</span><script>x</script>\"\n"
            + "evil,deliveries,2025-02,7,vehicles,exact,\"x\u{1B}]52;c;SGVsbG8=\u{07}\u{202E}y\",4,n\n"
        var report = Report(title: "<b>title</b>")
        for (name, text) in [("e.csv", entities), ("f.csv", facts)] {
            do { try session.load(Array(text.utf8), name: name) } catch { Issue.record("\(name): \(error)"); return }
        }
        report.run(SourceFile(name: "t.evq", text: "compare evil xiaomi by month from 2025-01 to 2025-02\n"
                              + "show deliveries of evil by month in 2025\n"
                              + "why show deliveries of evil in 2025-01\ndescribe evil\n"
                              + "plot compare evil xiaomi by month from 2025-01 to 2025-02 to \"x.svg\""),
                   session: &session, keepGoing: true)
        #expect(report.sections.allSatisfy { if case .error = $0.output { false } else { true } })
        report.articleLines = [
            session.data.catalog.sources.last?.file ?? "": ["", "", "<script>quoted()</script>", "\u{1B}[2Jcleared"],
        ]
        let html = HTMLRenderer.document(report)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img") && !html.contains("<svg onload") && !html.contains("<b>title"))
        #expect(html.contains("<h1>&lt;b&gt;title&lt;/b&gt;</h1>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        _ = try Page(html)
    }

    @Test func hostileChartLabelsAreEscaped() throws {
        var table = ResultTable(title: "<script>t()</script>",
                                columns: [.init("</text><script>c()</script>"),
                                          .init("<svg onload=a()>", numeric: true, series: true),
                                          .init("b\u{1B}[2J", numeric: true, series: true)])
        table.rows = [[.text("<image href=x>"), .figure([.exact(5)]), .figure([.exact(6)])],
                      [.text("]]><script>"), .figure([.exact(7)]), .figure([])]]
        table.presentation = .chart
        table.notes = ["<iframe src=x>"]
        let html = HTMLRenderer.document(table)
        #expect(html.contains("<svg xmlns="))
        for raw in ["<script", "<svg onload", "<image", "<iframe", "\u{1B}"] { #expect(!html.contains(raw), "\(raw)") }
        #expect(html.contains("&lt;image href=x&gt;"))
        _ = try Page(html)
    }

    @Test func commentsBecomeProse() throws {
        let script = "#!/usr/bin/env evq\n-- First `code` here\n-- goes on.\n--\n-- Notice:\n--   * one\n"
            + "--     more\n--   * two\nprint 1 -- trailing\n-- next\nprint 2\n"
        let file = SourceFile(name: "t", bytes: ScriptRunner.strippingShebang(Array(script.utf8)))
        var session = Session(data: Fixture.data)
        var report = Report(title: "t")
        report.run(file, session: &session)
        try #require(report.sections.count == 2)
        #expect(report.sections[0].prose == ["First `code` here", "goes on.", "", "Notice:",
                                             "  * one", "    more", "  * two"])
        #expect(report.sections[0].query == "print 1")
        #expect(report.sections[0].location == "t:9")
        #expect(report.sections[1].prose == ["next"])
        #expect(HTMLRenderer.prose(report.sections[0].prose) == [
            ##"<div class="prose">"##, "<p>First <code>code</code> here goes on.</p>", "<p>Notice:</p>",
            "<ul><li>one more</li><li>two</li></ul>", "</div>",
        ])
    }

    @Test func letStatementsAndErrorsHaveSections() {
        var session = Session(data: Fixture.data)
        var report = Report(title: "t")
        let ok = report.run(SourceFile(name: "t", text: "let a = 2\nprint a * 3\nprint nope\nprint 4"),
                            session: &session, keepGoing: true)
        #expect(!ok)
        #expect(report.sections.map(\.query) == ["let a = 2", "print a * 3", "print nope", "print 4"])
        guard case .error(let text) = report.sections[2].output else { Issue.record("no error section"); return }
        #expect(text.contains("t:3:7: error: unknown variable 'nope'"))
        var stopping = Report(title: "t")
        #expect(!stopping.run(SourceFile(name: "t", text: "print nope\nprint 4"), session: &session))
        #expect(stopping.sections.count == 1)
    }

    @Test func sha256() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in uneven pieces, the same digest.
        var hash = SHA256()
        var offset = 0, step = 1
        while offset < million.count {
            hash.update(million[offset..<min(million.count, offset + step)])
            offset += step
            step = step * 3 % 997 + 1
        }
        #expect(hash.hexDigest == SHA256.hex(million))
        #expect(hash.count == million.count)
    }

    @Test func embeddedInputsAreListedWithChecksums() throws {
        let (report, html) = try Self.page("01-compare-by-month.evq")
        #expect(report.inputs.map(\.name) == Dataset.embeddedFiles.map(\.name))
        for input in report.inputs { #expect(html.contains(input.sha256)) }
    }

    // MARK: - The command line

    @Test func reportCommandWritesAPageAndQuotesArticles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evq-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let articles = dir.appendingPathComponent("articles")
        try FileManager.default.createDirectory(at: articles, withIntermediateDirectories: true)
        // Made-up article text: the project keeps none of the real articles' sentences.
        let lines = (1...12).map { "made-up line \($0) of article 001" }.joined(separator: "\n")
        try lines.write(to: articles.appendingPathComponent("001_6e02a3166eaa90f7.txt"),
                        atomically: true, encoding: .utf8)
        let data = dir.appendingPathComponent("mine.csv")
        try ("entity,metric,period,value,unit,bound,source,line,note\n"
             + "xiaomi,deliveries,2030-01,5,vehicles,exact,mine,,n\n")
            .write(to: data, atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("race.evq")
        try "-- April.\ncompare xiaomi hima in 2025-04\nshow deliveries of xiaomi in 2030-01\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("race.html")
        let run = try Fixture.shell("cd '\(dir.path)' && SOURCE_DATE_EPOCH=0 '\(Fixture.root.path)/.build/debug/evq' "
                                    + "report race.evq --data mine.csv --articles articles -o race.html")
        #expect(run.status == 0, "\(run.err)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("made-up line 10 of article 001"))
        #expect(!html.contains("made-up line 9 of"))
        #expect(html.contains("on 1970-01-01"))
        #expect(html.contains(SHA256.hex(try [UInt8](Data(contentsOf: data)))))
        #expect(run.err.contains("wrote race.html"))
    }

    @Test func failedStatementsAndWritesExitOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evq-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let evq = "'\(Fixture.root.path)/.build/debug/evq'"
        try "print 1\nprint nope\n".write(to: dir.appendingPathComponent("bad.evq"), atomically: true, encoding: .utf8)
        try "old".write(to: dir.appendingPathComponent("keep.html"), atomically: true, encoding: .utf8)
        // A failed statement writes no page and leaves the old one.
        let failed = try Fixture.shell("cd '\(dir.path)' && \(evq) report bad.evq -o keep.html")
        #expect(failed.status == 1)
        #expect(failed.err.contains("bad.evq:2:7: error: unknown variable 'nope'"))
        #expect(try String(contentsOf: dir.appendingPathComponent("keep.html"), encoding: .utf8) == "old")
        // --keep-going writes the page with the error in it, and still exits 1.
        let kept = try Fixture.shell("cd '\(dir.path)' && \(evq) report bad.evq --keep-going -o keep.html")
        #expect(kept.status == 1)
        #expect(try String(contentsOf: dir.appendingPathComponent("keep.html"), encoding: .utf8)
                    .contains(##"<pre class="error" role="alert">"##))
        // Unwritable places are located errors with status 1, and no temporary file is left behind.
        try "print 1\n".write(to: dir.appendingPathComponent("ok.evq"), atomically: true, encoding: .utf8)
        for target in ["nodir/x.html", "/dev/full", ".", ""] {
            let run = try Fixture.shell("cd '\(dir.path)' && \(evq) report ok.evq -o '\(target)'")
            #expect(run.status == 1, "\(target)")
            #expect(run.err.contains("evq report: cannot write"), "\(target): \(run.err)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".evq-") }
        #expect(left.isEmpty)
    }

    @Test func formatHTMLMakesOnePage() throws {
        let one = try Fixture.evq(["--format", "html", "-c", "compare xiaomi hima in 2025-04"])
        #expect(one.status == 0)
        #expect(one.out.components(separatedBy: "<!DOCTYPE html>").count == 2)
        #expect(one.out.contains("<title>deliveries of xiaomi, hima</title>"))
        let two = try Fixture.evq(["--format", "html"], stdin: "print 1\ncompare xiaomi hima in 2025-04\n")
        #expect(two.status == 0)
        #expect(two.out.components(separatedBy: "<!DOCTYPE html>").count == 2)
        #expect(two.out.contains("<code>print 1</code>"))
        _ = try Page(two.out)
    }
}

/// A page parsed as XML: its ids, its links' targets, and each figure with its number of citation links.
struct Page {
    struct Figure { var typed: Bool; var citations: Int }
    var ids: Set<String> = []
    var linkTargets: [String] = []
    var figures: [Figure] = []

    init(_ html: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw PageError.malformed(parser.parserError.map { "\($0)" } ?? "?", line: parser.lineNumber)
        }
        ids = delegate.ids
        linkTargets = delegate.links
        figures = delegate.figures
    }

    enum PageError: Error { case malformed(String, line: Int) }

    /// Counts, for each `span.fig`, the links in the `sup.cite` right after it.
    final class Collector: NSObject, XMLParserDelegate {
        var ids: Set<String> = [], links: [String] = [], figures: [Figure] = []
        var inCite = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if let id = attributes["id"] { ids.insert(id) }
            let classes = (attributes["class"] ?? "").split(separator: " ")
            if name == "span", classes.contains("fig") {
                figures.append(Figure(typed: classes.contains("typed"), citations: 0))
            }
            if name == "sup", classes.contains("cite") { inCite = true }
            if name == "a", let href = attributes["href"], href.hasPrefix("#") {
                links.append(String(href.dropFirst()))
                if inCite, !figures.isEmpty { figures[figures.count - 1].citations += 1 }
            }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "sup" { inCite = false }
        }
    }
}
