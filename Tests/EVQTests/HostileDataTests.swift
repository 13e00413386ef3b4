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
        var rng = SeededGenerator(seed: 17)
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
            if cs.allSatisfy({ !$0.lo.isFinite && !$0.hi.isFinite }) || PeriodValue.allMeet(cs) {
                brute = [Array(cs.indices)]
            }
            brute = brute.filter { s in !brute.contains { $0 != s && Set(s).isSubset(of: Set($0)) } }
            let swept = PeriodValue.meetingSets(cs) ?? []
            #expect(Set(swept.map { Set($0) }) == Set(brute.map { Set($0) }), "\(cs)")
            #expect(PeriodValue.meetingSets(cs, limit: max(0, swept.count - 1)) == nil || swept.count <= 1)
        }
    }

    @Test func onlyDecimalNumbersInRangeLoad() throws {
        func error(_ value: String) -> String? {
            do {
                _ = try Self.loading("xiaomi,deliveries,2031-01,\(value),vehicles,exact,s,1,n\n")
            } catch { return "\(error)" }
            return nil
        }
        #expect(error("9223372036854775807")?.contains("larger than 10^18") == true)
        #expect(error("1e300")?.contains("larger than 10^18") == true)
        #expect(error("1e19..2e19")?.contains("larger than 10^18") == true)
        #expect(error("5e-400")?.contains("too small to tell from 0") == true)
        for notDecimal in ["0x10", "inf", "nan", "1e", "12abc", "1_000", "--1"] {
            #expect(error(notDecimal) == "hostile.csv:2: error: column 'value': '\(notDecimal)' is not a number",
                    "\(notDecimal)")
        }
        for fine in ["1e18", "-1e18", "1.5e3", ".5", "5.", "+3", "0e-999", "1..2e3"] {
            #expect(error(fine) == nil, "\(fine)")
        }
    }

    @Test func controlSequencesInDataNeverReachTheOutput() throws {
        let esc = "\u{1B}"
        let data = try Self.loading("xiaomi,deliveries,2031-01,5,\"\(esc)]52;c;SGVsbG8=\u{07}veh\(esc)[2J\","
                                    + "exact,\"s\(esc)[31mrc\u{202E}\u{85}\",1,n\n")
        for format in OutputFormat.allCases {
            var session = Session(data: data)
            var out = ""
            ScriptRunner.run(SourceFile(name: "t", text: "show deliveries of xiaomi in 2031-01\n"
                                                         + "why show deliveries of xiaomi in 2031-01"),
                             session: &session, options: RenderOptions(format: format), keepGoing: true) { chunk in
                if case .standardOutput(let text) = chunk { out += text }
            }
            let bad = out.unicodeScalars.filter {
                $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E || (0x80...0x9F).contains($0.value)
            }
            #expect(bad.isEmpty, "\(format): \(bad.map { String($0.value, radix: 16) })")
        }
        // The last line of defence, where text leaves the program: only colours pass.
        #expect(Sanitizer.terminal("a\(esc)[1;33mb\(esc)[0m\(esc)]52;c;x\u{07}\(esc)[2Jc\u{202E}\u{85}\td\r\n")
                == "a\(esc)[1;33mb\(esc)[0mc\td\r\n")
        #expect(Sanitizer.terminal("plain ✓ 小米\n") == "plain ✓ 小米\n")
    }

    @Test func wideEmojiCountTwoColumns() {
        #expect(DisplayWidth.of("🚗") == 2)
        #expect(DisplayWidth.of("🪫") == 2)
        #expect(DisplayWidth.of("⌚") == 2)
        #expect(DisplayWidth.of("小米") == 4)
        #expect(DisplayWidth.of("é") == 1)
        let out = Fixture.run("show deliveries of \"🚗🚗🚗\" in 2025")
        #expect(out.contains("\n                   ^~~~~~~~\n"))
    }

    /// Ctrl-C as the REPL wires it: polled while figures are worked out. A statement it stops fails, keeps
    /// nothing (no variable, no table), and the statements after it do not run.
    @Test func anInterruptedStatementKeepsNothing() {
        final class Presses: @unchecked Sendable {
            var polls = 0, after: Int
            init(after: Int) { self.after = after }
        }
        for after in [0, 1, 3, 20] {
            let presses = Presses(after: after)
            var session = Session(data: Fixture.data)
            session.isInterrupted = { presses.polls += 1; return presses.polls > presses.after }
            var printed: [String] = []
            let ok = session.run(SourceFile(name: "t", text: "let q = deliveries of xiaomi in 2025\n"
                                                             + "compare xiaomi hima by month 2025\nprint 1"),
                                 keepGoing: true) { output, _ in
                switch output {
                case .table(let t): printed.append("table \(t.title)")
                case .diagnostic(let d): printed.append(d.message)
                case .silent: printed.append("silent")
                }
            }
            #expect(!ok)
            #expect(printed.last == "interrupted", "\(after): \(printed)")
            #expect(printed.filter { $0 == "interrupted" }.count == 1)
            if printed.first == "interrupted" { #expect(session.variables["q"] == nil, "\(after)") }
            #expect(!printed.contains("table deliveries of xiaomi, hima") || printed.count == 3)
        }
    }
}

