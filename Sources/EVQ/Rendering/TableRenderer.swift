/// Box-drawn tables for people: numbers right-aligned, widths by display columns (CJK counts two). On a terminal
/// too narrow for the table, text cells wrap inside their columns (numbers never wrap or cut); when even that
/// cannot fit, each row is shown as a block of `column = value` lines, as sqlite3's `.mode line` does. Then
/// the notes and the sources, wrapped to the terminal.
public enum TableRenderer {
    /// The narrowest a text column is made before the table turns into blocks of lines.
    static let narrowestText = 8

    public static func render(_ table: ResultTable, options: RenderOptions) -> String {
        let shown = options.maxRows.map { Array(table.rows.prefix(max(0, $0))) } ?? table.rows
        // A cell is at most `widestCell` columns, so one 60 MB note cannot widen every row to 60 MB.
        let cells = shown.map { $0.map { DisplayWidth.truncate(Renderer.display($0), to: Renderer.widestCell) } }
        let headers = table.columns.map { Sanitizer.printable($0.name) }
        var widths = headers.map(DisplayWidth.of)
        for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        let numeric = table.columns.map(\.numeric)
        var out: [String]
        if let width = options.width, !fit(&widths, numeric: numeric, into: width) {
            out = records(cells, headers: headers, width: width)
        } else {
            out = [border("┌", "┬", "┐", widths)]
            out += line(headers, widths, table.columns, header: true, color: options.color)
            out.append(border("├", "┼", "┤", widths))
            for row in cells { out += line(row, widths, table.columns, header: false, color: options.color) }
            out.append(border("└", "┴", "┘", widths))
            if table.rows.isEmpty { out.append("(no rows)") }
        }
        if shown.count < table.rows.count {
            let more = table.rows.count - shown.count
            out.append("… \(more) more row\(more == 1 ? "" : "s") (--max-rows, .maxrows)")
        }
        let footer = table.notes.map(Sanitizer.printable) + Renderer.sourceLines(table)
        out += options.width.map { width in footer.flatMap { DisplayWidth.wrap($0, to: width) } } ?? footer
        return out.joined(separator: "\n") + "\n"
    }

    /// Narrows the widest text columns until the table fits `total` columns of terminal, none below
    /// `narrowestText` (or its own width); numbers keep theirs. Returns whether the table fits.
    static func fit(_ widths: inout [Int], numeric: [Bool], into total: Int) -> Bool {
        func tableWidth() -> Int { widths.reduce(0, +) + 3 * widths.count + 1 }
        while tableWidth() > total,
              let widest = widths.indices.filter({ !numeric[$0] }).max(by: { widths[$0] < widths[$1] }),
              widths[widest] > narrowestText {
            widths[widest] -= 1
        }
        return tableWidth() <= total
    }

    /// Each row as a block of `column = value` lines, names right-aligned, values wrapped to the terminal.
    static func records(_ rows: [[String]], headers: [String], width: Int) -> [String] {
        let label = min(headers.map(DisplayWidth.of).max() ?? 0, max(4, width / 3))
        let room = max(8, width - label - 3)
        var out: [String] = []
        for (r, row) in rows.enumerated() {
            if r > 0 { out.append("") }
            for (i, cell) in row.enumerated() where i < headers.count {
                let name = DisplayWidth.pad(DisplayWidth.truncate(headers[i], to: label), to: label, right: true)
                for (k, piece) in DisplayWidth.wrap(cell, to: room).enumerated() {
                    out.append((k == 0 ? name + " = " : String(repeating: " ", count: label + 3)) + piece)
                }
            }
        }
        return rows.isEmpty ? ["(no rows)"] : out
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

    /// A row as one or more lines: text wraps inside its column, a number stays on the first line.
    private static func line(_ row: [String], _ widths: [Int], _ columns: [ResultTable.Column], header: Bool,
                             color: Bool) -> [String] {
        let pieces = row.enumerated().map { i, text in
            columns[i].numeric && !header ? [text] : DisplayWidth.wrap(text, to: widths[i])
        }
        let height = pieces.map(\.count).max() ?? 1
        return (0..<height).map { k in
            let padded = pieces.enumerated().map { i, lines -> String in
                let text = k < lines.count ? lines[k] : ""
                let cell = DisplayWidth.pad(text, to: widths[i], right: columns[i].numeric)
                return color && !text.isEmpty ? paint(cell, header: header, text: text) : cell
            }
            return "│ " + padded.joined(separator: " │ ") + " │"
        }
    }
}
