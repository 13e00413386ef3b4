import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// Facts about the terminal the output goes to.
enum Terminal {
    /// Columns of the terminal on standard output, as the terminal says (TIOCGWINSZ); else `COLUMNS` when set;
    /// 100 when neither is known.
    static func width() -> Int {
        if let columns = columns(), columns > 20 { return columns }
        if let columns = SystemIO.environment("COLUMNS").flatMap({ Int($0) }), columns > 20 { return columns }
        return 100
    }

    /// Columns of the terminal on standard output as the terminal says (TIOCGWINSZ), or nil when it is not one.
    static func columns() -> Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Rows of the terminal on standard output; `LINES` when set; 24 when neither is known.
    static func height() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 2 { return Int(size.ws_row) }
        if let lines = SystemIO.environment("LINES").flatMap({ Int($0) }), lines > 2 { return lines }
        return 24
    }
}
