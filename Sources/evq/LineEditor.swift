#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CEditLine
import EVQ

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
/// libedit edits the line; this type reads the keys it edits with, keeps track
/// of where the line is on screen (to redraw it after a resize and to print a
/// completion listing below it), and owns the history file. CEditLine holds only
/// the calls Swift cannot make.
///
/// Used only when both stdin and stdout are terminals; scripts and pipes read
/// standard input directly.
final class LineEditor {
    /// Entries kept in memory and, approximately, in the history file.
    static let historyLimit = 10_000

    /// The C editor; owned, destroyed in `deinit`.
    private let editor: OpaquePointer
    /// Whether keys are decoded as UTF-8; without a UTF-8 locale libedit takes only ASCII.
    private let isUTF8: Bool
    /// The prompt of the read in progress, for the arithmetic of screen rows.
    private var prompt = ""
    /// The line and cursor to put back when an interrupted `el_gets` restarts (see `readLine`).
    private var keptLine: KeptLine?
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
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        // Before libedit starts: it decides then whether characters are UTF-8.
        isUTF8 = Self.chooseUTF8Locale()
        guard let editor = evq_editor_create("evq", readEditrc ? 1 : 0) else { return nil }
        self.editor = editor
        if !isUTF8 {
            Self.warn("no UTF-8 locale (C.UTF-8) is installed; only ASCII can be typed")
        }
        _ = evq_history_set_size(editor, Int32(Self.historyLimit))
        Interrupt.install()
        _ = evq_resize_install()
        installCallbacks()
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
    ///
    /// Any signal ends libedit's `el_gets` (the key reader fails with EINTR). A
    /// resize, or Ctrl-Z and `fg`, then restarts it on the same line: libedit's
    /// own reader would adopt the new width but assume the cursor is back where
    /// the prompt starts and draw the line rows away from where it is, while a
    /// restart re-arms libedit's signal handlers, re-measures the terminal and
    /// redraws the line in place.
    func readLine(prompt: String) -> LineRead {
        self.prompt = prompt
        _ = evq_editor_set_prompt(editor, prompt)
        Interrupt.clear()
        while true {
            evq_resize_clear() // el_gets measures the terminal as it starts
            var count: Int32 = 0
            let text = evq_editor_gets(editor, &count)
            let failure = errno
            if let text, count > 0 {
                var bytes = UnsafeRawBufferPointer(start: text, count: Int(count))
                if bytes.last == UInt8(ascii: "\n") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
                return .line(String(decoding: bytes, as: UTF8.self))
            }
            if count == 0 {
                // libedit echoed ^D on the prompt's row; end that row so what
                // comes next (the shell's prompt) starts on its own.
                evq_editor_write(editor, "\r\n")
                return .endOfFile
            }
            guard failure == EINTR else { return .endOfFile }
            if Interrupt.requested {
                abandonLine()
                Interrupt.clear()
                return .interrupted
            }
            keepLineForRestart()
        }
    }

    /// Records a line as the newest history entry and appends it to the
    /// history file at once. Blank lines and repeats of the newest entry are
    /// dropped; memory keeps the latest `historyLimit` entries.
    func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), evq_history_add(editor, line) == 1,
              let path = historyPath
        else { return }
        if let reason = Self.append(line, toHistoryAt: path) {
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

    /// Columns of the terminal now (80 if it cannot be asked), as libedit wraps the line.
    var terminalWidth: Int {
        Terminal.columns() ?? 80
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

    /// Routes libedit's Tab and key callbacks to `complete(line:cursor:)` and
    /// `readKey(into:)`. The editor is passed unretained: the C side lives
    /// exactly as long as `self`, and the callbacks only run inside `readLine`.
    private func installCallbacks() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        evq_editor_set_callbacks(editor, context, { context, line, length, cursor in
            guard let context, let line else { return EVQ_COMPLETE_BEEP }
            let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: line, count: Int(length))
            return editor.complete(line: Array(bytes), cursor: Int(cursor))
        }, { context, character in
            guard let context, let character else { errno = EINVAL; return -1 }
            let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            return editor.readKey(into: character)
        })
    }

    /// libedit decodes keystrokes and measures columns in the C library's
    /// locale. Swift never calls setlocale, so without this the process stays
    /// in the "C" locale and every non-ASCII byte typed (小米) is discarded. A
    /// user locale that is not UTF-8 is overridden: evq's data is UTF-8
    /// throughout. A fully static binary finds C.UTF-8 only as locale data on
    /// disk (/usr/lib/locale/C.utf8). Returns whether the locale is UTF-8.
    private static func chooseUTF8Locale() -> Bool {
        func isUTF8() -> Bool {
            guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
            return String(cString: codeset) == "UTF-8"
        }
        for name in ["", "C.UTF-8", "C.utf8"] where setlocale(LC_CTYPE, name) != nil && isUTF8() {
            return true
        }
        return false
    }
}

