/// Writes numbers for people: thousands separators, units, and the marks of bounds (`>28,000`, `<5%`, `≈69,694`).
public enum NumberFormat {
    /// `44454` → `44,454`; `8.86` → `8.86`; large values are rounded to whole numbers.
    public static func grouped(_ value: Double, decimals: Int? = nil) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : "-∞" }
        // Beyond what a 64-bit integer holds, scientific notation rather than a clamped figure.
        guard abs(value) < 9e18 else { return "\(value)" }
        let places = decimals ?? (abs(value) >= 1000 ? 0 : 2)
        let (whole, fraction) = split(abs(value), places: places)
        var digits = Array(String(whole))
        var i = digits.count - 3
        while i > 0 { digits.insert(",", at: i); i -= 3 }
        let sign = value < 0 && (whole != 0 || !fraction.isEmpty) ? "-" : ""
        return sign + String(digits) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A plain machine-readable number: no separators, no trailing zeros (`44454`, `8.86`).
    public static func plain(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "inf" : "-inf" }
        let (whole, fraction) = split(abs(value), places: 6)
        return (value < 0 && (whole != 0 || !fraction.isEmpty) ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Integer part and decimal digits (trailing zeros dropped), rounded half away from zero.
    private static func split(_ value: Double, places: Int) -> (UInt64, String) {
        guard value < 9.0e18 else { return (UInt64.max, "") }
        var scale: Double = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return (UInt64(value.rounded()), "") }
        let n = UInt64(scaled)
        let s = UInt64(scale)
        let whole = n / s
        var fraction = places > 0 ? String(n % s) : ""
        while fraction.count < places { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (whole, fraction)
    }

    /// One number with its unit: `¥529,900`, `$1,600,000,000`, `16%`, `36 wk`, `1,548 PS`, `44,454`.
    public static func withUnit(_ value: Double, _ unit: String, decimals: Int? = nil) -> String {
        let n = grouped(value, decimals: decimals)
        switch unit {
        case "CNY": return value < 0 ? "-¥" + n.dropFirst() : "¥" + n
        case "USD": return value < 0 ? "-$" + n.dropFirst() : "$" + n
        case "%": return n + "%"
        case "weeks": return n + " wk"
        case "", "vehicles", "units", "stores", "service-centers", "cities", "models": return n
        default: return n + " " + unit
        }
    }

    /// A quantity as a table shows it, with its bound mark and a `*` when derived.
    public static func display(_ q: Quantity, decimals: Int? = nil) -> String {
        let body: String
        switch (q.lo.isFinite, q.hi.isFinite) {
        case (false, false): return "unbounded"
        case (true, false): body = (q.approximate ? "≈>" : ">") + withUnit(q.lo, q.unit, decimals: decimals)
        case (false, true): body = (q.approximate ? "≈<" : "<") + withUnit(q.hi, q.unit, decimals: decimals)
        case (true, true):
            let lo = withUnit(q.lo, q.unit, decimals: decimals), hi = withUnit(q.hi, q.unit, decimals: decimals)
            body = (q.approximate ? "≈" : "") + (lo == hi ? lo : lo + "–" + hi)
        }
        let marked = q.derived ? body + "*" : body
        return q.isTarget ? marked + " (target)" : marked
    }
}
