#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import EVQ

/// glibc's wcwidth, which libedit calls to wrap the line being typed. Swift's Glibc module leaves it out
/// (it is an X/Open extension), so it is declared here by its C name.
@_silgen_name("wcwidth") private func systemWidth(_ character: Int32) -> Int32

/// `DisplayWidth` is the one width function of tables, completion listings and the line editor's arithmetic
/// of screen rows; the last must agree with libedit, which asks the C library.
@Suite struct DisplayWidthTests {
    @Test func everyPrintableCharacterIsAsWideAsTheCLibrarySays() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "C.utf8") != nil else {
            Issue.record("no C.UTF-8 locale to compare with")
            return
        }
        // The C library knows the characters of its own Unicode version (glibc 2.36: Unicode 14); later
        // ones it calls unprintable (-1), so those are left out rather than guessed.
        // Unicode 15 made U+1171E (Ahom medial ra) a spacing mark; Swift's tables are newer than glibc's.
        let revised: Set<UInt32> = [0x1171E]
        var disagreements: [String] = []
        for value in UInt32(0x20)...0x10FFFF where !revised.contains(value) {
            guard let scalar = Unicode.Scalar(value), let age = scalar.properties.age, age.major <= 14 else {
                continue
            }
            let expected = Int(systemWidth(Int32(bitPattern: value)))
            if expected >= 0, DisplayWidth.of(scalar) != expected {
                disagreements.append("U+\(String(value, radix: 16, uppercase: true)): \(DisplayWidth.of(scalar)), "
                                     + "wcwidth \(expected)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test func marksJamoAndFormatCharactersTakeNoColumn() {
        #expect(DisplayWidth.of("e\u{301}") == 1)       // combining acute
        #expect(DisplayWidth.of("\u{1100}\u{1161}") == 2) // a Hangul syllable spelled in jamo
        #expect(DisplayWidth.of("a\u{200D}b") == 2)     // zero-width joiner
        #expect(DisplayWidth.of("\u{600}") == 1)        // a prepended concatenation mark is drawn
        #expect(DisplayWidth.of("䷀") == 2)             // a Yijing hexagram is wide
    }
}
