import ArgumentParser
import HooklineCore

extension EndpointCommand {
    /// `hookline endpoint secret APP ENDPOINT`.
    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an endpoint's signing secret.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/app/\(app)/endpoint/\(endpoint)/secret")
            Console.out(options.json ? value.prettyText : value.string("key") ?? "")
        }
    }

    /// `hookline endpoint rotate APP ENDPOINT`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rotate an endpoint's signing secret; the old one keeps signing for a grace period.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String
        @Option(help: "The new secret (whsec_…); generated when absent.") var key: String?
        @Option(help: "How long the old secret keeps signing, e.g. 1h (default: the server's, 24h).") var gracePeriod: String?

        func run() async throws {
            var body: [String: JSONValue] = [:]
            if let key { body["key"] = .string(key) }
            if let gracePeriod {
                let duration = try DurationList.parseOne(gracePeriod)
                body["gracePeriodSeconds"] = .integer(duration.components.seconds)
            }
            let value = try await options.client().call(.POST, "/api/v1/app/\(app)/endpoint/\(endpoint)/secret/rotate", body: .object(body))
            Console.out(options.json ? value.prettyText : value.string("key") ?? "")
        }
    }
}
