/// A unified diff of two texts, line by line, as `diff -u` prints it (3 lines of context).
public enum UnifiedDiff {
    public static func diff(expected: String, actual: String, expectedName: String, actualName: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ops = editScript(a, b)
        guard ops.contains(where: { $0.kind != .same }) else { return "" }
        var out = ["--- \(expectedName)", "+++ \(actualName)"]
        var i = 0
        while i < ops.count {
            guard ops[i].kind != .same else { i += 1; continue }
            // A hunk: from 3 lines before this change to 3 lines after the last change within 6 lines.
            let start = max(0, i - 3)
            var end = i
            while end < ops.count {
                if ops[end].kind != .same { end += 1; continue }
                var run = end
                while run < ops.count, ops[run].kind == .same { run += 1 }
                if run == ops.count || run - end > 6 { end = min(ops.count, end + 3); break }
                end = run
            }
            let hunk = ops[start..<end]
            let aStart = hunk.first?.aIndex ?? 0, bStart = hunk.first?.bIndex ?? 0
            let aCount = hunk.filter { $0.kind != .insert }.count, bCount = hunk.filter { $0.kind != .delete }.count
            out.append("@@ -\(aStart + 1),\(aCount) +\(bStart + 1),\(bCount) @@")
            for op in hunk {
                switch op.kind {
                case .same: out.append(" " + a[op.aIndex])
                case .delete: out.append("-" + a[op.aIndex])
                case .insert: out.append("+" + b[op.bIndex])
                }
            }
            i = end
        }
        return out.joined(separator: "\n") + "\n"
    }

    struct Op { enum Kind { case same, delete, insert }; var kind: Kind; var aIndex: Int; var bIndex: Int }

    /// The shortest edit script by longest common subsequence (outputs are small: golden files).
    static func editScript(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        guard n * m <= 25_000_000 else {
            return a.indices.map { Op(kind: .delete, aIndex: $0, bIndex: 0) } + b.indices.map { Op(kind: .insert, aIndex: n, bIndex: $0) }
        }
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [Op] = [], i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] { ops.append(Op(kind: .same, aIndex: i, bIndex: j)); i += 1; j += 1 }
            // On a tie the old line goes first, so a changed line reads `-old` then `+new`, as diff -u prints it.
            else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(Op(kind: .delete, aIndex: i, bIndex: j)); i += 1
            }
            else { ops.append(Op(kind: .insert, aIndex: i, bIndex: j)); j += 1 }
        }
        return ops
    }
}
