import Foundation
import Testing
@testable import EVQ

/// The shell as a new user meets it: first questions typed in English, `with` and `2025 q3`, help from `-c`,
/// coloured errors, pictures named for what they hold, and golden diffs that read as `diff -u` does.
@Suite struct ShellTests {
    @Test(arguments: [
        ("how many cars did xiaomi deliver in april 2025?", "show deliveries of xiaomi in 2025-04"),
        ("who led in may 2025", "top 5 entities by deliveries in 2025-05"),
        ("how did xiaomi and hima do in 2025 q3?", "compare xiaomi hima in 2025-q3"),
        ("what is the price of the su7?", "show price of su7"),
        ("show deliveries of xiaomi in april 2025?", "show deliveries of xiaomi in 2025-04"),
        ("which sold more in 2025, the yu7 or the \"model y\"?", "compare yu7 model-y in 2025"),
    ])
    func questionsGetTheStatementThatAnswersThem(question: String, statement: String) {
        let out = Fixture.run(question)
        #expect(out.contains("error: EVQ reads statements, not questions in English"), "\(out)")
        #expect(out.contains("help: to ask this, type: \(statement)\n"), "\(out)")
        // The statement shown runs.
        #expect(!Fixture.run(statement).contains("error:"), "\(statement)")
    }

    @Test func notEveryFailureIsAQuestion() {
        #expect(Fixture.run("how are you").contains("unknown statement 'how'"))
        #expect(Fixture.run("show delivries of xiaomi in 2025").contains("unknown metric 'delivries'"))
    }

    @Test func withAndYearFirstPeriodsParse() {
        let with = Fixture.run("compare xiaomi with hima in 2025-04")
        #expect(with.contains("│ 2025-04 │ 28,585 │ 27,555 │      1,030 │ xiaomi │"), "\(with)")
        #expect(Fixture.run("show deliveries of xiaomi in 2025 Q3").contains("│ 2025-Q3 │ 108,796 │"))
        #expect(Fixture.run("show deliveries of xiaomi in 2025 april").contains("│ 2025-04 │ 28,585 │"))
    }

    @Test func plotNamesItsFileForWhatItHolds() {
        let png = Fixture.run("plot compare xiaomi hima by month 2025 to \"race.png\"")
        #expect(png.contains("error: plot writes SVG, so 'race.png' would hold SVG, not PNG"))
        #expect(png.contains("help: name the file .svg: to \"race.svg\""))
        #expect(Fixture.run("plot compare xiaomi hima by month 2025 to \"/dev/stdout\"")
            .contains("bytes of SVG for /dev/stdout"))
        #expect(Fixture.run("plot compare xiaomi hima by month 2025 to \"Race.SVG\"")
            .contains("bytes of SVG for Race.SVG"))
    }

    @Test func helpFromTheCommandLine() throws {
        let overview = try Fixture.evq(["-c", ".help"])
        #expect(overview.status == 0)
        for statement in ["load", "chart", "plot", "evq report"] {
            #expect(overview.out.contains(statement), "\(statement)")
        }
        let plot = try Fixture.evq(["-c", ".help plot"])
        #expect(plot.out.hasPrefix("plot QUERY to \"FILE.svg\""))
    }

    @Test func errorsAreColouredWhenAsked() throws {
        let coloured = try Fixture.evq(["--color", "always", "-c", "show delivries of xiaomi in 2025"])
        #expect(coloured.err.contains("\u{1B}[1;31merror:\u{1B}[0m \u{1B}[1munknown metric 'delivries'\u{1B}[0m"))
        #expect(coloured.err.contains("\u{1B}[1;36mhelp:\u{1B}[0m did you mean 'deliveries'?"))
        let plain = try Fixture.evq(["-c", "show delivries of xiaomi in 2025"])
        #expect(!plain.err.contains("\u{1B}"))
    }

    @Test func goldenDiffsShowTheOldLineFirst() {
        let diff = UnifiedDiff.diff(expected: "a\nb\nc\n", actual: "a\nB\nc\n",
                                    expectedName: "x.out", actualName: "actual")
        #expect(diff == "--- x.out\n+++ actual\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n")
    }
}

/// Tables on narrow terminals: text wraps inside its column, numbers never wrap or cut, and a table that cannot
/// fit becomes blocks of `column = value` lines.
@Suite struct NarrowTableTests {
    func render(_ query: String, width: Int) -> String {
        guard let table = Fixture.table(query) else { return "" }
        return Renderer.render(table, options: RenderOptions(width: width))
    }

    @Test(arguments: [80, 100, 200])
    func tablesFitTheTerminal(width: Int) {
        for query in ["why compare xiaomi hima in 2025-05", "list entities", "show target of xiaomi", "describe hima"] {
            let out = render(query, width: width)
            for line in out.split(separator: "\n") {
                #expect(DisplayWidth.of(String(line)) <= width, "\(query) at \(width): \(line)")
            }
            // Every figure is whole on one line.
            for number in ["28,000–68,464*", "44,454"] where query.hasPrefix("why") {
                #expect(out.contains(number), "\(query) at \(width)")
            }
        }
    }

    @Test func aTableThatCannotFitBecomesRecords() {
        let out = render("why compare xiaomi hima in 2025-04", width: 40)
        #expect(out.hasPrefix("figure = 2025-04 xiaomi\n value = 28,585\n"), "\(out.prefix(200))")
        #expect(out.contains("\n\nfigure =   ← xiaomi deliveries 2025-04\n"))
        for line in out.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 40, "\(line)") }
    }

    @Test func wrappingKeepsWordsIndentsAndWideCharacters() {
        #expect(DisplayWidth.wrap("the alliance's total per CPCA", to: 12)
                == ["the", "alliance's", "total per", "CPCA"])
        #expect(DisplayWidth.wrap("  ← hima deliveries 2025-04", to: 16) == ["  ← hima", "  deliveries", "  2025-04"])
        #expect(DisplayWidth.wrap("001_6e02a3166eaa90f7.txt", to: 10) == ["001_6e02a3", "166eaa90f7", ".txt"])
        #expect(DisplayWidth.wrap("鸿蒙智行小米汽车", to: 5) == ["鸿蒙", "智行", "小米", "汽车"])
        #expect(DisplayWidth.wrap("short", to: 10) == ["short"])
    }

    @Test func pipesAreNotWrapped() throws {
        let out = try Fixture.evq(["-c", "why compare xiaomi hima in 2025-04"])
        #expect(out.out.contains("001 Huawei’s EV Strategy Falters as Xiaomi Gains Ground in China — Caixin"))
    }
}
