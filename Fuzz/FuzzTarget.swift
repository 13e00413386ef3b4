// libFuzzer entry point for EVQ: lexer, parser, resolver, planner, evaluator, every renderer,
// the completer, the CSV loaders and the data checker. Compiled into one module with Sources/EVQ
// by `make fuzz` (swiftc -sanitize=fuzzer; FUZZ_ASAN=1 adds address), so internal API is usable too.
//
// An input is read as:
//
//     SCRIPT [ NUL CSV ]
//
// SCRIPT runs as an EVQ script (keepGoing) and every result is rendered in every format
// (an SVG for `plot`), every diagnostic with its source excerpt. If a NUL follows, the bytes after
// it are a data file: loaded (facts or entities, by header) before the script runs, and what
// `load "…"` in the script reads; a data part that starts with 0xFF is first grown large (`amplified`:
// thousands of disagreeing rows, deep hierarchies, 200 KB fields). Data that loads goes through
// `evq check`'s Checker. The first byte also picks the render options, where the completer is asked
// to complete, and, on a fraction of inputs, whether SCRIPT itself is also loaded as each kind of CSV
// and diffed against its transcript, and whether the whole script is also made into a report page.
// Nothing is consumed by these choices: the Examples/*.evq seeds run as written.

/// The embedded dataset, loaded once; every input starts from a copy (copy-on-write).
nonisolated(unsafe) private var baseData: Dataset? = nil
/// Keeps the rendered text observable so the optimizer cannot drop the rendering.
nonisolated(unsafe) private var sink: Int = 0

private func embeddedData() -> Dataset {
    if let d = baseData { return d }
    let d: Dataset
    do { d = try Dataset.embedded() } catch { fatalError("embedded dataset does not load: \(error)") }
    baseData = d
    return d
}

private let csvHeaders: [[UInt8]] = ["entity,metric,", "id,kind,", "metric,aliases,", "date,entity,", "source,id,"].map { Array($0.utf8) }

private func consume(_ s: String) { sink &+= s.utf8.count }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = size > 0 && start != nil ? Array(UnsafeBufferPointer(start: start, count: size)) : []
    let mode = input.first ?? 0
    let nul = input.firstIndex(of: 0)
    let script = Array(input[..<(nul ?? input.endIndex)])
    // The byte after NUL, when it is 0xFF, asks for the data to be made large from the bytes that follow it.
    let csv: [UInt8]? = nul.map { Array(input[($0 + 1)...]) }.map(amplified)
    let data = embeddedData()

    // Data files: the part after NUL, and SCRIPT itself when it starts like one or on 1/8 of inputs.
    let scriptLooksLikeCSV = csvHeaders.contains { script.starts(with: $0) } || script.starts(with: [0xEF, 0xBB, 0xBF])
    if scriptLooksLikeCSV || mode & 7 == 7 {
        var d = data
        if (try? d.loadFacts(script, file: "fuzz-facts.csv")) != nil { check(d) }
        loadsTheSameInChunks(script, data: data, chunkSize: Int(mode % 29) + 1, threads: Int(mode >> 5) + 2)
        d = data
        if (try? d.loadEntities(script, file: "fuzz-entities.csv")) != nil { consume("\(d.catalog.entities.count)") }
        d = data
        if (try? d.loadMetrics(script, file: "fuzz-metrics.csv")) != nil { consume("\(d.catalog.metrics.count)") }
        d = data
        if (try? d.loadEvents(script, file: "fuzz-events.csv")) != nil { consume("\(d.events.count)") }
        d = data
        if (try? d.loadSources(script, file: "fuzz-sources.csv")) != nil { consume("\(d.catalog.sources.count)") }
    }

    let openFile: (String) throws -> any ByteSource = { _ in
        guard let csv else { throw FuzzError.noFile }
        return ByteArraySource(csv)
    }
    var session = Session(data: data, openFile: openFile)
    if let csv {
        do { try session.load(csv, name: "fuzz.csv"); check(session.data) } catch { consume("\(error)") }
        loadsTheSameInChunks(csv, data: data, chunkSize: Int(mode % 29) + 1, threads: Int(mode >> 5) + 2)
        // The loaders must also be safe on whatever kind of file this is.
        var d = data
        _ = try? d.loadEvents(csv, file: "fuzz-events.csv")
        d = data
        _ = try? d.loadSources(csv, file: "fuzz-sources.csv")
    }

    // Run the script; render each result every way the tool can.
    let width: Int? = mode & 0x10 == 0 ? nil : [0, 1, 8, 20, 40, 80, 200, 1000][Int(mode >> 5)]
    let maxRows: Int? = mode & 0x08 == 0 ? nil : Int(mode >> 5)
    let color = mode & 0x40 != 0
    let file = SourceFile(name: "fuzz.evq", bytes: ScriptRunner.strippingShebang(script))
    var transcript = ""
    session.run(file, keepGoing: true) { output, _ in
        switch output {
        case .table(let table):
            if case .plot = table.presentation { consume(SVGRenderer.render(table)) }
            for format in OutputFormat.allCases {
                let text = Renderer.render(table, options: RenderOptions(format: format, color: color, width: width, maxRows: maxRows))
                consume(text)
                if format == .table { transcript += text }
            }
        case .diagnostic(let d):
            let text = DiagnosticRenderer.render(d, in: file)
            consume(text)
            transcript += text
        case .silent:
            break
        }
    }

    // On half the inputs, the script as `evq report` makes it: comments as prose, one page of every answer.
    if mode & 0x04 != 0 {
        var report = Report(title: "fuzz")
        var again = Session(data: data, openFile: openFile)
        report.run(file, session: &again, keepGoing: true)
        report.articleLines = [report.citedArticleFiles.first ?? "": [String(decoding: script, as: UTF8.self)]]
        consume(HTMLRenderer.document(report))
    }

    // Tab completion, at a cursor the input picks and at the end, with the variables the script defined.
    let line = String(decoding: script, as: UTF8.self)
    let completer = Completer(catalog: session.data.catalog, variables: session.variables.keys.sorted(), years: [2024, 2025])
    let cursor = script.isEmpty ? 0 : (Int(script[script.count - 1]) &* 131 &+ script.count) % (script.count + 2) - 1
    for c in [cursor, script.count] {
        let r = completer.complete(line, cursor: c)
        sink &+= r.start &+ r.candidates.count
    }

    // `evq test`'s diff, on a fraction of inputs: the script against what it printed.
    if mode & 0x1F == 0x1F {
        consume(UnifiedDiff.diff(expected: line, actual: transcript, expectedName: "a", actualName: "b"))
    }
    return 0
}

