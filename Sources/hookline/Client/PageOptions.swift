import ArgumentParser

/// `--limit` and `--iterator` for list commands.
struct PageOptions: ParsableArguments {
    @Option(help: "The most items to show (1–250, default 50).") var limit: Int?
    @Option(help: "Continue from this iterator (a leading '-' pages backwards).") var iterator: String?

    /// The query parameters.
    var query: [String: String?] { ["limit": limit.map(String.init), "iterator": iterator] }
}
