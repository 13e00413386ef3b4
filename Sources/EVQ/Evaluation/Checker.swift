/// `evq check`: the dataset held against itself. Months against quarters against years against
/// cumulative ranges, bounds against exact figures, targets against actuals, duplicate rows.
///
/// Inconsistencies (figures that cannot all be true) fail the check; disagreements the data keeps on
/// purpose (two sources, two values, each noted) and target-versus-actual comparisons are reported as notes.
public struct Checker {
    public let data: Dataset

    public init(data: Dataset) { self.data = data }

    /// One finding, with the fact rows it concerns.
    public struct Finding: Sendable, Equatable {
        public enum Severity: String, Sendable { case inconsistency, note }
        public var severity: Severity
        public var message: String
        public var facts: [Int]
    }

    /// How far "about N" may be from N: 1%, at least 1. The solver widens approximate facts by the same.
    static func slack(_ q: Quantity) -> Double { max(1, 0.01 * abs(q.hi.isFinite ? q.hi : q.lo)) }

    /// A fact as its file states it, for printing beside a finding.
    public func describe(_ row: Int) -> String {
        let c = data.catalog
        let value = facts.lo[row] == facts.hi[row] ? NumberFormat.plain(facts.lo[row]) : "\(NumberFormat.plain(facts.lo[row]))..\(NumberFormat.plain(facts.hi[row]))"
        let fields = [c.entities[Int(facts.entity[row])].id, c.metrics[Int(facts.metric[row])].name, "\(facts.period(row))", value,
                      facts.unitName(row), facts.bound[row].rawValue, c.sources[Int(facts.source[row])].file, "\(facts.line[row])"]
        return "\(facts.origin(row)): " + fields.map(CSV.escape).joined(separator: ",")
    }

    public func run() -> [Finding] {
        var findings: [Finding] = []
        for group in groups() {
            findings += duplicates(group)
            // A revised figure or a conversion is history or a restatement: only the figures that stand are
            // held together.
            let current = group.filter(facts.isCurrent)
            findings += contradictions(current)
            findings += partsAgainstWholes(current)
        }
        findings += targetsAgainstActuals()
        findings += mixedUnitDerivations()
        return findings
    }

    /// A derived figure computed from a figure of the same metric in another unit: arithmetic that mixes
    /// units (yuan into dollars) with no stated rate.
    private func mixedUnitDerivations() -> [Finding] {
        var out: [Finding] = []
        for (row, links) in facts.links.sorted(by: { $0.key < $1.key }) {
            let mixed = links.from.filter { facts.metric[$0] == facts.metric[row] && facts.unit[$0] != facts.unit[row] }
            guard !mixed.isEmpty else { continue }
            let units = Set(mixed.map(facts.unitName)).sorted().joined(separator: ", ")
            out.append(Finding(severity: .inconsistency,
                               message: "mixed-unit arithmetic: a figure in \(facts.unitName(row)) derived from one in "
                                   + "\(units) with no stated rate",
                               facts: [row] + mixed))
        }
        return out
    }

    private var facts: FactStore { data.facts }

