import EVQ
#if canImport(Glibc)
import Glibc
#endif

/// Long answers in the REPL go through a pager, as DuckDB's shell does: `$PAGER` when set, else `less -FRSX`
/// (quit at the end of one screen, colours kept, long lines scrolled sideways rather than folded, the screen left
/// as it was). `.pager on|off|auto` chooses; auto pages what is taller than the terminal.
enum Pager {
    enum Mode: String, CaseIterable { case auto, on, off }

    /// Shows `text`, through the pager when `mode` asks for it; prints it directly when the pager cannot start.
    static func show(_ text: String, mode: Mode) {
        let height = Terminal.height()
        let lines = text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        guard mode == .on || (mode == .auto && lines >= height - 1), SystemIO.isTerminal(1), page(text) else {
            SystemIO.out(text)
            return
        }
    }

    /// Runs the pager with `text` on its standard input and waits for it; false when it could not be started.
    static func page(_ text: String) -> Bool {
        let configured = SystemIO.setting("PAGER")
        let command = configured ?? "less -FRSX"
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (arg: String) in strdup(arg) }
            + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return false
        }
        // The pager may quit before reading everything (q): a closed pipe then ends the writing, not evq.
        let bytes = Array(Sanitizer.terminal(text).utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
        close(fds[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return true
    }
}
