/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`), as `--engine` names a PostgreSQL
/// database; read by `evq` for messages and by `evq-postgres` to connect.
public struct PostgresURL: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// The parts of a URL, or nil where it is not one; a missing user is `defaultUser`, a missing database the user's.
    public init?(_ url: String, defaultUser: String = "postgres") {
        var rest = Substring(url)
        for scheme in ["postgresql://", "postgres://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        user = defaultUser
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let address = rest[..<slash]
        database = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : user
        host = String(address)
        port = 5432
        if let colon = address.lastIndex(of: ":") {
            guard let p = Int(address[address.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = String(address[..<colon])
            port = p
        }
        guard !host.isEmpty, !user.isEmpty, !database.isEmpty, !database.contains("?"), !host.contains("/") else { return nil }
    }

    /// The URL with any password replaced by `***`, for messages.
    public static func withoutPassword(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let start = url.firstRange(of: "//")?.upperBound, start < at,
              let colon = url[start..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
