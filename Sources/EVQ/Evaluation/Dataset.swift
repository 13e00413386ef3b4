/// Everything a query runs against: the catalogue of names, the fact store and the events.
public struct Dataset: Sendable {
    public internal(set) var catalog = Catalog()
    public internal(set) var facts = FactStore()
    public internal(set) var events: [Event] = []
    /// Orders the sources state outright ("outsold", "reclaimed the top spot"), whatever the figures' bounds.
    public internal(set) var rankings: [Ranking] = []
    /// Where the facts are held by a SQL engine and `facts` has only those fetched so far: what the engine's
    /// whole table holds.
    public internal(set) var engineSummary: FactSummary?

    public init() {}

    /// The dataset compiled into the binary from the five source articles.
    public static func embedded() throws(DataError) -> Dataset {
        var data = Dataset()
        try data.loadSources(PackageResources.sources_csv, file: "sources.csv")
        try data.loadEntities(PackageResources.entities_csv, file: "entities.csv")
        try data.loadFacts(PackageResources.facts_csv, file: "facts.csv")
        try data.loadEvents(PackageResources.events_csv, file: "events.csv")
        try data.loadRankings(PackageResources.rankings_csv, file: "rankings.csv")
        return data
    }

    /// The embedded data's raw files, for `evq check` and tests.
    public static let embeddedFiles: [(name: String, bytes: [UInt8])] = [
        ("facts.csv", PackageResources.facts_csv), ("entities.csv", PackageResources.entities_csv),
        ("events.csv", PackageResources.events_csv), ("sources.csv", PackageResources.sources_csv),
        ("rankings.csv", PackageResources.rankings_csv),
    ]

    /// The months the facts span, for the banner and for open-ended queries.
    public var extent: Period? { engineSummary.map(\.extent) ?? facts.extent }

    /// How many facts there are, in the store or in the engine that holds them.
    public var factCount: Int { engineSummary?.count ?? facts.count }

    /// How many facts each metric has (or, `bySource`, each source): counted in the store, or by the engine that
    /// holds them — a store holding part of them asks for that count and answers zeros until it is there.
    func factCounts(bySource: Bool) -> [Int] {
        if let s = engineSummary { return bySource ? s.bySource : s.byMetric }
        if let log = facts.scanLog { log.countAll() }
        let column = bySource ? facts.source : facts.metric
        var counts = [Int](repeating: 0, count: bySource ? catalog.sources.count : catalog.metrics.count)
        for code in column where counts.indices.contains(Int(code)) { counts[Int(code)] += 1 }
        return counts
    }
}
