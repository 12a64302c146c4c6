import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// `MessageIntake`, the one way in for new messages: pure, no store, no clock.
@Suite struct MessageIntakeTests {
    /// A time with a sub-millisecond fraction, so truncation shows.
    static let now = Date(timeIntervalSince1970: 1_700_000_000.123_456_7)
    /// The application messages are admitted to.
    static let app = Fixtures.application(at: now)

    /// An intake whose ids are `msg_<stamped ms>`, so the stamp is visible.
    static let intake = MessageIntake { "msg_\($0.millisecondsSince1970)" }

    /// An endpoint of `app`, created `offset` seconds after `now`, with the given routing rules.
    static func endpoint(_ offset: TimeInterval, types: [String]? = nil, channels: [String]? = nil, disabled: Bool = false) -> Endpoint {
        var endpoint = Fixtures.endpoint(app: app, at: now.addingTimeInterval(offset))
        endpoint.eventTypes = types
        endpoint.channels = channels
        endpoint.disabled = disabled
        return endpoint
    }

    /// JSON parts of `eventType` with `payload`.
    static func parts(_ eventType: String = "order.paid", payload: String = #"{"amount":500}"#) -> MessageParts {
        MessageParts(eventType: eventType, payload: Data(payload.utf8))
    }

    @Test func stampsIdAndTimesInWholeMilliseconds() {
        let item = Self.intake.admit(Self.parts(), to: Self.app, endpoints: [], now: Self.now)
        let whole = Date(millisecondsSince1970: Self.now.millisecondsSince1970)
        #expect(item.message.createdAt == whole && item.message.createdAt != Self.now)
        #expect(item.message.id == "msg_\(Self.now.millisecondsSince1970)", "the id is stamped with the same millisecond")
        #expect(item.deliverAt == whole, "due at once")
        #expect(item.message.appId == Self.app.id && item.message.eventType == "order.paid")
        #expect(item.message.payload == Data(#"{"amount":500}"#.utf8), "the payload bytes are kept as they are")
        #expect(MessageIntake().admit(Self.parts(), to: Self.app, endpoints: [], now: Self.now).message.id.hasPrefix("msg_"))
    }

    @Test func acceptedAtIsTheCreationTimeButNotTheStamp() {
        var parts = Self.parts()
        parts.acceptedAt = Self.now.addingTimeInterval(-2.000_9)
        let item = Self.intake.admit(parts, to: Self.app, endpoints: [], now: Self.now)
        #expect(item.message.createdAt.millisecondsSince1970 == Self.now.millisecondsSince1970 - 2001)
        #expect(item.message.createdAt == Date(millisecondsSince1970: item.message.createdAt.millisecondsSince1970))
        #expect(item.message.id == "msg_\(Self.now.millisecondsSince1970)")
        #expect(item.deliverAt.millisecondsSince1970 == Self.now.millisecondsSince1970, "deliveries are due from the intake, not the receipt")
    }

    @Test func clampsPriority() {
        func level(_ priority: Int?) -> Int {
            var parts = Self.parts()
            parts.priority = priority
            return Self.intake.admit(parts, to: Self.app, endpoints: [], now: Self.now).message.priority
        }
        #expect(level(nil) == PriorityLane.normal.level)
        #expect(level(8) == 8 && level(0) == 0 && level(9) == 9)
        #expect(level(42) == 9 && level(-3) == 0)
    }

    @Test func deliverAtIsNeverBeforeNow() {
        func due(_ offset: TimeInterval?) -> Date {
            var parts = Self.parts()
            parts.deliverAt = offset.map(Self.now.addingTimeInterval)
            return Self.intake.admit(parts, to: Self.app, endpoints: [], now: Self.now).deliverAt
        }
        let whole = Date(millisecondsSince1970: Self.now.millisecondsSince1970)
        #expect(due(nil) == whole && due(-60) == whole)
        #expect(due(3600).millisecondsSince1970 == Self.now.millisecondsSince1970 + 3_600_000)
    }

    @Test func routesSkipsAndCarriesWhatTheHandoffNeeds() throws {
        let all = Self.endpoint(0)
        let typed = Self.endpoint(1, types: ["order.paid"])
        let otherType = Self.endpoint(2, types: ["order.refunded"])
        let channel = Self.endpoint(3, channels: ["eu"])
        let paused = Self.endpoint(4, types: ["order.paid"], disabled: true)
        let pausedElsewhere = Self.endpoint(5, types: ["order.refunded"], disabled: true)
        var filtered = Self.endpoint(6)
        filtered.payloadFilter = try PayloadFilter(json: .object(["path": .string("amount"), "gte": .integer(1000)]))
        var app = Self.app
        app.throttleRate = 25
        var parts = Self.parts()
        parts.channels = ["eu"]
        let endpoints = [all, typed, otherType, channel, paused, pausedElsewhere, filtered]
        let item = Self.intake.admit(parts, to: app, endpoints: endpoints, now: Self.now)
        #expect(item.endpointIds == [all.id, typed.id, channel.id], "event types, channels and payload filters apply")
        #expect(item.endpoints.map(\.id) == item.endpointIds, "the routed endpoints ride along, in order")
        #expect(item.skippedEndpointIds == [paused.id], "a disabled endpoint that would take it gets a skipped row")
        #expect(item.applicationThrottleRate == 25)
        #expect(item.message.channels == ["eu"])

        let quiet = Self.intake.admit(Self.parts("order.shipped"), to: Self.app, endpoints: [typed, otherType], now: Self.now)
        #expect(quiet.endpointIds.isEmpty && quiet.endpoints.isEmpty && quiet.skippedEndpointIds.isEmpty)
        #expect(quiet.applicationThrottleRate == nil)
    }

    @Test func keepsTheOptionalFields() {
        let parts = MessageParts(
            eventType: "push", payload: Data("a=1".utf8), eventId: "evt-1", tags: ["src_1"], contentType: "application/x-www-form-urlencoded",
            correlationId: "wf-9")
        let message = Self.intake.admit(parts, to: Self.app, endpoints: [], now: Self.now).message
        #expect(message.eventId == "evt-1" && message.tags == ["src_1"] && message.channels == nil)
        #expect(message.contentType == "application/x-www-form-urlencoded" && message.correlationId == "wf-9")
    }

    @Test func partsOfAnAPIDraft() throws {
        var draft = MessageDraft(eventType: "a", payload: .object(["b": .integer(1)]), eventId: "e", channels: ["c"], tags: ["t"])
        draft.priority = 7
        draft.deliverAt = Self.now
        let canonical = try MessageParts(draft)
        #expect(canonical.payload == Data(#"{"b":1}"#.utf8), "the canonical JSON of the payload")
        #expect(canonical.eventId == "e" && canonical.channels == ["c"] && canonical.tags == ["t"])
        #expect(canonical.priority == 7 && canonical.deliverAt == Self.now && canonical.acceptedAt == nil && canonical.contentType == nil)
        draft.rawPayload = Data(#"{ "b" : 1 }"#.utf8)
        #expect(try MessageParts(draft).payload == Data(#"{ "b" : 1 }"#.utf8), "raw bytes win, unchanged")
    }
}
