/// Small string helpers, so the library needs no Foundation (it keeps the static binary small and quick to start).
enum Text {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trimmed(_ text: String) -> String {
        // Most fields need no trimming; checking the bytes at both ends avoids walking Characters.
        guard let first = text.utf8.first, let last = text.utf8.last, isSpace(first) || isSpace(last) else { return text }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }

    /// A space, tab or line-break byte: what trimming removes.
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Whether `text` contains `needle`, ignoring ASCII case.
    static func containsIgnoringCase(_ text: String, _ needle: String) -> Bool {
        let hay = Array(text.lowercased().utf8), n = Array(needle.lowercased().utf8)
        guard !n.isEmpty, n.count <= hay.count else { return n.isEmpty }
        for i in 0...(hay.count - n.count) where hay[i..<(i + n.count)].elementsEqual(n) { return true }
        return false
    }
}