// MARK: - Keys

extension LineEditor {
    /// libedit's key reader, minus its signal handling: a failed read(2)
    /// (EINTR on any signal) or a resize ends `el_gets` with errno set, end of
    /// input returns 0, and bytes are decoded as libedit would decode them.
    fileprivate func readKey(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        character.pointee = 0
        if let kept = keptLine {
            keptLine = nil
            resume(kept)
        }
        var bytes: [UInt8] = []
        while true {
            if evq_resize_requested() != 0 {
                errno = EINTR
                return -1
            }
            var byte: UInt8 = 0
            let got = read(STDIN_FILENO, &byte, 1)
            if got < 0 { return -1 }
            if got == 0 { return 0 }
            bytes.append(byte)
            if let scalar = Self.decodeKey(&bytes, utf8: isUTF8) {
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            }
        }
    }

    /// The character the bytes typed so far make, consuming them; nil while
    /// they are the start of one. Bytes that cannot begin or continue a
    /// character are dropped, leaving the rest to start the next. Without
    /// UTF-8, only ASCII is a character.
    static func decodeKey(_ bytes: inout [UInt8], utf8: Bool) -> Unicode.Scalar? {
        while let lead = bytes.first {
            if lead < 0x80 {
                bytes.removeFirst()
                return Unicode.Scalar(lead)
            }
            let length = utf8 ? sequenceLength(lead: lead) : 0
            if length == 0 || !continuesSequence(bytes, length: length) {
                bytes.removeFirst()
                continue
            }
            guard bytes.count >= length else { return nil }
            var iterator = bytes.prefix(length).makeIterator()
            var decoder = UTF8()
            bytes.removeFirst(length)
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        }
        return nil
    }

    /// Bytes in a UTF-8 sequence starting with `lead`; 0 for a byte no sequence starts with.
    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// Whether the bytes after the lead so far are what a well-formed sequence
    /// of `length` bytes can continue with (no overlong forms, no surrogates).
    private static func continuesSequence(_ bytes: [UInt8], length: Int) -> Bool {
        for index in 1..<min(bytes.count, length) {
            let byte = bytes[index]
            var range: ClosedRange<UInt8> = 0x80...0xBF
            if index == 1 {
                switch bytes[0] {
                case 0xE0: range = 0xA0...0xBF
                case 0xED: range = 0x80...0x9F
                case 0xF0: range = 0x90...0xBF
                case 0xF4: range = 0x80...0x8F
                default: break
                }
            }
            if !range.contains(byte) { return false }
        }
        return true
    }
}

// MARK: - Where the line is on screen

extension LineEditor {
    /// A line set aside while `el_gets` restarts: its text and the cursor, in
    /// characters from the end (libedit's unit for moving it).
    private struct KeptLine {
        var text: String
        var charactersAfterCursor: Int
    }

