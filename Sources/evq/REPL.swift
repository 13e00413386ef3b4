import EVQ

/// The interactive loop on a terminal. (Line editing arrives with the LineEditor.)
struct REPL {
    var session: Session
    var options: RenderOptions

    mutating func run() -> Bool {
        while true {
            SystemIO.out("evq> ")
            guard let line = readLine() else { SystemIO.out("\n"); return true }
            _ = EVQCommand.run(SourceFile(name: "<stdin>", text: line), session: &session, options: options, keepGoing: true)
        }
    }
}
