/// Box-drawn tables for people: numbers right-aligned, widths by display columns (CJK counts two),
/// wide tables cut to the terminal with `…`, then the notes and the sources.
public enum TableRenderer {
    public static func render(_ table: ResultTable, data: Dataset, options: RenderOptions) -> String {
        let shown = options.maxRows.map { Array(table.rows.prefix(max(0, $0))) } ?? table.rows
        // A cell is at most `widestCell` columns, so one 60 MB note cannot widen every row to 60 MB.
        var cells = shown.map { $0.map { DisplayWidth.truncate(Renderer.display($0), to: Renderer.widestCell) } }
        let headers = table.columns.map { Sanitizer.printable($0.name) }
        var widths = headers.map(DisplayWidth.of)
        for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        if let width = options.width { fit(&widths, numeric: table.columns.map(\.numeric), into: width) }
        cells = cells.map { row in row.enumerated().map { DisplayWidth.truncate($1, to: widths[min($0, widths.count - 1)]) } }

        var out: [String] = []
        out.append(border("┌", "┬", "┐", widths))
        out.append(line(headers.enumerated().map { DisplayWidth.truncate($1, to: widths[$0]) }, widths, table.columns, header: true, color: options.color))
        out.append(border("├", "┼", "┤", widths))
        for row in cells { out.append(line(row, widths, table.columns, header: false, color: options.color)) }
        out.append(border("└", "┴", "┘", widths))
        if table.rows.isEmpty { out.append("(no rows)") }
        if shown.count < table.rows.count {
            let more = table.rows.count - shown.count
            out.append("… \(more) more row\(more == 1 ? "" : "s") (--max-rows, .maxrows)")
        }
        out += table.notes.map(Sanitizer.printable)
        out += Renderer.sourceLines(table, data: data)
        return out.joined(separator: "\n") + "\n"
    }

    /// Narrows the widest text columns, then numbers, until the table fits `total` columns of terminal:
    /// a cut note reads better than a cut number.
    static func fit(_ widths: inout [Int], numeric: [Bool], into total: Int) {
        func tableWidth() -> Int { widths.reduce(0, +) + 3 * widths.count + 1 }
        for numbersToo in [false, true] {
            while tableWidth() > total,
                  let widest = widths.indices.filter({ numbersToo || !numeric[$0] }).max(by: { widths[$0] < widths[$1] }),
                  widths[widest] > 6 {
                widths[widest] -= 1
            }
        }
    }

    /// Bold headers, dim unknowns, yellow disputed figures, cyan bounds — only on a terminal.
    private static func paint(_ cell: String, header: Bool, text: String) -> String {
        let code: String
        if header { code = "1" } else if text == "—" { code = "2" } else if text.hasSuffix("‡") { code = "33" }
        else if text.hasPrefix(">") || text.hasPrefix("<") || text.hasPrefix("≈") { code = "36" } else { return cell }
        return "\u{1B}[\(code)m\(cell)\u{1B}[0m"
    }

    private static func border(_ left: String, _ mid: String, _ right: String, _ widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right
    }

    private static func line(_ row: [String], _ widths: [Int], _ columns: [ResultTable.Column], header: Bool, color: Bool) -> String {
        let padded = row.enumerated().map { i, text -> String in
            let right = columns[i].numeric
            let cell = DisplayWidth.pad(text, to: widths[i], right: right)
            return color ? paint(cell, header: header, text: text) : cell
        }
        return "│ " + padded.joined(separator: " │ ") + " │"
    }
}
