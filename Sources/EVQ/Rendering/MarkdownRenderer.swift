/// GitHub-flavoured Markdown tables, with notes and sources as paragraphs under them.
public enum MarkdownRenderer {
    public static func render(_ table: ResultTable) -> String {
        func escape(_ s: String) -> String {
            var out = ""
            for c in s { out += c == "|" ? "\\|" : c == "\n" ? " " : String(c) }
            return out
        }
        var out = ["| " + table.columns.map { escape(Sanitizer.printable($0.name)) }.joined(separator: " | ") + " |"]
        out.append("|" + table.columns.map { $0.numeric ? " ---: |" : " --- |" }.joined())
        for row in table.rows {
            out.append("| " + row.map { escape(DisplayWidth.truncate(Renderer.display($0), to: Renderer.widestCell)) }
                .joined(separator: " | ") + " |")
        }
        let footer = table.notes.map(Sanitizer.printable) + Renderer.sourceLines(table)
        if !footer.isEmpty { out.append(""); out += footer.map { escape($0) + "  " } }
        return out.joined(separator: "\n") + "\n"
    }
}
