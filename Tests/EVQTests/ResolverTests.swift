import Testing
@testable import EVQ

@Suite struct ResolverTests {
    let resolver = Resolver(catalog: Fixture.data.catalog)

    func resolve(_ text: String) throws -> ResolvedStatement {
        guard case .success(let s)? = Parser.parse(SourceFile(name: "t", text: text)).first else { throw Diagnostic.error("no parse", at: nil) }
        return try resolver.resolve(s)
    }

    func entityID(_ name: String) throws -> String {
        let i = try resolver.entity(EntityRef(text: name, quoted: true, range: SourceRange(0, 0)))
        return Fixture.data.catalog.entities[i].id
    }

    @Test func aliasesInEnglishAndChinese() throws {
        #expect(try entityID("Model Y") == "model-y")
        #expect(try entityID("小米") == "xiaomi")
        #expect(try entityID("华为") == "hima")
        #expect(try entityID("问界") == "aito")
        #expect(try entityID("鸿蒙智行") == "hima")
        #expect(try entityID("XIAOMI") == "xiaomi")
    }

    @Test func periodsNormaliseToMonthRanges() throws {
        guard case .show(let q) = try resolve("show deliveries of xiaomi from jan 2025 to oct 2025") else { Issue.record("not show"); return }
        #expect(q.period == Period(start: 2025 * 12, end: 2025 * 12 + 9))
        guard case .show(let h) = try resolve("show deliveries of xiaomi in h2 2025") else { Issue.record("not show"); return }
        #expect(h.period == Period.half(2025, 2))
        #expect(h.period?.description == "2025-H2")
    }

    @Test func metricAliases() throws {
        guard case .show(let q) = try resolve("show sales of xiaomi in 2025-04") else { Issue.record("not show"); return }
        #expect(q.metric == Fixture.data.catalog.metric(named: "deliveries"))
    }

    @Test func unknownNamesSuggestTheNearest() {
        #expect(throws: Diagnostic.error("unknown entity 'xiaomy'", at: SourceRange(19, 25), notes: ["help: did you mean 'xiaomi'?"])) {
            try resolve("show deliveries of xiaomy in 2025")
        }
        #expect(throws: Diagnostic.error("unknown metric 'deliverys'", at: SourceRange(5, 14), notes: ["help: did you mean 'deliveries'?"])) {
            try resolve("show deliverys of xiaomi in 2025")
        }
    }

    @Test func backwardsRangesAreRejected() {
        do { _ = try resolve("show deliveries of xiaomi from oct 2025 to jan 2025"); Issue.record("expected an error") } catch {
            #expect((error as? Diagnostic)?.message == "the period ends (2025-01) before it starts (2025-10)")
        }
    }
}
