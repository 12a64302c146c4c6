import Foundation
import HooklineCore

/// A failure the CLI reports on standard error before exiting non-zero.
struct CLIError: Error, CustomStringConvertible {
    /// What to print.
    let description: String
    /// The server's HTTP status, when the server answered with an error.
    var status: Int?

    /// An error with this message.
    init(_ message: String) {
        description = message
    }

    /// The server's error reply: `{"code","detail"}` or a validation `detail` list.
    init(status: Int, body: JSONValue?, raw: Data) {
        var parts: [String] = []
        if case .array(let items)? = body?["detail"] {
            for item in items {
                let location = item["loc"].map { $0.cellText.replacingOccurrences(of: ",", with: ".") } ?? ""
                parts.append("\(location): \(item["msg"]?.cellText ?? "invalid")")
            }
        } else if let detail = body?["detail"]?.cellText {
            parts.append(body?["code"].map { "\($0.cellText): \(detail)" } ?? detail)
        } else {
            parts.append(String(decoding: raw.prefix(500), as: UTF8.self))
        }
        description = "server answered \(status): " + parts.joined(separator: "; ")
        self.status = status
    }
}
