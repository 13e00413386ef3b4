extension Derivation {
    /// The derivation in words a reader can check against the facts: `2025-Q1 (75,869) less 2025-02 (>20,000,
    /// derived) and 2025-03 (>20,000, derived)`, `latest figure within 2025: the one for 2025-06`.
    public var phrase: String {
        switch self {
        case .latest(let within, let at): return "latest figure within \(within): the one for \(at)"
        case .containing(let period, let span): return "figure stated for \(span), which contains \(period)"
        case .undated: return "undated figure: the source gives no date for it"
        case .exactly(let sum): return sum.phrase
        case .bounds(let lower, let upper):
            return [lower.map { "at least " + $0.phrase }, upper.map { "at most " + $0.phrase }]
                .compactMap { $0 }.joined(separator: "; ")
        case .noted(let text), .expression(let text): return text
        case .contradicted(let inner): return inner.phrase + "; other facts of this entity contradict each other (see evq check)"
        }
    }
}

extension Derivation.Sum {
    var phrase: String {
        let added = self.added.isEmpty ? "0" : self.added.map(\.phrase).joined(separator: " + ")
        let minus = subtracted.map(\.phrase)
        guard let last = minus.last else { return added }
        return "\(added) less " + (minus.count == 1 ? last : minus.dropLast().joined(separator: ", ") + " and " + last)
    }
}

extension Derivation.Term {
    /// `2025-Q1 (75,869)`, `2025-01 (>20,000, derived)`, `yu7 2025-10 (33,662)`.
    var phrase: String {
        switch self {
        case .fact(let period, let q): return "\(period) (\(Derivation.Term.unmarked(q))\(q.derived ? ", derived" : ""))"
        case .child(let id, let span, let q): return "\(id) \(span) (\(Derivation.Term.unmarked(q)))"
        case .children(let terms): return terms.map(\.phrase).joined(separator: " + ")
        case .either(let terms): return terms.map(\.phrase).joined(separator: " or ")
        case .oneOf(let count, let span, let range):
            return "one of \(NumberFormat.grouped(Double(count))) figures stated for \(span) (\(NumberFormat.display(range)))"
        }
    }

    /// A figure without the derived mark, which inside a derivation would be noise.
    private static func unmarked(_ q: Quantity) -> String {
        var plain = q
        plain.derived = false
        return NumberFormat.display(plain)
    }
}
