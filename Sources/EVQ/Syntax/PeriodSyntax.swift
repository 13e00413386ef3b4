/// The spellings of periods: month names, quarter and half words, and `2025-04`-style literals.
/// Checks what can be checked without the calendar of facts (month 13, quarter 5).
enum PeriodSyntax {
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                             "august", "september", "october", "november", "december"]
    static let unitWords = monthNames + monthNames.map { String($0.prefix(3)) } + ["sept", "q1", "q2", "q3", "q4", "h1", "h2"]
    static let years = 1900...2100

    /// The unit a word names when followed by a year: `apr`, `april`, `q1`, `h2`.
    static func unitWord(_ word: String) -> PeriodLiteral.Unit? {
        let w = word.lowercased()
        if let m = monthNames.firstIndex(where: { $0 == w || ($0.prefix(3) == w && w.count == 3) }) { return .month(m + 1) }
        if w == "sept" { return .month(9) }
        guard w.count == 2, let digit = w.last?.wholeNumberValue else { return nil }
        switch w.first {
        case "q" where (1...4).contains(digit): return .quarter(digit)
        case "h" where (1...2).contains(digit): return .half(digit)
        default: return nil
        }
    }

    /// `q5`, `h3`, `q0`: spelt like a quarter or half but out of range.
    static func looksLikeUnit(_ word: String) -> Bool {
        let w = word.lowercased()
        guard let first = w.first, first == "q" || first == "h", w.count >= 2 else { return false }
        return unitWord(w) == nil && w.dropFirst().allSatisfy(\.isASCII) && w.dropFirst().allSatisfy(\.isNumber)
    }

    /// A bare year token.
    static func year(_ token: Token) throws(Diagnostic) -> PeriodLiteral {
        guard token.text.count == 4, let year = Int(token.text), years.contains(year) else {
            throw .error("'\(token.text)' is not a year EVQ knows", at: token.range,
                         notes: ["help: years run from \(years.lowerBound) to \(years.upperBound), written with four digits"])
        }
        return PeriodLiteral(year: year, unit: nil, range: token.range)
    }

    /// A `2025-04`, `2025-04-28`, `2025-q1` or `2025-h2` token.
    static func literal(_ token: Token) throws(Diagnostic) -> PeriodLiteral {
        let parts = token.text.split(separator: "-").map(String.init)
        guard parts.count >= 2, let year = Int(parts[0]), years.contains(year) else {
            throw .error("'\(token.text)' is not a period", at: token.range)
        }
        let second = parts[1]
        if let kind = second.first, kind == "q" || kind == "h", let n = Int(second.dropFirst()) {
            let limit = kind == "q" ? 4 : 2
            guard (1...limit).contains(n) else {
                throw .error("'\(token.text)' is not a period: a year has \(kind == "q" ? "quarters q1–q4" : "halves h1–h2")", at: token.range,
                             notes: ["help: for example: \(year)-\(kind)\(limit)"])
            }
            return PeriodLiteral(year: year, unit: kind == "q" ? .quarter(n) : .half(n), range: token.range)
        }
        guard let month = Int(second), (1...12).contains(month) else {
            throw .error("'\(token.text)' is not a period: months run from 01 to 12", at: token.range,
                         notes: ["help: for example: \(year)-12"])
        }
        guard parts.count == 3 else { return PeriodLiteral(year: year, unit: .month(month), range: token.range) }
        guard let day = Int(parts[2]), (1...daysIn(month: month, year: year)).contains(day) else {
            let days = daysIn(month: month, year: year)
            throw .error("'\(token.text)' is not a date: \(monthNames[month - 1]) \(year) has \(days) days", at: token.range,
                         notes: ["help: for example: \(year)-\(month < 10 ? "0" : "")\(month)-\(days)"])
        }
        return PeriodLiteral(year: year, unit: .day(month: month, day: day), range: token.range)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
