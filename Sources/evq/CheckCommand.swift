import ArgumentParser
import EVQ

/// `evq check`: validates the dataset and prints each inconsistency with the rows involved.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the embedded data against itself: periods, bounds, targets, duplicates.",
        discussion: "Prints each inconsistency with the fact rows involved, then notes (kept disagreements, targets against actuals). Exits 1 if any inconsistency is found."
    )

    @Flag(help: "Print only inconsistencies, not notes.")
    var quiet = false

    @Option(name: .customLong("data"), help: ArgumentHelp("Also check a loaded facts, entities or metrics file (see README) (repeatable).", valueName: "file"))
    var dataFiles: [String] = []

    @OptionGroup var threading: ThreadsOption

    mutating func run() throws {
        var session: Session
        do { session = Session(data: try Dataset.embedded()) } catch {
            SystemIO.err("evq check: \(error)\n")
            throw ExitCode(1)
        }
        threading.apply(to: &session)
        for path in dataFiles {
            do {
                var source = try SystemIO.open(path: path)
                try session.load(&source, name: path)
            } catch {
                SystemIO.err("evq check: \(error)\n")
                throw ExitCode(1)
            }
        }
        let data = session.data
        let checker = Checker(data: data)
        let findings = checker.run()
        let problems = findings.filter { $0.severity == .inconsistency }
        for finding in problems + (quiet ? [] : findings.filter { $0.severity == .note }) {
            SystemIO.out("\(finding.severity.rawValue): \(finding.message)\n")
            for row in finding.facts { SystemIO.out("  \(checker.describe(row))\n") }
        }
        SystemIO.out("\(data.facts.count) facts checked: \(problems.count) inconsistencies, \(findings.count - problems.count) notes\n")
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
