/// What a fact says of other facts, from the optional columns a facts file may add after `note`:
/// `id` (a name other rows can refer to), `as_of` (when the figure was stated, where a source says),
/// `revises` (the fact this one replaces: a raised target, a corrected count), `equals` (the fact this one
/// restates in another unit: a stated conversion, one figure rather than two), and `from` (the facts a
/// derived figure was computed from, or that a stated change is a change of).
public struct FactLinks: Sendable, Equatable {
    /// The name other rows give this fact in their link columns; empty where it has none.
    public var id = ""
    /// When the source says the figure was stated or held.
    public var asOf: Period?
    /// The fact-store rows of the facts this one replaces.
    public var revises: [Int] = []
    /// The fact-store rows of the figure this one restates in another unit.
    public var equals: [Int] = []
    /// The fact-store rows this figure was computed from, or that it is a change of.
    public var from: [Int] = []

    /// The optional columns, in the order a facts file gives them after the nine it must have.
    static let columns = ["id", "as_of", "revises", "equals", "from"]
}

/// A row's link columns as read, before the ids they name are known (they may come later in the file).
struct PendingLinks: Sendable {
    var row: Int
    var fileLine: Int32
    /// `id`, `as_of`, `revises`, `equals`, `from`, trimmed.
    var fields: [String]
}

extension FactStore {
    /// Gives rows their links once a file's rows are all in: ids first, then what they name. Revisions must
    /// stay within one entity and metric; a conversion names a figure for the same entity, metric and period
    /// in another unit. Throws the first bad field, located at its record.
    mutating func link(_ pending: [PendingLinks], file: String) throws(DataError) {
        func fail(_ p: PendingLinks, _ column: String, _ message: String) -> DataError {
            DataError(file: file, line: Int(p.fileLine), column: column, message: message)
        }
        for p in pending where !p.fields[0].isEmpty {
            let id = p.fields[0]
            guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw fail(p, "id", "'\(Sanitizer.printable(id))' is not an id; use letters, digits, '-' and '_'")
            }
            if let other = factIDs[id] { throw fail(p, "id", "fact id '\(id)' is already used (\(origin(other)))") }
            factIDs[id] = p.row
        }
        for p in pending {
            var l = FactLinks(id: p.fields[0])
            if !p.fields[1].isEmpty {
                guard let asOf = Period.parse(p.fields[1]), !asOf.isTimeless else {
                    throw fail(p, "as_of", "'\(Sanitizer.printable(p.fields[1]))' is not a date or period "
                               + "(2025-06-01, 2025-06, 2025)")
                }
                l.asOf = asOf
            }
            for (k, column) in FactLinks.columns.enumerated().dropFirst(2) {
                let rows = try p.fields[k].split(separator: "|").map { name throws(DataError) -> Int in
                    let id = Text.trimmed(String(name))
                    guard let row = factIDs[id] else {
                        throw fail(p, column, "no fact has the id '\(Sanitizer.printable(id))'; "
                                   + "give that fact an id in the 'id' column")
                    }
                    guard row != p.row else { throw fail(p, column, "a fact cannot name itself") }
                    return row
                }
                switch column {
                case "revises": l.revises = rows
                case "equals": l.equals = rows
                default: l.from = rows
                }
            }
            try check(l, of: p, fail: fail)
            for r in l.revises {
                revisedBy[r] = p.row
                linkedGroups.insert(linkGroup(r))
            }
            for r in l.equals {
                conversionsOf[r, default: []].append(p.row)
                linkedGroups.insert(linkGroup(p.row))
            }
            links[p.row] = l
        }
    }

    /// Revisions of a figure for the same entity, metric and period, each fact revised once and never in a circle;
    /// conversions of one figure into another unit, each naming the figure itself, not another conversion.
    private func check(_ l: FactLinks, of p: PendingLinks,
                       fail: (PendingLinks, String, String) -> DataError) throws(DataError) {
        let row = p.row
        for r in l.revises {
            guard entity[r] == entity[row], metric[r] == metric[row], period(r) == period(row) else {
                throw fail(p, "revises", "a revision replaces the figure of the same entity, metric and period; "
                           + "\(origin(r)) is another's")
            }
            if let other = revisedBy[r] { throw fail(p, "revises", "that fact is already revised (\(origin(other)))") }
            // Following the revisions from here must never come back to this row.
            var next = revisedBy[row], steps = 0
            while let n = next, steps <= count {
                guard n != r else { throw fail(p, "revises", "revisions go round in a circle (\(origin(r)))") }
                next = revisedBy[n]
                steps += 1
            }
        }
        for r in l.equals {
            guard entity[r] == entity[row], metric[r] == metric[row], period(r) == period(row) else {
                throw fail(p, "equals", "a conversion restates the same entity, metric and period")
            }
            guard unit[r] != unit[row] else {
                throw fail(p, "equals", "a conversion restates a figure in another unit; both are in \(unitName(row))")
            }
            guard convertedFrom(r) == nil, conversionsOf[row] == nil else {
                throw fail(p, "equals", "name the figure itself, not another conversion of it (\(origin(r)))")
            }
        }
    }

    /// The row this one restates in another unit, if it is a stated conversion.
    public func convertedFrom(_ row: Int) -> Int? { links[row]?.equals.first }

}
