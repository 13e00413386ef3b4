import Foundation
import Testing
@testable import EVQ

/// The real REPL on a pseudo-terminal (tmux): type, press Tab, Up, Ctrl-C, Ctrl-D, and read the screen.
@Suite(.serialized) struct REPLTests {
    /// A tmux server of this test's own: a server another test has just killed can take a new session with it.
    let socket = "evq-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("evq-repl-\(UUID().uuidString)")

    /// Runs tmux with posix_spawn and waitpid: Foundation's Process can miss the exit of a client whose server
    /// daemonised. Only capture-pane's output is read; other calls write to /dev/null.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let argv = ["tmux", "-L", socket] + args
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if args.first == "capture-pane" {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Neither pipe end may stay open in the child: a daemonising tmux server would keep it forever.
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        // Test threads block signals; the REPL must get Ctrl-C as it would under a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, cArgs, environ)
        close(fds[1])
        guard spawned == 0 else { close(fds[0]); throw POSIXError(.ENOENT) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "t"]) }

    /// Waits until the screen shows `text` (the REPL answers asynchronously).
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var shown = ""
        while Date() < deadline {
            shown = try screen()
            if shown.contains(text) { return shown }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return shown
    }

    func start(_ arguments: String = "", environment: String = "", columns: Int = 100) throws {
        let evq = Fixture.root.appendingPathComponent(".build/debug/evq").path
        try tmux(["new-session", "-d", "-s", "t", "-x", "\(columns)", "-y", "40",
                  "env XDG_STATE_HOME=\(state.path) \(environment) \(evq) \(arguments); echo EXIT=$?; sleep 10"])
    }

    /// Ctrl-C stops a statement that waits (a load from a FIFO no one writes to) and the session goes on.
    @Test func ctrlCStopsAStatementThatWaits() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let fifo = state.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try start()
        #expect(try waitFor("evq> ").contains("Type .help"))
        try tmux(["send-keys", "-t", "t", "let a = 5", "Enter"])
        try tmux(["send-keys", "-t", "t", "load \"\(fifo)\"", "Enter"])
        Thread.sleep(forTimeInterval: 0.7)
        try tmux(["send-keys", "-t", "t", "C-c"])
        #expect(try waitFor("error: interrupted").contains("Ctrl-C stopped the statement"))
        Thread.sleep(forTimeInterval: 0.3)
        try tmux(["send-keys", "-t", "t", "print a * 7", "Enter"])
        #expect(try waitFor("│    35 │").contains("a * 7"))
    }

    /// `.why` explains the last answer, not a statement that failed after it.
    @Test func whyExplainsTheLastAnswer() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        try start()
        #expect(try waitFor("evq> ").contains("Type .help"))
        try tmux(["send-keys", "-t", "t", "compare xiaomi hima in 2025-04", "Enter"])
        #expect(try waitFor("│ 2025-04 │").contains("xiaomi"))
        try tmux(["send-keys", "-t", "t", "show delivries of xiaomi", "Enter"])
        #expect(try waitFor("unknown metric").contains("did you mean 'deliveries'"))
        try tmux(["send-keys", "-t", "t", ".why", "Enter"])
        // The provenance table of the compare: its figures and the facts under them.
        let screen = try waitFor("│ figure")
        #expect(screen.contains("│ figure") && screen.contains("← xiaomi deliveries"), "\(screen)")
    }

    /// An answer taller than the screen goes through the pager; `.last` shows the last answer again in full.
    @Test func longAnswersArePaged() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        let evq = Fixture.root.appendingPathComponent(".build/debug/evq").path
        try tmux(["new-session", "-d", "-s", "t", "-x", "80", "-y", "24",
                  "env XDG_STATE_HOME=\(state.path) PAGER='less -FRSX' \(evq); echo EXIT=$?; sleep 10"])
        #expect(try waitFor("evq> ").contains("Type .help"))
        try tmux(["send-keys", "-t", "t", "list entities", "Enter"])
        // less waits at its prompt with the first screen shown.
        #expect(try waitFor("\n:").contains("│ id"))
        try tmux(["send-keys", "-t", "t", "q"])
        // (tmux drops the prompt's trailing space.)
        #expect(try waitFor("\nevq>").contains("13 Pro"))
        try tmux(["send-keys", "-t", "t", ".maxrows 2", "Enter", "list entities", "Enter"])
        #expect(try waitFor("more rows").contains("… 29 more rows"))
        try tmux(["send-keys", "-t", "t", ".pager off", "Enter", ".last", "Enter"])
        // Without the pager, all 31 rows are printed and the prompt comes back at the bottom.
        let screen = try waitFor("┘\nevq>")
        #expect(screen.contains("┘\nevq>") && !screen.hasSuffix("more rows (--max-rows, .maxrows)\nevq>"), "\(screen)")
        try tmux(["send-keys", "-t", "t", ".quit", "Enter"])
        #expect(try waitFor("EXIT=").contains("EXIT=0"))
    }

    /// At 80 and 200 columns, a wide answer with Chinese names fits the terminal: text wraps inside its columns,
    /// every box line is as wide as the others, and no line runs past the edge.
    @Test func wideAnswersFitTheTerminal() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        let evq = Fixture.root.appendingPathComponent(".build/debug/evq").path
        // One terminal after the other, on the suite's one tmux server.
        for columns in [80, 200] {
            try tmux(["new-session", "-d", "-s", "t", "-x", "\(columns)", "-y", "200",
                      "env XDG_STATE_HOME=\(state.path) \(evq) --no-editline -c 'list entities'; sleep 10"])
            let screen = try waitFor("小米集团")
            let box = screen.split(separator: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }
            #expect(box.count > 31, "\(screen.prefix(400))")
            let widths = Set(box.map { DisplayWidth.of(String($0)) })
            #expect(widths.count == 1 && (widths.first ?? 0) <= columns, "\(columns): \(widths)")
            #expect(screen.contains("鸿蒙智行"))
            try tmux(["kill-server"])
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    /// `--safe` leaves ~/.editrc unread: a key bound there does nothing.
    @Test func safeIgnoresEditrc() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try "bind -s ^X \"print 5\"\n"
            .write(to: state.appendingPathComponent(".editrc"), atomically: true, encoding: .utf8)
        for (arguments, runs) in [("", true), ("--safe", false)] {
            try start(arguments, environment: "HOME=\(state.path)")
            #expect(try waitFor("evq> ").contains("Type .help"))
            try tmux(["send-keys", "-t", "t", "C-x", "Enter"])
            Thread.sleep(forTimeInterval: 1)
            #expect(try screen().contains("│ 5          │     5 │") == runs, "\(arguments)")
            try tmux(["kill-server"])
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    /// A line wider than the terminal, in Chinese, survives a resize while it is typed (the editor redraws it
    /// where it stands, from its own count of the rows the line takes), and Tab lists candidates below a
    /// wrapped line without overwriting it.
    @Test func wrappedLinesAtTheKeyboard() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        try start(columns: 40)
        #expect(try waitFor("evq> ").contains("Type .help"))
        let comment = "小米汽车与华为鸿蒙智行，二〇二五年的交付量"
        try tmux(["send-keys", "-t", "t", "-l", "print 41 + 1 -- \(comment)"])
        #expect(try waitFor("交付量").contains("evq> print 41 + 1 -- 小米"))
        try tmux(["resize-window", "-t", "t", "-x", "60"])
        Thread.sleep(forTimeInterval: 0.5)
        try tmux(["send-keys", "-t", "t", "-l", "，问界"])
        let resized = try waitFor("问界")
        // Drawn once, in place: the banner above is intact and no copy of the line is left behind.
        #expect(resized.contains("Type .help"), "\(resized)")
        #expect(resized.components(separatedBy: "evq> print 41").count == 2, "\(resized)")
        try tmux(["send-keys", "-t", "t", "Enter"])
        #expect(try waitFor("│    42 │").contains("│    42 │"))
        try tmux(["send-keys", "-t", "t", "Up"])
        Thread.sleep(forTimeInterval: 0.5)
        let recalled = try screen().split(separator: "\n")
        #expect(recalled.filter { $0.hasPrefix("evq> print 41 + 1 -- 小米") }.count == 2, "\(recalled)")
        #expect(recalled.filter { $0.hasSuffix("付量，问界") }.count == 2, "\(recalled)")

        // The listing goes below a line that wraps, and the line is drawn again, whole, under it.
        try tmux(["send-keys", "-t", "t", "C-u"])
        try tmux(["send-keys", "-t", "t", "-l", "top 3 " + String(repeating: " ", count: 60) + "m"])
        try tmux(["send-keys", "-t", "t", "Tab"])
        let listed = try waitFor("markets")
        #expect(listed.contains("makers") && listed.contains("models"), "\(listed)")
        try tmux(["send-keys", "-t", "t", "-l", "odels by deliveries in 2025-10"])
        try tmux(["send-keys", "-t", "t", "Enter"])
        let answered = try waitFor("│    1 │ yu7")
        #expect(answered.contains("makers") && answered.contains("│    1 │ yu7"), "\(answered)")
    }

    @Test func aSessionAtTheKeyboard() throws {
        defer { _ = try? tmux(["kill-server"]); try? FileManager.default.removeItem(at: state) }
        try start()
        #expect(try waitFor("evq> ").contains("Type .help"))

        // A partial entity and Tab completes in place.
        try tmux(["send-keys", "-t", "t", "compare xiaomi hi", "Tab"])
        #expect(try waitFor("compare xiaomi hima").contains("compare xiaomi hima"))
        try tmux(["send-keys", "-t", "t", "in 2025-04", "Enter"])
        #expect(try waitFor("│ 2025-04 │ 28,585 │ 27,555 │").contains("xiaomi │"))

        // Several candidates are listed.
        try tmux(["send-keys", "-t", "t", "top 3 m", "Tab"])
        let listed = try waitFor("markets")
        #expect(listed.contains("makers") && listed.contains("models"))

        // Ctrl-C on a half-typed line clears it and stays.
        try tmux(["send-keys", "-t", "t", "C-c"])
        // libedit drops keys that arrive in the same burst as Ctrl-C, as a terminal user never types that fast.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try screen().contains("top 3 m^C"))
        try tmux(["send-keys", "-t", "t", "print (1 +", "Enter"])
        #expect(try waitFor("...>").contains("...>"))
        try tmux(["send-keys", "-t", "t", "2) * 3", "Enter"])
        #expect(try waitFor("│     9 │").contains("(1 + 2) * 3"))

        // Up recalls the last statement.
        try tmux(["send-keys", "-t", "t", "Up"])
        #expect(try waitFor("evq> print (1 + 2) * 3").contains("evq> print (1 + 2) * 3"))
        try tmux(["send-keys", "-t", "t", "C-u", ".quit", "Enter"])
        #expect(try waitFor("EXIT=").contains("EXIT=0"))

        // History survives a restart, in a file only the user can read.
        let history = state.appendingPathComponent("evq/history")
        let attributes = try FileManager.default.attributesOfItem(atPath: history.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try tmux(["kill-server"])
        Thread.sleep(forTimeInterval: 0.5)
        try start()
        #expect(try waitFor("Type .help").contains("Type .help"))
        try tmux(["send-keys", "-t", "t", "Up", "Up"])
        #expect(try waitFor("evq> print (1 + 2) * 3").contains("evq> print (1 + 2) * 3"))

        // Ctrl-D on an empty line exits with status 0.
        try tmux(["send-keys", "-t", "t", "C-u", "C-d"])
        #expect(try waitFor("EXIT=").contains("EXIT=0"))
    }
}
