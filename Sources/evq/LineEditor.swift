#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CEditLine

/// What one read from the terminal produced.
enum LineRead: Equatable, Sendable {
    /// A line entered with Return, without its newline (possibly empty).
    case line(String)
    /// Ctrl-D on an empty line, or the terminal went away: the session ends.
    case endOfFile
    /// Ctrl-C while typing: the half-typed line was abandoned and the cursor
    /// is on a fresh row. The caller prompts again.
    case interrupted
}

/// What the completion provider answers for a line and a cursor.
struct Completion: Equatable, Sendable {
    /// UTF-8 byte offset in the line where the word being completed starts;
    /// the text from here to the cursor is what a candidate replaces.
    var replaceFrom: Int
    /// Whole words that could stand in for that text, best first.
    var candidates: [String]

    /// A completion replacing the line from `replaceFrom` to the cursor.
    init(replaceFrom: Int, candidates: [String]) {
        self.replaceFrom = replaceFrom
        self.candidates = candidates
    }
}

/// Interactive line input on a terminal, through libedit: emacs keys, history
/// (Up/Down, Ctrl-R) kept in a file, and Tab completion.
///
/// Used only when both stdin and stdout are terminals; scripts and pipes read
/// standard input directly.
final class LineEditor {
    /// Entries kept in memory and, approximately, in the history file.
    static let historyLimit = 10_000

    /// The C editor; owned, destroyed in `deinit`.
    private let editor: OpaquePointer
    /// Where `addHistory` appends; nil when not persisting (no file given, or
    /// the file failed once and the user was warned).
    private var historyPath: String?
    /// Set after the one history warning a session may print.
    private var warnedAboutHistory = false

    /// Answers Tab: given the line and the cursor (a UTF-8 byte offset), the
    /// start of the word to replace and its candidates. Nil: Tab just beeps.
    var completionProvider: ((String, Int) -> Completion)?

    /// Opens the editor on the terminal, or returns nil when stdin or stdout
    /// is not a terminal (or libedit cannot start).
    ///
    /// - Parameters:
    ///   - historyFile: The history file to load and append to, or nil to
    ///     keep none. Problems with the file give one warning on stderr;
    ///     editing goes on without persistence.
    ///   - readEditrc: Whether libedit reads the user's ~/.editrc (not under
    ///     `--safe`, which touches no file of the user's).
    ///
    /// Also installs the SIGINT handler (`Interrupt.install()`), without which
    /// Ctrl-C at the prompt would end the process.
    init?(historyFile: String?, readEditrc: Bool = true) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1,
              let editor = evq_editor_create("evq", readEditrc ? 1 : 0)
        else { return nil }
        self.editor = editor
        if evq_editor_is_utf8() == 0 {
            Self.warn("no UTF-8 locale (C.UTF-8) is installed; only ASCII can be typed")
        }
        _ = evq_history_set_size(editor, Int32(Self.historyLimit))
        Interrupt.install()
        installCompleter()
        if let historyFile {
            openHistory(at: historyFile)
        }
    }

    deinit {
        evq_editor_destroy(editor)
    }

    /// Shows `prompt` and lets the user edit one line.
    ///
    /// `Interrupt.requested` is cleared on entry (a Ctrl-C left over from
    /// evaluation means nothing at the prompt) and after Ctrl-C abandons a
    /// line (so it does not cancel the next evaluation).
    func readLine(prompt: String) -> LineRead {
        _ = evq_editor_set_prompt(editor, prompt)
        Interrupt.clear()
        var text: UnsafePointer<CChar>?
        var length: Int32 = 0
        switch evq_editor_read(editor, &text, &length) {
        case EVQ_READ_LINE:
            guard let text else { return .line("") }
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            return .line(String(decoding: bytes, as: UTF8.self))
        case EVQ_READ_INTERRUPTED:
            evq_editor_abandon_line(editor)
            Interrupt.clear()
            return .interrupted
        default:
            return .endOfFile
        }
    }

    /// Records a line as the newest history entry and appends it to the
    /// history file at once. Blank lines and repeats of the newest entry are
    /// dropped; memory keeps the latest `historyLimit` entries.
    func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), evq_history_add(editor, line) == 1,
              let path = historyPath
        else { return }
        if evq_history_append(path, line) != 0 {
            let reason = Self.describe(errno)
            warnAboutHistory("cannot write history to \(path)", reason: reason)
        }
    }

    /// The history, oldest first.
    var history: [String] {
        var entries: [String] = []
        var entry = evq_history_entry(editor, 1)
        while let text = entry {
            entries.append(String(cString: text))
            entry = evq_history_entry(editor, 0)
        }
        return entries
    }

    /// Columns of the terminal now (80 if it cannot be asked).
    var terminalWidth: Int {
        Int(evq_editor_terminal_width(editor))
    }

    /// The history file for an environment: `$XDG_STATE_HOME/evq/history`,
    /// else `$HOME/.local/state/evq/history`; nil when neither is an absolute
    /// path. Reads only the environment (no passwd lookup: the binary may be
    /// fully static).
    static func defaultHistoryPath(environment: [String: String]) -> String? {
        func absolute(_ name: String) -> String? {
            guard var value = environment[name], value.hasPrefix("/") else { return nil }
            while value.count > 1, value.hasSuffix("/") { value.removeLast() }
            return value == "/" ? "" : value
        }
        if let state = absolute("XDG_STATE_HOME") {
            return state + "/evq/history"
        }
        if let home = absolute("HOME") {
            return home + "/.local/state/evq/history"
        }
        return nil
    }
}

