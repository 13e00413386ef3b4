/// `why`: for every number in a result, where it came from — the facts, their articles and lines,
/// their bounds, and for derived numbers how they were derived.
extension Evaluator {
    func provenance(of result: ResultTable) -> ResultTable {
        var table = ResultTable(title: "why: \(result.title)",
                                columns: [.init("figure"), .init("value", numeric: true), .init("bound"), .init("source"), .init("line", numeric: true), .init("how")])
        let labelColumn = result.columns.firstIndex { !$0.numeric } ?? 0
        for row in result.rows {
            let label: String
            if row.indices.contains(labelColumn), case .text(let t) = row[labelColumn] { label = t } else { label = "" }
            for (c, cell) in row.enumerated() {
                for q in cell.quantities {
                    table.rows.append([.text("\(label) \(result.columns[c].name)"), .figure([q]), .text(boundText(q)), .text(""), .text(""),
                                       .text(how(q))])
                    let all = q.statingFacts + q.revises
                    for f in all.prefix(Evaluator.provenanceLimit) {
                        let src = catalog.sources[Int(data.facts.source[f])]
                        let article = [src.title.isEmpty ? "(untitled)" : src.title, src.author, src.publisher].filter { !$0.isEmpty }.joined(separator: " — ")
                        // Facts from a loaded file also say where they were loaded from.
                        let origin = data.facts.files[Int(data.facts.originFile[f])] == "facts.csv" ? "" : ", loaded from \(data.facts.origin(f))"
                        // The figure's own facts (←), the same figure in another unit (=), and the earlier figure it
                        // revises (↻).
                        let mark = q.facts.contains(f) ? "←" : q.revises.contains(f) ? "↻" : "="
                        let entityID = catalog.entities[Int(data.facts.entity[f])].id
                        let metricName = catalog.metrics[Int(data.facts.metric[f])].name
                        table.rows.append([.text("  \(mark) \(entityID) \(metricName) \(data.facts.period(f))"),
                                           .figure([data.facts.quantity(f)]), .text(boundLabel(f)),
                                           .text(src.title == src.file ? "\(src.file)\(origin)" : "\(src.id) \(article) (\(src.file)\(origin))"), .text(data.facts.line[f] > 0 ? "\(data.facts.line[f])" : ""), .text(data.facts.note(f))])
                    }
                    // Thousands of disagreeing rows behind one figure are counted, not listed.
                    if all.count > Evaluator.provenanceLimit, let f = all.dropFirst(Evaluator.provenanceLimit).first {
                        let listing = "show \(catalog.metrics[Int(data.facts.metric[f])].name) "
                            + "of \(catalog.entities[Int(data.facts.entity[f])].id)"
                        table.rows.append([.text("  … and "
                                                 + NumberFormat.grouped(Double(all.count - Evaluator.provenanceLimit))
                                                 + " more facts"),
                                           .figure([]), .text(""), .text(""), .text(""),
                                           .text("'\(listing)' lists every fact")])
                    }
                }
            }
        }
        if table.rows.isEmpty { table.notes.append("the result has no numbers") }
        return table
    }

    /// How many facts `why` lists under one figure; the rest are counted.
    static let provenanceLimit = 25

    /// "stated" only for a figure that is one fact as the source gives it.
    private func how(_ q: Quantity) -> String {
        if let how = q.how, q.derived { return how.phrase }
        if q.facts.count == 1, let f = q.facts.first, data.facts.quantity(f) == q { return "stated" }
        return "computed from the facts below"
    }

    private func boundText(_ q: Quantity) -> String {
        q.derived ? "\(q.boundKind), derived" : q.boundKind
    }
}
