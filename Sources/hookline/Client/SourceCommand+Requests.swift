import ArgumentParser
import HooklineCore

extension SourceCommand {
    /// `hookline source requests SOURCE [--status S]`.
    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a source's stored requests with their verification result.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String
        @Option(help: "Only requests in this status: pending, routed, duplicate, rejected or failed.") var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            var query = page.query
            query["status"] = status
            let list = try await options.client().call(.GET, "/api/v1/source/\(source)/request", query: query)
            options.print(list) {
                TextTable.list(
                    $0,
                    [
                        ("ID", "id"), ("STATUS", "status"), ("VERIFICATION", "verification"), ("REASON", "reason"),
                        ("MESSAGE", "messageId"), ("RECEIVED", "receivedAt"),
                    ])
            }
        }
    }

    /// `hookline source replay SOURCE REQUEST`.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Route a stored request again as a new message.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String
        @Argument(help: "The stored request id (inreq_…).") var request: String

        func run() async throws {
            let value = try await options.client().call(.POST, "/api/v1/source/\(source)/request/\(request)/replay")
            options.print(value) { TextTable.fields($0, keys: ["id", "status", "verification", "receivedAt"]) }
        }
    }
}
