/// Prints diagnostics the way compilers do:
///
///     script.evq:3:20: error: unknown entity 'xiaomy'
///     compare hima and xiaomy in 2025-04
///                      ^~~~~~
///     help: did you mean 'xiaomi'?
public enum DiagnosticRenderer {
    /// With `color`, as compilers colour them on a terminal: the severity red (yellow for a warning), the
    /// message bold, the caret green, `help:` cyan.
    public static func render(_ diagnostic: Diagnostic, in file: SourceFile, color: Bool = false) -> String {
        let plain = uncoloured(diagnostic, in: file)
        guard color else { return plain }
        let severity = diagnostic.severity.rawValue + ":"
        let hue = diagnostic.severity == .warning ? "33" : diagnostic.severity == .note ? "36" : "31"
        let lines = plain.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.enumerated().map { i, line -> String in
            if i == 0, let r = line.firstRange(of: " " + severity + " ") {
                return line[..<r.lowerBound] + " \u{1B}[1;\(hue)m\(severity)\u{1B}[0m \u{1B}[1m"
                    + line[r.upperBound...] + "\u{1B}[0m"
            }
            if line.hasPrefix("help:") { return "\u{1B}[1;36mhelp:\u{1B}[0m" + line.dropFirst(5) }
            if i == 2, diagnostic.range != nil, line.contains("^") { return "\u{1B}[1;32m" + line + "\u{1B}[0m" }
            return line
        }.joined(separator: "\n")
    }

    private static func uncoloured(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
        guard let range = diagnostic.range else {
            return (["\(file.name): \(diagnostic.severity.rawValue): \(Sanitizer.printable(diagnostic.message))"] + diagnostic.notes.map(Sanitizer.printable))
                .joined(separator: "\n") + "\n"
        }
        let (line, column) = file.location(of: range.start)
        // Messages quote what was typed, so they are cleaned like any text from outside.
        var out = ["\(Sanitizer.printable(file.name)):\(line):\(column): \(diagnostic.severity.rawValue): \(Sanitizer.printable(diagnostic.message))"]
        let index = file.lineIndex(of: min(range.start, file.bytes.count))
        let lineBytes = file.lineBytes(index)
        let lineStart = lineBytes.startIndex
        let shown = Sanitizer.printable(String(decoding: lineBytes, as: UTF8.self))
        // Very long lines (a 1 MB line) are cut around the caret so the message stays readable.
        let (excerpt, skipped) = excerptAround(shown, column: column)
        out.append(excerpt)
        let prefix = Sanitizer.printable(String(decoding: file.bytes[lineStart..<min(max(lineStart, range.start), lineBytes.endIndex)], as: UTF8.self))
        let underlineEnd = min(range.end, lineBytes.endIndex)
        let spanned = Sanitizer.printable(String(decoding: file.bytes[min(range.start, underlineEnd)..<underlineEnd], as: UTF8.self))
        let pad = max(0, DisplayWidth.of(prefix) - skipped)
        let width = max(1, min(DisplayWidth.of(spanned), 200))
        out.append(String(repeating: " ", count: pad) + "^" + String(repeating: "~", count: width - 1))
        out += diagnostic.notes.map(Sanitizer.printable)
        return out.joined(separator: "\n") + "\n"
    }

    /// Renders several diagnostics in order.
    public static func render(_ diagnostics: [Diagnostic], in file: SourceFile) -> String {
        diagnostics.map { render($0, in: file) }.joined()
    }

    static let maxExcerpt = 160

    /// Cuts a long line to a window around `column`; returns the window and how many display columns were cut on the left.
    static func excerptAround(_ line: String, column: Int) -> (String, Int) {
        let chars = Array(line)
        guard chars.count > maxExcerpt else { return (line, 0) }
        let start = max(0, min(column - 1 - maxExcerpt / 2, chars.count - maxExcerpt))
        let window = String(chars[start..<min(chars.count, start + maxExcerpt)])
        let skipped = DisplayWidth.of(String(chars[0..<start]))
        return ((start > 0 ? "…" : "") + window + (start + maxExcerpt < chars.count ? "…" : ""), skipped - (start > 0 ? 1 : 0))
    }
}