    /// Every entity below `entity` in the hierarchy (a cycle in loaded data is walked once).
    private func descendants(of entity: Int) -> [Int] {
        var out: [Int] = [], seen: Set<Int> = [entity], queue = data.catalog.children(of: entity)
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            out.append(next)
            queue += data.catalog.children(of: next)
        }
        return out
    }

    /// Rows grouped by entity and metric.
    private func groups() -> [[Int]] {
        var keyed: [Int64: [Int]] = [:]
        for row in 0..<facts.count { keyed[Int64(facts.entity[row]) << 32 | Int64(facts.metric[row]), default: []].append(row) }
        return keyed.keys.sorted().compactMap { keyed[$0] }
    }

    private func duplicates(_ rows: [Int]) -> [Finding] {
        struct Key: Hashable { var period: Period, lo: Double, hi: Double, unit: Int32, source: Int32, line: Int32 }
        var seen: [Key: Int] = [:], out: [Finding] = []
        for row in rows {
            let key = Key(period: facts.period(row), lo: facts.lo[row], hi: facts.hi[row], unit: facts.unit[row], source: facts.source[row], line: facts.line[row])
            if let first = seen[key] {
                out.append(Finding(severity: .inconsistency, message: "the same fact twice", facts: [first, row]))
            } else {
                seen[key] = row
            }
        }
        return out
    }

    /// Two figures for the same period whose intervals do not meet: an at-least above an exact value,
    /// or two different stated values (kept on purpose when the sources disagree, so a note). Each period's
    /// figures (in the order periods first appear) are compared pair by pair, or, past `pairwiseLimit` of them,
    /// counted in one finding of each kind.
    private func contradictions(_ rows: [Int]) -> [Finding] {
        var byPeriod: [Period: [Int]] = [:], order: [Period] = []
        for row in rows {
            let period = facts.period(row)
            if byPeriod[period] == nil { order.append(period) }
            byPeriod[period, default: []].append(row)
        }
        return order.flatMap { period -> [Finding] in
            let same = byPeriod[period] ?? []
            return same.count <= Checker.pairwiseLimit ? pairwiseContradictions(same) : countedContradictions(same)
        }
    }

    /// More figures than this for one period are counted, not compared pair by pair (2,000 disagreeing rows
    /// made two million findings).
    static let pairwiseLimit = 16

    private func isStated(_ row: Int) -> Bool { facts.bound[row] == .exact || facts.bound[row] == .target }

    private func pairwiseContradictions(_ rows: [Int]) -> [Finding] {
        var out: [Finding] = []
        for (i, a) in rows.enumerated() {
            for b in rows[(i + 1)...] {
                // Compared in a unit both are stated in, as given or as their sources convert them.
                let qa = facts.quantity(a), qb = facts.quantity(b)
                let apart = ([qa] + qa.equivalents).contains { x in
                    ([qb] + qb.equivalents).contains { y in x.unit == y.unit && (x.hi < y.lo || y.hi < x.lo) }
                }
                guard apart else { continue }
                // A revision is a story of change, not a disagreement.
                if facts.revisedBy[a] == b || facts.revisedBy[b] == a { continue }
                // Changes of two different figures (`from` names each one's) do not disagree.
                if let fa = facts.links[a]?.from, let fb = facts.links[b]?.from, !fa.isEmpty, !fb.isEmpty,
                   Set(fa).isDisjoint(with: fb) { continue }
                let bothStated = isStated(a) && isStated(b)
                out.append(Finding(severity: bothStated ? .note : .inconsistency,
                                   message: bothStated
                                       ? "unresolved conflict on \(facts.period(a)): the sources disagree, "
                                           + "and neither fact revises or restates the other; both kept"
                                       : "a bound contradicts a figure for \(facts.period(a))",
                                   facts: [a, b]))
            }
        }
        return out
    }

    /// Many figures for one period, compared by unit as stated: the stated figures that disagree as one note,
    /// the bounds that exclude some other figure as one inconsistency; each names six rows and counts the rest.
    private func countedContradictions(_ rows: [Int]) -> [Finding] {
        var out: [Finding] = []
        let period = facts.period(rows[0])
        for unit in Set(rows.map { facts.unit[$0] }).sorted() {
            let same = rows.filter { facts.unit[$0] == unit }
            // Whether a row's interval misses some other row's: the two lowest tops and two highest bottoms tell.
            let tops = same.map { facts.hi[$0] }.sorted(), bottoms = same.map { facts.lo[$0] }.sorted(by: >)
            func missesAnother(_ row: Int) -> Bool {
                let lowestOtherTop = facts.hi[row] == tops[0] && tops.count > 1 ? tops[1] : tops[0]
                let highestOtherBottom = facts.lo[row] == bottoms[0] && bottoms.count > 1 ? bottoms[1] : bottoms[0]
                return lowestOtherTop < facts.lo[row] || facts.hi[row] < highestOtherBottom
            }
            let stated = same.filter(isStated), bounds = same.filter { !isStated($0) && missesAnother($0) }
            let statedValues = Set(stated.map { facts.lo[$0] })
            func listed(_ rows: [Int]) -> String {
                rows.count > 6 ? " (six of them listed; \(NumberFormat.grouped(Double(rows.count - 6))) more)" : ""
            }
            if statedValues.count > 1 {
                out.append(Finding(severity: .note,
                                   message: "unresolved conflict on \(period): "
                                       + "\(NumberFormat.grouped(Double(stated.count))) stated figures, "
                                       + "\(NumberFormat.grouped(Double(statedValues.count))) different values"
                                       + "\(listed(stated)); all kept",
                                   facts: Array(stated.prefix(6))))
            }
            if !bounds.isEmpty {
                out.append(Finding(severity: .inconsistency,
                                   message: "\(NumberFormat.grouped(Double(bounds.count))) bound"
                                       + "\(bounds.count == 1 ? " contradicts" : "s contradict") "
                                       + "figures for \(period)\(listed(bounds))",
                                   facts: Array(bounds.prefix(6))))
            }
        }
        return out
    }

    /// A figure for a span against the figures inside it: what the parts say at least must not exceed the whole,
    /// and parts that tile the span must add up to it.
    private func partsAgainstWholes(_ rows: [Int]) -> [Finding] {
        guard let metric = rows.first.map({ Int(facts.metric[$0]) }), data.catalog.metrics[metric].additive else { return [] }
        var out: [Finding] = []
        for whole in rows where facts.period(whole).months > 1 && facts.effectiveBound[whole] != .atLeast {
            let span = facts.period(whole)
            let inside = rows.filter { $0 != whole && span.contains(facts.period($0)) && facts.period($0) != span && facts.unitName($0) == facts.unitName(whole) }
            guard !inside.isEmpty else { continue }
            // The lower bound implied by the parts alone, excluding the whole itself. Only the entity's own
            // and its descendants' rows of this metric can bear on it, so only those are copied.
            let entity = Int(facts.entity[whole])
            let dropped = Set([whole] + rows.filter { facts.period($0) == span })
            let kept = ([entity] + descendants(of: entity)).flatMap { facts.currentRows(entity: $0, metric: metric) }
            var withoutWhole = data
            withoutWhole.facts = facts.keeping(rows: kept.filter { !dropped.contains($0) }.sorted())
            let implied = PeriodValue(data: withoutWhole, metric: metric).value(entity: entity, period: span)
            guard let parts = implied.first, parts.lo.isFinite else { continue }
            let total = facts.quantity(whole)
            let slack = total.approximate || parts.approximate ? Checker.slack(total) : 0.5
            if parts.lo > total.hi + slack {
                out.append(Finding(severity: .inconsistency,
                                   message: "the parts of \(span) add up to at least \(NumberFormat.grouped(parts.lo)), more than its figure \(NumberFormat.display(total))",
                                   facts: [whole] + inside))
            } else if parts.isPoint, !parts.approximate, !total.approximate, abs(parts.lo - total.lo) > slack {
                out.append(Finding(severity: .inconsistency,
                                   message: "the parts of \(span) add up to \(NumberFormat.grouped(parts.lo)), not its figure \(NumberFormat.display(total))",
                                   facts: [whole] + inside))
            }
        }
        return out
    }

    /// Each target beside what is known of the actual figure for its period.
    private func targetsAgainstActuals() -> [Finding] {
        guard let deliveries = data.catalog.metric(named: "deliveries") else { return [] }
        let value = PeriodValue(data: data, metric: deliveries)
        var out: [Finding] = []
        for row in 0..<facts.count where facts.bound[row] == .target && facts.isCurrent(row)
            && data.catalog.metrics[Int(facts.metric[row])].name == "target" {
            let entity = Int(facts.entity[row]), period = facts.period(row)
            guard let actual = value.value(entity: entity, period: period).first else { continue }
            let target = facts.hi[row]
            let verdict = actual.lo >= target ? "met: deliveries \(NumberFormat.display(actual)) reach" : actual.hi < target ? "missed: deliveries \(NumberFormat.display(actual)) fall short of" : "open: deliveries \(NumberFormat.display(actual)) against"
            out.append(Finding(severity: .note, message: "target \(period) \(verdict) the target \(NumberFormat.grouped(target))", facts: [row] + actual.facts))
        }
        return out
    }
}
