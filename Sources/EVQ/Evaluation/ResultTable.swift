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
    /// Every fact a figure names, as the answer cites it, by the row the figures name it by (`Quantity.facts`):
    /// what renderers read instead of the dataset (`cite(from:)`).
    public var cited: [Int: CitedFact] = [:]
    /// The names of the entities that columns and cells name by id (`su7`: Xiaomi SU7), for a picture's labels.
    public var entityNames: [String: String] = [:]

    public init(title: String, columns: [Column]) {
        self.title = title
        self.columns = columns
    }

    /// Makes the answer self-contained: the facts its figures name (`cited`) and the names of the entities its
    /// columns are (`entityNames`), from the dataset it was worked out over.
    mutating func cite(from data: Dataset) {
        func add(_ q: Quantity) {
            for f in q.facts + q.revises + q.basis + q.subtracted where cited[f] == nil && data.facts.count > f && f >= 0 {
                cited[f] = CitedFact(row: f, of: data)
            }
            q.equivalents.forEach(add)
        }
        // Names only for an answer that has series to draw (a listing of thousands of entities has none).
        let drawable = columns.contains(where: \.series)
        func name(_ id: String) {
            if drawable, entityNames[id] == nil, let e = data.catalog.heldEntity(id: id) {
                entityNames[id] = data.catalog.entities[e].name
            }
        }
        for row in rows {
            for cell in row {
                if case .text(let text) = cell { name(text) }
                cell.quantities.forEach(add)
            }
        }
        columns.map(\.name).forEach(name)
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

/// A fact as an answer cites it: where evq read it, the article and line that state it, and what it states.
public struct CitedFact: Sendable, Equatable {
    /// Where evq read the fact (`facts.csv:14`, a loaded file and its line): the same whichever engine held it.
    public var origin: String
    public var source: Source
    /// The article's place in the catalogue: a page's anchors use it, so that no loaded id can break an attribute.
    public var sourceIndex: Int
    /// The article's line; 0 where none is cited.
    public var line: Int
    /// The entity's id and name.
    public var entity: String
    public var entityName: String
    public var metric: String
    public var period: Period
    /// The figure as stated.
    public var figure: Quantity

    init(row f: Int, of data: Dataset) {
        let store = data.facts, catalog = data.catalog
        origin = store.origin(f)
        sourceIndex = Int(store.source[f])
        source = catalog.sources[sourceIndex]
        line = Int(store.line[f])
        let e = catalog.entities[Int(store.entity[f])]
        entity = e.id
        entityName = e.name
        metric = catalog.metrics[Int(store.metric[f])].name
        period = store.period(f)
        figure = store.quantity(f)
    }
}
