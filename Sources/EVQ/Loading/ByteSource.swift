/// Bytes that arrive a chunk at a time — a file read piece by piece, so that loading a large one never
/// holds all of it in memory. The library reads no files itself; the command line supplies them.
///
/// ```swift
/// var session = Session(data: try Dataset.embedded())
/// var source = ByteArraySource(Array("entity,metric,period,value,unit,bound,source,line,note\n".utf8))
/// try session.load(&source, name: "mine.csv")   // facts, entities or metrics, by the header
/// ```
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`; returns how many, 0 at the end.
    mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int
    /// The total size when known, so the loader can reserve its columns once.
    var size: Int? { get }
    /// Fills as much of `buffer` as the source holds, in `parts` parts read at once where the source can
    /// (a regular file: one positioned read per part, each on its own thread); returns how many bytes, fewer
    /// than `buffer.count` only at the end. Sources that cannot read out of order read in turn.
    mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>, parts: Int) throws -> Int
}

extension ByteSource {
    public mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>, parts: Int) throws -> Int {
        try readInTurn(into: buffer)
    }

    /// `read(into:)` until the buffer is full or the source ends; returns how many bytes.
    public mutating func readInTurn(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]))
            if n <= 0 { break }
            filled += min(n, buffer.count - filled)
        }
        return filled
    }
}

/// Bytes already in memory, as a `ByteSource` (embedded files, tests).
public struct ByteArraySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var size: Int? { bytes.count }

    public mutating func read(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        _ = UnsafeMutableBufferPointer(rebasing: buffer[..<n]).update(fromContentsOf: bytes[offset..<(offset + n)])
        offset += n
        return n
    }
}