/// The command line against hostile input and failing disks: each failure is located and exits 1, no old file is
/// lost, no input grows without bound.
@Suite struct HostileCommandLineTests {
    let evq = "'\(Fixture.root.path)/.build/debug/evq'"

    func inTemporaryFolder(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evq-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    @Test func failedPicturesAreLocatedErrorsAndKeepTheOldFile() throws {
        try inTemporaryFolder { dir in
            try "old".write(to: dir.appendingPathComponent("keep.svg"), atomically: true, encoding: .utf8)
            try "-- a chart\nplot compare xiaomi hima by month 2025 to \"keep.svg\"\nprint 1\n"
                .write(to: dir.appendingPathComponent("p.evq"), atomically: true, encoding: .utf8)
            // A file that may grow to one block: the picture cannot be written whole.
            let full = try Fixture.shell("cd '\(dir.path)' && trap '' XFSZ && ulimit -f 1 && \(evq) p.evq")
            #expect(full.status == 1)
            #expect(full.err.hasPrefix("p.evq:2:1: error: cannot write 'keep.svg': File too large\n"))
            #expect(!full.out.contains("│ 1          │"), "the script went on")
            #expect(try String(contentsOf: dir.appendingPathComponent("keep.svg"), encoding: .utf8) == "old")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["keep.svg", "p.evq"])
            for target in ["nodir/x.svg", "/dev/full", ".", ""] {
                let run = try Fixture.evq(["-c", "plot compare xiaomi hima by month 2025 to \"\(target)\""])
                #expect(run.status == 1, "\(target)")
                #expect(run.err.hasPrefix("<command-line>:1:1: error: cannot write '\(target)'"),
                        "\(target): \(run.err)")
            }
            let safe = try Fixture.evq(["--safe", "-c", "plot compare xiaomi hima by month 2025 to \"x.svg\""])
            #expect(safe.status == 1 && safe.err.contains("error: --safe: not writing 'x.svg'"))
        }
    }

    @Test func aFullOrClosedStandardOutputKeepsTheStatus() throws {
        let full = try Fixture.shell("\(evq) -c 'print 1' >/dev/full")
        #expect(full.status == 1)
        #expect(full.err.contains("evq: cannot write standard output: No space left on device"))
        // A reader that goes away is quiet, and the status of what failed before stands.
        let failed = try Fixture.shell("\(evq) --keep-going -c 'print nope\nprint 1' 2>/dev/null | head -c 0; "
                                       + "echo ${PIPESTATUS[0]}")
        #expect(failed.out == "1\n")
        let fine = try Fixture.shell("yes 'list entities' | head -2000 | \(evq) | head -1 >/dev/null; "
                                     + "echo ${PIPESTATUS[2]}")
        #expect(fine.out == "0\n")
    }

