import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A loader's buffer handed to the threads that read disjoint parts of it while the loader waits.
struct SharedBytes: @unchecked Sendable {
    let p: UnsafeMutableBufferPointer<UInt8>
    init(_ p: UnsafeMutableBufferPointer<UInt8>) { self.p = p }
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

    /// `body(0)`, …, `body(n - 1)`, run at once on up to n threads (inline when n is 1), in order.
    static func map<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
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
