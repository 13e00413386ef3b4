/// A script's answers gathered for one page (`evq report`, `--format html`): for each statement, the comments
/// above it as prose, the statement as written, and what it produced; then what the page was built from.
/// `HTMLRenderer.document` turns it into one self-contained HTML file.
///
/// ```swift
/// var session = Session(data: try Dataset.embedded())
/// var report = Report(title: "Xiaomi and HIMA")
/// report.run(SourceFile(name: "race.evq", text: "compare xiaomi hima by month 2025"), session: &session)
/// let html = HTMLRenderer.document(report)
/// ```
public struct Report {
    /// One statement of the script and its answer.
    public struct Section {
        /// The comment lines above the statement, without their `--`, as a writer laid them out.
        public var prose: [String]
        /// The statement as written; empty where it did not parse.
        public var query: String
        /// Where the statement is: `race.evq:3`.
        public var location: String
        public var output: Output

        public enum Output {
            case table(ResultTable)
            /// A failed statement, as the terminal shows it (message, line and caret).
            case error(String)
            /// A statement that prints nothing (`let`).
            case silent
        }
    }

    /// A file the answers rest on: one of the embedded data files, or one loaded from disk.
    public struct Input: Sendable, Equatable {
        public var name: String
        public var bytes: Int
        public var sha256: String
        public var embedded: Bool
        public init(name: String, bytes: Int, sha256: String, embedded: Bool) {
            self.name = name
            self.bytes = bytes
            self.sha256 = sha256
            self.embedded = embedded
        }
    }

    public var title: String
    /// The comment lines that open the first script, when a blank line sets them apart: the page's introduction.
    public var introduction: [String] = []
    public var sections: [Section] = []
    /// The embedded data files, then the loaded ones in the order they were loaded.
    public var inputs: [Input] = Report.embeddedInputs
    /// The scripts the answers came from.
    public var scripts: [String] = []
    /// The day the page was built (`2026-12-04`); empty leaves it out, as goldens do.
    public var date = ""
    /// The lines of article files (by file name, as `sources.csv` names them), read at run time from the folder
    /// `--articles` names, so a citation can show its sentence; the project itself keeps none of them.
    public var articleLines: [String: [String]] = [:]

    public init(title: String) {
        self.title = title
    }

    /// Every fact any answer cites, in order of first appearance, as each answer cites it.
    public var citedFacts: [CitedFact] {
        var seen = Set<String>(), out: [CitedFact] = []
        for section in sections {
            guard case .table(let table) = section.output else { continue }
            for f in table.citedFacts.compactMap({ table.cited[$0] }) where seen.insert(f.origin).inserted { out.append(f) }
        }
        return out
    }

    /// The files of the articles the answers cite, as `sources.csv` names them, each once.
    public var citedArticleFiles: [String] {
        var seen = Set<String>()
        return citedFacts.map(\.source.file).filter { seen.insert($0).inserted }
    }

    /// The embedded data files with their sizes and checksums, hashed once per process (every page, and every
    /// script a report runs, lists them).
    public static let embeddedInputs: [Input] = Dataset.embeddedFiles.map {
        Input(name: $0.name, bytes: $0.bytes.count, sha256: SHA256.hex($0.bytes), embedded: true)
    }

    /// Runs every statement of `file` in `session` and adds a section for each. Stops at the first error unless
    /// `keepGoing`. Returns whether every statement succeeded.
    @discardableResult
    public mutating func run(_ file: SourceFile, session: inout Session, keepGoing: Bool = false,
                             shouldStop: () -> Bool = { false }) -> Bool {
        var cursor = Report.afterShebang(file)
        if scripts.isEmpty, let end = Report.openingBlock(in: file, from: cursor) {
            introduction = Report.comments(in: file, from: cursor, to: end)
            cursor = end
        }
        scripts.append(file.name)
        var sections: [Section] = []
        let ok = session.run(file, keepGoing: keepGoing, shouldStop: shouldStop) { output, range in
            let shown: Section.Output
            var failedAt: SourceRange?
            switch output {
            case .table(let table): shown = .table(table)
            case .diagnostic(let d): (shown, failedAt) = (.error(DiagnosticRenderer.render(d, in: file)), d.range)
            case .silent: shown = .silent
            }
            // A statement that did not parse has no range of its own; its error's place stands for it.
            let place = range ?? failedAt ?? SourceRange(cursor, cursor)
            let prose = Report.comments(in: file, from: cursor, to: place.start)
            let location = "\(file.name):\(file.location(of: place.start).line)"
            sections.append(Section(prose: prose, query: range.map { file.text($0) } ?? "", location: location,
                                    output: shown))
            cursor = max(cursor, place.end)
        }
        self.sections += sections
        return ok
    }

    /// The offset after a `#!` line, whose text is no prose.
    static func afterShebang(_ file: SourceFile) -> Int {
        guard file.bytes.starts(with: Array("--".utf8)) || file.bytes.starts(with: Array("#!".utf8)),
              file.bytes.dropFirst(2).first == UInt8(ascii: "/") else { return 0 }
        return file.lineStarts.count > 1 ? file.lineStarts[1] : file.bytes.count
    }

    /// Where the comment lines at `start` end, if a blank line (not a bare `--`) follows them.
    static func openingBlock(in file: SourceFile, from start: Int) -> Int? {
        var sawComment = false
        for index in file.lineStarts.indices where file.lineStarts[index] >= start {
            let text = String(decoding: file.lineBytes(index), as: UTF8.self).drop { $0 == " " || $0 == "\t" }
            if text.hasPrefix("--") {
                sawComment = true
            } else {
                return text.isEmpty && sawComment ? file.lineStarts[index] : nil
            }
        }
        return nil
    }

    /// The text of the whole comment lines between two offsets, `--` and one space removed; a blank line
    /// (or a bare `--`) between them is kept as an empty string, which ends a paragraph.
    static func comments(in file: SourceFile, from start: Int, to end: Int) -> [String] {
        var out: [String] = []
        for index in file.lineStarts.indices where file.lineStarts[index] >= start && file.lineStarts[index] < end {
            let text = String(decoding: file.lineBytes(index), as: UTF8.self)
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("--") {
                let body = trimmed.dropFirst(2)
                out.append(String(body.first == " " ? body.dropFirst() : body))
            } else if trimmed.isEmpty, !out.isEmpty, out.last != "" {
                out.append("")
            }
        }
        while out.last == "" { out.removeLast() }
        return out
    }
}
