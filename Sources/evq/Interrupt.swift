#if canImport(Glibc)
import Glibc
#endif
import CEditLine

/// Ctrl-C as a request rather than a kill: once installed, SIGINT only sets a
/// flag that the evaluator polls between steps.
///
/// The flag is a C `volatile sig_atomic_t` in CEditLine: a signal handler may
/// touch nothing else safely, and Swift 6 forbids mutable globals anyway.
enum Interrupt {
    /// Replaces the default SIGINT action (terminate) with setting the flag.
    /// Safe to call more than once. While `LineEditor.readLine` waits for
    /// input, Ctrl-C instead abandons the line being typed.
    static func install() {
        // A parent may have started us with SIGINT blocked (threads of test runners do); Ctrl-C must still arrive.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        _ = evq_interrupt_install()
    }

    /// Whether Ctrl-C was pressed since the last `clear()`.
    static var requested: Bool {
        evq_interrupt_requested() != 0
    }

    /// Forgets a pending Ctrl-C, e.g. before evaluating the next input.
    static func clear() {
        evq_interrupt_clear()
    }
}
