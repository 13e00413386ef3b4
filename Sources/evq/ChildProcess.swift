import EVQ
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Another program, run with pipes to its standard input, output and error, never evq's own terminal. Every wait
/// ends at a deadline or on Ctrl-C, and the program is then killed: an engine that hangs never hangs evq.
final class ChildProcess {
    /// Why a wait ended without an answer.
    enum Failure: Error, Equatable {
        /// It could not be started (the reason from `posix_spawnp`).
        case notStarted(String)
        case timedOut
        case interrupted
        /// It ended; what it wrote to standard error.
        case exited(String)
    }

    private let pid: pid_t
    private var input: Int32
    private let output: Int32
    private let errors: Int32
    /// Output read past the last line handed back.
    private var buffered: [UInt8] = []
    private var errorText: [UInt8] = []
    private var running = true

    /// Starts `arguments[0]` (found on the PATH) in a process group of its own, so that Ctrl-C at evq's terminal
    /// reaches evq, which decides, and not the program.
    init(_ arguments: [String], environment extra: [String: String] = [:]) throws(Failure) {
        ChildProcess.reapKilled()
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var fds: [Int32] = [0, 0]
            // Close-on-exec, so that no other program evq starts (a pager) holds the engine's pipes open.
            guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
                pipes.flatMap { $0 }.forEach { close($0) }
                throw .notStarted(SystemIO.reason())
            }
            pipes.append(fds)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Its environment is evq's, with `extra` set: what only it should see (a password) is not put in evq's own.
        var inherited: [UnsafeMutablePointer<CChar>?] = []
        var k = 0
        while let entry = environ[k] {
            let name = String(cString: entry).prefix { $0 != "=" }
            if extra[String(name)] == nil { inherited.append(entry) }
            k += 1
        }
        let added: [UnsafeMutablePointer<CChar>?] = extra.map { strdup("\($0.key)=\($0.value)") }
        defer { added.forEach { free($0) } }
        let envp = inherited + added + [nil]
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        close(pipes[0][0]); close(pipes[1][1]); close(pipes[2][1])
        guard spawned == 0 else {
            close(pipes[0][1]); close(pipes[1][0]); close(pipes[2][0])
            throw .notStarted(String(cString: strerror(spawned)))
        }
        self.pid = pid
        self.input = pipes[0][1]
        self.output = pipes[1][0]
        self.errors = pipes[2][0]
    }

    deinit {
        stop()
        close(output)
        close(errors)
    }

    /// Writes to the program's standard input; false when it has stopped reading.
    func write(_ text: String) -> Bool {
        input >= 0 && SystemIO.writeAll(Array(text.utf8), to: input) == 0
    }

    /// Closes the program's standard input: the end of its script.
    func endInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Reads the program's output until a line equal to `marker`, within `timeout` seconds; returns what came
    /// before that line.
    @discardableResult
    func readUntil(line marker: String, timeout: Double) throws(Failure) -> [UInt8] {
        let wanted = Array(("\n" + marker + "\n").utf8)
        var before: [UInt8] = [], searched = 0
        try waitFor(timeout: timeout) {
            // Only what came since the last look is searched (a megabyte of rows arrives in many reads).
            let from = max(0, searched - wanted.count)
            searched = buffered.count
            let found = from == 0 && buffered.starts(with: wanted.dropFirst()) ? -1
                : ChildProcess.firstIndex(of: wanted, in: buffered, from: from)
            guard let found else { return false }
            before = Array(buffered[..<max(0, found + 1)])
            buffered.removeSubrange(..<(found + wanted.count))
            return true
        }
        return before
    }

    /// Where `needle` (starting with a line feed) first occurs in `bytes` at or after `from`: line feeds found by
    /// `memchr`, a generic search costing more than the rest of reading a megabyte of rows.
    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { all -> Int? in
            guard let base = all.baseAddress, let first = needle.first else { return nil }
            var i = from
            while i + needle.count <= all.count {
                guard let hit = memchr(base + i, Int32(first), all.count - i) else { return nil }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard at + needle.count <= all.count else { return nil }
                if memcmp(base + at, needle, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// Reads one line of the program's output (without its line feed), within `timeout` seconds.
    func readLine(timeout: Double) throws(Failure) -> String {
        var line: [UInt8] = []
        try waitFor(timeout: timeout) {
            guard let end = buffered.firstIndex(of: UInt8(ascii: "\n")) else { return false }
            line = Array(buffered[..<end])
            buffered.removeSubrange(...end)
            return true
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads `count` bytes of the program's output, within `timeout` seconds.
    func read(count: Int, timeout: Double) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        try waitFor(timeout: timeout) {
            guard buffered.count >= count else { return false }
            bytes = Array(buffered[..<count])
            buffered.removeSubrange(..<count)
            return true
        }
        return bytes
    }

    /// Waits for the program to end, within `timeout` seconds; throws unless it ends with status 0.
    func finish(timeout: Double) throws(Failure) {
        endInput()
        var status: Int32 = 0
        try waitFor(timeout: timeout) { false }
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        running = false
        if status != 0 { throw .exited(errorMessage) }
    }

    /// What the program wrote to standard error.
    var errorMessage: String { String(decoding: errorText, as: UTF8.self) }

    /// Reads both pipes until `done` says so or both end (the program exited: `.exited`, unless `finish` waits for
    /// that), at most `timeout` seconds, polling Ctrl-C.
    private func waitFor(timeout: Double, _ done: () -> Bool) throws(Failure) {
        let deadline = ChildProcess.now() + timeout
        var open = (output: true, errors: true)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !done() {
            if !open.output && !open.errors {
                // Both pipes are closed: the program has ended; `finish` reaps it.
                if wantsEnd { return }
                stop()
                throw .exited(errorMessage)
            }
            if Interrupt.requested { stop(); throw .interrupted }
            let left = deadline - ChildProcess.now()
            if left <= 0 { stop(); throw .timedOut }
            var fds = [pollfd(fd: open.output ? output : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: open.errors ? errors : -1, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32(min(100, left * 1000 + 1)))
            if ready < 0 && errno != EINTR { stop(); throw .exited(SystemIO.reason()) }
            for (k, fd) in [output, errors].enumerated() where fds[k].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if k == 0 { buffered += chunk[..<n] } else if errorText.count < 1 << 16 { errorText += chunk[..<n] }
                } else if n == 0 || errno != EINTR {
                    if k == 0 { open.output = false } else { open.errors = false }
                }
            }
        }
    }

    /// Set by `finish`: the end of standard output is what is awaited, not a failure.
    private var wantsEnd: Bool { input < 0 }

    /// Kills the program. It is reaped now if it has ended, else when the next program starts (`reapKilled`):
    /// waiting for an engine to unmap its database took 3 ms of every one-shot query.
    private func stop() {
        endInput()
        guard running else { return }
        kill(pid, SIGKILL)
        running = false
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { ChildProcess.killed.withLock { $0.append(pid) } }
    }

    /// Programs killed and not yet reaped.
    private static let killed = Mutex<[pid_t]>([])

    /// Reaps the programs killed that have ended since.
    private static func reapKilled() {
        killed.withLock { pids in
            var status: Int32 = 0
            pids.removeAll { waitpid($0, &status, WNOHANG) != 0 }
        }
    }

    private static func now() -> Double {
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        return Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9
    }

    /// Runs `body` with a new private folder for its files (`$TMPDIR/evq-NAME-XXXXXX`), removed afterwards whatever
    /// happened.
    static func inTemporaryFolder<T>(_ name: String, _ body: (String) throws(EngineError) -> T) throws(EngineError) -> T {
        guard let folder = temporaryFolder(name) else {
            throw EngineError("cannot make a temporary folder: \(SystemIO.reason())", help: "set TMPDIR to a writable folder")
        }
        defer { remove(folder: folder) }
        return try body(folder)
    }

    /// A new private folder for a run's files (`$TMPDIR/evq-NAME-XXXXXX`), or nil.
    static func temporaryFolder(_ name: String) -> String? {
        let base = SystemIO.setting("TMPDIR") ?? "/tmp"
        var template = Array("\(base)/evq-\(name)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { return nil }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a folder made by `temporaryFolder` and the files in it.
    static func remove(folder: String) {
        if let names = try? SystemIO.list(directory: folder) {
            for name in names { unlink(folder + "/" + name) }
        }
        rmdir(folder)
    }
}
