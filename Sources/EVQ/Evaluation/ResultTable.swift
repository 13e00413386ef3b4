/// What a statement produces: a titled table of cells with footnotes and the facts it cites.
/// Every renderer (table, csv, json, markdown) reads this one value.
public struct ResultTable: Sendable {
    public struct Column: Sendable, Equatable {
        public var name: String
        /// Numeric columns are right-aligned and carry bounds in csv/json.
        public var numeric: Bool
        public init(_ name: String, numeric: Bool = false) { self.name = name; self.numeric = numeric }
    }

    public enum Cell: Sendable {
        case text(String)
        /// A figure: no quantity is missing data (`—`); several are conflicting or alternative figures.
        case figure([Quantity])

        public var quantities: [Quantity] {
            if case .figure(let q) = self { return q }
            return []
        }
    }

    public var title: String
    public var columns: [Column]
    public var rows: [[Cell]] = []
    /// Lines shown under the table: derivations, conflicts, caveats.
    public var notes: [String] = []

    public init(title: String, columns: [Column]) {
        self.title = title
        self.columns = columns
    }

    /// The fact rows cited by every figure, in order of first appearance.
    public var citedFacts: [Int] {
        var seen = Set<Int>(), out: [Int] = []
        for row in rows { for cell in row { for q in cell.quantities { for f in q.facts where seen.insert(f).inserted { out.append(f) } } } }
        return out
    }

    /// Whether a cell's figures disagree: the same unit, different values.
    public static func isConflict(_ quantities: [Quantity]) -> Bool {
        for (i, a) in quantities.enumerated() {
            for b in quantities[(i + 1)...] where a.unit == b.unit { return true }
        }
        return false
    }
}