private enum FuzzError: Error { case noFile }

/// Hostile data from a few bytes, past the 4 KB inputs libFuzzer makes: a data part that starts with 0xFF and a
/// control byte is grown by what that byte says — every row repeated with values counting up (disagreeing
/// figures, up to 2,016 per row), a chain of entities 20 to 83 levels deep (past the 64 a load allows), and a
/// field 200,000 bytes long. What follows the control byte is the file being grown.
private func amplified(_ csv: [UInt8]) -> [UInt8] {
    guard csv.count >= 2, csv[0] == 0xFF else { return csv }
    let control = csv[1]
    var file = Array(csv[2...])
    let text = String(decoding: file, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if control & 1 != 0, lines.count > 1 {
        let copies = Int(control >> 2) * 32
        var grown: [String] = [lines[0]]
        for line in lines.dropFirst() where !line.isEmpty {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            grown.append(line)
            guard fields.count > 3 else { continue }
            for i in 0..<copies {
                fields[3] = String(i)
                grown.append(fields.joined(separator: ","))
            }
        }
        lines = grown
    }
    if control & 2 != 0, lines.first?.hasPrefix("id,") == true {
        let depth = 20 + Int(control >> 2)
        for i in 0..<depth { lines.append("deep\(i),brand,Deep \(i),\(i == 0 ? "" : "deep\(i - 1)"),,") }
    }
    if control & 0x80 != 0, lines.count > 1 {
        lines.append(lines[1] + String(repeating: "x", count: 200_000))
    }
    file = Array(lines.joined(separator: "\n").utf8)
    return file
}

/// Differential: a facts file read in small chunks (records cut anywhere, quoted line breaks included),
/// each cut into pieces parsed on `threads` threads at once, must give the same rows, or the same error,
/// as the whole file read by one parser on one thread. A difference is a crash.
private func loadsTheSameInChunks(_ bytes: [UInt8], data: Dataset, chunkSize: Int, threads: Int) {
    func outcome(_ load: (inout Dataset) throws(DataError) -> Void) -> String {
        var d = data
        do throws(DataError) { try load(&d) } catch { return "error: \(error)" }
        return (0..<d.facts.count).map { r in
            "\(d.facts.entity[r]) \(d.facts.metric[r]) \(d.facts.period(r)) \(d.facts.lo[r]) \(d.facts.hi[r]) \(d.facts.bound[r]) "
                + "\(d.facts.effectiveBound[r]) \(d.facts.unitName(r)) \(d.facts.source[r]) \(d.facts.line[r]) \(d.facts.note(r)) \(d.facts.origin(r))"
        }.joined(separator: "\n")
    }
    guard Dataset.kind(ofHeader: bytes[...]) == .facts else { return }
    let whole = outcome { d throws(DataError) in try d.loadFacts(bytes, file: "f.csv", threads: 1) }
    for (size, threads) in [(chunkSize, threads), (bytes.count + 1, threads)] {
        let chunked = outcome { d throws(DataError) in
            var source = ByteArraySource(bytes)
            try d.loadFacts(from: &source, file: "f.csv", chunkSize: size, threads: threads, minimumSplit: 1)
        }
        if whole != chunked {
            fatalError("chunk size \(size), \(threads) threads load differently:\n\(whole)\n--- vs ---\n\(chunked)")
        }
    }
    consume(whole)
}

/// `evq check` on data that loaded: the consistency checker, and every finding described.
private func check(_ data: Dataset) {
    consume(String(describing: data.extent))
    let checker = Checker(data: data)
    for finding in checker.run() {
        consume(finding.message)
        for row in finding.facts { consume(checker.describe(row)) }
    }
}
