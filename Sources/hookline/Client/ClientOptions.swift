import ArgumentParser
import Foundation
import HooklineCore

/// The flags every client command shares: where the server is, the key, and the output format.
struct ClientOptions: ParsableArguments {
    @Option(help: "The Hookline server (HOOKLINE_SERVER, default http://127.0.0.1:8400).")
    var server: String?

    @Option(help: "The admin API key (HOOKLINE_API_KEY).")
    var apiKey: String?

    @Flag(help: "Print the server's JSON instead of a table.")
    var json = false

    /// A client for the server these options name.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) -> ServerClient {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let base = value(server, "HOOKLINE_SERVER") ?? "http://127.0.0.1:8400"
        return ServerClient(baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, apiKey: value(apiKey, "HOOKLINE_API_KEY"))
    }

    /// Prints `value` as JSON when `--json` is set, else as `table` renders it.
    func print(_ value: JSONValue, table: (JSONValue) -> TextTable) {
        Console.out(json ? value.prettyText : table(value).rendered)
    }
}
