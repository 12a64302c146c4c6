import Foundation

extension Gateway {
    /// `PUT /app/{app_id}` as Svix: replaces the application, or creates one from the draft (a new id, the draft's uid)
    /// when none has this id or uid; returns it and whether it was created.
    public func upsertApplication(_ idOrUid: String, with draft: ApplicationDraft) async throws -> (Application, created: Bool) {
        guard try await store.application(idOrUid) != nil else {
            return (try await createApplication(draft).0, true)
        }
        return (try await replaceApplication(idOrUid, with: draft), false)
    }

    /// `PUT …/endpoint/{endpoint_id}` as Svix: replaces the endpoint, or creates one from the draft when the
    /// application has none with this id or uid; returns it and whether it was created.
    public func upsertEndpoint(appIdOrUid: String, _ idOrUid: String, with draft: EndpointDraft) async throws -> (Endpoint, created: Bool) {
        let application = try await application(appIdOrUid)
        guard try await store.endpoint(appId: application.id, idOrUid: idOrUid) != nil else {
            return (try await createEndpoint(appIdOrUid: application.id, draft), true)
        }
        return (try await replaceEndpoint(appIdOrUid: application.id, idOrUid, with: draft), false)
    }
}
