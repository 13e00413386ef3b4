/// A named piece of EVQ source text: a script, a `-c` argument or a line typed at the REPL.
///
/// Phases refer to text by UTF-8 byte offsets into `bytes`; only the diagnostic renderer turns
/// offsets into lines and columns, so the hot paths never count characters.
public struct SourceFile: Sendable {
    /// The name shown in diagnostics (`script.evq`, `<command-line>`, `<stdin>`).
    public let name: String
    /// The text as UTF-8 bytes, exactly as read (invalid sequences included).
    public let bytes: [UInt8]
    /// The 1-based line number of the first line (a REPL statement may start on line 7 of a session).
    public let firstLine: Int
    /// Byte offsets at which each line starts.
    let lineStarts: [Int]

    public init(name: String, text: String, firstLine: Int = 1) {
        self.init(name: name, bytes: Array(text.utf8), firstLine: firstLine)
    }

    public init(name: String, bytes: [UInt8], firstLine: Int = 1) {
        self.name = name
        self.bytes = bytes
        self.firstLine = firstLine
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// The 0-based index of the line holding `offset`.
    func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The bytes of the line at `index`, without its line break.
    func lineBytes(_ index: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<max(start, end)]
    }

    /// Text between two byte offsets, decoded leniently (invalid UTF-8 becomes U+FFFD).
    public func text(_ range: SourceRange) -> String {
        let lo = min(max(0, range.start), bytes.count), hi = min(max(lo, range.end), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = min(max(0, offset), bytes.count)
        let index = lineIndex(of: clamped)
        // A CRLF line ends before its '\r': a position on the '\r' or the '\n' is the end of the line.
        let lineEnd = lineBytes(index).endIndex
        let prefix = bytes[lineStarts[index]..<min(clamped, lineEnd)]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (firstLine + index, column)
    }
}

/// A half-open span of UTF-8 byte offsets in a `SourceFile`.
public struct SourceRange: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) { self.start = start; self.end = max(start, end) }
    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