    @Test func inputsHaveLimits() throws {
        let zeros = try Fixture.shell("\(evq) - </dev/zero")
        #expect(zeros.status == 1)
        #expect(zeros.err.contains("larger than 64 MiB"))
        // 32,000 definitions: each adds one variable in place (7.8 s on d650e20).
        let lets = (0..<32_000).map { "let v\($0) = \($0)\n" }.joined() + "print v31999 + v1\n"
        let clock = ContinuousClock(), started = clock.now
        let run = try Fixture.evq(["-"], stdin: lets)
        #expect(run.out.contains("32,000"))
        #expect(clock.now - started < .seconds(5))
        for bad in ["0", "-1"] {
            let rows = try Fixture.evq(["--max-rows=\(bad)", "-c", "print 1"])
            #expect(rows.status == 2 && rows.err.contains("--max-rows takes a whole number from 1 up"), "\(bad)")
        }
        // `--threads` is checked alike by evq, evq check and evq report.
        for arguments in [["--threads=0", "-c", "print 1"], ["check", "--threads=-1"], ["report", "--threads=0", "x.evq"]] {
            let run = try Fixture.evq(arguments)
            #expect(run.status == 2 && run.err.contains("--threads takes a whole number from 1 up"), "\(arguments)")
        }
        #expect(try Fixture.evq(["check", "--threads=1", "--quiet"]).status == 0)
    }

    @Test func longNotesAreShortInTablesAndWholeInJSON() throws {
        try inTemporaryFolder { dir in
            let note = String(repeating: "long note ", count: 200_000)
            try (HostileDataTests.header + "xiaomi,deliveries,2031-01,5,vehicles,exact,s,1,\(note)\n")
                .write(to: dir.appendingPathComponent("n.csv"), atomically: true, encoding: .utf8)
            let table = try Fixture.evq(["--data", dir.appendingPathComponent("n.csv").path, "-c",
                                         "why show deliveries of xiaomi in 2031-01"])
            #expect(table.status == 0)
            #expect(table.out.utf8.count < 10_000)
            let json = try Fixture.evq(["--data", dir.appendingPathComponent("n.csv").path, "--format", "json", "-c",
                                        "why show deliveries of xiaomi in 2031-01"])
            #expect(json.out.contains(note.trimmingCharacters(in: .whitespaces)))
        }
    }

    @Test func aFileThatChangesWhileItLoadsIsRefused() throws {
        try inTemporaryFolder { dir in
            let file = dir.appendingPathComponent("grow.csv")
            try (HostileDataTests.header
                 + (0..<300_000).map { "xiaomi,deliveries,2025-0\($0 % 9 + 1),\($0),vehicles,exact,s,1,n\n" }.joined())
                .write(to: file, atomically: true, encoding: .utf8)
            let run = try Fixture.shell("cd '\(dir.path)'; "
                                        + "(\(evq) --data grow.csv -c 'print 1' 2>err.txt; echo $? >status.txt) & "
                                        + "sleep 0.3; "
                                        + "echo 'xiaomi,deliveries,2030-01,5,vehicles,exact,s,1,n' >> grow.csv; "
                                        + "wait; cat status.txt err.txt")
            #expect(run.out.hasPrefix("1\n"), "\(run.out)")
            #expect(run.out.contains("changed while it was read"))
        }
    }

    /// A regular file is read in parts at once (one positioned read per thread); the rows must be those read
    /// in turn, quoted line breaks and CRLF included, across chunks of 4 MB and more.
    @Test func aFileReadInPartsLoadsAsOneReadInTurn() throws {
        try inTemporaryFolder { dir in
            try Data(LoadTests.mixedFile(rows: 120_000, quotesFrom: 60_000))
                .write(to: dir.appendingPathComponent("f.csv"))
            let query = "load \"f.csv\"; why show deliveries of hima in 2003-02; why show deliveries of byd in 2049-12"
            let outputs = try [1, 3, 8].map { threads in
                try Fixture.shell("cd '\(dir.path)' && \(evq) --threads \(threads) -c '\(query)'")
            }
            #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.err))")
            #expect(Set(outputs.map(\.out)).count == 1)
            #expect(outputs[0].out.contains("120,000"), "\(outputs[0].out.prefix(300))")
        }
    }

