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

    mutating func run() throws {
        let names: [String]
        do { names = try SystemIO.list(directory: directory).filter { $0.hasSuffix(".evq") } } catch {
            SystemIO.err("evq test: cannot read \(error.message)\n")
            throw ExitCode(2)
        }
        let data: Dataset
        do { data = try Dataset.embedded() } catch {
            SystemIO.err("evq: embedded data is broken: \(error)\n")
            throw ExitCode(1)
        }
        var passed = 0, failed = 0
        for name in names {
            let script = directory + "/" + name
            let expectedPath = String(script.dropLast(4)) + ".out"
            let actual: String
            do {
                let bytes = try SystemIO.read(path: script)
                actual = ScriptRunner.transcript(of: SourceFile(name: name, bytes: ScriptRunner.strippingShebang(bytes)), data: data)
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
        SystemIO.out("\(passed) passed, \(failed) failed\n")
        if failed > 0 { throw ExitCode(1) }
    }
}
