/// A number as the sources know it: an interval `[lo, hi]` with its unit, whether it is approximate,
/// whether it was derived, and the facts it rests on.
///
/// Bounds survive arithmetic as interval arithmetic does: `44,454 − >28,000` is `(−∞, 16,454]`,
/// printed `<16,454`. An unbounded side is infinite.
public struct Quantity: Sendable, Equatable {
    public var lo: Double
    public var hi: Double
    public var unit: String
    /// "about", "nearly": the figure is not exact even where lo == hi.
    public var approximate = false
    /// A stated range of values (a price range), not an uncertainty about one value.
    public var isRange = false
    /// Computed from other figures rather than stated by a source.
    public var derived = false
    /// Row numbers in the fact store of the facts this figure rests on.
    public var facts: [Int] = []
    /// How a derived figure was derived (`Derivation.phrase` says it in words).
    public var how: Derivation?
    /// A goal or pledge, not an actual figure.
    public var isTarget = false
    /// What few figures carry, kept apart so that the many without it stay small to copy (ranking copies thousands).
    private var extra: Extra?

    /// Of the facts, those a derived bound subtracts (a quarter's figure less its known months).
    public var subtracted: [Int] {
        get { extra?.subtracted ?? [] }
        set { update { $0.subtracted = newValue } }
    }
    /// When the source says the figure was stated or held.
    public var asOf: Period? {
        get { extra?.asOf }
        set { update { $0.asOf = newValue } }
    }
    /// The same figure in other units, as the source converts it: one figure, not a disagreement.
    public var equivalents: [Quantity] {
        get { extra?.equivalents ?? [] }
        set { update { $0.equivalents = newValue } }
    }
    /// Earlier figures (fact rows) this one revises: history, not a disagreement.
    public var revises: [Int] {
        get { extra?.revises ?? [] }
        set { update { $0.revises = newValue } }
    }
    /// The facts this figure was computed from, or that it is a change of (`from` in the data).
    public var basis: [Int] {
        get { extra?.basis ?? [] }
        set { update { $0.basis = newValue } }
    }

    /// The rarely set fields, boxed; a box is never changed once made, only replaced.
    private final class Extra: Sendable, Equatable {
        struct Fields: Equatable {
            var subtracted: [Int] = [], asOf: Period?, equivalents: [Quantity] = []
            var revises: [Int] = [], basis: [Int] = []
        }
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
        var subtracted: [Int] { fields.subtracted }
        var asOf: Period? { fields.asOf }
        var equivalents: [Quantity] { fields.equivalents }
        var revises: [Int] { fields.revises }
        var basis: [Int] { fields.basis }
        static func == (a: Extra, b: Extra) -> Bool { a.fields == b.fields }
    }

    private mutating func update(_ change: (inout Extra.Fields) -> Void) {
        var fields = extra?.fields ?? Extra.Fields()
        change(&fields)
        extra = fields == Extra.Fields() ? nil : Extra(fields)
    }

    public init(lo: Double, hi: Double, unit: String) {
        self.lo = lo
        self.hi = hi
        self.unit = unit
    }

    /// The same figure with its facts' row numbers moved as `map` says (old row → new row), for a store that was
    /// rebuilt in another order (`SQLExecutor.fetch`).
    func renumbered(_ map: [Int]) -> Quantity {
        func move(_ rows: [Int]) -> [Int] { rows.map { map.indices.contains($0) ? map[$0] : $0 } }
        var q = self
        q.facts = move(facts)
        if extra != nil {
            q.subtracted = move(subtracted)
            q.revises = move(revises)
            q.basis = move(basis)
            q.equivalents = equivalents.map { $0.renumbered(map) }
        }
        return q
    }

    public static func exact(_ v: Double, unit: String = "") -> Quantity { Quantity(lo: v, hi: v, unit: unit) }

    /// The largest magnitude EVQ computes with: past 10^18 a double no longer holds every whole number. Loaded
    /// values beyond it are refused, and arithmetic that passes it fails (`ArithmeticError.tooLarge`).
    public static let largestExact = 1e18

    /// The facts of the figure and of its stated conversions: all the rows that state it.
    public var statingFacts: [Int] { facts + equivalents.flatMap(\.facts) }

