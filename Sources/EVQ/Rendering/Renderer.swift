/// The output formats, and the one switch that picks a renderer for them.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
}

/// How to render: the format, whether colour is allowed, the terminal width if known.
public struct RenderOptions: Sendable {
    public var format: OutputFormat
    public var color: Bool
    public var width: Int?
    /// At most this many rows in a table, then a line saying how many more there are.
    public var maxRows: Int?
    public init(format: OutputFormat = .table, color: Bool = false, width: Int? = nil, maxRows: Int? = nil) {
        self.format = format
        self.color = color
        self.width = width
        self.maxRows = maxRows
    }
}

public enum Renderer {
    /// A result table as text in the chosen format, ending with a newline.
    public static func render(_ table: ResultTable, data: Dataset, options: RenderOptions) -> String {
        switch options.format {
        case .table where table.presentation == .chart: return ChartRenderer.render(table, data: data, options: options)
        case .table: return TableRenderer.render(table, data: data, options: options)
        case .csv: return CSVRenderer.render(table, data: data)
        case .json: return JSONRenderer.render(table, data: data)
        case .markdown: return MarkdownRenderer.render(table, data: data)
        }
    }

    /// A cell as people read it: `44,454`, `>28,000`, `—`, or `350,000 | 400,000‡` when sources disagree.
    static func display(_ cell: ResultTable.Cell) -> String {
        switch cell {
        case .text(let t): return Sanitizer.printable(t)
        case .count(let n): return NumberFormat.grouped(Double(n))
        case .figure(let qs):
            guard !qs.isEmpty else { return "—" }
            let shown = qs.map { NumberFormat.display($0) }.joined(separator: " | ")
            return ResultTable.isConflict(qs) ? shown + "‡" : shown
        }
    }

    /// `003:8`: a fact's article id and line (just the id when the fact cites no line, as loaded data may not).
    static func citation(_ fact: Int, data: Dataset) -> String {
        let id = data.catalog.sources[Int(data.facts.source[fact])].id, line = data.facts.line[fact]
        return line > 0 ? "\(id):\(line)" : id
    }

    /// The citations of several facts, each once, in order: `["003:8", "004:2"]`.
    static func citations(_ facts: [Int], data: Dataset) -> [String] {
        var seen = Set<String>()
        return facts.map { citation($0, data: data) }.filter { seen.insert($0).inserted }
    }

    /// The footer naming the articles behind the cited facts: `sources: 001 lines 10, 34 · 003 line 7`.
    static func sourceLines(_ table: ResultTable, data: Dataset) -> [String] {
        let facts = table.citedFacts
        guard !facts.isEmpty else { return [] }
        var lines: [Int: [Int]] = [:], order: [Int] = []
        for f in facts {
            let s = Int(data.facts.source[f])
            if !order.contains(s) { order.append(s) }
            let line = Int(data.facts.line[f])
            if line > 0, !(lines[s] ?? []).contains(line) { lines[s, default: []].append(line) }
        }
        order.sort { data.catalog.sources[$0].id < data.catalog.sources[$1].id }
        let summary = order.map { s -> String in
            let ls = (lines[s] ?? []).sorted().map(String.init)
            let id = data.catalog.sources[s].id
            return ls.isEmpty ? id : "\(id) line\(ls.count > 1 ? "s" : "") \(ls.joined(separator: ", "))"
        }
        var out = ["sources: " + summary.joined(separator: " · ")]
        // A source only a loaded file names has no title, author or publisher to add to its id.
        for s in order where data.catalog.sources[s].title != data.catalog.sources[s].id {
            let src = data.catalog.sources[s]
            let title = src.title.isEmpty ? "(untitled) \(src.file)" : src.title
            let by = [src.author, src.publisher].filter { !$0.isEmpty }.joined(separator: ", ")
            out.append("  \(src.id)  \(Sanitizer.printable(title))\(by.isEmpty ? "" : " — " + Sanitizer.printable(by))")
        }
        return out
    }
}
