/// The names EVQ knows: entities with their aliases and hierarchy, metrics, and source articles.
/// The resolver looks names up here; completion and did-you-mean read the same lists.
public struct Catalog: Sendable {
    public private(set) var entities: [Entity] = []
    public private(set) var metrics: [Metric] = Metric.builtIn
    public private(set) var sources: [Source] = []
    /// Lower-cased id → entity; ids win over aliases.
    private var byID: [String: Int] = [:]
    /// Lower-cased alias → entities (an alias may be shared).
    private var byAlias: [String: [Int]] = [:]
    private var metricByName: [String: Int] = [:]
    private var sourceByFile: [String: Int] = [:]
    /// Direct children of each entity, in catalogue order.
    private var childLists: [[Int]] = []
    /// Set on a catalogue that holds only the entities an engine has sent (`SQLExecutor`): it hears every look-up
    /// the catalogue may not be able to answer whole, which the executor then fetches.
    var scanLog: ScanLog?

    public init() { indexMetrics() }

    // MARK: Entities

    /// Adds an entity; its parent and partner must already be present or be added later (see `link`).
    mutating func add(_ entity: Entity) {
        byID[entity.id.lowercased()] = entities.count
        // A name listed again among the aliases (or an alias twice) is one name of one entity, not two matches.
        var names = Set<String>()
        for alias in entity.aliases + [entity.name] where names.insert(alias.lowercased()).inserted {
            byAlias[alias.lowercased(), default: []].append(entities.count)
        }
        entities.append(entity)
        childLists.append([])
    }

    /// Fills parent and partner links from their ids once every entity is in: `parents[k]` and `partners[k]`
    /// are those of entity `first + k`. Returns the links to ids no entity has.
    mutating func link(parents: [String?], partners: [String?], from first: Int) -> [(Int, String)] {
        var unknown: [(Int, String)] = []
        for (k, parent) in parents.enumerated() {
            let i = first + k
            if let parent, !parent.isEmpty {
                if let p = byID[parent.lowercased()] { entities[i].parent = p; childLists[p].append(i) } else { unknown.append((i, parent)) }
            }
            if k < partners.count, let partner = partners[k], !partner.isEmpty {
                if let p = byID[partner.lowercased()] { entities[i].partner = p } else { unknown.append((i, partner)) }
            }
        }
        return unknown
    }

    /// Takes back the entities from `count` on (a load that failed): their ids, aliases and places among
    /// their parents' children. The cost is that of the entities removed, not of the catalogue.
    mutating func removeEntities(from count: Int) {
        guard count < entities.count else { return }
        for entity in entities[count...] {
            byID[entity.id.lowercased()] = nil
            for name in Set((entity.aliases + [entity.name]).map { $0.lowercased() }) {
                byAlias[name]?.removeAll { $0 >= count }
                if byAlias[name]?.isEmpty == true { byAlias[name] = nil }
            }
            if let parent = entity.parent, parent < count { childLists[parent].removeAll { $0 >= count } }
        }
        entities.removeSubrange(count...)
        childLists.removeSubrange(count...)
    }

    /// An entity by id, case-insensitively. On a catalogue that holds part of an engine's entities, an id not held
    /// is asked for (`scanLog`).
    public func entity(id: String) -> Int? {
        let key = id.lowercased(), found = byID[key]
        if found == nil { scanLog?.lookUp(name: key, found: false) }
        return found
    }

    /// An entity by id among those the catalogue holds, without asking an engine for more (`scanLog`).
    func heldEntity(id: String) -> Int? { byID[id.lowercased()] }

    /// An entity by id or alias, case-insensitively; ambiguous aliases return every match.
    public func lookUpEntity(_ name: String) -> [Int] {
        let key = name.lowercased()
        let found = byID[key].map { [$0] } ?? byAlias[key] ?? []
        // Even a name found may name an entity not yet sent as well (an alias two share): it is asked for.
        scanLog?.lookUp(name: key, found: !found.isEmpty)
        return found
    }

    /// Every entity, in catalogue order (`list entities`).
    public var allEntities: [Entity] {
        scanLog?.lookUpAllEntities()
        return entities
    }

    /// The entities of a kind (all of them for nil), in catalogue order.
    public func entities(of kind: EntityKind?) -> [Int] {
        guard let kind else {
            scanLog?.lookUpAllEntities()
            return Array(entities.indices)
        }
        scanLog?.lookUp(kind: kind)
        return entities.indices.filter { entities[$0].kind == kind }
    }

    /// Every id, for did-you-mean.
    public var entityIDs: [String] {
        scanLog?.lookUpAllEntities()
        return entities.map(\.id)
    }

