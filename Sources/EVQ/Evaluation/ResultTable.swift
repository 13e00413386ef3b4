/// What a statement produces: a titled table of cells with footnotes and the facts it cites.
/// Every renderer (table, csv, json, markdown) reads this one value.
public struct ResultTable: Sendable {
    public struct Column: Sendable, Equatable {
        public var name: String
        /// Numeric columns are right-aligned and carry bounds in csv/json.
        public var numeric: Bool
        /// A column charts draw (an entity's figures), as opposed to derived columns (difference, change).
        public var series: Bool
        public init(_ name: String, numeric: Bool = false, series: Bool = false) {
            self.name = name
            self.numeric = numeric
            self.series = series
        }
    }

    public enum Cell: Sendable {
        case text(String)
        /// A figure: no quantity is missing data (`—`); several are conflicting or alternative figures.
        case figure([Quantity])
        /// A count of things (facts, entities): grouped for people, a plain number in csv and json.
        case count(Int)

        public var quantities: [Quantity] {
            if case .figure(let q) = self { return q }
            return []
        }
    }

    /// How the answer is to be shown: as a table, drawn in the terminal, or plotted to an SVG file.
    public enum Presentation: Sendable, Equatable, CustomStringConvertible {
        case table, chart, plot(String)
        public var description: String {
            switch self {
            case .table: return "table"
            case .chart: return "terminal chart"
            case .plot(let path): return "svg to \(path)"
            }
        }
    }

    /// Whether the rows are a series over time (a trend: drawn as a line or sparkline) or separate bars.
    public enum Shape: Sendable { case bars, series }

    public var title: String
    public var columns: [Column]
    public var presentation: Presentation = .table
    public var shape: Shape = .bars
    public var rows: [[Cell]] = []
    /// Lines shown under the table: derivations, conflicts, caveats.
    public var notes: [String] = []
    /// For `explain`: the plan itself, which JSON gives as a tree.
    public var plan: Operator?

    public init(title: String, columns: [Column]) {
        self.title = title
        self.columns = columns
    }

    /// The fact rows cited by every figure, in order of first appearance.
    public var citedFacts: [Int] {
        var seen = Set<Int>(), out: [Int] = []
        for row in rows {
            for cell in row {
                for q in cell.quantities {
                    for f in q.statingFacts where seen.insert(f).inserted { out.append(f) }
                }
            }
        }
        return out
    }

    /// Whether a cell's figures disagree: in some unit, each as stated or as its source converts it, different values.
    /// Figures in different units with no stated conversion between them are not compared.
    public static func isConflict(_ quantities: [Quantity]) -> Bool {
        func forms(_ q: Quantity) -> [Quantity] { [q] + q.equivalents }
        for (i, a) in quantities.enumerated() {
            for b in quantities[(i + 1)...] {
                for x in forms(a) {
                    for y in forms(b) where x.unit == y.unit && (x.lo != y.lo || x.hi != y.hi) { return true }
                }
            }
        }
        return false
    }
}
