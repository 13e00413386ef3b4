/// A problem in a data file, at a line and column.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String?
    public var message: String

    public var description: String {
        // The message quotes fields of the file as they are: cleaned, like any text from outside.
        Sanitizer.printable("\(file)\(line > 0 ? ":\(line)" : ""): error: "
                            + "\(column.map { "column '\($0)': " } ?? "")\(message)")
    }
}
