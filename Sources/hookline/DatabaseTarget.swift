import ArgumentParser
import Foundation

/// Which store a command opens: the embedded SQLite file, or a shared PostgreSQL database.
enum DatabaseTarget: Sendable {
    /// The SQLite file at this path.
    case sqlite(path: String)
    /// The PostgreSQL database at this URL.
    case postgres(url: String)

    /// Reads `--database` / `HOOKLINE_DATABASE`; SQLite in `dataDirectory` when `url` is nil.
    init(url: String?, dataDirectory: String) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("hookline.sqlite"))
            return
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else if url.hasPrefix("sqlite://") {
            self = .sqlite(path: String(url.dropFirst("sqlite://".count)))
        } else {
            throw ValidationError("--database must be a postgres:// or sqlite:// URL")
        }
    }

    /// Where the data lives, for banners and logs, without any password.
    var redacted: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}
