import Synchronization

/// What a statement looked up in a store that holds only part of the facts, and which of it the store does not hold
/// yet: what the SQL executor fetches before running the statement again.
///
/// Two kinds of look-up: a whole (entity, metric) group, and a window of one — the facts of a group that start in a
/// period, which is all an additive figure needs when they tile the period exactly (`PeriodValue.exactTiling`).
/// Looked up from the threads a ranking values its candidates on, so the wants are behind a lock.
final class ScanLog: Sendable {
    /// The groups held whole.
    private let whole: Set<Int64>
    /// For other groups, the spans of months whose starting facts are held.
    private let windows: [Int64: [Period]]
    /// Set for `evq sql`, over a store that holds every fact: look-ups are written down but never missing.
    private let tracing: Bool
    private let wants = Mutex<Wants>(Wants())

    struct Wants: Sendable {
        var groups: Set<Int64> = []
        var windows: [Int64: [Period]] = [:]
        /// The counts of facts by metric and source (`FactSummary`).
        var summary = false
        var isEmpty: Bool { groups.isEmpty && windows.isEmpty && !summary }
    }

    init(whole: Set<Int64>, windows: [Int64: [Period]] = [:], tracing: Bool = false) {
        self.whole = whole
        self.windows = windows
        self.tracing = tracing
    }

    /// A look-up of a whole group (`FactStore.pair(entity, metric)`).
    func touch(_ group: Int64) {
        guard tracing || !whole.contains(group) else { return }
        wants.withLock { _ = $0.groups.insert(group) }
    }

    /// A look-up of the facts of a group that start in `period`: whether the store holds them all (else the want
    /// is written down).
    func holds(_ group: Int64, startingIn period: Period) -> Bool {
        if !tracing, whole.contains(group) || (windows[group] ?? []).contains(where: { $0.contains(period) }) { return true }
        wants.withLock { $0.windows[group, default: []].append(period) }
        return tracing
    }

    /// A look at the counts of all facts, which the store does not have.
    func countAll() {
        wants.withLock { $0.summary = true }
    }

    /// What was looked up and is not held.
    var wanted: Wants { wants.withLock { $0 } }
}
