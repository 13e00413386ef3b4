import ArgumentParser
import EVQ

/// `evq test [DIR]`: golden tests. Each `NAME.evq` runs and its output (results and errors, as a
/// terminal shows them without colour) must equal `NAME.out` byte for byte.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run each *.evq in a directory and compare its output with the sibling *.out.",
        discussion: "Prints a unified diff for each mismatch and 'N passed, N failed' last; exits 1 when any failed."
    )

    @Argument(help: "Directory holding the *.evq scripts and their *.out files.")
    var directory: String = "."

    @Flag(help: "Rewrite each *.out with the current output instead of comparing.")
    var update = false

    @OptionGroup var engineOption: EngineOption

    mutating func run() throws {
        let names: [String]
        do { names = try SystemIO.list(directory: directory).filter { $0.hasSuffix(".evq") } } catch {
            SystemIO.err("evq test: cannot read \(error.message)\n")
            throw ExitCode(2)
        }
        // Every script starts from the same session: the embedded data, or the engine connected once.
        guard let fresh = engineOption.engine.session(memory: { Invocation.embeddedSession() }) else { throw ExitCode(1) }
        var passed = 0, failed = 0, skipped = 0
        for name in names {
            let script = directory + "/" + name
            let expectedPath = String(script.dropLast(4)) + ".out"
            let actual: String
            do {
                let bytes = try SystemIO.read(path: script)
                if let reason = TestCommand.skipReason(bytes, engine: engineOption.engine) {
                    SystemIO.out("SKIP \(name): \(reason)\n")
                    skipped += 1
                    continue
                }
                var session = fresh
                actual = ScriptRunner.transcript(of: SourceFile(name: name, bytes: ScriptRunner.strippingShebang(bytes)),
                                                 session: &session)
            } catch {
                SystemIO.out("FAIL \(name): cannot read \(error.message)\n")
                failed += 1
                continue
            }
            if update {
                do { try SystemIO.writeFile(expectedPath, actual) } catch {
                    SystemIO.out("FAIL \(name): cannot write \(error.message)\n")
                    failed += 1
                    continue
                }
                SystemIO.out("updated \(name)\n")
                passed += 1
                continue
            }
            let expected: String
            do { expected = String(decoding: try SystemIO.read(path: expectedPath), as: UTF8.self) } catch {
                SystemIO.out("FAIL \(name): no expected output (\(error.message)); run 'evq test --update' to create it\n")
                failed += 1
                continue
            }
            if expected == actual {
                SystemIO.out("PASS \(name)\n")
                passed += 1
            } else {
                SystemIO.out("FAIL \(name)\n")
                SystemIO.out(UnifiedDiff.diff(expected: expected, actual: actual, expectedName: expectedPath, actualName: "\(name) (actual)"))
                failed += 1
            }
        }
        SystemIO.out("\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "") + "\n")
        if failed > 0 { throw ExitCode(1) }
    }

    /// Why a script does not run on this engine: its comment `-- skip on duckdb: REASON` (or postgres). A script skips an engine
    /// only by saying why.
    static func skipReason(_ bytes: [UInt8], engine: Engine) -> String? {
        let kind: String
        switch engine {
        case .memory: return nil
        case .duckdb: kind = "duckdb"
        case .postgres: kind = "postgres"
        case .spark: kind = "spark"
        }
        let marker = "-- skip on \(kind):"
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) where line.hasPrefix(marker) {
            let reason = line.dropFirst(marker.count).trimmingPrefix(" ")
            if !reason.isEmpty { return String(reason) }
        }
        return nil
    }
}
