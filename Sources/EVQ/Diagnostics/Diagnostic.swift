/// A problem found by any phase: lexer, parser, resolver, evaluator or data loader.
///
/// Phases create diagnostics and throw or collect them; `DiagnosticRenderer` alone turns them
/// into text, so detection never decides presentation.
public struct Diagnostic: Error, Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var message: String
    /// Where in the source the problem lies; `nil` for problems with no place (a file that cannot be read).
    public var range: SourceRange?
    /// Further lines shown after the source excerpt (`help: did you mean 'xiaomi'?`).
    public var notes: [String]

    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange?, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
    }

    public static func error(_ message: String, at range: SourceRange?, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, notes: notes)
    }

    /// A statement stopped by Ctrl-C: nothing it did is kept.
    public static func interrupted(at range: SourceRange?) -> Diagnostic {
        .error("interrupted", at: range, notes: ["help: Ctrl-C stopped the statement; nothing it did was kept"])
    }

    /// Adds a `help:` line suggesting the closest of `candidates` to `word`, when one is close.
    public func suggesting(_ word: String, from candidates: [String]) -> Diagnostic {
        guard let best = Spelling.closest(to: word, in: candidates) else { return self }
        var copy = self
        copy.notes.append("help: did you mean '\(best)'?")
        return copy
    }
}