    /// The line being edited, split at the cursor.
    private func currentLine() -> (beforeCursor: String, afterCursor: String) {
        var text: UnsafePointer<CChar>?
        var length: Int32 = 0
        var cursor: Int32 = 0
        evq_editor_line(editor, &text, &length, &cursor)
        guard let text, length > 0 else { return ("", "") }
        let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
        let split = min(max(Int(cursor), 0), bytes.count)
        return (String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self))
    }

    /// Screen rows, counted from the prompt's row, holding the cursor and the
    /// end of the line. libedit keeps its own count private, so this wraps the
    /// way it does: by columns, prompt included.
    private func lineRows() -> (cursor: Int, last: Int) {
        let line = currentLine()
        let columns = max(terminalWidth, 1)
        let cursor = Self.drawnWidth(of: prompt) + Self.drawnWidth(of: line.beforeCursor)
        let last = cursor + Self.drawnWidth(of: line.afterCursor)
        return (cursor / columns, last / columns)
    }

    /// Columns libedit draws text in: a control character as `^X`, one it
    /// cannot print as `\U+XXXX`, anything else as wide as the tables and the
    /// completion listing count it (`DisplayWidth`, which agrees with the C
    /// library's wcwidth that libedit calls).
    static func drawnWidth(of text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F: total += 2
            case 0x80..<0xA0: total += 7
            default: total += DisplayWidth.of(scalar)
            }
        }
        return total
    }

    /// "\r\n" rather than "\n": libedit's raw mode keeps the terminal's output
    /// processing (ONLCR), but an .editrc "setty" can turn it off.
    private func newLines(_ count: Int) -> String {
        String(repeating: "\r\n", count: max(count, 0))
    }

    /// Saves the line and cursor, then moves to where the prompt starts and
    /// clears below, so the restarted `el_gets` draws the prompt in place.
    /// Where the cursor is after a resize depends on the terminal: this
    /// assumes it re-wrapped the line to the new width (tmux, VTE, kitty,
    /// iTerm2, Windows Terminal; not xterm). Plain ANSI sequences, as on every
    /// terminal in use.
    private func keepLineForRestart() {
        let line = currentLine()
        keptLine = KeptLine(text: line.beforeCursor + line.afterCursor,
                            charactersAfterCursor: line.afterCursor.unicodeScalars.count)
        let rows = lineRows()
        evq_editor_write(editor, (rows.cursor > 0 ? "\u{1B}[\(rows.cursor)A" : "") + "\r\u{1B}[J")
    }

    /// Puts the kept line back once the restarted `el_gets` has drawn its
    /// prompt (it empties the line as it starts, so it cannot be done before).
    private func resume(_ kept: KeptLine) {
        if !kept.text.isEmpty, evq_editor_insert(editor, kept.text) == 0 {
            evq_editor_move_cursor(editor, -Int32(kept.charactersAfterCursor))
        }
        // The prompt stands alone on its row: from its start, a refresh
        // (which assumes a blank screen there) redraws prompt and line.
        evq_editor_write(editor, "\r")
        evq_editor_refresh(editor)
    }

    /// Prints text below the line being edited and leaves the terminal so
    /// that `EVQ_COMPLETE_REDISPLAY` redraws the prompt and line under it.
    private func printBelow(_ text: String) {
        let rows = lineRows()
        var output = newLines(rows.last - rows.cursor + 1)
        output += text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: newLines(1))
        if !text.isEmpty, !text.hasSuffix("\n") { output += newLines(1) }
        // A redisplay first climbs from the cursor's row to the prompt's row,
        // clearing as it goes; leave that many blank rows so it stops just
        // under the listing instead of erasing it.
        output += newLines(rows.cursor)
        evq_editor_write(editor, output)
    }

    /// After Ctrl-C: shows ^C and moves below the abandoned line.
    private func abandonLine() {
        let rows = lineRows()
        evq_editor_write(editor, "^C" + newLines(rows.last - rows.cursor + 1))
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
        switch Self.historyFileState(path) {
        case .notHistory:
            return warnAboutHistory("cannot read history from \(path)", reason: "not an editline history file")
        case .unreadable(let error) where error != ENOENT:
            return warnAboutHistory("cannot read history from \(path)", reason: Self.describe(error))
        case .history:
            let loaded = evq_history_load(editor, path)
            if loaded < 0 {
                return warnAboutHistory("cannot read history from \(path)", reason: "not an editline history file")
            }
            if loaded > Self.historyLimit, let reason = rewriteHistory(at: path) {
                return warnAboutHistory("cannot write history to \(path)", reason: reason)
            }
        case .empty, .unreadable:
            break
        }
        if let reason = Self.createFile(path) {
            return warnAboutHistory("cannot write history to \(path)", reason: reason)
        }
        historyPath = path
    }

    /// What a history file holds, judged by its first bytes.
    private enum HistoryFileState {
        case history, empty, notHistory
        case unreadable(Int32)
    }

    /// The line libedit writes first in its history files.
    private static let historyCookie = Array("_HiStOrY_V".utf8)

    /// libedit's load fails alike for a file it cannot open and one that is
    /// not a history file, and sets no errno; look first, so the user is told
    /// which.
    private static func historyFileState(_ path: String) -> HistoryFileState {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable(errno) }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: historyCookie.count)
        var got = 0
        while got < head.count {
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + got }, $0.count - got) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .unreadable(errno) }
            if n == 0 { break }
            got += n
        }
        if got == 0 { return .empty }
        return head[..<got].elementsEqual(historyCookie[..<got]) && got == head.count ? .history : .notHistory
    }

    /// Appends one entry to the history file, creating it with mode 0600.
    /// Appending, rather than rewriting, keeps concurrent sessions from
    /// overwriting each other. Returns why it failed, or nil.
    private static func append(_ line: String, toHistoryAt path: String) -> String? {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0, evq_history_save_line(fd, line) == 0 else { return describe(errno) }
        return nil
    }

    /// Replaces the history file with the history in memory: written to a
    /// temporary file, then renamed, so a crash never leaves it half written.
    /// Returns why it failed, or nil.
    private func rewriteHistory(at path: String) -> String? {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return Self.describe(errno) }
        if evq_history_save(editor, fd) == 0, rename(temporary, path) == 0 { return nil }
        let reason = Self.describe(errno)
        unlink(temporary)
        return reason
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
    /// One candidate replaces the word; several extend it to their common
    /// prefix, or are listed when that adds nothing; none beeps.
    fileprivate func complete(line: [UInt8], cursor: Int) -> evq_complete_result {
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
            printBelow(Self.columns(candidates, width: terminalWidth))
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
    static func columns(_ words: [String], width: Int) -> String {
        let widths = words.map(DisplayWidth.of)
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