    /// Every id and alias, for did-you-mean and completion.
    public var entityNames: [String] {
        scanLog?.lookUpAllEntities()
        return entities.flatMap { [$0.id] + $0.aliases }
    }

    /// The direct children of an entity, in catalogue order.
    public func children(of entity: Int) -> [Int] {
        scanLog?.lookUp(childrenOf: entity)
        return childLists[entity]
    }

    /// The entity and all its descendants.
    public func subtree(_ entity: Int) -> [Int] {
        var out = [entity], i = 0
        while i < out.count { out += children(of: out[i]); i += 1 }
        return out
    }

    /// How many levels of parents a hierarchy may have. Real ones have five (group, alliance, maker, brand,
    /// model); the limit keeps every walk up or down a tree short, and a deeper file is refused when it loads.
    public static let maximumDepth = 64

    /// Why an entity's chain of parents cannot be a hierarchy.
    enum Ancestry: Equatable {
        /// The chain comes back round to this entity.
        case cycle(Int)
        /// The chain is longer than `maximumDepth`.
        case tooDeep
    }

    /// The first entity at or after `index` whose chain of parents comes back round or runs past
    /// `maximumDepth`, and why. Each chain is walked at most `maximumDepth` + 1 steps, so a long file is
    /// checked in time proportional to its rows.
    func ancestryProblem(from index: Int) -> (Int, Ancestry)? {
        for start in index..<entities.count {
            var current = entities[start].parent, seen = [start]
            while let p = current {
                if seen.contains(p) { return (p, .cycle(p)) }
                if seen.count > Catalog.maximumDepth { return (start, .tooDeep) }
                seen.append(p)
                current = entities[p].parent
            }
        }
        return nil
    }

    /// The chain of parents above an entity, nearest first.
    public func ancestors(_ entity: Int) -> [Int] {
        var out: [Int] = [], current = entities[entity].parent
        while let p = current, !out.contains(p), out.count < Catalog.maximumDepth {
            out.append(p)
            current = entities[p].parent
        }
        return out
    }

    // MARK: Metrics

    /// A metric by canonical name or alias.
    public func metric(named name: String) -> Int? { metricByName[name.lowercased()] }

    /// Adds a metric first seen in data, so loaded files can bring their own.
    mutating func addMetric(named name: String) -> Int {
        if let m = metric(named: name) { return m }
        metrics.append(Metric(name: name.lowercased(), aliases: [], additive: false, summary: "a metric found in the data"))
        metricByName[name.lowercased()] = metrics.count - 1
        return metrics.count - 1
    }

    /// Defines a metric from a loaded metrics file: a new one, or one that facts or an earlier metrics file
    /// brought. Built-in metrics keep their definitions, and a name or alias may mean one metric only.
    mutating func define(_ metric: Metric) throws(Conflict) {
        let existing = self.metric(named: metric.name)
        if let m = existing, metrics[m].name != metric.name {
            throw Conflict(column: "metric", message: "'\(metric.name)' is already an alias of '\(metrics[m].name)'")
        }
        if let m = existing, m < Metric.builtIn.count {
            throw Conflict(column: "metric", message: "'\(metric.name)' is built in; its definition cannot change")
        }
        if let alias = metric.aliases.first(where: { self.metric(named: $0).map { $0 != existing } ?? false }),
           let other = self.metric(named: alias) {
            throw Conflict(column: "aliases", message: "'\(alias)' already names the metric '\(metrics[other].name)'")
        }
        let index = existing ?? metrics.count
        if let m = existing {
            for alias in metrics[m].aliases { metricByName[alias] = nil }
            metrics[m] = metric
        } else {
            metrics.append(metric)
        }
        for name in [metric.name] + metric.aliases { metricByName[name.lowercased()] = index }
    }

    /// Why a definition does not fit the catalogue, and in which column.
    struct Conflict: Error {
        var column: String
        var message: String
    }

    public var metricNames: [String] { metrics.flatMap { [$0.name] + $0.aliases } }

    private mutating func indexMetrics() {
        for (i, m) in metrics.enumerated() {
            for name in [m.name] + m.aliases { metricByName[name.lowercased()] = i }
        }
    }

    // MARK: Sources

    mutating func add(_ source: Source) {
        sourceByFile[source.file] = sources.count
        sources.append(source)
    }

    /// A source by file name, adding a bare entry for files not described in sources.csv (loaded data).
    mutating func sourceIndex(file: String) -> Int {
        if let i = sourceByFile[file] { return i }
        add(Source(file: file, id: file, title: file, author: "", publisher: "", note: ""))
        return sources.count - 1
    }

    public func source(file: String) -> Int? { sourceByFile[file] }
}

