/// The SQL engines EVQ compiles to, and how each spells names and strings.
///
/// Every name and value EVQ puts into SQL goes through `identifier` or `literal`: entity ids and loaded text are
/// data, never SQL, whatever characters they hold.
public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, postgres, spark

    /// A quoted identifier: `"from"` (DuckDB, PostgreSQL) or `` `from` `` (Spark), the quote doubled inside.
    public func identifier(_ name: String) -> String {
        let quote: Character = self == .spark ? "`" : "\""
        return String(quote) + name.replacing(String(quote), with: String(repeating: quote, count: 2)) + String(quote)
    }

    /// A string literal. DuckDB and PostgreSQL (with `standard_conforming_strings`, the default since 9.1) take
    /// backslashes as they are and a quote doubled; Spark SQL reads backslash escapes, so both are escaped there.
    public func literal(_ value: String) -> String {
        var out = "'"
        for c in value.unicodeScalars {
            switch c {
            case "'": out += self == .spark ? "\\'" : "''"
            case "\\": out += self == .spark ? "\\\\" : "\\"
            // A NUL ends a C string in every engine's client: it cannot be sent, so it is sent as U+FFFD.
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "'"
    }

    /// `"entity" IN ('a', 'b')`, or a false condition for no values (`IN ()` is not SQL).
    func isIn(_ column: String, _ values: [String]) -> String {
        guard !values.isEmpty else { return "FALSE" }
        return "\(identifier(column)) IN (\(values.map(literal).joined(separator: ", ")))"
    }

    /// `"seq" IN (1, 2)`, or a false condition for no numbers.
    func isIn(_ column: String, numbers: [Int64]) -> String {
        guard !numbers.isEmpty else { return "FALSE" }
        return "\(identifier(column)) IN (\(numbers.map(String.init).joined(separator: ", ")))"
    }

    /// `lower("parent") IN ('a', 'b')` for values already lower-cased, or a false condition for none.
    func isIn(lowerCased column: String, _ values: [String]) -> String {
        guard !values.isEmpty else { return "FALSE" }
        return "lower(\(identifier(column))) IN (\(values.map(literal).joined(separator: ", ")))"
    }

    /// Whether the text `expression` (SQL) holds `needle` (a value).
    func contains(_ expression: String, _ needle: String) -> String {
        self == .spark ? "instr(\(expression), \(literal(needle))) > 0" : "strpos(\(expression), \(literal(needle))) > 0"
    }
}
