import Foundation

/// A partial update of an application: only the fields that are set change.
package struct ApplicationPatch: Sendable {
    /// The display name.
    package var name: FieldPatch<String> = .keep
    /// The uid; `.set(nil)` removes it.
    package var uid: FieldPatch<String?> = .keep
    /// The metadata.
    package var metadata: FieldPatch<[String: String]?> = .keep
    /// The throttle rate; `.set(nil)` removes the limit.
    package var throttleRate: FieldPatch<Int?> = .keep

    /// Creates a patch that changes nothing.
    package init() {}

    /// Applies the patch to `draft`.
    package func apply(to draft: inout ApplicationDraft) {
        name.apply(to: &draft.name)
        uid.apply(to: &draft.uid)
        metadata.apply(to: &draft.metadata)
        throttleRate.apply(to: &draft.throttleRate)
    }
}

/// A partial update of an endpoint: only the fields that are set change.
package struct EndpointPatch: Sendable {
    /// Where deliveries go.
    package var url: FieldPatch<String> = .keep
    /// The description.
    package var description: FieldPatch<String?> = .keep
    /// The event types received; `.set(nil)` receives all.
    package var eventTypes: FieldPatch<[String]?> = .keep
    /// The channels received.
    package var channels: FieldPatch<[String]?> = .keep
    /// A new secret (without a grace period for the old one).
    package var secret: FieldPatch<String?> = .keep
    /// Whether deliveries are paused.
    package var disabled: FieldPatch<Bool?> = .keep
    /// The uid; `.set(nil)` removes it.
    package var uid: FieldPatch<String?> = .keep
    /// The metadata.
    package var metadata: FieldPatch<[String: String]?> = .keep
    /// Extra headers for each delivery.
    package var headers: FieldPatch<[String: String]?> = .keep
    /// The throttle rate; `.set(nil)` removes the limit.
    package var throttleRate: FieldPatch<Int?> = .keep
    /// The payload filter's wire form; `.set(nil)` removes the filter.
    package var payloadFilter: FieldPatch<JSONValue?> = .keep

    /// Ordered (FIFO, one at a time) delivery; `.set(nil)` turns it off.
    package var ordered: FieldPatch<Bool?> = .keep

    /// Creates a patch that changes nothing.
    package init() {}

    /// Applies the patch to `draft`.
    package func apply(to draft: inout EndpointDraft) {
        ordered.apply(to: &draft.ordered)
        payloadFilter.apply(to: &draft.payloadFilter)
        url.apply(to: &draft.url)
        description.apply(to: &draft.description)
        eventTypes.apply(to: &draft.eventTypes)
        channels.apply(to: &draft.channels)
        secret.apply(to: &draft.secret)
        disabled.apply(to: &draft.disabled)
        uid.apply(to: &draft.uid)
        metadata.apply(to: &draft.metadata)
        headers.apply(to: &draft.headers)
        throttleRate.apply(to: &draft.throttleRate)
    }
}

/// One field of a partial update: left as it is, or set to a new value (which may be `nil`).
package enum FieldPatch<Value: Sendable>: Sendable {
    /// The field was absent from the request.
    case keep
    /// The field was present with this value.
    case set(Value)

    /// Writes the new value into `field` unless the patch keeps it.
    package func apply(to field: inout Value) {
        if case .set(let value) = self { field = value }
    }
}

extension Gateway {
    /// Changes only the fields `patch` sets; the result is validated as a replacement would be.
    package func patchApplication(_ idOrUid: String, _ patch: ApplicationPatch) async throws -> Application {
        let current = try await application(idOrUid)
        var draft = ApplicationDraft(current)
        patch.apply(to: &draft)
        return try await replaceApplication(current.id, with: draft)
    }

    /// Changes only the fields `patch` sets; the secret is kept unless the patch names one.
    package func patchEndpoint(appIdOrUid: String, _ idOrUid: String, _ patch: EndpointPatch) async throws -> Endpoint {
        let current = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        var draft = EndpointDraft(current)
        patch.apply(to: &draft)
        return try await replaceEndpoint(appIdOrUid: current.appId, current.id, with: draft)
    }
}

extension ApplicationDraft {
    /// A draft describing `application` as it is.
    package init(_ application: Application) {
        self.init(name: application.name, uid: application.uid, metadata: application.metadata, throttleRate: application.throttleRate)
    }
}

extension EndpointDraft {
    /// A draft describing `endpoint` as it is, without its secret (so a replacement keeps it).
    package init(_ endpoint: Endpoint) {
        self.init(
            url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes, channels: endpoint.channels,
            secret: nil, disabled: endpoint.disabled, uid: endpoint.uid, metadata: endpoint.metadata, headers: endpoint.headers,
            throttleRate: endpoint.throttleRate, payloadFilter: endpoint.payloadFilter?.json)
        ordered = endpoint.ordered
    }
}
