import EVQ

/// Facts about the terminal the output goes to.
enum Terminal {
    /// Columns of the terminal on standard output; `COLUMNS` when set; 100 when neither is known.
    static func width() -> Int {
        if let columns = SystemIO.environment("COLUMNS").flatMap({ Int($0) }), columns > 20 { return columns }
        return 100
    }
}
