/// The tightest bounds that facts about sums over months allow on the sum over any other span.
///
/// Each constraint says `lo ≤ S(a…b) ≤ hi`, S being the sum over months a…b (a side may be infinite).
/// With prefix sums x (x_m is the sum of the months before m), S(a…b) = x(b+1) − x(a), so each constraint
/// is two difference constraints, and a metric that is never negative adds x(m) ≤ x(m′) for m < m′.
/// For a system of difference constraints (edge i → j of weight w for x(j) − x(i) ≤ w), the largest
/// x(t) − x(s) the system allows is the shortest path from s to t, and the smallest is minus the shortest
/// path from t to s; both are attained when the system is consistent, so the bounds are sound and tight.
/// A negative cycle means the constraints contradict each other. The path is the derivation: the
/// constraints along it, each added or subtracted, make up the bound.
///
///     let q1 = SpanSolver.Constraint(start: 0, end: 2, lo: 100, hi: 100)
///     let jan = SpanSolver.Constraint(start: 0, end: 0, lo: 30, hi: 30)
///     let feb = SpanSolver.Constraint(start: 1, end: 1, lo: 30, hi: 30)
///     SpanSolver([q1, jan, feb], nonNegative: true).bounds(start: 2, end: 2)  // 40...40: q1 − jan − feb
struct SpanSolver {
    /// `lo ≤ S(start…end) ≤ hi`, months inclusive; `-∞`/`∞` for a side not stated.
    struct Constraint: Equatable {
        var start: Int
        var end: Int
        var lo: Double
        var hi: Double
    }

    /// One constraint's part in a bound: its value (`lo` or `hi`, whichever the bound used), added or subtracted.
    struct Term: Equatable {
        /// The index of the constraint in the solver's list.
        var constraint: Int
        var value: Double
        var added: Bool
    }

    /// The bounds on one span's sum, each with the terms that make it up (lower: added terms minus
    /// subtracted ones give `lo`; likewise for `hi`). No terms on a side means that side is not bounded by
    /// any constraint: `lo` is then 0 for a non-negative metric (or −∞) and `hi` is ∞.
    struct Bounds: Equatable {
        var lo: Double
        var hi: Double
        var lower: [Term]
        var upper: [Term]
    }

    let constraints: [Constraint]
    let nonNegative: Bool

    init(_ constraints: [Constraint], nonNegative: Bool) {
        self.constraints = constraints
        self.nonNegative = nonNegative
    }

    /// Whether some assignment of values to months satisfies every constraint.
    var isConsistent: Bool {
        let graph = Graph(constraints, extra: [], nonNegative: nonNegative)
        // From a virtual source joined to every node at weight 0: a negative cycle keeps relaxing.
        var distance = [Double](repeating: 0, count: graph.nodes.count)
        for round in 0...graph.nodes.count {
            var changed = false
            for e in graph.edges where distance[e.from] + e.weight < distance[e.to] - Graph.tolerance(e.weight) {
                distance[e.to] = distance[e.from] + e.weight
                changed = true
            }
            if !changed { return true }
            if round == graph.nodes.count { return false }
        }
        return true
    }

    /// The tightest bounds on S(start…end); nil when the constraints contradict each other.
    func bounds(start: Int, end: Int) -> Bounds? {
        // A contradiction the paths from `start` and `end` never reach would go unseen below.
        guard isConsistent else { return nil }
        let graph = Graph(constraints, extra: [start, end + 1], nonNegative: nonNegative)
        guard let s = graph.index(of: start), let t = graph.index(of: end + 1),
              let fromStart = graph.shortestPaths(from: s),
              let fromEnd = graph.shortestPaths(from: t) else { return nil }
        let upper = fromStart.path(to: t, in: graph)
        let lowerPath = fromEnd.path(to: s, in: graph)
        // The lower bound is minus the path's length, so each of its terms changes sign.
        let lower = lowerPath.map { Term(constraint: $0.constraint, value: $0.value, added: !$0.added) }
        var hi = fromStart.distance[t], lo = -fromEnd.distance[s]
        if upper.isEmpty { hi = .infinity }
        if lower.isEmpty { lo = nonNegative ? 0 : -.infinity }
        if nonNegative { lo = max(lo, 0) }
        return Bounds(lo: lo, hi: hi, lower: lower, upper: upper)
    }

    // MARK: - The constraint graph

    /// Nodes are the month boundaries the constraints and the query name; edges carry a constraint's side.
    private struct Graph {
        struct Edge {
            var from: Int, to: Int, weight: Double
            /// The constraint and the side it states (`hi` added, or `lo` subtracted); nil for "never negative".
            var term: Term?
        }

        var nodes: [Int] = []
        var edges: [Edge] = []

        init(_ constraints: [Constraint], extra: [Int], nonNegative: Bool) {
            var boundaries = extra
            boundaries.reserveCapacity(2 * constraints.count + extra.count)
            for c in constraints { boundaries += [c.start, c.end + 1] }
            boundaries.sort()
            for b in boundaries where nodes.last != b { nodes.append(b) }
            edges.reserveCapacity(2 * constraints.count + nodes.count)
            for (k, c) in constraints.enumerated() {
                guard let a = index(of: c.start), let b = index(of: c.end + 1) else { continue }
                if c.hi.isFinite {
                    edges.append(Edge(from: a, to: b, weight: c.hi,
                                      term: Term(constraint: k, value: c.hi, added: true)))
                }
                if c.lo.isFinite {
                    edges.append(Edge(from: b, to: a, weight: -c.lo,
                                      term: Term(constraint: k, value: c.lo, added: false)))
                }
            }
            // Never negative: a later prefix sum is at least an earlier one.
            if nonNegative {
                for i in nodes.indices.dropFirst() { edges.append(Edge(from: i, to: i - 1, weight: 0, term: nil)) }
            }
        }

        /// The node of a month boundary, found by binary search over the sorted boundaries.
        func index(of boundary: Int) -> Int? {
            var lo = 0, hi = nodes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if nodes[mid] < boundary { lo = mid + 1 } else { hi = mid }
            }
            return lo < nodes.count && nodes[lo] == boundary ? lo : nil
        }

        /// Sums of large figures are not exact in doubles; a change smaller than this is not a shorter path.
        static func tolerance(_ weight: Double) -> Double { abs(weight) * 1e-12 }

        /// Bellman–Ford from one node; nil on a negative cycle.
        func shortestPaths(from source: Int) -> Paths? {
            var paths = Paths(distance: [Double](repeating: .infinity, count: nodes.count),
                              via: [Int?](repeating: nil, count: nodes.count))
            paths.distance[source] = 0
            for _ in 0..<nodes.count {
                var changed = false
                for (k, e) in edges.enumerated() where paths.distance[e.from].isFinite
                    && paths.distance[e.from] + e.weight < paths.distance[e.to] - Graph.tolerance(e.weight) {
                    paths.distance[e.to] = paths.distance[e.from] + e.weight
                    paths.via[e.to] = k
                    changed = true
                }
                if !changed { return paths }
            }
            return nil
        }
    }

    private struct Paths {
        var distance: [Double]
        /// The edge each node was last reached by.
        var via: [Int?]

        /// The terms along the shortest path to `node` (empty when it is unreachable or the source itself).
        func path(to node: Int, in graph: Graph) -> [Term] {
            guard distance[node].isFinite else { return [] }
            var terms: [Term] = [], current = node, steps = 0
            while let k = via[current], steps <= graph.nodes.count {
                if let term = graph.edges[k].term { terms.append(term) }
                current = graph.edges[k].from
                steps += 1
            }
            return terms.reversed()
        }
    }
}
