import Synchronization

/// What a statement looked up in a dataset that holds only part of an engine's facts and entities, and which of it
/// the dataset does not hold yet: what the SQL executor fetches before running the statement again.
///
/// Two kinds of look-up of facts: a whole (entity, metric) group, and a window of one — the facts of a group that
/// start in a period, which is all an additive figure needs when they tile the period exactly
/// (`PeriodValue.exactTiling`). And four of the catalogue: an entity by name, the entities of a kind, an entity's
/// children, and every entity (`list entities`, did-you-mean). Looked up from the threads a ranking values its
/// candidates on, so the wants are behind a lock.
public final class ScanLog: Sendable {
    /// The groups held whole.
    private let whole: Set<Int64>
    /// For other groups, the spans of months whose starting facts are held.
    private let windows: [Int64: [Period]]
    /// What of the catalogue is held; nil where it is held whole.
    private let catalog: CatalogHeld?
    /// Set for `evq sql`, over a store that holds every fact: look-ups are written down but never missing.
    private let tracing: Bool
    private let wants = Mutex<Wants>(Wants())

    /// What of an engine's catalogue a dataset holds, besides the entities that events and rankings name and the
    /// parents and partners of every entity held, which it always holds.
    struct CatalogHeld: Sendable {
        /// Names (lower-cased) whose every entity is held: asked for by name, or found where all of a kind is.
        var names: Set<String> = []
        var kinds: Set<EntityKind> = []
        /// Entities whose children are all held.
        var children: Set<Int> = []
    }

    struct Wants: Sendable {
        var groups: Set<Int64> = []
        var windows: [Int64: [Period]] = [:]
        /// The counts of facts by metric and source (`FactSummary`).
        var summary = false
        /// Names (lower-cased) of entities, as a statement named them.
        var names: Set<String> = []
        var kinds: Set<EntityKind> = []
        /// Entities whose children were looked at.
        var children: Set<Int> = []
        var allEntities = false
        /// Wants that change what the statement is about: it is run again before any fact is fetched for it.
        var catalog: Bool { !names.isEmpty || !kinds.isEmpty || allEntities }
        var isEmpty: Bool { groups.isEmpty && windows.isEmpty && !summary && !catalog && children.isEmpty }
    }

    init(whole: Set<Int64>, windows: [Int64: [Period]] = [:], catalog: CatalogHeld? = nil, tracing: Bool = false) {
        self.whole = whole
        self.windows = windows
        self.catalog = catalog
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

    /// A look-up of an entity by id or alias (`key`, lower-cased), and whether it found one. A name asked for before
    /// and still not found names no entity, or one the engine's matching missed: only the whole catalogue can say
    /// which, and it then says what was meant.
    func lookUp(name key: String, found: Bool) {
        guard let catalog else { return }
        guard !catalog.names.contains(key) else {
            if !found { lookUpAllEntities() }
            return
        }
        wants.withLock { _ = $0.names.insert(key) }
    }

    /// A look at every entity of a kind.
    func lookUp(kind: EntityKind) {
        guard let catalog, !catalog.kinds.contains(kind) else { return }
        wants.withLock { _ = $0.kinds.insert(kind) }
    }

    /// A look at an entity's children.
    func lookUp(childrenOf entity: Int) {
        guard let catalog, !catalog.children.contains(entity) else { return }
        wants.withLock { _ = $0.children.insert(entity) }
    }

    /// A look at every entity.
    func lookUpAllEntities() {
        guard catalog != nil else { return }
        wants.withLock { $0.allEntities = true }
    }

    /// What was looked up and is not held.
    var wanted: Wants { wants.withLock { $0 } }
}
