import ArgumentParser
import HooklineCore

/// The endpoint fields `create` and `update` share.
struct EndpointFields: ParsableArguments {
    @Option(help: "A unique identifier within the application.") var uid: String?
    @Option(help: "A description.") var description: String?
    @Option(name: .customLong("event-type"), help: "An event type to receive; repeatable (default: all).") var eventTypes: [String] = []
    @Option(name: .customLong("channel"), help: "A channel to receive; repeatable.") var channels: [String] = []
    @Option(name: .customLong("header"), help: "An extra delivery header as NAME=VALUE; repeatable.") var headers: [String] = []

    /// The JSON fields these options set.
    var body: [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        if let uid { body["uid"] = .string(uid) }
        if let description { body["description"] = .string(description) }
        if !eventTypes.isEmpty { body["eventTypes"] = .array(eventTypes.map(JSONValue.string)) }
        if !channels.isEmpty { body["channels"] = .array(channels.map(JSONValue.string)) }
        if !headers.isEmpty {
            var map: [String: JSONValue] = [:]
            for header in headers {
                let parts = header.split(separator: "=", maxSplits: 1)
                map[String(parts[0])] = .string(parts.count > 1 ? String(parts[1]) : "")
            }
            body["headers"] = .object(map)
        }
        return body
    }
}
