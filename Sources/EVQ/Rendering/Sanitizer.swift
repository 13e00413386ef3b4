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
            case 0x1B: readEscape(&scalars)
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Consumes the rest of an escape sequence and returns it: CSI (`ESC [` … final byte), OSC/DCS (… BEL or
    /// ESC \\), or a two-byte escape.
    @discardableResult
    private static func readEscape(_ scalars: inout String.UnicodeScalarView.Iterator) -> [Unicode.Scalar] {
        guard let kind = scalars.next() else { return [] }
        var read = [kind]
        switch kind {
        case "[":
            while let s = scalars.next() {
                read.append(s)
                if (0x40...0x7E).contains(s.value) { break }
            }
        case "]", "P", "X", "^", "_":
            var previousWasEscape = false
            while let s = scalars.next() {
                read.append(s)
                if s.value == 0x07 || (previousWasEscape && s == "\\") { break }
                previousWasEscape = s.value == 0x1B
            }
        default:
            break
        }
        return read
    }

    /// Text about to leave the program for a terminal or a pipe, made safe as a whole: line breaks, tabs and
    /// the colour sequences EVQ itself writes (`ESC [ digits ; … m`) stay; every other escape sequence, control
    /// character and bidirectional override goes, whatever renderer or message let it through. Text with
    /// nothing to remove (nearly all of it) is returned after one pass over its bytes.
    public static func terminal(_ text: String) -> String {
        guard needsCleaning(text.utf8) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            switch s.value {
            case 0x1B:
                let sequence = readEscape(&scalars)
                if isColour(sequence) {
                    out.append(s)
                    out.append(contentsOf: sequence)
                }
            case 0x09, 0x0A, 0x0D: out.append(s)
            case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Whether UTF-8 holds a control character other than tab and line breaks, a C1 control or a bidi override.
    private static func needsCleaning(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in bytes {
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return true }
            if b == 0x7F { return true }
            if previous == 0xC2 && (0x80...0x9F).contains(b) { return true }
            if beforePrevious == 0xE2 && previous == 0x80 && (0xAA...0xAE).contains(b) { return true }
            if beforePrevious == 0xE2 && previous == 0x81 && (0xA6...0xA9).contains(b) { return true }
            beforePrevious = previous
            previous = b
        }
        return false
    }

    /// Whether an escape sequence's rest after ESC sets colours and nothing else: `[1;33m`.
    private static func isColour(_ sequence: [Unicode.Scalar]) -> Bool {
        guard sequence.count >= 2, sequence.count <= 32, sequence.first == "[", sequence.last == "m" else {
            return false
        }
        return sequence.dropFirst().dropLast().allSatisfy { ("0"..."9").contains($0) || $0 == ";" }
    }
}
