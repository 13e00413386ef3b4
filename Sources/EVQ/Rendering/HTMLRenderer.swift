/// A report as one self-contained HTML page: no scripts, no fonts, no requests, readable from disk, on a phone
/// and on paper. Every figure carries its citations as links to the article lines listed at the end (and as a
/// hover text naming the article); bounded, derived, disputed and missing figures each look like what they are.
///
/// The page is also well-formed XML (every element closed, only the five XML entities), so that tests can parse
/// it. Text from the data passes through `Markup.escape` on its way out and nowhere else.
public enum HTMLRenderer {
    /// The whole page.
    public static func document(_ report: Report) -> String {
        let cited = report.citedFacts
        var out = [head(report.title)]
        out.append("<body>")
        out.append("<header>")
        out.append("<h1>\(Markup.escape(report.title))</h1>")
        out.append(##"<p class="meta">Every figure links to the article line it rests on; "##
                   + ##"the sources and the data are listed at the end.</p>"##)
        out.append(legend)
        out += prose(report.introduction)
        out.append("</header>")
        out.append("<main>")
        for (i, section) in report.sections.enumerated() { out += render(section, number: i + 1, report: report) }
        out.append("</main>")
        out.append("<footer>")
        out += sources(cited, report: report)
        out += provenance(report)
        out.append("</footer>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }

    /// A page for one answer (`--format html` in the REPL): the table, its chart and its sources.
    public static func document(_ table: ResultTable) -> String {
        var report = Report(title: table.title)
        report.sections = [Report.Section(prose: [], query: "", location: "", output: .table(table))]
        return document(report)
    }

    // MARK: - The page's parts

    static func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="evq \(EVQVersion.string)"/>
        <title>\(Markup.escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        """
    }

    /// Text #1a1a1a and muted #4d4d4d on white, links #0645ad: each above the 7:1 contrast of WCAG AAA.
    static let style = """
        :root { color: #1a1a1a; background: #fff; font: 16px/1.5 Georgia, "DejaVu Serif", serif; }
        body { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; overflow-wrap: break-word; }
        h1 { font-size: 1.8rem; line-height: 1.2; margin: 0.5rem 0; }
        h2 { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 1rem; margin: 0.8rem 0 0.2rem; }
        section.answer { margin-top: 2.2rem; }
        #sources h2, #built h2 { font: bold 1.25rem/1.3 Georgia, "DejaVu Serif", serif; margin-top: 2.5rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
        a { color: #0645ad; }
        .meta, .where, .byline, .sources-line, figcaption, .legend { color: #4d4d4d; font-size: 0.9rem; }
        .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; padding: 0; list-style: none; }
        .legend b { font-family: "DejaVu Sans Mono", monospace; }
        pre, code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.85rem; }
        pre.query { background: #f3f3f3; border-left: 3px solid #0645ad; padding: 0.5rem 0.75rem; margin: 0.75rem 0 0;
          white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.error { background: #fdf0f0; border-left: 3px solid #a40000; padding: 0.5rem 0.75rem; white-space: pre-wrap; }
        .where { margin: 0.2rem 0 0.6rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0.5rem 0; font: 0.9rem/1.4 "DejaVu Sans", Helvetica, Arial, sans-serif; }
        th, td { border-bottom: 1px solid #d0d0d0; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #1a1a1a; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        th[scope="row"], .fig { white-space: nowrap; }
        .fig.bound { border-bottom: 1px dashed #1a1a1a; }
        .fig.conflict { background: #fff3c4; }
        .missing { color: #4d4d4d; }
        sup.cite { font-size: 0.7rem; margin-left: 0.15rem; white-space: nowrap; }
        sup.cite a { text-decoration: none; }
        ul.notes { font-size: 0.9rem; padding-left: 0; list-style: none; }
        figure.chart { margin: 0.75rem 0; }
        figure.chart svg { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
        blockquote { margin: 0.2rem 0 0.2rem 0; padding-left: 0.75rem; border-left: 3px solid #d0d0d0; }
        ol.lines { list-style: none; padding-left: 0; }
        ol.lines > li { margin-bottom: 0.6rem; }
        .ln { font-weight: bold; }
        ol.lines > li:target { background: #fff3c4; }
        ul.supports { font-size: 0.85rem; margin: 0.2rem 0; }
        .sha { font-family: "DejaVu Sans Mono", monospace; font-size: 0.75rem; overflow-wrap: anywhere; }
        @media (max-width: 40rem) {
          :root { font-size: 15px; }
          body { padding: 0.75rem; }
          th, td { padding: 0.25rem 0.4rem; }
          .num { white-space: normal; }
        }
        @media print {
          :root { font-size: 10pt; }
          body { max-width: none; padding: 0; }
          a { color: inherit; text-decoration: none; }
          .scroll { overflow: visible; }
          thead { display: table-header-group; }
          tr, figure, pre, blockquote, ol.lines > li { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
        }
        """

    /// What the marks on the figures mean, once, at the top.
    static let legend = """
        <ul class="legend" aria-label="How figures are marked">
        <li><b>&gt;</b> at least</li><li><b>&lt;</b> at most</li><li><b>≈</b> about</li>
        <li><b>*</b> derived from stated figures</li><li><b>‡</b> sources disagree</li><li><b>—</b> not in the sources</li>
        <li><b>(target)</b> a goal, not a result</li>
        </ul>
        """

    static func render(_ section: Report.Section, number: Int, report: Report) -> [String] {
        // The writer's words lead; the statement and the answer's title follow, as a figure's caption would.
        var out = [##"<section class="answer" id="q\##(number)">"##]
        out += prose(section.prose)
        if !section.query.isEmpty {
            out.append(##"<pre class="query"><code>\##(Markup.escape(section.query))</code></pre>"##)
            out.append(##"<p class="where">\##(Markup.escape(section.location))</p>"##)
        }
        if case .table(let table) = section.output {
            out.append(##"<h2 id="q\##(number)-title">\##(Markup.escape(table.title))</h2>"##)
        }
        switch section.output {
        case .table(let table): out += render(table, number: number, report: report)
        case .error(let text): out.append(##"<pre class="error" role="alert">\##(Markup.escape(text))</pre>"##)
        case .silent: break
        }
        out.append("</section>")
        return out
    }

    /// A result table, then its chart, its notes and the articles it cites.
    static func render(_ table: ResultTable, number: Int, report: Report) -> [String] {
        var out = [##"<div class="scroll"><table aria-labelledby="q\##(number)-title">"##, "<thead><tr>"]
        for column in table.columns {
            out.append(##"<th scope="col"\##(column.numeric ? #" class="num""# : "")>"##
                       + ##"\##(Markup.escape(column.name))</th>"##)
        }
        out.append("</tr></thead>")
        out.append("<tbody>")
        for row in table.rows {
            let cells = row.enumerated().map { i, cell in
                self.cell(cell, numeric: table.columns.indices.contains(i) && table.columns[i].numeric,
                          header: i == 0, cited: table.cited, report: report)
            }
            out.append("<tr>" + cells.joined() + "</tr>")
        }
        if table.rows.isEmpty {
            out.append(##"<tr><td colspan="\##(max(1, table.columns.count))">(no rows)</td></tr>"##)
        }
        out.append("</tbody>")
        out.append("</table></div>")
        if hasChart(table) {
            out.append(##"<figure class="chart">"##)
            out.append(SVGRenderer.render(table).trimmingSuffix("\n"))
            // The picture's own key explains the marks it drew; a fixed list here would name marks it did not.
            out.append("<figcaption>The table above, drawn; its key names each series and explains each kind of "
                       + "mark drawn.</figcaption>")
            out.append("</figure>")
        }
        if !table.notes.isEmpty {
            out.append(##"<ul class="notes">"##)
            out += table.notes.map { "<li>\(Markup.escape($0))</li>" }
            out.append("</ul>")
        }
        let cited = Renderer.citedLines(table.citedFacts.compactMap { table.cited[$0] })
        if !cited.isEmpty {
            let links = cited.map { source, article, lines -> String in
                let id = Markup.escape(article.id)
                guard !lines.isEmpty else { return ##"<a href="#\##(anchor(source, line: 0))">\##(id)</a>"## }
                return id + " line\(lines.count > 1 ? "s" : "") "
                    + lines.map { ##"<a href="#\##(anchor(source, line: $0))">\##($0)</a>"## }.joined(separator: ", ")
            }
            out.append(##"<p class="sources-line">Sources: \##(links.joined(separator: " · "))</p>"##)
        }
        return out
    }

    /// Whether a table gets a picture: when its statement asked for one (`as chart`, `plot`), or when it is a
    /// trend or a comparison of several entities with figures in at least two places. A total's parts and its
    /// sum, or a ranking, are not series to draw one after the other.
    static func hasChart(_ table: ResultTable) -> Bool {
        let series = table.columns.indices.filter { table.columns[$0].series }
        let drawn = table.rows.reduce(0) { n, row in
            n + series.filter { row.indices.contains($0) && row[$0].quantities.first?.representative != nil }.count
        }
        if table.presentation != .table { return drawn > 0 }
        return drawn >= 2 && (table.shape == .series || series.count >= 2)
    }

    /// One cell; a figure with its marks and citations.
    static func cell(_ cell: ResultTable.Cell, numeric: Bool, header: Bool, cited: [Int: CitedFact], report: Report) -> String {
        switch cell {
        case .text(let text) where header && !numeric:
            return ##"<th scope="row">\##(Markup.escape(text))</th>"##
        case .text(let text):
            return "<td\(numeric ? #" class="num""# : "")>\(Markup.escape(text))</td>"
        case .count(let n):
            return ##"<td class="num">\##(NumberFormat.grouped(Double(n)))</td>"##
        case .figure(let quantities):
            guard !quantities.isEmpty else { return ##"<td class="num missing" title="Not in the sources">—</td>"## }
            let conflict = ResultTable.isConflict(quantities)
            let shown = quantities.map { figure($0, conflict: conflict, cited: cited, report: report) }.joined(separator: " | ")
            return ##"<td class="num">\##(shown)\##(conflict ? "‡" : "")</td>"##
        }
    }

    /// A figure as the table shows it, its meaning and articles in its hover text, then a link to each cited line.
    /// A figure resting on no fact (a number typed in the query) says so instead.
    static func figure(_ q: Quantity, conflict: Bool, cited: [Int: CitedFact], report: Report) -> String {
        let facts = q.statingFacts.compactMap { cited[$0] }
        var classes = ["fig"]
        if !q.isPoint || q.isRange { classes.append("bound") }
        if q.derived { classes.append("derived") }
        if conflict { classes.append("conflict") }
        if facts.isEmpty { classes.append("typed") }
        var hover = [meaning(q)]
        var seen = Set<String>()
        hover += facts.map { citationText($0, report: report) }.filter { seen.insert($0).inserted }
        if facts.isEmpty { hover.append("From the query itself, not from a source.") }
        let title = hover.map(Markup.escape).joined(separator: "&#10;")
        let span = ##"<span class="\##(classes.joined(separator: " "))" title="\##(title)">"##
            + ##"\##(Markup.escape(NumberFormat.display(q)))</span>"##
        let targets = uniqueTargets(facts)
        guard !targets.isEmpty else { return span }
        let links = targets.map { ##"<a href="#\##($0.anchor)">\##(Markup.escape($0.label))</a>"## }
        return span + ##"<sup class="cite">"## + links.joined(separator: " ") + "</sup>"
    }

    /// What kind of figure it is, in words.
    static func meaning(_ q: Quantity) -> String {
        var words: String
        switch q.boundKind {
        case "target": words = "A target, not a result."
        case "range": words = "A stated range."
        case "at-least": words = "At least \(NumberFormat.withUnit(q.lo, q.unit)): the sources give only a lower bound."
        case "at-most": words = "At most \(NumberFormat.withUnit(q.hi, q.unit)): the sources give only an upper bound."
        case "between":
            words = "Between \(NumberFormat.withUnit(q.lo, q.unit)) and \(NumberFormat.withUnit(q.hi, q.unit)): "
                + "all the sources allow."
        case "approx": words = "About \(NumberFormat.withUnit(q.lo, q.unit)), as the source puts it."
        case "unknown": words = "Unbounded: the sources say nothing that limits it."
        default: words = q.derived ? "" : "As stated."
        }
        if q.derived {
            words += (words.isEmpty ? "" : " ") + "Derived: " + (q.how?.phrase ?? "computed from the figures cited.")
        }
        for other in q.equivalents {
            words += " Also stated as \(NumberFormat.display(other)), the same figure in \(other.unit)."
        }
        return words
    }

    /// `003 line 6: Title — Author, Publisher (file)` and, where the article is at hand, the line itself.
    static func citationText(_ fact: CitedFact, report: Report) -> String {
        let source = fact.source, line = fact.line
        // An untitled article is already named by its file.
        var text = "\(source.id)\(line > 0 ? " line \(line)" : ""): \(Renderer.describe(source))"
            + (source.title.isEmpty ? "" : " (\(source.file))")
        if let quoted = articleLine(source.file, line, report: report) {
            text += ": “" + (quoted.count > 280 ? String(quoted.prefix(279)) + "…" : quoted) + "”"
        }
        return text
    }

    static func articleLine(_ file: String, _ line: Int, report: Report) -> String? {
        guard line > 0, let lines = report.articleLines[file], line <= lines.count else { return nil }
        return lines[line - 1]
    }

    /// Where an article (`s3`) or one of its lines (`s3-6`) stands in the list of sources; the article's index in
    /// the catalogue, not its id, so that no loaded id can break the attribute.
    static func anchor(_ source: Int, line: Int) -> String { line > 0 ? "s\(source)-\(line)" : "s\(source)" }

    /// Each cited article line once: its anchor in the list of sources and its label (`003:6`).
    static func uniqueTargets(_ facts: [CitedFact]) -> [(anchor: String, label: String)] {
        var seen = Set<String>()
        return facts.compactMap { f in
            let anchor = HTMLRenderer.anchor(f.sourceIndex, line: f.line)
            guard seen.insert(anchor).inserted else { return nil }
            return (anchor, Renderer.citation(f))
        }
    }

    /// Comment lines as paragraphs and bullet lists (`* ` or `- `), with `code` in backticks.
    static func prose(_ lines: [String]) -> [String] {
        var out: [String] = [], paragraph: [String] = [], items: [String] = []
        func flush() {
            if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>") }
            if !items.isEmpty { out.append("<ul>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
            paragraph = []
            items = []
        }
        for line in lines {
            let trimmed = String(line.drop { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty {
                flush()
            } else if trimmed.hasPrefix("* ") || trimmed.hasPrefix("- ") {
                if !paragraph.isEmpty { flush() }
                items.append(String(trimmed.dropFirst(2)))
            } else if !items.isEmpty, line.first == " " {
                items[items.count - 1] += " " + trimmed
            } else {
                if !items.isEmpty { flush() }
                paragraph.append(trimmed)
            }
        }
        flush()
        return out.isEmpty ? [] : [##"<div class="prose">"##] + out + ["</div>"]
    }

    /// Escaped text with `code` spans.
    static func inline(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        // An unpaired backtick stays a backtick.
        guard parts.count % 2 == 1 else { return Markup.escape(text) }
        return parts.enumerated().map { i, part in
            i % 2 == 1 ? "<code>\(Markup.escape(String(part)))</code>" : Markup.escape(String(part))
        }.joined()
    }

    // MARK: - Sources and provenance

    /// The articles, each with its cited lines (quoted when at hand) and the facts each line supports.
    static func sources(_ facts: [CitedFact], report: Report) -> [String] {
        var out = [##"<section id="sources">"##, "<h2>Sources</h2>"]
        if facts.isEmpty { out.append("<p>No answer on this page cites a source.</p>") }
        var byLine: [String: [CitedFact]] = [:]
        for f in facts { byLine["\(f.sourceIndex):\(f.line)", default: []].append(f) }
        for (source, article, lines) in Renderer.citedLines(facts) {
            out.append(##"<article class="source" id="\##(anchor(source, line: 0))">"##)
            out.append("<h3>\(Markup.escape(article.id)) · "
                       + "\(Markup.escape(article.title.isEmpty ? "(untitled)" : article.title))</h3>")
            let by = [article.author, article.publisher].filter { !$0.isEmpty }.map(Markup.escape)
                + [##"<span class="file">\##(Markup.escape(article.file))</span>"##]
            out.append(##"<p class="byline">\##(by.joined(separator: " · "))</p>"##)
            out.append(##"<ol class="lines">"##)
            for line in lines + (byLine["\(source):0"] == nil ? [] : [0]) {
                let anchor = line > 0 ? ##" id="\##(anchor(source, line: line))""## : ""
                out.append("<li\(anchor)><span class=\"ln\">\(line > 0 ? "line \(line)" : "no line cited")</span>")
                if let text = articleLine(article.file, line, report: report) {
                    out.append("<blockquote>\(Markup.escape(text))</blockquote>")
                }
                out.append(##"<ul class="supports">"##)
                out += (byLine["\(source):\(line)"] ?? []).map {
                    "<li>\(Markup.escape(supported($0)))</li>"
                }
                out.append("</ul></li>")
            }
            out.append("</ol>")
            out.append("</article>")
        }
        out.append("</section>")
        return out
    }

    /// `Xiaomi · deliveries · 2025-Q3: 108,796`.
    static func supported(_ fact: CitedFact) -> String {
        "\(fact.entityName) · \(fact.metric) · \(fact.period): \(NumberFormat.display(fact.figure))"
    }

    /// What built the page: evq's version, the day, the scripts, and each data file with its size and checksum.
    static func provenance(_ report: Report) -> [String] {
        var out = [##"<section id="built">"##, "<h2>How this page was built</h2>"]
        let scripts = report.scripts.map { "<code>\(Markup.escape($0))</code>" }.joined(separator: ", ")
        let day = report.date.isEmpty ? "" : " on \(Markup.escape(report.date))"
        out.append("<p>Built by evq \(EVQVersion.string)\(day)\(scripts.isEmpty ? "" : " from " + scripts). "
                   + "The figures come from these data files; the checksums are SHA-256.</p>")
        out.append(##"<div class="scroll"><table>"##)
        out.append(##"<thead><tr><th scope="col">file</th><th scope="col">data</th>"##
                   + ##"<th scope="col" class="num">bytes</th><th scope="col">SHA-256</th></tr></thead>"##)
        out.append("<tbody>")
        for input in report.inputs {
            out.append(##"<tr><th scope="row">\##(Markup.escape(input.name))</th>"##
                       + ##"<td>\##(input.embedded ? "embedded in evq" : "loaded")</td>"##
                       + ##"<td class="num">\##(NumberFormat.grouped(Double(input.bytes)))</td>"##
                       + ##"<td class="sha">\##(input.sha256)</td></tr>"##)
        }
        out.append("</tbody></table></div>")
        out.append("</section>")
        return out
    }
}

extension String {
    /// The string without one trailing `suffix`, if it ends with it.
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
