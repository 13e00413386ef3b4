import ArgumentParser
import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// `evq report SCRIPT… -o FILE`: runs scripts into one self-contained HTML page in which every figure cites
/// the article line it rests on.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run scripts into one HTML page, every figure linked to the article line it rests on.",
        discussion: """
            Each statement becomes a section: the comment lines above it as prose, the statement, its table, a chart \
            where it compares entities or follows a trend, its notes and sources. The page ends with the articles \
            cited, the facts each line supports, and the data files it was built from with their SHA-256 checksums. \
            It fetches nothing (no scripts, fonts or images). 'plot … to FILE' is drawn in the page, not written. \
            The date is today's, or SOURCE_DATE_EPOCH's when set.

            Examples:
              evq report race.evq -o race.html
              evq report race.evq --articles ../shared/seeds -o race.html
            """
    )

    @Argument(help: ArgumentHelp("Scripts to run, in order, into one page; '-' reads standard input.",
                                 valueName: "script"))
    var scripts: [String]

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Write the page to FILE (default: standard output).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The folder holding the article files (as sources.csv names them): "
                               + "each cited line is quoted from it.",
                               valueName: "dir"))
    var articles: String?

    @Option(name: .customLong("data"),
            help: ArgumentHelp("Load a facts, entities or metrics file before running (repeatable).",
                               valueName: "file"))
    var dataFiles: [String] = []

    @Option(help: "The page's heading (default: the script's name).")
    var title: String?

    @Flag(help: "Go on after a statement fails and show the error in the page (the exit status still reports it).")
    var keepGoing = false

    @Flag(help: "Allow no 'load' in the scripts.")
    var safe = false

    @OptionGroup var threading: ThreadsOption

    mutating func run() throws {
        var maker = ReportMaker(keepGoing: keepGoing, safe: safe, articles: articles)
        guard var session = maker.session(loading: dataFiles, threads: threading.threads) else { throw ExitCode(1) }
        var ok = true
        for path in scripts where ok || keepGoing {
            let file: SourceFile
            do { file = try SystemIO.script(path: path) } catch {
                SystemIO.err("evq report: cannot read \(error.message)\n")
                throw ExitCode(1)
            }
            ok = maker.run(file, session: &session) && ok
        }
        maker.report.title = title ?? ReportMaker.defaultTitle(scripts)
        guard ok || keepGoing else {
            SystemIO.err("evq report: no page written; fix the statement above, "
                         + "or use --keep-going to show errors in the page\n")
            throw ExitCode(1)
        }
        guard maker.write(to: output) else { throw ExitCode(1) }
        if !ok { throw ExitCode(1) }
    }
}

/// Runs sources into one `Report` for `evq report` and `--format html`: the session reads files through a
/// checksum, the errors also go to standard error, and the page gets the date and the quoted article lines.
struct ReportMaker {
    var keepGoing: Bool
    var safe: Bool
    /// The folder of article files to quote, if any.
    var articles: String?
    var report = Report(title: "")
    /// Each file's size and checksum, taken as the loader reads it.
    private let digests = Digests()

    init(keepGoing: Bool, safe: Bool, articles: String? = nil) {
        self.keepGoing = keepGoing
        self.safe = safe
        self.articles = articles
    }

    /// A session over the embedded data with `files` loaded, on `threads` threads (nil: one per CPU); nil (the
    /// error printed) when a file fails.
    func session(loading files: [String], threads: Int? = nil) -> Session? {
        guard var session = Invocation.embeddedSession() else { return nil }
        let digests = digests
        let open = { (path: String) throws -> any ByteSource in
            DigestingSource(inner: try SystemIO.open(path: path), name: path, digests: digests)
        }
        if !safe { session.openFile = open }
        if let threads { session.threads = threads }
        return Invocation.load(files, into: &session, open: open) ? session : nil
    }

    /// Runs one source into the page; errors are also printed as the terminal shows them.
    mutating func run(_ file: SourceFile, session: inout Session) -> Bool {
        let before = report.sections.count
        let ok = report.run(file, session: &session, keepGoing: keepGoing, shouldStop: { Interrupt.requested })
        for section in report.sections[before...] {
            if case .error(let text) = section.output { SystemIO.err(text) }
        }
        report.inputs = Report.embeddedInputs + session.loadedFiles.compactMap { name in
            digests.byName[name].map { Report.Input(name: name, bytes: $0.bytes, sha256: $0.sha256, embedded: false) }
        }
        return ok
    }

    /// Dates the page, quotes the cited lines, renders and writes it (to standard output for nil or `-`).
    mutating func write(to path: String?) -> Bool {
        report.date = Self.today()
        if let articles { report.articleLines = Self.articleLines(report.citedArticleFiles, in: articles) }
        let html = HTMLRenderer.document(report)
        guard let path, path != "-" else {
            SystemIO.out(html)
            return true
        }
        do throws(IOError) {
            try SystemIO.writeFile(path, html)
        } catch {
            SystemIO.err("evq report: cannot write \(error.message)\n")
            return false
        }
        let figures = report.citedFacts.count
        SystemIO.err("wrote \(path): \(report.sections.count) statements, "
                     + "\(figures) fact\(figures == 1 ? "" : "s") cited\n")
        return true
    }

    /// `race` for `race.evq`; the names joined for several; `EVQ report` for standard input alone.
    static func defaultTitle(_ scripts: [String]) -> String {
        let names = scripts.filter { $0 != "-" }.map { path -> String in
            let base = path.split(separator: "/").last.map(String.init) ?? path
            return base.hasSuffix(".evq") ? String(base.dropLast(4)) : base
        }
        return names.isEmpty ? "EVQ report" : names.joined(separator: ", ")
    }

    /// Each article file's lines, read now from `folder`; a missing file is named and its lines left unquoted.
    static func articleLines(_ files: [String], in folder: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for file in files {
            do {
                let bytes = try SystemIO.read(path: folder + "/" + file)
                out[file] = String(decoding: bytes, as: UTF8.self)
                    .split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            } catch {
                SystemIO.err("evq report: cannot read \(error.message); its lines are not quoted\n")
            }
        }
        return out
    }

    /// `2026-12-04` in UTC, from SOURCE_DATE_EPOCH when set (reproducible builds' convention), else the clock.
    static func today() -> String {
        var seconds = time(nil)
        if let epoch = SystemIO.environment("SOURCE_DATE_EPOCH").flatMap({ Int($0) }) { seconds = time_t(epoch) }
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}

/// Sizes and SHA-256 checksums of the files read, by name; shared by the sources that fill it.
final class Digests {
    var byName: [String: (bytes: Int, sha256: String)] = [:]
}

/// A file read for loading that hashes its bytes on the way; at the end of the file it records the checksum.
struct DigestingSource: ByteSource {
    var inner: any ByteSource
    let name: String
    let digests: Digests
    private var hash = SHA256()

    init(inner: any ByteSource, name: String, digests: Digests) {
        self.inner = inner
        self.name = name
        self.digests = digests
    }

    var size: Int? { inner.size }

    mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let n = try inner.read(into: buffer)
        if n > 0 {
            hash.update(UnsafeBufferPointer(rebasing: buffer[..<n]))
        } else {
            digests.byName[name] = (hash.count, hash.hexDigest)
        }
        return n
    }
}