// MARK: - History file

extension LineEditor {
    /// Loads the file (a missing one is an empty history), makes sure it can
    /// be appended to, and trims it when it has outgrown `historyLimit`.
    private func openHistory(at path: String) {
        if let reason = Self.makeParentDirectories(of: path) {
            return warnAboutHistory("cannot write history to \(path)", reason: reason)
        }
        let loaded = evq_history_load(editor, path)
        let loadError = errno
        if loaded == -2 {
            return warnAboutHistory("cannot read history from \(path)", reason: "not an editline history file")
        }
        if loaded == -1, loadError != ENOENT {
            return warnAboutHistory("cannot read history from \(path)", reason: Self.describe(loadError))
        }
        if let reason = Self.createFile(path) {
            return warnAboutHistory("cannot write history to \(path)", reason: reason)
        }
        historyPath = path
        if loaded > Self.historyLimit, evq_history_rewrite(editor, path) != 0 {
            let reason = Self.describe(errno)
            warnAboutHistory("cannot write history to \(path)", reason: reason)
        }
    }

    /// Creates the directories above `path` that are missing, mode 0700 as
    /// the XDG base directory spec asks. Returns why it failed, or nil.
    private static func makeParentDirectories(of path: String) -> String? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        var directory = path.hasPrefix("/") ? "" : "."
        for component in components {
            directory += "/" + component
            if mkdir(directory, 0o700) != 0, errno != EEXIST {
                return describe(errno)
            }
        }
        return nil
    }

    /// Creates the file (mode 0600: history can hold anything typed) or
    /// checks that an existing one can be appended to. Returns why not, or nil.
    private static func createFile(_ path: String) -> String? {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return describe(errno) }
        close(fd)
        return nil
    }

    /// Prints the session's only history warning and stops using the file.
    private func warnAboutHistory(_ problem: String, reason: String) {
        historyPath = nil
        guard !warnedAboutHistory else { return }
        warnedAboutHistory = true
        Self.warn("\(problem): \(reason)")
    }

    /// Writes `evq: warning: ...` to stderr (Swift 6 has no safe `stderr`).
    private static func warn(_ text: String) {
        let message = "evq: warning: \(text)\n"
        _ = message.utf8CString.withUnsafeBufferPointer { buffer in
            write(STDERR_FILENO, buffer.baseAddress, buffer.count - 1)
        }
    }

    /// The C library's text for an errno value. Callers read errno right
    /// after the failing call, before anything else can change it.
    private static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}

// MARK: - Tab completion

