/// How a derived figure was derived: a value the evaluator makes from the facts it used, which the renderers
/// phrase (`phrase`), so that every engine and every format says the same thing of the same figure.
public indirect enum Derivation: Sendable, Equatable {
    /// The latest figure of a metric that does not add up, stated within the period asked, and when.
    case latest(within: Period, at: Period)
    /// A figure stated for a longer span that contains the period asked.
    case containing(period: Period, span: Period)
    /// A figure the source gives no date for.
    case undated
    /// Exactly a sum of figures: facts that tile the period, or a bound whose lower and upper sides are the same.
    case exactly(Sum)
    /// Bounds worked out from the facts' sums (`SpanSolver`): at least one sum, at most another.
    case bounds(atLeast: Sum?, atMost: Sum?)
    /// As the note of a fact that the data marks derived says it.
    case noted(String)
    /// An expression of the query, as written.
    case expression(String)
    /// Another derivation, made from the facts around the period alone because other facts of the entity
    /// contradict each other.
    case contradicted(Derivation)

    /// A figure as a derivation names it: its value and marks, without the facts and derivation behind it.
    static func figure(_ q: Quantity) -> Quantity {
        var named = Quantity(lo: q.lo, hi: q.hi, unit: q.unit)
        named.approximate = q.approximate
        named.isRange = q.isRange
        named.isTarget = q.isTarget
        named.derived = q.derived
        return named
    }

    /// Figures added and figures taken away: `2025-Q1 (100) less 2025-01 (30) and 2025-02 (30)`.
    public struct Sum: Sendable, Equatable {
        public var added: [Term]
        public var subtracted: [Term] = []
    }

    /// One figure a derivation names.
    public indirect enum Term: Sendable, Equatable {
        /// A fact: the period it states and its figure.
        case fact(Period, Quantity)
        /// A child's figure for a span, in a roll-up: its id, the span and the figure.
        case child(String, Period, Quantity)
        /// The children's figures that add up to at least a parent's.
        case children([Term])
        /// A few figures stated for one span that disagree: any one of them.
        case either([Term])
        /// Many such figures, counted: how many, for which span, and the range from the lowest to the highest.
        case oneOf(count: Int, span: Period, range: Quantity)
    }
}
