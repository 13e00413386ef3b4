/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF and a UTF-8 BOM are accepted.
public enum CSV {
    /// One record and the 1-based line it starts on.
    public struct Record: Sendable {
        public var fields: [String]
        public var line: Int
    }

    /// Why a file is not CSV.
    public struct Error: Swift.Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// All records of `bytes`, the header included; blank lines are skipped.
    public static func parse(_ bytes: [UInt8]) throws(CSV.Error) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            // A line holding only `""` is a record of one empty field, not a blank line.
            let quotedLast = wasQuoted
            endField()
            if !(fields.count == 1 && fields[0].isEmpty && !quotedLast) { records.append(Record(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                    quoted = false
                    i += 1
                    if i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) {
                        throw Error(line: line, message: "text after a closing quote; a quoted field must end at a comma or line end")
                    }
                    continue
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty else {
                    throw Error(line: line, message: "a quote inside an unquoted field; quote the whole field and double the inner quotes")
                }
                quoted = true
                wasQuoted = true
            default:
                field.append(b)
            }
            i += 1
        }
        if quoted { throw Error(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// One record, its fields quoted where they need it, and a line feed.
    public static func line(_ fields: some Sequence<String>) -> String {
        var text = ""
        append(fields, to: &text)
        return text
    }

    /// Appends one record to `text`: for writers of many, which then grow one string.
    @inlinable
    public static func append(_ fields: some Sequence<String>, to text: inout String) {
        var first = true
        for field in fields {
            if !first { text += "," }
            first = false
            text += escape(field)
        }
        text += "\n"
    }

    /// Quotes a field when it needs quoting (RFC 4180).
    public static func escape(_ field: String) -> String {
        // Bytes, not Characters: no quote, comma or line break is part of a longer grapheme worth telling apart.
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
