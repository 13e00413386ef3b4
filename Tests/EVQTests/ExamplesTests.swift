import Foundation
import Testing
@testable import EVQ

/// The golden scripts in Examples/ run through the real `evq test`, and the runner must fail when an expectation changes.
@Suite(.serialized) struct ExamplesTests {
    @Test func examplesPass() throws {
        let r = try Fixture.evq(["test", Fixture.root.appendingPathComponent("Examples").path])
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.hasSuffix(" 0 failed\n"))
        #expect(!r.out.hasPrefix("0 passed"))
    }

    @Test func aChangedExpectationFails() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("evq-golden-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try "compare xiaomi hima in 2025-04\n".write(to: dir.appendingPathComponent("one.evq"), atomically: true, encoding: .utf8)
        let update = try Fixture.evq(["test", "--update", dir.path])
        #expect(update.status == 0)
        let pass = try Fixture.evq(["test", dir.path])
        #expect(pass.status == 0)
        #expect(pass.out.hasSuffix("1 passed, 0 failed\n"))

        let out = dir.appendingPathComponent("one.out")
        let expected = try String(contentsOf: out, encoding: .utf8)
        try expected.replacingOccurrences(of: "28,585", with: "28,586").write(to: out, atomically: true, encoding: .utf8)
        let fail = try Fixture.evq(["test", dir.path])
        #expect(fail.status == 1)
        #expect(fail.out.contains("FAIL one.evq"))
        #expect(fail.out.contains("-│ 2025-04 │ 28,586 │"))
        #expect(fail.out.contains("+│ 2025-04 │ 28,585 │"))
        #expect(fail.out.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test func commandLineExitCodes() throws {
        #expect(try Fixture.evq(["-c", "describe hima"]).status == 0)
        let bad = try Fixture.evq(["-c", "comapre a b"])
        #expect(bad.status == 1)
        #expect(bad.err.hasPrefix("<command-line>:1:1: error: unknown statement 'comapre'\n"))
        #expect(try Fixture.evq(["--format", "nope", "-c", "list metrics"]).status == 2)
        #expect(try Fixture.evq(["--bogus"]).status == 2)
        let piped = try Fixture.evq([], stdin: "describe hima\n")
        #expect(piped.status == 0)
        #expect(piped.out.contains("HIMA"))
    }

    @Test func scriptsStopAtTheFirstErrorUnlessKeepGoing() throws {
        let dir = FileManager.default.temporaryDirectory
        let script = dir.appendingPathComponent("evq-stop-\(UUID().uuidString).evq")
        try "#!/usr/bin/env evq\nlist sources\nshow nothing of xiaomi\nlist metrics\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let stop = try Fixture.evq([script.path])
        #expect(stop.status == 1)
        #expect(stop.out.contains("publisher") && !stop.out.contains("adds up over time"))
        #expect(stop.err.contains(":3:6: error: unknown metric 'nothing'"))
        let go = try Fixture.evq(["--keep-going", script.path])
        #expect(go.status == 1)
        #expect(go.out.contains("adds up over time"))
    }

    @Test func formats() throws {
        let csv = try Fixture.evq(["--format", "csv", "-c", "compare xiaomi hima in 2025-05"])
        #expect(csv.out.hasPrefix("period,xiaomi,xiaomi_lo,xiaomi_hi,xiaomi_bound,xiaomi_unit,xiaomi_sources,hima,hima_lo,hima_hi,hima_bound"))
        #expect(csv.out.contains(",44454,44454,44454,exact,vehicles,001:10,"))
        let conflict = try Fixture.evq(["--format", "csv", "-c", "show net-profit of xiaomi-group in q3 2025"])
        #expect(conflict.out.contains("2025-Q3,113100000000|1600000000,113100000000|1600000000,113100000000|1600000000,exact|exact,CNY|USD,003:8|003:8"))
        let json = try Fixture.evq(["--format", "json", "-c", "show deliveries of xiaomi in 2025-11"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let rows = object?["rows"] as? [[Any]]
        let cell = rows?.first?[1] as? [String: Any]
        #expect(cell?["lo"] as? Double == 40000)
        #expect(cell?["bound"] as? String == "at-least")
        let md = try Fixture.evq(["--format", "markdown", "-c", "show deliveries of xiaomi in 2025-04"])
        #expect(md.out.hasPrefix("| period | xiaomi |\n| --- | ---: |\n| 2025-04 | 28,585 |"))
    }
}

@Suite struct CommandLineTrustTests {
    @Test func checkPassesOnTheEmbeddedData() throws {
        let r = try Fixture.evq(["check"])
        #expect(r.status == 0)
        #expect(r.out.contains(" 0 inconsistencies"))
    }

    @Test func aClosedPipeEndsQuietly() throws {
        let evq = Fixture.root.appendingPathComponent(".build/debug/evq").path
        let r = try Fixture.shell("\(evq) -c 'list entities; list metrics; list events' | head -1; echo status=${PIPESTATUS[0]}")
        #expect(r.out.hasPrefix("┌"))
        #expect(r.out.contains("status=0"))
        #expect(r.err.isEmpty)
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        #expect(try Fixture.evq(["--color", "always", "-c", "show net-profit of xiaomi-group in q3 2025"]).out.contains("\u{1B}[33m"))
        #expect(!(try Fixture.evq(["-c", "show net-profit of xiaomi-group in q3 2025"]).out.contains("\u{1B}")), "a pipe gets plain text")
        #expect(!(try Fixture.evq(["--color", "never", "-c", "show net-profit of xiaomi-group in q3 2025"]).out.contains("\u{1B}")))
    }

    @Test func whyNamesArticlesAndLines() throws {
        let r = try Fixture.evq(["-c", "why compare xiaomi hima in 2025-04"])
        #expect(r.out.contains("001 Huawei’s EV Strategy Falters as Xiaomi Gains Ground in China — Caixin (001_6e02a3166eaa90f7.txt)"))
        #expect(r.out.contains("│   10 │"))
    }
}