    @Test func escapeSequencesInDataNeverReachTheTerminal() throws {
        try inTemporaryFolder { dir in
            let esc = "\u{1B}"
            let hostile = "\(esc)]52;c;SGVsbG8=\u{07}\(esc)[2J\u{202E}\u{85}"
            try (HostileDataTests.header + "xiaomi,deliveries,2031-01,5,\"v\(hostile)\",exact,\"s\(hostile)\",1,n\n"
                 + "xiaomi,deliveries,2031-01,6,\"v\(hostile)\",exact,\"s\(hostile)\",2,n\n")
                .write(to: dir.appendingPathComponent("e.csv"), atomically: true, encoding: .utf8)
            try (HostileDataTests.header + "xiaomi,deliveries,2031-01,\"5\(hostile)\",vehicles,exact,s,1,n\n")
                .write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
            let runs = [
                try Fixture.evq(["--data", dir.appendingPathComponent("e.csv").path, "-c",
                                 "why show deliveries of xiaomi in 2031-01"]),
                try Fixture.evq(["--data", dir.appendingPathComponent("e.csv").path, "--format", "markdown", "-c",
                                 "show deliveries of xiaomi in 2031-01"]),
                try Fixture.evq(["--data", dir.appendingPathComponent("e.csv").path, "--format", "csv", "-c",
                                 "show deliveries of xiaomi in 2031-01"]),
                try Fixture.evq(["check", "--data", dir.appendingPathComponent("e.csv").path]),
                try Fixture.evq(["--data", dir.appendingPathComponent("bad.csv").path, "-c", "print 1"]),
                try Fixture.evq(["check", "--data", dir.appendingPathComponent("bad.csv").path]),
                try Fixture.evq(["-c", "plot compare xiaomi hima by month 2025 to \"nodir/\(hostile).svg\""]),
            ]
            for run in runs {
                let text = run.out + run.err
                #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E
                                                        || $0.value == 0x85 },
                        "\(text.prefix(300))")
            }
            #expect(runs[4].err.contains("is not a number"))
        }
    }

    @Test func dataFilesNamedOnTheCommandLineLoadUnderSafe() throws {
        try inTemporaryFolder { dir in
            try (HostileDataTests.header + "xiaomi,deliveries,2031-01,5,vehicles,exact,s,1,n\n")
                .write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
            let run = try Fixture.evq(["--safe", "--data", dir.appendingPathComponent("d.csv").path, "-c",
                                       "show deliveries of xiaomi in 2031-01\n"
                                       + "load \"\(dir.appendingPathComponent("d.csv").path)\""])
            #expect(run.out.contains("│ 2031-01 │      5 │"))
            #expect(run.err.contains("loading files is not allowed here"))
        }
    }
}

/// `evq check` and `why` over thousands of disagreeing rows: counted, not listed pair by pair.
@Suite struct HostileCheckTests {
    @Test func manyDisagreeingRowsMakeOneFindingAndAShortWhy() throws {
        var rows = ""
        for i in 0..<2_000 { rows += "hima,deliveries,2025-06,\(10_000 + i),vehicles,exact,mine,1,n\n" }
        rows += "hima,deliveries,2025-06,50000,vehicles,at-least,mine,2,n\n"
        let data = try HostileDataTests.loading(rows)
        let findings = Checker(data: data).run().filter { $0.message.contains("2025-06") }
        #expect(findings.map(\.message).sorted() == [
            "1 bound contradicts figures for 2025-06",
            "unresolved conflict on 2025-06: 2,000 stated figures, 2,000 different values "
                + "(six of them listed; 1,994 more); all kept",
        ])
        #expect(findings.allSatisfy { $0.facts.count <= 6 })
        let why = Fixture.run("why show deliveries of hima in 2025-06", data: data)
        #expect(why.contains("… and 1,976 more facts"))
        #expect(why.utf8.count < 20_000)
    }
}
