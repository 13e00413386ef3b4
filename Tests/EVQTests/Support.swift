import Foundation
import Testing
@testable import EVQ

/// Shared helpers: the embedded dataset (loaded once) and a one-call query runner.
enum Fixture {
    static let data: Dataset = {
        do { return try Dataset.embedded() } catch { fatalError("embedded data does not load: \(error)") }
    }()

    /// What `evq -c QUERY` would print (results and errors), without colour.
    static func run(_ query: String, data: Dataset = Fixture.data) -> String {
        ScriptRunner.transcript(of: SourceFile(name: "<test>", text: query), data: data)
    }

    /// The table a statement produces, if it produces one.
    static func table(_ query: String) -> ResultTable? {
        var session = Session(data: data)
        var result: ResultTable?
        session.run(SourceFile(name: "t", text: query)) { output, _ in if case .table(let t) = output { result = t } }
        return result
    }

    /// The single figure a one-cell query resolves to.
    static func value(_ metric: String, _ entity: String, _ period: Period) -> [Quantity] {
        guard let m = data.catalog.metric(named: metric), let e = data.catalog.entity(id: entity) else { return [] }
        return PeriodValue(data: data, metric: m).value(entity: e, period: period)
    }

    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a bash command line and returns its status and output.
    static func shell(_ command: String) throws -> (status: Int32, out: String, err: String) {
        try run(URL(fileURLWithPath: "/bin/bash"), ["-c", command], stdin: nil)
    }

    /// Runs the built `evq` binary and returns its exit status and output.
    static func evq(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        try run(root.appendingPathComponent(".build/debug/evq"), arguments, stdin: stdin)
    }

    static func run(_ binary: URL, _ arguments: [String], stdin: String?) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// SplitMix64, the tests' one seeded generator: every run draws the same cases, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range` by modulo (the bias is negligible for ranges this small), independent of the
    /// standard library's sampling so the cases do not change with the toolchain.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
