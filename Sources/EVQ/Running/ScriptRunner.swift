/// Runs EVQ source and renders what it prints, tables and diagnostics in order — the same text
/// a user sees on the terminal. `evq FILE` and `evq test` share it.
public enum ScriptRunner {
    /// One chunk of output and where it goes.
    public enum Chunk {
        case standardOutput(String)
        case standardError(String)
        /// A statement's error, for standard error: the run has failed.
        case failure(String)
        /// A picture to write to a file (`plot … to FILE`); the caller decides whether files may be written,
        /// and names the statement (`at`, in `source`) when the file cannot be written.
        case file(path: String, contents: String, at: SourceRange?, source: SourceFile)
    }

    /// Runs `file` in `session`, handing each rendered result or diagnostic to `write`. With `timer`, each
    /// statement is followed by `Run Time: N ms` on standard error. Returns whether all statements succeeded.
    @discardableResult
    public static func run(_ file: SourceFile, session: inout Session, options: RenderOptions, keepGoing: Bool, timer: Bool = false,
                           shouldStop: () -> Bool = { false }, keep: (ResultTable) -> Void = { _ in },
                           write: (Chunk) -> Void) -> Bool {
        var first = true
        return session.run(file, keepGoing: keepGoing, shouldStop: shouldStop,
                           timed: {
                               if timer { write(.standardError("Run Time: \(ScriptRunner.milliseconds($0)) ms\n")) }
                           }) { output, range in
            switch output {
            case .table(let table):
                keep(table)
                if case .plot(let path) = table.presentation {
                    write(.file(path: path, contents: SVGRenderer.render(table), at: range, source: file))
                    return
                }
                let text = Renderer.render(table, options: options)
                // Tables for people are separated by a blank line; machine formats are one document each.
                if !first, options.format == .table || options.format == .markdown { write(.standardOutput("\n")) }
                first = false
                write(.standardOutput(text))
            case .diagnostic(let d):
                write(.failure(DiagnosticRenderer.render(d, in: file, color: options.colorErrors)))
            case .silent:
                break
            }
        }
    }

    /// A duration as milliseconds with three decimals, as sqlite3's `.timer` prints seconds.
    static func milliseconds(_ d: Duration) -> String {
        let (seconds, attoseconds) = d.components
        return NumberFormat.grouped(Double(seconds) * 1000 + Double(attoseconds) / 1e15, decimals: 3)
    }

    /// Everything a script prints, both streams interleaved, as a golden test compares it.
    public static func transcript(of file: SourceFile, data: Dataset, keepGoing: Bool = true) -> String {
        var session = Session(data: data)
        return transcript(of: file, session: &session, keepGoing: keepGoing)
    }

    /// The same, in a session the caller made (over an engine's facts).
    public static func transcript(of file: SourceFile, session: inout Session, keepGoing: Bool = true) -> String {
        var out = ""
        run(file, session: &session, options: RenderOptions(), keepGoing: keepGoing) { chunk in
            switch chunk {
            case .standardOutput(let s), .standardError(let s), .failure(let s): out += s
            case .file(let path, let contents, _, _):
                out += "plot: \(contents.utf8.count) bytes of SVG for \(path) (not written by a transcript)\n"
            }
        }
        return out
    }

    /// Makes a `#!` first line a comment, keeping line numbers.
    public static func strippingShebang(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) else { return bytes }
        var b = bytes
        b[0] = UInt8(ascii: "-"); b[1] = UInt8(ascii: "-")
        return b
    }
}