extension LineEditor {
    /// Routes libedit's Tab callback to `complete(line:cursor:)`. The editor
    /// is passed unretained: the C side lives exactly as long as `self`, and
    /// the callback only runs inside `readLine`.
    private func installCompleter() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        evq_editor_set_completer(editor, { _, context, line, length, cursor in
            guard let context, let line else { return EVQ_COMPLETE_BEEP }
            let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: line, count: Int(length))
            return editor.complete(line: Array(bytes), cursor: Int(cursor))
        }, context)
    }

    /// One candidate replaces the word; several extend it to their common
    /// prefix, or are listed when that adds nothing; none beeps.
    private func complete(line: [UInt8], cursor: Int) -> evq_complete_result {
        guard let provider = completionProvider, (0...line.count).contains(cursor) else {
            return EVQ_COMPLETE_BEEP
        }
        let answer = provider(String(decoding: line, as: UTF8.self), cursor)
        let start = Self.scalarBoundary(in: line, from: answer.replaceFrom, upTo: cursor)
        let typed = String(decoding: line[start..<cursor], as: UTF8.self)
        var seen = Set<String>()
        let candidates = answer.candidates.filter { !$0.isEmpty && seen.insert($0).inserted }

        switch candidates.count {
        case 0:
            return EVQ_COMPLETE_BEEP
        case 1:
            let spaceFollows = cursor < line.count && line[cursor] == UInt8(ascii: " ")
            return replace(typed, with: candidates[0] + (spaceFollows ? "" : " "))
        default:
            let prefix = Self.commonPrefix(of: candidates)
            if prefix.unicodeScalars.count > typed.unicodeScalars.count {
                return replace(typed, with: prefix)
            }
            let listing = Self.columns(candidates, width: terminalWidth) { word in
                Int(evq_display_width(word, word.utf8.count))
            }
            evq_editor_print_below(editor, listing)
            return EVQ_COMPLETE_REDISPLAY
        }
    }

    /// Swaps the text just before the cursor. libedit counts what it deletes
    /// in characters (Unicode scalars, its wchar_t), not UTF-8 bytes.
    private func replace(_ typed: String, with text: String) -> evq_complete_result {
        evq_editor_delete(editor, Int32(typed.unicodeScalars.count))
        // el_insertstr refuses an empty string.
        if !text.isEmpty, evq_editor_insert(editor, text) != 0 {
            return EVQ_COMPLETE_BEEP
        }
        return EVQ_COMPLETE_REFRESH
    }

    /// `offset` clamped to `0...cursor` and moved forward off any UTF-8
    /// continuation bytes, so deleting never splits a character.
    static func scalarBoundary(in line: [UInt8], from offset: Int, upTo cursor: Int) -> Int {
        var start = min(max(offset, 0), cursor)
        while start < cursor, line[start] & 0b1100_0000 == 0b1000_0000 {
            start += 1
        }
        return start
    }

    /// The longest run of Unicode scalars every word starts with.
    static func commonPrefix(of words: [String]) -> String {
        guard let first = words.first else { return "" }
        var prefix = Array(first.unicodeScalars)
        for word in words.dropFirst() {
            let scalars = Array(word.unicodeScalars)
            var length = 0
            while length < min(prefix.count, scalars.count), prefix[length] == scalars[length] {
                length += 1
            }
            prefix.removeLast(prefix.count - length)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: prefix)
        return String(result)
    }

    /// Words laid out like `ls`: down the columns, as many columns as fit in
    /// `width`, two spaces apart, lines joined by "\n".
    static func columns(_ words: [String], width: Int, displayWidth: (String) -> Int) -> String {
        let widths = words.map(displayWidth)
        let columnWidth = (widths.max() ?? 0) + 2
        let perRow = max(1, (width + 2) / columnWidth)
        let rows = (words.count + perRow - 1) / perRow
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            var index = row
            while index < words.count {
                line += words[index]
                if index + rows < words.count {
                    line += String(repeating: " ", count: columnWidth - widths[index])
                }
                index += rows
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
