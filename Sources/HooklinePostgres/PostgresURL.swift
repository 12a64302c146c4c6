import Foundation
import HooklineCore
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=disable` connection URL.
///
/// Its `description` never shows the password, so it is safe to log.
package struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS (`sslmode`).
    package enum TLSMode: String, Sendable, Equatable {
        /// Plain TCP (`sslmode=disable`, the default when the URL names none).
        case disable
        /// TLS when the server offers it (`sslmode=prefer`/`allow`).
        case prefer
        /// TLS or fail (`sslmode=require`/`verify-ca`/`verify-full`).
        case require
    }

    /// The role to connect as; `postgres` when the URL names none.
    package var username: String
    /// The role's password, if any.
    package var password: String?
    /// The server's host name or address; `127.0.0.1` when the URL names none.
    package var host: String
    /// The server's port; 5432 when the URL names none.
    package var port: Int
    /// The database; the server's default (the role's name) when `nil`.
    package var database: String?
    /// How the connection uses TLS.
    package var tls: TLSMode

    /// Parses a `postgres://` or `postgresql://` URL; throws `validation` (without echoing the URL) when it is malformed.
    package init(_ string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw HooklineError(.validation, "the database URL must look like postgres://user:password@host:port/database")
        }
        username = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        password = components.password
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
        tls = .disable
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value ?? "" {
            case "disable": tls = .disable
            case "allow", "prefer": tls = .prefer
            case "require", "verify-ca", "verify-full": tls = .require
            default: throw HooklineError(.validation, "the database URL's sslmode must be disable, prefer or require")
            }
        }
    }

    /// The same server and credentials, another database.
    package func with(database: String?) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL as text, password included: pass it to processes, never log it.
    package var urlString: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + (database ?? "")
        if tls != .disable { components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)] }
        return components.string ?? "postgres://\(host):\(port)/\(database ?? "")"
    }

    /// The URL with the password replaced by `***`.
    package var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database ?? "")"
            + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// A client configuration for this URL.
    package var configuration: PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: mode)
    }

    /// A single-connection configuration for this URL, for probing whether the database accepts connections.
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(try .init(configuration: .makeClientConfiguration()))
            case .require: .require(try .init(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: mode)
    }
}
