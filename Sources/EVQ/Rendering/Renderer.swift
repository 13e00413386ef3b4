/// The output formats, and the one switch that picks a renderer for them.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
    /// A self-contained page (`HTMLRenderer`); a script run with it makes one page of all its answers.
    case html
}

/// How to render: the format, whether colour is allowed, the terminal width if known.
public struct RenderOptions: Sendable {
    public var format: OutputFormat
    public var color: Bool
    public var width: Int?
    /// At most this many rows in a table, then a line saying how many more there are.
    public var maxRows: Int?
    /// Whether error messages (on standard error, which may be a terminal when standard output is not) are coloured.
    public var colorErrors = false
    public init(format: OutputFormat = .table, color: Bool = false, width: Int? = nil, maxRows: Int? = nil) {
        self.format = format
        self.color = color
        self.width = width
        self.maxRows = maxRows
    }
}

public enum Renderer {
    /// The most columns a cell takes in a table for people (table, markdown); longer text ends in `…`, and csv
    /// and json carry it whole.
    static let widestCell = 400

    /// A result table as text in the chosen format, ending with a newline. Everything said comes from the table
    /// itself (its figures, and the facts they cite: `ResultTable.cited`).
    public static func render(_ table: ResultTable, options: RenderOptions) -> String {
        switch options.format {
        case .table where table.presentation == .chart: return ChartRenderer.render(table, options: options)
        case .table: return TableRenderer.render(table, options: options)
        case .csv: return CSVRenderer.render(table)
        case .json: return JSONRenderer.render(table)
        case .markdown: return MarkdownRenderer.render(table)
        case .html: return HTMLRenderer.document(table)
        }
    }

    /// The top of a chart's scale, the terminal's and the SVG's alike: a tenth above the highest stated figure or
    /// lower bound, so that what is known fills the picture (a possible top beyond it is cut); the highest upper
    /// bound when nothing is known from below; nil when there is nothing to draw.
    static func scaleTop(_ values: [Quantity]) -> Double? {
        if let highest = values.compactMap({ $0.lo.isFinite && $0.lo > 0 ? $0.lo : nil }).max() { return highest * 1.1 }
        return values.compactMap { $0.hi.isFinite ? $0.hi : nil }.max()
    }

    /// A cell as people read it: `44,454`, `>28,000`, `—`, or `350,000 | 400,000‡` when sources disagree.
    static func display(_ cell: ResultTable.Cell) -> String {
        switch cell {
        case .text(let t): return Sanitizer.printable(t)
        case .count(let n): return NumberFormat.grouped(Double(n))
        case .figure(let qs):
            guard !qs.isEmpty else { return "—" }
            // A unit comes from the data, so the figure is cleaned as text is.
            let shown = qs.map { Sanitizer.printable(NumberFormat.display($0)) }.joined(separator: " | ")
            return ResultTable.isConflict(qs) ? shown + "‡" : shown
        }
    }

    /// `003:8`: a fact's article id and line (just the id when the fact cites no line, as loaded data may not).
    static func citation(_ fact: CitedFact) -> String {
        fact.line > 0 ? "\(fact.source.id):\(fact.line)" : fact.source.id
    }

    /// The citations of several facts of a table, each once, in order: `["003:8", "004:2"]`.
    static func citations(_ facts: [Int], in table: ResultTable) -> [String] {
        var seen = Set<String>()
        return facts.compactMap { table.cited[$0].map(citation) }.filter { seen.insert($0).inserted }
    }

    /// The articles behind a set of facts, ordered by id, each with the cited lines in order (none for facts
    /// that cite no line), and its place in the catalogue.
    static func citedLines(_ facts: [CitedFact]) -> [(index: Int, source: Source, lines: [Int])] {
        var lines: [Int: [Int]] = [:], order: [Int] = [], sources: [Int: Source] = [:]
        for f in facts {
            let s = f.sourceIndex
            if lines[s] == nil { order.append(s); lines[s] = []; sources[s] = f.source }
            if f.line > 0, !(lines[s] ?? []).contains(f.line) { lines[s, default: []].append(f.line) }
        }
        order.sort { (sources[$0]?.id ?? "") < (sources[$1]?.id ?? "") }
        return order.compactMap { s in sources[s].map { (s, $0, (lines[s] ?? []).sorted()) } }
    }

    /// The footer naming the articles behind the cited facts: `sources: 001 lines 10, 34 · 003 line 7`.
    static func sourceLines(_ table: ResultTable) -> [String] {
        let cited = citedLines(table.citedFacts.compactMap { table.cited[$0] })
        guard !cited.isEmpty else { return [] }
        let summary = cited.map { _, source, lines -> String in
            let id = Sanitizer.printable(source.id)
            return lines.isEmpty ? id : "\(id) line\(lines.count > 1 ? "s" : "") \(lines.map(String.init).joined(separator: ", "))"
        }
        var out = ["sources: " + summary.joined(separator: " · ")]
        // A source only a loaded file names has no title, author or publisher to add to its id.
        for (_, source, _) in cited where source.title != source.id {
            out.append("  " + Sanitizer.printable("\(source.id)  \(describe(source))"))
        }
        return out
    }

    /// An article as people cite it: `Title — Author, Publisher`, or `(untitled) FILE` where it has no headline.
    static func describe(_ source: Source) -> String {
        let title = source.title.isEmpty ? "(untitled) \(source.file)" : source.title
        let by = [source.author, source.publisher].filter { !$0.isEmpty }.joined(separator: ", ")
        return by.isEmpty ? title : title + " — " + by
    }
}
