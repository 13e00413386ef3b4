/// First questions typed in plain English (`how many cars did xiaomi deliver in april 2025?`, `who led in may
/// 2025`): EVQ does not guess an answer to them, but when a line that failed to parse reads like a question, the
/// error shows the statement that answers it, built from the names, the metric and the period the question
/// mentions.
enum Questions {
    /// Words that open a question rather than a statement.
    static let openers: Set<String> = ["how", "who", "what", "which", "when", "did", "does", "do", "is", "was", "were",
                                       "are", "has", "have", "tell", "give", "whats", "what's"]

    /// Words that name a metric the way people say it, to the metric's name.
    static let metricWords: [String: String] = [
        "cars": "deliveries", "car": "deliveries", "deliver": "deliveries", "delivered": "deliveries",
        "deliveries": "deliveries", "sold": "deliveries", "sell": "deliveries", "sales": "deliveries",
        "vehicles": "deliveries", "units": "deliveries", "price": "price", "prices": "price", "cost": "price",
        "costs": "price", "stores": "stores", "shops": "stores", "profit": "net-profit", "target": "target",
        "goal": "target",
    ]

    /// Words that ask who was ahead.
    static let leadWords: Set<String> = [
        "led", "lead", "leads", "leading", "ahead", "won", "more", "most", "top", "best",
    ]

    /// The error for a line that failed to parse when it reads like a question; nil otherwise.
    static func diagnostic(replacing failure: Diagnostic, in file: SourceFile, catalog: Catalog) -> Diagnostic? {
        guard let range = failure.range else { return nil }
        let index = file.lineIndex(of: min(range.start, file.bytes.count))
        let line = String(decoding: file.lineBytes(index), as: UTF8.self)
        guard let statement = statement(answering: line, catalog: catalog) else { return nil }
        let start = file.lineStarts[index] + (line.utf8.count - line.drop { $0 == " " || $0 == "\t" }.utf8.count)
        return .error("EVQ reads statements, not questions in English", at: SourceRange(start, start + 1),
                      notes: ["help: to ask this, type: \(statement)"])
    }

    /// The statement that answers `line`, when it reads like a question and names enough to answer.
    static func statement(answering line: String, catalog: Catalog) -> String? {
        let trimmed = line.trimmingTrailing { $0 == " " || $0 == "\t" || $0 == "\r" }
        let words = trimmed.lowercased().split { " \t,.;?!\"".contains($0) }.map(String.init)
        guard let first = words.first, openers.contains(first) || trimmed.hasSuffix("?") else { return nil }
        let entities = names(in: words, catalog: catalog)
        let metric = words.lazy.compactMap {
            metricWords[$0] ?? catalog.metric(named: $0).map { catalog.metrics[$0].name }
        }.first
        let period = Questions.period(in: words)
        let clause = period.map { " in \($0)" } ?? ""
        let asksWhoLed = words.contains { leadWords.contains($0) } || first == "who" || first == "which"
        switch entities.count {
        case 0:
            guard asksWhoLed, period != nil else { return nil }
            return "top 5 entities by \(metric ?? "deliveries")\(clause)"
        case 1:
            return "show \(metric ?? "deliveries") of \(entities[0])\(clause)"
        default:
            let of = metric.map { $0 == "deliveries" ? "" : "\($0) of " } ?? ""
            return "compare \(of)\(entities.joined(separator: " "))\(clause)"
        }
    }

    /// The entities a question names, by id or alias, up to three words long, each once, in order.
    static func names(in words: [String], catalog: Catalog) -> [String] {
        var out: [String] = [], i = 0
        while i < words.count {
            var matched = false
            for length in stride(from: min(3, words.count - i), through: 1, by: -1) {
                let phrase = words[i..<(i + length)].joined(separator: " ")
                // One-letter and stop words are no names, whatever an alias says.
                guard phrase.count > 1, !openers.contains(phrase), metricWords[phrase] == nil,
                      let entity = catalog.lookUpEntity(phrase).first else { continue }
                let id = catalog.entities[entity].id
                if !out.contains(id) { out.append(id) }
                i += length
                matched = true
                break
            }
            if !matched { i += 1 }
        }
        return out
    }

    /// A period a question names: `april 2025` or `2025 april` (2025-04), `q3 2025` (2025-q3), or a year.
    static func period(in words: [String]) -> String? {
        for (i, word) in words.enumerated() {
            guard let year = Int(word), PeriodSyntax.years.contains(year), word.count == 4 else { continue }
            let neighbours = [i > 0 ? words[i - 1] : nil, i + 1 < words.count ? words[i + 1] : nil].compactMap { $0 }
            for neighbour in neighbours {
                switch PeriodSyntax.unitWord(neighbour) {
                case .month(let m)?: return "\(year)-\(m < 10 ? "0" : "")\(m)"
                case .quarter(let q)?: return "\(year)-q\(q)"
                case .half(let h)?: return "\(year)-h\(h)"
                default: continue
                }
            }
            return "\(year)"
        }
        return nil
    }
}

extension String {
    /// The string without the characters at its end that `drop` matches.
    func trimmingTrailing(while drop: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let last = s.last, drop(last) { s.removeLast() }
        return String(s)
    }
}