/// A maker, brand, model, alliance or group.
public struct Entity: Sendable, Equatable {
    public var id: String
    public var kind: EntityKind
    public var name: String
    public var parent: Int?
    public var partner: Int?
    public var aliases: [String]
}

public enum EntityKind: String, Sendable, CaseIterable {
    case group, alliance, maker, brand, model, market

    /// The kind a plural or singular word names in `top 3 models`.
    public static func named(_ word: String) -> EntityKind? {
        let w = word.lowercased()
        return EntityKind(rawValue: w) ?? allCases.first { $0.plural == w }
    }

    public var plural: String { self == .alliance ? "alliances" : rawValue + "s" }
}

/// A measured quantity: deliveries, price, stores…
public struct Metric: Sendable, Equatable {
    public var name: String
    public var aliases: [String]
    /// Whether figures for adjacent periods add up to the figure for their union (deliveries do, prices do not).
    public var additive: Bool
    public var summary: String
    /// Whether figures are never negative, so an unknown part of a period adds at least zero.
    public var nonNegative: Bool { additive && name != "net-profit" }

    /// The canonical metrics and their aliases.
    public static let builtIn: [Metric] = [
        Metric(name: "deliveries", aliases: ["sales", "sale", "delivery", "sold", "delivered", "shipments"], additive: true, summary: "vehicles delivered or sold"),
        Metric(name: "target", aliases: ["goal", "targets"], additive: false, summary: "a stated sales, delivery or production goal"),
        Metric(name: "price", aliases: ["prices", "msrp"], additive: false, summary: "list price"),
        Metric(name: "power", aliases: ["horsepower", "hp"], additive: false, summary: "engine power"),
        Metric(name: "pre-orders", aliases: ["preorders", "orders"], additive: false, summary: "pre-orders taken"),
        Metric(name: "stores", aliases: ["shops", "outlets"], additive: false, summary: "retail stores open"),
        Metric(name: "service-centers", aliases: ["service-centres", "service"], additive: false, summary: "after-sales service centres"),
        Metric(name: "store-cities", aliases: [], additive: false, summary: "cities the retail stores span"),
        Metric(name: "service-center-cities", aliases: [], additive: false, summary: "cities the service centres span"),
        Metric(name: "monthly-target", aliases: [], additive: false, summary: "a stated average monthly goal"),
        Metric(name: "market-value", aliases: [], additive: false, summary: "a market's stated value"),
        Metric(name: "loss", aliases: ["losses"], additive: true, summary: "operating loss"),
        Metric(name: "revenue", aliases: ["revenues", "turnover"], additive: true, summary: "revenue"),
        Metric(name: "net-profit", aliases: ["profit", "earnings"], additive: true, summary: "net profit"),
        Metric(name: "market-share", aliases: ["share"], additive: false, summary: "share of the market, in percent"),
        Metric(name: "wait-time", aliases: ["wait", "waiting-time"], additive: false, summary: "delivery wait time"),
        Metric(name: "production", aliases: ["output", "produced"], additive: true, summary: "vehicles produced"),
        Metric(name: "registrations", aliases: ["registration", "insurance-registrations", "registered"], additive: true,
               summary: "vehicles newly registered (insured)"),
        Metric(name: "investment", aliases: ["invest", "capex"], additive: false, summary: "pledged or made investment"),
        Metric(name: "growth-yoy", aliases: [], additive: false, summary: "a stated change over the year before, in percent"),
        Metric(name: "growth-qoq", aliases: [], additive: false, summary: "a stated change over the quarter before, in percent"),
        Metric(name: "target-change", aliases: [], additive: false, summary: "a stated change of a target, in percent"),
    ]
}

/// One source article.
public struct Source: Sendable, Equatable {
    public var file: String
    public var id: String
    public var title: String
    public var author: String
    public var publisher: String
    public var note: String
}

/// A stated order of two entities for a metric and period: `leader` had more than `trailer`.
public struct Ranking: Sendable, Equatable {
    /// The period the order holds for.
    public var period: Period
    /// The metric compared, as an index into the catalogue's metrics.
    public var metric: Int
    /// The entity ahead, as an index into the catalogue's entities.
    public var leader: Int
    /// The entity behind, as an index into the catalogue's entities.
    public var trailer: Int
    /// The article that states the order, as an index into the catalogue's sources.
    public var source: Int
    /// The line of the article that states it; 0 where none is given.
    public var line: Int
    /// What the source says, as the rankings file gives it.
    public var note: String
}

/// A dated happening: a launch, a price cut, a record month.
public struct Event: Sendable, Equatable {
    public var period: Period
    public var entity: Int
    public var kind: String
    public var description: String
    public var source: Int
    public var line: Int
}
