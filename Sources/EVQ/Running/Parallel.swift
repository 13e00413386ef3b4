import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A buffer handed to threads that each read or write their own part of it while its owner waits: a
/// loader's bytes, the index being built, a file read in parts.
public struct Shared<Element>: @unchecked Sendable {
    public let p: UnsafeMutableBufferPointer<Element>
    public init(_ p: UnsafeMutableBufferPointer<Element>) { self.p = p }
}

/// A value the threads of a `Parallel.map` only read, such as the evaluator and its dataset while a ranking
/// values its candidates: nothing mutates it until they are done.
struct ReadOnly<T>: @unchecked Sendable {
    let value: T
}

/// Work spread over threads: the loader's pieces and the ranking's slices.
public enum Parallel {
    /// Threads evq uses unless told otherwise (`--threads`): one per CPU online.
    public static let available: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `0..<count` cut into `parts` ranges as equal as can be, for `map` to hand one to each thread.
    public static func slice(_ count: Int, parts: Int, _ k: Int) -> Range<Int> {
        count * k / parts..<count * (k + 1) / parts
    }

    /// `body(0)`, …, `body(n - 1)`, run at once on up to n threads (inline when n is 1), in order.
    public static func map<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if n == 1 { return [body(0)] }
        let results = Slots<T>(n)
        DispatchQueue.concurrentPerform(iterations: n) { k in results.set(k, body(k)) }
        return results.values()
    }

    /// One result per thread, each slot written by one thread only (through a pointer: an array property
    /// written from several threads would be an exclusivity violation even at different indices).
    private final class Slots<T>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<T?>
        init(_ n: Int) { slots = .allocate(capacity: n); slots.initialize(repeating: nil) }
        deinit { slots.deinitialize(); slots.deallocate() }
        func set(_ k: Int, _ value: T) { slots[k] = value }
        func values() -> [T] { slots.compactMap { $0 } }
    }
}
