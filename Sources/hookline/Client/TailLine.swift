import Foundation
import HooklineCore

/// Renders one stream event as a single terminal line: time, kind (coloured), ids and the outcome.
struct TailLine {
    /// Whether to use ANSI colours.
    var colour: Bool

    /// The line for an event frame with JSON `data`; ids found in `names` (application or endpoint id → uid) are shown by name.
    func render(kind: String, data: JSONValue, names: [String: String] = [:]) -> String {
        let time = Self.text(data["timestamp"]) ?? ""
        var parts = [String(time.dropFirst(11).prefix(12)), paint(kind.padding(toLength: 18, withPad: " ", startingAt: 0), for: kind)]
        for key in ["appId", "msgId", "endpointId", "eventType"] {
            if let value = Self.text(data[key]) { parts.append(names[value] ?? value) }
        }
        if let details = data["data"] {
            for key in ["statusCode", "durationMs", "attempts", "latencyMs", "reason"] {
                if let value = Self.text(details[key]) { parts.append("\(key)=\(value)") }
            }
        }
        return parts.joined(separator: " ")
    }

    /// A notice from the stream itself (gap, cut-off, reconnect).
    func notice(_ text: String) -> String {
        colour ? "\u{1B}[2m" + text + "\u{1B}[0m" : text
    }

    private static func text(_ value: JSONValue?) -> String? {
        guard let value, value != .null else { return nil }
        return value.cellText
    }

    private func paint(_ text: String, for kind: String) -> String {
        guard colour else { return text }
        let code: String =
            switch kind {
            case "delivery.succeeded": "32"
            case "delivery.failed", "delivery.skipped", "message.attempt.failing": "33"
            case "delivery.exhausted", "endpoint.disabled", "delivery.canceled", "message.attempt.exhausted": "31"
            case "message.created": "36"
            default: "35"
            }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }
}
