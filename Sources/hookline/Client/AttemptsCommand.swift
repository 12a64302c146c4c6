import ArgumentParser
import Foundation
import HooklineCore

/// `hookline attempts MSG [--app APP]`: the delivery attempts of a message (its application is found when not given).
struct AttemptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attempts", abstract: "List a message's delivery attempts, newest first.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The message id.") var message: String
    @OptionGroup var page: PageOptions

    /// The attempt table's columns: title and JSON field.
    static let columns = [
        ("ID", "id"), ("STATUS", "statusText"), ("CODE", "responseStatusCode"), ("TRIGGER", "triggerType"), ("ENDPOINT", "endpointId"),
        ("TIMESTAMP", "timestamp"), ("REASON", "response"),
    ]

    func run() async throws {
        let client = options.client()
        let appId = try await app.resolved(forMessage: message, client: client)
        let list = try await client.call(.GET, "/api/v1/app/\(appId)/attempt/msg/\(message)", query: page.query)
        let endpoints = options.json ? [:] : try await EndpointNames.fetch(app: appId, client: client)
        options.print(list) { Self.readable(TextTable.list($0, Self.columns), endpoints: endpoints) }
    }

    /// The table with triggers named (`scheduled`, `manual`) and endpoints shown by uid where they have one.
    static func readable(_ table: TextTable, endpoints: [String: String]) -> TextTable {
        var table = table
        let keys = columns.map(\.1)
        for row in table.rows.indices where table.rows[row].count == keys.count {
            for (column, key) in keys.enumerated() {
                let cell = table.rows[row][column]
                switch key {
                case "triggerType": table.rows[row][column] = cell == "1" ? "manual" : cell == "0" ? "scheduled" : cell
                case "endpointId": table.rows[row][column] = endpoints[cell] ?? cell
                case "response": table.rows[row][column] = reason(cell, status: table.rows[row][keys.firstIndex(of: "statusText")!])
                default: break
                }
            }
        }
        return table
    }

    /// Why a failed attempt failed, on one line of at most 60 characters: the refusal, network error or
    /// timeout when no response came (code 0), else the start of the receiver's body; empty for a success.
    static func reason(_ response: String, status: String) -> String {
        guard status != "success" else { return "" }
        let line = response.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}
