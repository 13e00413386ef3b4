/// One user's state across statements: the dataset and the variables `let` defined.
/// The REPL keeps one session for its lifetime; a script run uses one per script.
public struct Session {
    public private(set) var data: Dataset
    public private(set) var variables: [String: [Quantity]] = [:]

    public init(data: Dataset) { self.data = data }

    /// What one statement produced.
    public enum Output {
        case table(ResultTable)
        case diagnostic(Diagnostic)
    }

    /// Parses and runs every statement of `file`, handing each result or error to `emit` as it
    /// comes, so a script prints the statements before an error. Stops at the first error unless
    /// `keepGoing`, and before any statement once `shouldStop` says so (Ctrl-C). Returns whether every statement succeeded.
    @discardableResult
    public mutating func run(_ file: SourceFile, keepGoing: Bool = false, shouldStop: () -> Bool = { false },
                             emit: (Output) -> Void) -> Bool {
        var ok = true
        for item in Parser.parse(file) {
            if shouldStop() { return false }
            switch item {
            case .success(let statement):
                do throws(Diagnostic) {
                    if let table = try execute(statement, in: file) { emit(.table(table)) }
                } catch {
                    emit(.diagnostic(error))
                    ok = false
                }
            case .failure(let diagnostic):
                emit(.diagnostic(diagnostic))
                ok = false
            }
            if !ok && !keepGoing { return false }
        }
        return ok
    }

    /// Resolves, plans and evaluates one parsed statement.
    public mutating func execute(_ statement: Statement, in file: SourceFile) throws(Diagnostic) -> ResultTable? {
        let resolved = try Resolver(catalog: data.catalog).resolve(statement)
        let plan = try Plan(resolved, data: data)
        var evaluator = Evaluator(data: data, variables: variables, file: file)
        let table = try evaluator.run(plan, range: statement.range)
        variables = evaluator.variables
        return table
    }
}
