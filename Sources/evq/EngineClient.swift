import EVQ

/// A client process an engine is reached through (`evq-postgres`, Spark's Python helper), started on the first
/// request and fed requests on a pipe:
///
///     VERB N\n<N bytes>   →   ok N\n<N bytes>   or   error KIND N\n<N bytes of message>
///
/// Every wait ends at the deadline or on Ctrl-C, which kill the client (`ChildProcess`).
final class EngineClient {
    /// The command line and the environment the client starts with (what only it should see: a URL, a password).
    let arguments: [String]
    let environment: [String: String]
    /// Seconds a request may take.
    let timeout: Double
    private var process: ChildProcess?

    /// What the client answered.
    enum Answer {
        case ok([UInt8])
        case error(kind: String, message: String)
    }

    init(_ arguments: [String], environment: [String: String] = [:], timeout: Double) {
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
    }

    /// One request and its answer. A client that fails to answer is dropped; the next request starts another.
    func send(_ verb: String, _ body: [UInt8]) throws(ChildProcess.Failure) -> Answer {
        let client = try started()
        do throws(ChildProcess.Failure) {
            // A client that has ended cannot be written to; reading then finds it ended and says what it printed.
            _ = client.write(String(decoding: Array("\(verb) \(body.count)\n".utf8) + body, as: UTF8.self))
            let head = try client.readLine(timeout: timeout).split(separator: " ").map(String.init)
            guard let count = head.last.flatMap({ Int($0) }), count >= 0 else { throw .exited("a garbled answer") }
            let answer = try client.read(count: count, timeout: timeout)
            if head.first == "ok" { return .ok(answer) }
            return .error(kind: head.count == 3 ? head[1] : "failed", message: String(decoding: answer, as: UTF8.self))
        } catch {
            process = nil
            throw error
        }
    }

    /// One request's answer, or the engine's error: `failed` says how the client itself failed, `refused` what the
    /// engine answered (its kind, its message).
    func answer(_ verb: String, _ body: [UInt8], failed: (ChildProcess.Failure) -> EngineError,
                refused: (String, String) -> EngineError) throws(EngineError) -> [UInt8] {
        let answer: Answer
        do throws(ChildProcess.Failure) { answer = try send(verb, body) } catch { throw failed(error) }
        switch answer {
        case .ok(let bytes): return bytes
        case .error(let kind, let message): throw refused(kind, message)
        }
    }

    /// The client, started when there is none.
    private func started() throws(ChildProcess.Failure) -> ChildProcess {
        if let process { return process }
        let started = try ChildProcess(arguments, environment: environment)
        process = started
        return started
    }

    /// The timeout for engines: `$EVQ_ENGINE_TIMEOUT` seconds, default 60.
    static var engineTimeout: Double {
        SystemIO.environment("EVQ_ENGINE_TIMEOUT").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 60
    }
}
