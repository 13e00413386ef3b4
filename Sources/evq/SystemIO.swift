import EVQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few system calls the command line needs, without Foundation (it keeps start-up near the static floor).
enum SystemIO {
    /// Writes all of `text` to a file descriptor, made safe for a terminal on the way out (`Sanitizer.terminal`:
    /// whatever a renderer or a message let through, no escape sequence but a colour reaches the screen).
    /// A reader that went away (`evq … | head -1`) ends the process quietly, with the status it had earned.
    static func write(_ text: String, to fd: Int32) {
        let failure = writeAll(Array(Sanitizer.terminal(text).utf8), to: fd)
        if failure == EPIPE { exit(status) }
        if failure != 0 && fd == 1 && !outputFailed {
            outputFailed = true
            status = 1
            err("evq: cannot write standard output: \(String(cString: strerror(failure)))\n")
        }
    }

    /// The exit status so far: 1 once a statement or a write has failed. A closed pipe exits with it.
    nonisolated(unsafe) static var status: Int32 = 0
    /// Whether writing standard output has failed (a full disk): said once, and the run exits 1.
    nonisolated(unsafe) static var outputFailed = false

    /// Writes every byte, retrying after signals; returns 0 or the errno that stopped it.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    static func out(_ text: String) { write(text, to: 1) }
    static func err(_ text: String) { write(text, to: 2) }

    /// A script file (or standard input, `-`, named `<stdin>`) as EVQ source, a `#!` first line made a comment.
    static func script(path: String) throws(IOError) -> SourceFile {
        SourceFile(name: path == "-" ? "<stdin>" : path, bytes: ScriptRunner.strippingShebang(try read(path: path)))
    }

    /// The most `read` takes: EVQ scripts, goldens and articles are far smaller, and `evq - </dev/zero` must end.
    static let largestRead = 64 << 20

    /// Reads a whole file, or standard input for `-`, up to `limit` bytes; Ctrl-C stops the reading.
    static func read(path: String, limit: Int = largestRead) throws(IOError) -> [UInt8] {
        let fd = path == "-" ? 0 : Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw IOError(path: path, reason: reason()) }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, reason: "is a directory") }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR && !Interrupt.requested { continue }
                throw IOError(path: path, reason: errno == EINTR ? "interrupted" : reason())
            }
            if n == 0 { return result }
            guard result.count + n <= limit else {
                throw IOError(path: path, reason: "larger than \(limit >> 20) MiB; EVQ reads no script that long "
                              + "(data files load with --data or load)")
            }
            result += chunk[0..<n]
        }
    }

    /// Replaces a file's contents all at once: the text goes to a temporary file beside it, which is renamed over
    /// the old one only when every byte is on disk, so a full disk or a failed write leaves the old file as it was.
    /// A path that is not a regular file (`/dev/stdout`, a FIFO) is written in place.
    static func writeFile(_ path: String, _ text: String) throws(IOError) {
        guard !path.isEmpty else { throw IOError(path: "''", reason: "no file named") }
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, reason: "is a directory") }
            if (st.st_mode & S_IFMT) != S_IFREG { return try writeInPlace(path, text) }
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder).\(name).evq-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw IOError(path: path, reason: reason()) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // mkstemp makes the file private; a written file gets the usual permissions, as open(2) with 0644 would.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        var failure = writeAll(Array(text.utf8), to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw IOError(path: path, reason: String(cString: strerror(failure)))
        }
    }

    private static func writeInPlace(_ path: String, _ text: String) throws(IOError) {
        let fd = Glibc.open(path, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw IOError(path: path, reason: reason()) }
        var failure = writeAll(Array(text.utf8), to: fd)
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw IOError(path: path, reason: String(cString: strerror(failure))) }
    }

    /// Opens a file (or standard input, `-`) to be read a chunk at a time, for `load` and `--data`.
    /// Opening a FIFO waits for a writer; Ctrl-C ends the wait (`Interrupt` leaves reads and opens restartable
    /// only until it is pressed).
    static func open(path: String) throws(IOError) -> FileSource {
        var fd: Int32 = 0
        if path != "-" {
            repeat { fd = Glibc.open(path, O_RDONLY) } while fd < 0 && errno == EINTR && !Interrupt.requested
        }
        guard fd >= 0 else { throw IOError(path: path, reason: errno == EINTR ? "interrupted" : reason()) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let failure = IOError(path: path, reason: reason())
            if fd != 0 { close(fd) }
            throw failure
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IOError(path: path, reason: "is a directory")
        }
        let regular = (st.st_mode & S_IFMT) == S_IFREG
        return FileSource(fd: fd, size: regular ? Int(st.st_size) : nil, path: path,
                          modified: regular ? FileSource.Stamp(st) : nil)
    }

    /// Names in a directory, sorted.
    static func list(directory: String) throws(IOError) -> [String] {
        guard let dir = opendir(directory) else { throw IOError(path: directory, reason: reason()) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// An environment variable that is set and not empty: a setting, where an empty one means unset.
    static func setting(_ name: String) -> String? { environment(name).flatMap { $0.isEmpty ? nil : $0 } }

    static func reason() -> String { String(cString: strerror(errno)) }
}

/// A file that could not be read or written.
struct IOError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var message: String { "\(path): \(reason)" }
    var description: String { reason }
}

