import Foundation

extension Gateway {
    /// Changes only the fields `patch` sets; the result is validated as a replacement would be.
    public func patchApplication(_ idOrUid: String, _ patch: ApplicationPatch) async throws -> Application {
        let current = try await application(idOrUid)
        var draft = ApplicationDraft(current)
        patch.apply(to: &draft)
        return try await replaceApplication(current.id, with: draft)
    }

    /// Changes only the fields `patch` sets; the secret is kept unless the patch names one.
    public func patchEndpoint(appIdOrUid: String, _ idOrUid: String, _ patch: EndpointPatch) async throws -> Endpoint {
        let current = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        var draft = EndpointDraft(current)
        patch.apply(to: &draft)
        return try await replaceEndpoint(appIdOrUid: current.appId, current.id, with: draft)
    }
}

extension ApplicationDraft {
    /// A draft describing `application` as it is.
    public init(_ application: Application) {
        self.init(name: application.name, uid: application.uid, metadata: application.metadata, throttleRate: application.throttleRate)
    }
}

extension EndpointDraft {
    /// A draft describing `endpoint` as it is, without its secret (so a replacement keeps it).
    public init(_ endpoint: Endpoint) {
        self.init(
            url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes, channels: endpoint.channels,
            secret: nil, disabled: endpoint.disabled, uid: endpoint.uid, metadata: endpoint.metadata, headers: endpoint.headers,
            throttleRate: endpoint.throttleRate, payloadFilter: endpoint.payloadFilter?.json)
        ordered = endpoint.ordered
    }
}
