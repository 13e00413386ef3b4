import Testing
@testable import EVQ

/// Completion at many cursor positions: the words offered come from the parser's expectations and the catalogue.
@Suite struct CompleterTests {
    let completer = Completer(catalog: Fixture.data.catalog, variables: ["gap"], years: [2024, 2025])

    func candidates(_ line: String) -> [String] { completer.complete(line, cursor: line.utf8.count).candidates }

    @Test(arguments: [
        ("", "compare"), ("comp", "compare"), ("show deliveries of xia", "xiaomi"), ("compare xiaomi hi", "hima"),
        ("compare xiaomi 鸿", "鸿蒙智行"), ("show ", "deliveries"), ("show pri", "price"), ("show deliveries ", "of"),
        ("compare xiaomi hima by ", "month"), ("compare xiaomi hima by q", "quarter"), ("show deliveries of xiaomi in ", "april"),
        ("show deliveries of xiaomi in apr ", "2025"), ("list ", "metrics"), ("top 3 ", "models"), ("top 3 models ", "by"),
        ("top 3 models by ", "deliveries"), ("growth of deliveries of xiaomi ", "yoy"), ("print ga", "gap"),
        ("print deliveries of hi", "hima"), ("list entities; describe 问", "问界"), ("compare \"Model", "\"Model Y\""),
        ("describe ", "su7-ultra"), ("compare xiaomi hima ", "in"), ("events of xiaomi ", "from"),
        ("compare xiaomi hima by month 2025 ", "as"), ("compare xiaomi hima by month 2025 as ", "chart"),
        ("top 3 models by deliveries in 2025-10 a", "as"), ("plot compare xiaomi hima by month 2025 ", "to"),
    ])
    func offers(line: String, expected: String) {
        #expect(candidates(line).contains(expected), "\(line) → \(candidates(line).prefix(12))")
    }

    @Test(arguments: [
        ("show deliveries of xiaomi ", "deliveries"), ("list ", "xiaomi"), ("compare xiaomi hima by ", "xiaomi"),
        ("show ", "compare"), ("top 3 ", "month"), ("comp", "show"), ("describe xiaomi ", "as"),
        ("list entities ", "as"),
    ])
    func doesNotOffer(line: String, unexpected: String) {
        #expect(!candidates(line).contains(unexpected), "\(line) → \(candidates(line).prefix(12))")
    }

    @Test func replacesOnlyTheWordAtTheCursor() {
        let line = "compare xia hima"
        let result = completer.complete(line, cursor: 11)
        #expect(result.start == 8)
        #expect(result.candidates.contains("xiaomi"))
        #expect(!result.candidates.contains("hima"))
    }

    @Test func quotedAliasesOnlyWhenNoPlainWordFits() {
        #expect(candidates("compare xia").allSatisfy { !$0.hasPrefix("\"") })
        #expect(candidates("compare \"Xiaomi ").contains("\"Xiaomi SU7\""))
    }
}
