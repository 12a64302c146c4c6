import ArgumentParser
import Foundation
import HooklineCore

/// `hookline recover ENDPOINT --app APP --since 2h`: re-queues failed and skipped deliveries and follows the task.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Re-send every failed delivery of an endpoint since a time, showing progress.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The endpoint id or uid.") var endpoint: String
    @Option(help: "Messages created since this ISO 8601 time, or this long ago (e.g. 2h).") var since: String
    @Option(help: "Messages created before this ISO 8601 time, or this long ago.") var until: String?
    @Flag(help: "Return once the task is started instead of waiting for it.") var noWait = false

    func run() async throws {
        let client = options.client()
        var body: [String: JSONValue] = ["since": .string(try TimeArgument.iso8601(since))]
        if let until { body["until"] = .string(try TimeArgument.iso8601(until)) }
        var task = try await client.call(.POST, "/api/v1/app/\(try app.resolved())/endpoint/\(endpoint)/recover", body: .object(body))
        guard let id = task.string("id") else { throw CLIError("the server returned no task id") }
        var reported = -1
        while !noWait && task.string("status") == "running" {
            let sent = Int(task["data"]?["messagesSent"]?.cellText ?? "") ?? 0
            if sent != reported {
                Console.progress("recovering: \(sent) messages re-queued")
                reported = sent
            }
            try await Task.sleep(for: .milliseconds(250))
            task = try await client.call(.GET, "/api/v1/background-task/\(id)")
        }
        if !noWait { Console.progress("\(task.string("status") ?? "done"): \(task["data"]?["messagesSent"]?.cellText ?? "0") messages re-queued") }
        options.print(task) { TextTable.fields($0, keys: ["id", "task", "status", "data", "updatedAt"]) }
        if task.string("status") == "failed" { throw ExitCode.failure }
    }
}