    public var isExact: Bool { lo == hi && !approximate }
    public var isPoint: Bool { lo == hi }
    /// A single number to sort and chart by: the point, or the known side of a bound, or the midpoint of a range.
    public var representative: Double? {
        switch (lo.isFinite, hi.isFinite) {
        case (true, true): return (lo + hi) / 2
        case (true, false): return lo
        case (false, true): return hi
        case (false, false): return nil
        }
    }

    /// The side of the figure the sources vouch for: its lower bound where it has one (a point, at least, a range
    /// between two numbers), else its upper bound. Rankings order by it.
    public var knownSide: Double? { lo.isFinite ? lo : hi.isFinite ? hi : nil }

    /// How the figure is bounded, as the data files and the json output name it.
    public var boundKind: String {
        if isTarget { return "target" }
        if isRange { return "range" }
        switch (lo.isFinite, hi.isFinite) {
        case (true, false): return "at-least"
        case (false, true): return "at-most"
        case (false, false): return "unknown"
        case (true, true): return lo == hi ? (approximate ? "approx" : "exact") : "between"
        }
    }
}

// MARK: - Arithmetic

/// Why arithmetic on quantities failed.
public enum ArithmeticError: Error, Equatable {
    case divisionByZero
    case unitMismatch(String, String)
    /// Beyond `Quantity.largestExact`, where doubles no longer hold whole numbers.
    case tooLarge
}

extension Quantity {
    public static func + (a: Quantity, b: Quantity) throws(ArithmeticError) -> Quantity {
        try combine(a, b, unit: sameUnit(a, b), lo: a.lo + b.lo, hi: a.hi + b.hi)
    }

    public static func - (a: Quantity, b: Quantity) throws(ArithmeticError) -> Quantity {
        try combine(a, b, unit: sameUnit(a, b), lo: a.lo - b.hi, hi: a.hi - b.lo)
    }

    public static func * (a: Quantity, b: Quantity) throws(ArithmeticError) -> Quantity {
        if a.unit != b.unit, isCurrency(a.unit), isCurrency(b.unit) { throw .unitMismatch(a.unit, b.unit) }
        let products = [times(a.lo, b.lo), times(a.lo, b.hi), times(a.hi, b.lo), times(a.hi, b.hi)]
        let unit = a.unit.isEmpty ? b.unit : b.unit.isEmpty ? a.unit : "\(a.unit)×\(b.unit)"
        return try combine(a, b, unit: unit, lo: products.min() ?? 0, hi: products.max() ?? 0)
    }

    public static func / (a: Quantity, b: Quantity) throws(ArithmeticError) -> Quantity {
        if a.unit != b.unit, isCurrency(a.unit), isCurrency(b.unit) { throw .unitMismatch(a.unit, b.unit) }
        guard b.lo > 0 || b.hi < 0 else { throw .divisionByZero }
        let inverse = Quantity(lo: 1 / b.hi, hi: 1 / b.lo, unit: "")
        var result = try a * inverse
        result.unit = b.unit == a.unit ? "" : b.unit.isEmpty ? a.unit : a.unit.isEmpty ? "1/\(b.unit)" : "\(a.unit)/\(b.unit)"
        result.facts = a.facts + b.facts
        return result
    }

    public static prefix func - (a: Quantity) -> Quantity {
        var r = a
        (r.lo, r.hi) = (-a.hi, -a.lo)
        return r
    }

    /// `0 × ∞` is 0 here: an unknown amount of nothing is nothing.
    private static func times(_ x: Double, _ y: Double) -> Double { x == 0 || y == 0 ? 0 : x * y }

    /// Whether a unit is a currency: two different currencies never combine without a stated rate.
    static func isCurrency(_ unit: String) -> Bool { unit.count == 3 && unit.allSatisfy(\.isUppercase) }

    private static func sameUnit(_ a: Quantity, _ b: Quantity) throws(ArithmeticError) -> String {
        if a.unit == b.unit || b.unit.isEmpty { return a.unit }
        if a.unit.isEmpty { return b.unit }
        throw .unitMismatch(a.unit, b.unit)
    }

    private static func combine(_ a: Quantity, _ b: Quantity, unit: String, lo: Double, hi: Double) throws(ArithmeticError) -> Quantity {
        var r = Quantity(lo: lo.isNaN ? -.infinity : lo, hi: hi.isNaN ? .infinity : hi, unit: unit)
        r.approximate = a.approximate || b.approximate
        r.isRange = a.isRange || b.isRange
        r.derived = true
        r.isTarget = a.isTarget || b.isTarget
        r.facts = a.facts + b.facts
        return r
    }
}
