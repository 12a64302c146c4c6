import ArgumentParser
import Foundation

/// `--app`, for commands addressed by message or endpoint (falls back to `HOOKLINE_APP`).
struct AppOption: ParsableArguments {
    @Option(name: [.short, .long], help: "The application id or uid (HOOKLINE_APP).") var app: String?

    /// The application, or a usage error when none is given.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let app = app ?? environment["HOOKLINE_APP"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("pass --app APP (or set HOOKLINE_APP)")
        }
        return app
    }
}
