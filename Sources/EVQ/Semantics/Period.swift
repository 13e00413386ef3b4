/// A normalized period: an inclusive range of months, counted as `year * 12 + (month - 1)`.
///
/// Months are the unit because every figure in the data is monthly or coarser; a day-dated
/// fact keeps its day for display but occupies its month. Timeless facts (a launch price) have no months.
public struct Period: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    /// The day of the month for a day-dated period (`2025-04-28`), else 0.
    public var day: Int = 0
    public var isTimeless: Bool { start > end }

    public static let timeless = Period(start: 1, end: 0)

    public init(start: Int, end: Int, day: Int = 0) {
        self.start = start
        self.end = end
        self.day = day
    }

    public static func month(_ year: Int, _ month: Int) -> Period { Period(start: year * 12 + month - 1, end: year * 12 + month - 1) }
    public static func quarter(_ year: Int, _ q: Int) -> Period { Period(start: year * 12 + (q - 1) * 3, end: year * 12 + q * 3 - 1) }
    public static func half(_ year: Int, _ h: Int) -> Period { Period(start: year * 12 + (h - 1) * 6, end: year * 12 + h * 6 - 1) }
    public static func year(_ year: Int) -> Period { Period(start: year * 12, end: year * 12 + 11) }

    /// Number of months covered.
    public var months: Int { isTimeless ? 0 : end - start + 1 }

    public func contains(_ other: Period) -> Bool {
        !isTimeless && !other.isTimeless && start <= other.start && other.end <= end
    }

    public func overlaps(_ other: Period) -> Bool {
        !isTimeless && !other.isTimeless && start <= other.end && other.start <= end
    }

    /// The same period shifted by whole months (for year-over-year and similar comparisons).
    public func shifted(by months: Int) -> Period {
        isTimeless ? self : Period(start: start + months, end: end + months, day: day)
    }

    /// The grain this period is exactly one of, if any.
    public var grain: Grain? {
        if isTimeless || day != 0 { return nil }
        for g in Grain.allCases where g.months == months && start % g.months == 0 { return g }
        return nil
    }

    /// The canonical label: `2025`, `2025-H2`, `2025-Q1`, `2025-04`, `2025-04-28`, `2025-01..2025-10`, `-`.
    public var description: String {
        if isTimeless { return "-" }
        let y = Period.year(of: start), m = start % 12 + 1
        if day != 0 { return "\(y)-\(Period.two(m))-\(Period.two(day))" }
        switch grain {
        case .month: return "\(y)-\(Period.two(m))"
        case .quarter: return "\(y)-Q\(m / 3 + 1)"
        case .half: return "\(y)-H\(m / 6 + 1)"
        case .year: return "\(y)"
        case nil: return "\(Period.monthLabel(start))..\(Period.monthLabel(end))"
        }
    }

    /// `2025-04` for a month index.
    public static func monthLabel(_ index: Int) -> String { "\(year(of: index))-\(two(index % 12 + 1))" }
    static func year(of index: Int) -> Int { index / 12 }
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    public static func < (a: Period, b: Period) -> Bool {
        (a.start, a.end, a.day) < (b.start, b.end, b.day)
    }

    /// The periods of `grain` inside this one (partial periods at the edges are clipped).
    public func split(by grain: Grain) -> [Period] {
        guard !isTimeless else { return [] }
        var out: [Period] = []
        var s = start
        while s <= end {
            let bucketEnd = (s / grain.months) * grain.months + grain.months - 1
            out.append(Period(start: s, end: min(bucketEnd, end)))
            s = bucketEnd + 1
        }
        return out
    }
}

/// The steps a series can be broken into.
public enum Grain: String, Sendable, CaseIterable {
    case month, quarter, half, year
    public var months: Int {
        switch self {
        case .month: return 1
        case .quarter: return 3
        case .half: return 6
        case .year: return 12
        }
    }
    /// Accepts plurals and short forms: `months`, `quarterly`, `yr`.
    public static func named(_ word: String) -> Grain? {
        switch word.lowercased() {
        case "month", "months", "monthly", "mo": return .month
        case "quarter", "quarters", "quarterly", "q": return .quarter
        case "half", "halves", "half-year", "h": return .half
        case "year", "years", "yearly", "annual", "yr": return .year
        default: return nil
        }
    }
}

extension Period {
    /// Parses the data files' period syntax: `2025`, `2025-04`, `2025-04-28`, `2025-Q1`, `2025-H2`, `A..B`, `-`.
    /// Works on bytes: every fact row goes through here when data loads.
    public static func parse(_ text: String) -> Period? {
        parse(bytes: Array(Text.trimmed(text).utf8)[...])
    }

    /// The same, for bytes already trimmed (the fact loader's fields).
    static func parse<Bytes: RandomAccessCollection<UInt8>>(bytes b: Bytes) -> Period? where Bytes.Index == Int, Bytes.SubSequence == Bytes {
        if b.count == 1 && b.first == UInt8(ascii: "-") { return .timeless }
        if let dots = (b.startIndex..<max(b.startIndex, b.endIndex - 1)).first(where: { b[$0] == UInt8(ascii: ".") && b[$0 + 1] == UInt8(ascii: ".") }) {
            guard let a = parseSingle(b[..<dots]), let z = parseSingle(b[(dots + 2)...]), a.day == 0, z.day == 0,
                  a.start <= z.end else { return nil }
            return Period(start: a.start, end: z.end)
        }
        return parseSingle(b)
    }

    private static func parseSingle<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes) -> Period? where Bytes.Index == Int {
        let s = b.startIndex
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.endIndex else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let y = number(s, 4), PeriodSyntax.years.contains(y) else { return nil }
        if b.count == 4 { return .year(y) }
        guard b.count >= 7, b[s + 4] == UInt8(ascii: "-") else { return nil }
        if b.count == 7, let n = number(s + 6, 1) {
            switch b[s + 5] | 0x20 {
            case UInt8(ascii: "q") where (1...4).contains(n): return .quarter(y, n)
            case UInt8(ascii: "h") where (1...2).contains(n): return .half(y, n)
            default: break
            }
        }
        guard let m = number(s + 5, 2), (1...12).contains(m) else { return nil }
        if b.count == 7 { return .month(y, m) }
        guard b.count == 10, b[s + 7] == UInt8(ascii: "-"), let d = number(s + 8, 2),
              (1...PeriodSyntax.daysIn(month: m, year: y)).contains(d) else { return nil }
        var p = Period.month(y, m)
        p.day = d
        return p
    }

    /// The period a literal from the parser denotes.
    init(_ literal: PeriodLiteral) {
        switch literal.unit {
        case nil: self = .year(literal.year)
        case .month(let m): self = .month(literal.year, m)
        case .quarter(let q): self = .quarter(literal.year, q)
        case .half(let h): self = .half(literal.year, h)
        case .day(let m, let d): self = .month(literal.year, m); self.day = d
        }
    }
}
