#if canImport(Glibc)
import Glibc
#endif

/// Where a stretch of CSV may be cut so that several parsers can read it at once, each from the start of a
/// record — found without parsing.
///
/// Every `"` in RFC 4180 text opens or closes a quoted field (a doubled `""` does both), so in text that is
/// valid up to a byte, whether that byte is inside quotes is the parity of the quotes before it, and a line
/// break at even parity ends a record. The stretch is divided into n equal pieces; the quotes in each are
/// counted (in parallel, and fast: quotes are rare, and `memchr` jumps from one to the next), their running
/// sums give the parity at each piece's nominal start, and each start moves on to just after the first line
/// break at even parity. If the text is not valid somewhere, the first piece holding the fault still starts
/// where a single parser would have been (everything before it is valid), so it reports the same error at
/// the same line; pieces after it may be cut wrongly, but their rows and errors are never used, because the
/// loader stops at the first error in file order.
struct RecordCuts {
    /// n + 1 offsets into the bytes, non-decreasing: piece k is `starts[k]..<starts[k + 1]`.
    private(set) var starts: [Int]

    var count: Int { starts.count - 1 }

    /// Cuts `p[from...]`, which starts at a record's start, into `parts` pieces (some may be empty).
    static func find(_ p: UnsafeMutableBufferPointer<UInt8>, from start: Int, parts: Int) -> RecordCuts {
        let n = max(1, parts)
        guard n > 1 else { return RecordCuts(starts: [start, p.count]) }
        let bytes = Shared(p)
        let nominal = (0..<n).map { start + Parallel.slice(p.count - start, parts: n, $0).lowerBound } + [p.count]
        let quotes = Parallel.map(n - 1) { k in RecordCuts.quotes(in: bytes.p, nominal[k]..<nominal[k + 1]) }
        var running = 0
        var inQuotes = [false]
        for q in quotes {
            running += q
            inQuotes.append(running % 2 == 1)
        }
        let parity = inQuotes
        let ends = Parallel.map(n - 1) { k in
            RecordCuts.recordEnd(bytes.p, from: nominal[k + 1], inQuotes: parity[k + 1])
        }
        var cuts = RecordCuts(starts: [start])
        for end in ends { cuts.starts.append(max(end, cuts.starts[cuts.starts.count - 1])) }
        cuts.starts.append(p.count)
        return cuts
    }

    /// The quotes in `p[range]`.
    static func quotes(in p: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = p.baseAddress else { return 0 }
        var count = 0, i = range.lowerBound
        while i < range.upperBound, let found = memchr(base + i, Int32(UInt8(ascii: "\"")), range.upperBound - i) {
            count += 1
            i = UnsafeMutableRawPointer(found) - UnsafeMutableRawPointer(base) + 1
        }
        return count
    }

    /// Just after the first line break at even parity from `start`, or the end of the bytes if none.
    static func recordEnd(_ p: UnsafeMutableBufferPointer<UInt8>, from start: Int, inQuotes: Bool) -> Int {
        var i = start, quoted = inQuotes
        while i < p.count {
            let b = p[i]
            i += 1
            if b == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if b == UInt8(ascii: "\n"), !quoted {
                break
            }
        }
        return i
    }
}

