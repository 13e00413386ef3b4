import ArgumentParser
import EVQ

/// `--threads N`, shared by `evq`, `evq check` and `evq report`: how many threads loading and ranking use.
struct ThreadsOption: ParsableArguments {
    @Option(help: ArgumentHelp("Threads to load files and rank on (default: one per CPU).", valueName: "N"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads takes a whole number from 1 up, not \(threads); "
                                  + "leave it out to use every CPU")
        }
    }

    /// Gives a session the threads asked for, before it loads anything.
    func apply(to session: inout Session) {
        if let threads { session.threads = threads }
    }
}