/// An open file read a chunk at a time; closed when the last reference goes.
final class FileSource: ByteSource {
    private let fd: Int32
    let size: Int?
    let path: String
    /// A regular file's size and change time when opened: a file that is still being written (or cut) while it
    /// is read is refused rather than half loaded.
    private let modified: Stamp?
    private var bytesRead = 0

    struct Stamp: Equatable {
        var size: Int, seconds: Int, nanoseconds: Int
        init(_ st: stat) {
            size = Int(st.st_size)
            seconds = Int(st.st_mtim.tv_sec)
            nanoseconds = Int(st.st_mtim.tv_nsec)
        }
    }

    init(fd: Int32, size: Int?, path: String, modified: Stamp? = nil) {
        self.fd = fd
        self.size = size
        self.path = path
        self.modified = modified
    }

    deinit { if fd != 0 { close(fd) } }

    /// Ctrl-C stops a read that waits (a FIFO, a terminal) and a long file between chunks. A regular file is
    /// read at the offset this source keeps (`pread`), so that parts of it can also be read at once.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        while true {
            if Interrupt.requested { throw IOError(path: path, reason: "interrupted") }
            let n = modified == nil ? Glibc.read(fd, buffer.baseAddress, buffer.count)
                : pread(fd, buffer.baseAddress, buffer.count, off_t(bytesRead))
            if n > 0 { bytesRead += n }
            if n == 0 { try checkUnchanged() }
            if n >= 0 { return n }
            if errno != EINTR { throw IOError(path: path, reason: SystemIO.reason()) }
        }
    }

    /// A regular file's next `buffer.count` bytes in `parts` positioned reads, each on its own thread; other
    /// files in turn. Parts after one the file's end cut short hold nothing and are not counted.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>, parts: Int) throws -> Int {
        guard modified != nil, parts > 1 else {
            var source = self
            return try source.readInTurn(into: buffer)
        }
        if Interrupt.requested { throw IOError(path: path, reason: "interrupted") }
        let bytes = Shared(buffer), fd = fd, offset = bytesRead
        let reads = Parallel.map(parts) { k in
            FileSource.read(fd, into: bytes.p, Parallel.slice(bytes.p.count, parts: parts, k), at: offset)
        }
        if let error = reads.first(where: { $0.error != 0 })?.error {
            throw IOError(path: path, reason: String(cString: strerror(error)))
        }
        // The bytes read from the start with no gap: up to the first part the file's end cut short.
        var n = 0
        for (k, read) in reads.enumerated() {
            n += read.count
            if read.count < Parallel.slice(buffer.count, parts: parts, k).count { break }
        }
        bytesRead += n
        if n < buffer.count { try checkUnchanged() }
        return n
    }

    /// Fills `buffer[part]` from the file at `offset + part.lowerBound`: how many bytes (fewer at the file's
    /// end) and errno on failure, else 0.
    private static func read(_ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, _ part: Range<Int>,
                             at offset: Int) -> (count: Int, error: Int32) {
        var got = 0
        while got < part.count {
            let n = pread(fd, buffer.baseAddress.map { $0 + part.lowerBound + got }, part.count - got,
                          off_t(offset + part.lowerBound + got))
            if n < 0, errno == EINTR { continue }
            if n < 0 { return (got, errno) }
            if n == 0 { break }
            got += n
        }
        return (got, 0)
    }

    /// At the end of a regular file: it must be as it was when opened, all of it read.
    private func checkUnchanged() throws(IOError) {
        guard let modified else { return }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOError(path: path, reason: SystemIO.reason()) }
        if Stamp(st) != modified || bytesRead != modified.size {
            throw IOError(path: path, reason: "changed while it was read "
                          + "(\(bytesRead) bytes read of \(modified.size)); "
                          + "load it again once it is complete")
        }
    }
}
