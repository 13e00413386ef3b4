import Testing
@testable import EVQ

/// Inputs that must produce an error or a result, never a trap: random token soup, hostile bytes, sizes.
@Suite struct RobustnessTests {
    static let vocabulary = ["compare", "show", "total", "growth", "top", "trend", "events", "describe", "list", "let", "print", "explain",
                             "of", "in", "by", "from", "to", "and", "vs", "yoy", "qoq", "mom", "month", "quarter", "xiaomi", "hima", "小米",
                             "\"Model Y\"", "deliveries", "price", "target", "2025", "2025-04", "2025-q1", "q5", "apr", "2025-13", "..",
                             "(", ")", "+", "-", "*", "/", "=", "0", "1e", "3", "99999999999999999999", ",", ";", "\n", "x", "models", "entities", "\"", "\\"]

    @Test func randomTokenSoupNeverTraps() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<3000 {
            let count = Int(rng.next() % 12) + 1
            let text = (0..<count).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }.joined(separator: " ")
            _ = Fixture.run(text)
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var session = Session(data: Fixture.data)
            session.run(SourceFile(name: "t", bytes: bytes), keepGoing: true) { _, _ in }
        }
    }

    @Test func hugeInputsAreHandled() {
        let longest = "print " + String(repeating: "1 + ", count: 1000) + "1"
        #expect(Fixture.run(longest).contains("1,001"))
        let megabyte = "print " + String(repeating: "1 + ", count: 250_000) + "1"
        #expect(Fixture.run(megabyte).contains("error: expression has more than 1000 operators"))
        let manyStatements = String(repeating: "print 1\n", count: 100_000)
        var session = Session(data: Fixture.data)
        var count = 0
        session.run(SourceFile(name: "t", text: manyStatements)) { _, _ in count += 1 }
        #expect(count == 100_000)
    }
}
