/// Removes terminal control sequences from text that came from data or user input before it is printed,
/// so a crafted name or note cannot move the cursor, retitle the window or change colours.
public enum Sanitizer {
    /// `text` without ESC sequences, C0/C1 control characters, DEL and the bidirectional overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069) that would make a name read backwards; tabs and line breaks become spaces.
    public static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            switch s.value {
            case 0x1B: skipEscape(&scalars)
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Consumes the rest of an escape sequence: CSI (`ESC [` … final byte), OSC/DCS (… BEL or ESC \), or a two-byte escape.
    private static func skipEscape(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard let kind = scalars.next() else { return }
        switch kind {
        case "[":
            while let s = scalars.next(), !(0x40...0x7E).contains(s.value) {}
        case "]", "P", "X", "^", "_":
            var previousWasEscape = false
            while let s = scalars.next() {
                if s.value == 0x07 || (previousWasEscape && s == "\\") { break }
                previousWasEscape = s.value == 0x1B
            }
        default:
            return
        }
    }
}
