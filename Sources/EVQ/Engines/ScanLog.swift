import Synchronization

/// The (entity, metric) groups a statement looked up in a store that holds only part of the facts, and which
/// of them the store does not hold yet: what the SQL executor fetches before running the statement again.
///
/// Looked up from the threads a ranking values its candidates on, so the sets are behind a lock.
final class ScanLog: Sendable {
    private let fetched: Set<Int64>
    private let missing = Mutex<Set<Int64>>([])

    /// A log for a store holding every fact of the groups in `fetched`.
    init(fetched: Set<Int64>) { self.fetched = fetched }

    /// A look-up of one group (`FactStore.pair(entity, metric)`).
    func touch(_ group: Int64) {
        guard !fetched.contains(group) else { return }
        missing.withLock { _ = $0.insert(group) }
    }

    /// The groups looked up that the store does not hold.
    var wanted: Set<Int64> { missing.withLock { $0 } }
}
