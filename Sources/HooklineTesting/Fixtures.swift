import Foundation
import HooklineCore

/// Small factories for model values in tests.
public enum Fixtures {
    /// The Standard Webhooks test secret.
    public static let secret = try! EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

    /// An application created at `time`.
    public static func application(uid: String? = nil, at time: Date) -> Application {
        Application(
            id: Identifier.make(.application, at: time), uid: uid, name: "Test app", metadata: ["team": "qa"], throttleRate: nil, createdAt: time,
            updatedAt: time)
    }

    /// An endpoint of `app` created at `time`.
    public static func endpoint(app: Application, uid: String? = nil, url: String = "http://127.0.0.1:9/hook", at time: Date) -> Endpoint {
        Endpoint(
            id: Identifier.make(.endpoint, at: time), appId: app.id, uid: uid, url: url, description: "", eventTypes: nil,
            channels: nil, disabled: false, secret: secret, metadata: [:], headers: [:], throttleRate: nil,
            createdAt: time, updatedAt: time)
    }

    /// A message of `app` created at `time`.
    public static func message(app: Application, eventId: String? = nil, at time: Date) -> Message {
        Message(
            id: Identifier.make(.message, at: time), appId: app.id, eventType: "user.created", eventId: eventId,
            payload: Data(#"{"hello":"world"}"#.utf8), channels: nil, tags: nil, createdAt: time)
    }

    /// An attempt for a claimed delivery.
    public static func attempt(for claimed: ClaimedDelivery, status: AttemptStatus, code: Int, at time: Date) -> Attempt {
        Attempt(
            id: Identifier.make(.attempt, at: time), messageId: claimed.message.id, endpointId: claimed.delivery.endpointId,
            appId: claimed.message.appId, url: claimed.endpoint?.url ?? "", responseStatusCode: code, response: "",
            durationMs: 1, status: status, trigger: .scheduled, timestamp: time)
    }
}
