/// Where a statement's facts come from: the one seam between the pipeline, which is the same code for every
/// engine (resolve, plan, evaluate, phrase), and the store that holds the facts. `Session.execute` evaluates a
/// statement over `round()`'s dataset; whatever that evaluation looked up and the dataset lacked, `fetch` brings,
/// and the statement is evaluated again, until nothing is lacking.
///
/// Two implementations: `MemoryExecutor`, evq's own columnar store, which holds everything and answers in one
/// round, and `SQLExecutor`, which fetches from DuckDB or PostgreSQL what each round looked up.
public protocol PlanExecutor {
    /// Everything fetched so far: all the facts and the whole catalogue for the in-memory store.
    var data: Dataset { get }
    /// What the session is connected to, for messages: `memory`, `duckdb:race.duckdb`.
    var name: String { get }
    /// Fetches at once what a statement names, before its first round (an engine's catalogue comes a part at a
    /// time).
    mutating func prepare(_ statement: Statement) throws(EngineError)
    /// The dataset one evaluation runs over, and the log its look-ups are written to (nil where nothing can be
    /// lacking).
    func round() -> (Dataset, ScanLog?)
    /// Fetches what a round looked up and lacked. Nil when nothing was lacking, and the round's answer stands;
    /// else where each fact row of the last round is now, for the figures variables hold.
    mutating func fetch(_ log: ScanLog?) throws(EngineError) -> [Int]?
}

/// The in-memory store as an executor: every fact is at hand, so a statement takes one round.
public struct MemoryExecutor: PlanExecutor {
    public let data: Dataset
    public var name: String { "memory" }

    public init(data: Dataset) { self.data = data }

    public func prepare(_ statement: Statement) {}
    public func round() -> (Dataset, ScanLog?) { (data, nil) }
    public func fetch(_ log: ScanLog?) -> [Int]? { nil }
}
