import ArgumentParser
import Foundation
import HooklineCore

extension AppOption {
    /// The application of `message`: `--app`/`HOOKLINE_APP` when given, else the one application holding this
    /// message id (message ids are unique; one read per application, so `--app` saves the search).
    func resolved(forMessage message: String, client: ServerClient, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> String
    {
        if let app = try? resolved(environment: environment) { return app }
        guard message.hasPrefix("msg_") else { throw ValidationError("pass --app APP (or set HOOKLINE_APP) for a message addressed by event id") }
        var iterator: String?
        repeat {
            let page = try await client.call(.GET, "/api/v1/app", query: ["limit": "250", "iterator": iterator])
            guard case .array(let apps)? = page["data"] else { break }
            for app in apps {
                guard let id = app.string("id") else { continue }
                do {
                    _ = try await client.call(.GET, "/api/v1/app/\(id)/msg/\(message)")
                    return id
                } catch let error as CLIError where error.status == 404 {
                    continue
                }
            }
            iterator = page["done"] == .bool(false) ? page.string("iterator") : nil
        } while iterator != nil
        throw CLIError("message \(message) not found in any application")
    }
}
